//! The registry's events: on the stream `municipality-<id>` the municipality, its districts,
//! organizations, bodies and officials; on `person-<id>` a person's registration, category and
//! transfers.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use crate::values::{BodyKind, Category, Office, OrganizationKind, PositionKind, Sealed, Subject};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityRegistered {
    pub municipality: MunicipalityId,
    pub title: String,
    /// The regulation profile in force (its `name`).
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictAdded {
    pub municipality: MunicipalityId,
    pub district: DistrictId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationRegistered {
    pub municipality: MunicipalityId,
    pub organization: OrganizationId,
    pub title: String,
    pub kind: OrganizationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyEstablished {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub kind: BodyKind,
    pub title: String,
    /// For a district department: its district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
    /// For a methodical center or curating institution: the institution itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialAssigned {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub person: PersonId,
    pub office: Office,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialRelieved {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub person: PersonId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRegistered {
    pub person: PersonId,
    pub municipality: MunicipalityId,
    pub organization: OrganizationId,
    pub position_kind: PositionKind,
    /// Personal data (152-FZ), sealed with the person's key.
    pub full_name: Sealed,
    pub birth_date: Sealed,
    pub position_title: Sealed,
    pub category: Category,
    /// The day work in the specialty began (experience counts from it).
    pub specialty_since: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<Subject>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryChanged {
    pub person: PersonId,
    pub category: Category,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonTransferred {
    pub person: PersonId,
    pub organization: OrganizationId,
    pub position_kind: PositionKind,
    pub position_title: Sealed,
}

/// The person left the municipality's education system on the effective day; a later
/// transfer employs them again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonDismissed {
    pub person: PersonId,
    pub reason: String,
}
