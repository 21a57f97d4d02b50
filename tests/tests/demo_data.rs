//! Generated data (`metod demo`, small scale, two school years) on SQLite and PostgreSQL: the
//! generator goes through the real handlers and leaves a log that verifies; the same seed
//! gives the same history; a rebuild of the read models writes exactly what catching up in
//! small steps writes, and no fact's segments overlap; and the oversight answers agree with a replay of the log from the
//! first event through the domain's own states — as known now, and as known at a past moment
//! (with the late-recorded events left out of the replay).

mod fact_rows;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde_json::Value;

use commands::{fact_of, ProfileSet};
use domain::calendar::SchoolYear;
use domain::events::AdmissionBasis;
use domain::ids::AssociationId;
use domain::state::{ApplicationStatus, DocumentStatus, MeetingStatus};
use domain::values::{AssociationRole, DevelopmentMilestone, DocumentType, Level};
use domain::World;
use projections::queries::{self, Filters, Question, Row};
use store::testing::TestDatabase;
use store::{Backend, SharedStore, TimePoint, Verification};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn spec(seed: u64) -> demo::DemoSpec {
    spec_of("novokuznetsk", seed)
}

fn spec_of(profile: &str, seed: u64) -> demo::DemoSpec {
    demo::DemoSpec {
        profile: profile.into(),
        scale: demo::Scale::Small,
        years: 2,
        seed,
    }
}

async fn generated(backend: Backend, seed: u64) -> (TestDatabase, SharedStore, demo::DemoReport) {
    generated_of(backend, spec(seed)).await
}

async fn generated_of(
    backend: Backend,
    spec: demo::DemoSpec,
) -> (TestDatabase, SharedStore, demo::DemoReport) {
    let db = TestDatabase::new(backend).await;
    let clock = demo::demo_clock();
    let store = db.open_with(clock.clone()).await;
    let report = demo::generate(
        store.clone(),
        ProfileSet::built_in().expect("profiles"),
        clock,
        spec,
        &|_, _| {},
    )
    .await
    .expect("the demo generates");
    (db, store, report)
}

/// The log folded through the domain's states, leaving out what was recorded after
/// `known_at`.
async fn replay(store: &SharedStore, known_at: Option<DateTime<Utc>>) -> World {
    let mut world = World::default();
    let events = store.read_all(1, usize::MAX >> 1).await.expect("read");
    for recorded in events {
        if known_at.is_some_and(|t| recorded.recorded_at > t) {
            continue;
        }
        let Some(fact) = fact_of(&recorded).expect("decodes") else {
            continue;
        };
        world.fold(&fact);
    }
    world
}

async fn answer(store: &SharedStore, name: &str, at: TimePoint) -> Vec<Row> {
    answer_of(store, "novokuznetsk", name, at).await
}

async fn answer_of(store: &SharedStore, profile: &str, name: &str, at: TimePoint) -> Vec<Row> {
    let profiles = ProfileSet::built_in().expect("profiles");
    let question = Question {
        at,
        profile: profiles.get(profile).expect("profile"),
        filters: Filters::default(),
    };
    let kind = name.parse().expect("a known query");
    queries::run(store.as_ref(), kind, &question)
        .await
        .expect("the query runs")
        .rows
}

fn id_of(row: &Row) -> AssociationId {
    AssociationId::parse(row["association"].as_str().expect("id")).expect("uuid")
}

/// The hierarchy, meetings and member-database answers at `at`, checked against `world`.
async fn agree(store: &SharedStore, world: &World, at: TimePoint) {
    let on = at.as_of;
    let live: BTreeMap<AssociationId, _> = world
        .associations
        .iter()
        .filter(|(_, a)| {
            a.created_on.is_some_and(|c| c <= on) && a.liquidated_on.is_none_or(|l| l > on)
        })
        .map(|(id, a)| (*id, a))
        .collect();
    // The hierarchy: the same associations, heads, secretaries and member counts.
    let rows = answer(store, "hierarchy", at).await;
    let mut seen = BTreeMap::new();
    for row in &rows {
        let id = id_of(row);
        let state = live
            .get(&id)
            .unwrap_or_else(|| panic!("{id} is not live on {on}"));
        let expected = |role| {
            state
                .holder(role, on)
                .map_or(Value::Null, |p| Value::String(p.to_string()))
        };
        assert_eq!(
            row["head_id"],
            expected(AssociationRole::Head),
            "head of {id} on {on}"
        );
        assert_eq!(
            row["secretary_id"],
            expected(AssociationRole::Secretary),
            "secretary of {id} on {on}"
        );
        assert_eq!(
            row["members"],
            u64::from(state.member_count_on(on)),
            "members of {id} on {on}"
        );
        seen.insert(id, ());
    }
    assert_eq!(
        seen.len(),
        live.len(),
        "every live association is in the tree on {on}"
    );
    // Meetings held in the school year up to the date, against the four required.
    let year = SchoolYear::containing(on);
    let mut held: BTreeMap<AssociationId, u32> = BTreeMap::new();
    for meeting in world.meetings.values() {
        if meeting.status != MeetingStatus::None
            && meeting.status != MeetingStatus::Scheduled
            && meeting.school_year == Some(year)
            && meeting.date.is_some_and(|d| d <= on)
        {
            *held
                .entry(meeting.association.expect("association"))
                .or_default() += 1;
        }
    }
    let expected_short: BTreeMap<AssociationId, u32> = live
        .keys()
        .map(|id| (*id, held.get(id).copied().unwrap_or(0)))
        .filter(|(_, n)| *n < 4)
        .collect();
    let short: BTreeMap<AssociationId, u32> = answer(store, "meetings", at)
        .await
        .iter()
        .map(|row| (id_of(row), row["held"].as_u64().expect("count") as u32))
        .collect();
    assert_eq!(short, expected_short, "meetings on {on}");
    // Member databases not updated by 1 Oct of the year, once 1 Oct has passed.
    let due = date(year.start_year(), 10, 1);
    let expected_db: Vec<AssociationId> = if on > due {
        live.iter()
            .filter(|(_, a)| {
                !a.member_database_updates
                    .iter()
                    .any(|(y, d)| *y == year && *d <= due && *d <= on)
            })
            .map(|(id, _)| *id)
            .collect()
    } else {
        Vec::new()
    };
    let mut db: Vec<AssociationId> = answer(store, "member-db", at)
        .await
        .iter()
        .map(id_of)
        .collect();
    db.sort();
    assert_eq!(db, expected_db, "member databases on {on}");
}

async fn generated_history_agrees_with_a_replay(backend: Backend) {
    let (_db, store, report) = generated(backend, 7).await;
    assert!(report.events > 800, "{report:?}");
    assert!(
        report.late_recorded > 0 && report.deadlines_missed > 0,
        "{report:?}"
    );
    assert!(matches!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Intact { .. }
    ));
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let now = replay(&store, None).await;
    // 000 §7.4: each district department approves its list every year, now and then after
    // 15 Sep — and then its associations' missed day is recorded, naming the department.
    let municipality = now.municipality().expect("the municipality");
    let years: std::collections::BTreeSet<_> = municipality
        .association_lists
        .iter()
        .map(|l| l.school_year)
        .collect();
    assert!(years.len() >= 2, "{years:?}");
    let events = store.read_all(1, usize::MAX).await.expect("the log");
    let list_missed = events
        .iter()
        .filter(|e| e.event_type == "DeadlineMissed" && e.payload.contains("\"association_list\""))
        .count();
    let late_lists = municipality
        .association_lists
        .iter()
        .filter(|l| l.approved_on > date(l.school_year.first_day().year(), 9, 15))
        .count();
    assert!(
        late_lists > 0 && list_missed > 0,
        "{late_lists} {list_missed}"
    );
    for on in [
        date(2024, 9, 15),
        date(2024, 12, 1),
        date(2025, 9, 16),
        date(2025, 10, 10),
        date(2026, 5, 10),
    ] {
        agree(
            &store,
            &now,
            TimePoint {
                as_of: on,
                known_at: None,
            },
        )
        .await;
    }
    // As the department knew it on the evening of 16 Sep 2025: late entries not yet there.
    let evening = Utc
        .with_ymd_and_hms(2025, 9, 16, 20, 0, 0)
        .single()
        .expect("moment");
    let then = replay(&store, Some(evening)).await;
    agree(
        &store,
        &then,
        TimePoint {
            as_of: date(2025, 9, 15),
            known_at: Some(evening),
        },
    )
    .await;
}

/// Novosibirsk (003): heads elected, curators by the curating institution's order,
/// categories lapsing. Heads, curators and members agree with a replay, and the eligibility
/// answer is exactly the holders the domain's own check refuses on the date.
async fn generated_novosibirsk_agrees_with_a_replay(backend: Backend) {
    let (_db, store, report) = generated_of(backend, spec_of("novosibirsk", 5)).await;
    assert!(report.events > 800, "{report:?}");
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let world = replay(&store, None).await;
    let profiles = ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novosibirsk").expect("profile");
    let organizations: BTreeMap<_, _> = world
        .municipalities
        .values()
        .flat_map(|m| m.organizations.iter().map(|(id, o)| (*id, o.kind)))
        .collect();
    let mut violations_seen = 0;
    for on in [
        date(2024, 10, 1),
        date(2025, 3, 1),
        date(2025, 5, 20),
        date(2026, 4, 1),
    ] {
        let at = TimePoint {
            as_of: on,
            known_at: None,
        };
        let rows = answer_of(&store, "novosibirsk", "hierarchy", at).await;
        let mut expected = Vec::new();
        for (id, association) in &world.associations {
            if association.created_on.is_none_or(|c| c > on)
                || association.liquidated_on.is_some_and(|l| l <= on)
            {
                continue;
            }
            let holder = |role| association.holder(role, on);
            let ids = |role| holder(role).map_or(Value::Null, |p| Value::String(p.to_string()));
            let row = rows
                .iter()
                .find(|r| id_of(r) == *id)
                .unwrap_or_else(|| panic!("{id} missing on {on}"));
            assert_eq!(
                row["head_id"],
                ids(AssociationRole::Head),
                "head of {id} on {on}"
            );
            assert_eq!(
                row["curator_id"],
                ids(AssociationRole::Curator),
                "curator of {id} on {on}"
            );
            assert_eq!(row["members"], u64::from(association.member_count_on(on)));
            for role in [AssociationRole::Head, AssociationRole::Curator] {
                let (Some(person), Some(rule)) = (
                    holder(role),
                    profile.eligibility_rule(role, association.level.unwrap_or(Level::City)),
                ) else {
                    continue;
                };
                let state = &world.persons[&person];
                let kind = state
                    .position_on(on)
                    .and_then(|(organization, _)| organizations.get(&organization).copied());
                // Novosibirsk's rules name no workplace (004 §7 is Pervouralsk's).
                let workplace = domain::eligibility::Workplace {
                    organization_kind: kind,
                    required: None,
                };
                if domain::eligibility::check(rule, state, workplace, on).is_err() {
                    expected.push((*id, role.in_russian().to_string()));
                }
            }
        }
        let mut found: Vec<(AssociationId, String)> =
            answer_of(&store, "novosibirsk", "eligibility", at)
                .await
                .iter()
                .map(|r| (id_of(r), r["role"].as_str().expect("role").to_string()))
                .collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected, "eligibility on {on}");
        violations_seen += found.len();
    }
    assert!(
        violations_seen > 0,
        "the generated years hold some lapsed categories"
    );
}

async fn rebuild_equals_catching_up_in_small_steps(backend: Backend) {
    let (_db, store, _) = generated(backend, 11).await;
    let head = store.last_position().await.expect("head");
    let mut done = 0;
    while done < head {
        let current = store.current_facts().await.expect("current");
        let last_id = store.last_fact_id().await.expect("last id");
        let mut projector = projections::Projector::resume(current, last_id, done).expect("resume");
        let events = store.read_contents(done + 1, 97).await.expect("read");
        for event in &events {
            projector.apply(event).expect("apply");
        }
        let to = projector.position();
        store
            .commit_facts(
                projections::READ_MODELS,
                done,
                to,
                &projector.take_changes(),
                store::Retiring::Now,
            )
            .await
            .expect("commit");
        done = to;
    }
    a_rebuild_writes_the_same_rows(&store).await;
}

/// A server catches up after every write with the projector it kept: as the log grows in
/// steps, the rows it writes are the rows a rebuild writes — also when another process caught
/// the read models up in between (the kept projector, behind the checkpoint, is then left for
/// one resumed from the store) or rebuilt them to the same position.
async fn a_kept_projector_writes_what_a_rebuild_writes(backend: Backend) {
    let (_source_db, source, _) = generated(backend, 12).await;
    let db = TestDatabase::new(backend).await;
    let target = db.open().await;
    let events = source.read_all(1, usize::MAX >> 1).await.expect("read");
    let mut kept = None;
    let mut went_on = 0;
    // about twenty steps, whatever the size of the generated log
    for (step, chunk) in events.chunks(events.len() / 20 + 1).enumerate() {
        append_copies(&target, chunk).await;
        if step == 5 {
            // another process catches up: there is nothing left to do, and the kept
            // projector stays behind the checkpoint
            projections::catch_up(target.as_ref(), &|_, _| {})
                .await
                .expect("catch up");
        }
        let done = projections::catch_up_kept(target.as_ref(), &mut kept, &|_, _| {})
            .await
            .expect("catch up, kept");
        let head = target.last_position().await.expect("head");
        if step != 5 {
            assert_eq!(kept.as_ref().map(|p| p.position()), Some(head));
        }
        if done.went_on {
            went_on += 1;
        }
        assert_eq!(
            done.went_on,
            step > 0 && ![5, 6].contains(&step),
            "step {step}: kept only while nobody else wrote the read models"
        );
        if step == 9 {
            // another process rebuilds to the same position: the same events give the same
            // rows with the same ids, so the kept projector still goes on (and the rows
            // compared at the end show it right to)
            projections::rebuild(target.as_ref(), &|_, _| {})
                .await
                .expect("rebuild");
        }
    }
    assert!(went_on >= 15, "the kept projector went on {went_on} times");
    a_rebuild_writes_the_same_rows(&target).await;
}

/// A rebuild in many batches writes the rows a rebuild in one batch writes: the retirements
/// of rows an earlier batch wrote wait (`store::Retiring::Later`, on SQLite) and its last
/// batch applies them — a region's rebuild is some fifty batches; this log, in batches of 97 events, a few
/// dozen. And a rebuild interrupted with retirements waiting is finished by the next
/// catch-up, which applies them before it reads the rows it goes on from.
async fn a_rebuild_in_batches_with_retirements_waiting_writes_what_one_batch_writes(
    backend: Backend,
) {
    let (_db, store, _) = generated(backend, 13).await;
    let head = store.last_position().await.expect("head");
    projections::rebuild(store.as_ref(), &|_, _| {})
        .await
        .expect("rebuild");
    let rows = store.all_facts().await.expect("facts");
    let done = projections::rebuild_in_batches(store.as_ref(), 97, &|_, _| {})
        .await
        .expect("rebuild in batches");
    assert_eq!(done.to, head);
    assert_eq!(store.all_facts().await.expect("facts"), rows);

    // Interrupted halfway: the batches written as a rebuild writes them, and no more.
    store
        .clear_facts(projections::READ_MODELS)
        .await
        .expect("clear");
    let mut projector = projections::Projector::new();
    let (mut done, mut waiting) = (0, Vec::new());
    while done < head / 2 {
        for event in &store.read_contents(done + 1, 97).await.expect("read") {
            projector.apply(event).expect("apply");
        }
        let changes = projector.take_changes();
        waiting.extend(changes.retired.iter().map(|(id, _)| *id));
        store
            .commit_facts(
                projections::READ_MODELS,
                done,
                projector.position(),
                &changes,
                store::Retiring::Later,
            )
            .await
            .expect("commit");
        done = projector.position();
    }
    assert!(waiting.len() > 50, "{} retirements may wait", waiting.len());
    let written = store.all_facts().await.expect("facts");
    let left_open = written
        .iter()
        .filter(|row| waiting.contains(&row.id))
        .all(|row| row.recorded_to.is_none());
    assert_eq!(
        left_open,
        backend == Backend::Sqlite,
        "SQLite keeps them waiting, the rows as they were written; PostgreSQL retires at once"
    );
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    assert_eq!(store.all_facts().await.expect("facts"), rows);
}

/// No fact's segments overlap in the rows `store` holds, and a rebuild writes them again,
/// ids and all.
async fn a_rebuild_writes_the_same_rows(store: &SharedStore) {
    let rows = store.all_facts().await.expect("facts");
    fact_rows::assert_segments_never_overlap(&rows);
    projections::rebuild(store.as_ref(), &|_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(store.all_facts().await.expect("facts"), rows);
}

/// Appends a copy of each of `events` to `target`, one append each.
async fn append_copies(target: &SharedStore, events: &[store::RecordedEvent]) {
    for e in events {
        let mut event = store::NewEvent::new(
            e.event_type.clone(),
            e.payload_value().expect("payload"),
            e.effective,
            e.actor.clone(),
        )
        .with_schema(e.schema);
        event.basis = e.basis.clone();
        target
            .append(
                &e.stream,
                store::ExpectedVersion::Any,
                vec![event],
                store::CommandId::random(),
            )
            .await
            .expect("append");
    }
}

/// A catch-up that does not hold every fact reads from the store, by key, those its events
/// need: as the log grows in steps, catching up so — each time from the store, or with a
/// kept projector that forgot what it held — writes the rows a rebuild writes, while holding
/// only part of the facts.
async fn catching_up_by_key_writes_what_a_rebuild_writes(backend: Backend) {
    let (_source_db, source, _) = generated(backend, 14).await;
    let db = TestDatabase::new(backend).await;
    let target = db.open().await;
    let events = source.read_all(1, usize::MAX >> 1).await.expect("read");
    let mut kept: Option<projections::Projector> = None;
    let mut held_part = 0;
    for (step, chunk) in events.chunks(events.len() / 20 + 1).enumerate() {
        append_copies(&target, chunk).await;
        if step % 2 == 0 {
            // a process that keeps nothing: each fact its events need is read by key
            projections::catch_up(target.as_ref(), &|_, _| {})
                .await
                .expect("catch up");
            continue;
        }
        if let Some(projector) = kept.as_mut() {
            assert!(projector.forget(), "step {step}: every row was handed out");
            assert_eq!(projector.held_facts(), 0);
        }
        projections::catch_up_kept(target.as_ref(), &mut kept, &|_, _| {})
            .await
            .expect("catch up, kept");
        let head = target.last_position().await.expect("head");
        let projector = kept.as_ref().expect("kept");
        assert_eq!(projector.position(), head);
        let current = target.current_facts().await.expect("current").len();
        if step > 1 && projector.held_facts() < current {
            held_part += 1;
        }
    }
    assert!(
        held_part >= 8,
        "held only part of the facts {held_part} times"
    );
    a_rebuild_writes_the_same_rows(&target).await;
}

/// A person's inbox reads only their own roles, offices and the documents waiting on them;
/// on every third day of the generated years it lists exactly the documents whose holders
/// (`document_holder`, from the whole municipality's roles and offices) include them. The
/// document page's holder (`current_holder`, reading only the step's role or the officials)
/// is the same.
async fn each_inbox_holds_exactly_what_waits_on_its_person(backend: Backend) {
    let (_db, store, _) = generated(backend, 13).await;
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let profiles = ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novokuznetsk").expect("profile");
    let needs = projections::snapshot::Needs {
        registry: true,
        roles: true,
        open_documents: true,
        ..Default::default()
    };
    let mut checked = 0;
    let mut day = NaiveDate::from_ymd_opt(2024, 9, 2).expect("date");
    while day < NaiveDate::from_ymd_opt(2026, 6, 1).expect("date") {
        let at = TimePoint {
            as_of: day,
            known_at: None,
        };
        let town = projections::snapshot::Snapshot::load(store.as_ref(), at, needs)
            .await
            .expect("snapshot");
        let mut expected: BTreeMap<domain::ids::PersonId, Vec<domain::ids::DocumentId>> =
            BTreeMap::new();
        for document in &town.open_documents {
            use projections::facts::DocumentPhase as P;
            if !matches!(
                document.phase,
                P::Draft | P::InReview { .. } | P::Returned { .. }
            ) || !town.associations.contains_key(&document.association)
            {
                continue;
            }
            let (_, holders) = projections::queries::document_holder(&town, document);
            // the document page's holder reads only what the step needs, and finds the same
            let page =
                projections::queries::current_holder(store.as_ref(), at, document.document, false)
                    .await
                    .expect("holder")
                    .expect("a waiting document has a holder");
            let on_page: Vec<_> = page.persons.iter().map(|(p, _)| *p).collect();
            assert_eq!(on_page, holders, "{} on {day}", document.document);
            for holder in holders {
                expected.entry(holder).or_default().push(document.document);
            }
        }
        // every holder, and a person who holds nothing
        let idle = town.officials.first().map(|o| o.person);
        for (person, mut documents) in expected.into_iter().chain(idle.map(|p| (p, vec![]))) {
            let inbox = projections::inbox::inbox(store.as_ref(), at, profile, person)
                .await
                .expect("inbox");
            let mut found: Vec<_> = inbox.iter().map(|i| i.document).collect();
            found.sort();
            documents.sort();
            documents.dedup();
            if documents.is_empty() && !found.is_empty() {
                continue; // the official picked as idle holds something after all
            }
            assert_eq!(found, documents, "{person} on {day}");
            checked += documents.len();
        }
        day += chrono::Duration::days(3);
    }
    assert!(checked > 50, "only {checked} waiting documents checked");
}

async fn the_same_seed_gives_the_same_history(backend: Backend) {
    same_seed_same_history(backend, "novokuznetsk").await;
}

async fn same_seed_same_history(backend: Backend, profile: &str) {
    // Personal fields are sealed with random nonces; everything else is the same.
    let strip = |payload: &str| {
        let mut value: Value = serde_json::from_str(payload).expect("json");
        if let Some(map) = value.as_object_mut() {
            for field in ["full_name", "birth_date", "position_title"] {
                map.remove(field);
            }
        }
        value
    };
    let history = |store: SharedStore| async move {
        store
            .read_all(1, usize::MAX >> 1)
            .await
            .expect("read")
            .into_iter()
            .map(|e| {
                (
                    e.stream.to_string(),
                    e.event_type,
                    e.effective,
                    e.recorded_at,
                    strip(&e.payload),
                )
            })
            .collect::<Vec<_>>()
    };
    let (_a, first, _) = generated_of(backend, spec_of(profile, 3)).await;
    let (_b, second, _) = generated_of(Backend::Sqlite, spec_of(profile, 3)).await;
    let (_c, other, _) = generated_of(Backend::Sqlite, spec_of(profile, 4)).await;
    assert_eq!(history(first.clone()).await, history(second).await);
    assert_ne!(history(first).await, history(other).await);
}

/// The log verifies; the hierarchy (heads, curators, member counts) agrees with a replay on
/// each of `dates`. Returns the replayed world.
async fn verified_and_agreeing(
    store: &SharedStore,
    profile: &str,
    report: &demo::DemoReport,
    dates: &[NaiveDate],
) -> World {
    assert!(report.events > 500, "{report:?}");
    assert!(report.late_recorded > 0, "{report:?}");
    assert!(matches!(
        store::verify(store.as_ref()).await.expect("verify"),
        Verification::Intact { .. }
    ));
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let world = replay(store, None).await;
    for on in dates {
        let at = TimePoint {
            as_of: *on,
            known_at: None,
        };
        let rows = answer_of(store, profile, "hierarchy", at).await;
        let live: Vec<_> = world
            .associations
            .iter()
            .filter(|(_, a)| {
                a.created_on.is_some_and(|c| c <= *on) && a.liquidated_on.is_none_or(|l| l > *on)
            })
            .collect();
        assert_eq!(rows.len(), live.len(), "associations on {on}");
        for (id, association) in live {
            let row = rows
                .iter()
                .find(|r| id_of(r) == *id)
                .unwrap_or_else(|| panic!("{id} missing on {on}"));
            for (role, field) in [
                (AssociationRole::Head, "head_id"),
                (AssociationRole::Curator, "curator_id"),
            ] {
                let expected = association
                    .holder(role, *on)
                    .map_or(Value::Null, |p| Value::String(p.to_string()));
                assert_eq!(row[field], expected, "{field} of {id} on {on}");
            }
            assert_eq!(
                row["members"],
                members_on(&world, profile, association, *on),
                "members of {id} on {on}"
            );
        }
    }
    world
}

/// The members of `association` on `on` by the replayed world: its admissions, or where
/// the profile makes the composition follow from the registry (001 §1.3) the persons the
/// domain's rule counts.
fn members_on(
    world: &World,
    profile: &str,
    association: &domain::associations::state::AssociationState,
    on: NaiveDate,
) -> u64 {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    if !profiles
        .get(profile)
        .expect("profile")
        .membership
        .from_registry
    {
        return u64::from(association.member_count_on(on));
    }
    let municipality = world.municipality().expect("the municipality");
    world
        .persons
        .values()
        .filter(|p| domain::membership::by_registry::member_on(association, municipality, p, on))
        .count() as u64
}

/// The documents of `document_type` that reached the end of their chain, and all of them.
fn documents_of(world: &World, document_type: DocumentType) -> (usize, usize) {
    let all: Vec<_> = world
        .documents
        .values()
        .filter(|d| d.document_type == Some(document_type))
        .collect();
    let approved = all
        .iter()
        .filter(|d| d.status == DocumentStatus::Approved)
        .count();
    (approved, all.len())
}

/// Izhevsk (002): yearly applications (forms 1 and 2) approved or rejected by the Center,
/// the approved admitted by the workflow for 1 Sep – 31 May (a few leaving earlier of their
/// own accord); curators by order; every
/// document of §5.7–5.13 through its chain, some returned.
async fn generated_izhevsk_keeps_the_yearly_applications(backend: Backend) {
    let (_db, store, report) = generated_of(backend, spec_of("izhevsk", 5)).await;
    let world = verified_and_agreeing(
        &store,
        "izhevsk",
        &report,
        &[
            date(2024, 10, 1),
            date(2025, 3, 1),
            date(2025, 6, 15),
            date(2026, 2, 1),
        ],
    )
    .await;
    // Applications: most approved, a few rejected, each approved one admitted once, for the
    // period of its school year only.
    let approved: Vec<_> = world
        .applications
        .iter()
        .filter(|(_, a)| a.status == ApplicationStatus::Approved)
        .collect();
    let rejected = world
        .applications
        .values()
        .filter(|a| a.status == ApplicationStatus::Rejected)
        .count();
    assert!(approved.len() > 100, "{} approved", approved.len());
    assert!(
        rejected > 0 && rejected * 10 < approved.len(),
        "{rejected} rejected"
    );
    let mut admitted = 0;
    let mut organizations = 0;
    let mut left_early = 0;
    for association in world.associations.values() {
        for membership in &association.memberships {
            let AdmissionBasis::Application(id) = membership.basis else {
                panic!("a member of {} not by application", association.title);
            };
            let application = &world.applications[&id];
            assert_eq!(application.status, ApplicationStatus::Approved);
            let year = application.school_year.expect("year");
            // The period ends on 31 May, or earlier for a member who left of their own accord.
            let to = membership.term.to.expect("a term of the period");
            assert!(to <= date(year.start_year() + 1, 5, 31), "{to}");
            if to < date(year.start_year() + 1, 5, 31) {
                left_early += 1;
            }
            assert!(membership.term.from >= date(year.start_year(), 9, 1));
            admitted += 1;
            if matches!(membership.member, domain::events::Member::Organization(_)) {
                organizations += 1;
            }
        }
    }
    assert_eq!(
        admitted,
        approved.len(),
        "every approved application admits once"
    );
    assert!(organizations > 0, "schools apply on form 2 too");
    assert!(
        left_early > 0 && left_early * 10 < admitted,
        "a few members leave during the year: {left_early} of {admitted}"
    );
    // Between 31 May and 1 Sep nobody is a member; on 1 Oct of each year many are.
    for association in world.associations.values() {
        assert_eq!(association.member_count_on(date(2025, 7, 1)), 0);
    }
    let members_on = |on| -> u32 {
        world
            .associations
            .values()
            .map(|a| a.member_count_on(on))
            .sum()
    };
    assert!(members_on(date(2024, 10, 1)) > 50 && members_on(date(2025, 10, 1)) > 50);
    // Curators hold office in every ГМО; the documents went through their chains.
    for association in world.associations.values() {
        assert!(association
            .holder(AssociationRole::Curator, date(2025, 3, 1))
            .is_some());
    }
    for document_type in [
        DocumentType::TechnicalAssignment,
        DocumentType::WorkPlan,
        DocumentType::NetworkEventReport,
        DocumentType::CuratorYearlyReport,
    ] {
        let (approved, all) = documents_of(&world, document_type);
        assert!(
            approved > 0 && approved <= all,
            "{document_type:?}: {approved}/{all}"
        );
    }
    // The analysis of the year goes nowhere (002 §5.12): every one is recorded as submitted.
    let analyses: Vec<_> = world
        .documents
        .values()
        .filter(|d| d.document_type == Some(DocumentType::AnnualAnalysis))
        .collect();
    assert!(!analyses.is_empty());
    assert!(analyses
        .iter()
        .all(|d| d.status == DocumentStatus::Recorded && d.chain.is_empty()));
    let returned = world
        .documents
        .values()
        .filter(|d| d.versions.len() > 1)
        .count();
    assert!(returned > 0, "some documents were returned and resubmitted");
    assert!(report.reactions as usize >= approved.len(), "{report:?}");
    // 002 names no day for any document, and the profile sets no period of its own: there is
    // nothing to miss (metod once gave every step 10 days and recorded their lapse).
    assert_eq!(report.deadlines_missed, 0, "{report:?}");
}

/// Kuznetsk (001): one ММО per subject uniting all its teachers by the registry (§1.3: no
/// admission; a teacher who leaves is dismissed in the registry), heads by order, the plan
/// recorded and placed on the Управление's site, and development records that give the
/// indicators (§4.1.2–4.1.3) real numerators: the indicators answer counts exactly the
/// replayed records of the members on the date, over all the teachers of the subject.
async fn generated_kuznetsk_gives_the_indicators(backend: Backend) {
    let (_db, store, report) = generated_of(backend, spec_of("kuznetsk", 6)).await;
    let world = verified_and_agreeing(
        &store,
        "kuznetsk",
        &report,
        &[date(2024, 10, 1), date(2025, 5, 1), date(2026, 5, 31)],
    )
    .await;
    // The records of the year are all in force by 31 May (the replay keeps no dates).
    let on = date(2026, 5, 31);
    let year = SchoolYear::containing(on);
    let rows = answer_of(
        &store,
        "kuznetsk",
        "indicators",
        TimePoint {
            as_of: on,
            known_at: None,
        },
    )
    .await;
    let mut diagnostics = 0;
    let mut completed = 0;
    for row in rows.iter().filter(|r| r["scope"] == "объединение") {
        let association = &world.associations[&id_of(row)];
        let municipality = world.municipality().expect("the municipality");
        let members: Vec<_> = world
            .persons
            .values()
            .filter(|p| {
                domain::membership::by_registry::member_on(association, municipality, p, on)
            })
            .filter_map(|p| p.id)
            .collect();
        assert!(
            association.memberships.is_empty(),
            "nobody is admitted (001 §1.3)"
        );
        let with = |milestone, this_year: bool| {
            members
                .iter()
                .filter(|p| {
                    association
                        .developments
                        .iter()
                        .any(|(q, m, y)| q == *p && *m == milestone && (!this_year || *y == year))
                })
                .count() as u64
        };
        let (numerator, denominator) = match row["indicator"].as_str().expect("code") {
            "diagnostics_share" => (
                with(DevelopmentMilestone::Diagnostics, true),
                members.len() as u64,
            ),
            "individual_route_share" => (
                with(DevelopmentMilestone::IndividualRouteDeveloped, false),
                members.len() as u64,
            ),
            "individual_route_completed_share" => (
                with(DevelopmentMilestone::IndividualRouteCompleted, false),
                with(DevelopmentMilestone::IndividualRouteDeveloped, false),
            ),
            _ => continue,
        };
        assert_eq!(row["numerator"], numerator, "{row:?}");
        assert_eq!(row["denominator"], denominator, "{row:?}");
        match row["indicator"].as_str() {
            Some("diagnostics_share") => diagnostics += numerator,
            Some("individual_route_completed_share") => completed += numerator,
            _ => {}
        }
    }
    assert!(
        diagnostics > 0 && completed > 0,
        "{diagnostics} {completed}"
    );
    // Every teacher of a subject is a member of its ММО; the plans are recorded as submitted
    // — nobody approves them (001 §1.3) — and most are placed on the Управление's site.
    let plans: Vec<_> = world
        .documents
        .values()
        .filter(|d| d.document_type == Some(DocumentType::WorkPlan))
        .collect();
    assert!(!plans.is_empty());
    assert!(plans
        .iter()
        .all(|d| d.status == DocumentStatus::Recorded && d.chain.is_empty()));
    let published = plans.iter().filter(|d| d.published.is_some()).count();
    assert!(
        published > 0 && published < plans.len(),
        "{published} of {} placed: most, not all",
        plans.len()
    );
    for association in world.associations.values() {
        assert_eq!(association.level, Some(Level::City));
        assert!(association.holder(AssociationRole::Head, on).is_some());
        assert!(members_on(&world, "kuznetsk", association, on) > 0);
    }
    // Teachers left over the years, dismissed in the registry: members no more.
    let dismissed = world
        .persons
        .values()
        .filter(|p| !p.dismissals.is_empty())
        .count();
    assert!(dismissed > 0, "no teacher left in three years");
}

/// Pervouralsk (004): school associations created and headed by the school's own order and
/// city ones by the methodical center's; the heads as 004 §7 says — the school's director or
/// a deputy head, a specialist working at the center; members by order; meetings with
/// protocols kept by the head.
async fn generated_pervouralsk_has_school_and_city_associations(backend: Backend) {
    let (_db, store, report) = generated_of(backend, spec_of("pervouralsk", 8)).await;
    let world = verified_and_agreeing(
        &store,
        "pervouralsk",
        &report,
        &[date(2024, 10, 1), date(2026, 3, 1)],
    )
    .await;
    let on = date(2026, 3, 1);
    let (mut school, mut city) = (0, 0);
    let centers: Vec<_> = world
        .municipalities
        .values()
        .flat_map(|m| m.bodies.values())
        .filter(|b| b.kind == domain::values::BodyKind::MethodicalCenter)
        .filter_map(|b| b.organization)
        .collect();
    for association in world.associations.values() {
        let Some(head) = association.holder(AssociationRole::Head, on) else {
            continue;
        };
        let position = world.persons[&head].position_on(on);
        match association.level {
            Some(Level::School) => {
                school += 1;
                assert!(
                    position.is_some_and(|(organization, kind)| {
                        Some(organization) == association.organization
                            && matches!(
                                kind,
                                domain::values::PositionKind::Director
                                    | domain::values::PositionKind::DeputyHead
                            )
                    }),
                    "the head of {} is its school's director or deputy (004 §7)",
                    association.title
                );
            }
            Some(Level::City) => {
                city += 1;
                assert!(
                    position.is_some_and(|(organization, _)| centers.contains(&organization)),
                    "the head of {} works at the methodical center (004 §7)",
                    association.title
                );
            }
            other => panic!("unexpected level {other:?}"),
        }
    }
    assert!(school > 5 && city > 0, "{school} {city}");
    let signed = world
        .meetings
        .values()
        .filter(|m| m.status == MeetingStatus::ProtocolSigned)
        .count();
    assert!(signed > 20, "{signed} protocols signed");
    assert!(world.documents.is_empty(), "004 sets no documents");
}

/// Seed 99 (small, ten years) has a city association whose head is not appointed in time
/// (000 §4.2): last year's head served the year (until 31 Aug), so the association holds no
/// meeting until a head is appointed — and the generation, which stops on any command the
/// rules refuse, runs through (a generator that kept last year's head as head stopped on
/// 2024-09-17 with `not_authorized`).
async fn a_city_association_without_a_head_holds_no_meeting(backend: Backend) {
    let spec = demo::DemoSpec {
        years: 10,
        ..spec(99)
    };
    let (_db, store, report) = generated_of(backend, spec).await;
    assert_eq!(report.last_year, "2025/26", "{report:?}");
    let events = store.read_all(1, usize::MAX >> 1).await.expect("read");
    let payload = |e: &store::RecordedEvent| e.payload_value().expect("json");
    let headless: Vec<(String, String)> = events
        .iter()
        .filter(|e| e.event_type == "DeadlineMissed")
        .map(payload)
        .filter(|p| p["deadline"] == "head_appointment" && p["source"]["clause"] == "000 §4.2")
        .map(|p| {
            (
                p["association"].as_str().expect("id").to_owned(),
                p["school_year"].as_str().expect("year").to_owned(),
            )
        })
        .collect();
    assert!(
        !headless.is_empty(),
        "the seed has a year without a city head"
    );
    for (association, year) in &headless {
        let start: i32 = year[..4].parse().expect("year");
        let first_day = date(start, 9, 1);
        let of_year = |e: &&store::RecordedEvent| {
            e.effective >= first_day
                && e.effective <= date(start + 1, 8, 31)
                && payload(e)["association"] == association.as_str()
        };
        let appointed = events
            .iter()
            .filter(of_year)
            .filter(|e| e.event_type == "HeadAppointed")
            .map(|e| e.effective)
            .min();
        let meetings_before: Vec<NaiveDate> = events
            .iter()
            .filter(of_year)
            .filter(|e| e.event_type == "MeetingHeld")
            .map(|e| e.effective)
            .filter(|on| appointed.is_none_or(|a| *on < a))
            .collect();
        assert!(
            meetings_before.is_empty(),
            "{association} {year}: meetings {meetings_before:?} before a head ({appointed:?})"
        );
    }
}

async fn the_same_seed_gives_the_same_history_izhevsk(backend: Backend) {
    same_seed_same_history(backend, "izhevsk").await;
}

async fn the_same_seed_gives_the_same_history_kuznetsk(backend: Backend) {
    same_seed_same_history(backend, "kuznetsk").await;
}

async fn the_same_seed_gives_the_same_history_pervouralsk(backend: Backend) {
    same_seed_same_history(backend, "pervouralsk").await;
}

store::on_every_backend!(
    a_city_association_without_a_head_holds_no_meeting,
    generated_izhevsk_keeps_the_yearly_applications,
    generated_kuznetsk_gives_the_indicators,
    generated_pervouralsk_has_school_and_city_associations,
    the_same_seed_gives_the_same_history_izhevsk,
    the_same_seed_gives_the_same_history_kuznetsk,
    the_same_seed_gives_the_same_history_pervouralsk,
    generated_novosibirsk_agrees_with_a_replay,
    generated_history_agrees_with_a_replay,
    rebuild_equals_catching_up_in_small_steps,
    a_kept_projector_writes_what_a_rebuild_writes,
    a_rebuild_in_batches_with_retirements_waiting_writes_what_one_batch_writes,
    catching_up_by_key_writes_what_a_rebuild_writes,
    each_inbox_holds_exactly_what_waits_on_its_person,
    the_same_seed_gives_the_same_history,
);
