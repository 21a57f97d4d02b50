//! `metod bench serve` run for real with tiny parameters — a town instead of a city, three
//! sessions (an official, a council member, a city head: every kind of operation), a couple
//! of seconds: it stops by itself, and its report has every kind on both sides with zero
//! errors. Nothing is asserted about speed.

mod support;

use serde_json::Value;
use store::testing::TestDatabase;
use store::Backend;
use support::metod_run;

const KINDS: [&str; 7] = [
    "inbox",
    "query",
    "trail",
    "approve",
    "return",
    "inbox_page",
    "document_page",
];

async fn bench_serve_drives_every_kind_over_http_and_in_process_without_errors(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("serve.json");
    let out_arg = out.display().to_string();
    let run = metod_run(
        &db.url,
        None,
        &[
            "bench",
            "serve",
            "--scale",
            "small",
            "--years",
            "1",
            "--sessions",
            "3",
            "--seconds",
            "2",
            "--seed",
            "3",
            "--out",
            &out_arg,
        ],
        "",
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    for line in [
        "входящие",
        "вопросы надзора",
        "история документа",
        "согласование шага",
        "возврат на доработку",
        "всего",
        "ошибки, HTTP: нет",
        "ошибки, в процессе: нет",
        "цели: ",
    ] {
        assert!(stdout.contains(line), "no «{line}» in:\n{stdout}");
    }
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("JSON");
    assert_eq!(report["bench"], "serve");
    for side in ["http", "in_process"] {
        for kind in KINDS {
            let figures = &report[side]["kinds"][kind];
            assert!(
                figures["count"].as_u64().is_some_and(|n| n > 0),
                "{side} {kind}: {figures}"
            );
            assert_eq!(figures["errors"], 0, "{side} {kind}: {figures}");
        }
        assert_eq!(report[side]["total"]["errors"], 0, "{side}");
    }
    assert!(report["memory_kib"]["peak_whole_run"]
        .as_u64()
        .is_some_and(|k| k > 0));
    // The decisions went through the rules into the log, and the log still verifies.
    let verify = metod_run(&db.url, None, &["verify"], "");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );
}

/// The bench generates its own city: a store that already has a history is refused, and
/// keeps it.
#[test]
fn bench_serve_refuses_a_store_with_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("full.db").display());
    let demo = metod_run(
        &url,
        None,
        &[
            "demo",
            "--profile",
            "novokuznetsk",
            "--scale",
            "small",
            "--years",
            "1",
        ],
        "",
    );
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let run = metod_run(
        &url,
        None,
        &[
            "bench",
            "serve",
            "--scale",
            "small",
            "--years",
            "1",
            "--seconds",
            "1",
        ],
        "",
    );
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("demo_store_not_empty"), "{stderr}");
}

store::on_every_backend!(bench_serve_drives_every_kind_over_http_and_in_process_without_errors,);
