//! `POST /api/commands`: one command of `docs/commands.md`, recorded by the logged-in
//! account — whatever the body says, the actor is the account's person or the operator.
//! One command a request, so that a refusal writes nothing; its `command_id` makes a retry
//! safe.

use std::sync::Arc;

use app::AccountKind;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use domain::Acting;
use serde_json::{json, Value};

use crate::auth::Access;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

pub(crate) async fn record(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(Access::Acting, &shared).await?;
    let acting = match (caller.principal.kind, caller.principal.person) {
        (AccountKind::Operator, _) => Acting::Operator,
        (AccountKind::Person, Some(person)) => Acting::Person(person),
        _ => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "forbidden",
                "эта учётная запись не действует",
            ))
        }
    };
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "тело запроса не в UTF-8",
        )
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            &format!("неверный JSON: {e}"),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "one_command_per_request",
            "в запросе должна быть одна команда (объект JSON)",
        ));
    }
    let recorded = shared.app.record(acting, text).await?;
    if let Some(stopped) = recorded.stopped {
        return Err(stopped.error.into());
    }
    let events: Vec<Value> = recorded
        .events
        .iter()
        .map(|e| {
            json!({
                "position": e.position,
                "stream": e.stream,
                "version": e.version,
                "event_type": e.event_type,
                "effective": e.effective,
                "recorded_at": e.recorded_at,
                "actor": e.actor,
                "hash": hex::encode(e.hash),
            })
        })
        .collect();
    Ok((StatusCode::CREATED, Json(json!({ "events": events }))))
}
