//! Every event of the domain, and its wire format: a stable type name (never renamed once
//! shipped; snapshot tests freeze the JSON) and a JSON payload. Names are past-tense facts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::error::DomainError;
use crate::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId, Ref,
};
use crate::profile::{ApplicationForm, ChainStep};
use crate::values::{
    AssociationKind, AssociationRole, BodyKind, Category, Clause, ContentHash,
    DevelopmentMilestone, DocumentType, GroupMembership, Level, Office, OrderKind,
    OrganizationKind, PositionKind, Sealed, Subject,
};

/// The schema version every event type is at today.
pub const CURRENT_SCHEMA: u32 = 1;

// ---- registry: stream `municipality-<id>` -----------------------------------------------

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

// ---- persons: stream `person-<id>` ------------------------------------------------------

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

// ---- orders: stream `order-<id>` --------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderIssued {
    pub order: OrderId,
    pub municipality: MunicipalityId,
    pub issuer: BodyId,
    pub issuer_kind: BodyKind,
    pub kind: OrderKind,
    pub number: String,
    pub date: NaiveDate,
    pub title: String,
    /// What the order decides, item by item, in its own words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub decides: Vec<String>,
    /// Who signed it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<PersonId>,
}

// ---- associations: stream `association-<id>` --------------------------------------------

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDatabaseUpdated {
    pub association: AssociationId,
    pub school_year: SchoolYear,
    /// Members on the day of the update.
    pub member_count: u32,
}

/// A member's step of professional growth, recorded by the association for the
/// effectiveness indicators (001 §4.1.2–4.1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentRecorded {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub milestone: DevelopmentMilestone,
}

// ---- membership applications: stream `application-<id>` ---------------------------------

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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipApplicationRejected {
    pub application: ApplicationId,
    pub association: AssociationId,
    pub reason: String,
}

/// Returned to the applicant for rework; the resubmission is a new
/// `MembershipApplicationSubmitted` on the same stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipApplicationReturned {
    pub application: ApplicationId,
    pub association: AssociationId,
    pub comment: String,
}

// ---- documents: stream `document-<id>` --------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentOpened {
    pub document: DocumentId,
    pub association: AssociationId,
    pub document_type: DocumentType,
    pub school_year: SchoolYear,
    pub title: String,
    /// For a nomination: who is put forward for which role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nomination: Option<Nomination>,
}

/// A candidate for a role, put forward through an approval chain that ends in the order
/// appointing them (000 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Nomination {
    pub role: AssociationRole,
    pub person: PersonId,
}

/// What a network-event report must say (002 §5.11). The attendance sheet and the photos are
/// files outside the log; their hashes are in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkEventDetails {
    pub topic: String,
    pub held_on: NaiveDate,
    pub goal: String,
    pub audience: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// Registered participants who are persons of the registry.
    #[serde(default)]
    pub attendees: Vec<PersonId>,
    /// Everyone on the attendance sheet, registry persons or not.
    pub attendance_count: u32,
    /// The attendance sheet (лист регистрации).
    pub attendance_sheet: ContentHash,
    /// Photos, or screenshots of an online event.
    pub evidence: Vec<ContentHash>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentVersionSubmitted {
    pub document: DocumentId,
    pub association: AssociationId,
    pub version: u32,
    pub author: PersonId,
    pub content_hash: ContentHash,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_event: Option<NetworkEventDetails>,
    /// The approved document the version was developed on (002 §5.8: the technical
    /// assignment of a road map). Added after the first release: absent in older events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<DocumentId>,
}

// ---- approval chains: on the document's stream ------------------------------------------

/// One step of a document's chain as assigned: the profile's step, and the association whose
/// head, curator or meeting decides it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignedStep {
    pub step: ChainStep,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<AssociationId>,
}

/// The chain a document travels, fixed at its first submission: later changes to the
/// profile do not change the route of a document already on its way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalChainAssigned {
    pub document: DocumentId,
    pub association: AssociationId,
    pub steps: Vec<AssignedStep>,
    /// The day it must be submitted by, when the profile sets one (003 §7.8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_by: Option<NaiveDate>,
    /// The day the chain must be through by (000 §10.5: 5 May).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// Days each step has to decide.
    pub review_days: u32,
    /// The profile rule the chain comes from.
    pub clause: Clause,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepApproved {
    pub document: DocumentId,
    pub version: u32,
    /// The step decided, from 1.
    pub step: u32,
    /// Whether it was the chain's last step (the workflow then records the approval).
    pub final_step: bool,
    pub by: PersonId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The meeting the decision was taken at, where the step is decided at one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting: Option<MeetingId>,
    /// The order that approves, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderId>,
    /// The number of the protocol of the council or meeting that decided, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_number: Option<String>,
}

/// Back to the author for rework; the resubmitted version resumes at this step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentReturned {
    pub document: DocumentId,
    pub version: u32,
    pub step: u32,
    pub by: PersonId,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentRejected {
    pub document: DocumentId,
    pub version: u32,
    pub step: u32,
    pub by: PersonId,
    pub reason: String,
}

/// Every step approved the version: the document is approved (a reaction of the workflow).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentApproved {
    pub document: DocumentId,
    pub association: AssociationId,
    pub version: u32,
}

/// What a missed deadline is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// A step did not decide within its review period.
    StepReview,
    /// The document was not submitted by its day (003 §7.8).
    Submission,
    /// The document was not through its chain by its day (000 §10.5, §4.7).
    Approval,
    /// No head by the day the profile sets (000 §4.2, §7.4: 15 Sep).
    HeadAppointment,
    /// The member database was not updated by its day (000 §4.6, §10.4: 1 Oct).
    MemberDatabase,
}

impl DeadlineKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            DeadlineKind::StepReview => "срок рассмотрения на шаге",
            DeadlineKind::Submission => "срок подачи документа",
            DeadlineKind::Approval => "срок согласования документа",
            DeadlineKind::HeadAppointment => "срок назначения руководителя",
            DeadlineKind::MemberDatabase => "срок актуализации банка данных членов",
        }
    }
}

/// Who held the matter when the deadline passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// The role, in Russian (e.g. «руководитель городского объединения»).
    pub role: String,
    /// The persons holding it on the day, when they are known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub persons: Vec<PersonId>,
    /// The body that had to act, when it is a body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodyId>,
}

/// A deadline passed; recorded once, on the stream of the document or association.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadlineMissed {
    pub deadline: DeadlineKind,
    pub due: NaiveDate,
    pub school_year: SchoolYear,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentId>,
    pub association: AssociationId,
    /// For a step's review period: the version and the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// For a document nobody opened by its day: which document was due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<DocumentType>,
    pub holder: Holder,
    pub clause: Clause,
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

// ---- meetings: stream `meeting-<id>` ----------------------------------------------------

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingScheduled {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub date: NaiveDate,
    pub agenda: Vec<String>,
}

/// One question discussed and the decision taken on it (000 §4.4; 002 §5.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDecision {
    pub question: String,
    pub decision: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingHeld {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub date: NaiveDate,
    pub school_year: SchoolYear,
    pub attendance: Vec<PersonId>,
    pub questions: Vec<QuestionDecision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolDrafted {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub number: String,
    pub drafted_by: PersonId,
    pub content_hash: ContentHash,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolSigned {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub signed_by: PersonId,
    /// The text signed: the draft's hash.
    pub content_hash: ContentHash,
}

/// A correction of a signed protocol: the signed text stays; this records what corrects it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProtocolCorrected {
    pub meeting: MeetingId,
    pub association: AssociationId,
    /// The hash of the signed text being corrected.
    pub corrects: ContentHash,
    pub content_hash: ContentHash,
    pub reason: String,
    pub corrected_by: PersonId,
}

macro_rules! domain_events {
    ($($name:ident),* $(,)?) => {
        /// Every domain event.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event {
            $($name($name),)*
        }

        impl Event {
            /// The stable wire name.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Event::$name(_) => stringify!($name),)*
                }
            }

            /// The JSON payload.
            pub fn payload(&self) -> serde_json::Value {
                let result = match self {
                    $(Event::$name(e) => serde_json::to_value(e),)*
                };
                // Serializing these plain structs into a JSON value cannot fail.
                result.unwrap_or(serde_json::Value::Null)
            }

            /// Decodes an event from its wire name, schema and stored payload (JSON text,
            /// read once straight into the event's type).
            pub fn decode(
                event_type: &str,
                schema: u32,
                payload: &str,
            ) -> Result<Self, DomainError> {
                if schema != CURRENT_SCHEMA {
                    return Err(DomainError::MalformedEvent {
                        event_type: event_type.to_string(),
                        reason: format!("неизвестная версия схемы {schema}"),
                    });
                }
                let malformed = |e: serde_json::Error| DomainError::MalformedEvent {
                    event_type: event_type.to_string(),
                    reason: e.to_string(),
                };
                match event_type {
                    $(stringify!($name) => serde_json::from_str::<$name>(payload).map(Event::$name).map_err(malformed),)*
                    other => Err(DomainError::UnknownEventType { event_type: other.to_string() }),
                }
            }

            /// Every wire name, for documentation and snapshot tests.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($name),)*];
        }

        $(impl From<$name> for Event {
            fn from(e: $name) -> Self {
                Event::$name(e)
            }
        })*
    };
}

domain_events!(
    MunicipalityRegistered,
    DistrictAdded,
    OrganizationRegistered,
    BodyEstablished,
    OfficialAssigned,
    OfficialRelieved,
    PersonRegistered,
    CategoryChanged,
    PersonTransferred,
    OrderIssued,
    AssociationCreated,
    AssociationReorganized,
    AssociationLiquidated,
    DistrictAssociationLinked,
    MemberAdmitted,
    MemberLeft,
    HeadAppointed,
    HeadElected,
    CuratorAppointed,
    SecretaryElected,
    MemberDatabaseUpdated,
    DevelopmentRecorded,
    MembershipApplicationSubmitted,
    MembershipApplicationApproved,
    MembershipApplicationRejected,
    MembershipApplicationReturned,
    DocumentOpened,
    DocumentVersionSubmitted,
    ApprovalChainAssigned,
    StepApproved,
    DocumentReturned,
    DocumentRejected,
    DocumentApproved,
    DeadlineMissed,
    DeputyDesignated,
    MeetingScheduled,
    MeetingHeld,
    ProtocolDrafted,
    ProtocolSigned,
    ProtocolCorrected,
);

impl Event {
    /// The aggregate (and so the stream) the event belongs to.
    pub fn home(&self) -> Ref {
        use Event::*;
        match self {
            MunicipalityRegistered(e) => Ref::Municipality(e.municipality),
            DistrictAdded(e) => Ref::Municipality(e.municipality),
            OrganizationRegistered(e) => Ref::Municipality(e.municipality),
            BodyEstablished(e) => Ref::Municipality(e.municipality),
            OfficialAssigned(e) => Ref::Municipality(e.municipality),
            OfficialRelieved(e) => Ref::Municipality(e.municipality),
            PersonRegistered(e) => Ref::Person(e.person),
            CategoryChanged(e) => Ref::Person(e.person),
            PersonTransferred(e) => Ref::Person(e.person),
            OrderIssued(e) => Ref::Order(e.order),
            AssociationCreated(e) => Ref::Association(e.association),
            AssociationReorganized(e) => Ref::Association(e.association),
            AssociationLiquidated(e) => Ref::Association(e.association),
            DistrictAssociationLinked(e) => Ref::Association(e.district_association),
            MemberAdmitted(e) => Ref::Association(e.association),
            MemberLeft(e) => Ref::Association(e.association),
            HeadAppointed(e) => Ref::Association(e.association),
            HeadElected(e) => Ref::Association(e.association),
            CuratorAppointed(e) => Ref::Association(e.association),
            SecretaryElected(e) => Ref::Association(e.association),
            MemberDatabaseUpdated(e) => Ref::Association(e.association),
            DevelopmentRecorded(e) => Ref::Association(e.association),
            MembershipApplicationSubmitted(e) => Ref::Application(e.application),
            MembershipApplicationApproved(e) => Ref::Application(e.application),
            MembershipApplicationRejected(e) => Ref::Application(e.application),
            MembershipApplicationReturned(e) => Ref::Application(e.application),
            DocumentOpened(e) => Ref::Document(e.document),
            DocumentVersionSubmitted(e) => Ref::Document(e.document),
            MeetingScheduled(e) => Ref::Meeting(e.meeting),
            MeetingHeld(e) => Ref::Meeting(e.meeting),
            ProtocolDrafted(e) => Ref::Meeting(e.meeting),
            ProtocolSigned(e) => Ref::Meeting(e.meeting),
            ProtocolCorrected(e) => Ref::Meeting(e.meeting),
            ApprovalChainAssigned(e) => Ref::Document(e.document),
            StepApproved(e) => Ref::Document(e.document),
            DocumentReturned(e) => Ref::Document(e.document),
            DocumentRejected(e) => Ref::Document(e.document),
            DocumentApproved(e) => Ref::Document(e.document),
            DeadlineMissed(e) => match e.document {
                Some(document) => Ref::Document(document),
                None => Ref::Association(e.association),
            },
            DeputyDesignated(e) => Ref::Association(e.association),
        }
    }
}

/// An event as the domain receives it back from the log: the fact plus the envelope fields
/// the rules need (the date it took effect).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub event: Event,
    pub effective: NaiveDate,
}
