//! A district association's work plan travels its whole chain through the command line —
//! district head → city head → department — with one return for rework and one missed
//! deadline; the inbox shows who holds it; the trail shows every step with a verifying hash
//! chain, and fails loudly when a stored event is altered. On SQLite and PostgreSQL; the
//! clock is fixed per run with METOD_CLOCK. The town's profile is Novosibirsk's as a
//! municipality would keep its own in a profile directory: it adds its district associations'
//! plan with a local chain (003 provides no district documents) and a review period of its
//! own for each step (`review_days = 10`, a local setting: 003 sets none).

mod support;

use std::process::Output;

use support::metod_run;

use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::Backend;

fn metod_at(db: &str, clock: &str, args: &[&str], stdin: &str) -> Output {
    let dir = local_profiles().path().to_str().expect("a UTF-8 path");
    let mut all = vec!["--profiles", dir];
    all.extend_from_slice(args);
    metod_run(db, Some(clock), &all, stdin)
}

/// A profile directory with Novosibirsk's profile, its district plan added with a local
/// chain, and every step of every document given 10 days to decide — the municipality's own
/// settings.
fn local_profiles() -> &'static tempfile::TempDir {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        support::novosibirsk_with_district_plan(|text| {
            text.replace("[[documents]]\n", "[[documents]]\nreview_days = 10\n")
        })
    })
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "metod failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Records commands as `actor` on day `clock`.
fn record(db: &str, clock: &str, actor: &str, commands: Value) -> String {
    ok(metod_at(
        db,
        clock,
        &["command", "--as", actor, "--file", "-", "--format", "json"],
        &commands.to_string(),
    ))
}

fn id(n: u32) -> String {
    format!("7e57c0de-0000-4000-8000-{n:012}")
}

fn person(n: u32) -> String {
    format!("person:{}", id(n))
}

const M: u32 = 1;
const D1: u32 = 2;
const D2: u32 = 3;
const SCHOOL1: u32 = 4;
const SCHOOL2: u32 = 5;
const DEPARTMENT: u32 = 6;
const ORDER: u32 = 7;
const DISTRICT1: u32 = 8;
const DISTRICT2: u32 = 9;
const CITY: u32 = 10;
const DH1: u32 = 11;
const DH2: u32 = 12;
const M1: u32 = 13;
const M2: u32 = 14;
const DEPUTY: u32 = 15;
const PLAN: u32 = 16;

fn teacher(n: u32, name: &str, school: u32, kind: &str) -> Value {
    json!({"command": "register_person", "effective": "2025-01-15", "person": id(n), "municipality": id(M),
        "organization": id(school), "position_kind": kind, "full_name": name, "birth_date": "1979-05-04",
        "position_title": "учитель химии", "category": {"level": "highest", "granted": "2019-03-01"},
        "specialty_since": "2004-09-01"})
}

/// A Novosibirsk town (003): two district associations of chemistry and the city one; heads
/// elected; a deputy chair of the department.
fn build_town(db: &str) {
    let clock = "2025-02-01";
    record(
        db,
        clock,
        "operator",
        json!([
            {"command": "register_municipality", "effective": "2025-01-15", "municipality": id(M), "title": "Город Новосибирск", "profile": "novosibirsk"},
            {"command": "add_district", "effective": "2025-01-15", "municipality": id(M), "district": id(D1), "title": "Ленинский район"},
            {"command": "add_district", "effective": "2025-01-15", "municipality": id(M), "district": id(D2), "title": "Кировский район"},
            {"command": "register_organization", "effective": "2025-01-15", "municipality": id(M), "organization": id(SCHOOL1), "title": "Гимназия № 1", "kind": "school", "district": id(D1)},
            {"command": "register_organization", "effective": "2025-01-15", "municipality": id(M), "organization": id(SCHOOL2), "title": "Лицей № 2", "kind": "school", "district": id(D2)},
            {"command": "establish_body", "effective": "2025-01-15", "municipality": id(M), "body": id(DEPARTMENT), "kind": "department", "title": "Департамент образования мэрии города Новосибирска"},
            teacher(DH1, "Кащенко Елена Юрьевна", SCHOOL1, "teacher"),
            teacher(DH2, "Тарасова Ирина Ивановна", SCHOOL2, "teacher"),
            teacher(M1, "Гусев Артём Романович", SCHOOL1, "teacher"),
            teacher(M2, "Полякова Вера Степановна", SCHOOL2, "teacher"),
            teacher(DEPUTY, "Давыдов Михаил Евгеньевич", SCHOOL1, "official"),
            {"command": "assign_official", "effective": "2025-01-15", "municipality": id(M), "body": id(DEPARTMENT), "person": id(DEPUTY), "office": "deputy_chief"},
            {"command": "issue_order", "effective": "2025-01-20", "order": id(ORDER), "municipality": id(M), "issuer": id(DEPARTMENT), "kind": "order", "number": "0615-од", "date": "2025-01-20", "title": "О перечне и составе профессиональных объединений"},
            {"command": "create_association", "effective": "2025-01-20", "association": id(DISTRICT1), "title": "РМО учителей химии Ленинского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": id(D1), "order": id(ORDER)},
            {"command": "create_association", "effective": "2025-01-20", "association": id(DISTRICT2), "title": "РМО учителей химии Кировского района", "subject": "химия", "level": "district", "kind": "methodical_association", "district": id(D2), "order": id(ORDER)},
            {"command": "create_association", "effective": "2025-01-20", "association": id(CITY), "title": "ГМО учителей химии", "subject": "химия", "level": "city", "kind": "methodical_association", "order": id(ORDER)},
            {"command": "link_district_association", "effective": "2025-01-20", "city_association": id(CITY), "district_association": id(DISTRICT1)},
            {"command": "link_district_association", "effective": "2025-01-20", "city_association": id(CITY), "district_association": id(DISTRICT2)},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(DISTRICT1), "member": {"person": id(DH1)}, "basis": {"order": id(ORDER)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(DISTRICT1), "member": {"person": id(M1)}, "basis": {"order": id(ORDER)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(DISTRICT2), "member": {"person": id(DH2)}, "basis": {"order": id(ORDER)}},
            {"command": "admit_member", "effective": "2025-01-21", "association": id(DISTRICT2), "member": {"person": id(M2)}, "basis": {"order": id(ORDER)}}
        ]),
    );
    // Each district elects its head at its first meeting (003 §7.4).
    for (district, head, member, meeting) in [(DISTRICT1, DH1, M1, 20), (DISTRICT2, DH2, M2, 21)] {
        record(
            db,
            clock,
            &person(member),
            json!([
                {"command": "hold_meeting", "effective": "2025-01-24", "meeting": id(meeting), "association": id(district),
                 "attendance": [id(head), id(member)], "questions": [{"question": "Выборы руководителя", "decision": "Избрать"}]},
                {"command": "elect_head", "effective": "2025-01-24", "association": id(district), "person": id(head), "school_year": "2024/25",
                 "vote": {"meeting": id(meeting), "present": [id(head), id(member)], "votes_for": 2, "against": 0, "abstained": 0}}
            ]),
        );
    }
    // The city association: the district heads (003 §7.1), who elect the city head.
    record(
        db,
        clock,
        "operator",
        json!([
            {"command": "admit_member", "effective": "2025-01-27", "association": id(CITY), "member": {"person": id(DH1)}, "basis": {"order": id(ORDER)}, "district_association": id(DISTRICT1)},
            {"command": "admit_member", "effective": "2025-01-27", "association": id(CITY), "member": {"person": id(DH2)}, "basis": {"order": id(ORDER)}, "district_association": id(DISTRICT2)}
        ]),
    );
    record(
        db,
        clock,
        &person(DH1),
        json!([
            {"command": "hold_meeting", "effective": "2025-01-28", "meeting": id(22), "association": id(CITY),
             "attendance": [id(DH1), id(DH2)], "questions": [{"question": "Выборы руководителя ГМО", "decision": "Избрать Тарасову И. И."}]},
            {"command": "elect_head", "effective": "2025-01-28", "association": id(CITY), "person": id(DH2), "school_year": "2024/25",
             "vote": {"meeting": id(22), "present": [id(DH1), id(DH2)], "votes_for": 2, "against": 0, "abstained": 0}}
        ]),
    );
}

fn step(document: &str, command: &str, step: u32, effective: &str, extra: Value) -> Value {
    let mut value =
        json!({"command": command, "effective": effective, "document": document, "step": step});
    if let (Some(map), Value::Object(extra)) = (value.as_object_mut(), extra) {
        map.extend(extra);
    }
    value
}

async fn district_plan_travels_the_default_chain_with_a_return_and_a_missed_deadline(
    backend: Backend,
) {
    let db = TestDatabase::new(backend).await;
    ok(metod_at(&db.url, "2025-01-15", &["init"], ""));
    build_town(&db.url);
    let plan = id(PLAN);

    // The district head writes the plan for 2025/26 and signs it off (step 1).
    record(
        &db.url,
        "2025-03-01",
        &person(DH1),
        json!([
            {"command": "open_document", "effective": "2025-03-01", "document": plan, "association": id(DISTRICT1),
             "document_type": "work_plan", "school_year": "2025/26", "title": "План работы РМО учителей химии на 2025/26"},
            {"command": "submit_document_version", "effective": "2025-03-01", "document": plan,
             "content_hash": "1111111111111111111111111111111111111111111111111111111111111111"}
        ]),
    );
    record(
        &db.url,
        "2025-03-02",
        &person(DH1),
        step(&plan, "approve_step", 1, "2025-03-02", json!({})),
    );
    // The city head may not take step 1 again, nor may the department jump ahead.
    let early = metod_at(
        &db.url,
        "2025-03-03",
        &["command", "--as", &person(DEPUTY), "--file", "-"],
        &step(&plan, "approve_step", 3, "2025-03-03", json!({})).to_string(),
    );
    assert!(
        String::from_utf8_lossy(&early.stderr).starts_with("step_not_current: "),
        "{early:?}"
    );
    // The city head returns it for rework (step 2); a return needs a comment.
    let silent = metod_at(
        &db.url,
        "2025-03-05",
        &["command", "--as", &person(DH2), "--file", "-"],
        &step(
            &plan,
            "return_document",
            2,
            "2025-03-05",
            json!({"comment": " "}),
        )
        .to_string(),
    );
    assert!(
        String::from_utf8_lossy(&silent.stderr).starts_with("decision_text_required: "),
        "{silent:?}"
    );
    record(
        &db.url,
        "2025-03-05",
        &person(DH2),
        step(
            &plan,
            "return_document",
            2,
            "2025-03-05",
            json!({"comment": "Добавить мероприятия к ВсОШ"}),
        ),
    );
    // The district head resubmits: version 2 resumes at step 2, the city head.
    record(
        &db.url,
        "2025-03-06",
        &person(DH1),
        json!({"command": "submit_document_version", "effective": "2025-03-06",
        "document": plan, "content_hash": "2222222222222222222222222222222222222222222222222222222222222222"}),
    );

    // Ten days later the city head has not decided: the timer records the missed period once.
    let run = ok(metod_at(&db.url, "2025-03-20", &["workflow", "run"], ""));
    assert!(run.contains("пропущенных сроков записано 1"), "{run}");
    let again = ok(metod_at(&db.url, "2025-03-20", &["workflow", "run"], ""));
    assert!(again.contains("пропущенных сроков записано 0"), "{again}");
    // The city head's inbox shows it, overdue.
    let inbox: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-20",
        &["inbox", "--as", &person(DH2), "--format", "json"],
        "",
    )))
    .expect("json inbox");
    assert_eq!(inbox[0]["document"], plan);
    assert_eq!(inbox[0]["reason"]["kind"], "decide");
    assert_eq!(inbox[0]["reason"]["step"], 2);
    assert_eq!(inbox[0]["due"], "2025-03-16");
    assert_eq!(inbox[0]["overdue_days"], 4);
    let author_inbox: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-20",
        &["inbox", "--as", &person(DH1), "--format", "json"],
        "",
    )))
    .expect("json inbox");
    assert_eq!(
        author_inbox,
        json!([]),
        "nothing waits for the author while the city head holds it"
    );

    // The city head approves; the deputy chair of the department approves the last step.
    record(
        &db.url,
        "2025-03-21",
        &person(DH2),
        step(
            &plan,
            "approve_step",
            2,
            "2025-03-21",
            json!({"comment": "Согласовано"}),
        ),
    );
    let wrong = metod_at(
        &db.url,
        "2025-03-25",
        &["command", "--as", &person(M1), "--file", "-"],
        &step(&plan, "approve_step", 3, "2025-03-25", json!({})).to_string(),
    );
    assert!(
        String::from_utf8_lossy(&wrong.stderr).starts_with("not_authorized: "),
        "{wrong:?}"
    );
    record(
        &db.url,
        "2025-03-25",
        &person(DEPUTY),
        step(&plan, "approve_step", 3, "2025-03-25", json!({})),
    );
    let twice = metod_at(&db.url, "2025-03-25", &["command", "--as", &person(DEPUTY), "--file", "-"],
        &json!({"command": "approve_step", "command_id": id(99), "effective": "2025-03-25", "document": plan, "step": 3}).to_string());
    assert!(
        String::from_utf8_lossy(&twice.stderr).starts_with("step_not_current: "),
        "{twice:?}"
    );
    let run = ok(metod_at(&db.url, "2025-03-26", &["workflow", "run"], ""));
    assert!(run.contains("реакций записано 1"), "{run}");

    // The trail: every version and step, who acted in which role, the comment, the hashes.
    let trail: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-26",
        &["trail", &plan, "--format", "json"],
        "",
    )))
    .expect("json trail");
    let types: Vec<&str> = trail["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["event_type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        [
            "DocumentOpened",
            "DocumentVersionSubmitted",
            "ApprovalChainAssigned",
            "StepApproved",
            "DocumentReturned",
            "DocumentVersionSubmitted",
            "DeadlineMissed",
            "StepApproved",
            "StepApproved",
            "DocumentApproved",
        ]
    );
    let entries = trail["entries"].as_array().expect("entries");
    assert_eq!(trail["status"], "утверждён");
    // The same trail as the system knew it on 5 Mar, and as it stood on 20 Mar.
    let trail_at = |args: &[&str]| -> Value {
        let mut all = vec!["trail", plan.as_str(), "--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&ok(metod_at(&db.url, "2025-03-26", &all, ""))).expect("json trail")
    };
    let types_of = |trail: &Value| -> Vec<String> {
        trail["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| e["event_type"].as_str().expect("type").to_string())
            .collect()
    };
    let known_then = trail_at(&["--known-at", "2025-03-05"]);
    assert_eq!(types_of(&known_then), types[..5].to_vec());
    assert_ne!(known_then["status"], "утверждён");
    let as_of = trail_at(&["--as-of", "2025-03-20"]);
    assert_eq!(types_of(&as_of), types[..7].to_vec());
    // The city head's inbox on 20 Mar, asked after the approval: the overdue step as it was.
    let inbox_then: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-26",
        &[
            "inbox",
            "--as",
            &person(DH2),
            "--as-of",
            "2025-03-20",
            "--format",
            "json",
        ],
        "",
    )))
    .expect("json inbox");
    assert_eq!(inbox_then[0]["document"], plan);
    assert_eq!(inbox_then[0]["overdue_days"], 4);
    let inbox_now: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-26",
        &["inbox", "--as", &person(DH2), "--format", "json"],
        "",
    )))
    .expect("json inbox");
    assert_eq!(inbox_now, json!([]), "approved: nothing waits any more");
    assert_eq!(trail["chain_verifies"], true);
    assert_eq!(trail["chain"].as_array().expect("chain").len(), 3);
    assert_eq!(entries[3]["role"], "association_head");
    assert_eq!(entries[4]["role"], "city_head");
    // Names come from the vault: the log itself holds only ciphertext.
    assert_eq!(entries[4]["actor_name"], "Тарасова Ирина Ивановна");
    assert_eq!(entries[4]["comment"], "Добавить мероприятия к ВсОШ");
    assert_eq!(entries[5]["document_version"], 2);
    assert_eq!(
        entries[5]["content_hash"],
        "2222222222222222222222222222222222222222222222222222222222222222"
    );
    // The missed deadline names who held the document then, by name from the vault.
    assert_eq!(entries[6]["actor"], "workflow");
    let missed = entries[6]["what"].as_str().expect("what");
    assert!(
        missed.contains("руководитель городского объединения")
            && missed.contains("Тарасова Ирина Ивановна"),
        "{missed}"
    );
    assert_eq!(
        entries[6]["holder"]["persons"],
        json!([{"person": id(DH2), "name": "Тарасова Ирина Ивановна"}])
    );
    assert_eq!(entries[6]["document_version"], 2);
    assert_eq!(entries[6]["step"], 2);
    // Every decision names the version it decided.
    for (entry, version) in [(3, 1), (4, 1), (7, 2), (8, 2), (9, 2)] {
        assert_eq!(
            entries[entry]["document_version"], version,
            "{}",
            entries[entry]
        );
    }
    assert_eq!(entries[7]["step"], 2);
    assert_eq!(entries[8]["actor"], person(DEPUTY));
    assert_eq!(entries[8]["role"], "official:department");
    assert_eq!(entries[9]["actor"], "workflow");
    for pair in entries.windows(2) {
        assert!(pair[0]["position"].as_u64() < pair[1]["position"].as_u64());
    }
    let table = ok(metod_at(&db.url, "2025-03-26", &["trail", &plan], ""));
    assert!(
        table.contains("возвращён на доработку на шаге 2")
            && table.contains("цепочка хешей проверена"),
        "{table}"
    );
    // The table shows the version of every decision, and the holder of the missed period.
    for (row, version) in [
        ("шаг 1 согласован", "1"),
        ("возвращён на доработку на шаге 2", "1"),
        ("пропущен срок рассмотрения на шаге 2", "2"),
        ("шаг 2 согласован", "2"),
        ("шаг 3 согласован", "2"),
        ("утверждён (версия 2)", "2"),
    ] {
        assert_eq!(column(&table, row, "версия"), version, "{row}:\n{table}");
    }
    assert!(
        table.contains(
            "документ был у: руководитель городского объединения [местный шаг муниципалитета, не по положению] — Тарасова Ирина Ивановна"
        ),
        "{table}"
    );
    // The period is the municipality's, and the trail says so: no clause of 003 sets it.
    assert!(
        missed.contains("срок, установленный муниципалитетом (10 дн. на шаг согласования"),
        "{missed}"
    );
    assert!(!missed.contains("003 §"), "{missed}");

    // Altering one stored byte of the document's history breaks the proof, loudly.
    let position = entries[4]["position"].as_u64().expect("position");
    db.execute_raw(&format!(
        "UPDATE events SET payload = REPLACE(payload, 'ВсОШ', 'ВСОШ') WHERE position = {position}"
    ))
    .await;
    let tampered = metod_at(&db.url, "2025-03-26", &["trail", &plan], "");
    assert_eq!(tampered.status.code(), Some(3), "{tampered:?}");
    assert!(String::from_utf8_lossy(&tampered.stderr).starts_with("integrity_broken: "));
}

/// The cell of `header`'s column in the first row of a `metod` table containing `row`.
fn column(table: &str, row: &str, header: &str) -> String {
    let mut lines = table.lines().skip_while(|l| !l.starts_with("позиция"));
    let head = lines.next().expect("the table's header");
    let start = head
        .find(header)
        .map(|byte| head[..byte].chars().count())
        .expect("the column");
    let line = lines
        .find(|l| l.contains(row))
        .unwrap_or_else(|| panic!("no row «{row}»"));
    line.chars().skip(start).take_while(|c| *c != ' ').collect()
}

/// A reaction the rules refuse — the operator approved the document by hand before the
/// workflow did — is recorded in the log once (`ReactionRefused` on `workflow-refusals`),
/// counted and named by the run that records it, not again by the next, and shown in the
/// document's trail.
async fn refused_reaction_is_recorded_once_and_shown_in_the_trail(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    ok(metod_at(&db.url, "2025-01-15", &["init"], ""));
    build_town(&db.url);
    let plan = id(PLAN);
    record(
        &db.url,
        "2025-03-01",
        &person(DH1),
        json!([
            {"command": "open_document", "effective": "2025-03-01", "document": plan, "association": id(DISTRICT1),
             "document_type": "work_plan", "school_year": "2025/26", "title": "План работы РМО учителей химии на 2025/26"},
            {"command": "submit_document_version", "effective": "2025-03-01", "document": plan,
             "content_hash": "1111111111111111111111111111111111111111111111111111111111111111"},
            step(&plan, "approve_step", 1, "2025-03-01", json!({}))
        ]),
    );
    record(
        &db.url,
        "2025-03-03",
        &person(DH2),
        step(&plan, "approve_step", 2, "2025-03-03", json!({})),
    );
    record(
        &db.url,
        "2025-03-04",
        &person(DEPUTY),
        step(&plan, "approve_step", 3, "2025-03-04", json!({})),
    );
    // The operator records the approval the workflow was to record.
    record(
        &db.url,
        "2025-03-04",
        "operator",
        json!({"command": "finalize_document", "effective": "2025-03-04", "document": plan}),
    );

    let run = metod_at(&db.url, "2025-03-05", &["workflow", "run"], "");
    let stdout = ok(run.clone());
    assert!(
        stdout.contains("реакций записано 0") && stdout.contains("отказов правил записано 1"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("реакция на событие")
            && stderr.contains("(StepApproved)")
            && stderr.contains("finalize_document")
            && stderr.contains("document_state"),
        "{stderr}"
    );
    let again = metod_at(&db.url, "2025-03-05", &["workflow", "run"], "");
    assert!(
        ok(again.clone()).contains("отказов правил записано 0"),
        "{again:?}"
    );
    assert!(again.stderr.is_empty(), "{again:?}");
    // A runner that died before its checkpoint reads the log again: still one record.
    db.execute_raw("UPDATE checkpoints SET position = 0 WHERE name = 'process-managers'")
        .await;
    let rerun = ok(metod_at(&db.url, "2025-03-05", &["workflow", "run"], ""));
    assert!(rerun.contains("отказов правил записано 0"), "{rerun}");
    let refusals: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-05",
        &[
            "events",
            "--stream",
            "workflow-refusals",
            "--format",
            "json",
        ],
        "",
    )))
    .expect("json events");
    let refusals = refusals.as_array().expect("events");
    assert_eq!(refusals.len(), 1, "{refusals:?}");
    assert_eq!(refusals[0]["event_type"], "ReactionRefused");

    // The trail of the document shows it after the approval, as the workflow's.
    let trail: Value = serde_json::from_str(&ok(metod_at(
        &db.url,
        "2025-03-05",
        &["trail", &plan, "--format", "json"],
        "",
    )))
    .expect("json trail");
    let entries = trail["entries"].as_array().expect("entries");
    let last = entries.last().expect("entries");
    assert_eq!(last["event_type"], "ReactionRefused");
    assert_eq!(last["actor"], "workflow");
    assert_eq!(last["role"], "operator");
    assert!(
        last["comment"]
            .as_str()
            .is_some_and(|c| c.starts_with("document_state: ")),
        "{last}"
    );
    assert_eq!(entries[entries.len() - 2]["event_type"], "DocumentApproved");
    assert_eq!(entries[entries.len() - 2]["actor"], "operator");
    let table = ok(metod_at(&db.url, "2025-03-05", &["trail", &plan], ""));
    assert!(
        table.contains("отклонена правилами команда workflow finalize_document"),
        "{table}"
    );
}

store::on_every_backend!(
    district_plan_travels_the_default_chain_with_a_return_and_a_missed_deadline,
    refused_reaction_is_recorded_once_and_shown_in_the_trail,
);
