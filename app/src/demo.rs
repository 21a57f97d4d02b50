//! A generated history: a realistic municipality written into an empty store through the
//! real command handlers, then the read models brought up to it.

use std::time::{Duration, Instant};

use demo::{DemoReport, DemoSpec};
use projections::runner::Progress;
use store::OpenMode;

use crate::affinity::stay_on_current_core;
use crate::app::App;
use crate::error::AppError;

/// A demo written.
#[derive(Debug, Clone)]
pub struct DemoRun {
    /// The store as it describes itself.
    pub store: String,
    pub report: DemoReport,
    /// Generating the history, and that with the read models brought up to it.
    pub generated: Duration,
    pub total: Duration,
}

impl App {
    /// Writes the history `spec` asks for into the configured store, which must be empty,
    /// with the generator's own clock (the history is stamped as it would have been
    /// recorded); `years` hears of each school year, `read_models` of the catch-up after.
    /// It keeps the calling thread on one core from then on (see `affinity`).
    pub async fn demo(
        &self,
        spec: DemoSpec,
        years: Progress<'_>,
        read_models: Progress<'_>,
    ) -> Result<DemoRun, AppError> {
        let profiles = self.profiles()?;
        // Nothing is created for a demo that cannot run.
        demo::check(profiles, &spec)?;
        // One command after another: the store's connection threads, started below, share
        // the generator's core.
        stay_on_current_core();
        let clock = demo::demo_clock();
        let store = store::open(&self.config().db, OpenMode::BulkLoad, clock.clone()).await?;
        let events = store.last_position().await?;
        if events > 0 {
            return Err(AppError::DemoStoreNotEmpty {
                store: store.describe(),
                events,
            });
        }
        let started = Instant::now();
        let report = demo::generate(store.clone(), profiles.clone(), clock, spec, years).await?;
        let generated = started.elapsed();
        projections::catch_up(store.as_ref(), read_models).await?;
        Ok(DemoRun {
            store: store.describe(),
            report,
            generated,
            total: started.elapsed(),
        })
    }
}
