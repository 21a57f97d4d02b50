//! Process managers: what the system does by itself when something happens. Each reaction is
//! a command whose id is derived from the triggering event (its position and hash), so
//! running it again — after a crash, or by two runners at once — records nothing twice.

use domain::events::AdmissionBasis;
use domain::state::ApplicationState;
use domain::{Acting, Aggregate, Command, Event};
use store::{CommandId, EventStore, RecordedEvent, StreamId};

use commands::{fact_of, Submission};

use crate::error::WorkflowError;

/// The commands `recorded` calls for.
pub async fn reactions_to(
    store: &dyn EventStore,
    recorded: &RecordedEvent,
    event: &Event,
) -> Result<Vec<Submission>, WorkflowError> {
    let command = match event {
        // 002 §5.2: an approved application — the applicant joins for its period.
        Event::MembershipApplicationApproved(e) => {
            let stream = StreamId::parse(e.application.stream())?;
            let facts = store
                .read_stream(&stream, 1, 100)
                .await?
                .iter()
                .map(fact_of)
                .collect::<Result<Vec<_>, _>>()?;
            ApplicationState::from_facts(&facts)
                .applicant
                .map(|member| Command::AdmitMember {
                    association: e.association,
                    member,
                    basis: AdmissionBasis::Application(e.application),
                    district_association: None,
                })
        }
        // The last step approved: the document is approved.
        Event::StepApproved(e) if e.final_step => Some(Command::FinalizeDocument {
            document: e.document,
        }),
        _ => None,
    };
    Ok(command
        .map(|command| {
            let id = CommandId::derived(
                "metod-reaction",
                &format!(
                    "{}:{}:{}",
                    command.name(),
                    recorded.position,
                    hex::encode(recorded.hash)
                ),
            );
            let mut submission = Submission::new(command, Acting::Operator, recorded.effective, id);
            // The reaction belongs to the same chain of work, caused by this event's command.
            submission.correlation_id = Some(recorded.correlation_id);
            submission.causation_id = Some(recorded.command_id);
            submission.actor_id = Some(crate::runner::WORKFLOW_ACTOR.into());
            submission
        })
        .into_iter()
        .collect())
}
