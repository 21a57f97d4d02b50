//! `/api/openapi.json`: the OpenAPI 3.1 document of this API, generated from the role table,
//! so a route cannot be served without being described (and the tests check both ways).

use axum::Json;
use serde_json::{json, Map, Value};

use crate::auth::Access;
use crate::table::ROUTES;

pub(crate) async fn document() -> Json<Value> {
    Json(openapi())
}

/// The document: every route of the table with its parameters, its access in words, and the
/// error body every failure shares.
pub fn openapi() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let mut parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|part| part.strip_prefix('{').and_then(|p| p.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        parameters.extend(route.query.iter().map(|name| {
            json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } })
        }));
        let security = if route.access == Access::Public {
            json!([])
        } else {
            json!([{ "session": [] }, { "token": [] }])
        };
        let operation = json!({
            "summary": route.summary,
            "description": format!("Access: {:?}", route.access),
            "parameters": parameters,
            "security": security,
            "responses": {
                "200": { "description": "OK", "content": { "application/json": {} } },
                "default": { "description": "A failure", "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Error" } } } }
            }
        });
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| json!({}));
        if let Some(methods) = entry.as_object_mut() {
            methods.insert(route.method.to_ascii_lowercase(), operation);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "metod", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Методические объединения педагогов: журнал событий, согласование, надзор." },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE },
                "token": { "type": "http", "scheme": "bearer" }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["code", "message"],
                    "properties": {
                        "code": { "type": "string", "description": "stable, English" },
                        "message": { "type": "string", "description": "in Russian" },
                        "clause": { "type": "string", "description": "the clause of the rule that refused" }
                    }
                }
            }
        }
    })
}
