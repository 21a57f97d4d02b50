//! Deadline timers across a whole school year: a clock stepped day by day from 1 Sep to
//! 31 Aug, the workflow run at every step, in one municipality where things go wrong — a
//! district head not appointed by 15 Sep (000 §7.4), a member database not updated by 1 Oct
//! (000 §10.4), a district plan not agreed by 5 May (000 §10.5) — and no step's review period,
//! since 000 sets none; and, past the year's end, the yearly secretary's election (000 §4.3).
//! Each deadline is recorded once, on the first run after it passed, naming who held
//! the matter; a restart in the middle (a new runner) changes nothing. On SQLite and
//! PostgreSQL.

mod scenario_support;

use chrono::{Datelike, Days, NaiveDate};
use domain::commands::{
    AppointHead, ApproveAssociationList, OpenDocument, SubmitDocumentVersion, UpdateMemberDatabase,
};
use domain::ids::DocumentId;
use domain::values::DocumentType;
use domain::Command;
use scenario_support::*;
use store::Backend;
use workflows::WorkflowRunner;

async fn a_school_year_of_deadlines_each_recorded_once_000(backend: Backend) {
    let mut town = Town::novokuznetsk(backend).await;
    town.people(&["a1", "a2", "b1", "deputy"]).await;
    let MathAssociations {
        city,
        central,
        zavodskoy,
        ..
    } = town.math_associations().await;

    let runner = WorkflowRunner::new(town.handler.clone());
    let mut day = date(2024, 9, 1);
    let last = date(2025, 8, 31);
    let plan = DocumentId::derived("timers", "central-plan");
    while day <= last {
        town.recording_day = Some(day);
        town.clock.set(noon(day));
        // The year as it happens, with its lapses.
        match (day.month(), day.day()) {
            // Central's head is appointed in time; Zavodskoy's only on 20 Sep.
            (9, 10) => {
                let order = town
                    .order("rono-central", "45", day, "О руководителе РПМО")
                    .await;
                town.admit_by_order(central, &["a1", "a2"], order, day)
                    .await;
                town.op(
                    day,
                    Command::AppointHead(AppointHead {
                        association: central,
                        person: town.person("a1"),
                        school_year: year("2024/25"),
                        order,
                        review: None,
                    }),
                )
                .await;
            }
            (9, 20) => {
                let order = town
                    .order("rono-zavodskoy", "78", day, "О руководителе РПМО")
                    .await;
                town.admit_by_order(zavodskoy, &["b1"], order, day).await;
                town.op(
                    day,
                    Command::AppointHead(AppointHead {
                        association: zavodskoy,
                        person: town.person("b1"),
                        school_year: year("2024/25"),
                        order,
                        review: None,
                    }),
                )
                .await;
            }
            // Central's district department approves its list of associations in time
            // (000 §7.4); Zavodskoy's never does.
            (9, 12) => {
                let order = town
                    .order("rono-central", "47", day, "Об утверждении перечня РПМО")
                    .await;
                let (municipality, district) = (town.municipality, town.districts["central"]);
                town.op(
                    day,
                    Command::ApproveAssociationList(ApproveAssociationList {
                        municipality,
                        district,
                        school_year: year("2024/25"),
                        order,
                        associations: vec![central],
                    }),
                )
                .await;
            }
            // Central updates its member database in time; Zavodskoy never does.
            (9, 25) => {
                town.by(
                    "a1",
                    day,
                    Command::UpdateMemberDatabase(UpdateMemberDatabase {
                        association: central,
                        school_year: year("2024/25"),
                    }),
                )
                .await;
            }
            // Central's plan for next year goes to the city head, who sits on it.
            (4, 1) => {
                town.by(
                    "a1",
                    day,
                    Command::OpenDocument(OpenDocument {
                        document: plan,
                        association: central,
                        document_type: DocumentType::WorkPlan,
                        school_year: year("2025/26"),
                        title: "План РПМО на 2025/26".into(),
                        nomination: None,
                    }),
                )
                .await;
                town.by(
                    "a1",
                    day,
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
            }
            _ => {}
        }
        // A restart in the middle of the year: a new runner, nothing else.
        let report = if day == date(2025, 1, 15) {
            WorkflowRunner::new(town.handler.clone()).run_once().await
        } else {
            runner.run_once().await
        }
        .expect("workflow runs");
        assert!(report.refused.is_empty(), "{day}: {report:?}");
        day = day.checked_add_days(Days::new(1)).expect("next day");
    }
    town.recording_day = None;

    // Every DeadlineMissed, with the day it was recorded on.
    let events = town.store.read_all(1, 1_000_000).await.expect("read");
    let missed: Vec<(String, String, NaiveDate, serde_json::Value)> = events
        .iter()
        .filter(|e| e.event_type == "DeadlineMissed")
        .map(|e| {
            let payload: serde_json::Value = serde_json::from_str(&e.payload).expect("json");
            (
                payload["deadline"].as_str().expect("kind").to_string(),
                payload["association"]
                    .as_str()
                    .expect("association")
                    .to_string(),
                e.recorded_at.date_naive(),
                payload,
            )
        })
        .collect();
    // Deadlines of associations and of their documents (not of documents nobody opened).
    let find = |kind: &str, association: domain::ids::AssociationId| {
        let found: Vec<_> = missed
            .iter()
            .filter(|(k, a, _, p)| {
                k == kind && *a == association.to_string() && p["document_type"].is_null()
            })
            .collect();
        assert_eq!(found.len(), 1, "{kind} for {association}: {missed:?}");
        found[0].clone()
    };
    // Zavodskoy had no head on 15 Sep: recorded on the 16th, naming its district department.
    let (_, _, on, payload) = find("head_appointment", zavodskoy);
    assert_eq!(on, date(2024, 9, 16));
    assert_eq!(payload["due"], "2024-09-15");
    assert_eq!(
        payload["holder"]["body"],
        town.body("rono-zavodskoy").to_string()
    );
    assert_eq!(
        payload["source"],
        serde_json::json!({"clause": "000 §7.4, §1.5"})
    );
    // Zavodskoy was on no list approved by 15 Sep: recorded on the 16th, naming its district
    // department and 000 §7.4; Central was, and the city association is on no district list.
    let (_, _, on, payload) = find("association_list", zavodskoy);
    assert_eq!(on, date(2024, 9, 16));
    assert_eq!(
        payload["holder"]["body"],
        town.body("rono-zavodskoy").to_string()
    );
    assert_eq!(payload["source"], serde_json::json!({"clause": "000 §7.4"}));
    assert!(!missed
        .iter()
        .any(|(k, a, _, _)| k == "association_list" && *a != zavodskoy.to_string()));
    // Zavodskoy's member database: recorded on 2 Oct, naming its head.
    let (_, _, on, payload) = find("member_database", zavodskoy);
    assert_eq!(on, date(2024, 10, 2));
    assert_eq!(
        payload["holder"]["persons"][0],
        town.person("b1").to_string()
    );
    // Central met both. The city association never got its head (KOiN's order after the
    // Coordination council, 000 §4.2) nor a member database: each recorded once, naming KOiN.
    assert!(!missed
        .iter()
        .any(|(k, a, _, _)| k == "head_appointment" && *a == central.to_string()));
    assert!(!missed
        .iter()
        .any(|(k, a, _, _)| k == "member_database" && *a == central.to_string()));
    let (_, _, on, payload) = find("head_appointment", city);
    assert_eq!(on, date(2024, 9, 16));
    assert_eq!(payload["holder"]["body"], town.body("koin").to_string());
    assert_eq!(payload["source"]["clause"], "000 §4.2");
    find("member_database", city);
    // The yearly documents nobody opened by their day (000 §10.5: 5 May for a district
    // association; 000 §4.7: 15 May for the city one): the analysis of 2024/25 everywhere,
    // the plan for 2025/26 where none was opened — each recorded once, the day after.
    let unopened = |association: domain::ids::AssociationId, document_type: &str| {
        let found: Vec<_> = missed
            .iter()
            .filter(|(k, a, _, p)| {
                k == "approval"
                    && *a == association.to_string()
                    && p["document_type"] == document_type
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{document_type} of {association}: {missed:?}"
        );
        found[0].clone()
    };
    for (association, document_type, year, recorded, due, clause) in [
        (
            central,
            "annual_analysis",
            "2024/25",
            date(2025, 5, 6),
            "2025-05-05",
            "000 §10.5",
        ),
        (
            zavodskoy,
            "annual_analysis",
            "2024/25",
            date(2025, 5, 6),
            "2025-05-05",
            "000 §10.5",
        ),
        (
            zavodskoy,
            "work_plan",
            "2025/26",
            date(2025, 5, 6),
            "2025-05-05",
            "000 §10.5",
        ),
        (
            city,
            "annual_analysis",
            "2024/25",
            date(2025, 5, 16),
            "2025-05-15",
            "000 §4.7",
        ),
        (
            city,
            "work_plan",
            "2025/26",
            date(2025, 5, 16),
            "2025-05-15",
            "000 §4.7",
        ),
    ] {
        let (_, _, on, payload) = unopened(association, document_type);
        assert_eq!(on, recorded, "{payload}");
        assert_eq!(payload["due"], due);
        assert_eq!(payload["school_year"], year);
        assert_eq!(payload["source"]["clause"], clause);
        assert!(payload["document"].is_null());
    }
    let (_, _, _, payload) = unopened(zavodskoy, "work_plan");
    assert_eq!(
        payload["holder"]["persons"][0],
        town.person("b1").to_string()
    );
    assert_eq!(missed.len(), 6 + 5, "{missed:?}");
    // The plan waited at the city head's step from 1 Apr: 000 §10.5 sets no period for the
    // step, so only the agreement day (5 May) passed, on 5 May.
    assert!(
        !missed.iter().any(|(k, _, _, _)| k == "step_review"),
        "no seed sets a review period: {missed:?}"
    );
    let (_, _, on, payload) = find("approval", central);
    assert_eq!(on, date(2025, 5, 6));
    assert_eq!(payload["due"], "2025-05-05");
    town.check_log().await;
}

/// 000 §4.3: the secretary is elected every year. Given Central electing its secretary for
/// 2024/25 and Zavodskoy and the city association electing none, when the school year ends
/// (31 Aug), then the first run after it records, once each, the lapse of Zavodskoy and the
/// city association — citing the clause, owed by their members — and nothing for Central.
async fn the_yearly_secretary_election_is_owed_each_school_year_000_4_3(backend: Backend) {
    use domain::commands::ElectSecretary;
    let mut town = Town::novokuznetsk(backend).await;
    town.people(&["a1", "a2", "a3", "b1"]).await;
    let MathAssociations {
        city,
        central,
        zavodskoy,
        ..
    } = town.math_associations().await;
    let on = date(2024, 9, 20);
    let order = town
        .order("rono-central", "45", date(2024, 9, 10), "О составе РПМО")
        .await;
    town.admit_by_order(central, &["a1", "a2", "a3"], order, date(2024, 9, 10))
        .await;
    town.op(
        date(2024, 9, 10),
        Command::AppointHead(AppointHead {
            association: central,
            person: town.person("a1"),
            school_year: year("2024/25"),
            order,
            review: None,
        }),
    )
    .await;
    let first = town
        .hold_meeting(
            "a1",
            "central-1",
            central,
            on,
            &["a1", "a2", "a3"],
            vec![decided("Выборы секретаря", "Избрать")],
        )
        .await;
    let vote = town.vote(first, &["a1", "a2", "a3"], 3, 0, 0);
    town.by(
        "a1",
        on,
        Command::ElectSecretary(ElectSecretary {
            association: central,
            person: town.person("a2"),
            school_year: year("2024/25"),
            vote,
        }),
    )
    .await;

    let secretary_misses = |town: &Town| {
        let town_store = town.store.clone();
        async move {
            town_store
                .read_all(1, 1_000_000)
                .await
                .expect("read")
                .into_iter()
                .filter(|e| e.event_type == "DeadlineMissed")
                .map(|e| serde_json::from_str::<serde_json::Value>(&e.payload).expect("json"))
                .filter(|p| p["deadline"] == "secretary_election")
                .collect::<Vec<_>>()
        }
    };
    for (day, expected) in [
        (date(2025, 8, 31), 0),
        (date(2025, 9, 1), 2),
        (date(2025, 9, 2), 2),
    ] {
        town.recording_day = Some(day);
        town.clock.set(noon(day));
        let report = WorkflowRunner::new(town.handler.clone())
            .run_once()
            .await
            .expect("workflow runs");
        assert!(report.refused.is_empty(), "{day}: {report:?}");
        assert_eq!(secretary_misses(&town).await.len(), expected, "{day}");
    }
    let missed = secretary_misses(&town).await;
    let mut owing: Vec<String> = missed
        .iter()
        .map(|p| p["association"].as_str().expect("association").to_string())
        .collect();
    owing.sort();
    let mut expected = vec![zavodskoy.to_string(), city.to_string()];
    expected.sort();
    assert_eq!(owing, expected, "Central elected its secretary");
    for payload in &missed {
        assert_eq!(payload["due"], "2025-08-31");
        assert_eq!(payload["school_year"], "2024/25");
        assert_eq!(payload["source"]["clause"], "000 §4.3, §10.2");
        assert_eq!(
            payload["holder"]["role"],
            "члены объединения (избрание секретаря)"
        );
    }
    town.check_log().await;
}

store::on_every_backend!(
    a_school_year_of_deadlines_each_recorded_once_000,
    the_yearly_secretary_election_is_owed_each_school_year_000_4_3
);
