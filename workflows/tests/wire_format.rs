//! The wire format of the workflow's own record, frozen like the domain's events
//! (`domain/tests/wire_format.rs`): `ReactionRefused`, once for a refused reaction to an
//! event and once for a refused timer, snapshotted as JSON in `tests/snapshots/`; each sample
//! decodes back to itself from its stored form.

use chrono::NaiveDate;
use domain::events::DeadlineKind;
use domain::ids::{AssociationId, DocumentId};
use serde_json::json;
use store::{Actor, RecordedEvent, StreamId};
use uuid::Uuid;
use workflows::{ReactionRefused, RefusalTrigger, REACTION_REFUSED, REFUSALS_STREAM};

const NS: &str = "test";

fn document() -> DocumentId {
    DocumentId::derived(NS, "plan")
}

fn association() -> AssociationId {
    AssociationId::derived(NS, "math-city")
}

fn samples() -> Vec<(&'static str, ReactionRefused)> {
    vec![
        (
            "ReactionRefused-event",
            ReactionRefused {
                trigger: RefusalTrigger::Event {
                    position: 17,
                    event_type: "StepApproved".into(),
                    stream: document().stream(),
                },
                command: "finalize_document".into(),
                command_id: Uuid::new_v5(&Uuid::NAMESPACE_OID, b"reaction"),
                target: document().stream(),
                document: Some(document()),
                association: None,
                code: "document_state".into(),
                message: "документ утверждён: утверждение по итогам всех шагов невозможно".into(),
            },
        ),
        (
            "ReactionRefused-deadline",
            ReactionRefused {
                trigger: RefusalTrigger::Deadline {
                    deadline: DeadlineKind::StepReview,
                    due: NaiveDate::from_ymd_opt(2025, 3, 16).expect("a date"),
                    version: Some(2),
                    step: Some(2),
                },
                command: "record_deadline_missed".into(),
                command_id: Uuid::new_v5(&Uuid::NAMESPACE_OID, b"timer"),
                target: document().stream(),
                document: Some(document()),
                association: Some(association()),
                code: "deadline_not_missed".into(),
                message: "срок ещё не прошёл или уже соблюдён: срок 2025-03-16 ещё не прошёл на 2025-03-16"
                    .into(),
            },
        ),
    ]
}

#[test]
fn the_wire_format_of_reaction_refused_is_frozen() {
    for (name, sample) in samples() {
        let wire = json!({
            "event_type": REACTION_REFUSED,
            "payload": serde_json::to_value(&sample).expect("serializes"),
        });
        insta::with_settings!({ sort_maps => true, prepend_module_to_snapshot => false }, {
            insta::assert_json_snapshot!(name, wire);
        });
    }
}

#[test]
fn a_stored_refusal_decodes_back_to_itself() {
    for (_, sample) in samples() {
        let stored = RecordedEvent {
            position: 18,
            stream: StreamId::parse(REFUSALS_STREAM).expect("stream"),
            version: 1,
            event_type: REACTION_REFUSED.into(),
            schema: 1,
            payload: serde_json::to_string(&sample).expect("serializes"),
            recorded_at: chrono::DateTime::UNIX_EPOCH,
            effective: NaiveDate::from_ymd_opt(2025, 3, 17).expect("a date"),
            actor: Actor::new("workflow", "operator"),
            basis: None,
            command_id: Uuid::nil(),
            correlation_id: Uuid::nil(),
            causation_id: None,
            prev_hash: [0; 32],
            hash: [0; 32],
        };
        assert_eq!(ReactionRefused::decode(&stored).expect("decodes"), sample);
        let wrong = RecordedEvent {
            schema: 2,
            ..stored
        };
        assert_eq!(
            ReactionRefused::decode(&wrong).map_err(|e| e.code()),
            Err("malformed_event")
        );
    }
}
