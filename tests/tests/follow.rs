//! `workflow run --follow`: a running workflow reacts to an event as soon as it is appended
//! (woken by the store, not by a timer), and stops when asked. On SQLite and PostgreSQL.

mod scenario_support;

use std::time::Duration;

use domain::commands::{AppointHead, ApproveStep, OpenDocument, SubmitDocumentVersion};
use domain::ids::DocumentId;
use domain::values::{
    BodyKind, CategoryLevel, DocumentType, Level, Office, OrganizationKind, PositionKind,
};
use domain::Command;
use scenario_support::*;
use store::{Backend, StreamId};
use workflows::WorkflowRunner;

/// Kuznetsk (001) with its ММО of history: a head appointed by order, the Управление's chief,
/// and the head's plan for 2024/25 submitted on 12 Sep — waiting at its only step, the
/// department.
async fn kuznetsk_plan_submitted(backend: Backend, key: &str) -> (Town, DocumentId) {
    let mut town = Town::new(backend, "kuznetsk", "Город Кузнецк").await;
    // 001 has nobody approve the plan and sets no review period; this municipality adds the
    // Управление's acceptance as a local step with 10 days of its own, so a late step has a
    // deadline for the runners to record.
    town.amend_profile(|profile| {
        for rule in &mut profile.documents {
            rule.chain = Some(vec![domain::profile::ChainStep {
                local: true,
                ..domain::profile::ChainStep::of(domain::profile::StepRole::Department)
            }]);
        }
    });
    town.set_local_review_days(10);
    town.organization_in("school-5", "МБОУ СОШ № 5", OrganizationKind::School, None)
        .await;
    town.body_of(
        "uo",
        BodyKind::Department,
        "Управление образования",
        None,
        None,
    )
    .await;
    let first = Some((CategoryLevel::First, date(2019, 4, 1)));
    town.teacher_of(
        "head",
        "Борисова Людмила Алексеевна",
        "история",
        first,
        date(2010, 9, 1),
    )
    .await;
    town.teacher(
        "chief",
        "Фадеева Светлана Андреевна",
        "school-5",
        PositionKind::Official,
        None,
        date(1995, 9, 1),
    )
    .await;
    town.official("chief", "uo", Office::Chief).await;
    let order = town.order("uo", "157", date(2024, 9, 9), "О ММО").await;
    let mmo = town
        .association(
            "history",
            "ММО учителей истории",
            "история",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    town.op(
        date(2024, 9, 10),
        Command::AppointHead(AppointHead {
            association: mmo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order,
            review: None,
        }),
    )
    .await;
    let plan = DocumentId::derived("follow", key);
    town.by(
        "head",
        date(2024, 9, 12),
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: mmo,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "План ММО на 2024/25".into(),
            nomination: None,
        }),
    )
    .await;
    town.by(
        "head",
        date(2024, 9, 12),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    (town, plan)
}

async fn a_following_workflow_approves_a_document_as_its_last_step_lands_001(backend: Backend) {
    let (mut town, plan) = kuznetsk_plan_submitted(backend, "plan").await;

    let runner = WorkflowRunner::new(town.handler.clone());
    let (passes_tx, mut passes) = tokio::sync::mpsc::unbounded_channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    // A poll interval far longer than the test: only an append can wake the runner.
    let following = tokio::spawn(async move {
        runner
            .follow(
                Duration::from_secs(3600),
                async {
                    let _ = stop_rx.await;
                },
                move |report| {
                    let _ = passes_tx.send(report.clone());
                },
            )
            .await
    });
    let first_pass = passes.recv().await.expect("a first pass");
    assert_eq!(first_pass.reactions, 0);
    // The department approves the only step (001: the plan goes to the Управление).
    town.by(
        "chief",
        date(2024, 9, 16),
        Command::ApproveStep(ApproveStep {
            document: plan,
            step: 1,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: None,
        }),
    )
    .await;
    let mut reacted = 0;
    while reacted == 0 {
        reacted = passes
            .recv()
            .await
            .expect("a pass after the append")
            .reactions;
    }
    assert_eq!(reacted, 1);
    let _ = stop_tx.send(());
    following
        .await
        .expect("the runner task")
        .expect("the runner stops cleanly");

    let stream = StreamId::parse(plan.stream()).expect("stream");
    let events = town.store.read_stream(&stream, 1, 100).await.expect("read");
    let last = events.last().expect("events");
    assert_eq!(last.event_type, "DocumentApproved");
    assert_eq!(last.actor.id, "workflow");
    town.check_log().await;
}

/// Two runners at once (two `workflow run` processes, or a restart overlapping the old one):
/// the late step is recorded once and the document approved once.
async fn two_runners_at_once_record_each_effect_once_001(backend: Backend) {
    let (mut town, plan) = kuznetsk_plan_submitted(backend, "two-runners").await;
    // The Управление decides on 1 Oct: ten days after the 12 Sep arrival is 22 Sep.
    town.by(
        "chief",
        date(2024, 10, 1),
        Command::ApproveStep(ApproveStep {
            document: plan,
            step: 1,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: None,
        }),
    )
    .await;
    town.recording_day = Some(date(2024, 10, 2));
    town.clock.set(noon(date(2024, 10, 2)));
    let one = WorkflowRunner::new(town.handler.clone());
    let two = WorkflowRunner::new(town.handler.clone());
    let (a, b) = tokio::join!(one.run_once(), two.run_once());
    let (a, b) = (a.expect("runner one"), b.expect("runner two"));
    assert_eq!(a.reactions + b.reactions, 1, "{a:?} {b:?}");
    assert_eq!(a.deadlines + b.deadlines, 1, "{a:?} {b:?}");
    let stream = StreamId::parse(plan.stream()).expect("stream");
    let types: Vec<String> = town
        .store
        .read_stream(&stream, 1, 100)
        .await
        .expect("read")
        .into_iter()
        .map(|e| e.event_type)
        .collect();
    assert_eq!(
        types.iter().filter(|t| *t == "DocumentApproved").count(),
        1,
        "{types:?}"
    );
    let missed = types.iter().filter(|t| *t == "DeadlineMissed").count();
    assert_eq!(missed, 1, "the late step, once: {types:?}");
    town.check_log().await;
}

store::on_every_backend!(
    a_following_workflow_approves_a_document_as_its_last_step_lands_001,
    two_runners_at_once_record_each_effect_once_001,
);
