//! Catch-up subscriptions: the history from a position, then live events as they are
//! appended, each position exactly once and in order.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::envelope::RecordedEvent;
use crate::error::{StoreError, StoreResult};
use crate::event_store::{EventStore, DEFAULT_POLL_INTERVAL};

/// Reads the log from a position onwards, waiting for new events when caught up.
///
/// The backends make a position visible only after every smaller position is visible
/// (appends are serialized and commit in position order), so a subscription that asks for
/// `next` and gets anything else has found a hole in the log and says so instead of skipping.
pub struct Subscription {
    store: Arc<dyn EventStore>,
    next: u64,
    buffer: VecDeque<RecordedEvent>,
    batch: usize,
    poll_interval: Duration,
    appended: watch::Receiver<u64>,
}

impl Subscription {
    /// A subscription that starts at `from_position` (1 = the whole log).
    pub fn new(store: Arc<dyn EventStore>, from_position: u64) -> Self {
        let appended = store.appended();
        Self {
            store,
            next: from_position.max(1),
            buffer: VecDeque::new(),
            batch: 1_000,
            poll_interval: DEFAULT_POLL_INTERVAL,
            appended,
        }
    }

    pub fn with_poll_interval(mut self, every: Duration) -> Self {
        self.poll_interval = every;
        self
    }

    pub fn with_batch(mut self, batch: usize) -> Self {
        self.batch = batch.max(1);
        self
    }

    /// The position the next event will have.
    pub fn next_position(&self) -> u64 {
        self.next
    }

    /// The next event, waiting for it if the subscription has caught up.
    pub async fn next(&mut self) -> StoreResult<RecordedEvent> {
        loop {
            if let Some(event) = self.try_next().await? {
                return Ok(event);
            }
            // Caught up: wake on an append through this process's handle, or poll for
            // other processes' writers.
            let _ = tokio::time::timeout(self.poll_interval, self.appended.changed()).await;
        }
    }

    /// The next event if one is already in the log, without waiting.
    pub async fn try_next(&mut self) -> StoreResult<Option<RecordedEvent>> {
        if self.buffer.is_empty() {
            let events = self.store.read_all(self.next, self.batch).await?;
            self.buffer.extend(events);
        }
        let Some(event) = self.buffer.pop_front() else {
            return Ok(None);
        };
        if event.position != self.next {
            self.buffer.clear();
            return Err(StoreError::LogGap {
                expected: self.next,
                found: event.position,
            });
        }
        self.next += 1;
        Ok(Some(event))
    }
}
