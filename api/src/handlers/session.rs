//! Logging in and out, and who is logged in.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, State};
use axum::http::header::{RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Access;
use crate::auth::{Caller, SESSION_COOKIE};
use crate::error::ApiError;
use crate::shared::Shared;

/// The absolute lifetime of a session (issue 19: 12 hours); the cookie lives as long.
pub(crate) const SESSION_SECONDS: u64 = 12 * 60 * 60;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Credentials {
    login: String,
    password: String,
}

pub(crate) fn session_cookie(token: &str, max_age: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(crate) async fn login(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    // a login from another site would log the browser in as someone else
    crate::auth::check_same_origin(&axum::http::Method::POST, &headers)?;
    let credentials: Credentials = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            &format!("неверный JSON: {e}"),
        )
    })?;
    let session = match shared
        .app
        .login(
            &credentials.login,
            &credentials.password,
            &client.ip().to_string(),
        )
        .await
    {
        Ok(session) => session,
        Err(e) => {
            let retry = retry_after(&e);
            let mut response = ApiError::from(e).into_response();
            if let Some(seconds) = retry {
                if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                    response.headers_mut().insert(RETRY_AFTER, value);
                }
            }
            return Ok(response);
        }
    };
    let mut response = Json(json!({
        "principal": session.principal,
        "idle_expires_at": session.idle_expires_at,
        "absolute_expires_at": session.absolute_expires_at,
    }))
    .into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        session_cookie(&session.token, SESSION_SECONDS, shared.secure_cookies),
    );
    Ok(response)
}

/// For a throttled login, the seconds until the next try.
pub(crate) fn retry_after(e: &app::AppError) -> Option<i64> {
    match e {
        app::AppError::Account(app::AccountError::LoginThrottled { seconds, .. }) => {
            Some((*seconds).max(1))
        }
        _ => None,
    }
}

pub(crate) async fn logout(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Response, ApiError> {
    caller.require(Access::Authenticated, &shared).await?;
    if let Some(session) = &caller.session {
        shared.app.logout(session).await?;
    }
    let mut response = Json(json!({ "status": "logged_out" })).into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie("", 0, shared.secure_cookies));
    Ok(response)
}

pub(crate) async fn me(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
) -> Result<Json<serde_json::Value>, ApiError> {
    caller.require(Access::Authenticated, &shared).await?;
    let standing = caller.standing(&shared).await?;
    Ok(Json(json!({
        "principal": caller.principal,
        "oversees_municipality": standing.as_ref().is_some_and(|s| s.oversees_municipality()),
        "associations": standing.map(|s| s.visible.into_iter().map(|a| a.to_string()).collect::<Vec<_>>()),
    })))
}
