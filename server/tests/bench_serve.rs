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

/// A town instead of a city, one school year, three sessions (an official, a council member,
/// a city head: every kind of operation).
const TINY_TOWN: [&str; 6] = ["--scale", "small", "--years", "1", "--sessions", "3"];

async fn bench_serve_drives_every_kind_over_http_and_in_process_without_errors(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("serve.json");
    let out_arg = out.display().to_string();
    let run = metod_run(
        &db.url,
        None,
        &[
            &["bench", "serve"][..],
            &TINY_TOWN,
            &["--seconds", "2", "--seed", "3", "--out", &out_arg],
        ]
        .concat(),
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

/// `metod bench serve` without `--db`, in `dir`, with `args`.
fn bench_serve_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_metod"))
        .env_remove("METOD_DB")
        .env_remove("METOD_PROFILES")
        .env_remove("METOD_CLOCK")
        .current_dir(dir)
        .args(["bench", "serve"])
        .args(args)
        .output()
        .expect("metod runs")
}

/// How many events the store at `url` holds.
async fn events_in(url: &str) -> u64 {
    let store = store::open(
        url,
        store::OpenMode::Existing,
        std::sync::Arc::new(store::SystemClock),
    )
    .await
    .expect("the kept history opens");
    store.last_position().await.expect("its last position")
}

/// `--data`: the history is generated once where the user keeps it (a directory of SQLite
/// files, or beside a PostgreSQL database), each run serves a copy made beside it and
/// removes the copy, and the kept history stays as generated, so that a second run finds it
/// and does not generate again. `--db` with `--data` is refused.
async fn bench_serve_serves_a_copy_of_the_history_kept_under_data(backend: Backend) {
    let dir = tempfile::tempdir().expect("temp dir");
    let seed = std::process::id().to_string();
    let name = format!("novokuznetsk_small_1y_s{seed}");
    let (data, kept) = match backend {
        Backend::Sqlite => {
            let data = dir.path().display().to_string();
            let kept = format!("sqlite://{data}/{name}.db");
            (data, kept)
        }
        Backend::Postgres => {
            let server = TestDatabase::new(backend).await;
            let base = server
                .url
                .rsplit_once('/')
                .expect("a database in the URL")
                .0;
            let data = format!("{base}/postgres");
            let kept = format!("{base}/postgres_{name}");
            (data, kept)
        }
    };
    let out = dir.path().join("serve.json");
    let out_arg = out.display().to_string();
    let args = [
        &TINY_TOWN[..],
        &[
            "--seconds",
            "1",
            "--seed",
            seed.as_str(),
            "--data",
            data.as_str(),
            "--out",
            out_arg.as_str(),
        ],
    ]
    .concat();

    let first = bench_serve_in(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("— генерация"), "generated first: {stderr}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("JSON");
    assert_eq!(report["kept_history"], kept.as_str());
    assert_eq!(report["http"]["total"]["errors"], 0);
    let generated = report["events_generated"].as_u64().expect("events");
    assert!(generated > 0);
    // the bench's accounts and decisions went into the copy, not into the kept history
    assert_eq!(events_in(&kept).await, generated);
    if backend == Backend::Sqlite {
        let copy = dir.path().join(format!("{name}_serve.db"));
        assert!(!copy.exists(), "the copy is removed after the run");
    }

    let second = bench_serve_in(dir.path(), &args);
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(second.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("история уже создана ({generated} событий)")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("— генерация"),
        "not generated again: {stderr}"
    );
    assert_eq!(events_in(&kept).await, generated);

    let both = metod_run(
        &kept,
        None,
        &[&["bench", "serve"][..], &args[..]].concat(),
        "",
    );
    assert_eq!(both.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&both.stderr);
    assert!(
        stderr.starts_with("invalid_argument: --db и --data"),
        "{stderr}"
    );
    assert_eq!(
        events_in(&kept).await,
        generated,
        "a refusal writes nothing"
    );

    if backend == Backend::Postgres {
        store::bench::remove_twin(&data, &kept)
            .await
            .expect("the kept history dropped");
    }
}

store::on_every_backend!(
    bench_serve_drives_every_kind_over_http_and_in_process_without_errors,
    bench_serve_serves_a_copy_of_the_history_kept_under_data,
);
