//! `metod command` and `metod profile` as users run them: commands as JSON through the real
//! rules on a real SQLite file and PostgreSQL database; refusals are one line, exit non-zero
//! and write nothing; profiles print every rule with its clause.

mod support;

use std::process::{Command, Output};

use support::metod_run;

use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::Backend;

fn metod(db: &str, args: &[&str]) -> Output {
    metod_with_stdin(db, args, "")
}

fn metod_with_stdin(db: &str, args: &[&str], stdin: &str) -> Output {
    metod_run(db, None, args, stdin)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout")
}

fn failure(output: &Output, code: &str) -> String {
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr");
    assert!(
        !output.status.success(),
        "expected {code}, got success: {}",
        stdout(output)
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("{code}: ")),
        "expected {code}: …, got {stderr:?}"
    );
    stderr
}

fn event_count(db: &str) -> usize {
    let out = metod(db, &["events", "--limit", "100000", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_str::<Value>(&stdout(&out))
        .expect("json")
        .as_array()
        .expect("array")
        .len()
}

const TOWN: &str = "5b0f1c9e-3d2a-4e7b-9c1d-0a2b3c4d5e6f";
const DEPARTMENT: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000001";
const ORDER: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000002";
const ASSOCIATION: &str = "5b0f1c9e-3d2a-4e7b-9c1d-000000000003";

fn setup_commands() -> Value {
    json!([
        {"command": "register_municipality", "effective": "2024-08-01", "municipality": TOWN,
         "title": "Город Кузнецк", "profile": "kuznetsk"},
        {"command": "establish_body", "effective": "2024-08-01", "municipality": TOWN, "body": DEPARTMENT,
         "kind": "department", "title": "Управление образования города Кузнецка"},
        {"command": "issue_order", "effective": "2024-09-09", "order": ORDER, "municipality": TOWN,
         "issuer": DEPARTMENT, "kind": "order", "number": "157", "date": "2024-09-09",
         "title": "Об утверждении Положения о ММО", "decides": ["Создать ММО учителей истории"]},
        {"command": "create_association", "effective": "2024-09-09", "association": ASSOCIATION,
         "title": "ММО учителей истории", "subject": "история", "level": "city",
         "kind": "methodical_association", "order": ORDER}
    ])
}

async fn command_records_json_commands_through_the_rules(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    assert!(metod(&db.url, &["init"]).status.success());
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("setup.json");
    std::fs::write(&file, setup_commands().to_string()).expect("write");
    let out = metod(
        &db.url,
        &[
            "command",
            "--as",
            "operator",
            "--file",
            file.to_str().expect("path"),
            "--format",
            "json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let events: Value = serde_json::from_str(&stdout(&out)).expect("json events");
    let types: Vec<&str> = events
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["event_type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        [
            "MunicipalityRegistered",
            "BodyEstablished",
            "OrderIssued",
            "AssociationCreated"
        ]
    );
    let created = &events[3];
    assert_eq!(created["basis"]["number"], "157");
    assert_eq!(created["effective"], "2024-09-09");
    assert_eq!(created["actor"]["id"], "operator");
    assert_eq!(event_count(&db.url), 4);

    // A level the regulation does not have: refused with the clause, nothing written.
    let district = json!({"command": "create_association", "effective": "2024-09-09",
        "association": "5b0f1c9e-3d2a-4e7b-9c1d-000000000009", "title": "Районное МО", "subject": "история",
        "level": "district", "kind": "methodical_association", "order": ORDER});
    let refused = metod_with_stdin(
        &db.url,
        &["command", "--as", "operator", "--file", "-"],
        &district.to_string(),
    );
    let line = failure(&refused, "level_not_provided");
    assert!(line.contains("(001 §1.1, §1.3)"), "{line}");
    assert_eq!(event_count(&db.url), 4);

    // Unknown ids, a person who holds no office, malformed JSON and dates, a bad actor.
    let unknown =
        json!({"command": "sign_protocol", "meeting": "5b0f1c9e-3d2a-4e7b-9c1d-00000000000f"});
    failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", "operator", "--file", "-"],
            &unknown.to_string(),
        ),
        "not_found",
    );
    let person = "person:5b0f1c9e-3d2a-4e7b-9c1d-0000000000aa";
    let add = json!({"command": "add_district", "municipality": TOWN, "district": "5b0f1c9e-3d2a-4e7b-9c1d-0000000000bb", "title": "Район"});
    failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", person, "--file", "-"],
            &add.to_string(),
        ),
        "not_authorized",
    );
    failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", "operator", "--file", "-"],
            "{\"command\": ",
        ),
        "invalid_command_json",
    );
    let bad_date = json!({"command": "add_district", "effective": "31.12.2024", "municipality": TOWN, "district": "5b0f1c9e-3d2a-4e7b-9c1d-0000000000bb", "title": "Район"});
    failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", "operator", "--file", "-"],
            &bad_date.to_string(),
        ),
        "invalid_command_json",
    );
    failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", "somebody", "--file", "-"],
            &add.to_string(),
        ),
        "invalid_actor",
    );
    failure(
        &metod(
            &db.url,
            &[
                "command",
                "--as",
                "operator",
                "--file",
                "/no/such/file.json",
            ],
        ),
        "io_error",
    );
    assert_eq!(event_count(&db.url), 4);

    // In an array, the run stops at the first refusal and says what was recorded before it.
    let batch = json!([add, district]);
    let line = failure(
        &metod_with_stdin(
            &db.url,
            &["command", "--as", "operator", "--file", "-"],
            &batch.to_string(),
        ),
        "level_not_provided",
    );
    assert!(
        line.contains("команда №2") && line.contains("записано команд до неё: 1"),
        "{line}"
    );
    assert_eq!(event_count(&db.url), 5);

    // The same command id twice records once.
    let with_id = json!({"command": "add_district", "command_id": "5b0f1c9e-3d2a-4e7b-9c1d-0000000000cc", "municipality": TOWN,
        "district": "5b0f1c9e-3d2a-4e7b-9c1d-0000000000dd", "title": "Заречный район"});
    for _ in 0..2 {
        let out = metod_with_stdin(
            &db.url,
            &["command", "--as", "operator", "--file", "-"],
            &with_id.to_string(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout(&out).contains("DistrictAdded"));
    }
    assert_eq!(event_count(&db.url), 6);
    assert!(metod(&db.url, &["verify"]).status.success());
}

store::on_every_backend!(command_records_json_commands_through_the_rules);

fn profile(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_metod"))
        .env_remove("METOD_PROFILES")
        .args(args)
        .output()
        .expect("metod runs")
}

#[test]
fn profile_list_and_show_print_every_rule_with_its_clause() {
    let list = profile(&["profile", "list"]);
    assert!(list.status.success());
    for name in [
        "novokuznetsk",
        "kuznetsk",
        "izhevsk",
        "novosibirsk",
        "pervouralsk",
    ] {
        assert!(stdout(&list).contains(name), "{name}");
    }
    let show = profile(&["profile", "show", "novosibirsk"]);
    assert!(show.status.success());
    let text = stdout(&show);
    assert!(
        text.contains("003 §7.3") && text.contains("высшая"),
        "{text}"
    );
    assert!(
        text.contains("003 §7.6") && text.contains("не менее 3 заседаний"),
        "{text}"
    );
    let json_out = profile(&["profile", "show", "novokuznetsk", "--format", "json"]);
    let value: Value = serde_json::from_slice(&json_out.stdout).expect("json");
    let rules = value["rules"].as_array().expect("rules");
    assert!(rules
        .iter()
        .all(|r| r["clause"].as_str().is_some_and(|c| c.starts_with("000 §"))));
    assert!(rules
        .iter()
        .any(|r| r["clause"] == "000 §10.5"
            && r["rule"].as_str().is_some_and(|t| t.contains("5 мая"))));
    let unknown = profile(&["profile", "show", "atlantis"]);
    failure(&unknown, "profile_not_found");
}

#[test]
fn a_sixth_profile_is_one_file_in_the_profiles_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let kuznetsk = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../profiles/kuznetsk.toml"
    ))
    .expect("read");
    let zarechny = kuznetsk
        .replace("name = \"kuznetsk\"", "name = \"zarechny\"")
        .replace(
            "title = \"Город Кузнецк\"",
            "title = \"Городской округ Заречный\"",
        );
    std::fs::write(dir.path().join("zarechny.toml"), zarechny).expect("write");
    let dir_arg = dir.path().to_str().expect("path");
    let show = profile(&["--profiles", dir_arg, "profile", "show", "zarechny"]);
    assert!(
        show.status.success(),
        "{}",
        String::from_utf8_lossy(&show.stderr)
    );
    assert!(stdout(&show).contains("Городской округ Заречный"));
    std::fs::write(
        dir.path().join("broken.toml"),
        "name = \"broken\"\n[structure\n",
    )
    .expect("write");
    failure(
        &profile(&["--profiles", dir_arg, "profile", "list"]),
        "invalid_profile",
    );
}
