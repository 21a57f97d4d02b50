//! Associations' commands: created, reorganized, liquidated by order, and a district association
//! linked to the city association of its subject.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::events::CouncilReview;
use crate::ids::{AssociationId, DistrictId, OrderId, OrganizationId};
use crate::values::{AssociationKind, GroupMembership, Level, Subject};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateAssociation {
    pub association: AssociationId,
    pub title: String,
    pub subject: Subject,
    pub level: Level,
    pub kind: AssociationKind,
    #[serde(default)]
    pub group_membership: Option<GroupMembership>,
    #[serde(default)]
    pub district: Option<DistrictId>,
    #[serde(default)]
    pub organization: Option<OrganizationId>,
    pub order: OrderId,
    /// The council's review before the order, where the profile asks for one (000 §1.4).
    #[serde(default)]
    pub review: Option<CouncilReview>,
    /// The municipal institution that curates it (003 §I.4).
    #[serde(default)]
    pub curating_organization: Option<OrganizationId>,
    /// For a temporary association (004 §8: a working group), the last day of its term.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// For a temporary association, the task it is created for (004 §8).
    #[serde(default)]
    pub task: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReorganizeAssociation {
    pub association: AssociationId,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub subject: Option<Subject>,
    #[serde(default)]
    pub kind: Option<AssociationKind>,
    pub order: OrderId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LiquidateAssociation {
    pub association: AssociationId,
    pub order: OrderId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkDistrictAssociation {
    pub city_association: AssociationId,
    pub district_association: AssociationId,
}

/// The list of the district associations for a school year, approved by the order of the
/// district's department (000 §7.4), in accordance with the list of city associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveAssociationList {
    pub municipality: crate::ids::MunicipalityId,
    pub district: crate::ids::DistrictId,
    pub school_year: crate::calendar::SchoolYear,
    pub order: OrderId,
    pub associations: Vec<AssociationId>,
}
