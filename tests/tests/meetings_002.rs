//! Izhevsk's meetings against its road maps (002 §5.9: «Периодичность заседаний ГМО и иных
//! сетевых событий определяется дорожной картой») through `query meetings`, on a real store
//! (SQLite file and PostgreSQL), with the answers worked out by hand from the town below.
//!
//! Three ГМО of 2024/25, created by the Center's order of 26 Aug after its council, their
//! curator (a Center specialist) and heads appointed by the Управление's orders of 2 Sep, and
//! for each road map a technical assignment the Center's methodist wrote and the curator
//! agreed on 10 Sep (002 §5.7, §5.8):
//!
//! - «Естественно-научная грамотность» (stem): road map version 1 of 16 Sep plans 3 meetings
//!   and 2 network events; reviewed at the meeting of 18 Sep and returned; version 2 of
//!   23 Sep plans 4 and 2, approved by the curator at the meeting of 25 Sep. A third meeting
//!   on 20 Nov. Network events: one reported on 20 Nov (still with the Center), one reported
//!   on 5 Dec and rejected by the Center on 10 Dec.
//! - «Читательская грамотность» (reading): road map of 17 Sep plans 2 meetings and 1 network
//!   event, approved at the meeting of 24 Sep. A second meeting on 12 Dec, entered only on
//!   9 Jan; a network event reported on 1 Dec.
//! - «Математическая грамотность» (math): no road map; one meeting on 15 Oct.

mod scenario_support;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use domain::commands::{
    AppointCurator, AppointHead, ApproveStep, FinalizeDocument, OpenDocument, RejectDocument,
    ReturnDocument, SubmitDocumentVersion,
};
use domain::events::{CouncilReview, NetworkEventDetails};
use domain::ids::{AssociationId, DocumentId, MeetingId};
use domain::values::{CategoryLevel, DocumentType, Level, Office, PositionKind};
use domain::Command;
use projections::queries::{self, Filters, QueryKind, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

const STEM: &str = "ГМО «Естественно-научная грамотность»";
const READING: &str = "ГМО «Читательская грамотность»";
const MATH: &str = "ГМО «Математическая грамотность»";

struct Gmo {
    key: &'static str,
    title: &'static str,
    subject: &'static str,
    head: &'static str,
}

const GMOS: [Gmo; 3] = [
    Gmo {
        key: "stem",
        title: STEM,
        subject: "естественно-научная грамотность",
        head: "h-stem",
    },
    Gmo {
        key: "reading",
        title: READING,
        subject: "читательская грамотность",
        head: "h-reading",
    },
    Gmo {
        key: "math",
        title: MATH,
        subject: "математическая грамотность",
        head: "h-math",
    },
];

/// The town described at the top, with the read models caught up.
async fn izhevsk(backend: Backend) -> Town {
    let mut town = Town::izhevsk(backend).await;
    let people = [
        (
            "davydova",
            "Давыдова Светлана Михайловна",
            "alternativa",
            PositionKind::Director,
        ),
        (
            "methodist",
            "Волкова Татьяна Юрьевна",
            "alternativa",
            PositionKind::Methodist,
        ),
        (
            "specialist",
            "Орлова Марина Сергеевна",
            "alternativa",
            PositionKind::CenterSpecialist,
        ),
        (
            "h-stem",
            "Лебедева Ольга Викторовна",
            "lyceum",
            PositionKind::Teacher,
        ),
        (
            "h-reading",
            "Зайцев Игорь Петрович",
            "lyceum",
            PositionKind::Teacher,
        ),
        (
            "h-math",
            "Никитина Галина Павловна",
            "school-90",
            PositionKind::Teacher,
        ),
    ];
    for (key, name, organization, kind) in people {
        let category =
            (kind == PositionKind::Teacher).then_some((CategoryLevel::Highest, date(2015, 1, 1)));
        town.teacher(key, name, organization, kind, category, date(2005, 9, 1))
            .await;
    }
    town.official("davydova", "center", Office::Chief).await;
    town.official("methodist", "center", Office::Specialist)
        .await;
    let creation = town
        .order("center", "12-од", date(2024, 8, 26), "О создании ГМО")
        .await;
    let curators = town
        .order("uo", "845", date(2024, 9, 2), "О назначении кураторов ГМО")
        .await;
    let heads = town
        .order(
            "uo",
            "846",
            date(2024, 9, 2),
            "О назначении руководителей ГМО",
        )
        .await;
    for gmo in &GMOS {
        town.creation_review = Some(CouncilReview {
            council: town.body("council"),
            protocol_number: "1".into(),
            date: date(2024, 8, 23),
        });
        let association = town
            .association(
                gmo.key,
                gmo.title,
                gmo.subject,
                Level::City,
                None,
                None,
                creation,
            )
            .await;
        let specialist = town.person("specialist");
        town.op(
            date(2024, 9, 2),
            Command::AppointCurator(AppointCurator {
                association,
                person: specialist,
                school_year: year("2024/25"),
                order: curators,
            }),
        )
        .await;
        let head = town.person(gmo.head);
        town.op(
            date(2024, 9, 2),
            Command::AppointHead(AppointHead {
                association,
                person: head,
                school_year: year("2024/25"),
                order: heads,
                review: None,
            }),
        )
        .await;
    }
    let [stem, reading, math] = GMOS.map(|g| gmo_id(&town, g.key));

    // Day by day, so that what was entered is known from the day it was entered.
    let stem_assignment = agreed_assignment(&mut town, stem, "stem").await;
    let reading_assignment = agreed_assignment(&mut town, reading, "reading").await;
    let (stem_map, reading_map) = (document("road-map-stem"), document("road-map-reading"));
    // stem's version 1 plans 3 and 2; reading's 2 and 1.
    open(
        &mut town,
        "h-stem",
        date(2024, 9, 16),
        (stem_map, stem),
        DocumentType::WorkPlan,
    )
    .await;
    submit_road_map(
        &mut town,
        "h-stem",
        date(2024, 9, 16),
        (stem_map, 1),
        stem_assignment,
        (3, 2),
    )
    .await;
    let on = date(2024, 9, 17);
    open(
        &mut town,
        "h-reading",
        on,
        (reading_map, reading),
        DocumentType::WorkPlan,
    )
    .await;
    submit_road_map(
        &mut town,
        "h-reading",
        on,
        (reading_map, 1),
        reading_assignment,
        (2, 1),
    )
    .await;
    // stem's version 1 reviewed and returned on 18 Sep; version 2 of 23 Sep plans 4 and 2.
    meeting(&mut town, "h-stem", "stem-1", stem, date(2024, 9, 18)).await;
    town.by(
        "specialist",
        date(2024, 9, 18),
        Command::ReturnDocument(ReturnDocument {
            document: stem_map,
            step: 1,
            comment: "Согласовать мероприятия с техническим заданием".into(),
        }),
    )
    .await;
    submit_road_map(
        &mut town,
        "h-stem",
        date(2024, 9, 23),
        (stem_map, 2),
        stem_assignment,
        (4, 2),
    )
    .await;
    // Approved at the meetings of 24 Sep (reading) and 25 Sep (stem).
    let review = meeting(
        &mut town,
        "h-reading",
        "reading-1",
        reading,
        date(2024, 9, 24),
    )
    .await;
    approve_at_meeting(&mut town, reading_map, review, date(2024, 9, 24)).await;
    let review = meeting(&mut town, "h-stem", "stem-2", stem, date(2024, 9, 25)).await;
    approve_at_meeting(&mut town, stem_map, review, date(2024, 9, 25)).await;
    // The year's meetings and network events.
    meeting(&mut town, "h-math", "math-1", math, date(2024, 10, 15)).await;
    meeting(&mut town, "h-stem", "stem-3", stem, date(2024, 11, 20)).await;
    network_event(
        &mut town,
        "h-stem",
        stem,
        "stem-event-1",
        date(2024, 11, 20),
    )
    .await;
    network_event(
        &mut town,
        "h-reading",
        reading,
        "reading-event-1",
        date(2024, 12, 1),
    )
    .await;
    let rejected =
        network_event(&mut town, "h-stem", stem, "stem-event-2", date(2024, 12, 5)).await;
    town.by(
        "methodist",
        date(2024, 12, 10),
        Command::RejectDocument(RejectDocument {
            document: rejected,
            step: 1,
            reason: "Нет листа регистрации участников".into(),
        }),
    )
    .await;
    // reading's meeting of 12 Dec, entered on 9 Jan.
    town.recording_day = Some(date(2025, 1, 9));
    meeting(
        &mut town,
        "h-reading",
        "reading-2",
        reading,
        date(2024, 12, 12),
    )
    .await;
    town.recording_day = None;

    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
    town
}

fn gmo_id(town: &Town, key: &str) -> AssociationId {
    AssociationId::derived(&town.municipality.to_string(), key)
}

fn document(key: &str) -> DocumentId {
    DocumentId::derived("meetings-002", key)
}

async fn open(
    town: &mut Town,
    author: &str,
    on: NaiveDate,
    (document, association): (DocumentId, AssociationId),
    document_type: DocumentType,
) {
    town.by(
        author,
        on,
        Command::OpenDocument(OpenDocument {
            document,
            association,
            document_type,
            school_year: year("2024/25"),
            title: format!("{} {document}", document_type.in_russian()),
            nomination: None,
        }),
    )
    .await;
}

fn version(document: DocumentId, n: u32) -> SubmitDocumentVersion {
    SubmitDocumentVersion {
        document,
        content_hash: hash_of(&format!("{document} v{n}")),
        network_event: None,
        based_on: None,
        planned_meetings: None,
        planned_network_events: None,
    }
}

/// The Center's methodist writes the ГМО's technical assignment on 9 Sep; the curator agrees
/// it on 10 Sep and the approval is recorded (002 §5.7, §4.1).
async fn agreed_assignment(town: &mut Town, association: AssociationId, key: &str) -> DocumentId {
    let assignment = document(&format!("assignment-{key}"));
    let on = date(2024, 9, 9);
    open(
        town,
        "methodist",
        on,
        (assignment, association),
        DocumentType::TechnicalAssignment,
    )
    .await;
    town.by(
        "methodist",
        on,
        Command::SubmitDocumentVersion(version(assignment, 1)),
    )
    .await;
    let on = date(2024, 9, 10);
    town.by("specialist", on, approve(assignment, None)).await;
    town.op(
        on,
        Command::FinalizeDocument(FinalizeDocument {
            document: assignment,
        }),
    )
    .await;
    assignment
}

/// Version `n` of a road map, with the meetings and network events it plans (002 §5.9).
async fn submit_road_map(
    town: &mut Town,
    head: &str,
    on: NaiveDate,
    (road_map, n): (DocumentId, u32),
    assignment: DocumentId,
    (meetings, events): (u32, u32),
) {
    let command = SubmitDocumentVersion {
        based_on: Some(assignment),
        planned_meetings: Some(meetings),
        planned_network_events: Some(events),
        ..version(road_map, n)
    };
    town.by(head, on, Command::SubmitDocumentVersion(command))
        .await;
}

fn approve(document: DocumentId, meeting: Option<MeetingId>) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step: 1,
        comment: None,
        meeting,
        order: None,
        protocol_number: None,
    })
}

/// The curator approves the road map at the ГМО's meeting (002 §5.8); the approval is
/// recorded the same day.
async fn approve_at_meeting(town: &mut Town, road_map: DocumentId, at: MeetingId, on: NaiveDate) {
    town.by("specialist", on, approve(road_map, Some(at))).await;
    town.op(
        on,
        Command::FinalizeDocument(FinalizeDocument { document: road_map }),
    )
    .await;
}

async fn meeting(
    town: &mut Town,
    head: &str,
    key: &str,
    association: AssociationId,
    on: NaiveDate,
) -> MeetingId {
    town.hold_meeting(
        head,
        key,
        association,
        on,
        &[head, "specialist"],
        vec![decided("Выполнение дорожной карты", "Принять к сведению")],
    )
    .await
}

/// A network event held on `on`, reported to the Center the same day (002 §5.11).
async fn network_event(
    town: &mut Town,
    head: &str,
    association: AssociationId,
    key: &str,
    on: NaiveDate,
) -> DocumentId {
    let report = document(key);
    open(
        town,
        head,
        on,
        (report, association),
        DocumentType::NetworkEventReport,
    )
    .await;
    let details = NetworkEventDetails {
        topic: format!("Сетевое событие {key}"),
        held_on: on,
        goal: "Обмен практиками".into(),
        audience: "Педагоги ГМО".into(),
        programme: None,
        attendees: vec![town.person(head)],
        attendance_count: 20,
        attendance_sheet: hash_of(&format!("{key} sheet")),
        evidence: vec![hash_of(&format!("{key} photo"))],
    };
    let command = SubmitDocumentVersion {
        network_event: Some(details),
        ..version(report, 1)
    };
    town.by(head, on, Command::SubmitDocumentVersion(command))
        .await;
    report
}

/// `query meetings` on `as_of`, as known at 23:00 of `known_at` (None: now).
async fn meetings(town: &Town, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Report {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: known_at
                .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
        },
        profile: profiles.get("izhevsk").expect("profile"),
        filters: Filters::default(),
    };
    queries::run(town.store.as_ref(), QueryKind::Meetings, &question)
        .await
        .expect("the query runs")
}

/// The cells compared: the ГМО, where its road map stands, meetings held, planned and short,
/// network events reported, planned and short.
const KEYS: [&str; 8] = [
    "title",
    "plan_state",
    "held",
    "planned",
    "shortfall",
    "network_events",
    "network_events_planned",
    "network_events_shortfall",
];

fn rows_of(report: &Report) -> Vec<Vec<Value>> {
    report
        .rows
        .iter()
        .map(|row| {
            KEYS.iter()
                .map(|key| row.get(key).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

/// A hand-computed row: (held, planned, short) meetings and (reported, planned, short)
/// network events; `None` where no number is planned.
fn expected(
    title: &str,
    state: &str,
    meetings: (u32, Option<u32>, Option<u32>),
    events: (u32, Option<u32>, Option<u32>),
) -> Vec<Value> {
    vec![
        json!(title),
        json!(state),
        json!(meetings.0),
        json!(meetings.1),
        json!(meetings.2),
        json!(events.0),
        json!(events.1),
        json!(events.2),
    ]
}

/// The rule the answer applies, and that it has one: the road map's numbers (002 §5.9).
fn assert_rule(report: &Report) {
    assert!(report.profile_has_rule, "{report:?}");
    assert_eq!(report.no_rule, None);
    assert_eq!(report.rules.len(), 1);
    assert_eq!(report.rules[0].clause, "002 §5.9");
    assert!(
        report.rules[0]
            .rule
            .contains("документ «план работы (дорожная карта)»"),
        "{:?}",
        report.rules
    );
    assert!(report.rows.iter().all(|r| r["clause"] == "002 §5.9"
        && r["school_year"] == "2024/25"
        && r["year_over"] == false));
}

/// 002 §5.9 in the spring: stem approved 4 meetings and 2 network events (version 2 — the
/// approved one, not the 3 of the returned version 1) and held 3, with 1 network event
/// counted (the rejected report is not); reading held its 2 and reported its 1, so it is not
/// listed; math has no road map and is listed as such. Rows by subject: естественно-научная,
/// математическая, читательская.
async fn held_compared_with_the_approved_road_map_002_5_9(backend: Backend) {
    let town = izhevsk(backend).await;
    let report = meetings(&town, date(2025, 1, 10), None).await;
    assert_rule(&report);
    assert_eq!(
        rows_of(&report),
        vec![
            expected(
                STEM,
                "утверждён, версия 2",
                (3, Some(4), Some(1)),
                (1, Some(2), Some(1))
            ),
            expected(MATH, "нет", (1, None, None), (0, None, None)),
        ]
    );
    let stem = report
        .rows
        .iter()
        .find(|r| r["title"] == STEM)
        .expect("stem");
    assert_eq!(stem["plan"], json!(document("road-map-stem")));
    let keys: Vec<&str> = report.columns.iter().map(|c| c.key).collect();
    assert_eq!(
        keys,
        [
            "title",
            "level",
            "district",
            "school_year",
            "plan_state",
            "held",
            "planned",
            "shortfall",
            "network_events",
            "network_events_planned",
            "network_events_shortfall",
            "year_over",
            "clause",
        ]
    );
}

/// 002 §5.9 on the valid-time axis: on 20 Sep no road map is approved yet — stem's version 1
/// was returned on 18 Sep, reading's waits for the curator — so each ГМО is listed with where
/// its road map stands and the meetings held so far (stem's review of 18 Sep).
async fn before_any_road_map_is_approved_each_is_said_to_have_none_002_5_9(backend: Backend) {
    let town = izhevsk(backend).await;
    let report = meetings(&town, date(2024, 9, 20), None).await;
    assert_rule(&report);
    assert_eq!(
        rows_of(&report),
        vec![
            expected(
                STEM,
                "не утверждён: возвращён на доработку с шага 1",
                (1, None, None),
                (0, None, None)
            ),
            expected(MATH, "нет", (0, None, None), (0, None, None)),
            expected(
                READING,
                "не утверждён: на шаге 1",
                (0, None, None),
                (0, None, None)
            ),
        ]
    );
}

/// 002 §5.9 on the transaction-time axis: reading's meeting of 12 Dec was entered on 9 Jan.
/// Asked about 10 Jan as known on 5 Jan, reading had held 1 of its 2 and is listed; as
/// known now, it held both and is not. Stem and math are the same either way.
async fn a_meeting_entered_late_counts_only_from_its_entry_002_5_9(backend: Backend) {
    let town = izhevsk(backend).await;
    let then = meetings(&town, date(2025, 1, 10), Some(date(2025, 1, 5))).await;
    assert_rule(&then);
    assert_eq!(
        rows_of(&then),
        vec![
            expected(
                STEM,
                "утверждён, версия 2",
                (3, Some(4), Some(1)),
                (1, Some(2), Some(1))
            ),
            expected(MATH, "нет", (1, None, None), (0, None, None)),
            expected(
                READING,
                "утверждён, версия 1",
                (1, Some(2), Some(1)),
                (1, Some(1), Some(0))
            ),
        ]
    );
    let now = meetings(&town, date(2025, 1, 10), None).await;
    assert!(
        now.rows.iter().all(|r| r["title"] != READING),
        "{:?}",
        now.rows
    );
}

/// Novokuznetsk's and Novosibirsk's answers keep their fixed minimum and columns: only a
/// profile whose document sets the number (`planned_by`) is compared with a plan.
async fn a_fixed_minimum_is_still_a_fixed_minimum_000_4_4_003_7_6(backend: Backend) {
    let town = izhevsk(backend).await;
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    for name in ["novokuznetsk", "novosibirsk"] {
        let question = Question {
            at: TimePoint {
                as_of: date(2025, 1, 10),
                known_at: None,
            },
            profile: profiles.get(name).expect("profile"),
            filters: Filters::default(),
        };
        let report = queries::run(town.store.as_ref(), QueryKind::Meetings, &question)
            .await
            .expect("the query runs");
        let keys: Vec<&str> = report.columns.iter().map(|c| c.key).collect();
        assert_eq!(
            keys,
            [
                "title",
                "level",
                "district",
                "school_year",
                "held",
                "required",
                "shortfall",
                "year_over",
                "clause"
            ],
            "{name}"
        );
        assert!(
            report.rows.iter().all(|r| r.get("planned").is_none()),
            "{name}"
        );
    }
}

store::on_every_backend!(
    held_compared_with_the_approved_road_map_002_5_9,
    before_any_road_map_is_approved_each_is_said_to_have_none_002_5_9,
    a_meeting_entered_late_counts_only_from_its_entry_002_5_9,
    a_fixed_minimum_is_still_a_fixed_minimum_000_4_4_003_7_6,
);
