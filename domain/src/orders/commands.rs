//! Orders' command: an order issued by a body.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, MunicipalityId, OrderId, PersonId};
use crate::values::OrderKind;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueOrder {
    pub order: OrderId,
    pub municipality: MunicipalityId,
    pub issuer: BodyId,
    pub kind: OrderKind,
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub decides: Vec<String>,
    #[serde(default)]
    pub signed_by: Option<PersonId>,
}
