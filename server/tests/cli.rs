//! The `metod` binary as its users run it: on a real SQLite file and a real PostgreSQL
//! database, every failure one line `code: сообщение` with a non-zero exit code.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::{Actor, Backend, CommandId, ExpectedVersion, NewEvent, StreamId};

fn metod(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_metod"))
        .env_remove("METOD_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("metod runs")
}

/// Runs metod in `dir` without `--db`: the store comes from `METOD_DB` when `env_db` is
/// given, else the default `metod.db` in `dir`.
fn metod_in(dir: &Path, env_db: Option<&str>, args: &[&str]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_metod"));
    command.current_dir(dir).env_remove("METOD_DB");
    if let Some(db) = env_db {
        command.env("METOD_DB", db);
    }
    command.args(args).output().expect("metod runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

/// Asserts a failure: non-zero exit, and stderr is exactly one line starting with `code: `.
fn assert_fails_with(output: &Output, code: &str) -> String {
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr");
    assert!(
        !output.status.success(),
        "expected failure {code}, got success: {}",
        stdout(output)
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("{code}: ")),
        "expected {code}: …, got {stderr:?}"
    );
    stderr
}

async fn store_with_events(backend: Backend, n: u64) -> TestDatabase {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let effective = chrono::NaiveDate::from_ymd_opt(2024, 9, 12).expect("date");
    for i in 1..=n {
        let stream =
            StreamId::parse(if i % 2 == 0 { "plan-even" } else { "plan-odd" }).expect("stream");
        let event = NewEvent::new(
            "PlanSubmitted",
            json!({ "i": i, "text": "abc" }),
            effective,
            Actor::new("head-1", "head"),
        );
        store
            .append(
                &stream,
                ExpectedVersion::Any,
                vec![event],
                CommandId::random(),
            )
            .await
            .expect("append");
    }
    db
}

async fn init_creates_the_store_and_verify_reports_it_empty(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    assert_fails_with(&metod(&db.url, &["verify"]), "store_not_initialized");
    let init = metod(&db.url, &["init"]);
    assert!(init.status.success(), "{init:?}");
    assert!(
        metod(&db.url, &["init"]).status.success(),
        "init is repeatable"
    );
    let verify = metod(&db.url, &["verify"]);
    assert!(verify.status.success());
    assert_eq!(
        stdout(&verify),
        format!("ok: 0 events, head {}\n", "0".repeat(64))
    );
}

async fn verify_prints_the_head_and_names_the_first_tampered_position(backend: Backend) {
    let db = store_with_events(backend, 10).await;
    let last_hash = hex::encode(
        db.open()
            .await
            .head()
            .await
            .expect("head")
            .expect("some")
            .hash,
    );
    let verify = metod(&db.url, &["verify"]);
    assert!(verify.status.success());
    assert_eq!(
        stdout(&verify),
        format!("ok: 10 events, head {last_hash}\n")
    );
    db.execute_raw("UPDATE events SET payload = replace(payload, 'abc', 'abd') WHERE position = 4")
        .await;
    let broken = metod(&db.url, &["verify"]);
    let message = assert_fails_with(&broken, "integrity_broken");
    assert!(message.contains("позиции 4"), "{message}");
    assert_eq!(broken.status.code(), Some(3));
}

async fn events_lists_the_log_as_a_table_and_as_json(backend: Backend) {
    let db = store_with_events(backend, 10).await;
    let json_out = metod(
        &db.url,
        &["events", "--format", "json", "--from", "3", "--limit", "4"],
    );
    assert!(json_out.status.success(), "{json_out:?}");
    let events: Vec<Value> = serde_json::from_str(&stdout(&json_out)).expect("a JSON array");
    assert_eq!(
        events
            .iter()
            .map(|e| e["position"].as_u64().expect("position"))
            .collect::<Vec<_>>(),
        vec![3, 4, 5, 6]
    );
    assert_eq!(events[0]["payload"], json!({ "i": 3, "text": "abc" }));
    assert_eq!(
        events[0]["actor"],
        json!({ "id": "head-1", "role": "head" })
    );
    for field in [
        "stream",
        "version",
        "event_type",
        "schema",
        "recorded_at",
        "effective",
        "basis",
        "command_id",
        "correlation_id",
        "causation_id",
        "prev_hash",
        "hash",
    ] {
        assert!(
            events[0].get(field).is_some(),
            "the envelope carries {field}"
        );
    }
    let stream_out = metod(
        &db.url,
        &["events", "--stream", "plan-even", "--format", "json"],
    );
    let even: Vec<Value> = serde_json::from_str(&stdout(&stream_out)).expect("a JSON array");
    assert_eq!(
        even.iter()
            .map(|e| e["version"].as_u64().expect("v"))
            .collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    let table = stdout(&metod(&db.url, &["events", "--limit", "2"]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "a header and two rows: {table}");
    assert!(lines[0].starts_with("позиция"));
    assert!(
        lines[1].contains("plan-odd")
            && lines[1].contains("PlanSubmitted")
            && lines[1].contains("12.09.2024")
    );
}

async fn a_corrupt_row_and_a_newer_schema_are_clear_errors(backend: Backend) {
    let db = store_with_events(backend, 3).await;
    db.execute_raw("UPDATE events SET payload = '{broken' WHERE position = 2")
        .await;
    let message = assert_fails_with(&metod(&db.url, &["events"]), "corrupt_row");
    assert!(message.contains("позиции 2"), "{message}");
    db.pretend_newer_schema(99999).await;
    assert_fails_with(&metod(&db.url, &["verify"]), "schema_too_new");
    assert_fails_with(&metod(&db.url, &["init"]), "schema_too_new");
}

async fn bench_store_leaves_a_verifiable_store_and_a_report(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let dir = tempfile::tempdir().expect("dir");
    let report_path = dir.path().join("bench.json");
    let report_file = report_path.to_str().expect("path");
    let bench = metod(
        &db.url,
        &[
            "bench",
            "store",
            "--events",
            "2500",
            "--batch",
            "400",
            "--single",
            "25",
            "--out",
            report_file,
        ],
    );
    assert!(
        bench.status.success(),
        "{}",
        String::from_utf8_lossy(&bench.stderr)
    );
    assert!(stdout(&bench).contains("пакетная запись, событий/с"));
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).expect("report"))
            .expect("JSON");
    assert_eq!(report["events"], 2500);
    assert!(
        report["batched_append"]["events_per_second"]
            .as_f64()
            .expect("rate")
            > 0.0
    );
    assert!(
        report["raw_insert_ceiling"]["events_per_second"]
            .as_f64()
            .expect("ceiling")
            > 0.0
    );
    assert!(
        report["single_append"]["p99_ms"].as_f64().expect("p99")
            >= report["single_append"]["p50_ms"].as_f64().expect("p50")
    );
    let bare_single = &report["single_bare_insert_ceiling"];
    assert!(bare_single["p50_ms"].as_f64().expect("bare p50") > 0.0);
    assert!(
        bare_single["p99_ms"].as_f64().expect("bare p99")
            >= bare_single["p50_ms"].as_f64().expect("bare p50")
    );
    assert!(stdout(&bench).contains("одиночная надёжная запись, p50 (голая вставка)"));
    let verify = metod(&db.url, &["verify"]);
    assert!(
        stdout(&verify).starts_with("ok: 2525 events, head "),
        "{verify:?}"
    );
    assert_fails_with(
        &metod(&db.url, &["bench", "store", "--events", "10"]),
        "bench_store_not_empty",
    );
}

#[test]
fn a_malformed_url_an_unreachable_server_and_bad_arguments_fail_clearly() {
    assert_fails_with(
        &metod("mysql://somewhere/db", &["verify"]),
        "invalid_database_url",
    );
    assert_fails_with(
        &metod("postgres://user@[not-a-host/db", &["verify"]),
        "invalid_database_url",
    );
    // Port 1 on loopback: nothing listens there.
    let unreachable = assert_fails_with(
        &metod("postgres://postgres@127.0.0.1:1/metod", &["verify"]),
        "database_unreachable",
    );
    assert!(unreachable.contains("127.0.0.1:1"), "{unreachable}");
    let dir = tempfile::tempdir().expect("dir");
    let missing = format!("sqlite://{}/no/such/dir/metod.db", dir.path().display());
    assert_fails_with(&metod(&missing, &["init"]), "database_unreachable");
    let fresh = format!("sqlite://{}/m.db", dir.path().display());
    assert!(metod(&fresh, &["init"]).status.success());
    assert_fails_with(
        &metod(&fresh, &["events", "--stream", "has space"]),
        "invalid_stream_name",
    );
    let bad_limit = metod(&fresh, &["events", "--limit", "many"]);
    assert_eq!(bad_limit.status.code(), Some(2), "argument errors exit 2");
    // sqlx opens each of these, but none of them keeps the log after the command ends.
    for (url, reason) in [
        ("sqlite:", "не указано имя файла"),
        ("sqlite://", "не указано имя файла"),
        ("sqlite::memory:", "в памяти"),
        ("sqlite://?mode=memory", "в памяти"),
    ] {
        for command in ["init", "verify"] {
            let message = assert_fails_with(&metod(url, &[command]), "invalid_database_url");
            assert!(message.contains(reason), "{url} {command}: {message}");
        }
    }
}

/// Asserts clap's refusal as one line `invalid_argument: <what>: <clap's line>; справка: …`
/// with exit code 2.
fn assert_argument_error(output: &Output, what: &str, clap_says: &str) {
    let message = assert_fails_with(output, "invalid_argument");
    assert_eq!(output.status.code(), Some(2), "argument errors exit 2");
    assert!(
        message.starts_with(&format!("invalid_argument: {what}: ")),
        "{message}"
    );
    assert!(message.contains(clap_says), "{message}");
    assert!(
        message.trim_end().ends_with("; справка: metod --help"),
        "{message}"
    );
    assert!(!message.contains("error:"), "{message}");
}

#[test]
fn argument_errors_are_one_line_and_exit_2_while_help_and_version_print() {
    let dir = tempfile::tempdir().expect("dir");
    let run = |args: &[&str]| metod_in(dir.path(), None, args);
    assert_argument_error(
        &run(&["events", "--limit", "many"]),
        "недопустимое значение",
        "'many' for '--limit <LIMIT>'",
    );
    assert_argument_error(&run(&["frobnicate"]), "неизвестная команда", "'frobnicate'");
    assert_argument_error(
        &run(&["verify", "--frobnicate"]),
        "неизвестный аргумент",
        "'--frobnicate'",
    );
    assert_argument_error(
        &run(&["command"]),
        "не указан обязательный аргумент",
        "not provided: --as <ACTOR>, --file <FILE>",
    );
    assert_argument_error(
        &run(&[]),
        "не указана команда",
        "'metod' requires a subcommand",
    );
    assert_argument_error(
        &run(&["profile"]),
        "не указана команда",
        "'metod profile' requires a subcommand",
    );
    assert!(
        !dir.path().join("metod.db").exists(),
        "nothing ran, nothing was created"
    );
    let help = run(&["--help"]);
    assert!(help.status.success(), "{help:?}");
    assert!(stdout(&help).contains("Usage: metod"), "{help:?}");
    assert!(help.stderr.is_empty(), "{help:?}");
    let help = run(&["events", "--help"]);
    assert!(stdout(&help).contains("--limit <LIMIT>"), "{help:?}");
    let version = run(&["--version"]);
    assert!(version.status.success(), "{version:?}");
    assert!(stdout(&version).starts_with("metod "), "{version:?}");
}

async fn events_positions_and_limits_beyond_a_signed_64_bit_range_are_refused(backend: Backend) {
    let db = store_with_events(backend, 3).await;
    // One past i64::MAX used to wrap to a negative number and list the log from the start.
    for (flag, value) in [
        ("--from", "9223372036854775808"),
        ("--limit", "9223372036854775808"),
        ("--limit", "18446744073709551615"),
        ("--limit", "0"),
    ] {
        assert_argument_error(
            &metod(&db.url, &["events", flag, value, "--format", "json"]),
            "недопустимое значение",
            &format!("'{value}'"),
        );
    }
    let at_the_end = metod(
        &db.url,
        &[
            "events",
            "--from",
            "9223372036854775807",
            "--limit",
            "9223372036854775807",
            "--format",
            "json",
        ],
    );
    assert!(at_the_end.status.success(), "{at_the_end:?}");
    let events: Vec<Value> = serde_json::from_str(&stdout(&at_the_end)).expect("a JSON array");
    assert!(events.is_empty(), "{events:?}");
    let from_zero = metod(&db.url, &["events", "--from", "0", "--format", "json"]);
    let events: Vec<Value> = serde_json::from_str(&stdout(&from_zero)).expect("a JSON array");
    assert_eq!(events.len(), 3);
}

async fn metod_db_names_the_store_when_db_is_absent(backend: Backend) {
    let db = store_with_events(backend, 3).await;
    // In an empty directory: falling back to the default metod.db would find no store.
    let dir = tempfile::tempdir().expect("dir");
    let verify = metod_in(dir.path(), Some(&db.url), &["verify"]);
    assert!(verify.status.success(), "{verify:?}");
    assert!(
        stdout(&verify).starts_with("ok: 3 events, head "),
        "{verify:?}"
    );
    // --db wins over the variable.
    let elsewhere = format!("sqlite://{}/elsewhere.db", dir.path().display());
    let mut command = Command::new(env!("CARGO_BIN_EXE_metod"));
    let verify = command
        .current_dir(dir.path())
        .env("METOD_DB", &elsewhere)
        .args(["--db", &db.url, "verify"])
        .output()
        .expect("metod runs");
    assert!(
        stdout(&verify).starts_with("ok: 3 events, head "),
        "{verify:?}"
    );
    assert!(!dir.path().join("metod.db").exists());
    assert!(!dir.path().join("elsewhere.db").exists());
}

#[test]
fn without_db_and_metod_db_the_store_is_metod_db_in_the_current_directory() {
    let dir = tempfile::tempdir().expect("dir");
    assert_fails_with(
        &metod_in(dir.path(), None, &["verify"]),
        "store_not_initialized",
    );
    let init = metod_in(dir.path(), None, &["init"]);
    assert!(init.status.success(), "{init:?}");
    assert!(stdout(&init).contains("sqlite://metod.db"), "{init:?}");
    assert!(
        dir.path().join("metod.db").is_file(),
        "created where metod ran"
    );
    let verify = metod_in(dir.path(), None, &["verify"]);
    assert_eq!(
        stdout(&verify),
        format!("ok: 0 events, head {}\n", "0".repeat(64))
    );
}

async fn an_older_schema_is_refused_until_init_migrates_it(backend: Backend) {
    let db = store_with_events(backend, 3).await;
    db.pretend_previous_schema().await;
    let message = assert_fails_with(&metod(&db.url, &["verify"]), "schema_outdated");
    assert!(message.contains("metod init"), "{message}");
    assert_fails_with(&metod(&db.url, &["events"]), "schema_outdated");
    let init = metod(&db.url, &["init"]);
    assert!(init.status.success(), "{init:?}");
    let verify = metod(&db.url, &["verify"]);
    assert!(
        stdout(&verify).starts_with("ok: 3 events, head "),
        "{verify:?}"
    );
}

async fn bench_store_does_not_write_into_the_store_of_metod_db(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    assert!(metod(&db.url, &["init"]).status.success());
    let dir = tempfile::tempdir().expect("dir");
    let bench = metod_in(
        dir.path(),
        Some(&db.url),
        &[
            "bench", "store", "--events", "100", "--batch", "10", "--single", "5",
        ],
    );
    assert!(
        bench.status.success(),
        "{}",
        String::from_utf8_lossy(&bench.stderr)
    );
    assert_eq!(
        stdout(&metod(&db.url, &["verify"])),
        format!("ok: 0 events, head {}\n", "0".repeat(64)),
        "the store METOD_DB names is left as it was"
    );
}

async fn verify_names_the_end_of_the_log_when_its_head_record_is_deleted(backend: Backend) {
    let db = store_with_events(backend, 10).await;
    db.execute_raw("DELETE FROM log_head").await;
    let broken = metod(&db.url, &["verify"]);
    let message = assert_fails_with(&broken, "integrity_broken");
    assert!(message.contains("позиции 11"), "{message}");
    assert!(message.contains("запись о конце журнала"), "{message}");
    assert_eq!(broken.status.code(), Some(3));
}

store::on_every_backend!(
    init_creates_the_store_and_verify_reports_it_empty,
    verify_prints_the_head_and_names_the_first_tampered_position,
    events_lists_the_log_as_a_table_and_as_json,
    a_corrupt_row_and_a_newer_schema_are_clear_errors,
    bench_store_leaves_a_verifiable_store_and_a_report,
    events_positions_and_limits_beyond_a_signed_64_bit_range_are_refused,
    metod_db_names_the_store_when_db_is_absent,
    an_older_schema_is_refused_until_init_migrates_it,
    bench_store_does_not_write_into_the_store_of_metod_db,
    verify_names_the_end_of_the_log_when_its_head_record_is_deleted,
);
