//! `metod personal-data erase` and `metod personal-data act` as users run them, on SQLite and
//! PostgreSQL: refusals are one line, exit non-zero and write nothing; after an erasure the
//! person's name reads «данные удалены» in the trail and the oversight answers, never appears
//! in the events listing, and `metod verify` passes; the act prints as text and HTML and its
//! issuance is recorded once.

mod support;

use std::process::Output;

use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::Backend;
use support::metod_run;

/// "Now" for every run.
const CLOCK: &str = "2025-05-15T09:00:00Z";
const NAME: &str = "Кащенко Елена Юрьевна";

fn id(n: u32) -> String {
    format!("7e57c0de-0000-4000-8000-{n:012}")
}

fn metod(db: &str, args: &[&str]) -> Output {
    metod_with(db, args, "")
}

/// `metod` with `stdin`, the town's profile read from its own profile directory.
fn metod_with(db: &str, args: &[&str], stdin: &str) -> Output {
    static PROFILES: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let dir = PROFILES.get_or_init(|| support::novosibirsk_with_district_plan(|text| text));
    let dir = dir.path().to_str().expect("a UTF-8 path");
    let mut all = vec!["--profiles", dir];
    all.extend_from_slice(args);
    metod_run(db, Some(CLOCK), &all, stdin)
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "metod failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// The one line of a refusal with `code`, exiting with `exit`.
fn refusal(output: Output, code: &str, exit: i32) -> String {
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert_eq!(output.status.code(), Some(exit), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("{code}: ")),
        "expected {code}: …, got {stderr:?}"
    );
    assert!(
        output.stdout.is_empty(),
        "a refusal prints nothing on stdout"
    );
    stderr
}

fn events(db: &str) -> Value {
    let out = ok(metod(
        db,
        &["events", "--limit", "100000", "--format", "json"],
    ));
    serde_json::from_str(&out).expect("JSON events")
}

fn log_size(db: &str) -> usize {
    events(db).as_array().expect("array").len()
}

fn record(db: &str, actor: &str, commands: Value) {
    ok(metod_with(
        db,
        &["command", "--as", actor, "--file", "-", "--format", "json"],
        &commands.to_string(),
    ));
}

fn registered(n: u32, name: &str, kind: &str) -> Value {
    json!({"command": "register_person", "effective": "2025-01-15", "person": id(n), "municipality": id(1),
        "organization": id(4), "position_kind": kind, "full_name": name, "birth_date": "1979-05-04",
        "position_title": "учитель химии", "category": {"level": "highest", "granted": "2019-03-01"},
        "specialty_since": "2004-09-01"})
}

/// A district association of chemistry whose head (11) opened the year's plan (a document the
/// municipality adds to its profile: 003 provides none); 12 is the department's chief, 13 a
/// teacher.
fn build_town(db: &str) {
    ok(metod(db, &["init"]));
    record(
        db,
        "operator",
        json!([
            {"command": "register_municipality", "effective": "2025-01-15", "municipality": id(1), "title": "Город Новосибирск", "profile": "novosibirsk"},
            {"command": "add_district", "effective": "2025-01-15", "municipality": id(1), "district": id(2), "title": "Ленинский район"},
            {"command": "register_organization", "effective": "2025-01-15", "municipality": id(1), "organization": id(4), "title": "Гимназия № 1", "kind": "school", "district": id(2)},
            {"command": "establish_body", "effective": "2025-01-15", "municipality": id(1), "body": id(6), "kind": "department", "title": "Департамент образования"},
            registered(11, NAME, "teacher"),
            registered(12, "Петров Пётр Петрович", "official"),
            registered(13, "Гусев Артём Романович", "teacher"),
            {"command": "assign_official", "effective": "2025-01-15", "municipality": id(1), "body": id(6), "person": id(12), "office": "chief"},
            {"command": "issue_order", "effective": "2025-01-20", "order": id(7), "municipality": id(1), "issuer": id(6), "kind": "order", "number": "0615-од", "date": "2025-01-20", "title": "О перечне"},
            {"command": "create_association", "effective": "2025-01-20", "association": id(8), "title": "РМО учителей химии Ленинского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": id(2), "order": id(7)},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(8), "member": {"person": id(11)}, "basis": {"order": id(7)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(8), "member": {"person": id(13)}, "basis": {"order": id(7)}}
        ]),
    );
    record(
        db,
        &format!("person:{}", id(13)),
        json!([
            {"command": "hold_meeting", "effective": "2025-04-21", "meeting": id(20), "association": id(8),
             "attendance": [id(11), id(13)], "questions": [{"question": "Выборы руководителя", "decision": "Избрать"}]},
            {"command": "elect_head", "effective": "2025-04-21", "association": id(8), "person": id(11), "school_year": "2024/25",
             "vote": {"meeting": id(20), "present": [id(11), id(13)], "votes_for": 2, "against": 0, "abstained": 0}}
        ]),
    );
    record(
        db,
        &format!("person:{}", id(11)),
        json!([
            {"command": "open_document", "effective": "2025-04-22", "document": id(30), "association": id(8),
             "document_type": "work_plan", "school_year": "2025/26", "title": "План работы РМО на 2025/26"}
        ]),
    );
}

/// The head's name in the hierarchy, and the names the plan's trail gives its author.
fn names_shown(db: &str) -> (String, Vec<String>) {
    let tree: Value = serde_json::from_str(&ok(metod(
        db,
        &[
            "query",
            "hierarchy",
            "--as-of",
            "2025-05-15",
            "--format",
            "json",
        ],
    )))
    .expect("JSON");
    let head = tree["rows"][0]["head"]
        .as_str()
        .expect("a head")
        .to_string();
    let trail: Value =
        serde_json::from_str(&ok(metod(db, &["trail", &id(30), "--format", "json"])))
            .expect("JSON");
    let authors = trail["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["actor"] == format!("person:{}", id(11)))
        .map(|e| e["actor_name"].as_str().expect("a name").to_string())
        .collect();
    (head, authors)
}

fn erase(db: &str, extra: &[&str]) -> Output {
    let person = id(11);
    let mut args = vec!["personal-data", "erase", "--person", person.as_str()];
    args.extend_from_slice(extra);
    metod(db, &args)
}

async fn erasure_through_the_binary(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let db = db.url.as_str();
    build_town(db);
    let (head, authors) = names_shown(db);
    assert_eq!(head, NAME);
    assert_eq!(authors, [NAME]);
    let size = log_size(db);
    let teacher = format!("person:{}", id(13));
    let chief = format!("person:{}", id(12));
    let consent = ["--ground", "consent-withdrawn", "--effective", "2025-05-14"];

    let refusals: Vec<(Vec<&str>, &str, i32)> = vec![
        (
            [&consent[..], &["--as", &teacher]].concat(),
            "erasure_not_authorized",
            1,
        ),
        (
            [&consent[..], &["--as", "somebody"]].concat(),
            "invalid_actor",
            1,
        ),
        (
            vec![
                "--ground",
                "consent-withdrawn",
                "--effective",
                "2025-05-16",
                "--as",
                "operator",
            ],
            "erasure_date_in_future",
            1,
        ),
        (
            vec![
                "--ground",
                "consent-withdrawn",
                "--effective",
                "14.05.2025",
                "--as",
                "operator",
            ],
            "invalid_date",
            1,
        ),
        (
            vec![
                "--ground",
                "forgotten",
                "--effective",
                "2025-05-14",
                "--as",
                "operator",
            ],
            "invalid_argument",
            2,
        ),
        (
            [
                &consent[..],
                &["--as", "operator", "--order-number", "12-од"],
            ]
            .concat(),
            "invalid_argument",
            2,
        ),
        (
            [
                &consent[..],
                &[
                    "--as",
                    "operator",
                    "--order-number",
                    "12-од",
                    "--order-date",
                    "2025-05-15",
                    "--order-issuer",
                    "Департамент образования",
                ],
            ]
            .concat(),
            "erasure_order_after_effective_date",
            1,
        ),
    ];
    for (args, code, exit) in refusals {
        let line = refusal(erase(db, &args), code, exit);
        if code == "erasure_not_authorized" {
            assert!(line.contains("ч. 5 ст. 21"), "{line}");
        }
        assert_eq!(log_size(db), size, "{code} wrote nothing");
    }
    let unknown = metod(
        db,
        &[
            "personal-data",
            "erase",
            "--person",
            &id(99),
            "--ground",
            "purpose-achieved",
            "--effective",
            "2025-05-14",
            "--as",
            "operator",
        ],
    );
    refusal(unknown, "person_not_in_registry", 1);
    let not_yet = metod(db, &["personal-data", "act", &id(11), "--as", "operator"]);
    refusal(not_yet, "personal_data_not_erased", 1);
    assert_eq!(log_size(db), size);
    assert_eq!(names_shown(db).0, NAME, "nothing erased by a refusal");

    // The department's chief orders it, by the department's order.
    let erased: Value = serde_json::from_str(&ok(erase(
        db,
        &[
            &consent[..],
            &[
                "--as",
                &chief,
                "--order-number",
                "12-од",
                "--order-date",
                "2025-05-14",
                "--order-issuer",
                "Департамент образования",
                "--format",
                "json",
            ],
        ]
        .concat(),
    )))
    .expect("JSON event");
    let erasure = &erased[0];
    assert_eq!(erasure["event_type"], "PersonalDataErased");
    assert_eq!(erasure["stream"], format!("personal-data-{}", id(11)));
    assert_eq!(erasure["actor"]["role"], "official:department:chief");
    assert_eq!(erasure["basis"]["number"], "12-од");
    assert_eq!(log_size(db), size + 1);
    let again = erase(db, &[&consent[..], &["--as", "operator"]].concat());
    refusal(again, "personal_data_already_erased", 1);

    // Destroyed wherever it was shown; never in clear in the log; the chain verifies.
    let (head, authors) = names_shown(db);
    assert_eq!(head, store::ERASED_TEXT);
    assert_eq!(authors, [store::ERASED_TEXT]);
    assert!(!events(db).to_string().contains("Кащенко"));
    let table = ok(metod(db, &["events"]));
    assert!(!table.contains("Кащенко"));
    let verified = ok(metod(db, &["verify"]));
    assert!(
        verified.starts_with(&format!("ok: {} events", size + 1)),
        "{verified}"
    );

    // The act, as text on stdout; its issuance recorded, said on stderr.
    let act = metod(db, &["personal-data", "act", &id(11), "--as", "operator"]);
    let note = String::from_utf8(act.stderr.clone()).expect("UTF-8");
    let text = ok(act);
    assert!(
        note.starts_with("выдача записана в журнал: позиция "),
        "{note}"
    );
    for expected in [
        &format!("лицо с идентификатором в реестре {}", id(11)),
        "фамилия, имя, отчество; дата рождения; должность",
        "отзыв субъектом согласия на обработку персональных данных (ч. 5 ст. 21",
        "Дата уничтожения: 15 мая 2025 г.",
        &format!("руководитель, Департамент образования (в журнале — {chief})"),
        "приказ № 12-од от 14 мая 2025 г. (Департамент образования)",
    ] {
        assert!(
            text.contains(expected),
            "the act lacks «{expected}»:\n{text}"
        );
    }
    assert!(
        !text.contains("Кащенко") && !text.contains("1979-05-04"),
        "{text}"
    );
    assert_eq!(log_size(db), size + 2);

    // The same act as HTML into a file: the same text's record, nothing new.
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("act.html");
    let written = ok(metod(
        db,
        &[
            "personal-data",
            "act",
            &id(11),
            "--as",
            &chief,
            "--format",
            "html",
            "--out",
            file.to_str().expect("path"),
        ],
    ));
    assert!(
        written.contains("этот же акт уже выдавался, новая запись не сделана"),
        "{written}"
    );
    let html = std::fs::read_to_string(&file).expect("the HTML act");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("@media print") && html.contains("15 мая 2025 г."));
    assert!(!html.contains("Кащенко"));
    assert_eq!(log_size(db), size + 2);
    let stream: Value = serde_json::from_str(&ok(metod(
        db,
        &[
            "events",
            "--stream",
            &format!("personal-data-{}", id(11)),
            "--format",
            "json",
        ],
    )))
    .expect("JSON");
    let types: Vec<&str> = stream
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["event_type"].as_str().expect("type"))
        .collect();
    assert_eq!(types, ["PersonalDataErased", "DestructionActIssued"]);
    assert_eq!(
        stream[1]["payload"]["erasure_position"],
        erasure["position"]
    );
    assert_eq!(stream[1]["actor"]["id"], "operator");
    let verified = ok(metod(db, &["verify"]));
    assert!(
        verified.starts_with(&format!("ok: {} events", size + 2)),
        "{verified}"
    );
}

store::on_every_backend!(erasure_through_the_binary);
