//! «Вход», logging out, the home address and the embedded assets.

use std::net::SocketAddr;
use std::sync::Arc;

use app::AccountKind;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use serde::Deserialize;
use web::LoginPage;

use super::{failed, html, redirect};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::handlers::session::{retry_after, session_cookie, SESSION_SECONDS};
use crate::shared::Shared;

/// `GET /`: the inbox of whoever is logged in, «Вход» otherwise.
pub(crate) async fn index(caller: Result<Caller, ApiError>) -> Response {
    match caller {
        Ok(caller) if caller.principal.kind == AccountKind::Person => redirect("/inbox"),
        // the operator and the auditor: the log
        Ok(_) => redirect("/journal"),
        Err(_) => redirect("/login"),
    }
}

/// `GET /login`.
pub(crate) async fn login_page() -> Response {
    html(
        LoginPage {
            login: String::new(),
            error: None,
        }
        .render_page(),
    )
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    login: String,
    password: String,
}

/// `POST /login`: the form of «Вход»; a failure shows the form again with why.
pub(crate) async fn login_form(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    // a login from another site would log the browser in as someone else
    if let Err(e) = crate::auth::check_same_origin(&axum::http::Method::POST, &headers) {
        return failed(e);
    }
    match shared
        .app
        .login(&form.login, &form.password, &client.ip().to_string())
        .await
    {
        Ok(session) => {
            let mut response = redirect("/");
            response.headers_mut().insert(
                SET_COOKIE,
                session_cookie(&session.token, SESSION_SECONDS, shared.secure_cookies),
            );
            response
        }
        Err(e) => {
            let retry = retry_after(&e);
            let e = ApiError::from(e);
            let error = match retry {
                Some(seconds) => format!("{} Повторите через {seconds} с.", e.message),
                None => e.message,
            };
            let page = LoginPage {
                login: form.login,
                error: Some(error),
            };
            (e.status, html(page.render_page())).into_response()
        }
    }
}

/// `POST /logout`: ends the session on the server, then «Вход».
pub(crate) async fn logout_form(
    State(shared): State<Arc<Shared>>,
    caller: Result<Caller, ApiError>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return failed(e),
    };
    if let Some(session) = &caller.session {
        if let Err(e) = shared.app.logout(session).await {
            return failed(e.into());
        }
    }
    let mut response = redirect("/login");
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie("", 0, shared.secure_cookies));
    response
}

/// `GET /assets/{name}`: an embedded asset.
pub(crate) async fn asset(Path(name): Path<String>) -> Response {
    match web::assets::asset(&name) {
        Some(asset) => {
            let mut response = asset.body.into_response();
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
            response.headers_mut().insert(
                CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => failed(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            &format!("нет файла «{name}»"),
        )),
    }
}
