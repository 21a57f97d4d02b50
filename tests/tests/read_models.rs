//! The read models and the oversight questions on a small hand-made Novokuznetsk (000), on a
//! real SQLite file and on PostgreSQL. Every expected answer is worked out here from what the
//! town did, not copied from the program: who heads what, how many meetings were held against
//! the 4 of 000 §4.4/§10.1, whose member database missed 1 Oct (000 §4.6, §10.4), which plan
//! is late at whose step (000 §10.5). One order is entered ten days after its date, so the
//! answers differ between "as known now" and "as known then". Novosibirsk (003) has heads
//! whose categories lapse and come back — one entered after a transfer dated later, one
//! dated from its grant — and Kuznetsk (001) the indicators.

mod fact_rows;
mod scenario_support;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use domain::commands::{
    AdmitMember, AppointCurator, AppointHead, ChangeCategory, ElectHead, ElectSecretary,
    LiquidateAssociation, OpenDocument, RecordDevelopment, SubmitDocumentVersion, TransferPerson,
    UpdateMemberDatabase,
};
use domain::events::{AdmissionBasis, CouncilReview, Member};
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::inbox::InboxReason;
use domain::values::{
    Category, CategoryLevel, DocumentType, Level, OrganizationKind, PositionKind,
};
use domain::Command;
use projections::facts::{FactBody, PersonFact};
use projections::queries::{self, Filters, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

struct Nk {
    town: Town,
    city: AssociationId,
    central: AssociationId,
    zavodskoy: AssociationId,
    plan: DocumentId,
}

/// The town up to 5 Oct 2024: the three associations, their members and heads, Central's
/// first meeting and the member databases of Central (27 Sep) and Zavodskoy (5 Oct, late).
async fn autumn(backend: Backend) -> (Town, AssociationId, AssociationId, AssociationId) {
    let mut town = Town::novokuznetsk(backend).await;
    town.people(&["deputy", "a1", "a2", "a3", "b1", "b2"]).await;
    let MathAssociations {
        city,
        central,
        zavodskoy,
        ..
    } = town.math_associations().await;
    // Central: members and head by the district department's order of 5 Sep.
    let central_order = town
        .order("rono-central", "45", date(2024, 9, 5), "О составе РПМО")
        .await;
    town.admit_by_order(
        central,
        &["a1", "a2", "a3"],
        central_order,
        date(2024, 9, 5),
    )
    .await;
    town.op(
        date(2024, 9, 5),
        Command::AppointHead(AppointHead {
            association: central,
            person: town.person("a1"),
            school_year: year("2024/25"),
            order: central_order,
            review: None,
        }),
    )
    .await;
    // The city head after the Coordination council (000 §4.2), a member as district head.
    let city_order = town
        .order("koin", "1302", date(2024, 9, 12), "О руководителе ГПМО")
        .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointHead(AppointHead {
            association: city,
            person: town.person("a1"),
            school_year: year("2024/25"),
            order: city_order,
            review: Some(CouncilReview {
                council: town.body("coordination"),
                protocol_number: "3".into(),
                date: date(2024, 9, 10),
            }),
        }),
    )
    .await;
    town.op(
        date(2024, 9, 12),
        Command::AdmitMember(AdmitMember {
            association: city,
            member: Member::Person(town.person("a1")),
            basis: AdmissionBasis::Order(city_order),
            district_association: Some(central),
        }),
    )
    .await;
    // Zavodskoy: the order is dated 10 Sep but entered on 20 Sep.
    town.recording_day = Some(date(2024, 9, 20));
    let zavodskoy_order = town
        .order("rono-zavodskoy", "78", date(2024, 9, 10), "О составе РПМО")
        .await;
    town.admit_by_order(zavodskoy, &["b1", "b2"], zavodskoy_order, date(2024, 9, 10))
        .await;
    town.op(
        date(2024, 9, 10),
        Command::AppointHead(AppointHead {
            association: zavodskoy,
            person: town.person("b1"),
            school_year: year("2024/25"),
            order: zavodskoy_order,
            review: None,
        }),
    )
    .await;
    town.recording_day = None;
    // Central's first meeting elects the secretary (000 §10.2).
    let first = town
        .hold_meeting(
            "a1",
            "central-1",
            central,
            date(2024, 9, 20),
            &["a1", "a2", "a3"],
            vec![decided("Выборы секретаря", "Избрать Петрова О. И.")],
        )
        .await;
    let vote = town.vote(first, &["a1", "a2", "a3"], 3, 0, 0);
    town.by(
        "a1",
        date(2024, 9, 20),
        Command::ElectSecretary(ElectSecretary {
            association: central,
            person: town.person("a2"),
            school_year: year("2024/25"),
            vote,
        }),
    )
    .await;
    town.protocol("a2", "a1", first, "1", date(2024, 9, 21))
        .await;
    // Member databases: central in time, Zavodskoy late, the city association never.
    town.by(
        "a2",
        date(2024, 9, 27),
        Command::UpdateMemberDatabase(UpdateMemberDatabase {
            association: central,
            school_year: year("2024/25"),
        }),
    )
    .await;
    town.by(
        "b1",
        date(2024, 10, 5),
        Command::UpdateMemberDatabase(UpdateMemberDatabase {
            association: zavodskoy,
            school_year: year("2024/25"),
        }),
    )
    .await;
    (town, city, central, zavodskoy)
}

/// The town, 2024/25: three mathematics associations (city, two districts). Answers list the
/// city association first, then the district ones by district title (Заводской before
/// Центральный).
async fn build(backend: Backend) -> Nk {
    build_with(backend, None).await
}

/// [`build`], where the municipality's profile gives each step `local_review_days` of its
/// own from before the plan is submitted (a local setting; 000 sets no review period).
async fn build_with(backend: Backend, local_review_days: Option<u32>) -> Nk {
    let (mut town, city, central, zavodskoy) = autumn(backend).await;
    // Two more central meetings: three in the year against the four required.
    for (n, on) in [(2, date(2024, 11, 15)), (3, date(2025, 2, 14))] {
        let meeting = town
            .hold_meeting(
                "a2",
                &format!("central-{n}"),
                central,
                on,
                &["a1", "a2"],
                vec![decided("Обмен опытом", "Принять к сведению")],
            )
            .await;
        town.protocol("a2", "a1", meeting, &n.to_string(), on).await;
    }
    // Central's plan for 2025/26 waits at the city head's step (000 §10.5).
    let plan = DocumentId::derived("nk", "central-plan-2025");
    town.by(
        "a1",
        date(2025, 4, 21),
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: central,
            document_type: DocumentType::WorkPlan,
            school_year: year("2025/26"),
            title: "План работы РПМО на 2025/26".into(),
            nomination: None,
        }),
    )
    .await;
    if let Some(days) = local_review_days {
        town.set_local_review_days(days);
    }
    town.by(
        "a1",
        date(2025, 4, 21),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план v1"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
    Nk {
        town,
        city,
        central,
        zavodskoy,
        plan,
    }
}

async fn ask(nk: &Nk, name: &str, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Report {
    ask_town(&nk.town, "novokuznetsk", name, as_of, known_at).await
}

/// Question `name` to `town` (of profile `profile`) about `as_of`, as known at 23:00 of
/// `known_at` (None: now).
async fn ask_town(
    town: &Town,
    profile: &str,
    name: &str,
    as_of: NaiveDate,
    known_at: Option<NaiveDate>,
) -> Report {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get(profile).expect("profile");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: known_at
                .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
        },
        profile,
        filters: Filters::default(),
    };
    let kind = name.parse().expect("a known query");
    queries::run(town.store.as_ref(), kind, &question)
        .await
        .expect("the query runs")
}

fn rows_of(report: &Report, keys: &[&str]) -> Vec<Vec<Value>> {
    report
        .rows
        .iter()
        .map(|row| {
            keys.iter()
                .map(|k| row.get(k).cloned().unwrap_or(Value::Null))
                .collect()
        })
        .collect()
}

fn clauses(report: &Report) -> Vec<String> {
    report.rules.iter().map(|r| r.clause.clone()).collect()
}

async fn hierarchy_as_known_now_and_then(backend: Backend) {
    let nk = build(backend).await;
    let keys = [
        "association",
        "head",
        "secretary",
        "members",
        "city_association",
    ];
    let city = "ГПМО учителей математики";
    // On 15 Sep, as known now: Zavodskoy's head and members, by the order of 10 Sep.
    let now = ask(&nk, "hierarchy", date(2024, 9, 15), None).await;
    assert_eq!(
        rows_of(&now, &keys),
        vec![
            vec![
                json!(nk.city),
                json!("Иванова Мария Сергеевна"),
                Value::Null,
                json!(1),
                Value::Null
            ],
            vec![
                json!(nk.zavodskoy),
                json!("Смирнов Павел Андреевич"),
                Value::Null,
                json!(2),
                json!(city)
            ],
            vec![
                json!(nk.central),
                json!("Иванова Мария Сергеевна"),
                Value::Null,
                json!(3),
                json!(city)
            ],
        ]
    );
    // On 15 Sep, as known on 15 Sep: the order of 10 Sep was not entered yet.
    let then = ask(&nk, "hierarchy", date(2024, 9, 15), Some(date(2024, 9, 15))).await;
    assert_eq!(
        rows_of(&then, &keys)[1],
        vec![
            json!(nk.zavodskoy),
            Value::Null,
            Value::Null,
            json!(0),
            json!(city)
        ]
    );
    // On 1 Oct: the secretary elected on 20 Sep.
    let october = ask(&nk, "hierarchy", date(2024, 10, 1), None).await;
    assert_eq!(
        rows_of(&october, &["secretary"])[2],
        vec![json!("Петров Олег Иванович")]
    );
    // Before the associations were created there is nothing.
    let august = ask(&nk, "hierarchy", date(2024, 8, 20), None).await;
    assert!(august.rows.is_empty());
    assert!(clauses(&now).iter().any(|c| c.starts_with("000")));
}

async fn meetings_against_the_four_required(backend: Backend) {
    let nk = build(backend).await;
    let keys = ["association", "held", "required", "year_over"];
    // At the end of the year: central held 3, the others none; 4 are required (000 §10.1).
    let year_end = ask(&nk, "meetings", date(2025, 8, 31), None).await;
    assert_eq!(
        rows_of(&year_end, &keys),
        vec![
            vec![json!(nk.city), json!(0), json!(4), json!(true)],
            vec![json!(nk.zavodskoy), json!(0), json!(4), json!(true)],
            vec![json!(nk.central), json!(3), json!(4), json!(true)],
        ]
    );
    assert_eq!(year_end.rules[0].clause, "000 §4.4, §10.1");
    // On 1 Dec only the first two central meetings had been held.
    let december = ask(&nk, "meetings", date(2024, 12, 1), None).await;
    assert_eq!(rows_of(&december, &["held"])[2], vec![json!(2)]);
}

async fn member_databases_not_updated_by_first_october(backend: Backend) {
    let nk = build(backend).await;
    let keys = ["association", "updated_on"];
    // Before 1 Oct nothing is due.
    let september = ask(&nk, "member-db", date(2024, 9, 30), None).await;
    assert!(september.rows.is_empty());
    // On 3 Oct: the city association and Zavodskoy have not updated.
    let third = ask(&nk, "member-db", date(2024, 10, 3), None).await;
    assert_eq!(
        rows_of(&third, &keys),
        vec![
            vec![json!(nk.city), Value::Null],
            vec![json!(nk.zavodskoy), Value::Null]
        ]
    );
    // Later in the year Zavodskoy's late update shows with its date.
    let november = ask(&nk, "member-db", date(2024, 11, 1), None).await;
    assert_eq!(
        rows_of(&november, &keys),
        vec![
            vec![json!(nk.city), Value::Null],
            vec![json!(nk.zavodskoy), json!("2024-10-05")]
        ]
    );
    assert_eq!(november.rules[0].clause, "000 §4.6, §10.4");
}

/// Two updates of a member database in one school year: the first one counts (000 §4.6,
/// §10.4). Central updated on 27 Sep and again on 15 Oct, Zavodskoy late on 5 Oct and again
/// on 20 Oct; the city association on 28 Sep, entered only on 22 Oct. On 25 Oct, as known
/// now, only Zavodskoy missed 1 Oct, with its first update; as known on 21 Oct the city
/// association's update was not there yet.
async fn the_first_member_database_update_of_the_year_counts(backend: Backend) {
    let (mut town, city, central, zavodskoy) = autumn(backend).await;
    for (who, on, association) in [
        ("a2", date(2024, 10, 15), central),
        ("b1", date(2024, 10, 20), zavodskoy),
    ] {
        town.by(
            who,
            on,
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association,
                school_year: year("2024/25"),
            }),
        )
        .await;
    }
    town.recording_day = Some(date(2024, 10, 22));
    town.by(
        "a1",
        date(2024, 9, 28),
        Command::UpdateMemberDatabase(UpdateMemberDatabase {
            association: city,
            school_year: year("2024/25"),
        }),
    )
    .await;
    town.recording_day = None;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let keys = ["association", "updated_on"];
    let ask = |as_of, known_at| ask_town(&town, "novokuznetsk", "member-db", as_of, known_at);
    let zavodskoy_late = vec![json!(zavodskoy), json!("2024-10-05")];
    assert_eq!(
        rows_of(&ask(date(2024, 10, 25), None).await, &keys),
        vec![zavodskoy_late.clone()]
    );
    let city_missing = vec![json!(city), Value::Null];
    assert_eq!(
        rows_of(
            &ask(date(2024, 10, 25), Some(date(2024, 10, 21))).await,
            &keys
        ),
        vec![city_missing.clone(), zavodskoy_late.clone()]
    );
    // Between the two updates, as known then.
    assert_eq!(
        rows_of(
            &ask(date(2024, 10, 16), Some(date(2024, 10, 16))).await,
            &keys
        ),
        vec![city_missing, zavodskoy_late]
    );
    assert_rebuild_and_single_steps_agree(town.store.as_ref()).await;
}

/// 000 §10.5: the plan is agreed by 5 May; the step at the city head has no period of its
/// own (the seed sets none), so the plan is late from 6 May, for 5 May, citing the clause.
async fn late_plan_at_the_city_heads_step_000_10_5(backend: Backend) {
    let nk = build(backend).await;
    let keys = [
        "document",
        "holders",
        "since",
        "due",
        "days_overdue",
        "set_by",
        "clause",
    ];
    // Submitted 21 Apr; ten days on (to 1 May, the period metod once invented) it is not late.
    for day in [date(2025, 5, 2), date(2025, 5, 5)] {
        assert!(ask(&nk, "late", day, None).await.rows.is_empty(), "{day}");
    }
    let late = ask(&nk, "late", date(2025, 5, 10), None).await;
    assert_eq!(
        rows_of(&late, &keys),
        vec![vec![
            json!(nk.plan),
            json!(["Иванова Мария Сергеевна"]),
            json!("2025-04-21"),
            json!("2025-05-05"),
            json!(5),
            json!("положение"),
            json!("000 §10.5"),
        ]]
    );
    // Before it was submitted it was late for nothing.
    let april = ask(&nk, "late", date(2025, 4, 20), None).await;
    assert!(april.rows.is_empty());
}

/// Given a municipality whose profile gives each step 10 days (its own setting), when the
/// city head sits on the plan past them, then `late` lists it from 2 May as the
/// municipality's deadline, naming the setting — not a clause of 000.
async fn late_names_a_review_period_the_municipality_set_as_its_own(backend: Backend) {
    let nk = build_with(backend, Some(10)).await;
    assert!(ask(&nk, "late", date(2025, 5, 1), None)
        .await
        .rows
        .is_empty());
    let late = ask(&nk, "late", date(2025, 5, 10), None).await;
    assert_eq!(
        rows_of(
            &late,
            &["document", "due", "days_overdue", "set_by", "clause"]
        ),
        vec![vec![
            json!(nk.plan),
            json!("2025-05-01"),
            json!(9),
            json!("срок, установленный муниципалитетом"),
            json!("10 дн. на шаг согласования — review_days в профиле"),
        ]]
    );
}

/// 000 §10.5: a district association's analysis of the year and its next plan are agreed by
/// 5 May. Central opened its plan but no analysis; Zavodskoy opened neither. Once the timers
/// record the misses (run on 6 May), `late` lists the three documents nobody opened, with
/// the district heads who owe them — valid from 5 May, known from the run; a plan opened
/// later leaves the list from the day it was opened and is listed on its own terms.
async fn late_lists_documents_nobody_opened_000_10_5(backend: Backend) {
    let mut nk = build(backend).await;
    let noon = |day: NaiveDate| Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("hour"));
    nk.town.clock.set(noon(date(2025, 5, 6)));
    let report = workflows::WorkflowRunner::new(nk.town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert!(report.refused.is_empty(), "{report:?}");
    projections::catch_up(nk.town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let keys = ["document", "title", "phase", "holders", "due", "clause"];
    let central_head = json!(["Иванова Мария Сергеевна"]);
    let zavodskoy_head = json!(["Смирнов Павел Андреевич"]);
    let unopened = |title: &str, holders: &Value| {
        vec![
            Value::Null,
            json!(title),
            json!("не открыт"),
            holders.clone(),
            json!("2025-05-05"),
            json!("000 §10.5"),
        ]
    };
    let plan_row = vec![
        json!(nk.plan),
        json!("План работы РПМО на 2025/26"),
        json!("на шаге 1"),
        central_head.clone(),
        json!("2025-05-05"),
        json!("000 §10.5"),
    ];
    let mut expected = vec![
        plan_row.clone(),
        unopened("анализ работы за учебный год — 2024/25", &central_head),
        unopened("анализ работы за учебный год — 2024/25", &zavodskoy_head),
        unopened("план работы (дорожная карта) — 2025/26", &zavodskoy_head),
    ];
    let sorted = |report: &Report| {
        let mut rows = rows_of(report, &keys);
        rows.sort_by_key(|r| {
            (
                r[4].to_string(),
                r[0].to_string(),
                r[1].to_string(),
                r[3].to_string(),
            )
        });
        rows
    };
    expected.sort_by_key(|r| {
        (
            r[4].to_string(),
            r[0].to_string(),
            r[1].to_string(),
            r[3].to_string(),
        )
    });
    let on_10_may = ask(&nk, "late", date(2025, 5, 10), None).await;
    assert_eq!(sorted(&on_10_may), expected);
    // On 5 May nothing was late yet (5 May is the last day, 000 §10.5); as known on 5 May
    // (before the timers ran) the unopened ones were not known to be missing.
    let on_5_may = ask(&nk, "late", date(2025, 5, 5), None).await;
    assert!(sorted(&on_5_may).is_empty());
    let known_5_may = ask(&nk, "late", date(2025, 5, 10), Some(date(2025, 5, 5))).await;
    assert_eq!(sorted(&known_5_may), vec![plan_row.clone()]);

    // Zavodskoy opens its plan on 12 May: from then it is a draft past its day.
    let zavodskoy = nk.zavodskoy;
    let late_plan = DocumentId::derived("nk", "zavodskoy-plan-2025");
    nk.town
        .by(
            "b1",
            date(2025, 5, 12),
            Command::OpenDocument(OpenDocument {
                document: late_plan,
                association: zavodskoy,
                document_type: DocumentType::WorkPlan,
                school_year: year("2025/26"),
                title: "План работы РПМО Заводского района на 2025/26".into(),
                nomination: None,
            }),
        )
        .await;
    projections::catch_up(nk.town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    // Valid time: on 10 May it was still unopened.
    assert_eq!(
        sorted(&ask(&nk, "late", date(2025, 5, 10), None).await),
        expected
    );
    let on_13_may = ask(&nk, "late", date(2025, 5, 13), None).await;
    let mut expected = vec![
        plan_row,
        unopened("анализ работы за учебный год — 2024/25", &central_head),
        unopened("анализ работы за учебный год — 2024/25", &zavodskoy_head),
        vec![
            json!(late_plan),
            json!("План работы РПМО Заводского района на 2025/26"),
            json!("не подан"),
            zavodskoy_head,
            json!("2025-05-05"),
            json!("000 §10.5"),
        ],
    ];
    expected.sort_by_key(|r| {
        (
            r[4].to_string(),
            r[0].to_string(),
            r[1].to_string(),
            r[3].to_string(),
        )
    });
    assert_eq!(sorted(&on_13_may), expected);
}

/// A correction: on 1 Oct a new order replaces Zavodskoy's head from the same 10 Sep. As
/// known before the correction the head on 15 Sep was b1; as known now it is b2 — and the
/// answer as of 15 Sep known at 25 Sep stays what it was.
async fn a_correction_changes_the_past_only_from_when_it_was_entered(backend: Backend) {
    let mut nk = build(backend).await;
    nk.town.recording_day = Some(date(2024, 10, 1));
    let order = nk
        .town
        .order(
            "rono-zavodskoy",
            "91",
            date(2024, 9, 10),
            "Об изменении приказа № 78",
        )
        .await;
    let zavodskoy = nk.zavodskoy;
    let b2 = nk.town.person("b2");
    nk.town
        .op(
            date(2024, 9, 10),
            Command::AppointHead(AppointHead {
                association: zavodskoy,
                person: b2,
                school_year: year("2024/25"),
                order,
                review: None,
            }),
        )
        .await;
    nk.town.recording_day = None;
    projections::catch_up(nk.town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let head_on_15_sep = |known_at: Option<NaiveDate>| {
        let nk = &nk;
        async move {
            let report = ask(nk, "hierarchy", date(2024, 9, 15), known_at).await;
            report
                .rows
                .iter()
                .find(|r| r["association"] == json!(nk.zavodskoy))
                .map(|r| r["head"].clone())
                .expect("Zavodskoy is in the tree")
        }
    };
    assert_eq!(head_on_15_sep(None).await, json!("Орлова Ирина Николаевна"));
    assert_eq!(
        head_on_15_sep(Some(date(2024, 9, 25))).await,
        json!("Смирнов Павел Андреевич")
    );
    assert_eq!(head_on_15_sep(Some(date(2024, 9, 15))).await, Value::Null);
}

/// Narrowing by district (title or id) and by subject.
async fn filters_narrow_the_answers(backend: Backend) {
    let nk = build(backend).await;
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novokuznetsk").expect("profile");
    let ask = |filters: Filters| {
        let question = Question {
            at: TimePoint {
                as_of: date(2024, 10, 1),
                known_at: None,
            },
            profile,
            filters,
        };
        let store = nk.town.store.clone();
        async move {
            queries::hierarchy(store.as_ref(), &question)
                .await
                .expect("the query runs")
        }
    };
    let zavodskoy = ask(Filters {
        district: Some("заводской район".into()),
        subject: None,
    })
    .await;
    assert_eq!(
        rows_of(&zavodskoy, &["association"]),
        vec![vec![json!(nk.zavodskoy)]]
    );
    let central = ask(Filters {
        district: Some(nk.town.districts["central"].to_string()),
        subject: Some("Математика".into()),
    })
    .await;
    assert_eq!(
        rows_of(&central, &["association"]),
        vec![vec![json!(nk.central)]]
    );
    let physics = ask(Filters {
        district: None,
        subject: Some("физика".into()),
    })
    .await;
    assert!(physics.rows.is_empty());
}

/// An event the projection cannot apply (a step of a document never opened) stops it with
/// the position and the reason; nothing after it is applied, and the checkpoint stands just
/// before it: what came before it in the same catch-up is kept.
async fn an_event_that_cannot_be_applied_stops_the_projection(backend: Backend) {
    let nk = build(backend).await;
    let store = nk.town.store.as_ref();
    let before = store
        .checkpoint(projections::READ_MODELS)
        .await
        .expect("checkpoint");
    // An event the read models pass over (the vault's kind), caught up with the orphan.
    let passed_over = store
        .append(
            &store::StreamId::parse("personal-data-nobody").expect("stream"),
            store::ExpectedVersion::NoStream,
            vec![store::NewEvent::new(
                store::vault::ERASURE_EVENT_TYPE,
                json!({"person": "nobody"}),
                date(2025, 4, 30),
                store::Actor::new("operator", "operator"),
            )],
            store::CommandId::random(),
        )
        .await
        .expect("append");
    assert_eq!(passed_over.first_position, before + 1);
    let orphan = DocumentId::derived("nk", "never-opened");
    let stream = store::StreamId::parse(orphan.stream()).expect("stream");
    let appended = store
        .append(
            &stream,
            store::ExpectedVersion::NoStream,
            vec![store::NewEvent::new(
                "StepApproved",
                json!({"document": orphan, "version": 1, "step": 1, "final_step": true,
                       "by": nk.town.person("a1")}),
                date(2025, 5, 1),
                store::Actor::new("operator", "operator"),
            )],
            store::CommandId::random(),
        )
        .await
        .expect("append");
    let error = projections::catch_up(store, &|_, _| {})
        .await
        .expect_err("the projection stops");
    assert_eq!(error.code(), "projection_cannot_apply");
    match &error {
        projections::ProjectionError::CannotApply {
            position,
            event_type,
            reason,
        } => {
            assert_eq!(*position, appended.first_position);
            assert_eq!(event_type, "StepApproved");
            assert!(reason.contains(&orphan.to_string()), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store
            .checkpoint(projections::READ_MODELS)
            .await
            .expect("checkpoint"),
        appended.first_position - 1
    );
    assert_eq!(appended.first_position, before + 2);
}

/// Two school years side by side: nothing in 2023/24, the three associations in 2024/25.
async fn compare_two_school_years(backend: Backend) {
    let nk = build(backend).await;
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novokuznetsk").expect("profile");
    let report = projections::compare::compare(
        nk.town.store.as_ref(),
        profile,
        year("2023/24"),
        year("2024/25"),
        None,
        date(2025, 9, 1),
        &Filters::default(),
    )
    .await
    .expect("compare");
    let totals = rows_of(&report, &["name", "first", "second", "change"]);
    // On 31 May 2025: the city association has a1, central a1–a3, Zavodskoy b1 and b2; every
    // association has a head; central held three meetings, the others none — all below the
    // four required; the only plan is for 2025/26.
    assert_eq!(
        totals[..6].to_vec(),
        vec![
            vec![json!("объединений"), json!(0), json!(3), json!("+3")],
            vec![json!("членов (на 31 мая)"), json!(0), json!(6), json!("+6")],
            vec![json!("с руководителем"), json!(0), json!(3), json!("+3")],
            vec![
                json!("заседаний проведено"),
                json!(0),
                json!(3),
                json!("+3")
            ],
            vec![
                json!("объединений с недостаточным числом заседаний"),
                json!(0),
                json!(3),
                json!("+3")
            ],
            vec![json!("планов утверждено"), json!(0), json!(0), json!("+0")],
        ]
    );
    let associations = rows_of(
        &report,
        &[
            "association",
            "second_members",
            "second_head",
            "second_meetings",
            "change",
        ],
    );
    assert_eq!(
        associations[6..].to_vec(),
        vec![
            vec![
                json!(nk.city),
                json!(1),
                json!("Иванова Мария Сергеевна"),
                json!("0 из 4"),
                json!("создано")
            ],
            vec![
                json!(nk.zavodskoy),
                json!(2),
                json!("Смирнов Павел Андреевич"),
                json!("0 из 4"),
                json!("создано")
            ],
            vec![
                json!(nk.central),
                json!(3),
                json!("Иванова Мария Сергеевна"),
                json!("3 из 4"),
                json!("создано")
            ],
        ]
    );
    assert_eq!(report.rules[0].clause, "000 §4.4, §10.1");
    // one district: its association alone, in the totals and the rows
    let zavodskoy = projections::compare::compare(
        nk.town.store.as_ref(),
        profile,
        year("2023/24"),
        year("2024/25"),
        None,
        date(2025, 9, 1),
        &Filters {
            district: Some("заводской район".into()),
            subject: None,
        },
    )
    .await
    .expect("compare");
    let totals = rows_of(&zavodskoy, &["name", "second"]);
    assert_eq!(totals[0], vec![json!("объединений"), json!(1)]);
    assert_eq!(totals[1], vec![json!("членов (на 31 мая)"), json!(2)]);
    let rows = rows_of(&zavodskoy, &["association"]);
    assert!(rows.contains(&vec![json!(nk.zavodskoy)]));
    assert!(!rows.contains(&vec![json!(nk.central)]));
    let unknown = projections::compare::compare(
        nk.town.store.as_ref(),
        profile,
        year("2023/24"),
        year("2024/25"),
        None,
        date(2025, 9, 1),
        &Filters {
            district: Some("Нет такого".into()),
            subject: None,
        },
    )
    .await;
    assert!(unknown.is_err(), "an unknown district is refused");
}

/// A rebuild stopped after it emptied the facts (and dropped their indexes for the bulk
/// load) is finished by the next catch-up: the same rows, and the questions that look facts
/// up by key (the names behind the hierarchy) answer as before.
async fn an_interrupted_rebuild_is_finished_by_the_next_catch_up(backend: Backend) {
    let nk = build(backend).await;
    let store = nk.town.store.as_ref();
    let rows = store.all_facts().await.expect("facts");
    let before = ask(&nk, "hierarchy", date(2025, 3, 1), None).await;
    assert!(!before.rows.is_empty());
    store
        .clear_facts(projections::READ_MODELS)
        .await
        .expect("clear");
    assert!(store.all_facts().await.expect("facts").is_empty());
    projections::catch_up(store, &|_, _| {})
        .await
        .expect("catch up");
    assert_eq!(store.all_facts().await.expect("facts"), rows);
    assert_eq!(ask(&nk, "hierarchy", date(2025, 3, 1), None).await, before);
}

/// SQLite: a rebuild leaves no WAL behind. It wrote every row through the WAL, and a WAL left
/// full is read back whole by every process that opens the file first (each `metod query`),
/// until a later write starts it anew.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_rebuild_leaves_its_wal_truncated() {
    let nk = build(Backend::Sqlite).await;
    let store = nk.town.store.as_ref();
    let file = nk
        .town
        .db
        .url
        .strip_prefix("sqlite://")
        .expect("a SQLite file")
        .to_string();
    let wal = std::path::PathBuf::from(format!("{file}-wal"));
    let wal_size = || std::fs::metadata(&wal).map_or(0, |m| m.len());
    projections::rebuild(store, &|_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(wal_size(), 0, "the rebuild's WAL is moved into the file");
    // The rows are all there, and read as before.
    assert!(!store.all_facts().await.expect("facts").is_empty());
}

/// The projection of a rebuild alone, as `metod bench read-models` times it: it applies
/// every event of the log and writes nothing — the rows, the checkpoint and the answers stay
/// as they were; and the rebuild timed in its two parts writes what a rebuild writes.
async fn the_projection_without_writing_applies_every_event_and_writes_nothing(backend: Backend) {
    let nk = build(backend).await;
    let store = nk.town.store.as_ref();
    let rows = store.all_facts().await.expect("facts");
    let checkpoint = store
        .checkpoint(projections::READ_MODELS)
        .await
        .expect("checkpoint");
    let head = store.last_position().await.expect("head");
    assert_eq!(checkpoint, head, "the read models are caught up");
    let applied = projections::project_without_writing(store)
        .await
        .expect("projected");
    assert_eq!(applied, head, "every event of the log is applied");
    assert_eq!(store.all_facts().await.expect("facts"), rows);
    assert_eq!(
        store
            .checkpoint(projections::READ_MODELS)
            .await
            .expect("checkpoint"),
        checkpoint
    );
    let (rebuilt, _parts) = projections::rebuild_timed(store, &|_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(rebuilt.to, head);
    assert_eq!(rebuilt.rows_written, rows.len() as u64);
    assert_eq!(store.all_facts().await.expect("facts"), rows);
}

/// A rebuild from the first event writes exactly the rows the incremental catch-up wrote,
/// and catching up one event at a time writes them too.
async fn rebuild_equals_incremental(backend: Backend) {
    let nk = build(backend).await;
    assert_rebuild_and_single_steps_agree(nk.town.store.as_ref()).await;
}

/// The rows the catch-up wrote never overlap, and are the rows a rebuild writes and the
/// rows catching up one event at a time writes.
async fn assert_rebuild_and_single_steps_agree(store: &dyn store::MetodStore) {
    let incremental = store.all_facts().await.expect("facts");
    assert!(!incremental.is_empty());
    fact_rows::assert_segments_never_overlap(&incremental);
    projections::rebuild(store, &|_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(store.all_facts().await.expect("facts"), incremental);
    // One event at a time, from scratch, resuming from the stored rows each time.
    store
        .clear_facts(projections::READ_MODELS)
        .await
        .expect("reset");
    let head = store.last_position().await.expect("head");
    for position in 1..=head {
        project_one_event(store, position).await;
    }
    assert_eq!(store.all_facts().await.expect("facts"), incremental);
}

/// Catches up exactly the event at `position` the way a resumed process does: from the
/// stored rows; returns its type.
async fn project_one_event(store: &dyn store::MetodStore, position: u64) -> String {
    let current = store.current_facts().await.expect("current");
    let last_id = store.last_fact_id().await.expect("last id");
    let mut projector =
        projections::Projector::resume(current, last_id, position - 1).expect("resume");
    let event = store.read_contents(position, 1).await.expect("read");
    projector.apply(&event[0]).expect("apply");
    store
        .commit_facts(
            projections::READ_MODELS,
            position - 1,
            position,
            &projector.take_changes(),
            store::Retiring::Now,
        )
        .await
        .expect("commit");
    event[0].event_type.clone()
}

/// Liquidation by order ends the association with its memberships and its head's term on
/// that day (003 §I.5; 000 §1.4): the hierarchy shows it until the day before and not after,
/// every row of its memberships and roles ends there, and catching up across the liquidation
/// — by a catch-up that reads from the store, by key and by scope, the facts the
/// liquidation ends — writes the rows a rebuild writes.
async fn liquidation_ends_memberships_and_roles(backend: Backend) {
    let mut nk = build(backend).await;
    let liquidated_on = date(2025, 6, 2);
    projections::catch_up(nk.town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let order = nk
        .town
        .order("rono-zavodskoy", "95", liquidated_on, "О ликвидации РПМО")
        .await;
    nk.town
        .op(
            liquidated_on,
            Command::LiquidateAssociation(LiquidateAssociation {
                association: nk.zavodskoy,
                order,
            }),
        )
        .await;
    projections::catch_up(nk.town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let keys = ["association", "head", "members"];
    let before = ask(&nk, "hierarchy", date(2025, 6, 1), None).await;
    assert_eq!(
        rows_of(&before, &keys)[1],
        vec![
            json!(nk.zavodskoy),
            json!("Смирнов Павел Андреевич"),
            json!(2)
        ]
    );
    let after = ask(&nk, "hierarchy", liquidated_on, None).await;
    let listed: Vec<Value> = rows_of(&after, &["association"])
        .into_iter()
        .map(|mut row| row.remove(0))
        .collect();
    assert_eq!(listed, vec![json!(nk.city), json!(nk.central)]);

    let store = nk.town.store.as_ref();
    let zavodskoy = nk.zavodskoy.to_string();
    let rows = store.all_facts().await.expect("facts");
    let ended: Vec<(&str, Option<NaiveDate>)> = rows
        .iter()
        .filter(|r| {
            r.recorded_to.is_none()
                && r.valid_from < liquidated_on
                && matches!(r.kind.as_str(), "membership" | "role")
                && r.body.contains(&zavodskoy)
        })
        .map(|r| (r.kind.as_str(), r.valid_to))
        .collect();
    // b1 and b2 were members; b1 was appointed head.
    assert_eq!(
        ended
            .iter()
            .filter(|(kind, _)| *kind == "membership")
            .count(),
        2
    );
    assert!(ended.iter().any(|(kind, _)| *kind == "role"));
    assert!(
        ended.iter().all(|(_, to)| *to == Some(liquidated_on)),
        "{ended:?}"
    );

    projections::rebuild(store, &|_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(store.all_facts().await.expect("facts"), rows);
    // One event at a time from the event before the liquidation, resuming from the rows.
    let head = store.last_position().await.expect("head");
    let mut through = Vec::new();
    store
        .clear_facts(projections::READ_MODELS)
        .await
        .expect("reset");
    let mut projector = projections::Projector::new();
    for event in store
        .read_contents(1, head as usize - 2)
        .await
        .expect("read")
    {
        projector.apply(&event).expect("apply");
    }
    store
        .commit_facts(
            projections::READ_MODELS,
            0,
            head - 2,
            &projector.take_changes(),
            store::Retiring::Now,
        )
        .await
        .expect("commit");
    for position in head - 1..=head {
        through.push(project_one_event(store, position).await);
    }
    assert_eq!(
        through.last().map(String::as_str),
        Some("AssociationLiquidated")
    );
    assert_eq!(store.all_facts().await.expect("facts"), rows);
}

/// Novosibirsk (003): the chemistry association of the Lenin district, its members (`h`,
/// `m1`, `m2`) by the department's order of 26 Aug 2024; its first meeting on 10 Sep elects
/// `h` (highest category since 2015, in the specialty since 2006) head for 2024/25. A
/// methodist of NISO (first category) is registered to be its curator.
async fn chemistry_of_lenin(backend: Backend) -> (Town, AssociationId) {
    let mut town = Town::novosibirsk(backend).await;
    town.teacher(
        "methodist",
        "Склянова Наталья Андреевна",
        "niso",
        PositionKind::Methodist,
        Some((CategoryLevel::First, date(2016, 5, 1))),
        date(2012, 9, 1),
    )
    .await;
    town.teacher(
        "h",
        "Кащенко Елена Юрьевна",
        "gymnasium",
        PositionKind::Teacher,
        Some((CategoryLevel::Highest, date(2015, 3, 1))),
        date(2006, 9, 1),
    )
    .await;
    for (key, name) in [
        ("m1", "Гусев Артём Романович"),
        ("m2", "Полякова Вера Степановна"),
    ] {
        town.teacher(
            key,
            name,
            "gymnasium",
            PositionKind::Teacher,
            None,
            date(2017, 9, 1),
        )
        .await;
    }
    let order = town
        .order(
            "department",
            "0615-од",
            date(2024, 8, 26),
            "О перечне и составе",
        )
        .await;
    town.creation_curating = Some(town.organization("niso"));
    let chemistry = town
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
    town.admit_by_order(chemistry, &["h", "m1", "m2"], order, date(2024, 9, 2))
        .await;
    let present = ["h", "m1", "m2"];
    let first = town
        .hold_meeting(
            "m1",
            "lenin-1",
            chemistry,
            date(2024, 9, 10),
            &present,
            vec![decided("Выборы руководителя", "Избрать Кащенко Е. Ю.")],
        )
        .await;
    let vote = town.vote(first, &present, 3, 0, 0);
    town.by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead(ElectHead {
            association: chemistry,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote,
        }),
    )
    .await;
    (town, chemistry)
}

/// Novosibirsk's eligibility report on `as_of`, as known at 23:00 of `known_at`: the names it
/// lists.
async fn not_eligible(town: &Town, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Vec<Value> {
    let report = ask_town(town, "novosibirsk", "eligibility", as_of, known_at).await;
    rows_of(&report, &["person"])
        .into_iter()
        .map(|mut row| row.remove(0))
        .collect()
}

/// The person fact of `person` on `as_of`, as known now.
async fn person_on(town: &Town, person: PersonId, as_of: NaiveDate) -> PersonFact {
    let rows = town
        .store
        .facts_for_keys(
            "person",
            &[person.to_string()],
            TimePoint {
                as_of,
                known_at: None,
            },
        )
        .await
        .expect("facts");
    assert_eq!(rows.len(), 1, "{rows:?}");
    match FactBody::parse(&rows[0].kind, &rows[0].body).expect("a person") {
        FactBody::Person(fact) => *fact,
        other => panic!("{other:?}"),
    }
}

/// Novosibirsk (003), the case of the audit: the head's category lapses on 1 May 2025; she
/// moves to a lyceum on 12 May (entered that day); on 14 May the first category granted on
/// 8 May is entered. As known now she holds it from 8 May on — after the transfer too, which
/// stays — and meets 003 §7.3 from then on; as known on 13 May she did not.
async fn a_category_entered_after_a_later_transfer(backend: Backend) {
    let (mut town, _) = chemistry_of_lenin(backend).await;
    let lyceum = town
        .organization_in(
            "lyceum",
            "МБОУ «Лицей № 9»",
            OrganizationKind::School,
            Some("lenin"),
        )
        .await;
    let h = town.person("h");
    town.op(
        date(2025, 5, 1),
        Command::ChangeCategory(ChangeCategory {
            person: h,
            category: Category::none(),
        }),
    )
    .await;
    town.op(
        date(2025, 5, 12),
        Command::TransferPerson(TransferPerson {
            person: h,
            organization: lyceum,
            position_kind: PositionKind::Teacher,
            position_title: "учитель химии".into(),
        }),
    )
    .await;
    town.recording_day = Some(date(2025, 5, 14));
    town.op(
        date(2025, 5, 8),
        Command::ChangeCategory(ChangeCategory {
            person: h,
            category: Category::granted(CategoryLevel::First, date(2025, 5, 8)).expect("category"),
        }),
    )
    .await;
    town.recording_day = None;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let head = vec![json!("Кащенко Елена Юрьевна")];
    // Before 8 May she had no category, as known at any moment.
    for known_at in [None, Some(date(2025, 5, 13))] {
        assert_eq!(not_eligible(&town, date(2025, 5, 5), known_at).await, head);
    }
    // From 8 May on, before and after the transfer: the first category as known since the
    // entry, none as known before it.
    for on in [date(2025, 5, 10), date(2025, 5, 12), date(2025, 5, 20)] {
        assert!(not_eligible(&town, on, None).await.is_empty(), "{on}");
        assert!(
            not_eligible(&town, on, Some(date(2025, 5, 14)))
                .await
                .is_empty(),
            "{on}"
        );
        assert_eq!(
            not_eligible(&town, on, Some(date(2025, 5, 13))).await,
            head,
            "{on}"
        );
    }
    let gymnasium = town.organization("gymnasium");
    let before = person_on(&town, h, date(2025, 5, 10)).await;
    assert_eq!(
        (before.organization, before.category.level),
        (gymnasium, CategoryLevel::First)
    );
    let after = person_on(&town, h, date(2025, 5, 20)).await;
    assert_eq!(
        (after.organization, after.category.level),
        (lyceum, CategoryLevel::First)
    );
    assert_rebuild_and_single_steps_agree(town.store.as_ref()).await;
}

/// Novosibirsk (003): a category counts from the day it was granted, as the domain's rule
/// reads it. The head's category lapses on 1 May 2025; the first category granted on 16 May
/// is entered with effect from 20 May: on 18 May she holds it as known after the entry, not as
/// known before it.
async fn a_category_counts_from_the_day_it_was_granted(backend: Backend) {
    let (mut town, _) = chemistry_of_lenin(backend).await;
    let h = town.person("h");
    town.op(
        date(2025, 5, 1),
        Command::ChangeCategory(ChangeCategory {
            person: h,
            category: Category::none(),
        }),
    )
    .await;
    town.op(
        date(2025, 5, 20),
        Command::ChangeCategory(ChangeCategory {
            person: h,
            category: Category::granted(CategoryLevel::First, date(2025, 5, 16)).expect("category"),
        }),
    )
    .await;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let head = vec![json!("Кащенко Елена Юрьевна")];
    assert_eq!(not_eligible(&town, date(2025, 5, 15), None).await, head);
    assert!(not_eligible(&town, date(2025, 5, 18), None)
        .await
        .is_empty());
    assert!(
        not_eligible(&town, date(2025, 5, 18), Some(date(2025, 5, 20)))
            .await
            .is_empty()
    );
    assert_eq!(
        not_eligible(&town, date(2025, 5, 18), Some(date(2025, 5, 19))).await,
        head
    );
    assert_rebuild_and_single_steps_agree(town.store.as_ref()).await;
}

/// Novosibirsk (003): a head elected and a curator appointed while eligible; later the head's
/// category lapses (1 Feb) and the curator moves to a school (1 Mar, entered on 15 Mar).
async fn eligibility_on_a_date(backend: Backend) {
    let (mut town, chemistry) = chemistry_of_lenin(backend).await;
    let curator_order = town
        .order("niso", "88", date(2024, 9, 12), "О кураторах")
        .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: chemistry,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: curator_order,
        }),
    )
    .await;
    let h = town.person("h");
    town.op(
        date(2025, 2, 1),
        Command::ChangeCategory(ChangeCategory {
            person: h,
            category: domain::values::Category::none(),
        }),
    )
    .await;
    town.recording_day = Some(date(2025, 3, 15));
    let methodist = town.person("methodist");
    let gymnasium = town.organization("gymnasium");
    town.op(
        date(2025, 3, 1),
        Command::TransferPerson(TransferPerson {
            person: methodist,
            organization: gymnasium,
            position_kind: PositionKind::Teacher,
            position_title: "учитель химии".into(),
        }),
    )
    .await;
    town.recording_day = None;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novosibirsk").expect("profile");
    let ask = |as_of: NaiveDate, known_at: Option<NaiveDate>| {
        let question = Question {
            at: TimePoint {
                as_of,
                known_at: known_at
                    .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
            },
            profile,
            filters: Filters::default(),
        };
        let store = town.store.clone();
        async move {
            queries::eligibility(store.as_ref(), &question)
                .await
                .expect("the query runs")
        }
    };
    let keys = ["association", "person", "clause"];
    let head_row = vec![
        json!(chemistry),
        json!("Кащенко Елена Юрьевна"),
        json!("003 §7.3"),
    ];
    let curator_row = vec![
        json!(chemistry),
        json!("Склянова Наталья Андреевна"),
        json!("003 §7.2"),
    ];
    assert!(ask(date(2025, 1, 15), None).await.rows.is_empty());
    assert_eq!(
        rows_of(&ask(date(2025, 2, 10), None).await, &keys),
        vec![head_row.clone()]
    );
    let march = ask(date(2025, 3, 10), None).await;
    assert_eq!(rows_of(&march, &keys), vec![head_row.clone(), curator_row]);
    assert!(march.rows[1]["found"]
        .as_str()
        .expect("found")
        .contains("не в учреждении требуемого вида"));
    // On 10 Mar the department did not know of the transfer yet.
    let then = ask(date(2025, 3, 10), Some(date(2025, 3, 10))).await;
    assert_eq!(rows_of(&then, &keys), vec![head_row]);
    assert_eq!(clauses(&march), vec!["003 §7.3", "003 §7.2"]);
}

/// Kuznetsk (001): the indicators of §4.1.1–4.1.3 for one ММО of five members, worked out by
/// hand; the regional methodist status is entered two weeks after it was granted.
async fn indicators_with_numerators_and_denominators(backend: Backend) {
    use domain::values::DevelopmentMilestone as M;
    let mut town = Town::kuznetsk(backend).await;
    let first = Some((CategoryLevel::First, date(2019, 4, 1)));
    for (key, name, category, since, born) in [
        ("head", "Борисова Людмила Алексеевна", first, 2010, 1986),
        ("t1", "Фадеев Сергей Андреевич", None, 2020, 1997),
        ("t2", "Алексеева Нина Олеговна", None, 2022, 1999),
        ("t3", "Игнатьев Роман Юрьевич", None, 2023, 2000),
        ("t4", "Мельникова Ольга Петровна", None, 2015, 1992),
    ] {
        town.teacher_of_born(
            key,
            name,
            "история",
            category,
            date(since, 9, 1),
            date(born, 6, 1),
        )
        .await;
    }
    let order = town
        .order("uo", "157", date(2024, 9, 9), "О составе ММО")
        .await;
    let mmo = town
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
    // Its members are the teachers of history, by the registry (001 §1.3).
    let records = [
        ("t1", M::Diagnostics),
        ("t2", M::Diagnostics),
        ("t4", M::Diagnostics),
        ("t1", M::FederalRegisterTraining),
        ("t1", M::IndividualRouteDeveloped),
        ("t2", M::IndividualRouteDeveloped),
        ("t1", M::IndividualRouteCompleted),
        ("t3", M::YoungTeacherSupported),
    ];
    for (who, milestone) in records {
        let person = town.person(who);
        town.op(
            date(2024, 10, 10),
            Command::RecordDevelopment(RecordDevelopment {
                association: mmo,
                person,
                school_year: year("2024/25"),
                milestone,
            }),
        )
        .await;
    }
    town.recording_day = Some(date(2025, 2, 25));
    let head = town.person("head");
    town.op(
        date(2025, 2, 10),
        Command::RecordDevelopment(RecordDevelopment {
            association: mmo,
            person: head,
            school_year: year("2024/25"),
            milestone: M::RegionalMethodist,
        }),
    )
    .await;
    town.recording_day = None;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("kuznetsk").expect("profile");
    let ask = |known_at: Option<NaiveDate>| {
        let question = Question {
            at: TimePoint {
                as_of: date(2025, 3, 1),
                known_at: known_at
                    .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
            },
            profile,
            filters: Filters::default(),
        };
        let store = town.store.clone();
        async move {
            queries::indicators(store.as_ref(), &question)
                .await
                .expect("the query runs")
        }
    };
    let keys = [
        "scope",
        "indicator",
        "numerator",
        "denominator",
        "value",
        "clause",
    ];
    // Five members; the young are t2 and t3 (under 35 and in their first three years of work
    // on 1 Mar 2025; t1, also under 35, began in 2020).
    let expected_for = |scope: &str, methodists: u64| -> Vec<Vec<Value>> {
        let ratio = if methodists == 0 {
            Value::Null
        } else {
            json!(5.0)
        };
        let share = if methodists == 0 {
            json!(0.0)
        } else {
            json!(20.0)
        };
        vec![
            vec![
                json!(scope),
                json!("road_map_implemented"),
                json!(0),
                json!(1),
                json!(false),
                json!("001 §4.1.1"),
            ],
            vec![
                json!(scope),
                json!("diagnostics_share"),
                json!(3),
                json!(5),
                json!(60.0),
                json!("001 §4.1.2"),
            ],
            vec![
                json!(scope),
                json!("federal_register_training_share"),
                json!(1),
                json!(5),
                json!(20.0),
                json!("001 §4.1.2"),
            ],
            vec![
                json!(scope),
                json!("individual_route_share"),
                json!(2),
                json!(5),
                json!(40.0),
                json!("001 §4.1.2"),
            ],
            vec![
                json!(scope),
                json!("regional_methodist_share"),
                json!(methodists),
                json!(5),
                share,
                json!("001 §4.1.3"),
            ],
            vec![
                json!(scope),
                json!("teachers_per_regional_methodist"),
                json!(5),
                json!(methodists),
                ratio,
                json!("001 §4.1.3"),
            ],
            vec![
                json!(scope),
                json!("individual_route_completed_share"),
                json!(1),
                json!(2),
                json!(50.0),
                json!("001 §4.1.3"),
            ],
            vec![
                json!(scope),
                json!("young_teachers_supported_share"),
                json!(1),
                json!(2),
                json!(50.0),
                json!("001 §4.1.3"),
            ],
        ]
    };
    // Without districts the municipality as a whole sums the same one ММО.
    let mut expected = expected_for("объединение", 1);
    expected.extend(expected_for("район", 1));
    let now = ask(None).await;
    assert_eq!(rows_of(&now, &keys), expected);
    assert_eq!(now.rows[8]["name"], "муниципалитет в целом");
    // As known on 20 Feb: the status granted on 10 Feb was not entered yet.
    let mut then_expected = expected_for("объединение", 0);
    then_expected.extend(expected_for("район", 0));
    assert_eq!(
        rows_of(&ask(Some(date(2025, 2, 20))).await, &keys),
        then_expected
    );
}

/// The inboxes from the read models, late April to mid-May 2025. Central's plan waits at the
/// city head's step from 21 Apr: 10 days for the step (to 1 May) and the chain's 5 May
/// (000 §10.5), so it is due 1 May and 9 days over on 10 May, in the city head's (a1's)
/// inbox and nobody else's. Zavodskoy's head (b1) opens Zavodskoy's plan on 22 Apr and never
/// submits it: it waits in b1's inbox to be submitted by 5 May (000 §10.5) — but not as
/// the department knew things on 21 Apr.
async fn inboxes_of_the_heads(backend: Backend) {
    let mut nk = build(backend).await;
    let zavodskoy_plan = DocumentId::derived("nk", "zavodskoy-plan-2025");
    nk.town
        .by(
            "b1",
            date(2025, 4, 22),
            Command::OpenDocument(OpenDocument {
                document: zavodskoy_plan,
                association: nk.zavodskoy,
                document_type: DocumentType::WorkPlan,
                school_year: year("2025/26"),
                title: "План работы РПМО Заводского района на 2025/26".into(),
                nomination: None,
            }),
        )
        .await;
    let store = nk.town.store.clone();
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novokuznetsk").expect("profile");
    let inbox = |key: &str, as_of: NaiveDate, known_at: Option<NaiveDate>| {
        let person = nk.town.person(key);
        let store = store.clone();
        async move {
            let at = TimePoint {
                as_of,
                known_at: known_at
                    .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
            };
            projections::inbox::inbox(store.as_ref(), at, profile, person)
                .await
                .expect("inbox")
                .into_iter()
                .map(|i| {
                    (
                        i.document,
                        i.reason,
                        i.since.map(|d| d.to_string()),
                        i.due.map(|d| d.to_string()),
                        i.overdue_days,
                    )
                })
                .collect::<Vec<_>>()
        }
    };
    let may = date(2025, 5, 10);
    let city_head_step = InboxReason::Decide {
        step: 1,
        role: "руководитель городского объединения, на заседании городского объединения".into(),
        at_meeting: Some(nk.city),
    };
    assert_eq!(
        inbox("a1", may, None).await,
        vec![(
            nk.plan,
            city_head_step.clone(),
            Some("2025-04-21".into()),
            Some("2025-05-05".into()),
            5
        )]
    );
    assert_eq!(
        inbox("b1", may, None).await,
        vec![(
            zavodskoy_plan,
            InboxReason::Submit,
            Some("2025-04-22".into()),
            Some("2025-05-05".into()),
            5
        )]
    );
    for other in ["a2", "a3", "b2"] {
        assert!(inbox(other, may, None).await.is_empty(), "{other}");
    }
    // On 25 Apr nothing is overdue yet; as known on 21 Apr, b1 had nothing to submit.
    assert_eq!(
        inbox("a1", date(2025, 4, 25), None).await,
        vec![(
            nk.plan,
            city_head_step,
            Some("2025-04-21".into()),
            Some("2025-05-05".into()),
            0
        )]
    );
    assert!(inbox("b1", may, Some(date(2025, 4, 21))).await.is_empty());
    assert!(inbox("a1", date(2025, 4, 20), None).await.is_empty());
}

/// 000 §4.8, §10.6: the documentation is kept three years — counted from the end of the
/// school year it belongs to. Central's three protocols of 2024/25 are kept to 31 Aug 2028
/// and past their period the next day; its plan for 2025/26 is kept a year longer.
async fn retention_lists_documentation_within_and_past_three_years_000_4_8(backend: Backend) {
    let nk = build(backend).await;
    let keys = [
        "what",
        "title",
        "school_year",
        "kept_until",
        "state",
        "clause",
    ];
    let protocol = |number: u32, held: &str, state: &str| {
        vec![
            json!("протокол заседания"),
            json!(format!("Протокол № {number} от {held}")),
            json!("2024/25"),
            json!("2028-08-31"),
            json!(state),
            json!("000 §4.8, §10.6"),
        ]
    };
    let plan = |state: &str| {
        vec![
            json!("план работы (дорожная карта)"),
            json!("План работы РПМО на 2025/26"),
            json!("2025/26"),
            json!("2029-08-31"),
            json!(state),
            json!("000 §4.8, §10.6"),
        ]
    };
    let protocols = |state: &str| {
        vec![
            protocol(1, "2024-09-20", state),
            protocol(2, "2024-11-15", state),
            protocol(3, "2025-02-14", state),
        ]
    };
    let kept = ask(&nk, "retention", date(2028, 8, 31), None).await;
    let mut expected = protocols("хранится");
    expected.push(plan("хранится"));
    assert_eq!(rows_of(&kept, &keys), expected);
    let past = ask(&nk, "retention", date(2028, 9, 1), None).await;
    let mut expected = protocols("срок хранения истёк");
    expected.push(plan("хранится"));
    assert_eq!(rows_of(&past, &keys), expected);
    let plan_past = ask(&nk, "retention", date(2029, 9, 1), None).await;
    assert_eq!(rows_of(&plan_past, &keys)[3], plan("срок хранения истёк"));
    // A profile without the rule answers its absence (002 sets no keeping period).
    let izhevsk = ask_town(&nk.town, "izhevsk", "retention", date(2028, 9, 1), None).await;
    assert!(!izhevsk.profile_has_rule && izhevsk.rows.is_empty());
}

store::on_every_backend!(
    a_category_counts_from_the_day_it_was_granted,
    a_category_entered_after_a_later_transfer,
    a_correction_changes_the_past_only_from_when_it_was_entered,
    an_interrupted_rebuild_is_finished_by_the_next_catch_up,
    filters_narrow_the_answers,
    an_event_that_cannot_be_applied_stops_the_projection,
    compare_two_school_years,
    indicators_with_numerators_and_denominators,
    eligibility_on_a_date,
    hierarchy_as_known_now_and_then,
    inboxes_of_the_heads,
    meetings_against_the_four_required,
    member_databases_not_updated_by_first_october,
    the_first_member_database_update_of_the_year_counts,
    late_plan_at_the_city_heads_step_000_10_5,
    late_names_a_review_period_the_municipality_set_as_its_own,
    retention_lists_documentation_within_and_past_three_years_000_4_8,
    late_lists_documents_nobody_opened_000_10_5,
    rebuild_equals_incremental,
    the_projection_without_writing_applies_every_event_and_writes_nothing,
    liquidation_ends_memberships_and_roles,
);
