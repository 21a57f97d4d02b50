//! Documents' events, on `document-<id>`: opened, its versions, the approval chain assigned at
//! the first submission, each step's decision, the approval; and the deadlines missed (on the
//! document's stream, or the association's for a document nobody opened).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, BodyId, DocumentId, MeetingId, OrderId, PersonId};
use crate::profile::ChainStep;
pub use crate::profile::LOCAL_DEADLINE;
use crate::roles::events::Nomination;
use crate::values::{Clause, ContentHash, DocumentType};

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
    /// The number of meetings the version plans for its school year (002 §5.9: the road map
    /// sets it). Added after the first release: absent in older events and in documents that
    /// plan none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_meetings: Option<u32>,
    /// The number of network events it plans (002 §5.9), likewise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_network_events: Option<u32>,
}

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
    /// Days each step has to decide, where the municipality's profile sets them: a local
    /// setting, not a clause (no seed sets a review period). Absent: no step has a period of
    /// its own; the document's days bind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_review_days: Option<u32>,
    /// Read from an event of schema 1: the days each step then had — metod's former default
    /// of 10 or the profile's `review_days`, recorded as if the document's clause set them.
    /// Shown as what was recorded, no longer enforced. Never written by a new decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub former_review_days: Option<u32>,
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

/// The final version was published where the profile says (001 §1.3: on the Управление's
/// site), on the effective day, at `address`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentPublished {
    pub document: DocumentId,
    pub association: AssociationId,
    pub version: u32,
    /// The page's address (URL) or, failing one, where on the site it was placed.
    pub address: String,
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
    /// No secretary elected for the school year by its last day, where the profile has the
    /// secretary elected every year (000 §4.3: «ежегодно избирается»).
    SecretaryElection,
    /// The association was on no list of its district approved for the school year by the
    /// day the profile sets (000 §7.4: 15 Sep).
    AssociationList,
}

impl DeadlineKind {
    pub fn in_russian(self) -> &'static str {
        match self {
            DeadlineKind::StepReview => "срок рассмотрения на шаге",
            DeadlineKind::Submission => "срок подачи документа",
            DeadlineKind::Approval => "срок согласования документа",
            DeadlineKind::HeadAppointment => "срок назначения руководителя",
            DeadlineKind::MemberDatabase => "срок актуализации банка данных членов",
            DeadlineKind::SecretaryElection => "ежегодное избрание секретаря",
            DeadlineKind::AssociationList => "срок утверждения перечня районных объединений",
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
    /// What set the day: a clause of the regulation, or a setting of the municipality.
    pub source: DeadlineSource,
}

impl DeadlineMissed {
    /// The clause that set the day, when a clause did.
    pub fn clause(&self) -> Option<&Clause> {
        self.source.clause()
    }
}

/// Where a deadline comes from. A deadline is the regulation's only when a clause names its
/// day (5 May, 15 May, 15 Sep, 1 Oct of the seeds); a period no seed sets is the
/// municipality's own, written in its profile file and shown as such, never as a clause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineSource {
    /// A clause of the regulation sets the day.
    Clause(Clause),
    /// A setting of the municipality in its profile file (e.g. `review_days = 10`).
    Local { setting: String },
    /// Recorded at schema 1, before deadlines carried their source: a step's review period
    /// (metod's former default of 10 days, or the profile's `review_days`) recorded citing
    /// the document's clause, which sets no such period.
    Former { cited: Clause },
}

impl DeadlineSource {
    /// The clause that set the day, when a clause did.
    pub fn clause(&self) -> Option<&Clause> {
        match self {
            DeadlineSource::Clause(clause) => Some(clause),
            DeadlineSource::Local { .. } | DeadlineSource::Former { .. } => None,
        }
    }

    /// Which kind of deadline it is, as a stable word: `regulation`, `municipality` or
    /// `former_default`.
    pub fn kind(&self) -> &'static str {
        match self {
            DeadlineSource::Clause(_) => "regulation",
            DeadlineSource::Local { .. } => "municipality",
            DeadlineSource::Former { .. } => "former_default",
        }
    }

    /// Whose deadline it is, in Russian: the regulation's or the municipality's.
    pub fn set_by_in_russian(&self) -> &'static str {
        match self {
            DeadlineSource::Clause(_) => "положение",
            DeadlineSource::Local { .. } => LOCAL_DEADLINE,
            DeadlineSource::Former { .. } => "прежний срок metod по умолчанию",
        }
    }

    /// The clause, or the setting, that names the day, in Russian.
    pub fn reference(&self) -> String {
        match self {
            DeadlineSource::Clause(clause) => clause.to_string(),
            DeadlineSource::Local { setting } => setting.clone(),
            DeadlineSource::Former { cited } => format!("в записи указан {cited}"),
        }
    }

    /// The source as a reader sees it, in Russian.
    pub fn in_russian(&self) -> String {
        match self {
            DeadlineSource::Clause(clause) => format!("пункт положения {clause}"),
            DeadlineSource::Local { setting } => format!("{LOCAL_DEADLINE} ({setting})"),
            DeadlineSource::Former { cited } => format!(
                "срок по умолчанию прежней версии metod, не пункт положения (в записи указан {cited})"
            ),
        }
    }
}

/// The setting of a step's review period, as a municipality writes it in its profile.
pub fn review_setting(days: u32) -> String {
    format!("{days} дн. на шаг согласования — review_days в профиле")
}
