//! Development's command: a member's step of professional growth.

use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, PersonId};
use crate::values::DevelopmentMilestone;

/// A member's step of professional growth, for the indicators (001 §4.1.2–4.1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDevelopment {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub milestone: DevelopmentMilestone,
}
