//! The read models: brought up to the log (what a server does in the background), or rebuilt
//! from the first event of the log.

use std::time::{Duration, Instant};

use projections::runner::Progress;
use projections::CatchUp;

use crate::app::App;
use crate::error::AppError;

/// A rebuild done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rebuilt {
    pub done: CatchUp,
    pub took: Duration,
}

impl App {
    /// Brings the read models up to the end of the log (one writer at a time).
    pub async fn catch_up_read_models(&self) -> Result<(), AppError> {
        let store = self.store().await?;
        self.catch_up(store.as_ref()).await
    }

    /// Drops every read model and folds the whole log into them again.
    pub async fn rebuild(&self, progress: Progress<'_>) -> Result<Rebuilt, AppError> {
        let store = self.store().await?;
        let mut kept = self.read_models_alone().await;
        // The rows it left are gone; the next catch-up resumes from the new ones.
        *kept = None;
        let started = Instant::now();
        let done = projections::rebuild(store.as_ref(), progress).await?;
        Ok(Rebuilt {
            done,
            took: started.elapsed(),
        })
    }
}
