//! Roles' events: heads, secretaries and curators appointed by order or elected by a vote,
//! deputies designated by order (on the association's stream), and the nomination a document
//! puts forward.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, BodyId, MeetingId, OrderId, PersonId};
use crate::values::AssociationRole;

/// An open vote at a meeting (000 §4.3; 003 §7.4–7.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub meeting: MeetingId,
    /// The members present who voted.
    pub present: Vec<PersonId>,
    pub votes_for: u32,
    pub against: u32,
    pub abstained: u32,
}

/// Checks a vote's arithmetic; the majority rule is the caller's (it depends on the profile).
pub fn vote_adds_up(vote: &Vote) -> bool {
    u64::from(vote.votes_for) + u64::from(vote.against) + u64::from(vote.abstained)
        == vote.present.len() as u64
}

/// A council's review of a candidate before the order (000 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilReview {
    pub council: BodyId,
    pub protocol_number: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadAppointed {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    /// The last day of the term: the end of the school year where the role is filled every
    /// year (000 §4.2), none where it is held until someone else is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    pub order: OrderId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadElected {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    /// The last day of the term: the end of the school year where the role is filled every
    /// year (000 §4.2), none where it is held until someone else is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    pub vote: Vote,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CuratorAppointed {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    /// The last day of the term: the end of the school year where the role is filled every
    /// year (000 §4.2), none where it is held until someone else is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    pub order: OrderId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecretaryElected {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    /// The last day of the term: the end of the school year where the role is filled every
    /// year (000 §4.2), none where it is held until someone else is chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    pub vote: Vote,
}

/// A deputy acts for a head or curator until a day, by order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeputyDesignated {
    pub association: AssociationId,
    pub role: AssociationRole,
    pub deputy: PersonId,
    pub until: NaiveDate,
    pub order: OrderId,
}

/// A candidate for a role, put forward through an approval chain that ends in the order
/// appointing them (000 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomination {
    pub role: AssociationRole,
    pub person: PersonId,
}
