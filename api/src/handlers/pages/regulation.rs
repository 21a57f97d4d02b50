//! «Положение»: the regulation profile of the municipality, rule by rule with its clause.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use web::RegulationPage;

use super::{asked_at, failed, nav, page_or_file, time_travel, PageParams};
use crate::auth::{Access, Caller};
use crate::error::ApiError;
use crate::shared::Shared;

/// `GET /regulation`: «Положение» — for every logged-in account, at a date on both axes (the
/// profile of the municipality registered then).
pub(crate) async fn regulation_page(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
    Query(params): Query<PageParams>,
) -> Response {
    match regulation_of(&shared, caller, &params).await {
        Ok(response) => response,
        Err(e) => failed(e),
    }
}

async fn regulation_of(
    shared: &Shared,
    caller: Result<Caller, ApiError>,
    params: &PageParams,
) -> Result<Response, ApiError> {
    let caller = caller?;
    caller.require(Access::Authenticated, shared).await?;
    let travel = time_travel(params, "/regulation")?;
    let profile = shared
        .app
        .profile_in_force(asked_at(&travel))
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_municipality",
                "на эту дату муниципалитет не зарегистрирован: положение не выбрано",
            )
        })?;
    let mut topics: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in profile.rule_lines() {
        match topics.last_mut() {
            Some((topic, rules)) if topic == line.topic => rules.push((line.rule, line.clause)),
            _ => topics.push((line.topic.to_string(), vec![(line.rule, line.clause)])),
        }
    }
    let page = RegulationPage {
        nav: nav(shared, &caller).await?,
        when: travel,
        title: profile.title.clone(),
        source: profile.source.clone(),
        profile: profile.name.clone(),
        topics,
    };
    Ok(page_or_file(
        &page,
        params.format.as_deref(),
        params.table.as_deref(),
        "regulation",
    ))
}
