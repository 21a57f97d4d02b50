//! A generated history (`demo::generate`, the small scale) on a real store, for the tests that
//! hold a read model to what it is made from at many points of both axes.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use commands::ProfileSet;
use store::testing::TestDatabase;
use store::{Backend, SharedStore, TimePoint};

/// `years` school years of `profile`'s small municipality, generated with `seed`; the read
/// models are not caught up.
pub async fn generated(
    backend: Backend,
    profile: &str,
    years: u32,
    seed: u64,
) -> (TestDatabase, SharedStore) {
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
            years,
            seed,
        },
        &|_, _| {},
    )
    .await
    .expect("the demo generates");
    (db, store)
}

/// The last moment of `day`.
pub fn end_of(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(23, 59, 59).expect("time"))
}

/// Every `days_apart` days, `count` times from `first`, as known now, and as known at the
/// moments `also` gives for the point (its number from 0) and its day.
pub fn points_every(
    first: NaiveDate,
    days_apart: u64,
    count: u64,
    also: impl Fn(u64, NaiveDate) -> Vec<DateTime<Utc>>,
) -> Vec<TimePoint> {
    let mut points = Vec::new();
    for n in 0..count {
        let day = first + Days::new(n * days_apart);
        points.push(TimePoint {
            as_of: day,
            known_at: None,
        });
        for moment in also(n, day) {
            points.push(TimePoint {
                as_of: day,
                known_at: Some(moment),
            });
        }
    }
    points
}
