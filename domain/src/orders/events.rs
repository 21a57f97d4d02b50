//! The orders' event: an order (приказ, распоряжение) issued by a body, on `order-<id>`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, MunicipalityId, OrderId, PersonId};
use crate::values::{BodyKind, OrderKind};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderIssued {
    pub order: OrderId,
    pub municipality: MunicipalityId,
    pub issuer: BodyId,
    pub issuer_kind: BodyKind,
    pub kind: OrderKind,
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
    /// What the order decides, item by item, in its own words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decides: Vec<String>,
    /// Who signed it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<PersonId>,
}
