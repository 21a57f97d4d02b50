//! «Журнал»: the log itself, paged, and whether the chain verifies.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use web::{JournalPage, LogRow};

use super::{failed, nav, page_or_file, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

#[derive(Deserialize, Default)]
pub(crate) struct JournalParams {
    from: Option<u64>,
    limit: Option<usize>,
    format: Option<String>,
    table: Option<String>,
    /// The log as it stood: events in effect by `as_of`, recorded by `known_at`.
    as_of: Option<String>,
    known_at: Option<String>,
}

/// `GET /journal`: «Журнал» — the log paged by position, and whether the chain verifies, for
/// the operator and the auditor.
pub(crate) async fn journal_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Query(params): Query<JournalParams>,
) -> Response {
    match journal_of(&shared, caller, params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn journal_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    params: JournalParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Log, shared).await?;
    let limit = params.limit.unwrap_or(50).clamp(1, 1_000);
    let from = params.from.unwrap_or(1).max(1);
    let dates = PageParams {
        as_of: params.as_of.clone(),
        known_at: params.known_at.clone(),
        ..PageParams::default()
    };
    let travel = time_travel(&dates, "/journal")?;
    let events = shared
        .app
        .events(&app::EventsPage {
            stream: None,
            from,
            limit,
        })
        .await?;
    let verification = shared.app.verify_since_last().await?;
    let (verifies, verification) = match verification {
        store::Verification::Intact { events, head } => (
            true,
            format!("событий {events}, последний хеш {}", hex_of(&head)),
        ),
        store::Verification::Broken { position, reason } => {
            (false, format!("позиция {position}: {reason}"))
        }
    };
    let next = (events.len() == limit).then(|| from + limit as u64);
    // the past: what was in effect by the date and recorded by the moment asked
    let rows = events
        .iter()
        .filter(|e| travel.as_of.is_none_or(|d| e.effective <= d))
        .filter(|e| travel.known_at.is_none_or(|t| e.recorded_at <= t))
        .map(|e| LogRow {
            position: e.position,
            stream: e.stream.to_string(),
            event_type: e.event_type.clone(),
            effective: web::format::date(e.effective),
            recorded: web::format::moment(e.recorded_at),
            actor: e.actor.id.clone(),
            role: web::format::role(&e.actor.role),
            hash: hex_of(&e.hash),
        })
        .collect();
    let page = JournalPage {
        nav: nav(shared, &caller).await?,
        rows,
        verifies,
        verification,
        previous: (from > 1).then(|| from.saturating_sub(limit as u64).max(1)),
        next,
        limit,
        from,
        when: travel,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "journal",
    ))
}

fn hex_of(hash: &[u8]) -> String {
    hex::encode(hash)
}
