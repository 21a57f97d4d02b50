//! «Объединение»: one association at a date on both axes, in the caller's scope.

use std::sync::Arc;

use app::AccountKind;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::ids::AssociationId;
use web::AssociationPage;

use super::{asked_at, failed, nav, page_or_file, require_sees, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// `GET /associations/{id}`: «Объединение» — for whoever sees the association (its members,
/// heads and curators, the city head of its subject, the department and the center), the
/// operator, and the auditor (names sealed). Names opened are journaled.
pub(crate) async fn association_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Path(id): Path<String>,
    Query(params): Query<PageParams>,
) -> Response {
    match association_of(&shared, caller, &id, &params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn association_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    id: &str,
    params: &PageParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Documents, shared).await?;
    let association = AssociationId::parse(id)
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.code(), &e.to_string()))?;
    require_sees(
        shared,
        &caller,
        &association,
        "объединение не относится к вашим",
    )
    .await?;
    let travel = time_travel(params, &format!("/associations/{id}"))?;
    let open_names = caller.principal.kind != AccountKind::Auditor;
    let answer = shared
        .app
        .association(association, asked_at(&travel), open_names)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                &format!("объединения {association} на эту дату нет"),
            )
        })?;
    let whose: Vec<String> = answer.opened.iter().map(ToString::to_string).collect();
    shared
        .app
        .record_access(
            &caller.principal,
            &whose,
            &format!("GET /associations/{association}"),
        )
        .await?;
    let what = [
        answer.level.as_str(),
        answer.subject.as_str(),
        answer.district.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    let page = AssociationPage {
        nav: nav(shared, &caller).await?,
        when: travel,
        title: answer.title,
        what,
        school_year: answer.school_year.to_string(),
        roles: answer
            .roles
            .into_iter()
            .map(|r| {
                let holder = r.name.unwrap_or_else(|| format!("person:{}", r.person));
                (r.role, holder, r.school_year.to_string())
            })
            .collect(),
        members: answer.members,
        member_names: answer
            .member_names
            .iter()
            .map(|(person, name)| name.clone().unwrap_or_else(|| format!("person:{person}")))
            .collect(),
        meetings: answer
            .meetings
            .into_iter()
            .map(|m| {
                (
                    m.meeting.to_string(),
                    web::format::date(m.date),
                    m.state,
                    m.attendance,
                    m.protocol_number.unwrap_or_default(),
                )
            })
            .collect(),
        documents: answer
            .documents
            .into_iter()
            .map(|d| (d.document.to_string(), d.title, d.document_type, d.state))
            .collect(),
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "association",
    ))
}
