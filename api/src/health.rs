//! `/healthz` (the process answers) and `/readyz` (the store answers and the read models have
//! caught up once): what a load balancer asks before sending people here.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::shared::Shared;

pub(crate) async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub(crate) async fn readyz(State(shared): State<Arc<Shared>>) -> (StatusCode, Json<Value>) {
    let store = match shared.app.store().await {
        Ok(store) => store,
        Err(e) => return not_ready(e.code(), &e.to_string()),
    };
    if let Err(e) = store.last_position().await {
        return not_ready(e.code(), &e.to_string());
    }
    if !shared.background.caught_up() {
        return not_ready(
            "read_models_catching_up",
            "модели чтения ещё догоняют журнал",
        );
    }
    (StatusCode::OK, Json(json!({ "status": "ready" })))
}

fn not_ready(code: &str, message: &str) -> (StatusCode, Json<Value>) {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({ "status": "not_ready", "code": code, "message": message })),
    )
}
