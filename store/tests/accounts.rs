//! The accounts' storage on every backend (migration 0009): a change of an account and its
//! event are one transaction; logins are unique whatever their case; sessions, tokens, failed
//! logins and the access journal read back as written.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde_json::json;
use store::testing::TestDatabase;
use store::{
    account_stream, AccessTokenRecord, AccountChange, Actor, Backend, CommandId, ExpectedVersion,
    FixedClock, MetodStore, NewEvent, SessionRecord, StoreError,
};
use uuid::Uuid;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 15, h, m, 0)
        .single()
        .expect("a valid time")
}

fn event(kind: &str, account: Uuid) -> NewEvent {
    NewEvent::new(
        kind,
        json!({ "account": account }),
        NaiveDate::from_ymd_opt(2025, 5, 15).expect("a date"),
        Actor::new("operator", "operator"),
    )
}

fn open_change(login: &str, person: Option<&str>) -> AccountChange {
    AccountChange::Open {
        login: login.into(),
        kind: if person.is_some() {
            "person"
        } else {
            "operator"
        }
        .into(),
        person: person.map(str::to_string),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
    }
}

async fn open_account(store: &dyn MetodStore, login: &str, person: Option<&str>) -> Uuid {
    let id = Uuid::new_v4();
    store
        .change_account(
            id,
            &open_change(login, person),
            event("AccountOpened", id),
            ExpectedVersion::NoStream,
            CommandId::random(),
        )
        .await
        .expect("the account opens");
    id
}

async fn an_account_and_its_event_are_written_together(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let clock = Arc::new(FixedClock::new(at(9, 0)));
    let store = db.open_with(clock.clone()).await;
    let person = "7e57c0de-0000-4000-8000-000000000011";
    let id = open_account(store.as_ref(), "Elena.K", Some(person)).await;
    let found = store
        .account_by_login("elena.k")
        .await
        .expect("reads")
        .expect("found whatever the case");
    assert_eq!(
        (found.id, found.login.as_str(), found.kind.as_str()),
        (id, "Elena.K", "person")
    );
    assert_eq!(found.person.as_deref(), Some(person));
    assert_eq!((found.created_at, found.disabled_at), (at(9, 0), None));
    let events = store
        .read_stream(&account_stream(id).expect("a stream"), 1, 10)
        .await
        .expect("reads");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "AccountOpened");

    // The same login in another case: refused, and neither row nor event is written.
    let before = store.last_position().await.expect("head");
    let other = Uuid::new_v4();
    let refused = store
        .change_account(
            other,
            &open_change("ELENA.K", None),
            event("AccountOpened", other),
            ExpectedVersion::NoStream,
            CommandId::random(),
        )
        .await
        .expect_err("a taken login");
    assert!(
        matches!(refused, StoreError::AccountExists { .. }),
        "{refused:?}"
    );
    assert_eq!(refused.code(), "account_exists");
    assert_eq!(store.last_position().await.expect("head"), before);
    assert_eq!(store.accounts().await.expect("list").len(), 1);

    // Disabling ends the live sessions and is written with its event; disabling again finds
    // nothing to change and writes nothing.
    clock.set(at(10, 0));
    let hash = [7u8; 32];
    store
        .open_session(&session(hash, id, at(9, 30)))
        .await
        .expect("a session");
    store
        .change_account(
            id,
            &AccountChange::Disable,
            event("AccountDisabled", id),
            ExpectedVersion::Exact(1),
            CommandId::random(),
        )
        .await
        .expect("disabled");
    let (ended, account) = store.session(&hash).await.expect("reads").expect("kept");
    assert_eq!(ended.ended_at, Some(at(10, 0)));
    assert_eq!(account.disabled_at, Some(at(10, 0)));
    let before = store.last_position().await.expect("head");
    let again = store
        .change_account(
            id,
            &AccountChange::Disable,
            event("AccountDisabled", id),
            ExpectedVersion::Any,
            CommandId::random(),
        )
        .await
        .expect_err("nothing to disable");
    assert_eq!(again.code(), "account_unknown");
    assert_eq!(store.last_position().await.expect("head"), before);
    store
        .change_account(
            id,
            &AccountChange::Enable,
            event("AccountEnabled", id),
            ExpectedVersion::Exact(2),
            CommandId::random(),
        )
        .await
        .expect("enabled");
    store
        .change_account(
            id,
            &AccountChange::Password {
                password_hash: "$argon2id$new".into(),
            },
            event("AccountPasswordReset", id),
            ExpectedVersion::Exact(3),
            CommandId::random(),
        )
        .await
        .expect("a new password");
    let account = store
        .account_by_login("ELENA.k")
        .await
        .expect("reads")
        .expect("found");
    assert_eq!(
        (account.disabled_at, account.password_hash.as_str()),
        (None, "$argon2id$new")
    );
    // A stale expected version: a conflict, and the row keeps its state.
    let stale = store
        .change_account(
            id,
            &AccountChange::Disable,
            event("AccountDisabled", id),
            ExpectedVersion::Exact(1),
            CommandId::random(),
        )
        .await
        .expect_err("stale");
    assert_eq!(stale.code(), "version_conflict");
    let account = store.account_by_login("elena.k").await.expect("reads");
    assert_eq!(account.expect("found").disabled_at, None);
}

fn session(id_hash: [u8; 32], account: Uuid, now: DateTime<Utc>) -> SessionRecord {
    SessionRecord {
        id_hash,
        account,
        client: "127.0.0.1".into(),
        created_at: now,
        last_seen_at: now,
        expires_at: now + Duration::hours(12),
        ended_at: None,
    }
}

async fn sessions_are_touched_and_ended_once(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let id = open_account(store.as_ref(), "operator", None).await;
    let hash = [1u8; 32];
    store
        .open_session(&session(hash, id, at(9, 0)))
        .await
        .expect("opens");
    assert!(store.session(&[2u8; 32]).await.expect("reads").is_none());
    store.touch_session(&hash, at(9, 20)).await.expect("touch");
    // An older moment does not move it back.
    store.touch_session(&hash, at(9, 10)).await.expect("touch");
    let (kept, account) = store.session(&hash).await.expect("reads").expect("kept");
    assert_eq!(kept, {
        let mut expected = session(hash, id, at(9, 0));
        expected.last_seen_at = at(9, 20);
        expected
    });
    assert_eq!(account.login, "operator");
    assert!(store.end_session(&hash, at(9, 30)).await.expect("ends"));
    assert!(!store.end_session(&hash, at(9, 40)).await.expect("ended"));
    store.touch_session(&hash, at(9, 50)).await.expect("touch");
    let (ended, _) = store.session(&hash).await.expect("reads").expect("kept");
    assert_eq!(
        (ended.ended_at, ended.last_seen_at),
        (Some(at(9, 30)), at(9, 20))
    );
}

async fn a_token_name_is_unique_among_live_tokens(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let id = open_account(store.as_ref(), "auditor", None).await;
    let token = |hash: u8| AccessTokenRecord {
        token_hash: [hash; 32],
        account: id,
        name: "ci".into(),
        created_at: at(9, 0),
        revoked_at: None,
    };
    store.add_access_token(&token(1)).await.expect("kept");
    let taken = store.add_access_token(&token(2)).await.expect_err("taken");
    assert_eq!(taken.code(), "access_token_exists");
    let (found, account) = store
        .access_token(&[1; 32])
        .await
        .expect("reads")
        .expect("found");
    assert_eq!((found, account.id), (token(1), id));
    assert!(store
        .revoke_access_token(id, "ci", at(10, 0))
        .await
        .expect("revokes"));
    assert!(!store
        .revoke_access_token(id, "ci", at(10, 0))
        .await
        .expect("none live"));
    let (revoked, _) = store
        .access_token(&[1; 32])
        .await
        .expect("reads")
        .expect("kept");
    assert_eq!(revoked.revoked_at, Some(at(10, 0)));
    store
        .add_access_token(&token(2))
        .await
        .expect("the name is free again");
}

async fn failed_logins_count_by_login_and_by_client(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    for (minute, login, client) in [
        (1, "Elena", "10.0.0.1"),
        (2, "ELENA", "10.0.0.2"),
        (3, "petr", "10.0.0.1"),
        (4, "elena", "10.0.0.1"),
    ] {
        store
            .record_login_failure(login, client, at(9, minute))
            .await
            .expect("recorded");
    }
    let (login, client) = store
        .login_failures("elena", "10.0.0.1", at(9, 0))
        .await
        .expect("counts");
    assert_eq!((login.failures, login.last), (3, Some(at(9, 4))));
    assert_eq!((client.failures, client.last), (3, Some(at(9, 4))));
    let (login, _) = store
        .login_failures("elena", "10.0.0.9", at(9, 1))
        .await
        .expect("counts");
    assert_eq!(login.failures, 2, "only those after the moment count");
    store
        .clear_login_failures("Elena", at(9, 5))
        .await
        .expect("cleared");
    let (login, client) = store
        .login_failures("elena", "10.0.0.1", at(9, 0))
        .await
        .expect("counts");
    assert_eq!((login.failures, login.last), (0, None));
    assert_eq!(
        client.failures, 3,
        "a success clears the login's count only"
    );
}

async fn the_access_journal_reads_back_by_person(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let head = "7e57c0de-0000-4000-8000-000000000011";
    let id = open_account(store.as_ref(), "head", Some(head)).await;
    for (minute, whose, endpoint) in [
        (1, "person-a", "/api/query/member_db"),
        (2, "person-b", "/api/documents/x/trail"),
        (3, "person-a", "/api/inbox"),
    ] {
        store
            .record_access(id, &[whose.to_string()], endpoint, at(9, minute))
            .await
            .expect("journaled");
    }
    let all = store.access_journal(None).await.expect("reads");
    assert_eq!(all.len(), 3);
    assert_eq!(
        (all[0].login.as_str(), all[0].actor_person.as_deref()),
        ("head", Some(head))
    );
    let of_a = store.access_journal(Some("person-a")).await.expect("reads");
    let seen: Vec<(DateTime<Utc>, &str)> =
        of_a.iter().map(|e| (e.at, e.endpoint.as_str())).collect();
    assert_eq!(
        seen,
        [(at(9, 1), "/api/query/member_db"), (at(9, 3), "/api/inbox")]
    );
    assert!(of_a
        .iter()
        .all(|e| e.account == id && e.person == "person-a"));
    // one answer may open many persons' names: journaled together, in more than one statement
    let many: Vec<String> = (0..1_203).map(|i| format!("person-{i:04}")).collect();
    store
        .record_access(id, &many, "/api/query/hierarchy", at(9, 5))
        .await
        .expect("journaled");
    let all = store.access_journal(None).await.expect("reads");
    assert_eq!(all.len(), 3 + 1_203);
    let last = store
        .access_journal(Some("person-1202"))
        .await
        .expect("reads");
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].endpoint, "/api/query/hierarchy");
}

/// Many requests journaling at once while appends hold the writer: every entry lands once
/// (SQLite writes those that queued meanwhile together), and each call returns only after its
/// own entry is there.
async fn concurrent_journal_entries_all_land_once(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let id = open_account(store.as_ref(), "head", None).await;
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            if i % 10 == 0 {
                // an append in between keeps the writer busy
                store
                    .append(
                        &store::StreamId::parse("journal-test").expect("stream"),
                        ExpectedVersion::Any,
                        vec![event("Noted", Uuid::new_v4())],
                        CommandId::random(),
                    )
                    .await
                    .expect("append");
            }
            let whose = format!("person-{i:02}");
            store
                .record_access(
                    id,
                    std::slice::from_ref(&whose),
                    "/api/documents/x/trail",
                    at(10, 0),
                )
                .await
                .expect("journaled");
            // once answered, the entry is there
            let found = store.access_journal(Some(&whose)).await.expect("reads");
            assert_eq!(found.len(), 1, "{whose}");
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let all = store.access_journal(None).await.expect("reads");
    assert_eq!(all.len(), 60);
    let mut persons: Vec<&str> = all.iter().map(|e| e.person.as_str()).collect();
    persons.sort();
    persons.dedup();
    assert_eq!(persons.len(), 60, "each entry once");
}

store::on_every_backend!(
    concurrent_journal_entries_all_land_once,
    an_account_and_its_event_are_written_together,
    sessions_are_touched_and_ended_once,
    a_token_name_is_unique_among_live_tokens,
    failed_logins_count_by_login_and_by_client,
    the_access_journal_reads_back_by_person,
);
