//! Membership's commands: members admitted and removed, the yearly update of the member
//! database, and the applications for membership.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::events::{AdmissionBasis, CouncilReview, Member};
use crate::ids::{ApplicationId, AssociationId};
use crate::profile::ApplicationForm;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdmitMember {
    pub association: AssociationId,
    pub member: Member,
    pub basis: AdmissionBasis,
    /// For a city association made of district heads (000 §4.1; 003 §7.1): the district
    /// association the admitted person heads.
    #[serde(default)]
    pub district_association: Option<AssociationId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveMember {
    pub association: AssociationId,
    pub member: Member,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateMemberDatabase {
    pub association: AssociationId,
    pub school_year: SchoolYear,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitMembershipApplication {
    pub application: ApplicationId,
    pub association: AssociationId,
    pub form: ApplicationForm,
    pub applicant: Member,
    pub theme: String,
    pub school_year: SchoolYear,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveMembershipApplication {
    pub application: ApplicationId,
    /// The sitting of the council that decided, with its protocol, where the profile has a
    /// council decide applications (002 §5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectMembershipApplication {
    pub application: ApplicationId,
    pub reason: String,
    /// The sitting of the council that decided, with its protocol, where the profile has a
    /// council decide applications (002 §5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}

/// Back to the applicant for rework, with a comment; a resubmission (the same
/// application id) comes back to the receiver.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnMembershipApplication {
    pub application: ApplicationId,
    pub comment: String,
    /// The sitting of the council that decided, with its protocol, where the profile has a
    /// council decide applications (002 §5.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}
