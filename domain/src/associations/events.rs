//! The associations' events: created, reorganized and liquidated by order, and a district
//! association linked to the city association of its subject; on `association-<id>`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{AssociationId, DistrictId, MunicipalityId, OrderId, OrganizationId};
use crate::roles::events::CouncilReview;
use crate::values::{AssociationKind, GroupMembership, Level, Subject};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationCreated {
    pub association: AssociationId,
    pub municipality: MunicipalityId,
    pub title: String,
    pub subject: Subject,
    pub level: Level,
    pub kind: AssociationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_membership: Option<GroupMembership>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationId>,
    pub order: OrderId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
    /// The municipal institution that curates it, as the creating order names it
    /// (003 §I.4); its head's order appoints the curator (003 §7.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub curating_organization: Option<OrganizationId>,
    /// A temporary association's last day (004 §8: a working group): after it the
    /// association admits no one and holds no meeting, and the read models end it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
    /// The task a temporary association is created for (004 §8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationReorganized {
    pub association: AssociationId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Subject>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AssociationKind>,
    pub order: OrderId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationLiquidated {
    pub association: AssociationId,
    pub order: OrderId,
}

/// Recorded on the city association's stream: a district association of the same subject
/// belongs to it (000 §1.5, §4.1; 003 §7.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictAssociationLinked {
    pub city_association: AssociationId,
    pub district_association: AssociationId,
}

/// The list of a district's associations approved for a school year (000 §7.4), on the
/// municipality's stream; the day is the event's effective day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationListApproved {
    pub municipality: crate::ids::MunicipalityId,
    pub district: crate::ids::DistrictId,
    pub school_year: crate::calendar::SchoolYear,
    pub order: OrderId,
    pub associations: Vec<AssociationId>,
}
