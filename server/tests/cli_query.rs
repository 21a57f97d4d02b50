//! `metod rebuild`, `metod query` and `metod compare` through the binary, on SQLite and
//! PostgreSQL: a small Novosibirsk (003) recorded on 1 Feb 2025, asked as of dates (today by
//! default) and as known at moments, in the three formats, each answer naming its clauses;
//! malformed dates, unknown questions, districts and subjects are refused with one clear
//! line; questions the profile has no rule for say so.

mod support;

use std::process::Output;

use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::Backend;
use support::metod_run;

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "metod failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn id(n: u32) -> String {
    format!("7e57c0de-0000-4000-8000-{n:012}")
}

const CLOCK: &str = "2025-02-01T10:00:00Z";

/// Runs `metod` with `before` (such as `--profiles DIR`) in front of `args`.
fn run_with(db: &str, clock: Option<&str>, before: &[&str], args: &[&str], stdin: &str) -> Output {
    let mut all = before.to_vec();
    all.extend_from_slice(args);
    metod_run(db, clock, &all, stdin)
}

fn record(db: &str, before: &[&str], actor: &str, commands: Value) {
    ok(run_with(
        db,
        Some(CLOCK),
        before,
        &["command", "--as", actor, "--file", "-", "--format", "json"],
        &commands.to_string(),
    ));
}

fn teacher(n: u32, name: &str) -> Value {
    json!({"command": "register_person", "effective": "2025-01-15", "person": id(n), "municipality": id(1),
        "organization": id(4), "position_kind": "teacher", "full_name": name, "birth_date": "1979-05-04",
        "position_title": "учитель химии", "category": {"level": "highest", "granted": "2019-03-01"},
        "specialty_since": "2004-09-01"})
}

/// One district association of chemistry with two members; the head elected on 24 Jan.
fn build_town(db: &str) {
    build_town_of(db, "novosibirsk", &[]);
}

/// The same town under `profile`, every run given `before`.
fn build_town_of(db: &str, profile: &str, before: &[&str]) {
    record(
        db,
        before,
        "operator",
        json!([
            {"command": "register_municipality", "effective": "2025-01-15", "municipality": id(1), "title": "Город Новосибирск", "profile": profile},
            {"command": "add_district", "effective": "2025-01-15", "municipality": id(1), "district": id(2), "title": "Ленинский район"},
            {"command": "register_organization", "effective": "2025-01-15", "municipality": id(1), "organization": id(4), "title": "Гимназия № 1", "kind": "school", "district": id(2)},
            {"command": "establish_body", "effective": "2025-01-15", "municipality": id(1), "body": id(6), "kind": "department", "title": "Департамент образования"},
            teacher(11, "Кащенко Елена Юрьевна"),
            teacher(13, "Гусев Артём Романович"),
            {"command": "issue_order", "effective": "2025-01-20", "order": id(7), "municipality": id(1), "issuer": id(6), "kind": "order", "number": "0615-од", "date": "2025-01-20", "title": "О перечне"},
            {"command": "create_association", "effective": "2025-01-20", "association": id(8), "title": "РМО учителей химии Ленинского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": id(2), "order": id(7)},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(8), "member": {"person": id(11)}, "basis": {"order": id(7)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(8), "member": {"person": id(13)}, "basis": {"order": id(7)}}
        ]),
    );
    record(
        db,
        before,
        &format!("person:{}", id(13)),
        json!([
            {"command": "hold_meeting", "effective": "2025-01-24", "meeting": id(20), "association": id(8),
             "attendance": [id(11), id(13)], "questions": [{"question": "Выборы руководителя", "decision": "Избрать"}]},
            {"command": "elect_head", "effective": "2025-01-24", "association": id(8), "person": id(11), "school_year": "2024/25",
             "vote": {"meeting": id(20), "present": [id(11), id(13)], "votes_for": 2, "against": 0, "abstained": 0}}
        ]),
    );
}

fn query(db: &str, args: &[&str]) -> Output {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    metod_run(db, Some(CLOCK), &all, "")
}

async fn queries_through_the_binary(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town(&db.url);

    // Before the election: no head; after it: the elected head, two members.
    let before: Value = serde_json::from_str(&ok(query(
        &db.url,
        &["hierarchy", "--as-of", "2025-01-22", "--format", "json"],
    )))
    .expect("JSON");
    assert_eq!(before["rows"][0]["head"], Value::Null);
    assert_eq!(before["rows"][0]["members"], 2);
    let after: Value = serde_json::from_str(&ok(query(
        &db.url,
        &["hierarchy", "--as-of", "2025-01-25", "--format", "json"],
    )))
    .expect("JSON");
    assert_eq!(after["rows"][0]["head"], "Кащенко Елена Юрьевна");
    assert_eq!(after["profile"], "novosibirsk");

    // Everything was entered on 1 Feb: on 31 Jan the system knew of no municipality.
    let unknown = query(
        &db.url,
        &[
            "hierarchy",
            "--as-of",
            "2025-01-25",
            "--known-at",
            "2025-01-31",
        ],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).starts_with("no_municipality: "));

    // One meeting of the three a year requires (003 §7.6), as CSV and as a table.
    let csv = ok(query(
        &db.url,
        &["meetings", "--as-of", "2025-01-30", "--format", "csv"],
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "title,level,district,school_year,held,required,shortfall,year_over,clause"
    );
    assert_eq!(
        lines[1],
        "РМО учителей химии Ленинского района,районный,Ленинский район,2024/25,1,3,2,нет,003 §7.6"
    );
    let table = ok(query(&db.url, &["meetings", "--as-of", "2025-01-30"]));
    assert!(table.contains("(003 §7.6)"), "{table}");

    // The association's page: its head, two members and the meeting of its school year.
    let page = |args: &[&str]| {
        let mut all = vec!["association"];
        all.extend_from_slice(args);
        metod_run(&db.url, Some(CLOCK), &all, "")
    };
    let association = id(8);
    let json_page: Value = serde_json::from_str(&ok(page(&[
        &association,
        "--as-of",
        "2025-01-25",
        "--format",
        "json",
    ])))
    .expect("JSON");
    assert_eq!(json_page["members"], 2);
    assert_eq!(json_page["roles"][0]["role"], "руководитель");
    assert_eq!(json_page["roles"][0]["person"], id(11));
    assert_eq!(json_page["meetings"][0]["date"], "2025-01-24");
    assert_eq!(json_page["school_year"], "2024/25");
    let table = ok(page(&[&association, "--as-of", "2025-01-25"]));
    assert!(
        table.contains("РМО учителей химии Ленинского района — районный, химия, Ленинский район"),
        "{table}"
    );
    assert!(table.contains("участников: 2"), "{table}");
    // Before it was created, and as known before anything was entered: no such association.
    for time in [
        vec!["--as-of", "2025-01-19"],
        vec!["--as-of", "2025-01-25", "--known-at", "2025-01-31"],
    ] {
        let mut args = vec![association.as_str()];
        args.extend(time);
        let none = page(&args);
        assert_eq!(none.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&none.stderr).starts_with("not_found: "));
    }
    let malformed = page(&["РМО-химии"]);
    assert_eq!(malformed.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&malformed.stderr).is_empty());

    // A rebuild gives the same answers.
    let rebuilt = ok(metod_run(&db.url, Some(CLOCK), &["rebuild"], ""));
    assert!(rebuilt.starts_with("ok: "), "{rebuilt}");
    let again: Value = serde_json::from_str(&ok(query(
        &db.url,
        &["hierarchy", "--as-of", "2025-01-25", "--format", "json"],
    )))
    .expect("JSON");
    assert_eq!(again, after);

    // Bad input: one line, a stable code, non-zero exit.
    let bad_date = query(&db.url, &["late", "--as-of", "2025-13-01"]);
    assert_eq!(bad_date.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_date.stderr).starts_with("invalid_date: "));
    let bad_moment = query(&db.url, &["late", "--known-at", "вчера"]);
    assert!(String::from_utf8_lossy(&bad_moment.stderr).starts_with("invalid_timestamp: "));
    let unknown_query = query(&db.url, &["gossip"]);
    assert_eq!(unknown_query.status.code(), Some(2));
}

/// `metod demo` through the binary: a small town's year, then questions about it; and what it
/// refuses — an unknown profile, nonsense years (creating nothing), a store that already has
/// a history.
async fn demo_through_the_binary(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let run = |args: &[&str]| metod_run(&db.url, None, args, "");
    let unknown = run(&["demo", "--profile", "atlantis"]);
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).starts_with("profile_not_found: "));
    let no_years = run(&["demo", "--years", "0"]);
    assert!(String::from_utf8_lossy(&no_years.stderr).starts_with("demo_invalid_years: "));
    // Refused before anything is written: the store is not even created.
    let untouched = run(&["verify"]);
    assert!(
        String::from_utf8_lossy(&untouched.stderr).starts_with("store_not_initialized: "),
        "{}",
        String::from_utf8_lossy(&untouched.stderr)
    );
    let generated = ok(run(&[
        "demo", "--scale", "small", "--years", "1", "--seed", "2",
    ]));
    assert!(generated.starts_with("ok: "), "{generated}");
    let tree: Value = serde_json::from_str(&ok(run(&[
        "query",
        "hierarchy",
        "--as-of",
        "2025-10-15",
        "--format",
        "json",
    ])))
    .expect("JSON");
    // Two districts and four subjects: four city associations and eight district ones.
    assert_eq!(tree["rows"].as_array().expect("rows").len(), 12);
    assert_eq!(tree["profile"], "novokuznetsk");
    let again = run(&["demo"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).starts_with("demo_store_not_empty: "));
    let verified = ok(run(&["verify"]));
    assert!(verified.starts_with("ok: "), "{verified}");

    // The read-model benchmark on it: every figure reported, nothing asserted about speed.
    let out = std::env::temp_dir().join(format!(
        "metod-bench-read-models-{}-{backend:?}.json",
        std::process::id()
    ));
    let table = ok(run(&[
        "bench",
        "read-models",
        "--samples",
        "3",
        "--replays",
        "1",
        "--rounds",
        "2",
        "--out",
        out.to_str().expect("path"),
    ]));
    assert!(table.contains("перестроение, событий/с"), "{table}");
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("JSON");
    let _ = std::fs::remove_file(&out);
    assert!(report["events"].as_u64().expect("events") > 0);
    assert!(report["fact_rows"].as_u64().expect("rows") > 0);
    assert!(
        report["rebuild"]["events_per_second"]
            .as_f64()
            .expect("rate")
            > 0.0
    );
    assert!(
        report["decode_only_ceiling"]["events_per_second"]
            .as_f64()
            .expect("rate")
            > 0.0
    );
    // Where the rebuild's time goes: the projection alone, without writing, applied every
    // event; the rebuild's rows and its indexes are each a part of one of its rounds.
    assert!(
        report["projection_without_writing"]["events_per_second"]
            .as_f64()
            .expect("rate")
            > 0.0
    );
    let longest_rebuild = report["rebuild"]["seconds_per_round"]
        .as_array()
        .expect("rounds")
        .iter()
        .filter_map(Value::as_f64)
        .fold(0.0, f64::max);
    for part in ["rows_seconds", "indexes_seconds"] {
        let seconds = report["rebuild_parts"][part].as_f64().expect(part);
        assert!(
            seconds > 0.0 && seconds <= longest_rebuild,
            "{part}: {seconds}"
        );
    }
    // The rebuild and its ceiling are timed once per round, the figure is their median.
    assert_eq!(report["rounds"], 2);
    for figure in ["rebuild", "decode_only_ceiling"] {
        let rounds = report[figure]["seconds_per_round"]
            .as_array()
            .expect("rounds");
        assert_eq!(rounds.len(), 2, "{figure}");
        let seconds = report[figure]["seconds"].as_f64().expect("seconds");
        assert!(
            rounds.iter().any(|r| r.as_f64() == Some(seconds)),
            "{figure}"
        );
    }
    assert!(
        report["hierarchy_replay_from_zero"]["p50_ms"]
            .as_f64()
            .expect("replay")
            > 0.0
    );
    let asked: Vec<&str> = report["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| q["query"].as_str().expect("name"))
        .collect();
    assert_eq!(
        asked,
        [
            "hierarchy",
            "meetings",
            "late",
            "eligibility",
            "member-db",
            "indicators",
            "retention",
            "unpublished",
            "programmes",
            "monitoring",
            "inbox",
            "association",
            "association-known-at",
            "trail"
        ]
    );
    // Novokuznetsk (000) sets 4 meetings, the 1 Oct member database and three years of
    // keeping, and no requirements for heads, no indicators, nothing to publish and no
    // individual programmes or monitoring (004 §8–§10): those answers are the rule's absence,
    // reported so and left out of the worst time.
    let with_rule: Vec<bool> = report["queries"]
        .as_array()
        .expect("queries")
        .iter()
        .map(|q| q["profile_has_rule"].as_bool().expect("flag"))
        .collect();
    assert_eq!(
        with_rule,
        [true, true, true, false, true, false, true, false, false, false, true, true, true, true]
    );
    assert!(
        table.contains("запрос indicators, p50 / p99") && table.contains("в профиле нет правила"),
        "{table}"
    );
}

/// The records of a CSV text as RFC 4180 reads it: fields quoted when they hold a comma, a
/// quote (doubled inside) or a line break.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => {
                    quoted = false;
                    assert!(
                        matches!(chars.peek(), None | Some(',') | Some('\n')),
                        "text after a closing quote: {text}"
                    );
                }
                _ => field.push(c),
            }
        } else {
            match c {
                '"' => {
                    assert!(field.is_empty(), "a quote inside a bare field: {text}");
                    quoted = true;
                }
                ',' => record.push(std::mem::take(&mut field)),
                '\n' => {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                _ => field.push(c),
            }
        }
    }
    assert!(!quoted, "an unclosed quote: {text}");
    assert!(
        field.is_empty() && record.is_empty(),
        "no line break at the end: {text}"
    );
    records
}

/// The records of a CSV answer, checked: a header naming a `clause` column, every record as
/// long as the header.
fn csv_answer(what: &str, text: &str) -> (Vec<Vec<String>>, usize) {
    let records = csv_records(text);
    let header = records
        .first()
        .unwrap_or_else(|| panic!("{what}: no header"));
    let clause = header
        .iter()
        .position(|h| h == "clause")
        .unwrap_or_else(|| panic!("{what}: no clause column: {text}"));
    for record in &records {
        assert_eq!(record.len(), header.len(), "{what}: {text}");
    }
    (records, clause)
}

fn json_answer(what: &str, output: Output) -> Value {
    let text = ok(output);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {text}"))
}

const QUESTIONS: [&str; 6] = [
    "hierarchy",
    "meetings",
    "late",
    "eligibility",
    "member-db",
    "indicators",
];

/// Every question and `compare`, as CSV and as JSON: the CSV parses with as many fields in
/// every record as in the header and a clause column; the JSON parses and names its rules
/// and each row's clause. Novosibirsk (003) sets no member-database date: that answer says so —
/// in the table, in JSON and in CSV — and exits 0.
async fn every_answer_parses_and_names_its_rule(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town(&db.url);
    let no_rule = "в профиле novosibirsk нет правила для этого вопроса";
    for name in QUESTIONS {
        let has_rule = name != "member-db";
        let ask = |format: &str| {
            query(
                &db.url,
                &[name, "--as-of", "2025-01-30", "--format", format],
            )
        };
        let (records, clause) = csv_answer(name, &ok(ask("csv")));
        let answer = json_answer(name, ask("json"));
        let table = ok(ask("table"));
        assert_eq!(answer["query"], name);
        assert_eq!(answer["profile_has_rule"], has_rule, "{name}");
        let rows = answer["rows"].as_array().expect("rows");
        if has_rule {
            assert!(answer.get("no_rule").is_none(), "{name}");
            let rules = answer["rules"].as_array().expect("rules");
            assert!(!rules.is_empty(), "{name}");
            for rule in rules {
                assert!(rule["clause"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("003 §")));
            }
            for row in rows {
                assert!(
                    row["clause"]
                        .as_str()
                        .is_some_and(|c| c.starts_with("003 §")),
                    "{name}: {row}"
                );
            }
            assert_eq!(records.len(), rows.len() + 1, "{name}");
            for record in &records[1..] {
                assert!(record[clause].starts_with("003 §"), "{name}: {record:?}");
            }
            assert!(
                table.contains("правила:") && table.contains("строк:"),
                "{table}"
            );
            assert!(!table.contains(no_rule), "{table}");
        } else {
            assert_eq!(answer["no_rule"], no_rule);
            assert!(rows.is_empty(), "{name}");
            assert_eq!(
                records,
                [
                    vec!["profile", "profile_has_rule", "clause", "note"],
                    vec!["novosibirsk", "нет", "", no_rule],
                ]
            );
            assert!(table.contains(no_rule), "{table}");
            // No empty list of rules, no empty table.
            assert!(
                !table.contains("правила:") && !table.contains("строк:"),
                "{table}"
            );
        }
    }
    // The tree's clauses hold a comma, so the cell is quoted.
    let tree = ok(query(
        &db.url,
        &["hierarchy", "--as-of", "2025-01-30", "--format", "csv"],
    ));
    assert!(tree.contains("\"003 §7.1; 003 §I.5, §I.4\""), "{tree}");
    let (tree, clause) = csv_answer("hierarchy", &tree);
    assert_eq!(tree[1][clause], "003 §7.1; 003 §I.5, §I.4");

    let compare = |format: &str| {
        metod_run(
            &db.url,
            Some(CLOCK),
            &["compare", "2023/24", "2024/25", "--format", format],
            "",
        )
    };
    let (records, clause) = csv_answer("compare", &ok(compare("csv")));
    assert!(records.len() > 1);
    for record in &records[1..] {
        assert!(record[clause].starts_with("003 §"), "{record:?}");
    }
    let side_by_side = json_answer("compare", compare("json"));
    assert_eq!(side_by_side["rules"][0]["clause"], "003 §7.6");
    let association = side_by_side["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["scope"] == "объединение")
        .expect("the association");
    assert_eq!(association["second_meetings"], "1 из 3");
    // 003 provides no district documents: only the city plan's clause joins the meetings'.
    assert_eq!(association["clause"], "003 §7.6; 003 §7.9, §7.8");
}

/// A district or subject that names nothing is refused by every question with one line and
/// exit 1 — not answered with no rows, which would read as "no violations"; one that names
/// something, by id or by title in any case, narrows the answer.
async fn unknown_district_or_subject_is_refused(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town(&db.url);
    for name in QUESTIONS {
        let district = query(
            &db.url,
            &[
                name,
                "--as-of",
                "2025-01-30",
                "--district",
                "Заречный район",
            ],
        );
        assert_eq!(district.status.code(), Some(1), "{name}");
        assert!(district.stdout.is_empty(), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&district.stderr),
            "unknown_district: район «Заречный район» не найден на 30.01.2025; есть: Ленинский район\n",
            "{name}"
        );
        let subject = query(
            &db.url,
            &[name, "--as-of", "2025-01-30", "--subject", "биология"],
        );
        assert_eq!(subject.status.code(), Some(1), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&subject.stderr),
            "unknown_subject: предмет «биология» не найден на 30.01.2025; есть: химия\n",
            "{name}"
        );
    }
    // Before the association was created there is no subject to name.
    let early = query(
        &db.url,
        &["hierarchy", "--as-of", "2025-01-16", "--subject", "химия"],
    );
    assert_eq!(
        String::from_utf8_lossy(&early.stderr),
        "unknown_subject: предмет «химия» не найден на 16.01.2025; объединений нет\n"
    );
    let district_id = id(2);
    for filter in [
        ["--district", "ЛЕНИНСКИЙ РАЙОН"],
        ["--district", district_id.as_str()],
        ["--subject", "Химия"],
    ] {
        let mut args = vec!["meetings", "--as-of", "2025-01-30", "--format", "json"];
        args.extend_from_slice(&filter);
        let answer = json_answer("meetings", query(&db.url, &args));
        assert_eq!(
            answer["rows"].as_array().expect("rows").len(),
            1,
            "{filter:?}"
        );
    }
    // `metod compare` takes the same filters: a district it does not know is refused as
    // above, the town's own keeps its association
    let compare = |filter: [&str; 2]| {
        metod_run(
            &db.url,
            Some(CLOCK),
            &[
                "compare", "2023/24", "2024/25", filter[0], filter[1], "--format", "json",
            ],
            "",
        )
    };
    let refused = compare(["--district", "Заречный район"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).starts_with("unknown_district: "));
    let kept = json_answer("compare", compare(["--district", "Ленинский район"]));
    let associations = kept["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["name"] == "объединений")
        .map(|r| r["second"].clone())
        .collect::<Vec<_>>();
    assert_eq!(associations, vec![Value::from(1)], "{kept}");
}

/// Without `--as-of` a question is asked about today, and today is the clock's (METOD_CLOCK):
/// on 22 Jan the head is not elected yet, on 1 Feb she is.
async fn a_question_without_as_of_answers_as_of_today(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town(&db.url);
    let today = |clock: &str| {
        json_answer(
            "hierarchy",
            metod_run(
                &db.url,
                Some(clock),
                &["query", "hierarchy", "--format", "json"],
                "",
            ),
        )
    };
    let before = today("2025-01-22T12:00:00Z");
    assert_eq!(before["as_of"], "2025-01-22");
    assert_eq!(before["rows"][0]["head"], Value::Null);
    let after = today(CLOCK);
    assert_eq!(after["as_of"], "2025-02-01");
    assert_eq!(after["rows"][0]["head"], "Кащенко Елена Юрьевна");
    let explicit = json_answer(
        "hierarchy",
        query(
            &db.url,
            &["hierarchy", "--as-of", "2025-02-01", "--format", "json"],
        ),
    );
    assert_eq!(after, explicit);
}

/// Under a profile that sets no minimum of meetings (Novosibirsk's, without its 3) the
/// meetings question answers with that absence, and `compare` shows the meetings held with
/// «норма не установлена», not «1 из 0».
async fn a_profile_without_a_meeting_minimum(backend: Backend) {
    let dir = tempfile::tempdir().expect("a directory");
    let profile = include_str!("../../profiles/novosibirsk.toml")
        .replace("name = \"novosibirsk\"", "name = \"free-meetings\"")
        .replace("min_per_school_year = 3\n", "");
    assert!(!profile.contains("min_per_school_year"));
    std::fs::write(dir.path().join("free-meetings.toml"), profile).expect("the profile");
    let profiles = dir.path().to_str().expect("path");
    let before = ["--profiles", profiles];
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town_of(&db.url, "free-meetings", &before);
    let run = |args: &[&str]| ok(run_with(&db.url, Some(CLOCK), &before, args, ""));
    let no_rule = "в профиле free-meetings нет правила для этого вопроса";

    let table = run(&["query", "meetings", "--as-of", "2025-01-30"]);
    assert!(table.contains(no_rule), "{table}");
    assert!(
        table.contains("число заседаний определяет план работы (003 §7.6)"),
        "{table}"
    );
    let (records, _) = csv_answer(
        "meetings",
        &run(&[
            "query",
            "meetings",
            "--as-of",
            "2025-01-30",
            "--format",
            "csv",
        ]),
    );
    assert_eq!(
        records,
        [
            vec!["profile", "profile_has_rule", "clause", "note"],
            vec!["free-meetings", "нет", "003 §7.6", no_rule],
        ]
    );

    let side_by_side: Value =
        serde_json::from_str(&run(&["compare", "2023/24", "2024/25", "--format", "json"]))
            .expect("JSON");
    let rows = side_by_side["rows"].as_array().expect("rows");
    let association = rows
        .iter()
        .find(|r| r["scope"] == "объединение")
        .expect("the association");
    assert_eq!(association["first_meetings"], Value::Null);
    assert_eq!(association["second_meetings"], "1 (норма не установлена)");
    let short = rows
        .iter()
        .find(|r| r["name"] == "объединений с недостаточным числом заседаний")
        .expect("the shortfall");
    assert_eq!(
        (&short["first"], &short["second"], &short["change"]),
        (&Value::Null, &Value::Null, &json!("норма не установлена"))
    );
    let table = run(&["compare", "2023/24", "2024/25"]);
    assert!(!table.contains(" из 0"), "{table}");
}

/// A profile with districts and an indicator (Novosibirsk's, with the diagnostics share of
/// 001 §4.1.2 added): one of Leninsky's two members passed diagnostics, none of Kirovsky's
/// two. `query indicators` gives each district and the whole municipality (1 of 4, 25%), and
/// `compare` takes the municipality's 25%, not one district's.
async fn indicators_of_a_municipality_with_districts(backend: Backend) {
    let dir = tempfile::tempdir().expect("a directory");
    let profile = include_str!("../../profiles/novosibirsk.toml")
        .replace("name = \"novosibirsk\"", "name = \"with-indicators\"")
        + "\n[[indicators]]\ncode = \"diagnostics_share\"\ntitle = \"Доля прошедших диагностику\"\n\
           measure = \"share\"\nclause = \"003 §IV\"\n";
    std::fs::write(dir.path().join("with-indicators.toml"), profile).expect("the profile");
    let profiles = dir.path().to_str().expect("path");
    let before = ["--profiles", profiles];
    let db = TestDatabase::new(backend).await;
    ok(metod_run(&db.url, Some(CLOCK), &["init"], ""));
    build_town_of(&db.url, "with-indicators", &before);
    let kirovsky_teacher = |n: u32, name: &str| {
        let mut t = teacher(n, name);
        t["organization"] = json!(id(5));
        t
    };
    record(
        &db.url,
        &before,
        "operator",
        json!([
            {"command": "add_district", "effective": "2025-01-15", "municipality": id(1), "district": id(3), "title": "Кировский район"},
            {"command": "register_organization", "effective": "2025-01-15", "municipality": id(1), "organization": id(5), "title": "Школа № 2", "kind": "school", "district": id(3)},
            kirovsky_teacher(14, "Орлова Ирина Игоревна"),
            kirovsky_teacher(15, "Белов Олег Михайлович"),
            {"command": "create_association", "effective": "2025-01-20", "association": id(9), "title": "РМО учителей химии Кировского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": id(3), "order": id(7)},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(9), "member": {"person": id(14)}, "basis": {"order": id(7)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(9), "member": {"person": id(15)}, "basis": {"order": id(7)}},
            {"command": "record_development", "effective": "2025-01-25", "association": id(8), "person": id(11), "school_year": "2024/25", "milestone": "diagnostics"}
        ]),
    );
    let run = |args: &[&str]| ok(run_with(&db.url, Some(CLOCK), &before, args, ""));
    let answer: Value = serde_json::from_str(&run(&[
        "query",
        "indicators",
        "--as-of",
        "2025-01-30",
        "--format",
        "json",
    ]))
    .expect("JSON");
    let summary: Vec<(Value, Value, Value)> = answer["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["scope"] != "объединение" && r["indicator"] == "diagnostics_share")
        .map(|r| {
            (
                r["name"].clone(),
                r["numerator"].clone(),
                r["value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (json!("Кировский район"), json!(0), json!(0.0)),
            (json!("Ленинский район"), json!(1), json!(50.0)),
            (json!("муниципалитет в целом"), json!(1), json!(25.0)),
        ]
    );
    // One district's answer has no municipality row.
    let leninsky: Value = serde_json::from_str(&run(&[
        "query",
        "indicators",
        "--as-of",
        "2025-01-30",
        "--district",
        "Ленинский район",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert!(leninsky["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .all(|r| r["scope"] != "муниципалитет"));

    let side_by_side: Value =
        serde_json::from_str(&run(&["compare", "2023/24", "2024/25", "--format", "json"]))
            .expect("JSON");
    let diagnostics = side_by_side["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["scope"] == "показатель" && r["name"] == "diagnostics_share")
        .expect("the indicator");
    assert_eq!(diagnostics["second"], json!(25.0));
    assert_eq!(diagnostics["clause"], "003 §IV");
    // An indicator the log cannot give (003 §6.1) has no figure in either year, and says so.
    let quality = side_by_side["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["scope"] == "показатель" && r["clause"] == "003 §6.1")
        .expect("003 §6.1");
    assert_eq!(
        (&quality["first"], &quality["second"], &quality["change"]),
        (
            &Value::Null,
            &Value::Null,
            &json!("не вычисляется по журналу")
        )
    );
}

/// `bench read-models --scales`: each scale's history is generated once under --data and kept;
/// a second run measures the same store again without generating, and the report carries
/// every figure at each scale.
async fn bench_at_scales_generates_each_history_once_and_keeps_it(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let dir = tempfile::tempdir().expect("dir");
    let data = match backend {
        Backend::Sqlite => dir.path().join("histories").display().to_string(),
        Backend::Postgres => {
            // A short name: each scale's database is named after it, and PostgreSQL keeps
            // 63 bytes of a name (the test database's own is too long; refused, as checked).
            let too_long = metod_run(
                &db.url,
                None,
                &[
                    "bench",
                    "read-models",
                    "--scales",
                    "small",
                    "--data",
                    &db.url,
                ],
                "",
            );
            assert!(
                String::from_utf8_lossy(&too_long.stderr).contains("длиннее 63 байт"),
                "{too_long:?}"
            );
            let name = format!("h{}", std::process::id());
            db.execute_raw(&format!("CREATE DATABASE {name}")).await;
            let (server, _) = db.url.rsplit_once('/').expect("a database in the URL");
            format!("{server}/{name}")
        }
    };
    let out = dir.path().join("scales.json");
    let run_bench = || {
        metod_run(
            &db.url,
            None,
            &[
                "bench",
                "read-models",
                "--scales",
                "small",
                "--data",
                &data,
                "--years",
                "1",
                "--seed",
                "3",
                "--samples",
                "2",
                "--replays",
                "1",
                "--rounds",
                "1",
                "--out",
                out.to_str().expect("path"),
            ],
            "",
        )
    };
    let bench = |what: &str| succeeded(run_bench(), what);
    let first = bench("the first run");
    assert!(first.1.contains("создаётся история"), "{}", first.1);
    assert!(
        first.0.contains("модели чтения по масштабам"),
        "{}",
        first.0
    );
    let report: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("JSON");
    let events = report["scales"][0]["figures"]["events"]
        .as_u64()
        .expect("events");
    assert!(events > 0);
    assert_eq!(report["scales"][0]["scale"], "small");
    let rows = report["rows"].as_array().expect("rows");
    let figure = |name: &str| {
        rows.iter()
            .find(|r| r["figure"] == name)
            .unwrap_or_else(|| panic!("{name} in {rows:?}"))["values"][0]
            .clone()
    };
    assert_eq!(figure("события").as_f64(), Some(events as f64));
    assert!(figure("hierarchy, p99").as_f64().expect("a time") > 0.0);
    assert!(figure("inbox, p99").as_f64().expect("a time") > 0.0);
    // The rebuild's parts are in the table: its indexes, and the projection without writing.
    assert!(figure("перестроение: индексы").as_f64().expect("a time") > 0.0);
    assert!(
        figure("проекция без записи: доля от только декодирования")
            .as_f64()
            .expect("a share")
            > 0.0
    );
    // The association's page is timed as known now and as known at a past moment.
    for page in ["association, p99", "association-known-at, p99"] {
        assert!(figure(page).as_f64().expect("a time") > 0.0, "{page}");
    }
    // The profile has no rule for programmes: no time is a figure of it.
    assert!(figure("programmes, p99").is_null());
    // The first answers after the rebuild are timed apart from the samples: the hierarchy's
    // in the table, each answer the profile has once in the JSON, with no question left out.
    assert!(
        figure("иерархия, первый ответ после перестроения")
            .as_f64()
            .expect("a time")
            > 0.0
    );
    let first: Vec<&str> = report["scales"][0]["figures"]["first_answers_after_rebuild"]
        .as_array()
        .expect("the first answers")
        .iter()
        .map(|a| a["answer"].as_str().expect("a name"))
        .collect();
    assert_eq!(first.first(), Some(&"hierarchy"));
    assert!(first.contains(&"retention") && first.contains(&"association"));
    assert!(!first.contains(&"programmes"), "{first:?}");
    let second = bench("the second run");
    assert!(second.1.contains("история уже создана"), "{}", second.1);
    let again: Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("JSON");
    assert_eq!(
        again["scales"][0]["figures"]["events"].as_u64(),
        Some(events)
    );
    // --scales without --data is refused by the grammar.
    let refused = metod_run(
        &db.url,
        None,
        &["bench", "read-models", "--scales", "small"],
        "",
    );
    assert_eq!(refused.status.code(), Some(2));
}

/// The standard output and error of a run that must succeed.
fn succeeded(output: Output, what: &str) -> (String, String) {
    let err = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{what}: {err}");
    (String::from_utf8(output.stdout).expect("UTF-8"), err)
}

store::on_every_backend!(
    queries_through_the_binary,
    bench_at_scales_generates_each_history_once_and_keeps_it,
    demo_through_the_binary,
    every_answer_parses_and_names_its_rule,
    unknown_district_or_subject_is_refused,
    a_question_without_as_of_answers_as_of_today,
    a_profile_without_a_meeting_minimum,
    indicators_of_a_municipality_with_districts
);
