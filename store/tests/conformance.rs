//! One conformance suite for every backend of the event log: each case below runs on SQLite
//! and on PostgreSQL (module `sqlite::…` and `postgres::…`).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::json;
use store::testing::TestDatabase;
use store::{
    Actor, Backend, BasisKind, CommandId, Erasure, EventStore, ExpectedVersion, FactChanges,
    FactRow, FixedClock, HeldFact, LegalBasis, MetodStore, NewEvent, OpenMode, Revealed,
    StoreError, StreamId, Subscription, TimePoint, Verification,
};

fn stream(name: &str) -> StreamId {
    StreamId::parse(name).expect("a valid stream name")
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("a valid time")
}

fn event(kind: &str, n: u64) -> NewEvent {
    NewEvent::new(
        kind,
        json!({ "n": n, "note": format!("event {n} abc") }),
        day(2024, 9, 10),
        Actor::new("person-1", "head"),
    )
}

fn order() -> LegalBasis {
    LegalBasis {
        kind: BasisKind::Order,
        number: "112-р".into(),
        date: day(2024, 9, 10),
        issuer: "Комитет образования и науки".into(),
    }
}

async fn append_n(store: &dyn EventStore, name: &str, n: u64) {
    for i in 1..=n {
        store
            .append(
                &stream(name),
                ExpectedVersion::Any,
                vec![event("Counted", i)],
                CommandId::random(),
            )
            .await
            .expect("append");
    }
}

/// The leaves of the log's tree as the events read back give them.
async fn leaves_of(store: &dyn MetodStore) -> Vec<tlog::Hash> {
    let events = store.read_all(1, 100_000).await.expect("read all");
    events.iter().map(|e| tlog::leaf_hash(&e.hash)).collect()
}

/// The stored tree is the RFC's tree of the events' hashes: its root at the log's size and at
/// `older`, inclusion proofs of a sample of positions, and the consistency proof from `older`
/// all verify against the roots computed from the events read back.
async fn assert_tree_is_the_logs(store: &dyn MetodStore, older: u64) {
    let leaves = leaves_of(store).await;
    let size = leaves.len() as u64;
    let root = tlog::root(&leaves);
    assert_eq!(
        store.tree_root(size).await.expect("root"),
        root,
        "root at {size}"
    );
    let old_root = tlog::root(&leaves[..older as usize]);
    assert_eq!(store.tree_root(older).await.expect("old root"), old_root);
    let mut sample: BTreeSet<u64> = [1, 2, size / 3, size / 2, size - 1, size].into();
    sample.retain(|p| (1..=size).contains(p));
    for position in sample {
        let proof = store
            .inclusion_proof(position, size)
            .await
            .expect("inclusion proof");
        let leaf = &leaves[position as usize - 1];
        tlog::verify_inclusion(leaf, position - 1, size, &proof, &root)
            .unwrap_or_else(|e| panic!("position {position} of {size}: {e}"));
    }
    let proof = store
        .consistency_proof(older, size)
        .await
        .expect("consistency proof");
    tlog::verify_consistency(older, size, &old_root, &root, &proof)
        .unwrap_or_else(|e| panic!("{older} -> {size}: {e}"));
}

async fn the_tree_follows_appends_of_every_size_and_its_proofs_verify(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    assert_eq!(
        store.tree_root(0).await.expect("empty root"),
        tlog::empty_root()
    );
    let mut size = 0;
    for (round, batch) in [1u64, 3, 1, 260, 1_001, 3].into_iter().enumerate() {
        let events = (1..=batch).map(|n| event("Counted", n)).collect();
        store
            .append(
                &stream(&format!("s{round}")),
                ExpectedVersion::NoStream,
                events,
                CommandId::random(),
            )
            .await
            .expect("append");
        assert_tree_is_the_logs(store.as_ref(), size).await;
        size += batch;
    }
    let beyond = store.tree_root(size + 1).await;
    assert_eq!(
        beyond.as_ref().map_err(StoreError::code).err(),
        Some("leaf_index_out_of_range"),
        "{beyond:?}"
    );
    assert!(store.inclusion_proof(0, size).await.is_err());
    assert!(store.inclusion_proof(size + 1, size + 1).await.is_err());
    assert!(store.consistency_proof(size, size - 1).await.is_err());
    // The tree is kept, not recomputed per handle: it reads the same from a new one.
    drop(store);
    let reopened = db.open().await;
    assert_tree_is_the_logs(reopened.as_ref(), 5).await;
}

/// `metod init` on a store of schema 6 (events, no tree): the tree is built from the stored
/// hashes, and appends continue it. Building again (a frontier lost) gives the same tree.
async fn the_tree_of_a_log_older_than_it_is_built_when_the_store_is_migrated(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "single", 5).await;
    let many = (1..=1_030).map(|n| event("Counted", n)).collect();
    store
        .append(
            &stream("many"),
            ExpectedVersion::NoStream,
            many,
            CommandId::random(),
        )
        .await
        .expect("append");
    drop(store);
    db.pretend_previous_schema().await;
    let refused = store::open(&db.url, OpenMode::Existing, Arc::new(store::SystemClock)).await;
    assert!(
        matches!(refused, Err(StoreError::SchemaOutdated { .. })),
        "{:?}",
        refused.err()
    );
    let migrated = store::open(
        &db.url,
        OpenMode::CreateOrMigrate,
        Arc::new(store::SystemClock),
    )
    .await
    .expect("init migrates");
    assert_tree_is_the_logs(migrated.as_ref(), 5).await;
    append_n(migrated.as_ref(), "after", 3).await;
    assert_tree_is_the_logs(migrated.as_ref(), 1_035).await;
    let root = migrated.tree_root(1_038).await.expect("root");
    drop(migrated);
    db.execute_raw("UPDATE log_head SET frontier = NULL").await;
    let rebuilt = store::open(&db.url, OpenMode::Existing, Arc::new(store::SystemClock))
        .await
        .expect("opens");
    assert_eq!(rebuilt.tree_root(1_038).await.expect("root"), root);
    assert_tree_is_the_logs(rebuilt.as_ref(), 1).await;
}

async fn append_stores_every_envelope_field(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let clock = Arc::new(FixedClock::new(at(2024, 9, 20, 9)));
    let store = db.open_with(clock.clone()).await;
    let cause = uuid::Uuid::new_v4();
    let correlation = uuid::Uuid::new_v4();
    let first = event("HeadAppointed", 1)
        .with_basis(order())
        .caused_by(correlation, cause);
    let second = event("SecretaryElected", 2).with_schema(2);
    let command = CommandId::random();
    let s = stream("association-1");
    let written = store
        .append(&s, ExpectedVersion::NoStream, vec![first, second], command)
        .await
        .expect("append");
    assert_eq!(
        (
            written.first_position,
            written.last_position,
            written.next_version
        ),
        (1, 2, 2)
    );
    assert!(!written.deduplicated);

    let events = store.read_stream(&s, 1, 100).await.expect("read stream");
    assert_eq!(events, store.read_all(1, 100).await.expect("read all"));
    assert_eq!(events.len(), 2);
    let (a, b) = (&events[0], &events[1]);
    assert_eq!((a.position, a.version, b.position, b.version), (1, 1, 2, 2));
    assert_eq!(a.stream, s);
    assert_eq!(
        (a.event_type.as_str(), a.schema, b.schema),
        ("HeadAppointed", 1, 2)
    );
    assert_eq!(
        a.payload_value().expect("json"),
        json!({ "n": 1, "note": "event 1 abc" })
    );
    assert_eq!(
        a.recorded_at,
        at(2024, 9, 20, 9),
        "recorded_at comes from the injected clock"
    );
    assert_eq!(a.effective, day(2024, 9, 10));
    assert_eq!(a.actor, Actor::new("person-1", "head"));
    assert_eq!(a.basis, Some(order()));
    assert_eq!(b.basis, None);
    assert_eq!((a.command_id, b.command_id), (command.0, command.0));
    assert_eq!(
        (a.correlation_id, a.causation_id),
        (correlation, Some(cause))
    );
    assert_eq!(
        (b.correlation_id, b.causation_id),
        (command.0, None),
        "correlation defaults to the command"
    );
    assert_eq!(a.prev_hash, store::GENESIS_HASH);
    assert_eq!(b.prev_hash, a.hash);
    assert_eq!(store::recompute_hash(b, &a.hash), b.hash);
    let head = store.head().await.expect("head").expect("a head");
    assert_eq!((head.position, head.hash), (2, b.hash));
    assert_eq!(store.last_position().await.expect("last"), 2);
}

async fn positions_are_global_and_gapless_and_versions_count_per_stream(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    for round in 0..3u64 {
        for name in ["a", "b"] {
            let events = vec![event("Counted", round), event("Counted", round)];
            store
                .append(
                    &stream(name),
                    ExpectedVersion::Exact(round * 2),
                    events,
                    CommandId::random(),
                )
                .await
                .expect("append");
        }
    }
    let all = store.read_all(1, 100).await.expect("read");
    assert_eq!(
        all.iter().map(|e| e.position).collect::<Vec<_>>(),
        (1..=12).collect::<Vec<_>>()
    );
    let b = store.read_stream(&stream("b"), 3, 2).await.expect("read b");
    assert_eq!(
        b.iter()
            .map(|e| (e.version, e.position))
            .collect::<Vec<_>>(),
        vec![(3, 7), (4, 8)]
    );
    assert_eq!(store.read_all(11, 100).await.expect("tail").len(), 2);
    // What read models read is the same events, cut to their content, paged the same way.
    assert_eq!(
        store.read_contents(1, 100).await.expect("contents"),
        all.iter().map(|e| e.content()).collect::<Vec<_>>()
    );
    assert_eq!(
        store.read_contents(5, 3).await.expect("contents page"),
        all[4..7].iter().map(|e| e.content()).collect::<Vec<_>>()
    );
    assert_eq!(
        store.stream_version(&stream("a")).await.expect("version"),
        6
    );
    assert_eq!(
        store
            .stream_version(&stream("nobody"))
            .await
            .expect("version"),
        0
    );
}

async fn a_stale_expected_version_is_a_conflict(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let s = stream("plan-1");
    store
        .append(
            &s,
            ExpectedVersion::NoStream,
            vec![event("PlanSubmitted", 1)],
            CommandId::random(),
        )
        .await
        .expect("first");
    let again = store
        .append(
            &s,
            ExpectedVersion::NoStream,
            vec![event("PlanSubmitted", 2)],
            CommandId::random(),
        )
        .await;
    assert!(
        matches!(
            again,
            Err(StoreError::Conflict {
                expected: ExpectedVersion::NoStream,
                actual: 1
            })
        ),
        "{again:?}"
    );
    let stale = store
        .append(
            &s,
            ExpectedVersion::Exact(5),
            vec![event("PlanSubmitted", 2)],
            CommandId::random(),
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: ExpectedVersion::Exact(5),
                actual: 1
            })
        ),
        "{stale:?}"
    );
    assert_eq!(stale.expect_err("conflict").code(), "version_conflict");
    store
        .append(
            &s,
            ExpectedVersion::Exact(1),
            vec![event("PlanApproved", 3)],
            CommandId::random(),
        )
        .await
        .expect("exact");
    store
        .append(
            &s,
            ExpectedVersion::Any,
            vec![event("PlanApproved", 4)],
            CommandId::random(),
        )
        .await
        .expect("any");
    assert_eq!(
        store.last_position().await.expect("last"),
        3,
        "conflicts wrote nothing"
    );
}

async fn concurrent_writers_at_one_expected_version_exactly_one_wins(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    for round in 0..10u64 {
        let s = stream(&format!("contested-{round}"));
        let mut writers = Vec::new();
        for w in 0..4u64 {
            let store = store.clone();
            let s = s.clone();
            writers.push(tokio::spawn(async move {
                store
                    .append(
                        &s,
                        ExpectedVersion::Exact(0),
                        vec![event("Claimed", w)],
                        CommandId::random(),
                    )
                    .await
            }));
        }
        let mut wins = 0;
        for writer in writers {
            match writer.await.expect("task") {
                Ok(_) => wins += 1,
                Err(StoreError::Conflict {
                    expected: ExpectedVersion::Exact(0),
                    actual: 1,
                }) => {}
                Err(other) => panic!("unexpected error: {other:?}"),
            }
        }
        assert_eq!(wins, 1, "round {round}: exactly one writer wins");
        assert_eq!(store.stream_version(&s).await.expect("version"), 1);
    }
}

async fn a_repeated_command_id_stores_once_and_returns_the_first_result(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let s = stream("membership-7");
    let command = CommandId::derived("test", "apply-7");
    let first = store
        .append(
            &s,
            ExpectedVersion::NoStream,
            vec![event("Applied", 1), event("Applied", 2)],
            command,
        )
        .await
        .expect("first");
    let repeat = store
        .append(
            &s,
            ExpectedVersion::NoStream,
            vec![event("Applied", 9)],
            command,
        )
        .await
        .expect("repeat");
    assert!(repeat.deduplicated);
    assert_eq!(
        (
            repeat.first_position,
            repeat.last_position,
            repeat.next_version
        ),
        (1, 2, 2)
    );
    assert_eq!(repeat.first_position, first.first_position);
    let found = store
        .find_command(command)
        .await
        .expect("find")
        .expect("the command is known");
    assert_eq!(
        (
            found.stream.as_str(),
            found.first_position,
            found.last_position,
            found.next_version
        ),
        ("membership-7", 1, 2, 2)
    );
    assert_eq!(
        store
            .find_command(CommandId::derived("test", "never-sent"))
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        store.last_position().await.expect("last"),
        2,
        "the repeat wrote nothing"
    );
    let elsewhere = store
        .append(
            &stream("other"),
            ExpectedVersion::Any,
            vec![event("Applied", 3)],
            command,
        )
        .await;
    assert!(
        matches!(elsewhere, Err(StoreError::CommandIdReused { .. })),
        "{elsewhere:?}"
    );
}

async fn a_subscription_sees_every_position_once_in_order_under_eight_concurrent_writers(
    backend: Backend,
) {
    const WRITERS: u64 = 8;
    const APPENDS: u64 = 40;
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    // One subscriber on this handle (woken by appends), one on a second handle that only
    // sees the writers by polling, as a reader in another process would.
    let other_handle = db.open().await;
    let live = Subscription::new(store.clone(), 1).with_batch(7);
    let polling = Subscription::new(other_handle, 1)
        .with_poll_interval(Duration::from_millis(5))
        .with_batch(13);
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            let mut written = 0u64;
            for i in 0..APPENDS {
                let n = 1 + (w + i) % 3;
                let events = (0..n)
                    .map(|k| event("Written", w * 1000 + i * 10 + k))
                    .collect();
                let name = if i % 4 == 0 {
                    "shared".to_string()
                } else {
                    format!("writer-{w}")
                };
                store
                    .append(
                        &stream(&name),
                        ExpectedVersion::Any,
                        events,
                        CommandId::random(),
                    )
                    .await
                    .expect("append");
                written += n;
            }
            written
        }));
    }
    let reader = |mut sub: Subscription| {
        tokio::spawn(async move {
            let mut seen = Vec::new();
            let total = loop {
                let event = tokio::time::timeout(Duration::from_secs(60), sub.next())
                    .await
                    .expect("no stall")
                    .expect("event");
                seen.push(event.position);
                // `Done` is appended after every writer finished: it is the last position.
                if event.event_type == "Done" {
                    break seen.len();
                }
            };
            (seen, total)
        })
    };
    let live_reader = reader(live);
    let polling_reader = reader(polling);
    let mut total = 0;
    for writer in writers {
        total += writer.await.expect("writer");
    }
    store
        .append(
            &stream("done"),
            ExpectedVersion::Any,
            vec![event("Done", 0)],
            CommandId::random(),
        )
        .await
        .expect("done");
    total += 1;
    for handle in [live_reader, polling_reader] {
        let (seen, count) = handle.await.expect("reader");
        assert_eq!(count as u64, total);
        assert_eq!(
            seen,
            (1..=total).collect::<Vec<_>>(),
            "every position exactly once, in order"
        );
    }
    let distinct: BTreeSet<u64> = store
        .read_all(1, 100_000)
        .await
        .expect("read")
        .iter()
        .map(|e| e.position)
        .collect();
    assert_eq!(distinct.len() as u64, total);
}

/// Makes inserts of the event type `Third` fail inside the database, as a disk or constraint
/// failure would, after the first two rows of the same append went in.
async fn refuse_event_type_third(db: &TestDatabase) {
    match db.backend {
        Backend::Sqlite => {
            db.execute_raw(
                "CREATE TRIGGER refuse_third BEFORE INSERT ON events WHEN NEW.event_type = 'Third' \
                 BEGIN SELECT RAISE(ABORT, 'third event refused'); END;",
            )
            .await
        }
        Backend::Postgres => {
            db.execute_raw(
                "CREATE FUNCTION refuse_third() RETURNS trigger AS $$ BEGIN \
                   IF NEW.event_type = 'Third' THEN RAISE EXCEPTION 'third event refused'; END IF; \
                   RETURN NEW; END $$ LANGUAGE plpgsql; \
                 CREATE TRIGGER refuse_third BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse_third();",
            )
            .await
        }
    }
}

async fn an_append_of_three_that_fails_on_the_third_writes_none(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "before", 2).await;
    let root = store.tree_root(2).await.expect("root");
    refuse_event_type_third(&db).await;
    let command = CommandId::random();
    let three = vec![event("First", 1), event("Second", 2), event("Third", 3)];
    let failed = store
        .append(
            &stream("batch"),
            ExpectedVersion::NoStream,
            three.clone(),
            command,
        )
        .await;
    assert!(
        matches!(failed, Err(StoreError::Database { .. })),
        "{failed:?}"
    );
    assert_eq!(
        store.read_all(1, 100).await.expect("read").len(),
        2,
        "none of the three was written"
    );
    assert_eq!(
        store
            .stream_version(&stream("batch"))
            .await
            .expect("version"),
        0
    );
    assert_eq!(store.head().await.expect("head").expect("head").position, 2);
    assert!(store::verify(store.as_ref())
        .await
        .expect("verify")
        .is_intact());
    assert_eq!(
        store.tree_root(2).await.expect("root"),
        root,
        "nor any node"
    );
    assert!(store.tree_root(3).await.is_err());
    // The command was not recorded either: once the cause is gone, the same command id writes.
    db.execute_raw(match backend {
        Backend::Sqlite => "DROP TRIGGER refuse_third",
        Backend::Postgres => "DROP TRIGGER refuse_third ON events",
    })
    .await;
    let retried = store
        .append(&stream("batch"), ExpectedVersion::NoStream, three, command)
        .await
        .expect("retry");
    assert!(!retried.deduplicated);
    assert_eq!((retried.first_position, retried.last_position), (3, 5));
    // the nodes and the frontier were as before the failure: the retry continues them
    assert_tree_is_the_logs(store.as_ref(), 2).await;
}

/// An append larger than the chunks a backend inserts at a time (SQLite writes 250 rows a
/// statement while it hashes the next 250) is still one append: all of it, in order, on one
/// chain — or, when a late chunk fails, none of it.
async fn an_append_of_many_chunks_is_written_whole_or_not_at_all(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "before", 3).await;
    let many: Vec<NewEvent> = (1..=1_001).map(|n| event("Counted", n)).collect();
    let written = store
        .append(
            &stream("many"),
            ExpectedVersion::NoStream,
            many,
            CommandId::random(),
        )
        .await
        .expect("append");
    assert_eq!((written.first_position, written.last_position), (4, 1_004));
    assert_eq!(written.next_version, 1_001);
    let read = store
        .read_stream(&stream("many"), 1, 2_000)
        .await
        .expect("read");
    assert_eq!(read.len(), 1_001);
    for (i, e) in read.iter().enumerate() {
        assert_eq!((e.position, e.version), (4 + i as u64, 1 + i as u64));
        let payload: serde_json::Value = serde_json::from_str(&e.payload).expect("json");
        assert_eq!(payload["n"], json!(1 + i as u64));
    }
    assert!(store::verify(store.as_ref())
        .await
        .expect("verify")
        .is_intact());

    refuse_event_type_third(&db).await;
    let mut failing: Vec<NewEvent> = (1..=1_001).map(|n| event("Counted", n)).collect();
    failing[800] = event("Third", 801);
    let failed = store
        .append(
            &stream("failing"),
            ExpectedVersion::NoStream,
            failing,
            CommandId::random(),
        )
        .await;
    assert!(
        matches!(failed, Err(StoreError::Database { .. })),
        "{failed:?}"
    );
    assert_eq!(
        store.head().await.expect("head").expect("head").position,
        1_004
    );
    assert_eq!(
        store
            .stream_version(&stream("failing"))
            .await
            .expect("version"),
        0,
        "none of the chunks before the failing one stayed"
    );
    assert!(store::verify(store.as_ref())
        .await
        .expect("verify")
        .is_intact());
    assert!(store.tree_root(1_005).await.is_err());
    db.execute_raw(match backend {
        Backend::Sqlite => "DROP TRIGGER refuse_third",
        Backend::Postgres => "DROP TRIGGER refuse_third ON events",
    })
    .await;
    append_n(store.as_ref(), "after", 2).await;
    assert_tree_is_the_logs(store.as_ref(), 1_004).await;
}

async fn recorded_at_comes_from_the_clock_and_never_decreases(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let clock = Arc::new(FixedClock::new(at(2024, 9, 20, 10)));
    let store = db.open_with(clock.clone()).await;
    append_n(store.as_ref(), "s", 1).await;
    clock.set(at(2024, 9, 19, 10));
    append_n(store.as_ref(), "s", 1).await;
    clock.set(at(2024, 9, 21, 10));
    append_n(store.as_ref(), "s", 1).await;
    let times: Vec<_> = store
        .read_all(1, 10)
        .await
        .expect("read")
        .iter()
        .map(|e| e.recorded_at)
        .collect();
    assert_eq!(
        times,
        vec![
            at(2024, 9, 20, 10),
            at(2024, 9, 20, 10),
            at(2024, 9, 21, 10)
        ]
    );
}

async fn verify_accepts_an_intact_log_and_names_its_head(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    assert_eq!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Intact {
            events: 0,
            head: store::GENESIS_HASH
        }
    );
    append_n(store.as_ref(), "s", 20).await;
    let last = store.read_all(20, 1).await.expect("read").remove(0);
    assert_eq!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Intact {
            events: 20,
            head: last.hash
        }
    );
}

async fn verify_names_a_payload_altered_by_one_byte(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 12).await;
    db.execute_raw("UPDATE events SET payload = replace(payload, 'abc', 'abd') WHERE position = 7")
        .await;
    let changed = store.read_all(7, 1).await.expect("read").remove(0);
    assert!(changed.payload.contains("abd"), "the tampering took");
    match store::verify(store.as_ref()).await.expect("verify") {
        Verification::Broken { position, .. } => assert_eq!(position, 7),
        intact => panic!("tampering not found: {intact:?}"),
    }
}

async fn verify_names_a_deleted_row(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 12).await;
    db.execute_raw("DELETE FROM events WHERE position = 5")
        .await;
    assert!(matches!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Broken { position: 5, .. }
    ));
    // Deleting the newest event is noticed too: the log head still names position 12.
    let db2 = TestDatabase::new(backend).await;
    let store2 = db2.open().await;
    append_n(store2.as_ref(), "s", 12).await;
    db2.execute_raw("DELETE FROM events WHERE position = 12")
        .await;
    assert!(matches!(
        store::verify(store2.as_ref()).await.expect("verify"),
        Verification::Broken { position: 12, .. }
    ));
}

async fn verify_names_the_end_of_a_log_whose_head_record_is_deleted(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 12).await;
    db.execute_raw("DELETE FROM log_head").await;
    // Events 1–12 all verify; the record that says the log ends at 12 is what is missing.
    match store::verify(store.as_ref()).await.expect("verify") {
        Verification::Broken { position, reason } => {
            assert_eq!(position, 13, "{reason}");
            assert!(reason.contains("запись о конце журнала"), "{reason}");
        }
        intact => panic!("a deleted head record not found: {intact:?}"),
    }
}

async fn a_corrupt_row_reads_as_a_clear_error_naming_its_position(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 6).await;
    db.execute_raw("UPDATE events SET payload = 'not json {' WHERE position = 3")
        .await;
    let read = store.read_all(1, 10).await;
    match read {
        Err(e @ StoreError::CorruptRow { position: 3, .. }) => {
            assert_eq!(e.code(), "corrupt_row");
            assert!(e.to_string().contains("позиции 3"), "{e}");
        }
        other => panic!("expected a corrupt row error, got {other:?}"),
    }
    assert!(matches!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Broken { position: 3, .. }
    ));
    let short_hash = match backend {
        Backend::Sqlite => "UPDATE events SET hash = x'00' WHERE position = 5",
        Backend::Postgres => "UPDATE events SET hash = '\\x00'::bytea WHERE position = 5",
    };
    db.execute_raw(short_hash).await;
    assert!(matches!(
        store.read_all(4, 10).await,
        Err(StoreError::CorruptRow { position: 5, .. })
    ));
}

/// Shredding erases the key from the disk, not only from the table: before, its bytes are in
/// the vault's files (so the check can see them); after, neither the SQLite file and its WAL
/// nor the PostgreSQL table's file holds them.
async fn a_shredded_key_leaves_the_vault_files(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    store
        .seal("p-9", "full_name", "Сидорова Анна Павловна")
        .await
        .expect("seal");
    let key = db.stored_key("p-9").await.expect("a key");
    assert_eq!(key.len(), 32);
    assert!(db.vault_files_contain(&key).await, "the key is on disk");
    store
        .shred("p-9", erasure("истёк срок хранения"), CommandId::random())
        .await
        .expect("shred");
    assert_eq!(db.stored_key("p-9").await, None);
    assert!(
        !db.vault_files_contain(&key).await,
        "the shredded key is still on disk"
    );
}

/// The erasure of a person's data by the department's operator of personal data, on
/// `grounds`, under the test's order.
fn erasure(grounds: &str) -> Erasure {
    Erasure {
        actor: Actor::new("dpo", "department"),
        basis: Some(order()),
        grounds: grounds.into(),
        effective: day(2025, 6, 1),
    }
}

/// A vault of an older schema migrated (on SQLite, migration 0020 keeps it by person): the
/// fields sealed before open as they did, a person shredded before stays erased, and keys
/// shredded after leave the files — the migration's copy of the vault left none of its keys
/// behind in the pages of the table it replaced, and a vault of several pages (four hundred
/// persons: leaves and the inner pages above them, which in a table kept by person hold whole
/// rows) gives up each key it shreds wherever the key lay.
async fn a_migrated_vault_opens_what_it_sealed_and_shredding_still_erases(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let mut sealed = Vec::new();
    for n in 0..400 {
        let person = format!("p-{n:03}");
        let field = store
            .seal(&person, "full_name", &format!("Иванова Мария {n}"))
            .await
            .expect("seal");
        sealed.push((person, field));
    }
    let expired = || erasure("истёк срок хранения");
    store
        .shred("p-001", expired(), CommandId::random())
        .await
        .expect("shred");
    // every fortieth person, from the first leaf to the last, is shredded after
    let shredded_after: Vec<usize> = (0..400).step_by(40).collect();
    let mut keys = Vec::new();
    for &n in &shredded_after {
        keys.push(db.stored_key(&sealed[n].0).await.expect("a key"));
    }
    let kept_key = db.stored_key("p-399").await.expect("a key");
    drop(store);
    db.pretend_previous_schema().await;
    let migrated = db.open().await;
    let fields: Vec<_> = sealed.iter().map(|(_, field)| field.clone()).collect();
    let opened = migrated.reveal_many(&fields).await.expect("reveal");
    for (n, revealed) in opened.iter().enumerate() {
        let expected = if n == 1 {
            Revealed::Erased
        } else {
            Revealed::Clear(format!("Иванова Мария {n}"))
        };
        assert_eq!(revealed, &expected, "p-{n:03}");
    }
    for key in &keys {
        assert!(db.vault_files_contain(key).await, "the key is on disk");
    }
    for &n in &shredded_after {
        migrated
            .shred(&sealed[n].0, expired(), CommandId::random())
            .await
            .expect("shred");
    }
    for (&n, key) in shredded_after.iter().zip(&keys) {
        assert_eq!(
            migrated.reveal(&sealed[n].1).await.expect("reveal"),
            Revealed::Erased
        );
        assert!(
            !db.vault_files_contain(key).await,
            "the shredded key of p-{n:03} is still on disk"
        );
    }
    assert!(
        db.vault_files_contain(&kept_key).await,
        "a key not shredded stays"
    );
}

async fn personal_fields_are_sealed_and_shredding_keeps_the_log_verifiable(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let name = store
        .seal("p-1", "full_name", "Иванова Мария Петровна")
        .await
        .expect("seal");
    let birth = store
        .seal("p-1", "birth_date", "1980-04-12")
        .await
        .expect("seal");
    let other = store
        .seal("p-2", "full_name", "Петров Олег Ильич")
        .await
        .expect("seal");
    let payload =
        json!({ "person": "p-1", "full_name": name, "birth_date": birth, "colleague": other });
    let s = stream("person-p-1");
    let e = NewEvent::new(
        "PersonRegistered",
        payload.clone(),
        day(2024, 9, 1),
        Actor::new("admin", "methodical_center"),
    );
    store
        .append(&s, ExpectedVersion::NoStream, vec![e], CommandId::random())
        .await
        .expect("append");
    let stored = store.read_stream(&s, 1, 1).await.expect("read").remove(0);
    assert!(
        !stored.payload.contains("Иванова") && !stored.payload.contains("1980-04-12"),
        "no personal field in clear"
    );
    assert_eq!(
        store.reveal(&name).await.expect("reveal"),
        Revealed::Clear("Иванова Мария Петровна".into())
    );
    let revealed = store
        .reveal_payload(&stored.payload_value().expect("json"))
        .await
        .expect("reveal payload");
    assert_eq!(revealed["full_name"], "Иванова Мария Петровна");

    let withdrawn = erasure("отзыв согласия на обработку персональных данных");
    let shredded = store
        .shred("p-1", withdrawn, CommandId::random())
        .await
        .expect("shred");
    let erased_event = store
        .read_all(shredded.first_position, 1)
        .await
        .expect("read")
        .remove(0);
    assert_eq!(erased_event.event_type, "PersonalDataErased");
    assert_eq!(erased_event.stream.as_str(), "personal-data-p-1");
    assert_eq!(erased_event.basis, Some(order()));

    assert!(
        store::verify(store.as_ref())
            .await
            .expect("verify")
            .is_intact(),
        "the log still verifies"
    );
    assert_eq!(store.reveal(&name).await.expect("reveal"), Revealed::Erased);
    assert_eq!(
        store.reveal(&birth).await.expect("reveal").to_string(),
        "данные удалены"
    );
    let after = store
        .reveal_payload(&stored.payload_value().expect("json"))
        .await
        .expect("reveal payload");
    assert_eq!(after["full_name"], "данные удалены");
    assert_eq!(
        after["colleague"], "Петров Олег Ильич",
        "another person's data is untouched"
    );
    assert!(store.is_erased("p-1").await.expect("erased"));
    // Many fields at once, with one look-up of their keys: the erased and the intact.
    assert_eq!(
        store
            .reveal_many(&[name.clone(), other.clone(), birth.clone()])
            .await
            .expect("reveal many"),
        vec![
            Revealed::Erased,
            Revealed::Clear("Петров Олег Ильич".into()),
            Revealed::Erased
        ]
    );
    let refused = store.seal("p-1", "full_name", "снова").await;
    assert!(
        matches!(refused, Err(StoreError::PersonalDataErased { .. })),
        "{refused:?}"
    );
    // A ciphertext moved to another person or field does not open.
    let mut moved = other.clone();
    moved.sealed.field = "birth_date".into();
    assert!(matches!(
        store.reveal(&moved).await,
        Err(StoreError::VaultCrypto { .. })
    ));
}

async fn a_database_made_by_a_newer_schema_is_refused(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    db.pretend_newer_schema(99999).await;
    for mode in [
        OpenMode::Existing,
        OpenMode::CreateOrMigrate,
        OpenMode::BulkLoad,
    ] {
        let opened = store::open(&db.url, mode, Arc::new(store::SystemClock)).await;
        match opened {
            Err(e @ StoreError::SchemaTooNew { found: 99999, .. }) => {
                assert_eq!(e.code(), "schema_too_new")
            }
            Err(other) => panic!("expected schema_too_new, got {other:?}"),
            Ok(_) => panic!("a newer schema was accepted"),
        }
    }
}

/// A bulk load (`metod demo`) creates the store as `init` does; what it appended is there,
/// in a verifying chain, when the store is opened again the ordinary way.
async fn a_bulk_load_creates_the_store_and_keeps_what_it_wrote(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let loaded = store::open(&db.url, OpenMode::BulkLoad, Arc::new(store::SystemClock))
        .await
        .expect("a bulk load creates the store");
    for n in 0..20 {
        loaded
            .append(
                &stream("bulk"),
                ExpectedVersion::Any,
                vec![event("Loaded", n)],
                CommandId::random(),
            )
            .await
            .expect("append");
    }
    drop(loaded);
    let reopened = store::open(&db.url, OpenMode::Existing, Arc::new(store::SystemClock))
        .await
        .expect("the loaded store opens");
    assert_eq!(reopened.last_position().await.expect("head"), 20);
    assert!(store::verify(reopened.as_ref())
        .await
        .expect("verify")
        .is_intact());
}

async fn a_store_that_was_never_initialized_is_refused(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let opened = store::open(&db.url, OpenMode::Existing, Arc::new(store::SystemClock)).await;
    assert!(
        matches!(opened, Err(StoreError::NotInitialized { .. })),
        "{:?}",
        opened.err()
    );
}

async fn invalid_appends_are_refused_before_anything_is_written(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let s = stream("s");
    let empty = store
        .append(&s, ExpectedVersion::Any, vec![], CommandId::random())
        .await;
    assert!(matches!(empty, Err(StoreError::EmptyAppend)));
    let nameless = store
        .append(
            &s,
            ExpectedVersion::Any,
            vec![event("Good", 1), event("bad name", 2)],
            CommandId::random(),
        )
        .await;
    assert!(matches!(nameless, Err(StoreError::InvalidEvent { .. })));
    let mut anonymous = event("Good", 3);
    anonymous.actor.id.clear();
    assert!(matches!(
        store
            .append(
                &s,
                ExpectedVersion::Any,
                vec![anonymous],
                CommandId::random()
            )
            .await,
        Err(StoreError::InvalidEvent { .. })
    ));
    assert!(matches!(
        StreamId::parse("has space"),
        Err(StoreError::InvalidStreamName { .. })
    ));
    assert_eq!(store.last_position().await.expect("last"), 0);
}

async fn checkpoints_start_at_zero_and_only_move_forward(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    assert_eq!(store.checkpoint("process-managers").await.expect("read"), 0);
    store
        .save_checkpoint("process-managers", 5)
        .await
        .expect("save");
    store
        .save_checkpoint("process-managers", 3)
        .await
        .expect("save older");
    assert_eq!(store.checkpoint("process-managers").await.expect("read"), 5);
    store
        .save_checkpoint("projections", 2)
        .await
        .expect("save other");
    assert_eq!(store.checkpoint("projections").await.expect("read"), 2);
    assert_eq!(store.checkpoint("process-managers").await.expect("read"), 5);
    // Checkpoints survive reopening the store.
    drop(store);
    let reopened = db.open().await;
    assert_eq!(
        reopened.checkpoint("process-managers").await.expect("read"),
        5
    );
}

/// Read-model rows come back exactly as written — bodies with quotes, backslashes, tabs, line
/// breaks and Cyrillic, open and closed ends on both axes — across more rows than one
/// message of a bulk write carries; a retirement closes a row's transaction time; a commit
/// at a checkpoint that moved writes nothing.
async fn fact_rows_are_stored_exactly_as_written(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let row = |id: u64, body: &str| FactRow {
        id,
        kind: "document".into(),
        key: format!("doc-{id}"),
        scope: if id % 2 == 0 {
            String::new()
        } else {
            "assoc\\1".into()
        },
        valid_from: day(2024, 9, 1),
        valid_to: (id % 3 == 0).then(|| day(2025, 5, 31)),
        recorded_from: at(2024, 9, 2, 10),
        recorded_to: (id % 5 == 0).then(|| at(2024, 9, 3, 11)),
        position: id + 7,
        body: body.into(),
    };
    let mut rows = vec![
        row(
            1,
            r#"{"title":"План «математика» \"2024/25\"","path":"C:\\work\\plan"}"#,
        ),
        row(
            2,
            "tab\there, newline\nthere, return\rthere, backslash-n \\n, end\\",
        ),
        row(3, ""),
    ];
    rows.extend((4..=25_003).map(|id| row(id, &format!(r#"{{"n":{id},"note":"строка\\{id}"}}"#))));
    store
        .commit_facts(
            "read-models",
            0,
            30,
            &FactChanges {
                inserted: rows.clone(),
                retired: Vec::new(),
            },
            store::Retiring::Now,
        )
        .await
        .expect("commit");
    assert_eq!(store.all_facts().await.expect("read"), rows);

    let retired_at = at(2024, 10, 1, 9);
    store
        .commit_facts(
            "read-models",
            30,
            31,
            &FactChanges {
                inserted: vec![row(25_004, "{}")],
                retired: vec![(2, retired_at)],
            },
            store::Retiring::Now,
        )
        .await
        .expect("second commit");
    rows[1].recorded_to = Some(retired_at);
    rows.push(row(25_004, "{}"));
    assert_eq!(store.all_facts().await.expect("read"), rows);

    let moved = store
        .commit_facts(
            "read-models",
            30,
            32,
            &FactChanges {
                inserted: vec![row(25_005, "{}")],
                retired: vec![(1, retired_at)],
            },
            store::Retiring::Now,
        )
        .await;
    assert!(
        matches!(moved, Err(StoreError::ReadModelMoved { .. })),
        "{moved:?}"
    );
    assert_eq!(store.all_facts().await.expect("read"), rows);
    assert_eq!(
        store.checkpoint("read-models").await.expect("checkpoint"),
        31
    );
}

/// Retirements that may wait (a rebuild's batches): on SQLite they leave their rows as they
/// are until a commit that retires now, or a settling, applies them all (PostgreSQL applies
/// them at once); on both, the rows are right once settled, a commit at a checkpoint that
/// moved keeps none, and emptying the facts drops those waiting with the rows.
async fn retirements_kept_waiting_close_their_rows_only_when_applied(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let row = |id: u64| FactRow {
        id,
        kind: "membership".into(),
        key: format!("member-{id}"),
        scope: "assoc-1".into(),
        valid_from: day(2024, 9, 1),
        valid_to: None,
        recorded_from: at(2024, 9, 2, 10),
        recorded_to: None,
        position: id,
        body: format!(r#"{{"n":{id}}}"#),
    };
    let commit = |expected: u64,
                  to: u64,
                  inserted: Vec<u64>,
                  retired: Vec<(u64, DateTime<Utc>)>,
                  retiring| {
        let store = &store;
        async move {
            store
                .commit_facts(
                    "read-models",
                    expected,
                    to,
                    &FactChanges {
                        inserted: inserted.into_iter().map(row).collect(),
                        retired,
                    },
                    retiring,
                )
                .await
        }
    };
    let mut rows: Vec<FactRow> = (1..=6).map(row).collect();
    write_fact_rows(store.as_ref(), &rows).await;
    let (t2, t3, t4) = (at(2024, 10, 1, 9), at(2024, 10, 2, 9), at(2024, 10, 3, 9));

    commit(
        6,
        7,
        vec![7],
        vec![(2, t2), (4, t4)],
        store::Retiring::Later,
    )
    .await
    .expect("a batch whose retirements wait");
    commit(7, 8, vec![], vec![(3, t3)], store::Retiring::Later)
        .await
        .expect("another");
    let moved = commit(7, 9, vec![], vec![(5, t3)], store::Retiring::Later).await;
    assert!(
        matches!(moved, Err(StoreError::ReadModelMoved { .. })),
        "{moved:?}"
    );
    rows.push(row(7));
    let mut settled = rows.clone();
    settled[1].recorded_to = Some(t2);
    settled[2].recorded_to = Some(t3);
    settled[3].recorded_to = Some(t4);
    let waiting = match backend {
        Backend::Sqlite => &rows,
        Backend::Postgres => &settled,
    };
    assert_eq!(
        &store.all_facts().await.expect("read"),
        waiting,
        "on SQLite the rows are as written, their retirements waiting"
    );
    assert_eq!(store.checkpoint("read-models").await.expect("read"), 8);

    store.settle_facts().await.expect("settle");
    let mut rows = settled;
    assert_eq!(store.all_facts().await.expect("read"), rows);
    store.settle_facts().await.expect("nothing left to settle");
    assert_eq!(store.all_facts().await.expect("read"), rows);
    assert_eq!(
        store.checkpoint("read-models").await.expect("read"),
        8,
        "settling moves no checkpoint"
    );

    commit(8, 9, vec![], vec![(1, t2)], store::Retiring::Later)
        .await
        .expect("waits");
    commit(9, 10, vec![8], vec![(6, t3)], store::Retiring::Now)
        .await
        .expect("retires now, and what waits with it");
    rows[0].recorded_to = Some(t2);
    rows[5].recorded_to = Some(t3);
    rows.push(row(8));
    assert_eq!(store.all_facts().await.expect("read"), rows);

    commit(10, 11, vec![], vec![(7, t4)], store::Retiring::Later)
        .await
        .expect("waits");
    store.clear_facts("read-models").await.expect("clear");
    let fresh: Vec<FactRow> = (1..=7).map(row).collect();
    write_fact_rows(store.as_ref(), &fresh).await;
    store.settle_facts().await.expect("settle");
    assert_eq!(
        store.all_facts().await.expect("read"),
        fresh,
        "a retirement waiting went with the rows it named"
    );
}

/// Writes `rows` as the read models' first batch.
async fn write_fact_rows(store: &dyn MetodStore, rows: &[FactRow]) {
    store
        .commit_facts(
            "read-models",
            0,
            rows.len() as u64,
            &FactChanges {
                inserted: rows.to_vec(),
                retired: Vec::new(),
            },
            store::Retiring::Now,
        )
        .await
        .expect("commit");
}

/// Asserts that the rows of `kinds` held at `point` are exactly those of `rows` that hold
/// there (as known at `known`, which stands for "now" when the point has no moment), and
/// that the counts per scope of `counted` are those rows counted.
async fn assert_held(
    store: &dyn MetodStore,
    rows: &[FactRow],
    kinds: &[&str],
    counted: &str,
    point: TimePoint,
    known: DateTime<Utc>,
) {
    let TimePoint { as_of, known_at } = point;
    let holding: Vec<&FactRow> = rows
        .iter()
        .filter(|row| {
            row.valid_from <= as_of
                && row.valid_to.is_none_or(|to| as_of < to)
                && row.recorded_from <= known
                && row.recorded_to.is_none_or(|to| known < to)
        })
        .collect();
    let found = store.facts_at(kinds, point).await.expect("facts at");
    let held: Vec<HeldFact> = holding
        .iter()
        .filter(|row| kinds.contains(&row.kind.as_str()))
        .map(|row| row.held())
        .collect();
    assert_eq!(
        found, held,
        "{kinds:?} as of {as_of}, known at {known_at:?}"
    );
    // By scope, for two scopes of three: SQLite reads the memberships, roles, documents and
    // meetings from the index of their bodies by scope, the rest through the index by scope
    // and the table.
    let scopes = ["assoc-0".to_string(), "assoc-2".to_string()];
    for kind in kinds {
        let found = store
            .facts_in_scopes(kind, &scopes, point)
            .await
            .expect("facts in scopes");
        let held: Vec<HeldFact> = holding
            .iter()
            .filter(|row| row.kind == *kind && scopes.contains(&row.scope))
            .map(|row| row.held())
            .collect();
        assert_eq!(
            found, held,
            "{kind} in {scopes:?} as of {as_of}, known at {known_at:?}"
        );
    }
    let mut expected_counts = std::collections::BTreeMap::<String, u64>::new();
    for row in holding.iter().filter(|r| r.kind == counted) {
        *expected_counts.entry(row.scope.clone()).or_default() += 1;
    }
    let counts = store.count_facts_at(counted, point).await.expect("counts");
    assert_eq!(
        counts,
        expected_counts.into_iter().collect::<Vec<_>>(),
        "counts as of {as_of}, known at {known_at:?}"
    );
}

/// "Held at (D, T)" finds exactly the rows with valid_from ≤ D < valid_to and recorded_from ≤
/// T < recorded_to, whatever their length: rows one day to eleven years long and open, each
/// length on both sides of the span-class limits (31, 366, 3,660 days), asked about the day
/// before each begins, its first and last day and the day it ends, as known now and before a
/// correction, of kinds read through every index that finds them, all together and by scope;
/// counts per scope agree with the rows.
async fn held_rows_are_found_on_every_day_they_hold_whatever_their_length(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let start = day(2016, 9, 1);
    let lengths: [Option<i64>; 12] = [
        Some(1),
        Some(30),
        Some(31),
        Some(32),
        Some(365),
        Some(366),
        Some(367),
        Some(3_659),
        Some(3_660),
        Some(3_661),
        Some(4_000),
        None,
    ];
    let written = at(2016, 8, 1, 9);
    let corrected = at(2020, 1, 10, 9);
    let mut rows = Vec::new();
    for (i, length) in lengths.iter().enumerate() {
        for (j, kind) in ["membership", "role", "document", "meeting"]
            .iter()
            .enumerate()
        {
            let from = start + chrono::Duration::days(17 * i as i64 + 400 * j as i64);
            let id = rows.len() as u64 + 1;
            rows.push(FactRow {
                id,
                kind: (*kind).into(),
                key: format!("{kind}-{i}"),
                scope: format!("assoc-{}", i % 3),
                valid_from: from,
                valid_to: length.map(|n| from + chrono::Duration::days(n)),
                recorded_from: written,
                // Every third row was corrected later: it is no longer what is known.
                recorded_to: (i % 3 == 2).then_some(corrected),
                position: id,
                body: "{}".into(),
            });
        }
    }
    write_fact_rows(store.as_ref(), &rows).await;
    let mut days = BTreeSet::new();
    for row in &rows {
        days.insert(row.valid_from - chrono::Duration::days(1));
        days.insert(row.valid_from);
        if let Some(to) = row.valid_to {
            days.insert(to - chrono::Duration::days(1));
            days.insert(to);
        }
    }
    for as_of in days {
        for known_at in [None, Some(at(2019, 6, 1, 9))] {
            let point = TimePoint { as_of, known_at };
            let known = known_at.unwrap_or_else(|| at(2030, 1, 1, 0));
            // Documents and meetings known now are read through SQLite's index of current
            // bodies, the other kinds (and all as known before) through the indexes by kind:
            // asked together and apart, the rows are the same and in id order.
            for kinds in [
                &["membership", "role", "document", "meeting"][..],
                &["document"],
                &["meeting", "membership"],
            ] {
                assert_held(store.as_ref(), &rows, kinds, "membership", point, known).await;
            }
        }
    }
}

/// "Held at (D, T)" finds exactly the long or open rows believed at T, however long they were
/// believed: rows open in valid time (or longer than ten years) recorded for a microsecond
/// to eleven years and still, each length on both sides of the recorded-class limits (31,
/// 366, 3,660 days), asked just before each was recorded, at its recording, at its last
/// moment and when it was superseded; counts per scope agree with the rows. Memberships over
/// the same spans are found alike, together and by scope.
async fn long_rows_are_found_at_every_moment_they_were_believed_however_long(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let start = day(2016, 9, 1);
    let micro = chrono::Duration::microseconds(1);
    let days = chrono::Duration::days;
    let believed: [Option<chrono::Duration>; 16] = [
        Some(micro),
        Some(days(1)),
        Some(days(31) - micro),
        Some(days(31)),
        Some(days(31) + micro),
        Some(days(365)),
        Some(days(366)),
        Some(days(366) + micro),
        Some(days(367)),
        Some(days(3_659)),
        Some(days(3_660)),
        Some(days(3_660) + micro),
        Some(days(3_661)),
        Some(days(4_000)),
        Some(days(5_000)),
        None,
    ];
    let first = at(2016, 8, 1, 9);
    let mut rows = Vec::new();
    for (i, length) in believed.iter().enumerate() {
        let recorded_from = first + chrono::Duration::hours(7 * i as i64);
        let id = rows.len() as u64 + 1;
        rows.push(FactRow {
            id,
            kind: "member_count".into(),
            key: format!("count-{i}"),
            scope: format!("assoc-{}", i % 4),
            valid_from: start + days(i as i64),
            // open, or longer than the longest bounded span class
            valid_to: (i % 2 == 1).then(|| start + days(4_000 + i as i64)),
            recorded_from,
            recorded_to: length.map(|length| recorded_from + length),
            position: id,
            body: "{}".into(),
        });
    }
    // The same spans as memberships: SQLite reads those by scope from the index that holds
    // their bodies, which must bound the moment as the index by scope does.
    let twins: Vec<FactRow> = rows
        .iter()
        .map(|row| FactRow {
            id: row.id + believed.len() as u64,
            kind: "membership".into(),
            key: row.key.replace("count", "membership"),
            position: row.position + believed.len() as u64,
            ..row.clone()
        })
        .collect();
    rows.extend(twins);
    write_fact_rows(store.as_ref(), &rows).await;
    let mut moments = BTreeSet::new();
    for row in &rows {
        moments.extend([row.recorded_from - micro, row.recorded_from]);
        if let Some(to) = row.recorded_to {
            moments.extend([to - micro, to]);
        }
    }
    for known in moments {
        for as_of in [start - days(1), start + days(20), start + days(4_010)] {
            let point = TimePoint {
                as_of,
                known_at: Some(known),
            };
            let kinds = ["member_count", "membership"];
            assert_held(store.as_ref(), &rows, &kinds, "member_count", point, known).await;
        }
    }
    let now = TimePoint {
        as_of: start + days(20),
        known_at: None,
    };
    let still: Vec<u64> = store
        .facts_at(&["member_count"], now)
        .await
        .expect("facts now")
        .into_iter()
        .map(|row| row.id)
        .collect();
    let count_15: Vec<u64> = rows
        .iter()
        .filter(|row| row.key == "count-15")
        .map(|row| row.id)
        .collect();
    assert_eq!(still, count_15, "only the row still believed");
}

/// The benchmark's ceiling appends without the tree; the usual opening builds it after, so a
/// store written that way is never without its tree.
async fn a_store_written_without_the_tree_gets_it_when_opened_as_usual(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    let bare = store::bench::open_without_tree(&db.url, Arc::new(store::SystemClock))
        .await
        .expect("opens");
    append_n(bare.as_ref(), "s", 70).await;
    assert!(store::verify(bare.as_ref())
        .await
        .expect("verify")
        .is_intact());
    drop(bare);
    let store = db.open().await;
    assert_tree_is_the_logs(store.as_ref(), 64).await;
    append_n(store.as_ref(), "s", 3).await;
    assert_tree_is_the_logs(store.as_ref(), 70).await;
}

/// One holder of a role at a time, whichever handle asks; another role is apart; when the
/// holder lets go (or dies: its connection closes), the next one to ask leads.
async fn one_holder_leads_a_role_at_a_time_and_a_lost_leader_is_replaced(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (a, b) = (db.open().await, db.open().await);
    let lease = a
        .try_lead("workflow")
        .await
        .expect("asks")
        .expect("the first to ask leads");
    assert!(b.try_lead("workflow").await.expect("asks").is_none());
    assert!(a.try_lead("workflow").await.expect("asks").is_none());
    let other = b.try_lead("another").await.expect("asks");
    assert!(other.is_some(), "a role of its own");
    drop(lease);
    let started = std::time::Instant::now();
    let taken = loop {
        if let Some(lease) = b.try_lead("workflow").await.expect("asks") {
            break lease;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "never taken over"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(a.try_lead("workflow").await.expect("asks").is_none());
    drop(taken);
}

/// Verification resumed where an earlier one ended reads only what was appended since, and
/// still finds a break there and at the end of the log.
async fn verification_resumed_checks_what_was_appended_since(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 10).await;
    let Verification::Intact { events, head } = store::verify(store.as_ref()).await.expect("v")
    else {
        panic!("intact")
    };
    assert_eq!(events, 10);
    assert_eq!(
        store::verify_after(store.as_ref(), events, head)
            .await
            .expect("v"),
        Verification::Intact { events, head },
        "nothing appended: the same answer"
    );
    append_n(store.as_ref(), "s", 5).await;
    let full = store::verify(store.as_ref()).await.expect("v");
    assert_eq!(
        store::verify_after(store.as_ref(), events, head)
            .await
            .expect("v"),
        full
    );
    db.execute_raw(
        "UPDATE events SET payload = replace(payload, 'abc', 'abd') WHERE position = 13",
    )
    .await;
    match store::verify_after(store.as_ref(), events, head)
        .await
        .expect("v")
    {
        Verification::Broken { position, .. } => assert_eq!(position, 13),
        intact => panic!("a change after the verified part went unseen: {intact:?}"),
    }
    // resumed from a head that is not the log's: the first new event does not chain to it
    match store::verify_after(store.as_ref(), events, [7u8; 32])
        .await
        .expect("v")
    {
        Verification::Broken { position, .. } => assert_eq!(position, 11),
        intact => panic!("{intact:?}"),
    }
}

/// A verification that runs while others append never reports a break: events appended
/// after it read the end of the log are read and chained too, and every answer is intact.
async fn verification_while_others_append_is_intact(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 20).await;
    let writer = {
        let store = store.clone();
        tokio::spawn(async move {
            for round in 0..300 {
                append_n(store.as_ref(), &format!("w{}", round % 7), 1).await;
            }
        })
    };
    let mut verified = 0;
    let mut answers = 0;
    while !writer.is_finished() || answers == 0 {
        let answer = store::verify(store.as_ref()).await.expect("verify");
        let Verification::Intact { events, .. } = answer else {
            panic!("a verification during appends reported a break: {answer:?}");
        };
        assert!(events >= verified, "{events} < {verified}");
        verified = events;
        answers += 1;
    }
    writer.await.expect("writer");
    assert!(answers > 1, "verified {answers} times during the appends");
    assert_eq!(
        store::verify(store.as_ref()).await.expect("verify"),
        store::verify_after(store.as_ref(), 0, store::GENESIS_HASH)
            .await
            .expect("verify after")
    );
}

/// Signed checkpoints are kept as signed and listed oldest first, from any handle.
async fn signed_checkpoints_are_kept_as_signed_and_listed_in_order(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    assert!(store.signed_checkpoints().await.expect("list").is_empty());
    append_n(store.as_ref(), "s", 3).await;
    let root = store.tree_root(3).await.expect("root");
    let note = "metod/x\n3\nroot\n\n\u{2014} metod/x sig\n";
    let first = store
        .keep_signed_checkpoint(3, root, note, "metod/x+00000000+key")
        .await
        .expect("kept");
    append_n(store.as_ref(), "s", 2).await;
    let second = store
        .keep_signed_checkpoint(5, [1u8; 32], "second", "metod/x+00000000+key")
        .await
        .expect("kept");
    drop(store);
    let kept = db.open().await.signed_checkpoints().await.expect("list");
    assert_eq!(kept.len(), 2);
    assert!(first.id < second.id);
    assert_eq!(kept[0].note, note, "byte for byte, the em dash too");
    assert_eq!((kept[0].tree_size, kept[0].root), (3, root));
    assert_eq!(kept[1].tree_size, 5);
    assert_eq!(kept[0].verifier_key, "metod/x+00000000+key");
    // microseconds on both backends: the moment reads back as it was written
    assert_eq!(kept[0].signed_at, first.signed_at);
}

/// The attack `verify` alone cannot see: an old event rewritten, every later hash, the head
/// and the tree recomputed. A checkpoint of a size past the rewrite fails against the log and
/// its consistency with a newer tree cannot be proved; one before the rewrite still holds.
async fn a_rewritten_and_rehashed_history_fails_against_an_earlier_checkpoint(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    append_n(store.as_ref(), "s", 30).await;
    let (root_4, root_20) = (
        store.tree_root(4).await.expect("root"),
        store.tree_root(20).await.expect("root"),
    );
    let intact = store::verify_against(store.as_ref(), 20, root_20)
        .await
        .expect("verify");
    assert!(intact.is_intact(), "{intact:?}");
    let other_root = store::verify_against(store.as_ref(), 20, [0u8; 32])
        .await
        .expect("verify");
    assert!(
        matches!(other_root, Verification::Broken { position: 20, .. }),
        "{other_root:?}"
    );
    let longer = store::verify_against(store.as_ref(), 31, root_20)
        .await
        .expect("verify");
    assert!(
        matches!(longer, Verification::Broken { position: 31, .. }),
        "{longer:?}"
    );
    drop(store);

    db.rewrite_history(5, r#"{"n":5,"text":"переписано"}"#)
        .await;
    let store = db.open().await;
    assert_eq!(
        store.read_all(5, 1).await.expect("read")[0].payload,
        r#"{"n":5,"text":"переписано"}"#
    );
    assert!(
        store::verify(store.as_ref())
            .await
            .expect("verify")
            .is_intact(),
        "the cover-up is complete: the chain alone verifies"
    );
    match store::verify_against(store.as_ref(), 20, root_20)
        .await
        .expect("verify")
    {
        Verification::Broken { position, reason } => {
            assert_eq!(position, 20);
            assert!(
                reason.contains("не совпадает с контрольной точкой"),
                "{reason}"
            );
        }
        intact => panic!("the rewrite went unnoticed: {intact:?}"),
    }
    let new_root = store.tree_root(30).await.expect("root");
    let proof = store.consistency_proof(20, 30).await.expect("proof");
    assert!(tlog::verify_consistency(20, 30, &root_20, &new_root, &proof).is_err());
    // before the rewritten event, the log is what was signed
    assert!(store::verify_against(store.as_ref(), 4, root_4)
        .await
        .expect("verify")
        .is_intact());
    let proof = store.consistency_proof(4, 30).await.expect("proof");
    tlog::verify_consistency(4, 30, &root_4, &new_root, &proof).expect("4 -> 30 holds");
}

/// The streams an index finds by a field of their events' payloads (the meetings an
/// association held, 003 §7.9): exactly those with an event of that type and that value, in
/// order of their names, whatever else the log holds; a field that is no plain name is refused.
async fn streams_are_found_by_a_field_of_their_events(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let held = |association: &str| {
        NewEvent::new(
            "MeetingHeld",
            json!({ "meeting": "m", "association": association, "date": "2024-09-20" }),
            day(2024, 9, 20),
            Actor::new("person-1", "head"),
        )
    };
    let scheduled = NewEvent::new(
        "MeetingScheduled",
        json!({ "association": "a" }),
        day(2024, 9, 10),
        Actor::new("person-1", "head"),
    );
    for (name, events) in [
        ("meeting-2", vec![held("a")]),
        ("meeting-1", vec![held("a")]),
        ("meeting-3", vec![held("b")]),
        ("meeting-4", vec![scheduled]),
    ] {
        store
            .append(
                &stream(name),
                ExpectedVersion::NoStream,
                events,
                CommandId::random(),
            )
            .await
            .expect("append");
    }
    let found = store
        .streams_where("MeetingHeld", "association", "a")
        .await
        .expect("the lookup");
    assert_eq!(found, vec![stream("meeting-1"), stream("meeting-2")]);
    assert!(store
        .streams_where("MeetingHeld", "association", "c")
        .await
        .expect("the lookup")
        .is_empty());
    let refused = store
        .streams_where("MeetingHeld", "association') OR ('1'='1", "a")
        .await
        .expect_err("no plain name");
    assert_eq!(refused.code(), "invalid_lookup");
    let refused = store
        .streams_where("MeetingHeld' OR 'x'='x", "association", "a")
        .await
        .expect_err("no plain event type");
    assert_eq!(refused.code(), "invalid_lookup");
}

/// Two processes appending in turn to one database keep one chain and one tree. On PostgreSQL
/// a single append goes to the database in one call (`metod_append_after`) after the tip its
/// process saw last; when the other process moved the log meanwhile, nothing is written by
/// that call and the append goes the usual way, which also says what moved (a conflict, a
/// command seen before) as it always did.
async fn appends_from_two_processes_in_turn_keep_one_chain(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let (first, counted) = store::bench::open(
        &db.url,
        OpenMode::CreateOrMigrate,
        Arc::new(store::SystemClock),
    )
    .await
    .expect("the first process");
    let second = db.open().await;
    let in_one_call = || counted.appends_in_one_call();
    let one_call = |n: u64| (backend == Backend::Postgres).then_some(n);
    let s = stream("turns");
    for version in 0..10 {
        first
            .append(
                &s,
                ExpectedVersion::Exact(version),
                vec![event("Turn", version)],
                CommandId::random(),
            )
            .await
            .expect("the first process appends");
    }
    assert_eq!(
        in_one_call(),
        one_call(10),
        "one call each, after the tip it saw at opening"
    );
    for round in 0..5u64 {
        second
            .append(
                &stream("other"),
                ExpectedVersion::Exact(round),
                vec![event("Other", round)],
                CommandId::random(),
            )
            .await
            .expect("the second process appends");
        // The first process's tip is stale now: its call writes nothing, the usual append
        // writes the event after the second process's one, and the next call is one again.
        for turn in 0..2 {
            let version = 10 + 2 * round + turn;
            first
                .append(
                    &s,
                    ExpectedVersion::Exact(version),
                    vec![event("Turn", version)],
                    CommandId::random(),
                )
                .await
                .expect("the first process appends after the second");
        }
    }
    assert_eq!(
        in_one_call(),
        one_call(15),
        "the append after another process's goes the usual way"
    );
    let stale = first
        .append(
            &s,
            ExpectedVersion::Exact(3),
            vec![event("Turn", 99)],
            CommandId::random(),
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                expected: ExpectedVersion::Exact(3),
                actual: 20
            })
        ),
        "{stale:?}"
    );
    let command = CommandId::random();
    let once = first
        .append(
            &s,
            ExpectedVersion::Exact(20),
            vec![event("Turn", 20)],
            command,
        )
        .await
        .expect("appended");
    let again = first
        .append(
            &s,
            ExpectedVersion::Exact(21),
            vec![event("Turn", 21)],
            command,
        )
        .await
        .expect("the same command again");
    assert!(
        again.deduplicated && again.last_position == once.last_position,
        "{again:?}"
    );
    assert_eq!(first.last_position().await.expect("last"), 26);
    assert_eq!(first.stream_version(&s).await.expect("version"), 21);
    let events = second.read_all(1, 100).await.expect("read");
    let positions: Vec<u64> = events.iter().map(|e| e.position).collect();
    assert_eq!(positions, (1..=26).collect::<Vec<_>>());
    match store::verify(second.as_ref()).await.expect("verify") {
        Verification::Intact { events, .. } => assert_eq!(events, 26),
        broken => panic!("{broken:?}"),
    }
    assert_tree_is_the_logs(second.as_ref(), 11).await;
}

store::on_every_backend!(
    appends_from_two_processes_in_turn_keep_one_chain,
    verification_while_others_append_is_intact,
    verification_resumed_checks_what_was_appended_since,
    one_holder_leads_a_role_at_a_time_and_a_lost_leader_is_replaced,
    a_store_written_without_the_tree_gets_it_when_opened_as_usual,
    signed_checkpoints_are_kept_as_signed_and_listed_in_order,
    a_rewritten_and_rehashed_history_fails_against_an_earlier_checkpoint,
    the_tree_follows_appends_of_every_size_and_its_proofs_verify,
    the_tree_of_a_log_older_than_it_is_built_when_the_store_is_migrated,
    fact_rows_are_stored_exactly_as_written,
    retirements_kept_waiting_close_their_rows_only_when_applied,
    held_rows_are_found_on_every_day_they_hold_whatever_their_length,
    long_rows_are_found_at_every_moment_they_were_believed_however_long,
    append_stores_every_envelope_field,
    positions_are_global_and_gapless_and_versions_count_per_stream,
    a_stale_expected_version_is_a_conflict,
    concurrent_writers_at_one_expected_version_exactly_one_wins,
    a_repeated_command_id_stores_once_and_returns_the_first_result,
    a_subscription_sees_every_position_once_in_order_under_eight_concurrent_writers,
    an_append_of_three_that_fails_on_the_third_writes_none,
    an_append_of_many_chunks_is_written_whole_or_not_at_all,
    recorded_at_comes_from_the_clock_and_never_decreases,
    verify_accepts_an_intact_log_and_names_its_head,
    verify_names_a_payload_altered_by_one_byte,
    verify_names_a_deleted_row,
    verify_names_the_end_of_a_log_whose_head_record_is_deleted,
    a_corrupt_row_reads_as_a_clear_error_naming_its_position,
    personal_fields_are_sealed_and_shredding_keeps_the_log_verifiable,
    a_shredded_key_leaves_the_vault_files,
    a_migrated_vault_opens_what_it_sealed_and_shredding_still_erases,
    a_database_made_by_a_newer_schema_is_refused,
    a_store_that_was_never_initialized_is_refused,
    a_bulk_load_creates_the_store_and_keeps_what_it_wrote,
    invalid_appends_are_refused_before_anything_is_written,
    checkpoints_start_at_zero_and_only_move_forward,
    streams_are_found_by_a_field_of_their_events,
);
