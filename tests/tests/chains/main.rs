//! Approval chains end to end, one regulation profile at a time, through the real command
//! handlers and the workflow runner on a real SQLite file and on PostgreSQL: every chain a
//! profile declares is walked to its approval (recorded once however often the workflow
//! runs); a return resumes at the step that returned; a rejection closes the document; a
//! step's review period and a document's own deadline, once passed, are recorded once naming
//! who held the matter; only the holder of a step's role on that day (or a deputy by order,
//! within their term) decides it, and only once; a crash between an event and its reaction
//! neither loses nor repeats the reaction; an approved application admits its member once.
//! Each test ends with the whole log verifying.
//!
//! One module per profile, each with its town and its chains; the helpers they share are
//! below.

#[path = "../scenario_support/mod.rs"]
mod scenario_support;

mod izhevsk;
mod kuznetsk;
mod novokuznetsk;
mod novosibirsk;

use chrono::NaiveDate;
use commands::fact_of;
use domain::commands::{
    ApproveStep, OpenDocument, RejectDocument, ReturnDocument, SubmitDocumentVersion,
};
use domain::events::{AdmissionBasis, CouncilReview, Member, NetworkEventDetails};
use domain::ids::{ApplicationId, AssociationId, DocumentId, MeetingId};
use domain::profile::ApplicationForm;
use domain::state::{DocumentState, DocumentStatus};
use domain::values::{
    AssociationRole, BodyKind, CategoryLevel, DocumentType, Level, Office, OrganizationKind,
    PositionKind,
};
use domain::{Acting, Aggregate, Command};
use scenario_support::*;
use serde_json::{json, Value};
use store::{Backend, BasisKind, RecordedEvent, StreamId};
use workflows::{RunReport, WorkflowRunner, PROCESS_MANAGERS};

// ---- common ---------------------------------------------------------------------------

fn document(key: &str) -> DocumentId {
    DocumentId::derived("chains", key)
}

fn approve(document: DocumentId, step: u32) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step,
        comment: None,
        meeting: None,
        order: None,
        protocol_number: None,
    })
}

/// Approves a step decided at a meeting, citing it.
fn approve_at(document: DocumentId, step: u32, meeting: MeetingId) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step,
        comment: Some("Рассмотрено на заседании".into()),
        meeting: Some(meeting),
        order: None,
        protocol_number: None,
    })
}

/// Approves a council's step, with the number of the council's protocol.
fn approve_by_council(document: DocumentId, step: u32, protocol: &str) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step,
        comment: None,
        meeting: None,
        order: None,
        protocol_number: Some(protocol.into()),
    })
}

fn send_back(document: DocumentId, step: u32, comment: &str) -> Command {
    Command::ReturnDocument(ReturnDocument {
        document,
        step,
        comment: comment.into(),
    })
}

fn reject(document: DocumentId, step: u32, reason: &str) -> Command {
    Command::RejectDocument(RejectDocument {
        document,
        step,
        reason: reason.into(),
    })
}

fn submit(document: DocumentId, version: u32) -> Command {
    Command::SubmitDocumentVersion(SubmitDocumentVersion {
        document,
        content_hash: hash_of(&format!("{document} v{version}")),
        network_event: None,
        based_on: None,
        planned_meetings: None,
        planned_network_events: None,
    })
}

/// Opens a document and submits its first version, both on `on`, by `author`.
#[allow(clippy::too_many_arguments)]
async fn write(
    town: &mut Town,
    author: &str,
    on: NaiveDate,
    document: DocumentId,
    association: AssociationId,
    document_type: DocumentType,
    school_year: &str,
    title: &str,
) {
    open(
        town,
        author,
        on,
        document,
        association,
        document_type,
        school_year,
        title,
    )
    .await;
    resubmit(town, author, on, document, 1).await;
}

#[allow(clippy::too_many_arguments)]
async fn open(
    town: &mut Town,
    author: &str,
    on: NaiveDate,
    document: DocumentId,
    association: AssociationId,
    document_type: DocumentType,
    school_year: &str,
    title: &str,
) {
    town.by(
        author,
        on,
        Command::OpenDocument(OpenDocument {
            document,
            association,
            document_type,
            school_year: year(school_year),
            title: title.into(),
            nomination: None,
        }),
    )
    .await;
}

/// Submits version `version`; the first one also fixes the chain.
async fn resubmit(town: &mut Town, author: &str, on: NaiveDate, document: DocumentId, n: u32) {
    resubmit_version(town, author, on, version(document, n), n).await;
}

/// The plain version `n` of a document, for a caller to add what its rule asks (a basis,
/// 002 §5.8; planned numbers, 002 §5.9).
fn version(document: DocumentId, n: u32) -> SubmitDocumentVersion {
    match submit(document, n) {
        Command::SubmitDocumentVersion(version) => version,
        other => unreachable!("{other:?}"),
    }
}

/// Submits `version` as version `n`; the first one also fixes the chain.
async fn resubmit_version(
    town: &mut Town,
    author: &str,
    on: NaiveDate,
    version: SubmitDocumentVersion,
    n: u32,
) {
    let command = Command::SubmitDocumentVersion(version);
    let handled = town.by(author, on, command).await;
    let submitted = payload(&handled.events[0]);
    assert_eq!(submitted["version"], n, "{submitted}");
    let assigned = handled
        .events
        .iter()
        .filter(|e| e.event_type == "ApprovalChainAssigned")
        .count();
    assert_eq!(
        assigned,
        usize::from(n == 1),
        "the chain is fixed at the first submission only"
    );
}

fn payload(event: &RecordedEvent) -> Value {
    serde_json::from_str(&event.payload).expect("a JSON payload")
}

async fn stream(town: &Town, document: DocumentId) -> Vec<RecordedEvent> {
    let id = StreamId::parse(document.stream()).expect("stream id");
    town.store
        .read_stream(&id, 1, 10_000)
        .await
        .expect("the stream reads")
}

/// The events of one type in the document's stream.
async fn events_of(town: &Town, document: DocumentId, event_type: &str) -> Vec<RecordedEvent> {
    stream(town, document)
        .await
        .into_iter()
        .filter(|e| e.event_type == event_type)
        .collect()
}

/// The payloads of one type of event in the document's stream.
async fn payloads_of(town: &Town, document: DocumentId, event_type: &str) -> Vec<Value> {
    events_of(town, document, event_type)
        .await
        .iter()
        .map(payload)
        .collect()
}

/// The document folded from its stream.
async fn state(town: &Town, document: DocumentId) -> DocumentState {
    let facts: Vec<_> = stream(town, document)
        .await
        .iter()
        .map(|e| fact_of(e).expect("decodes").expect("a domain event"))
        .collect();
    DocumentState::from_facts(&facts)
}

/// The stays of the document at its steps: (version, step).
async fn stays(town: &Town, document: DocumentId) -> Vec<(u32, u32)> {
    state(town, document)
        .await
        .step_periods
        .iter()
        .map(|p| (p.version, p.step))
        .collect()
}

/// The whole log's events of one type.
async fn in_log(town: &Town, event_type: &str) -> Vec<RecordedEvent> {
    town.store
        .read_all(1, 1_000_000)
        .await
        .expect("the log reads")
        .into_iter()
        .filter(|e| e.event_type == event_type)
        .collect()
}

/// One pass of the workflow by a fresh runner (as after a restart); nothing is refused.
async fn run_workflow(town: &Town) -> RunReport {
    let report = WorkflowRunner::new(town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert!(report.refused.is_empty(), "{report:?}");
    report
}

/// Runs the workflow; the number of deadlines it recorded on documents. (Associations of
/// the fixtures that open no plan or analysis miss those deadlines too; the tests of them
/// count them apart.)
async fn document_deadlines_in_run(town: &Town) -> usize {
    let before = on_documents(in_log(town, "DeadlineMissed").await);
    run_workflow(town).await;
    on_documents(in_log(town, "DeadlineMissed").await) - before
}

/// How many of `events` concern a document (not an association's document nobody opened).
fn on_documents(events: Vec<RecordedEvent>) -> usize {
    events
        .iter()
        .filter(|e| !payload(e)["document"].is_null())
        .count()
}

/// The day the workflow runs on (the handler's clock).
fn today(town: &Town, day: NaiveDate) {
    town.clock.set(noon(day));
}

/// Runs the workflow twice: the document is approved at `version` exactly once, by the
/// workflow, and the process managers' checkpoint is at the end of the log.
async fn approved_once(town: &Town, document: DocumentId, version: u32) {
    run_workflow(town).await;
    let again = run_workflow(town).await;
    assert_eq!(again.reactions, 0, "nothing to react to again: {again:?}");
    let approved = events_of(town, document, "DocumentApproved").await;
    assert_eq!(approved.len(), 1, "approved exactly once");
    let event = &approved[0];
    assert_eq!(payload(event)["version"], version);
    assert_eq!(
        (event.actor.id.as_str(), event.actor.role.as_str()),
        ("workflow", "operator")
    );
    let everywhere = in_log(town, "DocumentApproved")
        .await
        .iter()
        .filter(|e| payload(e)["document"] == document.to_string())
        .count();
    assert_eq!(everywhere, 1, "approved exactly once in the whole log");
    assert_eq!(state(town, document).await.status, DocumentStatus::Approved);
    let last = town.store.last_position().await.expect("last position");
    let checkpoint = town
        .store
        .checkpoint(PROCESS_MANAGERS)
        .await
        .expect("checkpoint");
    assert_eq!(checkpoint, last);
}

fn names(holder: &Value, person: domain::ids::PersonId) -> bool {
    holder["persons"]
        .as_array()
        .is_some_and(|persons| persons.contains(&Value::String(person.to_string())))
}

/// The document's missed approval days (its chain's `due`).
async fn approval_missed(town: &Town, document: DocumentId) -> Vec<RecordedEvent> {
    events_of(town, document, "DeadlineMissed")
        .await
        .into_iter()
        .filter(|e| payload(e)["deadline"] == "approval")
        .collect()
}

/// The final step recorded; the runner handled it and recorded its reaction, then died
/// before saving its checkpoint. The reaction is recorded again by hand with the command id
/// the runner derives; the restarted runner must append nothing more.
async fn crash_after_the_reaction(town: &Town, final_step: &RecordedEvent, document: DocumentId) {
    let before = town
        .store
        .checkpoint(PROCESS_MANAGERS)
        .await
        .expect("checkpoint");
    assert!(before < final_step.position, "the runner has not seen it");
    let fact = fact_of(final_step)
        .expect("decodes")
        .expect("a domain event");
    let reactions = workflows::reactions_to(town.store.as_ref(), final_step, &fact.event)
        .await
        .expect("reactions");
    assert_eq!(reactions.len(), 1, "the final step calls for the approval");
    for reaction in reactions {
        let handled = town
            .handler
            .handle(reaction)
            .await
            .expect("the reaction is recorded");
        assert!(!handled.result.deduplicated);
        assert_eq!(handled.events[0].event_type, "DocumentApproved");
        assert_eq!(handled.events[0].causation_id, Some(final_step.command_id));
    }
    assert_eq!(
        town.store
            .checkpoint(PROCESS_MANAGERS)
            .await
            .expect("checkpoint"),
        before,
        "the checkpoint was not saved"
    );
    // The restarted runner repeats the page: the reaction's command id answers, nothing new
    // for the document.
    let before = stream(town, document).await.len();
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0, "{report:?}");
    assert_eq!(
        stream(town, document).await.len(),
        before,
        "nothing appended"
    );
    approved_once(town, document, 1).await;
}
