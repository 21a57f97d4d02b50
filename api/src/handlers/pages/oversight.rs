//! «Надзор»: the oversight questions as tables.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::SchoolYear;
use projections::queries::{cell_text, Filters, QueryKind, Report};
use serde::Deserialize;
use web::{OversightPage, QuestionTab, TimeTravel};

use super::{asked_at, failed, file_of, nav, page_or_file, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// The questions of «Надзор», with their tabs' labels.
const QUESTIONS: [(QueryKind, &str); 10] = [
    (QueryKind::Late, "Просроченные и застрявшие документы"),
    (QueryKind::Meetings, "Мало заседаний"),
    (
        QueryKind::Eligibility,
        "Требования к руководителям и кураторам",
    ),
    (QueryKind::MemberDb, "Базы участников не обновлены"),
    (QueryKind::Indicators, "Показатели"),
    (QueryKind::Retention, "Сроки хранения"),
    (QueryKind::Unpublished, "Не размещены на сайте"),
    (QueryKind::Programmes, "Индивидуальные программы педагогов"),
    (QueryKind::Monitoring, "Мониторинг методической работы"),
    (QueryKind::Hierarchy, "Структура объединений"),
];

/// The tab of two school years side by side (`metod compare`), beside the questions.
const COMPARE: (&str, &str) = ("compare", "Два учебных года");

#[derive(Deserialize, Default, Clone)]
pub(crate) struct OversightParams {
    as_of: Option<String>,
    known_at: Option<String>,
    district: Option<String>,
    subject: Option<String>,
    /// «Два учебных года»: the years compared (default: the year of the date asked and the
    /// one before).
    first: Option<String>,
    second: Option<String>,
    /// The page's table as a file (`xlsx`, `csv`).
    format: Option<String>,
    table: Option<String>,
}

/// `GET /oversight/{name}`: «Надзор» — an oversight question as a table, for the department
/// and the methodical center.
pub(crate) async fn oversight_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(name): Path<String>,
    Query(params): Query<OversightParams>,
) -> Response {
    match oversight_of(&shared, caller, &name, params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

/// What a question of «Надзор» answered, for its page or its export.
struct Asked {
    caller: Caller,
    /// The question's name in the address (`late`, …, `compare`).
    name: String,
    /// The school years compared, on «Два учебных года».
    years: Option<(SchoolYear, SchoolYear)>,
    travel: TimeTravel,
    filters: Filters,
    report: Report,
}

async fn ask(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    name: &str,
    params: &OversightParams,
    endpoint: &str,
) -> Result<Asked, ApiError> {
    let caller = caller?;
    caller.require(Access::Oversight, shared).await?;
    let kind: Option<QueryKind> = if name == COMPARE.0 {
        None
    } else {
        Some(name.parse().map_err(|_| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_query",
                &format!("нет вопроса «{name}»"),
            )
        })?)
    };
    let dates = PageParams {
        as_of: params.as_of.clone(),
        known_at: params.known_at.clone(),
        ..PageParams::default()
    };
    let travel = time_travel(&dates, &format!("/oversight/{name}"))?;
    let filled = |v: &Option<String>| {
        v.as_ref()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let filters = Filters {
        district: filled(&params.district),
        subject: filled(&params.subject),
    };
    let when = asked_at(&travel);
    let (report, years) = match kind {
        Some(kind) => (shared.app.query(kind, when, filters.clone()).await?, None),
        None => {
            let this = SchoolYear::containing(match travel.as_of {
                Some(as_of) => as_of,
                None => shared.app.today()?,
            });
            let year = |text: Option<String>, default: SchoolYear| match text {
                Some(text) => SchoolYear::parse(&text)
                    .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string())),
                None => Ok(default),
            };
            let first = year(filled(&params.first), this.previous())?;
            let second = year(filled(&params.second), this)?;
            let report = shared
                .app
                .compare(first, second, travel.known_at, filters.clone())
                .await?;
            (report, Some((first, second)))
        }
    };
    let whose: Vec<String> = report.opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(&caller.principal, &whose, endpoint)
        .await?;
    Ok(Asked {
        caller,
        name: name.to_string(),
        years,
        travel,
        filters,
        report,
    })
}

/// The answer's headers and its cells as the page shows them.
fn table(report: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let headers = report
        .columns
        .iter()
        .map(|c| c.header.to_string())
        .collect();
    let rows = report
        .rows
        .iter()
        .map(|row| {
            report
                .columns
                .iter()
                .map(|c| cell_text(row.get(c.key)))
                .collect()
        })
        .collect();
    (headers, rows)
}

async fn oversight_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    name: &str,
    params: OversightParams,
) -> Result<Response, ApiError> {
    let asked = ask(
        shared,
        caller,
        name,
        &params,
        &format!("GET /oversight/{name}"),
    )
    .await?;
    let Asked {
        caller,
        name,
        years,
        travel,
        filters,
        report,
    } = asked;
    let (headers, rows) = table(&report);
    let export_query = export_query(&travel, &filters, years);
    let page = OversightPage {
        nav: nav(shared, &caller).await?,
        when: travel,
        tabs: QUESTIONS
            .iter()
            .map(|(question, label)| (question.name(), *label))
            .chain([COMPARE])
            .map(|(tab, label)| QuestionTab {
                name: tab.to_string(),
                label: label.to_string(),
                current: tab == name,
            })
            .collect(),
        question: name.clone(),
        years: years.map(|(a, b)| (a.to_string(), b.to_string())),
        title: report.title.clone(),
        rules: report
            .rules
            .iter()
            .map(|r| (r.clause.clone(), r.rule.clone()))
            .collect(),
        headers,
        rows,
        no_rule: report.no_rule_text(),
        district: filters.district.unwrap_or_default(),
        subject: filters.subject.unwrap_or_default(),
        export_query,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "oversight",
    ))
}

/// The query string that asks the export for what the page shows.
fn export_query(
    travel: &TimeTravel,
    filters: &Filters,
    years: Option<(SchoolYear, SchoolYear)>,
) -> String {
    let mut pairs = Vec::new();
    if let Some((first, second)) = years {
        pairs.push(format!("first={}", super::urlencoded(&first.to_string())));
        pairs.push(format!("second={}", super::urlencoded(&second.to_string())));
    }
    if let Some(as_of) = travel.as_of {
        pairs.push(format!("as_of={as_of}"));
    }
    if travel.known_at.is_some() {
        pairs.push(format!("known_at={}", travel.known_at_value()));
    }
    for (key, value) in [
        ("district", &filters.district),
        ("subject", &filters.subject),
    ] {
        if let Some(value) = value {
            pairs.push(format!("{key}={}", super::urlencoded(value)));
        }
    }
    pairs.join("&")
}

#[derive(Deserialize, Default)]
pub(crate) struct ExportParams {
    #[serde(flatten)]
    asked: OversightParams,
    format: Option<String>,
}

/// `GET /oversight/{name}/export?format=xlsx|csv`: the table of «Надзор» as a file, with the
/// page's Russian headers (XLSX: dates as dates, numbers as numbers).
pub(crate) async fn oversight_export(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(name): Path<String>,
    Query(params): Query<ExportParams>,
) -> Response {
    match export(&shared, caller, &name, &params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn export(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    name: &str,
    params: &ExportParams,
) -> Result<Response, ApiError> {
    let format = params.format.as_deref().unwrap_or("xlsx");
    let endpoint = format!("GET /oversight/{name}/export");
    let asked = ask(shared, caller, name, &params.asked, &endpoint).await?;
    let (headers, rows) = match asked.report.no_rule_text() {
        Some(line) => (vec!["Примечание".to_string()], vec![vec![line]]),
        None => table(&asked.report),
    };
    let file = format!("{}-{}", asked.name, asked.report.as_of);
    file_of(format, &file, &asked.report.title, &headers, &rows)
}
