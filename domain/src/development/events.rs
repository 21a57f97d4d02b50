//! The development record's event: a member's step of professional growth, on the
//! association's stream (001 §4.1.2–4.1.3).

use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, PersonId};
use crate::values::DevelopmentMilestone;

/// A member's step of professional growth, recorded by the association for the
/// effectiveness indicators (001 §4.1.2–4.1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentRecorded {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub milestone: DevelopmentMilestone,
}
