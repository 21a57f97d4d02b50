//! The pages (`web`): the same application layer and role table as the JSON API, answered as
//! HTML. Whoever is not logged in is sent to «Вход»; a refusal is a page that says why, with
//! the rule's clause; a decision taken on a page is recorded as the logged-in person, and
//! then the page it came from is shown again (post, redirect, get). One file a page; what
//! they share is here.

mod association;
mod document;
mod entry;
mod inbox;
mod journal;
mod meeting;
mod oversight;
mod registry;
mod regulation;

pub(crate) use association::association_page;
pub(crate) use document::{approval_sheet, document_page};
pub(crate) use entry::{asset, index, login_form, login_page, logout_form};
pub(crate) use inbox::{decide_form, inbox_page, submit_form};
pub(crate) use journal::journal_page;
pub(crate) use meeting::{draft_form, meeting_page, protocol_print, sign_form};
pub(crate) use oversight::{oversight_export, oversight_page};
pub(crate) use registry::{registry_form, registry_index, registry_page};
pub(crate) use regulation::regulation_page;

use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDateTime;
use serde::Deserialize;
use web::TimeTravel;

use app::AccountKind;
use domain::ids::{AssociationId, PersonId};
use domain::Acting;

use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::handlers::answers::when;
use crate::shared::Shared;

/// A page's answer when it cannot show what was asked: «Вход» for whoever is not logged in,
/// else a page with the status, the message and the clause.
pub(super) fn failed(e: ApiError) -> Response {
    if e.status == StatusCode::UNAUTHORIZED {
        return redirect("/login");
    }
    let clause = e
        .clause
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    let title = match e.status {
        StatusCode::FORBIDDEN => "Нет доступа",
        StatusCode::NOT_FOUND => "Не найдено",
        s if s.is_client_error() => "Запрос не принят",
        _ => "Ошибка сервера",
    };
    let page = web::pages::ErrorPage {
        title: title.into(),
        message: format!("{}{clause}", e.message),
        code: e.code.into(),
    };
    match page.render_page() {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(why) => (StatusCode::INTERNAL_SERVER_ERROR, why.to_string()).into_response(),
    }
}

/// The menu for `caller`: the pages the role table opens to them.
pub(super) async fn nav(shared: &Shared, caller: &Caller) -> Result<web::Nav, ApiError> {
    Ok(web::Nav {
        login: caller.principal.login.clone(),
        inbox: caller.may(Access::OwnInbox, shared).await?,
        oversight: caller.may(Access::Oversight, shared).await?,
        journal: caller.may(Access::Log, shared).await?,
        registry: caller.may(Access::Registry, shared).await?,
    })
}

/// What a page says of a refusal by the rules: the message and the clause.
pub(super) fn refusal_text(e: &ApiError) -> String {
    let clause = e
        .clause
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    format!("Не записано: {}{clause}", e.message)
}

/// Refused unless `caller` sees `association`: its members, heads and curators, the city
/// head of its subject, the department and the center, the operator and the auditor.
pub(super) async fn require_sees(
    shared: &Shared,
    caller: &Caller,
    association: &AssociationId,
    refusal: &str,
) -> Result<(), ApiError> {
    let sees = match caller.principal.kind {
        AccountKind::Operator | AccountKind::Auditor => true,
        AccountKind::Person => caller
            .standing(shared)
            .await?
            .is_some_and(|s| s.sees_association(association)),
    };
    if sees {
        Ok(())
    } else {
        tracing::warn!(login = %caller.principal.login, %association, "page refused by scope");
        Err(ApiError::new(StatusCode::FORBIDDEN, "forbidden", refusal))
    }
}

/// Records `command` as `person`; a refusal by the rules is the error.
pub(super) async fn record_as(
    shared: &Shared,
    person: PersonId,
    command: &serde_json::Value,
) -> Result<(), ApiError> {
    let recorded = shared
        .app
        .record(Acting::Person(person), &command.to_string())
        .await?;
    match recorded.stopped {
        Some(stopped) => Err(stopped.error.into()),
        None => Ok(()),
    }
}

pub(super) fn redirect(to: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(to) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

pub(super) fn html(page: Result<String, web::PageError>) -> Response {
    match page {
        Ok(html) => {
            let mut response = Html(html).into_response();
            // a page shows one person's data: never kept by a shared cache
            response
                .headers_mut()
                .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(why) => failed(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &why.to_string(),
        )),
    }
}

#[derive(Deserialize, Default)]
pub(crate) struct PageParams {
    pub(super) as_of: Option<String>,
    pub(super) known_at: Option<String>,
    /// What a form just did (`inbox::Done`'s code).
    pub(super) done: Option<String>,
    /// «Документ»: the two versions compared.
    pub(super) from: Option<u32>,
    pub(super) to: Option<u32>,
    /// A table of the page as a file: `xlsx` or `csv`, and which table (the first if none).
    pub(super) format: Option<String>,
    pub(super) table: Option<String>,
}

/// The page, or one of its tables as a file when the address asks for one.
pub(super) fn page_or_file(
    page: &impl web::Page,
    format: Option<&str>,
    table: Option<&str>,
    file: &str,
) -> Response {
    exported(page, format, table, file).unwrap_or_else(|| html(page.html()))
}

/// The dates a page was asked at, as the application takes them.
pub(super) fn asked_at(travel: &TimeTravel) -> app::When {
    app::When {
        as_of: travel.as_of,
        known_at: travel.known_at,
    }
}

/// The page's table as a file when the address asks for one (`format`, `table`); None when
/// it asks for the page. `file` names the download.
fn exported(
    page: &impl web::Tables,
    format: Option<&str>,
    table: Option<&str>,
    file: &str,
) -> Option<Response> {
    let format = format?;
    let Some(table) = page.table(table) else {
        return Some(failed(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_table",
            &format!("на странице нет таблицы «{}»", table.unwrap_or_default()),
        )));
    };
    let name = format!("{file}-{}", table.name);
    Some(
        match file_of(format, &name, &table.title, &table.headers, &table.rows) {
            Ok(response) => response,
            Err(e) => failed(e),
        },
    )
}

/// A table as a file: XLSX (dates as dates, numbers as numbers) or CSV, with its Russian
/// headers, named `file`.
pub(super) fn file_of(
    format: &str,
    file: &str,
    title: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Response, ApiError> {
    let (content_type, body) = match format {
        "csv" => (
            "text/csv; charset=utf-8",
            web::export::csv(headers, rows).into_bytes(),
        ),
        "xlsx" => {
            let cells: Vec<Vec<web::export::Cell>> = rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|text| web::export::Cell::from_text(text))
                        .collect()
                })
                .collect();
            let bytes = web::export::xlsx(title, headers, &cells).map_err(|e| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "render_failed",
                    &e.to_string(),
                )
            })?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                bytes,
            )
        }
        other => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_format",
                &format!("format «{other}»: нужен xlsx или csv"),
            ))
        }
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}.{format}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// The dates a page's form sends: empty means today; «по сведениям на» comes from a
/// `datetime-local` field (`YYYY-MM-DDTHH:MM`, read as UTC) or as the API takes it.
pub(super) fn time_travel(params: &PageParams, path: &str) -> Result<TimeTravel, ApiError> {
    fn filled(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    let local = filled(&params.known_at)
        .and_then(|t| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok())
        .map(|t| t.and_utc());
    let asked = when(
        filled(&params.as_of),
        if local.is_some() {
            None
        } else {
            filled(&params.known_at)
        },
    )?;
    Ok(TimeTravel {
        as_of: asked.as_of,
        known_at: local.or(asked.known_at),
        path: path.to_string(),
    })
}

/// A query-string value, percent-encoded.
pub(super) fn urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
