//! Every route of the server and who may call it. A route not listed here does not exist (a
//! JSON 404); each listed one names its access rule, and the tests go through this table
//! row by row.

use std::sync::Arc;

use app::App;
use axum::routing::get;
use axum::Router;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::trace::TraceLayer;

use crate::background::Background;
use crate::error::not_found;
use crate::health;

/// The largest request body accepted (issue 19: 1 MiB, else 413).
const BODY_LIMIT: usize = 1 << 20;

/// What every handler shares.
pub(crate) struct Shared {
    pub app: App,
    pub background: Arc<Background>,
}

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not: health and readiness only.
    Public,
}

/// The role table: method, path, access.
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/healthz", Access::Public),
    ("GET", "/readyz", Access::Public),
];

pub(crate) fn router(app: App, background: Arc<Background>) -> Router {
    let shared = Arc::new(Shared { app, background });
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(not_found)
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TraceLayer::new_for_http())
        .with_state(shared)
}
