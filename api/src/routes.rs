//! The router, built from the role table (`table.rs`) and nothing else: a path the table
//! does not list does not exist (a JSON 404).

use std::sync::Arc;

use app::App;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::background::Background;
use crate::error::{json_failures, not_found};
use crate::handlers::{answers, commands, log, pages, personal_data, session};
use crate::shared::Shared;
use crate::table::{Route, ROUTES};
use crate::{health, openapi};

/// The largest request body accepted (issue 19: 1 MiB, else 413).
const BODY_LIMIT: usize = 1 << 20;

/// The handler of a row of the table.
fn handler(route: &Route) -> MethodRouter<Arc<Shared>> {
    match (route.method, route.path) {
        ("GET", "/healthz") => get(health::healthz),
        ("GET", "/readyz") => get(health::readyz),
        ("GET", "/api/openapi.json") => get(openapi::document),
        ("POST", "/api/login") => post(session::login),
        ("POST", "/api/logout") => post(session::logout),
        ("GET", "/api/me") => get(session::me),
        ("POST", "/api/commands") => post(commands::record),
        ("GET", "/api/query/{name}") => get(answers::query),
        ("GET", "/api/inbox") => get(answers::inbox),
        ("GET", "/api/documents/{id}/trail") => get(answers::trail),
        ("GET", "/api/events") => get(log::events),
        ("GET", "/api/verify") => get(log::verify),
        ("GET", "/api/access-journal") => get(log::access_journal),
        ("GET", "/api/audit/checkpoints") => get(log::checkpoints),
        ("GET", "/api/documents/{id}/bundle") => get(log::bundle),
        ("POST", "/api/personal-data/erase") => post(personal_data::erase),
        ("GET", "/api/personal-data/{person}/act") => get(personal_data::act),
        ("GET", "/") => get(pages::index),
        ("GET", "/login") => get(pages::login_page),
        ("POST", "/login") => post(pages::login_form),
        ("POST", "/logout") => post(pages::logout_form),
        ("GET", "/inbox") => get(pages::inbox_page),
        ("GET", "/documents/{id}") => get(pages::document_page),
        ("GET", "/oversight/{name}") => get(pages::oversight_page),
        ("GET", "/oversight/{name}/export") => get(pages::oversight_export),
        ("GET", "/journal") => get(pages::journal_page),
        ("GET", "/associations/{id}") => get(pages::association_page),
        ("POST", "/documents/{id}/decide") => post(pages::decide_form),
        ("POST", "/documents/{id}/submit") => post(pages::submit_form),
        ("GET", "/assets/{name}") => get(pages::asset),
        ("GET", "/documents/{id}/sheet") => get(pages::approval_sheet),
        ("GET", "/regulation") => get(pages::regulation_page),
        ("GET", "/registry") => get(pages::registry_index),
        ("GET", "/registry/{form}") => get(pages::registry_page),
        ("POST", "/registry/{form}") => post(pages::registry_form),
        ("GET", "/meetings/{id}") => get(pages::meeting_page),
        ("GET", "/meetings/{id}/protocol") => get(pages::protocol_print),
        ("POST", "/meetings/{id}/draft") => post(pages::draft_form),
        ("POST", "/meetings/{id}/sign") => post(pages::sign_form),
        (method, path) => unreachable_route(method, path),
    }
}

/// A row without a handler is a mistake in this file: the server refuses to start (and the
/// tests, which start it, fail).
fn unreachable_route(method: &str, path: &str) -> MethodRouter<Arc<Shared>> {
    panic!("route {method} {path} is in the table but has no handler")
}

pub(crate) fn router(app: App, background: Arc<Background>, secure_cookies: bool) -> Router {
    let shared = Arc::new(Shared {
        app,
        background,
        secure_cookies,
    });
    let mut router = Router::new();
    for route in ROUTES {
        router = router.route(route.path, handler(route));
    }
    router
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(axum::middleware::map_response(json_failures))
        .layer(TraceLayer::new_for_http())
        .with_state(shared)
}
