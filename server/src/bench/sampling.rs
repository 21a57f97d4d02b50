//! Random points of a store's history and the timings of the answers asked at them, shared
//! by the read-model benchmark's questions (`super::read_models`) and its answers about one
//! subject (`super::subjects`).

use std::time::Duration;

use app::App;
use chrono::{DateTime, Days, NaiveDate, Utc};
use domain::profile::RegulationProfile;
use projections::snapshot::{Needs, Snapshot};
use store::{MetodStore, TimePoint};

use super::percentile;
use crate::failure::Failure;

/// A deterministic sequence for the sample dates.
pub struct Sampler(pub u64);

impl Sampler {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Random points of a log's history on both axes: days from its first effective date to its
/// last, moments from its first recording to its last.
pub struct Points {
    sampler: Sampler,
    from: NaiveDate,
    days: u64,
    last: NaiveDate,
    first_moment: DateTime<Utc>,
    seconds: u64,
}

impl Points {
    /// The points of `store`'s log, drawn from `seed`.
    pub async fn of_log(store: &dyn MetodStore, seed: u64) -> Result<Self, Failure> {
        let events = store.last_position().await?;
        let first = store.read_all(1, 1).await?;
        let last = store.read_all(events, 1).await?;
        let (Some(first), Some(last)) = (first.first(), last.first()) else {
            return Err(Failure::new("bench_store_empty", "журнал пуст"));
        };
        Ok(Points {
            sampler: Sampler(seed),
            from: first.effective,
            days: (last.effective - first.effective).num_days().max(1) as u64,
            last: last.effective,
            first_moment: first.recorded_at,
            seconds: (last.recorded_at - first.recorded_at).num_seconds().max(1) as u64,
        })
    }

    /// The log's last effective date.
    pub fn last_day(&self) -> NaiveDate {
        self.last
    }

    pub fn date(&mut self) -> NaiveDate {
        self.from
            .checked_add_days(Days::new(self.sampler.next(self.days)))
            .unwrap_or(self.from)
    }

    pub fn moment(&mut self) -> DateTime<Utc> {
        self.first_moment + chrono::Duration::seconds(self.sampler.next(self.seconds) as i64)
    }

    /// A random date, and a random moment when `known_then`.
    pub fn point(&mut self, known_then: bool) -> TimePoint {
        TimePoint {
            as_of: self.date(),
            known_at: known_then.then(|| self.moment()),
        }
    }

    /// A random one of `n` things.
    pub fn pick(&mut self, n: usize) -> usize {
        self.sampler.next(n as u64) as usize
    }
}

/// The timings of one oversight question, or of one answer about a subject
/// (`super::subjects`).
pub struct QueryTimes {
    pub name: &'static str,
    pub p50: Duration,
    pub p99: Duration,
    /// False where the profile lacks the question's rule: the answer says so and looks
    /// nothing up, so its time is no measure of the read models.
    pub profile_has_rule: bool,
}

impl QueryTimes {
    /// The timings of an answer every profile has, from its samples.
    pub fn of(name: &'static str, mut times: Vec<Duration>) -> Self {
        times.sort();
        QueryTimes {
            name,
            p50: percentile(&times, 50),
            p99: percentile(&times, 99),
            profile_has_rule: true,
        }
    }
}

/// What `app`'s store knows on `day` as known now (what `needs` asks), and the regulation
/// profile of its municipality.
pub async fn known_on(
    app: &App,
    day: NaiveDate,
    needs: Needs,
) -> Result<(Snapshot, &RegulationProfile), Failure> {
    let store = app.store().await?;
    let known = Snapshot::load(
        store.as_ref(),
        TimePoint {
            as_of: day,
            known_at: None,
        },
        needs,
    )
    .await?;
    let Some(municipality) = known.municipalities.first() else {
        return Err(Failure::new(
            "no_municipality",
            "в журнале нет муниципалитета",
        ));
    };
    let profile = app
        .profiles()?
        .get(&municipality.profile)
        .map_err(|e| Failure::new(e.code(), e.to_string()))?;
    Ok((known, profile))
}
