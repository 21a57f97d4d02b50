//! The log itself: create or migrate the store, verify its hash chain, list its events.

use store::{OpenMode, RecordedEvent, StreamId, Verification};

use crate::app::App;
use crate::error::AppError;

/// A store made ready by `init`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Initialized {
    /// The store as it describes itself (backend and place).
    pub store: String,
    /// Events it already holds.
    pub events: u64,
}

/// Which events to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventsPage {
    /// Only this stream; None: the whole log.
    pub stream: Option<StreamId>,
    /// The first position of the log to list.
    pub from: u64,
    /// At most this many events.
    pub limit: usize,
}

/// Streams are read in pages of this many events.
const PAGE: usize = 1_000;

impl App {
    /// Creates the store, or migrates it to this version's schema.
    pub async fn init(&self) -> Result<Initialized, AppError> {
        let clock = self.clock()?.clone();
        let store = store::open(&self.config().db, OpenMode::CreateOrMigrate, clock).await?;
        let events = store.last_position().await?;
        let described = store.describe();
        self.adopt_store(store);
        Ok(Initialized {
            store: described,
            events,
        })
    }

    /// Recomputes the hash chain of the whole log.
    pub async fn verify(&self) -> Result<Verification, AppError> {
        let store = self.store().await?;
        Ok(store::verify(store.as_ref()).await?)
    }

    /// The chain verified from where this process verified it last: only the events
    /// appended since are read (a trail, shown again and again by a server, costs what was
    /// appended, not the log). A change to an event this process verified already is seen by
    /// `verify`, not here.
    pub async fn verify_since_last(&self) -> Result<Verification, AppError> {
        let store = self.store().await?;
        let mut verified = self.verified().lock().await;
        let result = match *verified {
            Some((events, head)) => store::verify_after(store.as_ref(), events, head).await?,
            None => store::verify(store.as_ref()).await?,
        };
        *verified = match &result {
            Verification::Intact { events, head } => Some((*events, *head)),
            Verification::Broken { .. } => None,
        };
        Ok(result)
    }

    /// Events of the log, or of one stream, from a position on.
    pub async fn events(&self, page: &EventsPage) -> Result<Vec<RecordedEvent>, AppError> {
        let store = self.store().await?;
        let Some(stream) = &page.stream else {
            return Ok(store.read_all(page.from, page.limit).await?);
        };
        let mut events = Vec::new();
        let mut version = 1;
        while events.len() < page.limit {
            let read = store.read_stream(stream, version, PAGE).await?;
            let Some(last) = read.last() else { break };
            version = last.version + 1;
            events.extend(read.into_iter().filter(|e| e.position >= page.from));
        }
        events.truncate(page.limit);
        Ok(events)
    }
}
