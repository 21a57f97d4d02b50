//! Every route of the server and who may call it: one table drives the router, the OpenAPI
//! document and the tests that go through it row by row. A path the table does not list
//! does not exist (a JSON 404).

use std::sync::Arc;

use app::App;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::background::Background;
use crate::error::{json_failures, not_found};
use crate::handlers::{answers, commands, log, personal_data, session};
use crate::{health, openapi};

/// The largest request body accepted (issue 19: 1 MiB, else 413).
const BODY_LIMIT: usize = 1 << 20;

/// What every handler shares.
pub(crate) struct Shared {
    pub app: App,
    pub background: Arc<Background>,
    /// Whether the session cookie is marked `Secure` (served over TLS by a proxy in front).
    pub secure_cookies: bool,
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not: health, readiness, login, the OpenAPI document.
    Public,
    /// Any logged-in account.
    Authenticated,
    /// Accounts that act: persons (in the roles the rules find on the date) and the operator;
    /// an auditor only reads.
    Acting,
    /// A person's own inbox.
    OwnInbox,
    /// The oversight questions: officials of the education department and the methodical
    /// center.
    Oversight,
    /// A document's trail: the department and the center, the operator, the auditor (personal
    /// data sealed), and persons whose associations it belongs to or to whose city
    /// association's subject.
    Documents,
    /// The log itself: the operator and the auditor.
    Log,
    /// The journal of openings of personal data (152-FZ): officials of the department.
    AccessJournal,
}

/// One row of the table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
    /// What it does, for the OpenAPI document.
    pub summary: &'static str,
    /// Its query parameters.
    pub query: &'static [&'static str],
}

const WHEN: &[&str] = &["as_of", "known_at"];

/// The role table.
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    Route { method: "GET", path: "/healthz", access: Access::Public, summary: "The process answers", query: &[] },
    Route { method: "GET", path: "/readyz", access: Access::Public, summary: "The store answers and the read models have caught up", query: &[] },
    Route { method: "GET", path: "/api/openapi.json", access: Access::Public, summary: "This API, OpenAPI 3.1", query: &[] },
    Route { method: "POST", path: "/api/login", access: Access::Public, summary: "Log in: {login, password}; sets the session cookie", query: &[] },
    Route { method: "POST", path: "/api/logout", access: Access::Authenticated, summary: "End this session on the server", query: &[] },
    Route { method: "GET", path: "/api/me", access: Access::Authenticated, summary: "Who is logged in, and their standing today", query: &[] },
    Route { method: "POST", path: "/api/commands", access: Access::Acting, summary: "Record one command (docs/commands.md); the actor is the logged-in account", query: &[] },
    Route { method: "GET", path: "/api/query/{name}", access: Access::Oversight, summary: "An oversight question at a point of both time axes, as JSON or CSV", query: &["as_of", "known_at", "district", "subject", "format"] },
    Route { method: "GET", path: "/api/inbox", access: Access::OwnInbox, summary: "What waits for the logged-in person", query: WHEN },
    Route { method: "GET", path: "/api/documents/{id}/trail", access: Access::Documents, summary: "A document's full history and whether the chain verifies", query: WHEN },
    Route { method: "GET", path: "/api/events", access: Access::Log, summary: "The log, paged by position", query: &["from", "limit"] },
    Route { method: "GET", path: "/api/verify", access: Access::Authenticated, summary: "Recompute the hash chain of the log", query: &[] },
    Route { method: "GET", path: "/api/access-journal", access: Access::AccessJournal, summary: "Who opened whose personal data, when, where", query: &["person"] },
    Route { method: "GET", path: "/api/audit/checkpoints", access: Access::Log, summary: "The checkpoints of the log signed for auditors", query: &[] },
    Route { method: "GET", path: "/api/documents/{id}/bundle", access: Access::Log, summary: "A document's offline audit bundle against the newest checkpoint (docs/audit.md)", query: &[] },
    Route { method: "POST", path: "/api/personal-data/erase", access: Access::Acting, summary: "Order the destruction of a person's personal data: {person, ground, effective?, order?}", query: &[] },
    Route { method: "GET", path: "/api/personal-data/{person}/act", access: Access::Acting, summary: "The act of destruction and its log extract (Roskomnadzor order No. 179)", query: &["format"] },
];

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
