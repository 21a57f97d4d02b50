//! Commands of the municipal methodical work (004 §8–§10).

use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{MunicipalityId, OrderId, PersonId};

/// Records a teacher's individual programme of continuous professional education for a
/// school year (004 §8; §9 2): the organizations help draw up the individual plan of
/// professional development), by the administration of the organization the teacher works at
/// on the day — its director or a deputy head — or the operator from paper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordIndividualProgramme {
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub title: String,
}

/// Records that the municipal methodical service coordinated a teacher's programme of the
/// school year (004 §8; §9 1): «координирует реализацию индивидуальных программ»), by an
/// official of the body the profile names, or the operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoordinateIndividualProgramme {
    pub person: PersonId,
    pub school_year: SchoolYear,
    #[serde(default)]
    pub note: Option<String>,
}

/// Records a monitoring of the effectiveness of methodical work for a school year, carried
/// out under the road map of the municipal system of quality assessment, cited by the order
/// that approved it (004 §10), with its findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordEffectivenessMonitoring {
    pub municipality: MunicipalityId,
    pub school_year: SchoolYear,
    /// The order approving the road map (an order recorded in the log).
    pub road_map_order: OrderId,
    pub findings: String,
}
