//! The member count the projector keeps per association (a fact beside the memberships) is,
//! at every point of both time axes, the number of that association's memberships that
//! hold then — counted row by row from the memberships themselves. On generated histories
//! (late entries, members leaving, memberships for one school year, working groups ending
//! with their term) of three profiles,
//! on every backend.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use commands::ProfileSet;
use domain::ids::AssociationId;
use projections::facts::kind;
use projections::snapshot::{Needs, Snapshot};
use store::testing::TestDatabase;
use store::{Backend, TimePoint};

fn end_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(23, 59, 59).expect("time"))
}

async fn counts_agree_with_the_memberships(backend: Backend, profile: &str) {
    let db = TestDatabase::new(backend).await;
    let clock = demo::demo_clock();
    let store = db.open_with(clock.clone()).await;
    demo::generate(
        store.clone(),
        ProfileSet::built_in().expect("profiles"),
        clock,
        demo::DemoSpec {
            profile: profile.into(),
            scale: demo::Scale::Small,
            years: 3,
            seed: 5,
        },
        &|_, _| {},
    )
    .await
    .expect("the demo generates");
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");

    let first = NaiveDate::from_ymd_opt(2023, 8, 20).expect("date");
    let mut compared = 0;
    let mut with_members = 0;
    for week in 0..160u64 {
        let day = first + Days::new(week * 7);
        let mut points = vec![TimePoint {
            as_of: day,
            known_at: None,
        }];
        if week % 5 == 2 {
            points.push(TimePoint {
                as_of: day,
                known_at: Some(end_of(day)),
            });
        }
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
