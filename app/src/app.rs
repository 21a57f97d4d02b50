//! The application: its configuration and the parts every use case shares. Each part is
//! made on first use, so a use case that needs no store (the profiles) opens none, and each
//! refuses a broken configuration at the step where it always did.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use commands::{CommandHandler, ProfileSet};
use domain::RegulationProfile;
use store::{Clock, MetodStore, OpenMode, SharedStore};
use tokio::sync::{Mutex, MutexGuard, OnceCell};

use projections::ProjectionError;
use store::StoreError;

use crate::clock::clock_of;
use crate::error::AppError;

/// Catch-ups tried when another process keeps moving the read models meanwhile.
const CATCH_UP_ATTEMPTS: u32 = 5;

/// Aggregate states the command handler keeps between commands (its state cache): without
/// them each command folds the streams it loads from their first event (in a region an
/// association's stream holds some 300 events, the municipality's 2,700), and a server
/// recorded 15 missed deadlines a second where it now records 168. Past this many states
/// the cache starts afresh.
const STATES_KEPT: usize = 2_000;

/// Where the application's parts come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The store: `sqlite://FILE` or `postgres://USER@HOST/DB`.
    pub db: String,
    /// A directory of extra regulation profiles (`*.toml`) besides the five built in.
    pub profiles: Option<PathBuf>,
    /// A fixed "now" (`2025-03-20T12:00:00Z`, or `2025-03-20` meaning its noon) for tests and
    /// for replaying a day; None or blank: the system clock.
    pub clock: Option<String>,
}

/// The use cases over one store, one set of profiles and one clock. Cloning shares them.
#[derive(Clone)]
pub struct App {
    parts: Arc<Parts>,
}

struct Parts {
    config: Config,
    clock: OnceLock<Arc<dyn Clock>>,
    profiles: OnceLock<ProfileSet>,
    store: OnceCell<SharedStore>,
    handler: OnceCell<CommandHandler>,
    /// One writer of the read models at a time: two catch-ups at once would both start from
    /// the same checkpoint, and the second would be refused. It holds the projector the last
    /// catch-up left, so the next one goes on from it rather than from every current row.
    read_models_writer: Mutex<Option<projections::Projector>>,
    /// How far this process has verified the hash chain (events, head hash): a trail then
    /// verifies only what was appended since.
    pub(crate) verified: Mutex<Option<(u64, store::Hash)>>,
    /// Standings computed at a log size, by person and day: valid until the log grows.
    pub(crate) standings: std::sync::Mutex<crate::standings::Standings>,
}

impl App {
    /// The application of `config`; nothing is opened yet.
    pub fn new(config: Config) -> Self {
        Self {
            parts: Arc::new(Parts {
                config,
                clock: OnceLock::new(),
                profiles: OnceLock::new(),
                store: OnceCell::new(),
                handler: OnceCell::new(),
                read_models_writer: Mutex::new(None),
                verified: Mutex::new(None),
                standings: std::sync::Mutex::new(crate::standings::Standings::default()),
            }),
        }
    }

    /// The application of `config` on `clock` instead of the one the configuration names:
    /// for tests that move time (`FixedClock`, `SteppingClock`).
    pub fn with_clock(config: Config, clock: Arc<dyn Clock>) -> Self {
        let app = Self::new(config);
        // A fresh application has no clock yet, so this always takes.
        let _ = app.parts.clock.set(clock);
        app
    }

    /// The application with every part made now: for a long-running process, which should
    /// refuse a broken configuration when it starts, not at its first request.
    pub async fn open(config: Config) -> Result<Self, AppError> {
        let app = Self::new(config);
        app.handler().await?;
        Ok(app)
    }

    pub fn config(&self) -> &Config {
        &self.parts.config
    }

    /// How far this process has verified the chain.
    pub(crate) fn verified(&self) -> &Mutex<Option<(u64, store::Hash)>> {
        &self.parts.verified
    }

    /// The standings computed at the current log size.
    pub(crate) fn standings(&self) -> &std::sync::Mutex<crate::standings::Standings> {
        &self.parts.standings
    }

    /// The clock that stamps the log and says what "today" is.
    pub fn clock(&self) -> Result<&Arc<dyn Clock>, AppError> {
        if let Some(clock) = self.parts.clock.get() {
            return Ok(clock);
        }
        let clock = clock_of(self.parts.config.clock.as_deref())?;
        Ok(self.parts.clock.get_or_init(|| clock))
    }

    /// The clock's date: no action takes effect after it, and a question asked without a
    /// date is asked about it.
    pub fn today(&self) -> Result<NaiveDate, AppError> {
        Ok(self.clock()?.now().date_naive())
    }

    /// The profiles known: the five built in, then those of the profiles directory.
    pub fn profiles(&self) -> Result<&ProfileSet, AppError> {
        if let Some(profiles) = self.parts.profiles.get() {
            return Ok(profiles);
        }
        let profiles = ProfileSet::built_in_and(self.parts.config.profiles.as_deref())?;
        Ok(self.parts.profiles.get_or_init(|| profiles))
    }

    /// One profile by name.
    pub fn profile(&self, name: &str) -> Result<&RegulationProfile, AppError> {
        Ok(self.profiles()?.get(name)?)
    }

    /// The store, which must exist (`init` creates it).
    pub async fn store(&self) -> Result<&SharedStore, AppError> {
        self.parts
            .store
            .get_or_try_init(|| async {
                let clock = self.clock()?.clone();
                Ok(store::open(&self.parts.config.db, OpenMode::Existing, clock).await?)
            })
            .await
    }

    /// Keeps a store opened another way (created by `init`) as the application's.
    pub(crate) fn adopt_store(&self, store: SharedStore) {
        // Already open: the same database, so the one there serves as well.
        let _ = self.parts.store.set(store);
    }

    /// Brings the read models of `store` (this application's) up to the end of the log.
    /// Another process serving the same database may move them first (several `metod
    /// serve` behind one balancer): then this one starts again from where that one got.
    pub(crate) async fn catch_up(&self, store: &dyn MetodStore) -> Result<(), AppError> {
        // Nearly always they are there already (a server keeps them up in the background):
        // two reads and no lock, so answers do not queue behind one another.
        if store.checkpoint(projections::READ_MODELS).await? >= store.last_position().await? {
            return Ok(());
        }
        let mut kept = self.read_models_alone().await;
        let mut attempts = 0;
        loop {
            attempts += 1;
            match projections::catch_up_kept(store, &mut kept, &|_, _| {}).await {
                Ok(_) => return Ok(()),
                Err(ProjectionError::Store(StoreError::ReadModelMoved { .. }))
                    if attempts < CATCH_UP_ATTEMPTS => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Held while this application writes the read models; holds the projector kept.
    pub(crate) async fn read_models_alone(&self) -> MutexGuard<'_, Option<projections::Projector>> {
        self.parts.read_models_writer.lock().await
    }

    /// The command handler over the store, the profiles and the clock.
    pub(crate) async fn handler(&self) -> Result<&CommandHandler, AppError> {
        self.parts
            .handler
            .get_or_try_init(|| async {
                let store = self.store().await?.clone();
                let profiles = self.profiles()?.clone();
                let clock = self.clock()?.clone();
                Ok(
                    CommandHandler::with_clock(store, profiles, clock)
                        .with_state_cache(STATES_KEPT),
                )
            })
            .await
    }
}
