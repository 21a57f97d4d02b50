//! The registry's commands: the municipality, its districts, organizations, bodies and their
//! officials, and the persons.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{BodyId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use crate::values::{BodyKind, Category, Office, OrganizationKind, PositionKind, Subject};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterMunicipality {
    pub municipality: MunicipalityId,
    pub title: String,
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddDistrict {
    pub municipality: MunicipalityId,
    pub district: DistrictId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterOrganization {
    pub municipality: MunicipalityId,
    pub organization: OrganizationId,
    pub title: String,
    pub kind: OrganizationKind,
    #[serde(default)]
    pub district: Option<DistrictId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstablishBody {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub kind: BodyKind,
    pub title: String,
    #[serde(default)]
    pub district: Option<DistrictId>,
    #[serde(default)]
    pub organization: Option<OrganizationId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignOfficial {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub person: PersonId,
    pub office: Office,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelieveOfficial {
    pub municipality: MunicipalityId,
    pub body: BodyId,
    pub person: PersonId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterPerson {
    pub person: PersonId,
    pub municipality: MunicipalityId,
    pub organization: OrganizationId,
    pub position_kind: PositionKind,
    /// Clear text in the command; sealed by the vault before anything is written.
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub position_title: String,
    pub category: Category,
    pub specialty_since: NaiveDate,
    #[serde(default)]
    pub subjects: Vec<Subject>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeCategory {
    pub person: PersonId,
    pub category: Category,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferPerson {
    pub person: PersonId,
    pub organization: OrganizationId,
    pub position_kind: PositionKind,
    pub position_title: String,
}

/// The person no longer works in the municipality's education system (a dismissal, a move
/// away): where membership follows from the registry (001 §1.3) it ends that day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DismissPerson {
    pub person: PersonId,
    pub reason: String,
}
