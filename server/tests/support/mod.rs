//! Running the `metod` binary as its users do, for the CLI tests.

#![allow(dead_code)]

pub mod browser;
pub mod http;
pub mod server;

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `metod --db <db> <args>` with `stdin`, no inherited METOD_* settings, and
/// METOD_CLOCK set when `clock` is given.
pub fn metod_run(db: &str, clock: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_metod"));
    command
        .env_remove("METOD_DB")
        .env_remove("METOD_PROFILES")
        .env_remove("METOD_CLOCK");
    if let Some(clock) = clock {
        command.env("METOD_CLOCK", clock);
    }
    let mut child = command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("metod runs");
    // A command refused before it reads its input (an unknown `--as`, say) exits while the
    // input is still being written: the broken pipe is its answer, not the test's failure.
    match child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("stdin not written: {e}"),
        _ => {}
    }
    child.wait_with_output().expect("metod finishes")
}

/// Appends `n` events to a stream of their own behind the binary's back, as another writer
/// would: the log grows without a command.
pub async fn grow(db: &store::testing::TestDatabase, n: u64) {
    let store = db.open().await;
    let stream = store::StreamId::parse("test-growth").expect("stream");
    for i in 0..n {
        store
            .append(
                &stream,
                store::ExpectedVersion::Any,
                vec![store::NewEvent::new(
                    "Grown",
                    serde_json::json!({ "i": i }),
                    chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
                    store::Actor::new("operator", "operator"),
                )],
                store::CommandId::random(),
            )
            .await
            .expect("append");
    }
}

/// Generates the small Novokuznetsk demo town of one school year (seed 2) into `db`, with
/// METOD_CLOCK set to `clock` when given; panics with what metod said if it fails.
pub fn small_demo_town(db: &str, clock: Option<&str>) {
    let made = metod_run(
        db,
        clock,
        &[
            "demo",
            "--profile",
            "novokuznetsk",
            "--scale",
            "small",
            "--years",
            "1",
            "--seed",
            "2",
        ],
        "",
    );
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
}

/// The district plan a Novosibirsk-like municipality adds to its own profile file, with a
/// local chain (district head → city head → department): 003 provides no district documents.
const DISTRICT_PLAN: &str = r#"
[[documents]]
type = "work_plan"
levels = ["district"]
authors = ["head"]
chain = [
  { role = "association_head", local = true },
  { role = "city_head", local = true },
  { role = "department", offices = ["deputy_chief", "specialist"], local = true },
]
clause = "003 §7.7, §7.1"
"#;

/// A profile directory (for `--profiles`) holding Novosibirsk's profile with the district
/// plan added, then changed by `amend` (e.g. a local review period).
pub fn novosibirsk_with_district_plan(amend: impl Fn(String) -> String) -> tempfile::TempDir {
    let built_in = concat!(env!("CARGO_MANIFEST_DIR"), "/../profiles/novosibirsk.toml");
    let mut text = std::fs::read_to_string(built_in).expect("the built-in profile");
    text.push_str(DISTRICT_PLAN);
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("novosibirsk.toml"), amend(text)).expect("written");
    dir
}
