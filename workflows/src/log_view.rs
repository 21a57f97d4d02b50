//! The whole log folded into aggregate states, for the timers and the inbox. A runner keeps
//! its view between passes and folds only what was appended since; the inbox, a one-off
//! question, folds the log from the start.

use chrono::{DateTime, NaiveDate, Utc};

use domain::World;
use store::{EventStore, RecordedEvent};

use crate::error::WorkflowError;

const PAGE: usize = 5_000;

/// Every aggregate's state, as of the last position read.
#[derive(Debug, Default)]
pub struct LogView {
    pub world: World,
    pub position: u64,
}

impl LogView {
    /// The log as it was on `as_of` (events effective by then) as known at `known_at`
    /// (events recorded by then); `None` leaves an axis open.
    pub async fn load_at(
        store: &dyn EventStore,
        as_of: Option<NaiveDate>,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Self, WorkflowError> {
        let mut view = Self::default();
        loop {
            let page = store.read_all(view.position + 1, PAGE).await?;
            for recorded in &page {
                let in_view = as_of.is_none_or(|d| recorded.effective <= d)
                    && known_at.is_none_or(|t| recorded.recorded_at <= t);
                if in_view {
                    view.apply(recorded)?;
                } else {
                    view.position = recorded.position;
                }
            }
            if page.len() < PAGE {
                return Ok(view);
            }
        }
    }

    /// Reads what was appended since the last call.
    pub async fn catch_up(&mut self, store: &dyn EventStore) -> Result<(), WorkflowError> {
        loop {
            let page = store.read_all(self.position + 1, PAGE).await?;
            for recorded in &page {
                self.apply(recorded)?;
            }
            if page.len() < PAGE {
                return Ok(());
            }
        }
    }

    fn apply(&mut self, recorded: &RecordedEvent) -> Result<(), WorkflowError> {
        self.position = recorded.position;
        if let Some(fact) = commands::fact_of(recorded)? {
            self.world.fold(&fact);
        }
        Ok(())
    }

    /// The registered municipalities with the names of their profiles.
    pub fn municipalities(&self) -> Vec<(domain::ids::MunicipalityId, String)> {
        self.world
            .municipalities
            .iter()
            .filter(|(_, m)| m.exists())
            .map(|(id, m)| (*id, m.profile.clone()))
            .collect()
    }

    /// The world as seen from one municipality (the domain's helpers ask for "the"
    /// municipality: its bodies and officials).
    pub fn world_of(&mut self, municipality: domain::ids::MunicipalityId) -> &World {
        self.world.home = Some(municipality);
        &self.world
    }
}
