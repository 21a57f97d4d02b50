//! `metod account` as the operator runs it, on SQLite and PostgreSQL: a one-time password is
//! printed alone and logs in; a password read from stdin is never printed; refusals are one
//! line, exit non-zero and write nothing; the list shows no secret; tokens are printed once
//! and revoked; the events record who could act when, with no secret in the log.

mod support;

use std::process::Output;

use app::{App, Config};
use serde_json::{json, Value};
use store::testing::TestDatabase;
use store::Backend;
use support::metod_run;

const CLOCK: &str = "2025-05-15T09:00:00Z";
const PERSON: &str = "7e57c0de-0000-4000-8000-000000000011";
const OPERATOR_PASSWORD: &str = "пароль-оператора-2025";

fn id(n: u32) -> String {
    format!("7e57c0de-0000-4000-8000-{n:012}")
}

fn metod(db: &str, args: &[&str], stdin: &str) -> Output {
    metod_run(db, Some(CLOCK), args, stdin)
}

/// stdout and stderr of a run that succeeded.
fn ok(output: Output) -> (String, String) {
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    assert!(output.status.success(), "metod failed: {stderr}");
    (String::from_utf8(output.stdout).expect("UTF-8"), stderr)
}

fn refusal(output: Output, code: &str, exit: i32) {
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert_eq!(output.status.code(), Some(exit), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with(&format!("{code}: ")),
        "{code}: {stderr:?}"
    );
    assert!(
        output.stdout.is_empty(),
        "a refusal prints nothing on stdout"
    );
}

fn events(db: &str) -> String {
    ok(metod(
        db,
        &["events", "--limit", "100000", "--format", "json"],
        "",
    ))
    .0
}

fn town(db: &str) {
    ok(metod(db, &["init"], ""));
    let registry = json!([
        {"command": "register_municipality", "effective": "2025-01-15", "municipality": id(1), "title": "Город Новосибирск", "profile": "novosibirsk"},
        {"command": "add_district", "effective": "2025-01-15", "municipality": id(1), "district": id(2), "title": "Ленинский район"},
        {"command": "register_organization", "effective": "2025-01-15", "municipality": id(1), "organization": id(4), "title": "Гимназия № 1", "kind": "school", "district": id(2)},
        {"command": "register_person", "effective": "2025-01-15", "person": PERSON, "municipality": id(1),
         "organization": id(4), "position_kind": "teacher", "full_name": "Кащенко Елена Юрьевна", "birth_date": "1979-05-04",
         "position_title": "учитель химии", "category": {"level": "highest", "granted": "2019-03-01"},
         "specialty_since": "2004-09-01"}
    ]);
    ok(metod(
        db,
        &[
            "command", "--as", "operator", "--file", "-", "--format", "json",
        ],
        &registry.to_string(),
    ));
}

async fn accounts_through_the_binary(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let url = db.url.as_str();
    town(url);

    // A one-time password alone on stdout; what was done on stderr.
    let (stdout, stderr) = ok(metod(
        url,
        &["account", "add", "--login", "elena", "--person", PERSON],
        "",
    ));
    let one_time = stdout.trim_end().to_string();
    assert_eq!(stdout.lines().count(), 1, "{stdout:?}");
    assert_eq!(one_time.chars().count(), 23, "{one_time}");
    assert!(stderr.starts_with("ok: учётная запись «elena» (person) открыта"));
    // A password from stdin is never printed.
    let (stdout, _) = ok(metod(
        url,
        &[
            "account",
            "add",
            "--login",
            "Op",
            "--operator",
            "--password-stdin",
        ],
        &format!("{OPERATOR_PASSWORD}\n"),
    ));
    assert!(stdout.is_empty(), "{stdout:?}");

    let before = events(url);
    for (args, stdin, code, exit) in [
        (
            vec!["account", "add", "--login", "x", "--operator", "--auditor"],
            "",
            "invalid_argument",
            2,
        ),
        (
            vec!["account", "add", "--login", "x"],
            "",
            "invalid_argument",
            2,
        ),
        (
            vec!["account", "add", "--login", "ELENA", "--auditor"],
            "",
            "account_exists",
            1,
        ),
        (
            vec!["account", "add", "--login", "g", "--person", &id(99)],
            "",
            "person_not_in_registry",
            1,
        ),
        (
            vec![
                "account",
                "add",
                "--login",
                "a",
                "--auditor",
                "--password-stdin",
            ],
            "коротко\n",
            "password_too_short",
            1,
        ),
        (
            vec!["account", "disable", "--login", "nobody"],
            "",
            "account_unknown",
            1,
        ),
        (
            vec![
                "account", "token", "revoke", "--login", "Op", "--name", "ci",
            ],
            "",
            "access_token_unknown",
            1,
        ),
    ] {
        refusal(metod(url, &args, stdin), code, exit);
    }
    assert_eq!(events(url), before, "a refusal writes nothing");

    // The printed passwords log in.
    let app = App::new(Config {
        db: url.to_string(),
        profiles: None,
        clock: Some(CLOCK.into()),
    });
    let session = app
        .login("elena", &one_time, "127.0.0.1")
        .await
        .expect("the one-time password logs in");
    assert_eq!(
        session.principal.person.map(|p| p.to_string()),
        Some(PERSON.into())
    );
    app.login("op", OPERATOR_PASSWORD, "127.0.0.1")
        .await
        .expect("the password from stdin logs in");

    ok(metod(url, &["account", "disable", "--login", "elena"], ""));
    refusal(
        metod(url, &["account", "disable", "--login", "Elena"], ""),
        "account_already_disabled",
        1,
    );
    let listed: Value =
        serde_json::from_str(&ok(metod(url, &["account", "list", "--format", "json"], "")).0)
            .expect("JSON");
    let rows: Vec<(&str, &str, bool)> = listed
        .as_array()
        .expect("an array")
        .iter()
        .map(|a| {
            (
                a["login"].as_str().expect("login"),
                a["kind"].as_str().expect("kind"),
                a["disabled"].as_bool().expect("disabled"),
            )
        })
        .collect();
    assert_eq!(rows, [("elena", "person", true), ("Op", "operator", false)]);
    assert_eq!(listed[0]["person"], PERSON);
    let (table, _) = ok(metod(url, &["account", "list"], ""));
    assert!(table.starts_with("логин"), "{table}");
    assert!(table.contains("отключена 2025-05-15 09:00"), "{table}");
    ok(metod(url, &["account", "enable", "--login", "elena"], ""));
    let (reset, _) = ok(metod(
        url,
        &["account", "reset-password", "--login", "elena"],
        "",
    ));
    let reset = reset.trim_end().to_string();
    assert_ne!(reset, one_time);
    app.login("elena", &reset, "127.0.0.1")
        .await
        .expect("the new one-time password logs in");

    let (token, stderr) = ok(metod(
        url,
        &["account", "token", "new", "--login", "Op", "--name", "ci"],
        "",
    ));
    let token = token.trim_end().to_string();
    assert!(token.starts_with("metod_pat_"), "{token}");
    assert!(stderr.contains("показан один раз"), "{stderr}");
    assert_eq!(
        app.principal_of_access_token(&token)
            .await
            .expect("the token acts")
            .login,
        "Op"
    );
    ok(metod(
        url,
        &[
            "account", "token", "revoke", "--login", "Op", "--name", "ci",
        ],
        "",
    ));
    assert_eq!(
        app.principal_of_access_token(&token)
            .await
            .expect_err("revoked")
            .code(),
        "access_token_unknown"
    );

    // The events say who could act when; no secret is in the log.
    let log = events(url);
    let listed: Value = serde_json::from_str(&log).expect("JSON");
    let kinds: Vec<&str> = listed
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| e["event_type"].as_str().expect("a type"))
        .filter(|t| t.starts_with("Account"))
        .collect();
    assert_eq!(
        kinds,
        [
            "AccountOpened",
            "AccountOpened",
            "AccountDisabled",
            "AccountEnabled",
            "AccountPasswordReset"
        ]
    );
    for secret in [
        one_time.as_str(),
        &reset,
        OPERATOR_PASSWORD,
        &token,
        "argon2",
    ] {
        assert!(!log.contains(secret), "{secret} is in the log");
    }
    ok(metod(url, &["verify"], ""));
}

store::on_every_backend!(accounts_through_the_binary);

#[test]
fn the_help_names_every_account_command() {
    let output = metod_run("sqlite://unused.db", None, &["account", "--help"], "");
    let (help, _) = ok(output);
    for command in [
        "add",
        "disable",
        "enable",
        "reset-password",
        "list",
        "token",
    ] {
        assert!(help.contains(command), "{command}: {help}");
    }
}
