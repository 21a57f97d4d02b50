//! The `EventStore` trait every backend implements, and the combined store handle.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::watch;

use crate::accounts::AccountStore;
use crate::document_texts::DocumentTexts;
use crate::envelope::{
    AppendResult, CommandId, EventContent, LogHead, NewEvent, RecordedEvent, StreamId,
};
use crate::error::StoreResult;
use crate::expected_version::ExpectedVersion;
use crate::facts::ReadModelStore;
use crate::leadership::Leadership;
use crate::signed_checkpoints::SignedCheckpoints;
use crate::tree::LogTree;
use crate::vault::PersonalDataVault;

/// The append-only event log.
#[async_trait]
pub trait EventStore: Send + Sync {
    /// Appends `events` to `stream` atomically if the stream is at `expected`.
    /// A command id that was appended before returns that first result and writes nothing.
    async fn append(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
    ) -> StoreResult<AppendResult>;

    /// Events of one stream with version ≥ `from_version` (versions start at 1), in order.
    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> StoreResult<Vec<RecordedEvent>>;

    /// The result of an earlier append with this command id, if there was one: a command
    /// handler answers a repeated command with it before deciding anything again.
    async fn find_command(&self, command_id: CommandId) -> StoreResult<Option<AppendResult>>;

    /// The stream's current version (0 when it does not exist).
    async fn stream_version(&self, stream: &StreamId) -> StoreResult<u64>;

    /// The streams holding an event of `event_type` whose payload's top-level `field` is
    /// `value`, in order of their names: the aggregates a decision reads that no reference
    /// leads to (the meetings an association held: `MeetingHeld`, `association`). The pairs
    /// the domain asks about have an index (migration 0012).
    async fn streams_where(
        &self,
        event_type: &str,
        field: &str,
        value: &str,
    ) -> StoreResult<Vec<StreamId>>;

    /// Events of the whole log with position ≥ `from_position`, in order.
    async fn read_all(&self, from_position: u64, limit: usize) -> StoreResult<Vec<RecordedEvent>>;

    /// What read models need of the events with position ≥ `from_position`, in order; the
    /// same events as `read_all` without the rest of their envelopes.
    async fn read_contents(
        &self,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<EventContent>>;

    /// The head of the log as recorded by the last append (None for an empty log).
    async fn head(&self) -> StoreResult<Option<LogHead>>;

    /// The last position written (0 for an empty log).
    async fn last_position(&self) -> StoreResult<u64> {
        Ok(self.head().await?.map_or(0, |h| h.position))
    }

    /// Changes to the last position made by appends through this handle; subscriptions
    /// wake on it and poll for writers in other processes.
    fn appended(&self) -> watch::Receiver<u64>;

    /// Where the store lives, without secrets (e.g. `sqlite://metod.db`).
    fn describe(&self) -> String;
}

/// Where each consumer of the log has got to (by name), kept in the store's own database.
#[async_trait]
pub trait Checkpoints: Send + Sync {
    /// The last position `name` has fully handled (0 when it never ran).
    async fn checkpoint(&self, name: &str) -> StoreResult<u64>;

    /// Records that `name` has fully handled everything up to `position`. A checkpoint only
    /// moves forward: an older position is ignored.
    async fn save_checkpoint(&self, name: &str, position: u64) -> StoreResult<()>;
}

/// Everything a backend offers: the log and its Merkle tree, the personal-data vault,
/// checkpoints, the read models' table, the accounts and the leadership of work one process
/// does.
pub trait MetodStore:
    EventStore
    + LogTree
    + SignedCheckpoints
    + DocumentTexts
    + PersonalDataVault
    + Checkpoints
    + ReadModelStore
    + AccountStore
    + Leadership
{
}

impl<
        T: EventStore
            + LogTree
            + SignedCheckpoints
            + DocumentTexts
            + PersonalDataVault
            + Checkpoints
            + ReadModelStore
            + AccountStore
            + Leadership,
    > MetodStore for T
{
}

/// A shared handle on an open store.
pub type SharedStore = Arc<dyn MetodStore>;

/// How often a live subscription looks for events appended by other processes.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_millis(100);
