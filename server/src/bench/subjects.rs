//! The answers about one subject in `metod bench read-models`: one person's inbox, one
//! association's page as known now and as known at a past moment, one document's trail, each
//! at random points of the store's history. They are sampled one at a time, so that
//! `--scales` can take the scales in turn, answer after answer: a growth factor then compares
//! answers measured over the same moments, not a city measured minutes before the region on a
//! machine whose speed drifts in between.

use std::time::{Duration, Instant};

use app::App;
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::profile::RegulationProfile;
use projections::snapshot::Needs;
use store::{MetodStore, Verification};

use super::sampling::{known_on, Points, QueryTimes, Sampler};
use crate::failure::Failure;

/// The answers, in the order they are reported.
const INBOX: &str = "inbox";
const ASSOCIATION: &str = "association";
const ASSOCIATION_KNOWN_AT: &str = "association-known-at";
const TRAIL: &str = "trail";
pub(super) const SUBJECT_ANSWERS: [&str; 4] = [INBOX, ASSOCIATION, ASSOCIATION_KNOWN_AT, TRAIL];

/// One store's subjects and the times of their answers so far.
pub(super) struct Subjects<'a> {
    store: &'a dyn MetodStore,
    profile: &'a RegulationProfile,
    /// The heads and curators of the log's last day: whose inboxes are asked.
    holders: Vec<PersonId>,
    associations: Vec<AssociationId>,
    documents: Vec<DocumentId>,
    /// The chain verified once, as a server does, and the trails told from it.
    verification: Option<Verification>,
    points: Points,
    pick: Sampler,
    times: Vec<(&'static str, Vec<Duration>)>,
}

impl<'a> Subjects<'a> {
    /// The subjects of `app`'s store as its log's last day knows them, with every answer
    /// asked once untimed: the first answers read their pages into the caches, which a server
    /// answering all day does once (the first answers of the whole municipality are reported
    /// apart for the same reason).
    pub async fn of(app: &'a App, seed: u64, samples: u32) -> Result<Self, Failure> {
        let store = app.store().await?.as_ref();
        let points = Points::of_log(store, seed).await?;
        let (known, profile) = known_on(
            app,
            points.last_day(),
            Needs {
                documents: true,
                roles: true,
                ..Needs::default()
            },
        )
        .await?;
        let documents: Vec<DocumentId> = known.documents.iter().map(|d| d.document).collect();
        let verification = if documents.is_empty() {
            None
        } else {
            Some(store::verify(store).await?)
        };
        let mut subjects = Subjects {
            store,
            profile,
            holders: known.roles.values().map(|role| role.person).collect(),
            associations: known.associations.keys().copied().collect(),
            documents,
            verification,
            points,
            pick: Sampler(samples as u64),
            times: Vec::new(),
        };
        subjects.sample(1).await?;
        subjects.times.clear();
        Ok(subjects)
    }

    /// Times `samples` more answers of each kind, at random points.
    pub async fn sample(&mut self, samples: u32) -> Result<(), Failure> {
        if !self.holders.is_empty() {
            for _ in 0..samples {
                let person = self.holders[self.points.pick(self.holders.len())];
                let at = self.points.point(false);
                let started = Instant::now();
                std::hint::black_box(
                    projections::inbox::inbox(self.store, at, self.profile, person).await?,
                );
                self.record(INBOX, started.elapsed());
            }
        }
        if !self.associations.is_empty() {
            for (name, known_then) in [(ASSOCIATION, false), (ASSOCIATION_KNOWN_AT, true)] {
                for _ in 0..samples {
                    let id =
                        self.associations[self.pick.next(self.associations.len() as u64) as usize];
                    let at = self.points.point(known_then);
                    let started = Instant::now();
                    std::hint::black_box(
                        projections::association::association(
                            self.store,
                            at,
                            id,
                            Some(self.profile),
                            true,
                        )
                        .await?,
                    );
                    self.record(name, started.elapsed());
                }
            }
        }
        if let Some(verification) = self.verification.clone() {
            for _ in 0..samples {
                let document = self.documents[self.pick.next(self.documents.len() as u64) as usize];
                let started = Instant::now();
                std::hint::black_box(
                    workflows::trail_verified(
                        self.store,
                        document,
                        // As it stands now: a random date may precede the document.
                        None,
                        None,
                        verification.clone(),
                    )
                    .await
                    .map_err(|e| Failure::new(e.code(), e.to_string()))?,
                );
                self.record(TRAIL, started.elapsed());
            }
        }
        Ok(())
    }

    fn record(&mut self, name: &'static str, time: Duration) {
        match self.times.iter_mut().find(|(n, _)| *n == name) {
            Some((_, times)) => times.push(time),
            None => self.times.push((name, vec![time])),
        }
    }

    /// The timings of every answer sampled.
    pub fn answers(self) -> Vec<QueryTimes> {
        self.times
            .into_iter()
            .map(|(name, times)| QueryTimes::of(name, times))
            .collect()
    }
}

/// Samples each answer of every store in turn, one answer of each kind at a time: store
/// after store, forth and then back (city, region, region, city, …), so that a pause of the
/// machine falls on every store's answers alike rather than on one store's block of a
/// hundred, and no store's answer always comes right after another store's.
pub(super) async fn sample_in_turn(
    subjects: &mut [Subjects<'_>],
    samples: u32,
) -> Result<(), Failure> {
    for sample in 0..samples {
        if sample % 2 == 0 {
            for one in subjects.iter_mut() {
                one.sample(1).await?;
            }
        } else {
            for one in subjects.iter_mut().rev() {
                one.sample(1).await?;
            }
        }
    }
    Ok(())
}
