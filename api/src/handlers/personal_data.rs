//! Personal data (152-FZ) through the API: ordering an erasure, and the act of destruction
//! with its log extract — the same use cases as `metod personal-data`, the actor the
//! logged-in account; who may is the rules' (the operator of personal data).

use std::sync::Arc;

use app::{AccountKind, ErasureBasis, ErasureGround, ErasureOrder};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use domain::ids::PersonId;
use domain::Acting;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Access;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::shared::Shared;

fn bad(code: &'static str, message: String) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, code, &message)
}

/// The account as the one who orders: a person in their role, or the operator.
fn acting(caller: &Caller) -> Result<Acting, ApiError> {
    match (caller.principal.kind, caller.principal.person) {
        (AccountKind::Operator, _) => Ok(Acting::Operator),
        (AccountKind::Person, Some(person)) => Ok(Acting::Person(person)),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "эта учётная запись не действует",
        )),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Erase {
    person: String,
    /// `consent-withdrawn`, `purpose-achieved` or `retention-expired`.
    ground: String,
    /// Today when absent.
    effective: Option<NaiveDate>,
    order: Option<Order>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Order {
    number: String,
    date: NaiveDate,
    issuer: String,
}

const GROUNDS: [ErasureGround; 3] = [
    ErasureGround::ConsentWithdrawn,
    ErasureGround::PurposeAchieved,
    ErasureGround::RetentionExpired,
];

pub(crate) async fn erase(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    caller.require(Access::Acting, &shared).await?;
    let acting = acting(&caller)?;
    let erase: Erase = serde_json::from_slice(&body)
        .map_err(|e| bad("invalid_json", format!("неверный JSON: {e}")))?;
    let person = PersonId::parse(&erase.person).map_err(|e| bad(e.code(), e.to_string()))?;
    let ground = GROUNDS
        .into_iter()
        .find(|g| g.name() == erase.ground)
        .ok_or_else(|| {
            bad(
                "unknown_erasure_ground",
                format!(
                    "основание «{}» не известно: consent-withdrawn, purpose-achieved или retention-expired",
                    erase.ground
                ),
            )
        })?;
    let effective = match erase.effective {
        Some(day) => day,
        None => shared.app.today()?,
    };
    let order = ErasureOrder {
        person,
        ground,
        effective,
        acting,
        basis: erase.order.map(|o| ErasureBasis {
            number: o.number,
            date: o.date,
            issuer: o.issuer,
        }),
    };
    let event = shared.app.erase_personal_data(order).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "position": event.position,
            "stream": event.stream,
            "event_type": event.event_type,
            "effective": event.effective,
            "actor": event.actor,
        })),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActFormat {
    /// `text` (the default) or `html`.
    format: Option<String>,
}

pub(crate) async fn act(
    State(shared): State<Arc<Shared>>,
    caller: Caller,
    Path(person): Path<String>,
    format: Result<Query<ActFormat>, QueryRejection>,
) -> Result<Response, ApiError> {
    caller.require(Access::Acting, &shared).await?;
    let Query(format) = format.map_err(crate::error::rejected)?;
    let html = match format.format.as_deref() {
        None | Some("text") => false,
        Some("html") => true,
        Some(other) => {
            return Err(bad(
                "invalid_format",
                format!("format «{other}»: нужен text или html"),
            ))
        }
    };
    let person = PersonId::parse(&person).map_err(|e| bad(e.code(), e.to_string()))?;
    let issued = shared.app.destruction_act(person, acting(&caller)?).await?;
    Ok(if html {
        ([(CONTENT_TYPE, "text/html; charset=utf-8")], issued.html()).into_response()
    } else {
        ([(CONTENT_TYPE, "text/plain; charset=utf-8")], issued.text).into_response()
    })
}
