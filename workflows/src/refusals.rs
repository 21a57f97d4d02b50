//! What the workflow does when the rules refuse one of its own commands — a reaction to an
//! event, or a timer's record of a missed deadline: it records the refusal in the log, as a
//! `ReactionRefused` on its own stream `workflow-refusals`, so that the refusal outlives the
//! pass that met it (the checkpoint moves past a refused reaction, and nothing retries it).
//! The record's command id is derived from the refused command's, itself derived from the
//! trigger, so a repeated pass — after a crash, by a second runner, or a timer refused again
//! on every pass — records nothing twice. An operator finds the refusals in the trail of the
//! document they concern and with `metod events --stream workflow-refusals`.

use chrono::NaiveDate;
use domain::events::DeadlineKind;
use domain::ids::{AssociationId, DocumentId};
use domain::{DomainError, Ref};
use serde::{Deserialize, Serialize};
use store::{Actor, CommandId, EventStore, NewEvent, RecordedEvent, StreamId};
use uuid::Uuid;

use commands::Submission;

use crate::actor::WORKFLOW_ACTOR;
use crate::error::WorkflowError;
use crate::timers::Timer;

/// The stream of the workflow's refusals.
pub const REFUSALS_STREAM: &str = "workflow-refusals";

/// The wire name of a refusal (not a domain event: no aggregate folds it).
pub const REACTION_REFUSED: &str = "ReactionRefused";

/// The wire schema of `ReactionRefused`.
const SCHEMA: u32 = 1;

/// The rules refused a command the workflow issued by itself. Wire format frozen by
/// `workflows/tests/wire_format.rs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionRefused {
    /// What called for the command.
    pub trigger: RefusalTrigger,
    /// The refused command's name (`finalize_document`) and id.
    pub command: String,
    pub command_id: Uuid,
    /// The stream the command would have written.
    pub target: String,
    /// The document it concerns, when it concerns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentId>,
    /// The association it concerns, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association: Option<AssociationId>,
    /// Why: the broken rule's stable code and its message (with the clause).
    pub code: String,
    pub message: String,
}

/// What called for a refused command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RefusalTrigger {
    /// A process manager's reaction to this event of the log.
    Event {
        position: u64,
        event_type: String,
        stream: String,
    },
    /// A timer: this deadline passed.
    Deadline {
        deadline: DeadlineKind,
        due: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        version: Option<u32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step: Option<u32>,
    },
}

impl RefusalTrigger {
    /// The trigger of a reaction to `recorded`.
    pub fn event(recorded: &RecordedEvent) -> Self {
        RefusalTrigger::Event {
            position: recorded.position,
            event_type: recorded.event_type.clone(),
            stream: recorded.stream.to_string(),
        }
    }

    /// The trigger of a timer.
    pub fn deadline(timer: &Timer) -> Self {
        RefusalTrigger::Deadline {
            deadline: timer.deadline,
            due: timer.due,
            version: timer.version,
            step: timer.step,
        }
    }

    /// What called for the command, in Russian: «реакция на событие 17 (StepApproved)», or
    /// «таймер: срок рассмотрения на шаге 2 (версия 2), срок 2025-03-16».
    pub fn in_russian(&self) -> String {
        match self {
            RefusalTrigger::Event {
                position,
                event_type,
                ..
            } => format!("реакция на событие {position} ({event_type})"),
            RefusalTrigger::Deadline {
                deadline,
                due,
                version,
                step,
            } => format!(
                "таймер: {}, срок {due}",
                deadline_in_russian(*deadline, *version, *step)
            ),
        }
    }
}

/// A deadline kind with its step and version: «срок рассмотрения на шаге 2 (версия 2)».
pub fn deadline_in_russian(
    deadline: DeadlineKind,
    version: Option<u32>,
    step: Option<u32>,
) -> String {
    let mut text = deadline.in_russian().to_string();
    if let Some(step) = step {
        text.push_str(&format!(" {step}"));
    }
    if let Some(version) = version {
        text.push_str(&format!(" (версия {version})"));
    }
    text
}

impl ReactionRefused {
    /// The refusal of `submission`, called for by `trigger`, concerning what `concerns` names
    /// (the command's target first, then the trigger's aggregate).
    pub fn new(
        trigger: RefusalTrigger,
        submission: &Submission,
        concerns: &[Ref],
        error: &DomainError,
    ) -> Self {
        let target = submission.command.target();
        let mut document = None;
        let mut association = None;
        for reference in std::iter::once(&target).chain(concerns) {
            match reference {
                Ref::Document(id) => {
                    document.get_or_insert(*id);
                }
                Ref::Association(id) => {
                    association.get_or_insert(*id);
                }
                _ => {}
            }
        }
        Self {
            trigger,
            command: submission.command.name(),
            command_id: submission.command_id.0,
            target: target.stream(),
            document,
            association,
            code: error.code().to_string(),
            message: error.to_string(),
        }
    }

    /// The command id of the record: one record per refused command.
    pub fn record_id(&self) -> CommandId {
        CommandId::derived("metod-refusal", &self.command_id.to_string())
    }

    /// The event that records it, taking effect when the refused command would have, under
    /// the workflow's name with operator authority.
    pub fn to_new_event(&self, submission: &Submission) -> NewEvent {
        let payload = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
        let mut event = NewEvent::new(
            REACTION_REFUSED,
            payload,
            submission.effective,
            Actor::new(WORKFLOW_ACTOR, "operator"),
        )
        .with_schema(SCHEMA);
        if let (Some(correlation), Some(causation)) =
            (submission.correlation_id, submission.causation_id)
        {
            event = event.caused_by(correlation, causation);
        }
        event
    }

    /// Decodes a stored refusal.
    pub fn decode(recorded: &RecordedEvent) -> Result<Self, WorkflowError> {
        if recorded.event_type != REACTION_REFUSED || recorded.schema != SCHEMA {
            return Err(DomainError::MalformedEvent {
                event_type: recorded.event_type.clone(),
                reason: format!("ожидалось {REACTION_REFUSED} версии схемы {SCHEMA}"),
            }
            .into());
        }
        serde_json::from_str(&recorded.payload).map_err(|e| {
            DomainError::MalformedEvent {
                event_type: recorded.event_type.clone(),
                reason: e.to_string(),
            }
            .into()
        })
    }
}

/// A refusal met by one pass of the runner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub record: ReactionRefused,
    /// What called for the command, named for the operator (the event, or the deadline with
    /// its document or association and due date).
    pub about: String,
    /// The position of its record in the log.
    pub position: u64,
    /// Whether this pass recorded it (false: an earlier pass or another runner had).
    pub newly_recorded: bool,
}

impl Refusal {
    /// One line for the operator.
    pub fn describe(&self) -> String {
        format!(
            "{}: команда {} отклонена правилами — {}: {} (записано в журнал, позиция {})",
            self.about, self.record.command, self.record.code, self.record.message, self.position
        )
    }
}

/// The refusals recorded about `document`, in log order.
pub async fn refusals_of(
    store: &dyn EventStore,
    document: DocumentId,
) -> Result<Vec<(RecordedEvent, ReactionRefused)>, WorkflowError> {
    let stream = StreamId::parse(REFUSALS_STREAM)?;
    let mut refusals = Vec::new();
    let mut read = 0;
    loop {
        let page = store.read_stream(&stream, read + 1, 1_000).await?;
        read += page.len() as u64;
        let done = page.len() < 1_000;
        for recorded in page {
            if recorded.event_type != REACTION_REFUSED {
                continue;
            }
            let refusal = ReactionRefused::decode(&recorded)?;
            if refusal.document == Some(document) {
                refusals.push((recorded, refusal));
            }
        }
        if done {
            return Ok(refusals);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::commands::FinalizeDocument;
    use domain::{Acting, Command};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
    }

    #[test]
    fn a_refused_timer_is_named_by_its_deadline_not_by_an_event() {
        let document = DocumentId::derived("test", "plan");
        let timer = Timer {
            due: day(2025, 3, 16),
            deadline: DeadlineKind::StepReview,
            association: AssociationId::derived("test", "math"),
            document: Some(document),
            version: Some(2),
            step: Some(2),
            document_type: None,
        };
        let submission = timer.submission();
        let error = DomainError::NotAuthorized {
            reason: "проверка".into(),
        };
        let refusal = ReactionRefused::new(
            RefusalTrigger::deadline(&timer),
            &submission,
            &[Ref::Association(timer.association)],
            &error,
        );
        let text = refusal.trigger.in_russian();
        assert_eq!(
            text,
            "таймер: срок рассмотрения на шаге 2 (версия 2), срок 2025-03-16"
        );
        assert_eq!(refusal.document, Some(document));
        assert_eq!(refusal.association, Some(timer.association));
        assert_eq!(refusal.command, "record_deadline_missed");
        assert_eq!(refusal.code, "not_authorized");
        // The same timer refused again is the same record.
        let again = ReactionRefused::new(
            RefusalTrigger::deadline(&timer),
            &timer.submission(),
            &[],
            &error,
        );
        assert_eq!(again.record_id(), refusal.record_id());
        let other = Submission::new(
            Command::FinalizeDocument(FinalizeDocument { document }),
            Acting::Operator,
            day(2025, 3, 17),
            CommandId::derived("test", "other"),
        );
        let different = ReactionRefused::new(RefusalTrigger::deadline(&timer), &other, &[], &error);
        assert_ne!(different.record_id(), refusal.record_id());
    }
}
