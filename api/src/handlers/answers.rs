//! The answers: an oversight question, the caller's inbox, a document's trail — each at a
//! point of both time axes (`as_of`, `known_at`), scoped by who asks.

use std::sync::Arc;

use app::{AccountKind, When};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::DocumentId;
use projections::queries::{Filters, QueryKind};
use serde::Deserialize;
use serde_json::Value;
use workflows::Trail;

use crate::auth::Access;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WhenParams {
    as_of: Option<String>,
    known_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QueryParams {
    as_of: Option<String>,
    known_at: Option<String>,
    district: Option<String>,
    subject: Option<String>,
    /// `json` (the default) or `csv`.
    format: Option<String>,
}

fn bad(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, &message)
}

/// `as_of` (a date) and `known_at` (a date — its end — or an RFC 3339 moment).
pub(crate) fn when(as_of: Option<&str>, known_at: Option<&str>) -> Result<When, ApiError> {
    let as_of = as_of
        .map(|d| {
            d.parse::<NaiveDate>().map_err(|_| {
                bad(
                    "invalid_date",
                    format!("as_of «{d}»: нужна дата ГГГГ-ММ-ДД"),
                )
            })
        })
        .transpose()?;
    let known_at = known_at
        .map(|t| {
            if let Ok(moment) = DateTime::parse_from_rfc3339(t) {
                return Ok(moment.with_timezone(&Utc));
            }
            t.parse::<NaiveDate>()
                .ok()
                .and_then(|d| d.and_hms_micro_opt(23, 59, 59, 999_999))
                .map(|m| m.and_utc())
                .ok_or_else(|| {
                    bad(
                        "invalid_date",
                        format!("known_at «{t}»: нужна дата или время RFC 3339"),
                    )
                })
        })
        .transpose()?;
    Ok(When { as_of, known_at })
}

fn json_of(value: impl serde::Serialize) -> Result<Json<Value>, ApiError> {
    serde_json::to_value(value).map(Json).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &e.to_string(),
        )
    })
}

pub(crate) async fn query(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(name): Path<String>,
    params: Result<Query<QueryParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Access::Oversight, &shared).await?;
    let Query(params) = params.map_err(crate::error::rejected)?;
    let csv = match params.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(bad(
                "invalid_format",
                format!("format «{other}»: нужен json или csv"),
            ))
        }
    };
    let kind: QueryKind = name.parse().map_err(|_| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_query",
            &format!("нет вопроса «{name}»"),
        )
    })?;
    let when = when(params.as_of.as_deref(), params.known_at.as_deref())?;
    let filters = Filters {
        district: params.district,
        subject: params.subject,
    };
    let report = shared.app.query(kind, when, filters).await?;
    journal(
        &shared,
        &caller,
        &report.opened,
        &format!("GET /api/query/{name}"),
    )
    .await?;
    if csv {
        let headers = [(CONTENT_TYPE, "text/csv; charset=utf-8")];
        return Ok((headers, report.to_csv()).into_response());
    }
    Ok(json_of(report)?.into_response())
}

/// Journals the persons whose sealed data an answer to `caller` opened (152-FZ).
async fn journal(
    shared: &Shared,
    caller: &Caller,
    opened: &[domain::ids::PersonId],
    endpoint: &str,
) -> Result<(), ApiError> {
    let whose: Vec<String> = opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(&caller.principal, &whose, endpoint)
        .await?;
    Ok(())
}

pub(crate) async fn inbox(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    params: Result<Query<WhenParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::OwnInbox, &shared).await?;
    let Query(params) = params.map_err(crate::error::rejected)?;
    let Some(person) = caller.person() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "входящие есть только у лиц",
        ));
    };
    let when = when(params.as_of.as_deref(), params.known_at.as_deref())?;
    json_of(shared.app.inbox(person, when).await?)
}

pub(crate) async fn trail(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(id): Path<String>,
    params: Result<Query<WhenParams>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    let Query(params) = params.map_err(crate::error::rejected)?;
    let when = when(params.as_of.as_deref(), params.known_at.as_deref())?;
    json_of(scoped_trail(&shared, &caller, &id, when, "GET /api/documents/{id}/trail").await?)
}

/// A document's trail as `caller` may see it: refused outside their scope, sealed for an
/// auditor, and for everyone else the names it opens journaled under `endpoint` (its `{id}`
/// replaced by the document's).
pub(crate) async fn scoped_trail(
    shared: &Shared,
    caller: &Caller,
    id: &str,
    when: When,
    endpoint: &str,
) -> Result<Trail, ApiError> {
    caller.require(Access::Documents, shared).await?;
    let document = DocumentId::parse(id).map_err(|e| bad(e.code(), e.to_string()))?;
    let Some(association) = shared.app.association_of_document(document).await? else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("документ {document} не найден"),
        ));
    };
    let sees = match caller.principal.kind {
        AccountKind::Operator | AccountKind::Auditor => true,
        AccountKind::Person => caller
            .standing(shared)
            .await?
            .is_some_and(|s| s.sees_association(&association)),
    };
    if !sees {
        tracing::warn!(login = %caller.principal.login, %document, "trail refused by scope");
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "документ не относится к вашим объединениям",
        ));
    }
    let trail = shared.app.trail(document, when).await?;
    if caller.principal.kind == AccountKind::Auditor {
        // an auditor sees the history, not the people's personal data
        return Ok(trail.sealed());
    }
    let endpoint = endpoint.replace("{id}", &document.to_string());
    journal(shared, caller, &trail.opened_persons(), &endpoint).await?;
    Ok(trail)
}
