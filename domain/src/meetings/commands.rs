//! Meetings' commands: a meeting scheduled and held, its protocol drafted, signed and corrected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::events::QuestionDecision;
use crate::ids::{AssociationId, MeetingId, PersonId};
use crate::values::ContentHash;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleMeeting {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub date: NaiveDate,
    pub agenda: Vec<String>,
}

/// Records a meeting that took place on the command's effective date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldMeeting {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub attendance: Vec<PersonId>,
    pub questions: Vec<QuestionDecision>,
    #[serde(default)]
    pub recommendations: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DraftProtocol {
    pub meeting: MeetingId,
    pub number: String,
    pub content_hash: ContentHash,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignProtocol {
    pub meeting: MeetingId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectProtocol {
    pub meeting: MeetingId,
    pub content_hash: ContentHash,
    pub reason: String,
}
