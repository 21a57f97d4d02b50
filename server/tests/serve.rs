//! `metod serve` as a load balancer and its clients meet it: a real process on a loopback
//! port over a real SQLite file and a real PostgreSQL database.

mod support;

use std::time::{Duration, Instant};

use projections::snapshot::{Needs, Snapshot};
use store::testing::TestDatabase;
use store::Backend;
use store::TimePoint;
use support::http::{get, request};
use support::server::Server;

async fn initialized(backend: Backend) -> TestDatabase {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    db
}

/// Asks `/readyz` until it says ready (the background caught the read models up once).
fn wait_ready(server: &Server) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let answer = get(server.address, "/readyz");
        if answer.status == 200 {
            return answer.json();
        }
        assert_eq!(answer.status, 503, "{}", answer.body);
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "never ready: {}",
            answer.body
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn it_answers_health_and_readiness_and_stops_on_sigterm(backend: Backend) {
    let db = initialized(backend).await;
    let server = Server::start(&db.url, &[]);
    let health = get(server.address, "/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(wait_ready(&server)["status"], "ready");

    let unknown = get(server.address, "/nowhere");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.json()["code"], "route_not_found");
    let traversal = get(server.address, "/../../etc/passwd");
    assert!(
        matches!(traversal.status, 400 | 404),
        "{}",
        traversal.status
    );
    let too_big = vec![b'x'; (1 << 20) + 1];
    let refused = request(server.address, "POST", "/healthz", &[], &too_big);
    assert_eq!(refused.status, 413, "{}", refused.body);

    let (status, log) = server.terminate();
    assert!(status.success(), "{status:?}: {log}");
    assert!(log.contains("listening"), "{log}");
    assert!(log.contains("stopped"), "{log}");
}

async fn a_store_that_does_not_exist_is_refused_at_start(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_metod"))
        .env_remove("METOD_DB")
        .args(["--db", &db.url, "serve", "--listen", "127.0.0.1:0"])
        .output()
        .expect("metod runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("store_not_initialized: "),
        "{stderr}"
    );
}

store::on_every_backend!(
    it_signs_checkpoints_at_an_interval_when_the_log_grows,
    it_answers_health_and_readiness_and_stops_on_sigterm,
    a_store_that_does_not_exist_is_refused_at_start,
);

/// Two servers on one PostgreSQL database: one leads the workflow engine; killed, the other
/// takes over; nothing the engine owed is left undone or done twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_two_servers_one_leader_and_a_takeover() {
    let db = TestDatabase::new(Backend::Postgres).await;
    support::small_demo_town(&db.url, None);
    let missed = |events: &[store::RecordedEvent]| {
        events
            .iter()
            .filter(|e| e.event_type == "DeadlineMissed")
            .count()
    };
    let before = missed(&db.open().await.read_all(1, 1_000_000).await.expect("log"));
    let first = Server::start(&db.url, &[]);
    wait_ready(&first);
    assert!(
        first.wait_for_log("leading the workflow engine", Duration::from_secs(20)),
        "{}",
        first.log()
    );
    let second = Server::start(&db.url, &[]);
    wait_ready(&second);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !second.log().contains("leading the workflow"),
        "{}",
        second.log()
    );

    // An operator logs in on one server and is served by both (sessions are rows of the
    // database); orders are recorded through each in turn.
    let added = support::metod_run(
        &db.url,
        None,
        &[
            "account",
            "add",
            "--login",
            "operator",
            "--operator",
            "--password-stdin",
        ],
        "пароль-оператора-2026\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let town = Snapshot::load(
        db.open().await.as_ref(),
        TimePoint {
            as_of: chrono::Utc::now().date_naive(),
            known_at: None,
        },
        Needs {
            registry: true,
            ..Needs::default()
        },
    )
    .await
    .expect("the town");
    let municipality = town.municipalities[0].municipality;
    let department = town
        .bodies
        .values()
        .find(|b| b.kind == domain::values::BodyKind::Department)
        .expect("the department")
        .body;
    let logged_in = request(
        first.address,
        "POST",
        "/api/login",
        &[("Content-Type", "application/json")],
        r#"{"login": "operator", "password": "пароль-оператора-2026"}"#.as_bytes(),
    );
    assert_eq!(logged_in.status, 200, "{}", logged_in.body);
    let cookie = logged_in
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a session")
        .to_string();
    let today = chrono::Utc::now().date_naive().to_string();
    let order = |i: u32| {
        serde_json::json!({
            "command": "issue_order",
            "order": format!("7e57c0de-0000-4000-8000-{:012}", 900 + i),
            "municipality": municipality.to_string(),
            "issuer": department.to_string(),
            "kind": "order",
            "number": format!("T-{i}"),
            "date": today,
            "title": format!("Проверочный приказ {i}"),
        })
        .to_string()
    };
    let post = |server: &Server, i: u32| {
        request(
            server.address,
            "POST",
            "/api/commands",
            &[
                ("Content-Type", "application/json"),
                ("Cookie", cookie.as_str()),
            ],
            order(i).as_bytes(),
        )
    };
    for i in 0..10 {
        let server = if i % 2 == 0 { &first } else { &second };
        let answer = post(server, i);
        assert_eq!(answer.status, 201, "order {i}: {}", answer.body);
    }

    first.kill();
    assert!(
        second.wait_for_log("leading the workflow engine", Duration::from_secs(20)),
        "no takeover: {}",
        second.log()
    );
    // The session outlives the server it was opened on; a retry after the crash records once.
    for i in 10..14 {
        let answer = post(&second, i);
        assert_eq!(answer.status, 201, "order {i}: {}", answer.body);
    }
    assert_eq!(
        post(&second, 9).status,
        201,
        "a retry of the last order sent to the dead one"
    );
    let orders: Vec<String> = db
        .open()
        .await
        .read_all(1, 1_000_000)
        .await
        .expect("log")
        .iter()
        .filter(|e| e.event_type == "OrderIssued" && e.payload.contains("Проверочный приказ"))
        .map(|e| e.payload.clone())
        .collect();
    assert_eq!(orders.len(), 14, "each order once, none lost");
    for i in 0..14 {
        let number = format!("\"number\":\"T-{i}\"");
        assert_eq!(
            orders.iter().filter(|p| p.contains(&number)).count(),
            1,
            "T-{i}"
        );
    }

    // Once the new leader has passed, a pass of the engine by hand finds nothing owed.
    std::thread::sleep(Duration::from_millis(500));
    let by_hand = support::metod_run(&db.url, None, &["workflow", "run"], "");
    let said = String::from_utf8_lossy(&by_hand.stdout).into_owned();
    assert!(
        by_hand.status.success(),
        "{}",
        String::from_utf8_lossy(&by_hand.stderr)
    );
    assert!(
        said.contains("реакций записано 0, пропущенных сроков записано 0"),
        "left undone: {said}"
    );
    // and nothing is in the log twice: each missed deadline once per document, step, version
    let store = db.open().await;
    let events = store.read_all(1, 1_000_000).await.expect("log");
    let mut seen = std::collections::BTreeSet::new();
    for e in events.iter().filter(|e| e.event_type == "DeadlineMissed") {
        assert!(
            seen.insert((e.stream.clone(), e.payload.clone())),
            "twice: {} {}",
            e.stream,
            e.payload
        );
    }
    assert!(
        missed(&events) > before,
        "the servers recorded the deadlines the demo left owed"
    );
    let (status, _) = second.terminate();
    assert!(status.success());
}

/// With a signing key, the server signs a checkpoint at its interval when the log has grown,
/// and none when it has not; each verifies against the log.
async fn it_signs_checkpoints_at_an_interval_when_the_log_grows(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let demo = support::metod_run(
        &db.url,
        None,
        &[
            "demo",
            "--profile",
            "izhevsk",
            "--scale",
            "small",
            "--years",
            "1",
            "--seed",
            "3",
        ],
        "",
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let dir = tempfile::tempdir().expect("dir");
    let key = dir.path().join("audit.key");
    let key = key.to_str().expect("path");
    let made = support::metod_run(&db.url, None, &["audit", "key", "new", "--key", key], "");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let server = Server::start(&db.url, &["--audit-key", key, "--checkpoint-secs", "1"]);
    assert!(
        server.wait_for_log("checkpoint signed", Duration::from_secs(20)),
        "{}",
        server.log()
    );
    let kept = || async {
        let store = db.open().await;
        (
            store.signed_checkpoints().await.expect("kept"),
            store.last_position().await.expect("size"),
        )
    };
    // settled: the newest checkpoint covers the whole log (the workflow may still be adding)
    let started = std::time::Instant::now();
    let settled = loop {
        let (checkpoints, size) = kept().await;
        if checkpoints.last().is_some_and(|c| c.tree_size == size) {
            std::thread::sleep(Duration::from_millis(2_500));
            let (again, size_again) = kept().await;
            if size_again == size {
                break again;
            }
        }
        assert!(started.elapsed() < Duration::from_secs(30), "never settled");
        std::thread::sleep(Duration::from_millis(200));
    };
    let (unchanged, _) = kept().await;
    assert_eq!(
        unchanged.len(),
        settled.len(),
        "no checkpoint while the log stood still"
    );
    support::grow(&db, 3).await;
    let started = std::time::Instant::now();
    loop {
        let (checkpoints, size) = kept().await;
        if checkpoints.len() > settled.len()
            && checkpoints.last().is_some_and(|c| c.tree_size == size)
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the growth was not signed"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let (status, _) = server.terminate();
    assert!(status.success());
    // each note verifies against the log: verify --against the newest one
    let (checkpoints, _) = kept().await;
    let newest = dir.path().join("newest.checkpoint");
    std::fs::write(&newest, &checkpoints.last().expect("one").note).expect("write");
    let verified = support::metod_run(
        &db.url,
        None,
        &[
            "verify",
            "--against",
            newest.to_str().expect("path"),
            "--key",
            &checkpoints[0].verifier_key,
        ],
        "",
    );
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
