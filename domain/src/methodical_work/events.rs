//! Events of the municipal methodical work (004 §8–§10): programmes on their teacher's
//! stream, monitorings on the municipality's.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{MunicipalityId, OrderId, OrganizationId, PersonId};

/// A teacher's individual programme of continuous professional education for a school year,
/// recorded by the administration of `organization`, where the teacher worked on the day
/// (004 §8; §9 2)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndividualProgrammeRecorded {
    pub person: PersonId,
    pub organization: OrganizationId,
    pub school_year: SchoolYear,
    pub title: String,
}

/// The municipal methodical service coordinated the programme (004 §8; §9 1)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndividualProgrammeCoordinated {
    pub person: PersonId,
    pub school_year: SchoolYear,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A monitoring of the effectiveness of methodical work for a school year, under the road
/// map of the municipal system of quality assessment (004 §10): the order approving the road
/// map, its number and date as the order gives them, and the findings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectivenessMonitoringRecorded {
    pub municipality: MunicipalityId,
    pub school_year: SchoolYear,
    pub road_map_order: OrderId,
    pub road_map_number: String,
    pub road_map_date: NaiveDate,
    pub findings: String,
}
