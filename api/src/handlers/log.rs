//! The log itself: its events paged by position, the verification of its chain, and the
//! journal of openings of personal data.

use std::sync::Arc;

use app::EventsPage;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use store::Verification;

use crate::auth::Access;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

/// The most events one page gives.
const MAX_PAGE: usize = 1_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Page {
    from: Option<u64>,
    limit: Option<usize>,
}

pub(crate) async fn events(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    page: Result<Query<Page>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::Log, &shared).await?;
    let Query(page) = page.map_err(crate::error::rejected)?;
    let from = page.from.unwrap_or(1).max(1);
    let limit = page.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let events = shared
        .app
        .events(&EventsPage {
            stream: None,
            from,
            limit,
        })
        .await?;
    let next = events.last().map(|e| e.position + 1);
    // Payloads as stored — personal fields are ciphertext; nothing is opened here — but as
    // JSON, not as strings holding JSON: the shape `metod events --format json` prints.
    let events = events
        .iter()
        .map(event_json)
        .collect::<Result<Vec<Value>, ApiError>>()?;
    Ok(Json(json!({ "events": events, "next": next })))
}

fn event_json(event: &store::RecordedEvent) -> Result<Value, ApiError> {
    let unreadable = |e: serde_json::Error| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &format!("событие {}: {e}", event.position),
        )
    };
    let mut value = serde_json::to_value(event).map_err(unreadable)?;
    value["payload"] = serde_json::from_str(&event.payload).map_err(unreadable)?;
    Ok(value)
}

pub(crate) async fn verify(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::Authenticated, &shared).await?;
    Ok(Json(match shared.app.verify().await? {
        Verification::Intact { events, head } => json!({
            "intact": true,
            "events": events,
            "head": hex::encode(head),
        }),
        Verification::Broken { position, reason } => json!({
            "intact": false,
            "position": position,
            "reason": reason,
        }),
    }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Whose {
    person: Option<String>,
}

pub(crate) async fn access_journal(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    whose: Result<Query<Whose>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::AccessJournal, &shared).await?;
    let Query(whose) = whose.map_err(crate::error::rejected)?;
    let entries = shared.app.access_journal(whose.person.as_deref()).await?;
    serde_json::to_value(entries).map(Json).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &e.to_string(),
        )
    })
}

/// The checkpoints signed for auditors, oldest first.
pub(crate) async fn checkpoints(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::Log, &shared).await?;
    let kept = shared.app.signed_checkpoints().await?;
    serde_json::to_value(kept).map(Json).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "render_failed",
            &e.to_string(),
        )
    })
}

/// A document's offline audit bundle against the newest checkpoint: the three files of
/// `metod audit prove` as one JSON object (`bundle`, `checkpoint`, `verifier_key`).
pub(crate) async fn bundle(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require(Access::Log, &shared).await?;
    let document = domain::ids::DocumentId::parse(&id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
    let proved = shared.app.prove(document, None, None).await?;
    Ok(Json(json!({
        "bundle": proved.bundle,
        "checkpoint": proved.note,
        "verifier_key": proved.verifier_key,
        "bases_not_in_log": proved.bases_not_in_log,
    })))
}
