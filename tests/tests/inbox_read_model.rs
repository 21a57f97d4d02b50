//! `metod inbox` answers from the read models. On generated data (small town, two school
//! years, with returns, late entries and missed deadlines) its answer for every person, on
//! dates across both years and as known at past moments, is the one a fold of the whole log
//! through the domain's states gives (`workflows::inbox`).

mod generated;

use std::collections::BTreeSet;

use chrono::NaiveDate;

use commands::ProfileSet;
use domain::ids::PersonId;
use domain::inbox::InboxReason;
use generated::{end_of, generated, points_every};
use store::{Backend, SharedStore};
use workflows::LogView;

/// Every person of the log: whoever has a stream of their own.
async fn persons(store: &SharedStore) -> BTreeSet<PersonId> {
    store
        .read_all(1, usize::MAX >> 1)
        .await
        .expect("read")
        .iter()
        .filter_map(|e| {
            let stream = e.stream.to_string();
            let uuid = stream.strip_prefix(PersonId::STREAM_PREFIX)?;
            PersonId::parse(uuid.trim_start_matches('-')).ok()
        })
        .collect()
}

async fn inbox_from_the_read_models_is_the_inbox_of_the_log(backend: Backend) {
    let (_db, store) = generated(backend, "novokuznetsk", 2, 11).await;
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let profiles = ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novokuznetsk").expect("profile");
    let persons = persons(&store).await;
    assert!(persons.len() > 100, "{} persons", persons.len());

    // Every fortnight of both school years as known now, and a few as known at the time.
    let first = NaiveDate::from_ymd_opt(2024, 9, 1).expect("date");
    let points = points_every(first, 15, 48, |fortnight, day| {
        if fortnight % 6 == 3 {
            vec![end_of(day)]
        } else {
            Vec::new()
        }
    });
    // (A draft waiting to be submitted is checked on the hand-made town, read_models.rs:
    // the generator submits what it opens on the same day.)
    let (mut decide, mut rework, mut overdue) = (0, 0, 0);
    for at in points {
        let mut view = LogView::load_at(store.as_ref(), Some(at.as_of), at.known_at)
            .await
            .expect("fold");
        for person in &persons {
            let expected = workflows::inbox(&mut view, &profiles, *person, at.as_of);
            let answered = projections::inbox::inbox(store.as_ref(), at, profile, *person)
                .await
                .expect("inbox");
            assert_eq!(answered, expected, "{person} at {at:?}");
            for item in &answered {
                match item.reason {
                    InboxReason::Decide { .. } => decide += 1,
                    InboxReason::Rework { .. } => rework += 1,
                    InboxReason::Submit => {}
                }
                overdue += usize::from(item.overdue_days > 0);
            }
        }
    }
    // The comparison covered every kind of waiting, overdue items among them.
    assert!(
        decide > 0 && rework > 0 && overdue > 0,
        "decide {decide}, rework {rework}, overdue {overdue}"
    );
}

store::on_every_backend!(inbox_from_the_read_models_is_the_inbox_of_the_log);
