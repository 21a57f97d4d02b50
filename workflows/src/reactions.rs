//! Process managers: what the system does by itself when something happens. Each reaction is
//! a command whose id is derived from the triggering event (its position and hash), so
//! running it again — after a crash, or by two runners at once — records nothing twice.

use domain::commands::{AdmitMember, AppointCurator, AppointHead, FinalizeDocument};
use domain::events::AdmissionBasis;
use domain::state::ApplicationState;
use domain::{Aggregate, Command, Event};
use store::{CommandId, EventStore, RecordedEvent, StreamId};

use commands::{fact_of, Submission};

use crate::actor::workflow_submission;
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
            let facts = read_facts(store, &e.application.stream()).await?;
            ApplicationState::from_facts(&facts)
                .applicant
                .map(|member| {
                    Command::AdmitMember(AdmitMember {
                        association: e.association,
                        member,
                        basis: AdmissionBasis::Application(e.application),
                        district_association: None,
                    })
                })
        }
        // The last step approved: the document is approved.
        Event::StepApproved(e) if e.final_step => {
            Some(Command::FinalizeDocument(FinalizeDocument {
                document: e.document,
            }))
        }
        // An approved nomination: the order of its last step appoints the candidate, with the
        // council's review from its council step (000 §4.2).
        Event::DocumentApproved(e) => appointment_of(store, e.document).await?,
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
            let mut submission = workflow_submission(command, recorded.effective, id);
            // The reaction belongs to the same chain of work, caused by this event's command.
            submission.correlation_id = Some(recorded.correlation_id);
            submission.causation_id = Some(recorded.command_id);
            submission
        })
        .into_iter()
        .collect())
}

/// The appointment an approved nomination calls for, if the document is one.
async fn appointment_of(
    store: &dyn EventStore,
    document: domain::ids::DocumentId,
) -> Result<Option<Command>, WorkflowError> {
    let facts = read_facts(store, &document.stream()).await?;
    let mut opened = None;
    let mut order = None;
    let mut council_step = None;
    let mut chain = Vec::new();
    for fact in &facts {
        match &fact.event {
            Event::DocumentOpened(e) => opened = Some(e.clone()),
            Event::ApprovalChainAssigned(e) => chain = e.steps.clone(),
            Event::StepApproved(e) => {
                let step = chain.get((e.step as usize).saturating_sub(1));
                if let Some(council) = step.and_then(|s| s.step.council) {
                    council_step = Some((council, e.protocol_number.clone(), fact.effective));
                }
                if e.order.is_some() {
                    order = e.order;
                }
            }
            _ => {}
        }
    }
    let (Some(opened), Some(order)) = (opened, order) else {
        return Ok(None);
    };
    let Some(nomination) = opened.nomination else {
        return Ok(None);
    };
    let review = match council_step {
        Some((kind, protocol_number, date)) => {
            let association = read_facts(store, &opened.association.stream()).await?;
            let municipality =
                domain::state::AssociationState::from_facts(&association).municipality;
            let registry = match municipality {
                Some(m) => read_facts(store, &m.stream()).await?,
                None => Vec::new(),
            };
            let bodies = domain::state::MunicipalityState::from_facts(&registry).bodies;
            bodies
                .iter()
                .find(|(_, body)| body.kind == kind)
                .map(|(id, _)| domain::events::CouncilReview {
                    council: *id,
                    protocol_number: protocol_number.unwrap_or_else(|| "б/н".into()),
                    date,
                })
        }
        None => None,
    };
    Ok(Some(match nomination.role {
        domain::values::AssociationRole::Curator => Command::AppointCurator(AppointCurator {
            association: opened.association,
            person: nomination.person,
            school_year: opened.school_year,
            order,
        }),
        _ => Command::AppointHead(AppointHead {
            association: opened.association,
            person: nomination.person,
            school_year: opened.school_year,
            order,
            review,
        }),
    }))
}

async fn read_facts(
    store: &dyn EventStore,
    stream: &str,
) -> Result<Vec<domain::Fact>, WorkflowError> {
    let stream = StreamId::parse(stream.to_string())?;
    let mut facts = Vec::new();
    loop {
        let page = store
            .read_stream(&stream, facts.len() as u64 + 1, 1_000)
            .await?;
        let done = page.len() < 1_000;
        for recorded in &page {
            facts.extend(fact_of(recorded)?);
        }
        if done {
            return Ok(facts);
        }
    }
}
