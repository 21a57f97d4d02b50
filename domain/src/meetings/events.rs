//! Meetings' events, on `meeting-<id>`: scheduled, held with its attendance and decisions, and
//! its protocol drafted, signed and corrected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, MeetingId, PersonId};
use crate::values::ContentHash;

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
