//! «Надзор»: the oversight questions as tables.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use projections::queries::{cell_text, Filters, QueryKind};
use serde::Deserialize;
use web::{OversightPage, QuestionTab};

use super::{failed, html, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// The questions of «Надзор», with their tabs' labels.
const QUESTIONS: [(QueryKind, &str); 6] = [
    (QueryKind::Late, "Просроченные и застрявшие документы"),
    (QueryKind::Meetings, "Мало заседаний"),
    (
        QueryKind::Eligibility,
        "Требования к руководителям и кураторам",
    ),
    (QueryKind::MemberDb, "Базы участников не обновлены"),
    (QueryKind::Indicators, "Показатели"),
    (QueryKind::Hierarchy, "Структура объединений"),
];

#[derive(Deserialize, Default)]
pub(crate) struct OversightParams {
    as_of: Option<String>,
    known_at: Option<String>,
    district: Option<String>,
    subject: Option<String>,
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

async fn oversight_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    name: &str,
    params: OversightParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Oversight, shared).await?;
    let kind: QueryKind = name.parse().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_query",
            &format!("нет вопроса «{name}»"),
        )
    })?;
    let dates = PageParams {
        as_of: params.as_of,
        known_at: params.known_at,
        notice: None,
    };
    let travel = time_travel(&dates, &format!("/oversight/{name}"))?;
    let filled = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let filters = Filters {
        district: filled(params.district),
        subject: filled(params.subject),
    };
    let report = shared
        .app
        .query(
            kind,
            app::When {
                as_of: travel.as_of,
                known_at: travel.known_at,
            },
            filters.clone(),
        )
        .await?;
    let whose: Vec<String> = report.opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(&caller.principal, &whose, &format!("GET /oversight/{name}"))
        .await?;
    let page = OversightPage {
        who: caller.principal.login.clone(),
        when: travel,
        tabs: QUESTIONS
            .iter()
            .map(|(question, label)| QuestionTab {
                name: question.name().to_string(),
                label: (*label).to_string(),
                current: *question == kind,
            })
            .collect(),
        question: kind.name().to_string(),
        title: report.title.clone(),
        rules: report
            .rules
            .iter()
            .map(|r| (r.clause.clone(), r.rule.clone()))
            .collect(),
        headers: report
            .columns
            .iter()
            .map(|c| c.header.to_string())
            .collect(),
        rows: report
            .rows
            .iter()
            .map(|row| {
                report
                    .columns
                    .iter()
                    .map(|c| cell_text(row.get(c.key)))
                    .collect()
            })
            .collect(),
        no_rule: report.no_rule_text(),
        district: filters.district.unwrap_or_default(),
        subject: filters.subject.unwrap_or_default(),
    };
    Ok(html(page.render_page()))
}
