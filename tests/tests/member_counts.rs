//! The member count the projector keeps per association (a fact beside the memberships) is,
//! at every point of both time axes, the number of that association's memberships that
//! hold then — counted row by row from the memberships themselves. On generated histories
//! (late entries, members leaving, memberships for one school year, working groups ending
//! with their term) of three profiles,
//! on every backend.

mod generated;

use chrono::NaiveDate;

use domain::ids::AssociationId;
use generated::{end_of, generated, points_every};
use projections::facts::kind;
use projections::snapshot::{Needs, Snapshot};
use store::Backend;

async fn counts_agree_with_the_memberships(backend: Backend, profile: &str) {
    let (_db, store) = generated(backend, profile, 3, 5).await;
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");

    let first = NaiveDate::from_ymd_opt(2023, 8, 20).expect("date");
    let mut compared = 0;
    let mut with_members = 0;
    let points = points_every(first, 7, 160, |week, day| {
        if week % 5 == 2 {
            vec![end_of(day)]
        } else {
            vec![]
        }
    });
    for at in points {
        let needs = Needs {
            member_counts: true,
            ..Needs::default()
        };
        let snapshot = Snapshot::load(store.as_ref(), at, needs)
            .await
            .expect("snapshot");
        let mut counted: Vec<(AssociationId, u64)> = store
            .count_facts_at(kind::MEMBERSHIP, at)
            .await
            .expect("count")
            .into_iter()
            .map(|(scope, n)| (AssociationId::parse(&scope).expect("an association"), n))
            .collect();
        counted.sort();
        let mut kept: Vec<(AssociationId, u64)> = snapshot.member_counts.into_iter().collect();
        kept.sort();
        assert_eq!(kept, counted, "{profile}: members on {at:?}");
        compared += 1;
        with_members += kept.len();
    }
    assert!(compared > 150, "{compared} points");
    assert!(with_members > 500, "{with_members} counts compared");
}

async fn novokuznetsk(backend: Backend) {
    counts_agree_with_the_memberships(backend, "novokuznetsk").await;
}

async fn pervouralsk(backend: Backend) {
    counts_agree_with_the_memberships(backend, "pervouralsk").await;
}

/// Memberships for a school year (002 §5.1), and leavings recorded within them.
async fn izhevsk(backend: Backend) {
    counts_agree_with_the_memberships(backend, "izhevsk").await;
}

store::on_every_backend!(novokuznetsk, pervouralsk, izhevsk);
