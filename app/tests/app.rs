//! One `App` as the command line and the coming HTTP server use it: built once from the
//! configuration, cloned into concurrent tasks, each use case returning a typed answer.

use app::{App, AppError, Config, EventsPage, When};
use domain::Acting;
use projections::queries::{Filters, QueryKind};
use store::testing::TestDatabase;
use store::{Backend, Verification};

const TOWN: &str = "5b0f1c9e-3d2a-4e7b-9c1d-0a2b3c4d5e6f";
const DEPARTMENT: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000001";
const ORDER: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000002";
const ASSOCIATION: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000003";

fn setup_commands() -> String {
    format!(
        r#"[
        {{"command": "register_municipality", "effective": "2024-08-01", "municipality": "{TOWN}",
         "title": "Город Кузнецк", "profile": "kuznetsk"}},
        {{"command": "establish_body", "effective": "2024-08-01", "municipality": "{TOWN}", "body": "{DEPARTMENT}",
         "kind": "department", "title": "Управление образования города Кузнецка"}},
        {{"command": "issue_order", "effective": "2024-09-09", "order": "{ORDER}", "municipality": "{TOWN}",
         "issuer": "{DEPARTMENT}", "kind": "order", "number": "157", "date": "2024-09-09",
         "title": "Об утверждении Положения о ММО", "decides": ["Создать ММО учителей истории"]}},
        {{"command": "create_association", "effective": "2024-09-09", "association": "{ASSOCIATION}",
         "title": "ММО учителей истории", "subject": "история", "level": "city",
         "kind": "methodical_association", "order": "{ORDER}"}}
    ]"#
    )
}

fn config_without_db() -> Config {
    Config {
        db: String::new(),
        profiles: None,
        clock: Some("2025-03-20".into()),
    }
}

fn config(dir: &tempfile::TempDir) -> Config {
    Config {
        db: format!("sqlite://{}", dir.path().join("metod.db").display()),
        ..config_without_db()
    }
}

async fn one_app_answers_many_tasks_at_once(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let app = App::new(Config {
        db: db.url.clone(),
        ..config_without_db()
    });
    assert_eq!(app.init().await.expect("init").events, 0);
    let recorded = app
        .record(Acting::Operator, &setup_commands())
        .await
        .expect("recorded");
    assert!(recorded.stopped.is_none(), "{:?}", recorded.stopped);
    let written = recorded.events.len() as u64;

    let tasks: Vec<_> = (0..8)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                match n % 4 {
                    0 => match app.verify().await.expect("verify") {
                        Verification::Intact { events, .. } => events,
                        broken => panic!("{broken:?}"),
                    },
                    1 => {
                        let page = EventsPage {
                            stream: None,
                            from: 1,
                            limit: 1_000,
                        };
                        app.events(&page).await.expect("events").len() as u64
                    }
                    2 => {
                        let when = When {
                            as_of: Some(chrono::NaiveDate::from_ymd_opt(2024, 10, 1).expect("day")),
                            known_at: None,
                        };
                        let report = app
                            .query(QueryKind::Hierarchy, when, Filters::default())
                            .await
                            .expect("hierarchy");
                        assert_eq!(report.query, "hierarchy");
                        report.rows.len() as u64
                    }
                    _ => app.profiles().expect("profiles").iter().count() as u64,
                }
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("task"));
    }
    assert_eq!(answers[0], written);
    assert_eq!(answers[1], written);
    assert_eq!(answers[2], 1, "the one association");
    assert_eq!(answers[3], 5, "the five built-in profiles");
}

store::on_every_backend!(
    one_app_answers_many_tasks_at_once,
    a_list_of_commands_stops_at_the_first_refused_and_keeps_what_went_before
);

async fn a_list_of_commands_stops_at_the_first_refused_and_keeps_what_went_before(
    backend: Backend,
) {
    let db = TestDatabase::new(backend).await;
    let app = App::new(Config {
        db: db.url.clone(),
        ..config_without_db()
    });
    app.init().await.expect("init");
    let first = app
        .record(Acting::Operator, &setup_commands())
        .await
        .expect("recorded");
    // The same list again: the municipality is registered already.
    let again = format!(
        r#"[{{"command": "add_district", "effective": "2024-08-02", "municipality": "{TOWN}",
             "district": "5b0f1c9e-3d2a-4e7b-9c1d-000000000009", "title": "Центральный район"}},
           {{"command": "register_municipality", "effective": "2024-08-01", "municipality": "{TOWN}",
             "title": "Город Кузнецк", "profile": "kuznetsk"}}]"#
    );
    let second = app
        .record(Acting::Operator, &again)
        .await
        .expect("recorded");
    assert_eq!(second.events.len(), 1, "the district");
    let stopped = second.stopped.expect("the second is refused");
    assert_eq!((stopped.index, stopped.of), (1, 2));
    assert_eq!(stopped.command, "register_municipality");
    assert!(matches!(stopped.error, AppError::Command(_)), "{stopped:?}");
    assert_eq!(
        second.events[0].position,
        first.events.last().expect("events").position + 1
    );
}

#[tokio::test]
async fn profiles_need_no_store_and_open_refuses_what_is_missing_at_once() {
    let dir = tempfile::tempdir().expect("dir");
    let app = App::new(config(&dir));
    assert_eq!(app.profile("kuznetsk").expect("built in").name, "kuznetsk");
    assert_eq!(
        app.profile("nowhere").expect_err("unknown").code(),
        "profile_not_found"
    );
    let missing = App::open(config(&dir)).await.err().expect("no store yet");
    assert_eq!(missing.code(), "store_not_initialized");

    let broken = Config {
        clock: Some("вчера".into()),
        ..config(&dir)
    };
    let refused = App::open(broken).await.err().expect("a broken clock");
    assert_eq!(refused.code(), "invalid_clock");
}
