//! Roles' commands: heads and curators appointed by order, heads and secretaries elected by a
//! vote, deputies designated by order.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::events::{CouncilReview, Vote};
use crate::ids::{AssociationId, OrderId, PersonId};
use crate::values::AssociationRole;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointHead {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub order: OrderId,
    #[serde(default)]
    pub review: Option<CouncilReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectHead {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub vote: Vote,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointCurator {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub order: OrderId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElectSecretary {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub vote: Vote,
}

/// A deputy acts for the head or curator until a day, by order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesignateDeputy {
    pub association: AssociationId,
    pub role: AssociationRole,
    pub deputy: PersonId,
    pub until: NaiveDate,
    pub order: OrderId,
}
