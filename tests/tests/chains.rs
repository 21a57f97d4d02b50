//! Approval chains end to end, one regulation profile at a time, through the real command
//! handlers and the workflow runner on a real SQLite file and on PostgreSQL: every chain a
//! profile declares is walked to its approval (recorded once however often the workflow
//! runs); a return resumes at the step that returned; a rejection closes the document; a
//! step's review period and a document's own deadline, once passed, are recorded once naming
//! who held the matter; only the holder of a step's role on that day (or a deputy by order,
//! within their term) decides it, and only once; a crash between an event and its reaction
//! neither loses nor repeats the reaction; an approved application admits its member once.
//! Each test ends with the whole log verifying.

mod scenario_support;

use chrono::NaiveDate;
use commands::fact_of;
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
    Command::ApproveStep {
        document,
        step,
        comment: None,
        meeting: None,
        order: None,
        protocol_number: None,
    }
}

/// Approves a step decided at a meeting, citing it.
fn approve_at(document: DocumentId, step: u32, meeting: MeetingId) -> Command {
    Command::ApproveStep {
        document,
        step,
        comment: Some("Рассмотрено на заседании".into()),
        meeting: Some(meeting),
        order: None,
        protocol_number: None,
    }
}

/// Approves a council's step, with the number of the council's protocol.
fn approve_by_council(document: DocumentId, step: u32, protocol: &str) -> Command {
    Command::ApproveStep {
        document,
        step,
        comment: None,
        meeting: None,
        order: None,
        protocol_number: Some(protocol.into()),
    }
}

fn send_back(document: DocumentId, step: u32, comment: &str) -> Command {
    Command::ReturnDocument {
        document,
        step,
        comment: comment.into(),
    }
}

fn reject(document: DocumentId, step: u32, reason: &str) -> Command {
    Command::RejectDocument {
        document,
        step,
        reason: reason.into(),
    }
}

fn submit(document: DocumentId, version: u32) -> Command {
    Command::SubmitDocumentVersion {
        document,
        content_hash: hash_of(&format!("{document} v{version}")),
        network_event: None,
        based_on: None,
    }
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
        Command::OpenDocument {
            document,
            association,
            document_type,
            school_year: year(school_year),
            title: title.into(),
            nomination: None,
        },
    )
    .await;
}

/// Submits version `version`; the first one also fixes the chain.
async fn resubmit(town: &mut Town, author: &str, on: NaiveDate, document: DocumentId, n: u32) {
    resubmit_on(town, author, on, document, n, None).await;
}

/// Submits version `version` citing the document it is developed on (002 §5.8).
async fn resubmit_on(
    town: &mut Town,
    author: &str,
    on: NaiveDate,
    document: DocumentId,
    n: u32,
    based_on: Option<DocumentId>,
) {
    let command = match submit(document, n) {
        Command::SubmitDocumentVersion {
            document,
            content_hash,
            network_event,
            ..
        } => Command::SubmitDocumentVersion {
            document,
            content_hash,
            network_event,
            based_on,
        },
        other => other,
    };
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
        .map(|e| fact_of(e).expect("a domain event"))
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
    let fact = fact_of(final_step).expect("a domain event");
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

// ---- 000: Novokuznetsk ----------------------------------------------------------------

/// Two district associations linked to the city association of their subject, whose head
/// (b1) is Zavodskoy's head; a second city association (physics, head p1); KOiN with its
/// deputy chair and a specialist; the organizational-methodical council with a member. Every
/// head appointed by 15 Sep and every member database updated by 1 Oct, so that the only
/// deadlines the workflow finds are the chains'.
struct Novokuznetsk {
    town: Town,
    city: AssociationId,
    central: AssociationId,
}

async fn novokuznetsk(backend: Backend) -> Novokuznetsk {
    let mut town = Town::novokuznetsk(backend).await;
    town.body_of(
        "omc",
        BodyKind::OrganizationalMethodicalCouncil,
        "Организационно-методический совет ММС",
        None,
        None,
    )
    .await;
    town.teacher(
        "deputy",
        "Соколова Анна Петровна",
        "koin",
        PositionKind::Official,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("deputy", "koin", Office::DeputyChief).await;
    town.teacher(
        "specialist",
        "Гришина Вера Олеговна",
        "koin",
        PositionKind::Official,
        None,
        date(2010, 9, 1),
    )
    .await;
    town.official("specialist", "koin", Office::Specialist)
        .await;
    town.teacher(
        "omc",
        "Фролов Пётр Ильич",
        "koin",
        PositionKind::Methodist,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("omc", "omc", Office::CouncilMember).await;
    let highest = Some((CategoryLevel::Highest, date(2018, 1, 1)));
    for (key, name, school, category, since) in [
        (
            "a1",
            "Иванова Мария Сергеевна",
            "school-1",
            highest,
            date(2005, 9, 1),
        ),
        (
            "a2",
            "Петров Олег Иванович",
            "school-1",
            None,
            date(2018, 9, 1),
        ),
        (
            "b1",
            "Смирнов Павел Андреевич",
            "school-2",
            highest,
            date(2003, 9, 1),
        ),
        (
            "b2",
            "Орлова Ирина Николаевна",
            "school-2",
            None,
            date(2015, 9, 1),
        ),
        (
            "p1",
            "Ковалёв Игорь Дмитриевич",
            "school-2",
            highest,
            date(2001, 9, 1),
        ),
    ] {
        town.teacher(key, name, school, PositionKind::Teacher, category, since)
            .await;
    }

    // The city associations: the Coordination council, then KOiN's order (000 §1.4).
    let review = |town: &Town, number: &str, on: NaiveDate| CouncilReview {
        council: town.body("coordination"),
        protocol_number: number.into(),
        date: on,
    };
    let list = town
        .order(
            "koin",
            "1201",
            date(2024, 8, 26),
            "Об утверждении перечня ГПМО",
        )
        .await;
    town.creation_review = Some(review(&town, "1", date(2024, 8, 20)));
    let city = town
        .association(
            "math-city",
            "ГПМО учителей математики",
            "математика",
            Level::City,
            None,
            None,
            list,
        )
        .await;
    town.creation_review = Some(review(&town, "1", date(2024, 8, 20)));
    let physics = town
        .association(
            "physics-city",
            "ГПМО учителей физики",
            "физика",
            Level::City,
            None,
            None,
            list,
        )
        .await;
    // The district associations: each district department's order (000 §7.4).
    let mut districts = Vec::new();
    for (key, title, district, department, number) in [
        (
            "math-central",
            "РПМО учителей математики Центрального района",
            "central",
            "rono-central",
            "40",
        ),
        (
            "math-zavodskoy",
            "РПМО учителей математики Заводского района",
            "zavodskoy",
            "rono-zavodskoy",
            "61",
        ),
    ] {
        let order = town
            .order(
                department,
                number,
                date(2024, 8, 27),
                "Об утверждении перечня РПМО",
            )
            .await;
        let association = town
            .association(
                key,
                title,
                "математика",
                Level::District,
                Some(district),
                None,
                order,
            )
            .await;
        town.op(
            date(2024, 8, 28),
            Command::LinkDistrictAssociation {
                city_association: city,
                district_association: association,
            },
        )
        .await;
        districts.push(association);
    }
    let (central, zavodskoy) = (districts[0], districts[1]);
    // District heads by 15 Sep (000 §7.4).
    for (association, department, number, head, member) in [
        (central, "rono-central", "45", "a1", "a2"),
        (zavodskoy, "rono-zavodskoy", "78", "b1", "b2"),
    ] {
        let order = town
            .order(
                department,
                number,
                date(2024, 9, 5),
                "О составе и руководителе РПМО",
            )
            .await;
        town.admit_by_order(association, &[head, member], order, date(2024, 9, 5))
            .await;
        town.op(
            date(2024, 9, 5),
            Command::AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order,
                review: None,
            },
        )
        .await;
    }
    // City heads: the Coordination council, then KOiN's order (000 §4.2). The city
    // association is made of the district heads (000 §4.1).
    let heads = town
        .order(
            "koin",
            "1302",
            date(2024, 9, 12),
            "О руководителях и составе ГПМО",
        )
        .await;
    for (association, head) in [(city, "b1"), (physics, "p1")] {
        town.op(
            date(2024, 9, 12),
            Command::AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order: heads,
                review: Some(review(&town, "3", date(2024, 9, 10))),
            },
        )
        .await;
    }
    for (head, district) in [("a1", central), ("b1", zavodskoy)] {
        town.op(
            date(2024, 9, 12),
            Command::AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(heads),
                district_association: Some(district),
            },
        )
        .await;
    }
    // Member databases by 1 Oct (000 §4.6, §10.4).
    for (association, head) in [
        (central, "a1"),
        (zavodskoy, "b1"),
        (city, "b1"),
        (physics, "p1"),
    ] {
        town.by(
            head,
            date(2024, 9, 20),
            Command::UpdateMemberDatabase {
                association,
                school_year: year("2024/25"),
            },
        )
        .await;
    }
    Novokuznetsk {
        town,
        city,
        central,
    }
}

impl Novokuznetsk {
    /// Central's plan for 2025/26, written and submitted by its head.
    async fn district_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let central = self.central;
        write(
            &mut self.town,
            "a1",
            on,
            plan,
            central,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы РПМО учителей математики Центрального района на 2025/26",
        )
        .await;
        plan
    }

    /// The city association's plan for 2025/26, by its head.
    async fn city_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let city = self.city;
        write(
            &mut self.town,
            "b1",
            on,
            plan,
            city,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы ГПМО учителей математики на 2025/26",
        )
        .await;
        plan
    }

    /// A meeting of the city association, held by its head, that reviews a district plan.
    async fn city_meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let city = self.city;
        self.town
            .hold_meeting(
                "b1",
                key,
                city,
                on,
                &["a1", "b1"],
                vec![decided(
                    "О плане работы РПМО Центрального района",
                    "Согласовать",
                )],
            )
            .await
    }
}

async fn district_plan_agreed_by_city_head_at_city_meeting_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    // A meeting of the city association before the plan exists cannot have reviewed it.
    let earlier = nk.city_meeting("city-early", date(2025, 4, 10)).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let (city, central) = (nk.city, nk.central);
    let town = &mut nk.town;

    // The chain, fixed at the first submission: the city head, at the city meeting, by 5 May.
    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(chain.len(), 1);
    let chain = &chain[0];
    assert_eq!(
        chain["steps"],
        json!([{"step": {"role": "city_head", "at_meeting": "city"}, "association": city.to_string()}])
    );
    assert_eq!(chain["due"], "2025-05-05");
    assert_eq!(chain["review_days"], 10);
    assert_eq!(chain["clause"], "000 §10.5");
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 1 }
    );

    // Only at a meeting of the city association held since the plan reached it.
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve(plan, 1),
        "step_meeting_required",
    )
    .await;
    let district_meeting = town
        .hold_meeting(
            "a1",
            "central-april",
            central,
            date(2025, 4, 15),
            &["a1", "a2"],
            vec![decided("О плане работы на 2025/26", "Направить в ГПМО")],
        )
        .await;
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve_at(plan, 1, district_meeting),
        "step_meeting_required",
    )
    .await;
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve_at(plan, 1, earlier),
        "step_meeting_required",
    )
    .await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 18)).await;
    let town = &mut nk.town;
    let agreed = town
        .by("b1", date(2025, 4, 18), approve_at(plan, 1, meeting))
        .await;
    let step = payload(&agreed.events[0]);
    assert_eq!(step["step"], 1);
    assert_eq!(step["final_step"], true);
    assert_eq!(step["by"], town.person("b1").to_string());
    assert_eq!(step["meeting"], meeting.to_string());
    assert_eq!(agreed.events[0].actor.role, "city_head");
    assert_eq!(
        agreed.events[0].basis.as_ref().map(|b| b.kind),
        Some(BasisKind::Protocol)
    );
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::StepsApproved
    );

    approved_once(town, plan, 1).await;
    assert_eq!(
        payloads_of(town, plan, "DocumentApproved").await[0]["association"],
        central.to_string()
    );
    town.check_log().await;
}

async fn city_plan_reviewed_by_council_and_agreed_by_department_deputy_chief_000_4_7(
    backend: Backend,
) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "council", "council": "organizational_methodical_council"}},
            {"step": {"role": "department", "offices": ["deputy_chief"]}}
        ])
    );
    assert_eq!(chain[0]["due"], "2025-05-15");
    assert_eq!(chain[0]["clause"], "000 §4.7");

    // The council decides at its sitting: an approval without its protocol is refused.
    let error = town
        .refused_by(
            "omc",
            date(2025, 4, 16),
            approve(plan, 1),
            "decision_text_required",
        )
        .await;
    assert!(
        error
            .to_string()
            .contains("номер протокола заседания совета"),
        "{error}"
    );
    // The council reviews it (its member records the council's protocol).
    let reviewed = town
        .by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    let step = payload(&reviewed.events[0]);
    assert_eq!(step["final_step"], false);
    assert_eq!(step["protocol_number"], "7");
    assert_eq!(
        reviewed.events[0].actor.role,
        "council:organizational_methodical_council"
    );
    // The council's protocol is the decision's legal basis, shown in the trail.
    let basis = reviewed.events[0].basis.clone().expect("basis");
    assert_eq!(
        (basis.kind, basis.number.as_str(), basis.date),
        (BasisKind::Protocol, "7", date(2025, 4, 16))
    );
    assert_eq!(basis.issuer, "организационно-методический совет");
    // KOiN's deputy chair agrees it; KOiN's specialist may not (000 §4.7).
    town.refused_by(
        "specialist",
        date(2025, 4, 17),
        approve(plan, 2),
        "not_authorized",
    )
    .await;
    let agreed = town.by("deputy", date(2025, 4, 17), approve(plan, 2)).await;
    let step = payload(&agreed.events[0]);
    assert_eq!(
        (step["step"].clone(), step["final_step"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(agreed.events[0].actor.role, "official:department");

    approved_once(town, plan, 1).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2)]);
    town.check_log().await;
}

async fn city_plan_returned_by_deputy_chief_resumes_at_that_step_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;

    // A return says what to rework.
    for silent in ["", "   "] {
        town.refused_by(
            "deputy",
            date(2025, 4, 16),
            send_back(plan, 2, silent),
            "decision_text_required",
        )
        .await;
    }
    let returned = town
        .by(
            "deputy",
            date(2025, 4, 16),
            send_back(plan, 2, "Уточнить сроки и ответственных за мероприятия"),
        )
        .await;
    let back = payload(&returned.events[0]);
    assert_eq!(
        (back["version"].clone(), back["step"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(back["by"], town.person("deputy").to_string());
    assert_eq!(
        back["comment"],
        "Уточнить сроки и ответственных за мероприятия"
    );
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::Returned { step: 2 }
    );
    // Nothing to decide until the author resubmits.
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        approve(plan, 2),
        "document_state",
    )
    .await;

    // Version 2 resumes at the step that returned it; the council does not review it again.
    resubmit(town, "b1", date(2025, 4, 18), plan, 2).await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 2 }
    );
    town.refused_by(
        "omc",
        date(2025, 4, 18),
        approve_by_council(plan, 1, "8"),
        "step_not_current",
    )
    .await;
    let agreed = town.by("deputy", date(2025, 4, 21), approve(plan, 2)).await;
    let step = payload(&agreed.events[0]);
    assert_eq!(
        (
            step["version"].clone(),
            step["step"].clone(),
            step["final_step"].clone()
        ),
        (json!(2), json!(2), json!(true))
    );

    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (2, 2)]);
    assert_eq!(
        payloads_of(town, plan, "ApprovalChainAssigned").await.len(),
        1
    );
    town.check_log().await;
}

async fn district_plan_rejected_by_city_head_is_closed_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 17)).await;
    let town = &mut nk.town;

    town.refused_by(
        "b1",
        date(2025, 4, 17),
        reject(plan, 1, " "),
        "decision_text_required",
    )
    .await;
    let rejected = town
        .by(
            "b1",
            date(2025, 4, 17),
            reject(plan, 1, "План не учитывает городские мероприятия"),
        )
        .await;
    let decision = payload(&rejected.events[0]);
    assert_eq!(
        (decision["version"].clone(), decision["step"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        decision["reason"],
        "План не учитывает городские мероприятия"
    );
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);

    // Closed: no new version, no decision.
    town.refused_by("a1", date(2025, 4, 18), submit(plan, 2), "document_closed")
        .await;
    town.refused_by(
        "b1",
        date(2025, 4, 18),
        approve_at(plan, 1, meeting),
        "step_not_current",
    )
    .await;
    // The workflow approves nothing, and a rejected plan misses no deadline — not even 5 May.
    today(town, date(2025, 5, 10));
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0, "{report:?}");
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    town.check_log().await;
}

async fn city_head_review_period_and_5_may_agreement_missed_once_each_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let (city, central) = (nk.city, nk.central);
    let town = &mut nk.town;
    let b1 = town.person("b1");
    let city_head = "руководитель городского объединения, на заседании городского объединения";

    // The city head has 10 days (to 24 Apr); the timer fires the day after, once.
    today(town, date(2025, 4, 24));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2025, 4, 25));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = events_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].effective, date(2025, 4, 25));
    assert_eq!(missed[0].actor.id, "workflow");
    let review = payload(&missed[0]);
    assert_eq!(review["deadline"], "step_review");
    assert_eq!(review["due"], "2025-04-24");
    assert_eq!(
        (review["version"].clone(), review["step"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(review["association"], central.to_string());
    assert_eq!(review["holder"]["role"], city_head);
    assert!(names(&review["holder"], b1), "{review}");
    assert_eq!(review["clause"], "000 §10.5");

    // 5 May passes with the plan still at the city head (000 §10.5): recorded once.
    today(town, date(2025, 5, 5));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2025, 5, 6));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 2);
    let approval = &missed[1];
    assert_eq!(approval["deadline"], "approval");
    assert_eq!(approval["due"], "2025-05-05");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(approval["holder"]["role"], city_head);
    assert!(names(&approval["holder"], b1), "{approval}");
    assert_eq!(approval["clause"], "000 §10.5");

    // Agreed late: approved, and no deadline recorded again.
    let meeting = town
        .hold_meeting(
            "b1",
            "city-may",
            city,
            date(2025, 5, 12),
            &["a1", "b1"],
            vec![decided("О плане РПМО", "Согласовать")],
        )
        .await;
    town.by("b1", date(2025, 5, 12), approve_at(plan, 1, meeting))
        .await;
    approved_once(town, plan, 1).await;
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 2);
    assert_eq!(on_documents(in_log(town, "DeadlineMissed").await), 2);
    town.check_log().await;
}

async fn district_analysis_never_submitted_misses_5_may_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let central = nk.central;
    let analysis = document("analysis");
    let town = &mut nk.town;
    open(
        town,
        "a1",
        date(2025, 4, 14),
        analysis,
        central,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РПМО за 2024/25",
    )
    .await;
    // Never submitted: on 6 May the agreement day has passed, with the author.
    today(town, date(2025, 5, 6));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, analysis, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "approval");
    assert_eq!(missed[0]["due"], "2025-05-05");
    assert_eq!(
        missed[0]["holder"]["role"],
        "руководитель объединения (автор документа)"
    );
    assert!(names(&missed[0]["holder"], town.person("a1")));
    assert_eq!(missed[0]["clause"], "000 §10.5");
    town.check_log().await;
}

async fn district_plan_and_analysis_nobody_opened_miss_5_may_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let central = nk.central;
    let town = &mut nk.town;
    // Central opened neither its analysis of 2024/25 nor its plan for 2025/26: on 6 May both
    // agreement days (000 §10.5) have passed, with its head, and are recorded once each.
    today(town, date(2025, 5, 5));
    run_workflow(town).await;
    let unopened = |events: Vec<RecordedEvent>| -> Vec<Value> {
        events
            .iter()
            .map(payload)
            .filter(|p| p["document"].is_null() && p["association"] == central.to_string())
            .collect()
    };
    assert!(unopened(in_log(town, "DeadlineMissed").await).is_empty());
    today(town, date(2025, 5, 6));
    run_workflow(town).await;
    run_workflow(town).await;
    let mut missed = unopened(in_log(town, "DeadlineMissed").await);
    missed.sort_by_key(|p| p["document_type"].to_string());
    assert_eq!(missed.len(), 2, "{missed:?}");
    for (payload, document_type, school_year) in [
        (&missed[0], "annual_analysis", "2024/25"),
        (&missed[1], "work_plan", "2025/26"),
    ] {
        assert_eq!(payload["deadline"], "approval");
        assert_eq!(payload["document_type"], document_type);
        assert_eq!(payload["school_year"], school_year);
        assert_eq!(payload["due"], "2025-05-05");
        assert!(names(&payload["holder"], town.person("a1")), "{payload}");
        assert_eq!(payload["clause"], "000 §10.5");
    }
    // The plan opened and agreed late is not recorded as missed a second time.
    let plan = document("late-plan");
    write(
        town,
        "a1",
        date(2025, 5, 7),
        plan,
        central,
        DocumentType::WorkPlan,
        "2025/26",
        "План работы РПМО на 2025/26",
    )
    .await;
    today(town, date(2025, 5, 30));
    run_workflow(town).await;
    assert!(!payloads_of(town, plan, "DeadlineMissed")
        .await
        .iter()
        .any(|p| p["deadline"] == "approval"));
    assert_eq!(unopened(in_log(town, "DeadlineMissed").await).len(), 2);
    town.check_log().await;
}

async fn only_the_city_head_agrees_a_district_plan_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 16)).await;
    let town = &mut nk.town;
    let on = date(2025, 4, 16);

    // The author (Central's head), the head of another city association, a member of the
    // city's district, KOiN's deputy chair: none of them holds the step.
    for who in ["a1", "p1", "b2", "deputy", "omc"] {
        town.refused_by(who, on, approve_at(plan, 1, meeting), "not_authorized")
            .await;
    }
    town.refused_by("p1", on, send_back(plan, 1, "Переделать"), "not_authorized")
        .await;
    town.refused_by("a1", on, reject(plan, 1, "Отозвать"), "not_authorized")
        .await;
    // Nor the operator: a step is decided by the official in person.
    let error = town
        .refused(
            Acting::Operator,
            on,
            approve_at(plan, 1, meeting),
            "not_authorized",
        )
        .await;
    assert!(error.to_string().contains("не оператор"), "{error}");

    town.by("b1", on, approve_at(plan, 1, meeting)).await;
    approved_once(town, plan, 1).await;
    let decided: Vec<Value> = payloads_of(town, plan, "StepApproved").await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["by"], town.person("b1").to_string());
    town.check_log().await;
}

async fn a_step_is_decided_once_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    // Step 1 again: it is no longer the current step.
    town.refused_by(
        "omc",
        date(2025, 4, 15),
        approve_by_council(plan, 1, "7"),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "omc",
        date(2025, 4, 15),
        send_back(plan, 1, "Ещё раз"),
        "step_not_current",
    )
    .await;
    town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    // Step 2 again: before the workflow records the approval, and after.
    town.refused_by(
        "deputy",
        date(2025, 4, 16),
        approve(plan, 2),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 16),
        send_back(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    approved_once(town, plan, 1).await;
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        approve(plan, 2),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        reject(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    assert_eq!(events_of(town, plan, "StepApproved").await.len(), 2);
    assert_eq!(events_of(town, plan, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

async fn a_step_is_not_decided_before_the_document_reaches_it_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    // Submitted on 14 April: a review dated 10 April would hide the review period.
    let error = town
        .refused_by(
            "omc",
            date(2025, 4, 10),
            approve_by_council(plan, 1, "7"),
            "date_too_early",
        )
        .await;
    assert!(error.to_string().contains("2025-04-14"), "{error}");
    town.refused_by(
        "omc",
        date(2025, 4, 13),
        send_back(plan, 1, "Доработать"),
        "date_too_early",
    )
    .await;
    town.by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    // Step 2 was reached on 16 April: the deputy chair decides on that day or later.
    town.refused_by(
        "deputy",
        date(2025, 4, 15),
        approve(plan, 2),
        "date_too_early",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 15),
        reject(plan, 2, "Не соответствует"),
        "date_too_early",
    )
    .await;
    // Returned on 20 April: the new version is not dated before the return.
    town.by(
        "deputy",
        date(2025, 4, 20),
        send_back(plan, 2, "Уточнить сроки"),
    )
    .await;
    town.refused_by("b1", date(2025, 4, 19), submit(plan, 2), "date_too_early")
        .await;
    resubmit(town, "b1", date(2025, 4, 21), plan, 2).await;
    town.refused_by(
        "deputy",
        date(2025, 4, 20),
        approve(plan, 2),
        "date_too_early",
    )
    .await;
    town.by("deputy", date(2025, 4, 22), approve(plan, 2)).await;
    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (2, 2)]);
    town.check_log().await;
}

async fn final_step_recorded_before_a_crash_is_approved_on_restart_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    let runner = WorkflowRunner::new(town.handler.clone());
    let report = runner.run_once().await.expect("the workflow runs");
    assert_eq!(report.reactions, 0);
    // The final step is recorded; the process dies before its runner sees it.
    let final_step = town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    drop(runner);
    let checkpoint = town
        .store
        .checkpoint(PROCESS_MANAGERS)
        .await
        .expect("checkpoint");
    assert!(checkpoint < final_step.events[0].position);
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::StepsApproved
    );
    // The restarted runner picks it up from its checkpoint.
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 1, "{report:?}");
    approved_once(town, plan, 1).await;
    let approved = &events_of(town, plan, "DocumentApproved").await[0];
    assert_eq!(approved.causation_id, Some(final_step.events[0].command_id));
    assert_eq!(approved.correlation_id, final_step.events[0].correlation_id);
    assert_eq!(approved.effective, date(2025, 4, 16));
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    run_workflow(town).await;
    let final_step = town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    assert_eq!(in_log(town, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

async fn city_plan_not_agreed_by_15_may_misses_its_approval_deadline_once_000_4_7(
    backend: Backend,
) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    let (deputy, specialist) = (town.person("deputy"), town.person("specialist"));
    // The council reviews it in time; KOiN's deputy chair still holds it on 15 May.
    town.by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    today(town, date(2025, 5, 15));
    run_workflow(town).await;
    assert!(
        approval_missed(town, plan).await.is_empty(),
        "not before 16 May"
    );

    // 16 May: the agreement day (000 §4.7) has passed, recorded once, naming the holder.
    today(town, date(2025, 5, 16));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = approval_missed(town, plan).await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].effective, date(2025, 5, 16));
    assert_eq!(missed[0].actor.id, "workflow");
    let approval = payload(&missed[0]);
    assert_eq!(approval["due"], "2025-05-15");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(approval["clause"], "000 §4.7");
    assert_eq!(approval["holder"]["body"], town.body("koin").to_string());
    assert!(names(&approval["holder"], deputy), "{approval}");
    assert!(
        !names(&approval["holder"], specialist),
        "only the deputy chair agrees it: {approval}"
    );

    // The trail names the holder as the vault knows her, and once erased as erased.
    let row = |trail: &workflows::Trail| {
        trail
            .entries
            .iter()
            .find(|e| e.position == missed[0].position)
            .cloned()
            .expect("the missed deadline's row")
    };
    let trail = workflows::trail(town.store.as_ref(), plan)
        .await
        .expect("trail");
    let entry = row(&trail);
    assert!(
        entry.what.contains("Соколова Анна Петровна"),
        "{}",
        entry.what
    );
    let holder = entry.holder.expect("the holder");
    assert_eq!(holder.persons.len(), 1);
    assert_eq!(holder.persons[0].person, deputy);
    assert_eq!(
        holder.persons[0].name.as_deref(),
        Some("Соколова Анна Петровна")
    );

    // Agreed late: approved, and the approval deadline is not recorded again.
    town.by("deputy", date(2025, 5, 20), approve(plan, 2)).await;
    approved_once(town, plan, 1).await;
    assert_eq!(approval_missed(town, plan).await.len(), 1);

    town.store
        .shred(
            &deputy.to_string(),
            store::Erasure {
                actor: store::Actor::new("operator", "operator"),
                basis: None,
                grounds: "отзыв согласия на обработку персональных данных".into(),
                effective: date(2025, 5, 20),
            },
            store::CommandId::random(),
        )
        .await
        .expect("the deputy's data is erased");
    let trail = workflows::trail(town.store.as_ref(), plan)
        .await
        .expect("trail");
    let entry = row(&trail);
    assert!(entry.what.contains(store::ERASED_TEXT), "{}", entry.what);
    assert!(!entry.what.contains("Соколова"), "{}", entry.what);
    assert_eq!(
        entry.holder.expect("the holder").persons[0].name.as_deref(),
        Some(store::ERASED_TEXT)
    );
    town.check_log().await;
}

async fn deputy_by_order_agrees_for_city_head_within_its_term_only_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let (city, central) = (nk.city, nk.central);
    let town = &mut nk.town;

    // KOiN, which appoints city heads (000 §4.2), designates the deputy; a district
    // department may not.
    let order = town
        .order(
            "koin",
            "1450",
            date(2025, 4, 15),
            "О временном исполнении обязанностей руководителя ГПМО",
        )
        .await;
    let district_order = town
        .order(
            "rono-central",
            "52",
            date(2025, 4, 15),
            "О временном исполнении обязанностей",
        )
        .await;
    let designate = |order| Command::DesignateDeputy {
        association: city,
        role: AssociationRole::Head,
        deputy: town.person("b2"),
        until: date(2025, 4, 20),
        order,
    };
    let wrong = designate(district_order);
    let right = designate(order);
    town.refused(
        Acting::Operator,
        date(2025, 4, 15),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2025, 4, 15), right).await;

    // Within the term the deputy agrees the plan at the city meeting, as the deputy.
    let meeting = nk.city_meeting("city-april", date(2025, 4, 16)).await;
    let town = &mut nk.town;
    let agreed = town
        .by("b2", date(2025, 4, 16), approve_at(plan, 1, meeting))
        .await;
    assert_eq!(agreed.events[0].actor.role, "deputy:city_head");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("b2").to_string()
    );
    approved_once(town, plan, 1).await;

    // After the term (20 Apr) the deputy no longer does; the head does.
    let analysis = document("analysis");
    write(
        town,
        "a1",
        date(2025, 4, 21),
        analysis,
        central,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РПМО за 2024/25",
    )
    .await;
    let meeting = nk.city_meeting("city-late-april", date(2025, 4, 22)).await;
    let town = &mut nk.town;
    town.refused_by(
        "b2",
        date(2025, 4, 22),
        approve_at(analysis, 1, meeting),
        "not_authorized",
    )
    .await;
    let agreed = town
        .by("b1", date(2025, 4, 22), approve_at(analysis, 1, meeting))
        .await;
    assert_eq!(agreed.events[0].actor.role, "city_head");
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

// ---- 001: Kuznetsk --------------------------------------------------------------------

/// One municipal association per subject (history, mathematics), heads appointed by the
/// Управление's order; the Управление with a chief and a specialist.
struct Kuznetsk {
    town: Town,
    history: AssociationId,
}

async fn kuznetsk(backend: Backend) -> Kuznetsk {
    let mut town = Town::new(backend, "kuznetsk", "Город Кузнецк").await;
    town.organization_in(
        "uo",
        "Управление образования города Кузнецка",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in("school-5", "МБОУ СОШ № 5", OrganizationKind::School, None)
        .await;
    town.body_of(
        "uo",
        BodyKind::Department,
        "Управление образования города Кузнецка",
        None,
        None,
    )
    .await;
    town.teacher(
        "uo-specialist",
        "Данилова Ольга Викторовна",
        "uo",
        PositionKind::Official,
        None,
        date(2009, 9, 1),
    )
    .await;
    town.official("uo-specialist", "uo", Office::Specialist)
        .await;
    town.teacher(
        "uo-chief",
        "Романов Виктор Степанович",
        "uo",
        PositionKind::Official,
        None,
        date(1998, 9, 1),
    )
    .await;
    town.official("uo-chief", "uo", Office::Chief).await;
    let first = Some((CategoryLevel::First, date(2019, 4, 1)));
    for (key, name, category, since) in [
        (
            "head",
            "Борисова Людмила Алексеевна",
            first,
            date(2010, 9, 1),
        ),
        ("t1", "Фадеев Сергей Андреевич", None, date(2020, 9, 1)),
        (
            "head2",
            "Тихонова Светлана Юрьевна",
            first,
            date(2008, 9, 1),
        ),
    ] {
        town.teacher(
            key,
            name,
            "school-5",
            PositionKind::Teacher,
            category,
            since,
        )
        .await;
    }
    let order = town
        .order(
            "uo",
            "157",
            date(2024, 9, 9),
            "Об утверждении Положения и состава ММО",
        )
        .await;
    let history = town
        .association(
            "history",
            "ММО учителей истории и обществознания",
            "история",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    let maths = town
        .association(
            "maths",
            "ММО учителей математики",
            "математика",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    for (association, head, members) in [
        (history, "head", &["head", "t1"][..]),
        (maths, "head2", &["head2"][..]),
    ] {
        town.admit_by_order(association, members, order, date(2024, 9, 9))
            .await;
        town.op(
            date(2024, 9, 10),
            Command::AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order,
                review: None,
            },
        )
        .await;
    }
    Kuznetsk { town, history }
}

impl Kuznetsk {
    async fn plan(&mut self, on: NaiveDate) -> DocumentId {
        let plan = document("plan");
        let history = self.history;
        write(
            &mut self.town,
            "head",
            on,
            plan,
            history,
            DocumentType::WorkPlan,
            "2024/25",
            "План работы ММО («дорожная карта») на 2024/25",
        )
        .await;
        plan
    }
}

async fn work_plan_accepted_by_the_department_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(chain[0]["steps"], json!([{"step": {"role": "department"}}]));
    assert_eq!(chain[0]["clause"], "001 §1.3 (второй, раздел 2)");
    assert!(chain[0].get("due").is_none() && chain[0].get("submit_by").is_none());

    // Not its author, not the head of another association, not the operator.
    let on = date(2024, 9, 18);
    for who in ["head", "head2", "t1"] {
        town.refused_by(who, on, approve(plan, 1), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 1), "not_authorized")
        .await;
    let accepted = town.by("uo-specialist", on, approve(plan, 1)).await;
    assert_eq!(payload(&accepted.events[0])["final_step"], true);
    assert_eq!(accepted.events[0].actor.role, "official:department");
    // Decided once: the chief cannot decide it again.
    town.refused_by("uo-chief", on, approve(plan, 1), "step_not_current")
        .await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn work_plan_returned_by_the_department_resumes_there_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    town.refused_by(
        "uo-chief",
        date(2024, 9, 18),
        send_back(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "uo-chief",
        date(2024, 9, 18),
        send_back(plan, 1, "Добавить муниципальные мероприятия"),
    )
    .await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::Returned { step: 1 }
    );
    // The author resubmits the same day another version: it waits at the department again.
    resubmit(town, "head", date(2024, 9, 20), plan, 2).await;
    town.refused_by(
        "head",
        date(2024, 9, 20),
        submit(plan, 3),
        "document_awaiting_decision",
    )
    .await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    let accepted = town
        .by("uo-specialist", date(2024, 9, 23), approve(plan, 1))
        .await;
    assert_eq!(payload(&accepted.events[0])["version"], 2);
    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (2, 1)]);
    let returned = payloads_of(town, plan, "DocumentReturned").await;
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0]["comment"], "Добавить муниципальные мероприятия");
    town.check_log().await;
}

async fn work_plan_rejected_by_the_department_is_closed_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    town.refused_by(
        "uo-chief",
        date(2024, 9, 18),
        reject(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "uo-chief",
        date(2024, 9, 18),
        reject(plan, 1, "План другого объединения"),
    )
    .await;
    town.refused_by(
        "head",
        date(2024, 9, 19),
        submit(plan, 2),
        "document_closed",
    )
    .await;
    town.refused_by(
        "uo-specialist",
        date(2024, 9, 19),
        approve(plan, 1),
        "step_not_current",
    )
    .await;
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0);
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

async fn department_review_period_missed_recorded_once_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    today(town, date(2024, 9, 27));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    let holder = &missed[0]["holder"];
    assert_eq!(missed[0]["deadline"], "step_review");
    assert_eq!(missed[0]["due"], "2024-09-26");
    assert_eq!(holder["role"], "орган управления образованием");
    assert_eq!(holder["body"], town.body("uo").to_string());
    assert!(names(holder, town.person("uo-specialist")), "{holder}");
    assert!(names(holder, town.person("uo-chief")), "{holder}");
    // Decided late: approved, nothing recorded again.
    town.by("uo-chief", date(2024, 10, 1), approve(plan, 1))
        .await;
    approved_once(town, plan, 1).await;
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 1);
    town.check_log().await;
}

async fn relieved_official_decides_no_more_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    let municipality = town.municipality;
    town.op(
        date(2024, 9, 17),
        Command::RelieveOfficial {
            municipality,
            body: town.body("uo"),
            person: town.person("uo-specialist"),
        },
    )
    .await;
    town.refused_by(
        "uo-specialist",
        date(2024, 9, 18),
        approve(plan, 1),
        "not_authorized",
    )
    .await;
    town.by("uo-chief", date(2024, 9, 18), approve(plan, 1))
        .await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn final_step_recorded_before_a_crash_is_approved_on_restart_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    let runner = WorkflowRunner::new(town.handler.clone());
    let report = runner.run_once().await.expect("the workflow runs");
    assert_eq!(report.reactions, 0);
    // The department's only step is recorded; the process dies before its runner sees it.
    let final_step = town
        .by("uo-specialist", date(2024, 9, 18), approve(plan, 1))
        .await;
    drop(runner);
    let checkpoint = town
        .store
        .checkpoint(PROCESS_MANAGERS)
        .await
        .expect("checkpoint");
    assert!(checkpoint < final_step.events[0].position);
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::StepsApproved
    );
    // The restarted runner picks it up from its checkpoint.
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 1, "{report:?}");
    approved_once(town, plan, 1).await;
    let approved = &events_of(town, plan, "DocumentApproved").await[0];
    assert_eq!(approved.causation_id, Some(final_step.events[0].command_id));
    assert_eq!(approved.correlation_id, final_step.events[0].correlation_id);
    assert_eq!(approved.effective, date(2024, 9, 18));
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_001_1_3(backend: Backend) {
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    run_workflow(town).await;
    let final_step = town
        .by("uo-chief", date(2024, 9, 18), approve(plan, 1))
        .await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    assert_eq!(in_log(town, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

/// A reaction the rules refuse — an application approved after its period admits nobody
/// (002 §5.2) — is recorded in the log once, on the workflow's own stream, and reported by
/// the pass that records it; the checkpoint moves past it. A runner that died after recording
/// it and before its checkpoint meets it again and records nothing more.
async fn admission_refused_by_the_rules_is_recorded_once_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "late");
    town.by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("t1")),
            theme: "Естественно-научная грамотность".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    let approval = town
        .by(
            "methodist",
            date(2025, 6, 2),
            Command::ApproveMembershipApplication { application },
        )
        .await;
    let approval = &approval.events[0];

    let first = WorkflowRunner::new(town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert_eq!(first.reactions, 0, "{first:?}");
    assert_eq!(first.refused.len(), 1, "{first:?}");
    assert_eq!(first.refusals_recorded(), 1);
    let refusal = &first.refused[0];
    assert_eq!(refusal.record.command, "admit_member");
    assert_eq!(refusal.record.code, "application_period_over");
    assert_eq!(
        refusal.record.trigger,
        workflows::RefusalTrigger::Event {
            position: approval.position,
            event_type: "MembershipApplicationApproved".into(),
            stream: application.stream(),
        }
    );
    assert_eq!(refusal.record.association, Some(gmo));
    assert_eq!(refusal.record.document, None);
    let line = refusal.describe();
    assert!(
        line.contains(&format!("реакция на событие {}", approval.position))
            && line.contains("application_period_over"),
        "{line}"
    );
    // In the log once, as the workflow with operator authority, caused by the approval.
    let recorded = in_log(town, workflows::REACTION_REFUSED).await;
    assert_eq!(recorded.len(), 1);
    let record = &recorded[0];
    assert_eq!(record.position, refusal.position);
    assert_eq!(record.stream.as_str(), workflows::REFUSALS_STREAM);
    assert_eq!(
        (record.actor.id.as_str(), record.actor.role.as_str()),
        ("workflow", "operator")
    );
    assert_eq!(record.causation_id, Some(approval.command_id));
    assert_eq!(record.correlation_id, approval.correlation_id);
    assert_eq!(record.effective, date(2025, 6, 2));
    assert_eq!(
        workflows::ReactionRefused::decode(record).expect("decodes"),
        refusal.record
    );
    // The checkpoint is past it: the next pass has nothing to react to.
    assert!(
        town.store
            .checkpoint(PROCESS_MANAGERS)
            .await
            .expect("checkpoint")
            >= record.position
    );
    let second = run_workflow(town).await;
    assert_eq!(second.reactions, 0);

    // The runner died after the refusal, before its checkpoint: the page is read again.
    town.db
        .execute_raw(&format!(
            "UPDATE checkpoints SET position = {} WHERE name = '{PROCESS_MANAGERS}'",
            approval.position - 1
        ))
        .await;
    let again = WorkflowRunner::new(town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert_eq!(again.refused.len(), 1, "{again:?}");
    assert_eq!(again.refusals_recorded(), 0, "{again:?}");
    assert_eq!(again.refused[0].position, record.position);
    assert_eq!(in_log(town, workflows::REACTION_REFUSED).await.len(), 1);
    let admitted = in_log(town, "MemberAdmitted")
        .await
        .iter()
        .filter(|e| payload(e)["basis"] == json!({"application": application.to_string()}))
        .count();
    assert_eq!(admitted, 0, "nobody is admitted on it");
    town.check_log().await;
}

// ---- 002: Izhevsk ---------------------------------------------------------------------

/// Two ГМО created by the Center's order after its council; the curator of the first a
/// Center specialist appointed by the Управление, not an official of the Center; the Center
/// with its director and a methodist; heads by the Управление's order.
struct Izhevsk {
    town: Town,
    gmo: AssociationId,
    reading: AssociationId,
    /// The technical assignment of 2024/25 agreed by the curator, once a road map needs it.
    agreed: Option<DocumentId>,
}

async fn izhevsk(backend: Backend) -> Izhevsk {
    let mut town = Town::new(backend, "izhevsk", "Город Ижевск").await;
    town.organization_in(
        "alternativa",
        "МАУ ИМЦ «Альтернатива»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "lyceum",
        "МБОУ «Лицей № 29»",
        OrganizationKind::School,
        None,
    )
    .await;
    town.organization_in(
        "school-90",
        "МБОУ «СОШ № 90»",
        OrganizationKind::School,
        None,
    )
    .await;
    town.body_of(
        "uo",
        BodyKind::Department,
        "Управление образования Администрации города Ижевска",
        None,
        None,
    )
    .await;
    town.body_of(
        "center",
        BodyKind::MethodicalCenter,
        "МАУ ИМЦ «Альтернатива»",
        None,
        Some("alternativa"),
    )
    .await;
    town.body_of(
        "council",
        BodyKind::MethodicalCouncil,
        "Методический совет Центра",
        None,
        None,
    )
    .await;
    let highest = |y| Some((CategoryLevel::Highest, date(y, 1, 1)));
    for (key, name, organization, kind, category, since) in [
        (
            "davydova",
            "Давыдова Светлана Михайловна",
            "alternativa",
            PositionKind::Director,
            None,
            date(1995, 9, 1),
        ),
        (
            "methodist",
            "Волкова Татьяна Юрьевна",
            "alternativa",
            PositionKind::Methodist,
            None,
            date(2012, 9, 1),
        ),
        (
            "curator",
            "Егорова Марина Андреевна",
            "alternativa",
            PositionKind::CenterSpecialist,
            None,
            date(2021, 9, 1),
        ),
        (
            "reserve",
            "Сорокин Антон Павлович",
            "alternativa",
            PositionKind::CenterSpecialist,
            None,
            date(2020, 9, 1),
        ),
        (
            "head",
            "Лебедева Ольга Викторовна",
            "lyceum",
            PositionKind::Teacher,
            highest(2017),
            date(2004, 9, 1),
        ),
        (
            "t1",
            "Морозов Денис Александрович",
            "lyceum",
            PositionKind::Teacher,
            None,
            date(2019, 9, 1),
        ),
        (
            "other-head",
            "Яковлева Наталья Сергеевна",
            "school-90",
            PositionKind::Teacher,
            highest(2016),
            date(2003, 9, 1),
        ),
        (
            "director-90",
            "Никитина Галина Павловна",
            "school-90",
            PositionKind::Director,
            None,
            date(1990, 9, 1),
        ),
    ] {
        town.teacher(key, name, organization, kind, category, since)
            .await;
    }
    town.official("davydova", "center", Office::Chief).await;
    town.official("methodist", "center", Office::Specialist)
        .await;

    // The Center's council, then the Center's order (002 §5.1).
    let creation = town
        .order(
            "center",
            "12-од",
            date(2024, 8, 26),
            "О создании ГМО по решению методического совета",
        )
        .await;
    let mut associations = Vec::new();
    for (key, title, subject) in [
        (
            "stem",
            "ГМО «Естественно-научная грамотность»",
            "естественно-научная грамотность",
        ),
        (
            "reading",
            "ГМО «Читательская грамотность»",
            "читательская грамотность",
        ),
    ] {
        town.creation_review = Some(CouncilReview {
            council: town.body("council"),
            protocol_number: "1".into(),
            date: date(2024, 8, 23),
        });
        associations.push(
            town.association(key, title, subject, Level::City, None, None, creation)
                .await,
        );
    }
    let (gmo, reading) = (associations[0], associations[1]);
    // The curator and the heads: the Управление's orders (002 §5.3, §8.1).
    let curators = town
        .order("uo", "845", date(2024, 9, 2), "О назначении кураторов ГМО")
        .await;
    town.op(
        date(2024, 9, 2),
        Command::AppointCurator {
            association: gmo,
            person: town.person("curator"),
            school_year: year("2024/25"),
            order: curators,
        },
    )
    .await;
    let heads = town
        .order(
            "uo",
            "846",
            date(2024, 9, 2),
            "О назначении руководителей ГМО",
        )
        .await;
    for (association, head) in [(gmo, "head"), (reading, "other-head")] {
        town.op(
            date(2024, 9, 2),
            Command::AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order: heads,
                review: None,
            },
        )
        .await;
    }
    Izhevsk {
        town,
        gmo,
        reading,
        agreed: None,
    }
}

impl Izhevsk {
    /// The road map, developed on the technical assignment agreed with the curator (002
    /// §5.8, §4.1): the Center's methodist writes it on 9 Sep, the curator agrees on 10 Sep,
    /// the workflow records the approval.
    async fn road_map(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let agreed = match self.agreed {
            Some(agreed) => agreed,
            None => {
                let agreed = self.assignment("agreed-assignment", date(2024, 9, 9)).await;
                self.town
                    .by("curator", date(2024, 9, 10), approve(agreed, 1))
                    .await;
                run_workflow(&self.town).await;
                self.agreed = Some(agreed);
                agreed
            }
        };
        let road_map = document(key);
        let gmo = self.gmo;
        open(
            &mut self.town,
            "head",
            on,
            road_map,
            gmo,
            DocumentType::WorkPlan,
            "2024/25",
            "Дорожная карта ГМО на 2024/25",
        )
        .await;
        resubmit_on(&mut self.town, "head", on, road_map, 1, Some(agreed)).await;
        road_map
    }

    /// The technical assignment, written by the Center's methodist (002 §5.7).
    async fn assignment(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let assignment = document(key);
        let gmo = self.gmo;
        write(
            &mut self.town,
            "methodist",
            on,
            assignment,
            gmo,
            DocumentType::TechnicalAssignment,
            "2024/25",
            "Техническое задание ГМО на 2024/25",
        )
        .await;
        assignment
    }

    /// The curator's yearly report (002 §5.13).
    async fn curator_report(&mut self, on: NaiveDate) -> DocumentId {
        let report = document("curator-report");
        let gmo = self.gmo;
        write(
            &mut self.town,
            "curator",
            on,
            report,
            gmo,
            DocumentType::CuratorYearlyReport,
            "2024/25",
            "Отчёт куратора о деятельности ГМО за 2024/25",
        )
        .await;
        report
    }

    /// A meeting of the ГМО, held by its head with the curator present.
    async fn meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let gmo = self.gmo;
        self.town
            .hold_meeting(
                "head",
                key,
                gmo,
                on,
                &["head", "curator"],
                vec![decided(
                    "Рассмотрение дорожной карты",
                    "Одобрить, направить куратору на утверждение",
                )],
            )
            .await
    }
}

async fn road_map_reviewed_at_own_meeting_and_approved_by_curator_002_5_8(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let earlier = iz.meeting("stem-early", date(2024, 9, 12)).await;
    let road_map = iz.road_map("road-map", date(2024, 9, 16)).await;
    let (gmo, reading) = (iz.gmo, iz.reading);
    let town = &mut iz.town;

    let chain = payloads_of(town, road_map, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "curator", "at_meeting": "own"}, "association": gmo.to_string()}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.8");

    // Reviewed at the ГМО's own meeting (002 §5.8): not without one, not at another ГМО's,
    // not at one held before the road map reached the curator.
    let on = date(2024, 9, 17);
    town.refused_by("curator", on, approve(road_map, 1), "step_meeting_required")
        .await;
    let foreign = town
        .hold_meeting(
            "other-head",
            "reading-1",
            reading,
            on,
            &["other-head"],
            vec![decided("План работы", "Принять")],
        )
        .await;
    town.refused_by(
        "curator",
        on,
        approve_at(road_map, 1, foreign),
        "step_meeting_required",
    )
    .await;
    town.refused_by(
        "curator",
        on,
        approve_at(road_map, 1, earlier),
        "step_meeting_required",
    )
    .await;
    let meeting = iz.meeting("stem-1", date(2024, 9, 20)).await;
    let town = &mut iz.town;
    // The head held the meeting, but the curator approves.
    town.refused_by(
        "head",
        date(2024, 9, 20),
        approve_at(road_map, 1, meeting),
        "not_authorized",
    )
    .await;
    let approved = town
        .by(
            "curator",
            date(2024, 9, 20),
            approve_at(road_map, 1, meeting),
        )
        .await;
    assert_eq!(approved.events[0].actor.role, "curator");
    assert_eq!(payload(&approved.events[0])["meeting"], meeting.to_string());
    approved_once(town, road_map, 1).await;
    town.check_log().await;
}

async fn technical_assignment_agreed_by_curator_002_5_7(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let assignment = iz.assignment("assignment", date(2024, 9, 9)).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;

    let chain = payloads_of(town, assignment, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "curator"}, "association": gmo.to_string()}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.7, §4.1");
    // Its author and the Center's director are not the curator; nor is either head.
    let on = date(2024, 9, 11);
    for who in ["methodist", "davydova", "head", "other-head", "reserve"] {
        town.refused_by(who, on, approve(assignment, 1), "not_authorized")
            .await;
    }
    town.refused(
        Acting::Operator,
        on,
        approve(assignment, 1),
        "not_authorized",
    )
    .await;
    let agreed = town.by("curator", on, approve(assignment, 1)).await;
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("curator").to_string()
    );
    town.refused_by("curator", on, approve(assignment, 1), "step_not_current")
        .await;
    approved_once(town, assignment, 1).await;
    town.check_log().await;
}

async fn reports_accepted_by_methodical_center_002_5_11_5_13(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let network = document("network-event");
    let town = &mut iz.town;
    open(
        town,
        "head",
        date(2024, 11, 20),
        network,
        gmo,
        DocumentType::NetworkEventReport,
        "2024/25",
        "Отчёт о сетевом событии «Фестиваль опытов»",
    )
    .await;
    let details = NetworkEventDetails {
        topic: "Фестиваль опытов".into(),
        held_on: date(2024, 11, 15),
        goal: "Обмен практиками".into(),
        audience: "Учителя физики и химии".into(),
        programme: Some("Мастер-классы".into()),
        attendees: vec![town.person("t1")],
        attendance_count: 34,
        attendance_sheet: hash_of("лист регистрации"),
        evidence: vec![hash_of("фото 1")],
    };
    town.by(
        "head",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о событии"),
            network_event: Some(details),
            based_on: None,
        },
    )
    .await;
    let chain = payloads_of(town, network, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "methodical_center"}}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.11, §7.1");
    // The Center controls the ГМО (002 §7.1): its officials accept; the curator is not one.
    town.refused_by(
        "curator",
        date(2024, 11, 22),
        approve(network, 1),
        "not_authorized",
    )
    .await;
    let accepted = town
        .by("methodist", date(2024, 11, 22), approve(network, 1))
        .await;
    assert_eq!(accepted.events[0].actor.role, "official:methodical_center");

    // The curator's yearly report: accepted by the Center, not by the curator who wrote it.
    let report = iz.curator_report(date(2025, 5, 25)).await;
    let town = &mut iz.town;
    let chain = payloads_of(town, report, "ApprovalChainAssigned").await;
    assert_eq!(chain[0]["clause"], "002 §5.13, §7.1");
    town.refused_by(
        "curator",
        date(2025, 5, 27),
        approve(report, 1),
        "not_authorized",
    )
    .await;
    town.by("davydova", date(2025, 5, 27), approve(report, 1))
        .await;

    let first = run_workflow(town).await;
    assert_eq!(first.reactions, 2, "{first:?}");
    approved_once(town, network, 1).await;
    approved_once(town, report, 1).await;
    town.check_log().await;
}

async fn road_map_returned_by_curator_resumes_at_curator_002_5_8(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let road_map = iz.road_map("road-map", date(2024, 9, 16)).await;
    let first = iz.meeting("stem-1", date(2024, 9, 18)).await;
    let town = &mut iz.town;

    town.refused_by(
        "curator",
        date(2024, 9, 18),
        send_back(road_map, 1, " "),
        "decision_text_required",
    )
    .await;
    town.by(
        "curator",
        date(2024, 9, 18),
        send_back(road_map, 1, "Согласовать с техническим заданием"),
    )
    .await;
    assert_eq!(
        state(town, road_map).await.status,
        DocumentStatus::Returned { step: 1 }
    );
    let agreed = iz.agreed;
    let town = &mut iz.town;
    resubmit_on(town, "head", date(2024, 9, 23), road_map, 2, agreed).await;
    assert_eq!(
        state(town, road_map).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    // Version 2 needs a meeting of its own: the one that reviewed version 1 does not count.
    town.refused_by(
        "curator",
        date(2024, 9, 24),
        approve_at(road_map, 1, first),
        "step_meeting_required",
    )
    .await;
    let second = iz.meeting("stem-2", date(2024, 9, 25)).await;
    let town = &mut iz.town;
    let approved = town
        .by(
            "curator",
            date(2024, 9, 25),
            approve_at(road_map, 1, second),
        )
        .await;
    assert_eq!(payload(&approved.events[0])["version"], 2);
    approved_once(town, road_map, 2).await;
    assert_eq!(stays(town, road_map).await, vec![(1, 1), (2, 1)]);
    town.check_log().await;
}

/// Which documents wait in `who`'s inbox for rework on `day`: the log folded through the
/// domain (`workflows::inbox`) and the read models (`projections::inbox`) must agree.
async fn rework_for(town: &Town, who: &str, day: NaiveDate) -> Vec<DocumentId> {
    let person = town.person(who);
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let mut view = workflows::LogView::load_at(town.store.as_ref(), Some(day), None)
        .await
        .expect("fold");
    let folded = workflows::inbox(&mut view, &profiles, person, day);
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let profile = profiles.get("izhevsk").expect("profile");
    let at = store::TimePoint {
        as_of: day,
        known_at: None,
    };
    let projected = projections::inbox::inbox(town.store.as_ref(), at, profile, person)
        .await
        .expect("inbox");
    assert_eq!(projected, folded, "{who} on {day}");
    folded
        .iter()
        .filter(|item| matches!(item.reason, domain::inbox::InboxReason::Rework { .. }))
        .map(|item| item.document)
        .collect()
}

/// DOMAIN.md §3: a return goes back to the author, who resubmits. The curator wrote the
/// network-event report (002 §5.11 names no author; the profile lets the head or the curator
/// write it): the returned report waits in the curator's inbox, not in the head's.
async fn returned_report_waits_for_its_author_002_5_11(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let network = document("network-event-by-curator");
    let town = &mut iz.town;
    open(
        town,
        "curator",
        date(2024, 11, 20),
        network,
        gmo,
        DocumentType::NetworkEventReport,
        "2024/25",
        "Отчёт о сетевом событии «Неделя науки»",
    )
    .await;
    let details = NetworkEventDetails {
        topic: "Неделя науки".into(),
        held_on: date(2024, 11, 15),
        goal: "Обмен практиками".into(),
        audience: "Учителя физики".into(),
        programme: None,
        attendees: vec![town.person("t1")],
        attendance_count: 21,
        attendance_sheet: hash_of("лист регистрации"),
        evidence: vec![hash_of("скриншот")],
    };
    town.by(
        "curator",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о неделе науки"),
            network_event: Some(details.clone()),
            based_on: None,
        },
    )
    .await;
    town.by(
        "methodist",
        date(2024, 11, 22),
        send_back(network, 1, "Приложите программу события"),
    )
    .await;
    let day = date(2024, 11, 25);
    assert_eq!(rework_for(town, "curator", day).await, vec![network]);
    assert!(rework_for(town, "head", day).await.is_empty());

    town.by(
        "curator",
        day,
        Command::SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о неделе науки, с программой"),
            network_event: Some(NetworkEventDetails {
                programme: Some("Открытые уроки, круглый стол".into()),
                ..details
            }),
            based_on: None,
        },
    )
    .await;
    assert_eq!(
        state(town, network).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    assert!(rework_for(town, "curator", day).await.is_empty());
    town.check_log().await;
}

async fn curator_yearly_report_rejected_by_methodical_center_is_closed_002_5_13(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let report = iz.curator_report(date(2025, 5, 25)).await;
    let town = &mut iz.town;
    town.refused_by(
        "davydova",
        date(2025, 5, 27),
        reject(report, 1, "  "),
        "decision_text_required",
    )
    .await;
    town.by(
        "davydova",
        date(2025, 5, 27),
        reject(report, 1, "Отчёт не содержит итогов сетевых событий"),
    )
    .await;
    town.refused_by(
        "curator",
        date(2025, 5, 28),
        submit(report, 2),
        "document_closed",
    )
    .await;
    town.refused_by(
        "methodist",
        date(2025, 5, 28),
        approve(report, 1),
        "step_not_current",
    )
    .await;
    let report_run = run_workflow(town).await;
    assert_eq!(report_run.reactions, 0);
    assert!(events_of(town, report, "DocumentApproved").await.is_empty());
    assert_eq!(state(town, report).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

async fn curator_review_period_missed_recorded_once_002_5_7(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let assignment = iz.assignment("assignment", date(2024, 9, 9)).await;
    let town = &mut iz.town;

    today(town, date(2024, 9, 19));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2024, 9, 20));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, assignment, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "step_review");
    assert_eq!(missed[0]["due"], "2024-09-19");
    assert_eq!(missed[0]["holder"]["role"], "куратор");
    assert!(names(&missed[0]["holder"], town.person("curator")));
    assert_eq!(missed[0]["clause"], "002 §5.7, §4.1");
    town.check_log().await;
}

async fn deputy_by_order_approves_for_curator_within_its_term_only_002_5_3(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    // The Управление appoints curators (002 §5.3), so its order designates the deputy; the
    // Center's does not.
    let order = town
        .order(
            "uo",
            "901",
            date(2024, 10, 1),
            "О временном исполнении обязанностей куратора ГМО",
        )
        .await;
    let center_order = town
        .order(
            "center",
            "30-од",
            date(2024, 10, 1),
            "О временном исполнении обязанностей куратора ГМО",
        )
        .await;
    let designate = |order| Command::DesignateDeputy {
        association: gmo,
        role: AssociationRole::Curator,
        deputy: town.person("reserve"),
        until: date(2024, 10, 10),
        order,
    };
    let (wrong, right) = (designate(center_order), designate(order));
    town.refused(
        Acting::Operator,
        date(2024, 10, 1),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2024, 10, 1), right).await;

    let assignment = iz.assignment("assignment", date(2024, 10, 1)).await;
    let town = &mut iz.town;
    let agreed = town
        .by("reserve", date(2024, 10, 3), approve(assignment, 1))
        .await;
    assert_eq!(agreed.events[0].actor.role, "deputy:curator");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("reserve").to_string()
    );
    approved_once(town, assignment, 1).await;

    // After 10 Oct the deputy no longer acts; the curator does.
    let analysis = document("analysis");
    write(
        town,
        "head",
        date(2024, 10, 14),
        analysis,
        gmo,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ деятельности ГМО",
    )
    .await;
    town.refused_by(
        "reserve",
        date(2024, 10, 15),
        approve(analysis, 1),
        "not_authorized",
    )
    .await;
    town.by("curator", date(2024, 10, 15), approve(analysis, 1))
        .await;
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

/// An application returned by the Center for rework (with its comment) is resubmitted by the
/// teacher under the same id and approved; the workflow admits the member once, from the
/// approval; the application's stream keeps every submission, the return and the decision.
async fn returned_application_resubmitted_and_approved_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "t1-returned");
    let submit = |town: &Town, theme: &str| Command::SubmitMembershipApplication {
        application,
        association: gmo,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(town.person("t1")),
        theme: theme.into(),
        school_year: year("2024/25"),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    };
    let first = submit(town, "Грамотность");
    town.by("t1", date(2024, 9, 3), first).await;
    town.by(
        "methodist",
        date(2024, 9, 4),
        Command::ReturnMembershipApplication {
            application,
            comment: "Раскройте тему работы в ГМО".into(),
        },
    )
    .await;
    // Nothing to admit while it is back with the teacher.
    assert_eq!(run_workflow(town).await.reactions, 0);
    town.refused_by(
        "methodist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication { application },
        "application_already_decided",
    )
    .await;
    let second = submit(town, "Естественно-научная грамотность на уроках физики");
    town.by("t1", date(2024, 9, 6), second).await;
    town.by(
        "methodist",
        date(2024, 9, 9),
        Command::ApproveMembershipApplication { application },
    )
    .await;
    assert_eq!(run_workflow(town).await.reactions, 1);
    assert_eq!(run_workflow(town).await.reactions, 0);
    let stream = StreamId::parse(application.stream()).expect("stream id");
    let history: Vec<(String, NaiveDate)> = town
        .store
        .read_stream(&stream, 1, 100)
        .await
        .expect("the stream reads")
        .iter()
        .map(|e| (e.event_type.to_string(), e.effective))
        .collect();
    assert_eq!(
        history,
        vec![
            (
                "MembershipApplicationSubmitted".to_string(),
                date(2024, 9, 3)
            ),
            (
                "MembershipApplicationReturned".to_string(),
                date(2024, 9, 4)
            ),
            (
                "MembershipApplicationSubmitted".to_string(),
                date(2024, 9, 6)
            ),
            (
                "MembershipApplicationApproved".to_string(),
                date(2024, 9, 9)
            ),
        ]
    );
    let admitted: Vec<RecordedEvent> = in_log(town, "MemberAdmitted")
        .await
        .into_iter()
        .filter(|e| payload(e)["basis"] == json!({"application": application.to_string()}))
        .collect();
    assert_eq!(admitted.len(), 1);
    assert_eq!(admitted[0].effective, date(2024, 9, 9));
    town.check_log().await;
}

async fn approved_application_admits_the_member_once_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "t1");
    town.by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("t1")),
            theme: "Естественно-научная грамотность".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    town.by(
        "methodist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication { application },
    )
    .await;
    let first = run_workflow(town).await;
    assert_eq!(first.reactions, 1, "{first:?}");
    assert_eq!(run_workflow(town).await.reactions, 0);

    let admitted = |town: &Town| {
        let stream = StreamId::parse(gmo.stream()).expect("stream id");
        let store = town.store.clone();
        async move {
            store
                .read_stream(&stream, 1, 1_000)
                .await
                .expect("the stream reads")
                .into_iter()
                .filter(|e| e.event_type == "MemberAdmitted")
                .collect::<Vec<_>>()
        }
    };
    let members = admitted(town).await;
    assert_eq!(members.len(), 1);
    let member = payload(&members[0]);
    assert_eq!(
        member["basis"],
        json!({"application": application.to_string()})
    );
    assert_eq!(
        member["member"],
        json!({"person": town.person("t1").to_string()})
    );
    assert_eq!(member["until"], "2025-05-31");
    assert_eq!(members[0].actor.id, "workflow");
    assert_eq!(members[0].effective, date(2024, 9, 5));

    // The organization's application (form 2): the runner dies after admitting it, before
    // its checkpoint; the restarted runner admits nobody twice.
    let form_2 = ApplicationId::derived("chains", "school-90");
    let school = Member::Organization(town.organization("school-90"));
    town.by(
        "director-90",
        date(2024, 9, 6),
        Command::SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: school,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    let approval = town
        .by(
            "methodist",
            date(2024, 9, 9),
            Command::ApproveMembershipApplication {
                application: form_2,
            },
        )
        .await;
    let recorded = &approval.events[0];
    let fact = fact_of(recorded).expect("a domain event");
    for reaction in workflows::reactions_to(town.store.as_ref(), recorded, &fact.event)
        .await
        .expect("reactions")
    {
        town.handler
            .handle(reaction)
            .await
            .expect("the admission is recorded");
    }
    let last = town.store.last_position().await.expect("last position");
    assert_eq!(run_workflow(town).await.reactions, 0);
    assert_eq!(
        town.store.last_position().await.expect("last position"),
        last
    );
    let members = admitted(town).await;
    assert_eq!(members.len(), 2);
    assert_eq!(
        payload(&members[1])["basis"],
        json!({"application": form_2.to_string()})
    );
    assert_eq!(
        town.store
            .checkpoint(PROCESS_MANAGERS)
            .await
            .expect("checkpoint"),
        last
    );
    town.check_log().await;
}

// ---- 003: Novosibirsk -----------------------------------------------------------------

/// Who holds the city plan's second step (003 §7.9).
const HOLDER_003_7_9: &str =
    "руководитель объединения, на заседании объединения — первом в учебном году документа";

/// Two district associations (Lenin: head h; Kirov: head k) whose heads form the city
/// association; k elected city head; the city curator a deputy head of the curating
/// institution; the department's deputy chief; a member of the scientific-methodical council.
struct Novosibirsk {
    town: Town,
    lenin: AssociationId,
    city: AssociationId,
}

async fn novosibirsk(backend: Backend) -> Novosibirsk {
    let mut town = Town::new(backend, "novosibirsk", "Город Новосибирск").await;
    town.district("lenin", "Ленинский район").await;
    town.district("kirov", "Кировский район").await;
    town.organization_in(
        "niso",
        "МАУ ДПО «НИСО»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "gymnasium",
        "МБОУ «Гимназия № 1»",
        OrganizationKind::School,
        Some("lenin"),
    )
    .await;
    town.organization_in(
        "school-kirov",
        "МБОУ «СОШ № 12»",
        OrganizationKind::School,
        Some("kirov"),
    )
    .await;
    town.body_of(
        "department",
        BodyKind::Department,
        "Департамент образования мэрии города Новосибирска",
        None,
        None,
    )
    .await;
    town.body_of(
        "niso",
        BodyKind::CuratingInstitution,
        "МАУ ДПО «НИСО»",
        None,
        Some("niso"),
    )
    .await;
    town.body_of(
        "nms",
        BodyKind::ScientificMethodicalCouncil,
        "Городской научно-методический совет",
        None,
        None,
    )
    .await;
    let highest = |y| Some((CategoryLevel::Highest, date(y, 3, 1)));
    for (key, name, organization, kind, category, since) in [
        (
            "curator",
            "Тарасова Ирина Ивановна",
            "niso",
            PositionKind::DeputyHead,
            None,
            date(2022, 9, 1),
        ),
        (
            "dep",
            "Шевченко Андрей Николаевич",
            "niso",
            PositionKind::Official,
            None,
            date(1999, 9, 1),
        ),
        (
            "nms",
            "Захарова Елена Борисовна",
            "niso",
            PositionKind::Methodist,
            None,
            date(2005, 9, 1),
        ),
        (
            "h",
            "Кащенко Елена Юрьевна",
            "gymnasium",
            PositionKind::Teacher,
            highest(2015),
            date(2006, 9, 1),
        ),
        (
            "m1",
            "Гусев Артём Романович",
            "gymnasium",
            PositionKind::Teacher,
            None,
            date(2017, 9, 1),
        ),
        (
            "m2",
            "Полякова Вера Степановна",
            "gymnasium",
            PositionKind::Teacher,
            None,
            date(2011, 9, 1),
        ),
        (
            "k",
            "Медведев Роман Олегович",
            "school-kirov",
            PositionKind::Teacher,
            highest(2014),
            date(2004, 9, 1),
        ),
        (
            "k1",
            "Киселёва Ольга Ивановна",
            "school-kirov",
            PositionKind::Teacher,
            None,
            date(2019, 9, 1),
        ),
    ] {
        town.teacher(key, name, organization, kind, category, since)
            .await;
    }
    town.official("dep", "department", Office::DeputyChief)
        .await;
    town.official("nms", "nms", Office::CouncilMember).await;

    let order = town
        .order(
            "department",
            "0615-од",
            date(2024, 8, 26),
            "О перечне и составе профессиональных объединений",
        )
        .await;
    let lenin = town
        .association(
            "chem-lenin",
            "Районное МО учителей химии Ленинского района",
            "химия",
            Level::District,
            Some("lenin"),
            None,
            order,
        )
        .await;
    let kirov = town
        .association(
            "chem-kirov",
            "Районное МО учителей химии Кировского района",
            "химия",
            Level::District,
            Some("kirov"),
            None,
            order,
        )
        .await;
    let city = town
        .association(
            "chem-city",
            "Городское МО учителей химии",
            "химия",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    // The district heads, elected at the first meetings (003 §7.4).
    for (association, key, recorder, present, head) in [
        (lenin, "lenin-1", "m1", &["h", "m1", "m2"][..], "h"),
        (kirov, "kirov-1", "k1", &["k", "k1"][..], "k"),
    ] {
        town.admit_by_order(association, present, order, date(2024, 9, 2))
            .await;
        let meeting = town
            .hold_meeting(
                recorder,
                key,
                association,
                date(2024, 9, 10),
                present,
                vec![decided("Выборы руководителя", "Избрать")],
            )
            .await;
        let vote = town.vote(meeting, present, present.len() as u32, 0, 0);
        town.by(
            recorder,
            date(2024, 9, 10),
            Command::ElectHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                vote,
            },
        )
        .await;
    }
    // The city association of the district heads (003 §7.1), its curator by the curating
    // institution's order (003 §7.2), its head elected by them.
    for (district, head) in [(lenin, "h"), (kirov, "k")] {
        town.op(
            date(2024, 9, 11),
            Command::LinkDistrictAssociation {
                city_association: city,
                district_association: district,
            },
        )
        .await;
        town.op(
            date(2024, 9, 11),
            Command::AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district),
            },
        )
        .await;
    }
    let curators = town
        .order(
            "niso",
            "88",
            date(2024, 9, 12),
            "О кураторах профессиональных объединений",
        )
        .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator {
            association: city,
            person: town.person("curator"),
            school_year: year("2024/25"),
            order: curators,
        },
    )
    .await;
    let first = town
        .hold_meeting(
            "h",
            "city-1",
            city,
            date(2024, 9, 13),
            &["h", "k"],
            vec![decided("Выборы руководителя", "Избрать Медведева Р. О.")],
        )
        .await;
    let vote = town.vote(first, &["h", "k"], 2, 0, 0);
    town.by(
        "h",
        date(2024, 9, 13),
        Command::ElectHead {
            association: city,
            person: town.person("k"),
            school_year: year("2024/25"),
            vote,
        },
    )
    .await;
    Novosibirsk { town, lenin, city }
}

impl Novosibirsk {
    /// The city association's plan for 2025/26, by its head (k).
    async fn city_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let city = self.city;
        write(
            &mut self.town,
            "k",
            on,
            plan,
            city,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы городского МО учителей химии на 2025/26",
        )
        .await;
        plan
    }

    /// Lenin's plan for 2025/26, by its head (h): the default chain.
    async fn district_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let lenin = self.lenin;
        write(
            &mut self.town,
            "h",
            on,
            plan,
            lenin,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы РМО учителей химии Ленинского района на 2025/26",
        )
        .await;
        plan
    }

    /// A meeting of the city association, held by its head.
    async fn city_meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let city = self.city;
        self.town
            .hold_meeting(
                "k",
                key,
                city,
                on,
                &["h", "k"],
                vec![decided("Об утверждении плана работы", "Утвердить")],
            )
            .await
    }
}

async fn city_plan_agreed_by_curator_and_approved_by_head_at_own_meeting_003_7_9(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let town = &mut ns.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "curator"}, "association": city.to_string()},
            {"step": {"role": "association_head", "at_meeting": "own", "first_meeting_of_year": true}, "association": city.to_string()}
        ])
    );
    assert_eq!(chain[0]["submit_by"], "2025-05-15");
    assert_eq!(chain[0]["due"], "2025-09-15");
    assert_eq!(chain[0]["clause"], "003 §7.9, §7.8");

    // To the curator first (003 §7.8): not the head.
    town.refused_by("k", date(2025, 4, 15), approve(plan, 1), "not_authorized")
        .await;
    let agreed = town
        .by("curator", date(2025, 4, 15), approve(plan, 1))
        .await;
    assert_eq!(agreed.events[0].actor.role, "curator");
    // Then approved at the association's own meeting (003 §7.9), not a district's.
    town.refused_by(
        "k",
        date(2025, 4, 16),
        approve(plan, 2),
        "step_meeting_required",
    )
    .await;
    let district_meeting = town
        .hold_meeting(
            "h",
            "lenin-april",
            lenin,
            date(2025, 4, 16),
            &["h", "m1"],
            vec![decided("О плане городского МО", "Принять к сведению")],
        )
        .await;
    town.refused_by(
        "k",
        date(2025, 4, 16),
        approve_at(plan, 2, district_meeting),
        "step_meeting_required",
    )
    .await;
    // A meeting of the spring before is not the first meeting of 2025/26 (003 §7.9).
    let spring = ns.city_meeting("city-april", date(2025, 4, 18)).await;
    let error = ns
        .town
        .refused_by(
            "k",
            date(2025, 4, 18),
            approve_at(plan, 2, spring),
            "step_meeting_required",
        )
        .await;
    assert!(error.to_string().contains("первом заседании"), "{error}");
    let meeting = ns.city_meeting("city-september", date(2025, 9, 4)).await;
    let town = &mut ns.town;
    town.refused_by(
        "curator",
        date(2025, 9, 4),
        approve_at(plan, 2, meeting),
        "not_authorized",
    )
    .await;
    let approved = town
        .by("k", date(2025, 9, 4), approve_at(plan, 2, meeting))
        .await;
    assert_eq!(approved.events[0].actor.role, "association_head");
    assert_eq!(payload(&approved.events[0])["final_step"], true);
    approved_once(town, plan, 1).await;
    // The step waited for the first meeting, not a review period: approved by 15 Sep,
    // nothing was missed.
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    town.check_log().await;
}

async fn city_analysis_through_curator_and_scientific_methodical_council_003_7_8(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let city = ns.city;
    let analysis = document("analysis");
    let town = &mut ns.town;
    write(
        town,
        "k",
        date(2025, 5, 5),
        analysis,
        city,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы городского МО за 2024/25",
    )
    .await;
    let chain = payloads_of(town, analysis, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "curator"}, "association": city.to_string()},
            {"step": {"role": "council", "council": "scientific_methodical_council"}}
        ])
    );
    assert_eq!(chain[0]["submit_by"], "2025-05-15");
    assert!(chain[0].get("due").is_none());
    assert_eq!(chain[0]["clause"], "003 §7.8");

    town.by("curator", date(2025, 5, 6), approve(analysis, 1))
        .await;
    // The council reviews it (003 §7.8); the curator does not sit on it.
    town.refused_by(
        "curator",
        date(2025, 5, 12),
        approve_by_council(analysis, 2, "3"),
        "not_authorized",
    )
    .await;
    let reviewed = town
        .by(
            "nms",
            date(2025, 5, 12),
            approve_by_council(analysis, 2, "3"),
        )
        .await;
    assert_eq!(
        reviewed.events[0].actor.role,
        "council:scientific_methodical_council"
    );
    assert_eq!(payload(&reviewed.events[0])["protocol_number"], "3");
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

async fn district_plan_travels_the_default_chain_003_7_7(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let town = &mut ns.town;

    // No chain in the profile: district head → city head → department (deputy chief or
    // specialist).
    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "association_head"}, "association": lenin.to_string()},
            {"step": {"role": "city_head"}, "association": city.to_string()},
            {"step": {"role": "department", "offices": ["deputy_chief", "specialist"]}}
        ])
    );
    assert_eq!(chain[0]["clause"], "003 §7.7, §7.1");
    assert!(chain[0].get("due").is_none() && chain[0].get("submit_by").is_none());

    for (step, who, role, day) in [
        (1, "h", "association_head", 15),
        (2, "k", "city_head", 16),
        (3, "dep", "official:department", 17),
    ] {
        let decided = town.by(who, date(2025, 4, day), approve(plan, step)).await;
        assert_eq!(decided.events[0].actor.role, role);
        assert_eq!(payload(&decided.events[0])["final_step"], step == 3);
    }
    approved_once(town, plan, 1).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (1, 3)]);
    town.check_log().await;
}

async fn district_plan_returned_at_city_head_resumes_at_city_head_003_7_7(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;

    town.refused_by(
        "k",
        date(2025, 4, 16),
        send_back(plan, 2, "\n\t "),
        "decision_text_required",
    )
    .await;
    let returned = town
        .by(
            "k",
            date(2025, 4, 16),
            send_back(plan, 2, "Добавить мероприятия к олимпиаде"),
        )
        .await;
    assert_eq!(payload(&returned.events[0])["step"], 2);
    town.refused_by("k", date(2025, 4, 17), approve(plan, 2), "document_state")
        .await;
    // The author resubmits: version 2 goes straight back to the city head.
    resubmit(town, "h", date(2025, 4, 18), plan, 2).await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 2 }
    );
    town.refused_by("h", date(2025, 4, 18), approve(plan, 1), "step_not_current")
        .await;
    let agreed = town.by("k", date(2025, 4, 21), approve(plan, 2)).await;
    assert_eq!(
        (
            payload(&agreed.events[0])["version"].clone(),
            payload(&agreed.events[0])["final_step"].clone()
        ),
        (json!(2), json!(false))
    );
    town.by("dep", date(2025, 4, 22), approve(plan, 3)).await;
    approved_once(town, plan, 2).await;
    assert_eq!(
        stays(town, plan).await,
        vec![(1, 1), (1, 2), (2, 2), (2, 3)]
    );
    town.check_log().await;
}

async fn city_plan_rejected_by_curator_is_closed_003_7_9(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    town.refused_by(
        "curator",
        date(2025, 4, 15),
        reject(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "curator",
        date(2025, 4, 15),
        reject(plan, 1, "План не соответствует анализу работы"),
    )
    .await;
    town.refused_by("k", date(2025, 4, 16), submit(plan, 2), "document_closed")
        .await;
    town.refused_by(
        "curator",
        date(2025, 4, 16),
        approve(plan, 1),
        "step_not_current",
    )
    .await;
    // Past 15 Sep: a rejected plan is not approved, nor late.
    today(town, date(2025, 9, 20));
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0, "{report:?}");
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

async fn curator_review_period_and_15_may_submission_missed_once_each_003_7_8(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let city = ns.city;
    let analysis = document("analysis");
    let town = &mut ns.town;
    open(
        town,
        "k",
        date(2025, 4, 14),
        analysis,
        city,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы городского МО за 2024/25",
    )
    .await;

    // The curator has 10 days for the plan (to 24 Apr).
    today(town, date(2025, 4, 25));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "step_review");
    assert_eq!(missed[0]["due"], "2025-04-24");
    assert_eq!(missed[0]["holder"]["role"], "куратор");
    assert!(names(&missed[0]["holder"], town.person("curator")));
    assert_eq!(missed[0]["clause"], "003 §7.9, §7.8");

    // The analysis was never submitted to the curator by 15 May (003 §7.8).
    today(town, date(2025, 5, 15));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2025, 5, 16));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, analysis, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "submission");
    assert_eq!(missed[0]["due"], "2025-05-15");
    assert_eq!(
        missed[0]["holder"]["role"],
        "руководитель объединения (автор документа)"
    );
    assert!(names(&missed[0]["holder"], town.person("k")));
    assert_eq!(missed[0]["clause"], "003 §7.8");

    // Submitted late: recorded once already, nothing more.
    resubmit(town, "k", date(2025, 5, 20), analysis, 1).await;
    assert_eq!(document_deadlines_in_run(town).await, 0);
    assert_eq!(on_documents(in_log(town, "DeadlineMissed").await), 2);
    town.check_log().await;
}

async fn only_the_holder_of_each_step_decides_003_7_7(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;

    // Step 1, Lenin's head: not the head of Kirov and of the city, not a member, not the
    // curator, not the operator.
    let on = date(2025, 4, 15);
    for who in ["k", "m1", "curator", "dep"] {
        town.refused_by(who, on, approve(plan, 1), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 1), "not_authorized")
        .await;
    town.by("h", on, approve(plan, 1)).await;
    // Step 2, the city head: not the author (Lenin's head, a member of the city association),
    // not Kirov's member, not the curator nor the department.
    let on = date(2025, 4, 16);
    for who in ["h", "k1", "curator", "dep"] {
        town.refused_by(who, on, approve(plan, 2), "not_authorized")
            .await;
        town.refused_by(who, on, send_back(plan, 2, "Доработать"), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 2), "not_authorized")
        .await;
    town.by("k", on, approve(plan, 2)).await;
    // Step 3, the department: not a council's member, not the heads.
    let on = date(2025, 4, 17);
    for who in ["nms", "k", "h", "curator"] {
        town.refused_by(who, on, approve(plan, 3), "not_authorized")
            .await;
        town.refused_by(who, on, reject(plan, 3, "Отклонить"), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 3), "not_authorized")
        .await;
    town.by("dep", on, approve(plan, 3)).await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn a_step_is_decided_once_003_7_7(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;

    // Nobody decides ahead of the current step.
    town.refused_by("k", date(2025, 4, 14), approve(plan, 2), "step_not_current")
        .await;
    town.refused_by(
        "dep",
        date(2025, 4, 14),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;
    town.refused_by("h", date(2025, 4, 15), approve(plan, 1), "step_not_current")
        .await;
    town.by("k", date(2025, 4, 16), approve(plan, 2)).await;
    town.refused_by("k", date(2025, 4, 16), approve(plan, 2), "step_not_current")
        .await;
    town.refused_by(
        "k",
        date(2025, 4, 16),
        send_back(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    town.by("dep", date(2025, 4, 17), approve(plan, 3)).await;
    town.refused_by(
        "dep",
        date(2025, 4, 17),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    approved_once(town, plan, 1).await;
    town.refused_by(
        "dep",
        date(2025, 4, 18),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "dep",
        date(2025, 4, 18),
        reject(plan, 3, "Передумал"),
        "step_not_current",
    )
    .await;
    assert_eq!(events_of(town, plan, "StepApproved").await.len(), 3);
    town.check_log().await;
}

async fn deputy_by_order_approves_for_city_head_within_its_term_only_003_7_7(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    // City heads are elected (003 §7.4); the department's order designates a deputy, the
    // curating institution's does not.
    let order = town
        .order(
            "department",
            "0900-од",
            date(2025, 4, 15),
            "О временном исполнении обязанностей руководителя городского МО",
        )
        .await;
    let niso_order = town
        .order(
            "niso",
            "120",
            date(2025, 4, 15),
            "О временном исполнении обязанностей",
        )
        .await;
    let designate = |order| Command::DesignateDeputy {
        association: city,
        role: AssociationRole::Head,
        deputy: town.person("m2"),
        until: date(2025, 4, 20),
        order,
    };
    let (wrong, right) = (designate(niso_order), designate(order));
    town.refused(
        Acting::Operator,
        date(2025, 4, 15),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2025, 4, 15), right).await;

    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;
    // The deputy acts for the city head within the term, not for Lenin's head.
    let agreed = town.by("m2", date(2025, 4, 17), approve(plan, 2)).await;
    assert_eq!(agreed.events[0].actor.role, "deputy:city_head");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("m2").to_string()
    );
    town.by("dep", date(2025, 4, 18), approve(plan, 3)).await;
    approved_once(town, plan, 1).await;

    // After 20 Apr the deputy no longer does.
    let analysis = document("analysis");
    write(
        town,
        "h",
        date(2025, 4, 21),
        analysis,
        lenin,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РМО за 2024/25",
    )
    .await;
    town.refused_by(
        "m2",
        date(2025, 4, 21),
        approve(analysis, 1),
        "not_authorized",
    )
    .await;
    town.by("h", date(2025, 4, 21), approve(analysis, 1)).await;
    town.refused_by(
        "m2",
        date(2025, 4, 22),
        approve(analysis, 2),
        "not_authorized",
    )
    .await;
    town.by("k", date(2025, 4, 22), approve(analysis, 2)).await;
    town.by("dep", date(2025, 4, 23), approve(analysis, 3))
        .await;
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

async fn city_plan_not_approved_at_first_meeting_by_15_september_misses_it_once_003_7_9(
    backend: Backend,
) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    // The curator agrees it in time; the head's step waits for the first meeting of 2025/26
    // (003 §7.9), which has not approved it by 15 Sep.
    town.by("curator", date(2025, 4, 15), approve(plan, 1))
        .await;
    today(town, date(2025, 9, 15));
    run_workflow(town).await;
    assert!(
        approval_missed(town, plan).await.is_empty(),
        "not before 16 Sep"
    );

    today(town, date(2025, 9, 16));
    run_workflow(town).await;
    assert_eq!(run_workflow(town).await.deadlines, 0, "recorded once");
    let missed = approval_missed(town, plan).await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].effective, date(2025, 9, 16));
    assert_eq!(missed[0].actor.id, "workflow");
    let approval = payload(&missed[0]);
    assert_eq!(approval["due"], "2025-09-15");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(
        (approval["version"].clone(), approval["step"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(approval["clause"], "003 §7.9, §7.8");
    assert_eq!(approval["holder"]["role"], HOLDER_003_7_9);
    assert!(names(&approval["holder"], town.person("k")), "{approval}");
    // The step waits for a meeting, not a review period: nothing else about the plan.
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 1);
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_003_7_9(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    ns.town
        .by("curator", date(2025, 4, 15), approve(plan, 1))
        .await;
    run_workflow(&ns.town).await;
    let meeting = ns.city_meeting("city-september", date(2025, 9, 4)).await;
    let town = &mut ns.town;
    let final_step = town
        .by("k", date(2025, 9, 4), approve_at(plan, 2, meeting))
        .await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    town.check_log().await;
}

store::on_every_backend!(
    // 000 Novokuznetsk
    district_plan_agreed_by_city_head_at_city_meeting_000_10_5,
    city_plan_reviewed_by_council_and_agreed_by_department_deputy_chief_000_4_7,
    city_plan_returned_by_deputy_chief_resumes_at_that_step_000_4_7,
    district_plan_rejected_by_city_head_is_closed_000_10_5,
    city_head_review_period_and_5_may_agreement_missed_once_each_000_10_5,
    district_analysis_never_submitted_misses_5_may_000_10_5,
    district_plan_and_analysis_nobody_opened_miss_5_may_000_10_5,
    only_the_city_head_agrees_a_district_plan_000_10_5,
    a_step_is_decided_once_000_4_7,
    a_step_is_not_decided_before_the_document_reaches_it_000_4_7,
    final_step_recorded_before_a_crash_is_approved_on_restart_000_4_7,
    reaction_recorded_before_its_checkpoint_is_not_repeated_000_4_7,
    city_plan_not_agreed_by_15_may_misses_its_approval_deadline_once_000_4_7,
    deputy_by_order_agrees_for_city_head_within_its_term_only_000_10_5,
    // 001 Kuznetsk
    work_plan_accepted_by_the_department_001_1_3,
    work_plan_returned_by_the_department_resumes_there_001_1_3,
    work_plan_rejected_by_the_department_is_closed_001_1_3,
    department_review_period_missed_recorded_once_001_1_3,
    relieved_official_decides_no_more_001_1_3,
    final_step_recorded_before_a_crash_is_approved_on_restart_001_1_3,
    reaction_recorded_before_its_checkpoint_is_not_repeated_001_1_3,
    // 002 Izhevsk
    road_map_reviewed_at_own_meeting_and_approved_by_curator_002_5_8,
    technical_assignment_agreed_by_curator_002_5_7,
    reports_accepted_by_methodical_center_002_5_11_5_13,
    road_map_returned_by_curator_resumes_at_curator_002_5_8,
    returned_report_waits_for_its_author_002_5_11,
    curator_yearly_report_rejected_by_methodical_center_is_closed_002_5_13,
    curator_review_period_missed_recorded_once_002_5_7,
    deputy_by_order_approves_for_curator_within_its_term_only_002_5_3,
    approved_application_admits_the_member_once_002_5_2,
    returned_application_resubmitted_and_approved_002_5_2,
    admission_refused_by_the_rules_is_recorded_once_002_5_2,
    // 003 Novosibirsk
    city_plan_agreed_by_curator_and_approved_by_head_at_own_meeting_003_7_9,
    city_analysis_through_curator_and_scientific_methodical_council_003_7_8,
    district_plan_travels_the_default_chain_003_7_7,
    district_plan_returned_at_city_head_resumes_at_city_head_003_7_7,
    city_plan_rejected_by_curator_is_closed_003_7_9,
    curator_review_period_and_15_may_submission_missed_once_each_003_7_8,
    only_the_holder_of_each_step_decides_003_7_7,
    a_step_is_decided_once_003_7_7,
    deputy_by_order_approves_for_city_head_within_its_term_only_003_7_7,
    reaction_recorded_before_its_checkpoint_is_not_repeated_003_7_9,
    city_plan_not_approved_at_first_meeting_by_15_september_misses_it_once_003_7_9,
);
