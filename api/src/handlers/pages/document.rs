//! «Документ»: a document's state, route and whole history, in the trail's scope.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::Response;
use web::{DocumentPage, TrailRow};

use super::{failed, html, time_travel, PageParams};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::handlers::answers::scoped_trail;
use crate::shared::Shared;

/// `GET /documents/{id}`: «Документ» — its state, route and whole history, as the caller may
/// see it (the same scope as the API's trail; names opened are journaled).
pub(crate) async fn document_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    match document_of(&shared, caller, &id, &params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn document_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    id: &str,
    params: &PageParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    let travel = time_travel(params, &format!("/documents/{id}"))?;
    let asked = app::When {
        as_of: travel.as_of,
        known_at: travel.known_at,
    };
    let trail = scoped_trail(shared, &caller, id, asked, "GET /documents/{id}").await?;
    let rows = trail
        .entries
        .iter()
        .map(|e| TrailRow {
            position: e.position,
            what: e.what.clone(),
            who: e.actor_name.clone().unwrap_or_else(|| e.actor.clone()),
            role: e.role.clone(),
            effective: web::format::date(e.effective),
            recorded: web::format::moment(e.recorded_at),
            basis: e
                .basis
                .as_ref()
                .map(|b| {
                    let kind = match b.kind {
                        store::BasisKind::Order => "приказ",
                        store::BasisKind::Protocol => "протокол",
                    };
                    format!(
                        "{kind} № {} от {}, {}",
                        b.number,
                        web::format::date(b.date),
                        b.issuer
                    )
                })
                .unwrap_or_default(),
            comment: e.comment.clone().unwrap_or_default(),
            hash: e.hash.clone(),
        })
        .collect();
    let page = DocumentPage {
        who: caller.principal.login.clone(),
        when: travel,
        title: trail.title,
        status: trail.status,
        chain: trail.chain,
        rows,
        verifies: trail.chain_verifies,
        verification: trail.verification,
    };
    Ok(html(page.render_page()))
}
