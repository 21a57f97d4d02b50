//! Accounts, logins, sessions, access tokens and the access journal through the `App`, on both
//! backends, with a clock the tests move: opening, disabling, enabling and resetting are
//! events with no secret in the log; a wrong login and a wrong password are one answer;
//! throttling after five failures and its release; idle and absolute expiry; logout and
//! rotation; tokens created, used, revoked; a disabled account refused everywhere.

use std::sync::Arc;

use app::{AccountKind, App, AppError, Config};
use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::ids::PersonId;
use domain::Acting;
use store::testing::TestDatabase;
use store::{Backend, FixedClock, StreamId};

const PERSON: &str = "7e57c0de-0000-4000-8000-000000000011";
const PASSWORD: &str = "правильный-пароль-42";

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 15, 12, 0, 0)
        .single()
        .expect("a time")
}

fn person() -> PersonId {
    PersonId::parse(PERSON).expect("a person id")
}

/// A store with one registered person, and the clock its `App` reads.
async fn town(db: &TestDatabase) -> (App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::new(noon()));
    let app = App::with_clock(
        Config {
            db: db.url.clone(),
            profiles: None,
            clock: None,
        },
        clock.clone(),
    );
    app.init().await.expect("init");
    let id = |n: u32| format!("7e57c0de-0000-4000-8000-{n:012}");
    let registry = format!(
        r#"[
        {{"command": "register_municipality", "effective": "2025-01-15", "municipality": "{m}", "title": "Город Новосибирск", "profile": "novosibirsk"}},
        {{"command": "add_district", "effective": "2025-01-15", "municipality": "{m}", "district": "{d}", "title": "Ленинский район"}},
        {{"command": "register_organization", "effective": "2025-01-15", "municipality": "{m}", "organization": "{o}", "title": "Гимназия № 1", "kind": "school", "district": "{d}"}},
        {{"command": "register_person", "effective": "2025-01-15", "person": "{PERSON}", "municipality": "{m}",
          "organization": "{o}", "position_kind": "teacher", "full_name": "Кащенко Елена Юрьевна", "birth_date": "1979-05-04",
          "position_title": "учитель химии", "category": {{"level": "highest", "granted": "2019-03-01"}},
          "specialty_since": "2004-09-01"}}
        ]"#,
        m = id(1),
        d = id(2),
        o = id(4),
    );
    let recorded = app
        .record(Acting::Operator, &registry)
        .await
        .expect("recorded");
    assert!(recorded.stopped.is_none(), "{:?}", recorded.stopped);
    (app, clock)
}

async fn log_size(app: &App) -> u64 {
    let store = app.store().await.expect("store");
    store.last_position().await.expect("size")
}

fn code<T: std::fmt::Debug>(result: Result<T, AppError>) -> &'static str {
    result.expect_err("refused").code()
}

/// Every payload of the log, as stored.
async fn payloads(app: &App) -> String {
    let store = app.store().await.expect("store");
    let events = store.read_all(1, usize::MAX).await.expect("the log reads");
    events
        .iter()
        .map(|e| format!("{} {}\n", e.event_type, e.payload))
        .collect()
}

async fn accounts_are_opened_disabled_enabled_and_reset_as_events_without_secrets(
    backend: Backend,
) {
    let db = TestDatabase::new(backend).await;
    let (app, _clock) = town(&db).await;
    let (elena, generated) = app
        .add_account(
            "Elena.K",
            AccountKind::Person,
            Some(person()),
            Some(PASSWORD.into()),
        )
        .await
        .expect("opened");
    assert_eq!(generated, None);
    assert_eq!(
        (elena.login.as_str(), elena.kind, elena.person),
        ("Elena.K", AccountKind::Person, Some(person()))
    );
    let (_, one_time) = app
        .add_account("operator", AccountKind::Operator, None, None)
        .await
        .expect("opened");
    let one_time = one_time.expect("a one-time password");
    assert!(one_time.chars().count() >= 12);
    app.login("operator", &one_time, "127.0.0.1")
        .await
        .expect("the one-time password logs in");

    // Refusals write nothing.
    let before = log_size(&app).await;
    let refusals = [
        (
            app.add_account("elena.k", AccountKind::Auditor, None, None)
                .await,
            "account_exists",
        ),
        (
            app.add_account(
                "ghost",
                AccountKind::Person,
                Some(PersonId::parse("7e57c0de-0000-4000-8000-000000000099").expect("an id")),
                None,
            )
            .await,
            "person_not_in_registry",
        ),
        (
            app.add_account("short", AccountKind::Auditor, None, Some("коротко".into()))
                .await,
            "password_too_short",
        ),
        (
            app.add_account("nobody", AccountKind::Person, None, None)
                .await,
            "account_person_mismatch",
        ),
        (
            app.add_account("with space", AccountKind::Auditor, None, None)
                .await,
            "invalid_login",
        ),
    ];
    for (result, expected) in refusals {
        assert_eq!(result.map(|_| ()).expect_err(expected).code(), expected);
    }
    assert_eq!(code(app.disable_account("nobody").await), "account_unknown");
    assert_eq!(log_size(&app).await, before);

    app.disable_account("ELENA.K").await.expect("disabled");
    assert_eq!(
        code(app.disable_account("elena.k").await),
        "account_already_disabled"
    );
    app.enable_account("elena.k").await.expect("enabled");
    assert_eq!(
        code(app.enable_account("elena.k").await),
        "account_already_enabled"
    );
    let reset = app.reset_password("elena.k", None).await.expect("reset");
    let reset = reset.expect("a one-time password");
    app.login("elena.k", &reset, "127.0.0.1")
        .await
        .expect("the new password logs in");
    assert_eq!(
        code(app.login("elena.k", PASSWORD, "127.0.0.1").await),
        "login_failed"
    );

    let listed = app.accounts().await.expect("listed");
    let logins: Vec<(&str, AccountKind, bool)> = listed
        .iter()
        .map(|a| (a.login.as_str(), a.kind, a.disabled))
        .collect();
    assert_eq!(
        logins,
        [
            ("Elena.K", AccountKind::Person, false),
            ("operator", AccountKind::Operator, false)
        ]
    );

    let store = app.store().await.expect("store");
    let stream = StreamId::parse(format!("account-{}", elena.account)).expect("a stream");
    let events = store.read_stream(&stream, 1, 10).await.expect("reads");
    let kinds: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "AccountOpened",
            "AccountDisabled",
            "AccountEnabled",
            "AccountPasswordReset"
        ]
    );
    for event in &events {
        assert_eq!(
            (event.actor.id.as_str(), event.actor.role.as_str()),
            ("operator", "operator")
        );
        assert_eq!(event.effective, noon().date_naive());
        let payload = event.payload_value().expect("JSON");
        assert_eq!(payload["person"], PERSON);
        assert_eq!(payload["login"], "Elena.K");
    }
    // No secret anywhere in the log: not a password, not a hash.
    let hash = store
        .account_by_login("elena.k")
        .await
        .expect("reads")
        .expect("found")
        .password_hash;
    let log = payloads(&app).await;
    for secret in [PASSWORD, &one_time, &reset, &hash, "$argon2"] {
        assert!(!log.contains(secret), "{secret} is in the log");
    }
    // The log still verifies, and the read models and the workflow pass over the accounts'
    // events.
    assert!(app.verify().await.expect("verifies").is_intact());
    app.rebuild(&|_, _| {})
        .await
        .expect("the read models rebuild");
    app.run_workflow().await.expect("the workflow runs");
}

async fn a_wrong_login_and_a_wrong_password_are_one_answer(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (app, _clock) = town(&db).await;
    app.add_account(
        "elena",
        AccountKind::Person,
        Some(person()),
        Some(PASSWORD.into()),
    )
    .await
    .expect("opened");
    let wrong_password = app
        .login("elena", "не-тот-пароль-вовсе", "10.0.0.1")
        .await
        .expect_err("refused");
    let wrong_login = app
        .login("elena2", PASSWORD, "10.0.0.2")
        .await
        .expect_err("refused");
    assert_eq!(
        (wrong_password.code(), wrong_password.to_string()),
        (wrong_login.code(), wrong_login.to_string())
    );
    assert_eq!(wrong_login.code(), "login_failed");
    // What the server's log may say, and the answer does not.
    match (&wrong_password, &wrong_login) {
        (
            AppError::Account(app::AccountError::LoginFailed(a)),
            AppError::Account(app::AccountError::LoginFailed(b)),
        ) => {
            assert!(a.known_login && !b.known_login);
            assert_eq!((a.failures_by_login, b.client.as_str()), (1, "10.0.0.2"));
        }
        other => panic!("{other:?}"),
    }
    let session = app
        .login("ELENA", PASSWORD, "10.0.0.1")
        .await
        .expect("logs in");
    assert_eq!(session.principal.person, Some(person()));
}

async fn sessions_expire_idle_and_absolute_end_at_logout_and_rotate(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (app, clock) = town(&db).await;
    app.add_account("op", AccountKind::Operator, None, Some(PASSWORD.into()))
        .await
        .expect("opened");
    let first = app.login("op", PASSWORD, "127.0.0.1").await.expect("in");
    assert_eq!(first.idle_expires_at, noon() + Duration::minutes(30));
    assert_eq!(first.absolute_expires_at, noon() + Duration::hours(12));
    assert_eq!(first.principal.kind, AccountKind::Operator);
    // Rotation: every login is a new session id.
    let second = app.login("op", PASSWORD, "127.0.0.1").await.expect("in");
    assert_ne!(first.token, second.token);
    assert_eq!(app.session(&first.token).await.expect("live").login, "op");

    // Idle: activity every 29 minutes keeps it; 31 minutes of none ends it.
    for _ in 0..3 {
        clock.advance(Duration::minutes(29));
        app.session(&first.token).await.expect("still live");
    }
    clock.advance(Duration::minutes(31));
    assert_eq!(code(app.session(&first.token).await), "session_expired");

    // Absolute: however active, 12 hours after login it ends.
    clock.set(noon() + Duration::hours(1));
    let third = app.login("op", PASSWORD, "127.0.0.1").await.expect("in");
    for _ in 0..((12 * 60) / 25) {
        clock.advance(Duration::minutes(25));
        app.session(&third.token).await.expect("live");
    }
    clock.set(noon() + Duration::hours(13));
    assert_eq!(code(app.session(&third.token).await), "session_expired");

    // Logout ends it on the server; the same cookie again is refused.
    let fourth = app.login("op", PASSWORD, "127.0.0.1").await.expect("in");
    app.logout(&fourth.token).await.expect("out");
    assert_eq!(code(app.session(&fourth.token).await), "session_expired");
    app.logout(&fourth.token).await.expect("ended already");
    assert_eq!(code(app.logout("not-a-session").await), "session_unknown");
    assert_eq!(code(app.session("not-a-session").await), "session_unknown");

    // A new password and a disabled account end the live sessions.
    let fifth = app.login("op", PASSWORD, "127.0.0.1").await.expect("in");
    app.reset_password("op", Some("другой-пароль-43".into()))
        .await
        .expect("reset");
    assert_eq!(code(app.session(&fifth.token).await), "session_expired");
    let sixth = app
        .login("op", "другой-пароль-43", "127.0.0.1")
        .await
        .expect("in");
    app.disable_account("op").await.expect("disabled");
    assert_eq!(code(app.session(&sixth.token).await), "session_expired");
    assert_eq!(
        code(app.login("op", "другой-пароль-43", "127.0.0.1").await),
        "account_disabled"
    );
    assert_eq!(
        code(app.login("op", "неверный-пароль-00", "127.0.0.1").await),
        "login_failed",
        "a wrong password does not tell that the account is disabled"
    );
}

async fn five_failures_hold_logins_back_until_the_delay_passes(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (app, clock) = town(&db).await;
    app.add_account("op", AccountKind::Operator, None, Some(PASSWORD.into()))
        .await
        .expect("opened");
    for n in 0..5 {
        let client = format!("10.0.0.{n}");
        assert_eq!(
            code(app.login("op", "неверный-пароль-00", &client).await),
            "login_failed"
        );
    }
    // Held back — even with the right password, which is not checked — for 1 s.
    let held = app
        .login("op", PASSWORD, "10.0.0.9")
        .await
        .expect_err("held");
    assert_eq!(held.code(), "login_throttled");
    assert!(held.to_string().contains("через 1 с"), "{held}");
    clock.advance(Duration::seconds(1));
    assert_eq!(
        code(app.login("op", "неверный-пароль-00", "10.0.0.9").await),
        "login_failed"
    );
    let held = app
        .login("op", PASSWORD, "10.0.0.9")
        .await
        .expect_err("held");
    assert!(
        held.to_string().contains("через 2 с"),
        "the wait grows: {held}"
    );
    clock.advance(Duration::seconds(2));
    app.login("op", PASSWORD, "10.0.0.9")
        .await
        .expect("the wait has passed");
    // A success clears the login's count.
    assert_eq!(
        code(app.login("op", "неверный-пароль-00", "10.0.0.8").await),
        "login_failed"
    );

    // An address that failed five times is held back whatever login it tries next.
    for n in 0..5 {
        let login = format!("guess{n}");
        assert_eq!(
            code(app.login(&login, PASSWORD, "192.0.2.1").await),
            "login_failed"
        );
    }
    assert_eq!(
        code(app.login("op", PASSWORD, "192.0.2.1").await),
        "login_throttled"
    );
    app.login("op", PASSWORD, "192.0.2.2")
        .await
        .expect("another address is not held");
    clock.advance(Duration::seconds(1));
    app.login("op", PASSWORD, "192.0.2.1")
        .await
        .expect("released after the delay");
}

async fn tokens_are_created_used_and_revoked(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (app, _clock) = town(&db).await;
    app.add_account("audit", AccountKind::Auditor, None, None)
        .await
        .expect("opened");
    let token = app.create_access_token("audit", "ci").await.expect("made");
    let principal = app.principal_of_access_token(&token).await.expect("known");
    assert_eq!(
        (principal.login.as_str(), principal.kind),
        ("audit", AccountKind::Auditor)
    );
    assert_eq!(
        code(app.create_access_token("audit", "ci").await),
        "access_token_exists"
    );
    assert_eq!(
        code(app.create_access_token("nobody", "ci").await),
        "account_unknown"
    );
    app.disable_account("audit").await.expect("disabled");
    assert_eq!(
        code(app.principal_of_access_token(&token).await),
        "account_disabled"
    );
    app.enable_account("audit").await.expect("enabled");
    app.principal_of_access_token(&token)
        .await
        .expect("works again");
    app.revoke_access_token("audit", "ci")
        .await
        .expect("revoked");
    assert_eq!(
        code(app.principal_of_access_token(&token).await),
        "access_token_unknown"
    );
    assert_eq!(
        code(app.revoke_access_token("audit", "ci").await),
        "access_token_unknown"
    );
    assert_eq!(
        code(app.principal_of_access_token("metod_pat_made-up").await),
        "access_token_unknown"
    );
    // No token in the log either.
    assert!(!payloads(&app).await.contains(&token));
}

async fn the_access_journal_records_who_opened_whose_data(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (app, clock) = town(&db).await;
    let (elena, _) = app
        .add_account("elena", AccountKind::Person, Some(person()), None)
        .await
        .expect("opened");
    let (auditor, _) = app
        .add_account("audit", AccountKind::Auditor, None, None)
        .await
        .expect("opened");
    app.record_access(&elena, &[PERSON.to_string()], "/api/inbox")
        .await
        .expect("journaled");
    clock.advance(Duration::minutes(5));
    app.record_access(&auditor, &["someone-else".to_string()], "/api/events")
        .await
        .expect("journaled");
    let all = app.access_journal(None).await.expect("reads");
    assert_eq!(all.len(), 2);
    let mine = app.access_journal(Some(PERSON)).await.expect("reads");
    assert_eq!(mine.len(), 1);
    let entry = &mine[0];
    assert_eq!(
        (
            entry.login.as_str(),
            entry.actor_person.as_deref(),
            entry.endpoint.as_str(),
            entry.at
        ),
        ("elena", Some(PERSON), "/api/inbox", noon())
    );
}

store::on_every_backend!(
    accounts_are_opened_disabled_enabled_and_reset_as_events_without_secrets,
    a_wrong_login_and_a_wrong_password_are_one_answer,
    sessions_expire_idle_and_absolute_end_at_logout_and_rotate,
    five_failures_hold_logins_back_until_the_delay_passes,
    tokens_are_created_used_and_revoked,
    the_access_journal_records_who_opened_whose_data,
);
