//! Documents' commands: a document opened and submitted version by version, the decisions at
//! each step of its approval chain, and the deadlines recorded as missed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::events::{DeadlineKind, NetworkEventDetails, Nomination};
use crate::ids::{AssociationId, DocumentId, MeetingId, OrderId};
use crate::values::{ContentHash, DocumentType};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenDocument {
    pub document: DocumentId,
    pub association: AssociationId,
    pub document_type: DocumentType,
    pub school_year: SchoolYear,
    pub title: String,
    /// For a nomination (document_type `nomination`): the candidate and the role.
    #[serde(default)]
    pub nomination: Option<Nomination>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitDocumentVersion {
    pub document: DocumentId,
    pub content_hash: ContentHash,
    #[serde(default)]
    pub network_event: Option<NetworkEventDetails>,
    /// The approved document this version is developed on, where the profile's rule
    /// `requires` one (002 §5.8: the road map on the technical assignment).
    #[serde(default)]
    pub based_on: Option<DocumentId>,
    /// The number of meetings this version plans for its school year, where the profile's
    /// rule has the document set it (`plans`; 002 §5.9: the road map).
    #[serde(default)]
    pub planned_meetings: Option<u32>,
    /// The number of network events it plans, likewise (002 §5.9).
    #[serde(default)]
    pub planned_network_events: Option<u32>,
}

/// Approves step `step` (from 1) of the document's current version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApproveStep {
    pub document: DocumentId,
    pub step: u32,
    #[serde(default)]
    pub comment: Option<String>,
    /// The meeting the decision was taken at, where the step is decided at one.
    #[serde(default)]
    pub meeting: Option<MeetingId>,
    /// The order that approves, where there is one.
    #[serde(default)]
    pub order: Option<OrderId>,
    /// The protocol number of the council or meeting that decided.
    #[serde(default)]
    pub protocol_number: Option<String>,
}

/// Returns the document to its author for rework; a comment is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnDocument {
    pub document: DocumentId,
    pub step: u32,
    pub comment: String,
}

/// Rejects the document; a reason is required.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectDocument {
    pub document: DocumentId,
    pub step: u32,
    pub reason: String,
}

/// Records the publication of the final version where the profile says (001 §1.3), on the
/// effective day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishDocument {
    pub document: DocumentId,
    /// The page's address (URL), or where on the site it was placed.
    pub address: String,
}

/// Records that every step approved the current version (a workflow reaction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FinalizeDocument {
    pub document: DocumentId,
}

/// Records a missed deadline (the workflow's timers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordDeadlineMissed {
    pub deadline: DeadlineKind,
    pub association: AssociationId,
    #[serde(default)]
    pub document: Option<DocumentId>,
    pub due: NaiveDate,
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub step: Option<u32>,
    /// For a document never opened: which document of the profile was due.
    #[serde(default)]
    pub document_type: Option<DocumentType>,
}
