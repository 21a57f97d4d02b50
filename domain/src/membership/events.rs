//! Membership's events: who is a member and on what basis (on the association's stream), the
//! yearly update of the member database, and the applications for membership on
//! `application-<id>`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{ApplicationId, AssociationId, MeetingId, OrderId, OrganizationId, PersonId};
use crate::profile::ApplicationForm;
use crate::roles::events::CouncilReview;

/// Who is a member: a teacher, or an organization (002 form 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Member {
    Person(PersonId),
    Organization(OrganizationId),
}

impl std::fmt::Display for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Member::Person(p) => write!(f, "лицо {p}"),
            Member::Organization(o) => write!(f, "организация {o}"),
        }
    }
}

/// On what grounds a member was admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdmissionBasis {
    Application(ApplicationId),
    Order(OrderId),
    Meeting(MeetingId),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberAdmitted {
    pub association: AssociationId,
    pub member: Member,
    /// The school year the membership is for, when it is for one (002 §5.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYear>,
    /// The last day of membership, when it ends by itself (31 May under 002 §5.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The first day of membership, when it starts after the admission (an application for
    /// 1 Sep – 31 May approved in August, 002 §5.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    pub basis: AdmissionBasis,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberLeft {
    pub association: AssociationId,
    pub member: Member,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDatabaseUpdated {
    pub association: AssociationId,
    pub school_year: SchoolYear,
    /// Members on the day of the update.
    pub member_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipApplicationSubmitted {
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
pub struct MembershipApplicationApproved {
    pub application: ApplicationId,
    pub association: AssociationId,
    /// The council's sitting that decided (002 §5.1). Added in schema 1 later: absent in
    /// older events and where the profile has no council decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipApplicationRejected {
    pub application: ApplicationId,
    pub association: AssociationId,
    pub reason: String,
    /// The council's sitting that decided (002 §5.1). Added in schema 1 later: absent in
    /// older events and where the profile has no council decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}

/// Returned to the applicant for rework; the resubmission is a new
/// `MembershipApplicationSubmitted` on the same stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipApplicationReturned {
    pub application: ApplicationId,
    pub association: AssociationId,
    pub comment: String,
    /// The council's sitting that decided (002 §5.1). Added in schema 1 later: absent in
    /// older events and where the profile has no council decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<CouncilReview>,
}
