//! Turns the events of one append into rows: positions, versions, `recorded_at`, the hash
//! chain and the Merkle tree's nodes, computed a chunk at a time so the backend can write
//! one chunk while the next is prepared.

use crate::envelope::{
    AppendResult, CommandId, Hash, LegalBasis, LogHead, NewEvent, RecordedEvent, StreamId,
    GENESIS_HASH,
};
use crate::error::{StoreError, StoreResult};
use crate::integrity::HashInput;
use crate::tree;
use chrono::{DateTime, Utc};
use tlog::{Frontier, NodeId};

/// Transaction time with the precision both backends store (microseconds), never before
/// the head of the log, so that `recorded_at` does not decrease along `position` even when
/// the clock steps back.
pub(crate) fn recorded_at(now: DateTime<Utc>, head: Option<&LogHead>) -> DateTime<Utc> {
    let micros = now.timestamp_micros();
    let floor = head.map_or(i64::MIN, |h| h.recorded_at.timestamp_micros());
    DateTime::from_timestamp_micros(micros.max(floor)).unwrap_or(now)
}

pub(crate) fn validate(events: &[NewEvent]) -> StoreResult<()> {
    if events.is_empty() {
        return Err(StoreError::EmptyAppend);
    }
    events.iter().try_for_each(NewEvent::validate)
}

/// The hash chain of one append, continued a chunk of events at a time, so that a backend
/// can write one chunk while the next is serialized and hashed.
pub(crate) struct Chain<'a> {
    stream: &'a StreamId,
    command_id: CommandId,
    recorded_at: DateTime<Utc>,
    next_position: u64,
    next_version: u64,
    prev: Hash,
}

impl<'a> Chain<'a> {
    /// A chain that continues the log after `head`, on a stream at `stream_version`.
    pub(crate) fn new(
        stream: &'a StreamId,
        stream_version: u64,
        head: Option<&LogHead>,
        now: DateTime<Utc>,
        command_id: CommandId,
    ) -> Self {
        Self {
            stream,
            command_id,
            recorded_at: recorded_at(now, head),
            next_position: head.map_or(0, |h| h.position) + 1,
            next_version: stream_version + 1,
            prev: head.map_or(GENESIS_HASH, |h| h.hash),
        }
    }

    /// The stored form of the next `events` of this append.
    pub(crate) fn rows(
        &mut self,
        events: impl IntoIterator<Item = NewEvent>,
    ) -> StoreResult<Vec<RecordedEvent>> {
        let events = events.into_iter();
        let mut rows = Vec::with_capacity(events.size_hint().0);
        for event in events {
            rows.push(self.row(event)?);
        }
        Ok(rows)
    }

    fn row(&mut self, event: NewEvent) -> StoreResult<RecordedEvent> {
        let (position, version, stream) = (self.next_position, self.next_version, self.stream);
        let payload =
            serde_json::to_string(&event.payload).map_err(|e| StoreError::InvalidEvent {
                reason: format!("полезная нагрузка не сериализуется: {e}"),
            })?;
        let correlation_id = event.correlation_id.unwrap_or(self.command_id.0);
        let hash = HashInput {
            position,
            stream: stream.as_str(),
            version,
            event_type: &event.event_type,
            schema: event.schema,
            payload: &payload,
            recorded_at: self.recorded_at,
            effective: event.effective,
            actor: &event.actor,
            basis: event.basis.as_ref(),
            command_id: self.command_id.0,
            correlation_id,
            causation_id: event.causation_id,
            prev_hash: &self.prev,
        }
        .hash();
        let row = RecordedEvent {
            position,
            stream: stream.clone(),
            version,
            event_type: event.event_type,
            schema: event.schema,
            payload,
            recorded_at: self.recorded_at,
            effective: event.effective,
            actor: event.actor,
            basis: event.basis,
            command_id: self.command_id.0,
            correlation_id,
            causation_id: event.causation_id,
            prev_hash: self.prev,
            hash,
        };
        self.prev = hash;
        self.next_position += 1;
        self.next_version += 1;
        Ok(row)
    }
}

/// Events a backend writes at a time within one append: small enough that serializing and
/// hashing the next chunk overlaps with writing this one (SQLite writes on its connection's
/// thread, PostgreSQL in its server process), large enough that a chunk is one statement's
/// worth of work rather than a round trip per row.
pub(crate) const ROWS_PER_PIPELINED_INSERT: usize = 250;

/// One append's events turned into rows a chunk at a time, so that a backend writes one
/// chunk while the next is serialized and hashed; the Merkle tree's nodes the events complete
/// are gathered meanwhile and written once, at the end:
///
/// ```text
/// let mut chunks = Chunks::new(chain, events, frontier);
/// let mut rows = chunks.next_rows()?;
/// loop {
///     let (inserted, next) = tokio::join!(insert(&rows), async { chunks.next_rows() });
///     inserted?;
///     let next = next?;
///     if next.is_empty() { break; }
///     rows = next;
/// }
/// let end = chunks.finish(rows)?;
/// insert_nodes(&end.nodes);
/// ```
pub(crate) struct Chunks<'a> {
    chain: Chain<'a>,
    events: std::vec::IntoIter<NewEvent>,
    first_position: u64,
    /// None: the tree is not kept (`bench::open_without_tree`, the benchmark's ceiling).
    frontier: Option<Frontier>,
    nodes: Vec<(NodeId, Hash)>,
}

/// What an append writes after its events: its first position, its last row, the tree's
/// new frontier and the nodes it completed that are kept (`tree::LOWEST_STORED_LEVEL`).
pub(crate) struct AppendEnd {
    pub first_position: u64,
    pub last: RecordedEvent,
    pub frontier: Option<Frontier>,
    pub nodes: Vec<(NodeId, Hash)>,
}

impl<'a> Chunks<'a> {
    /// `frontier` is the tree's right edge after the head the chain continues (None: the
    /// tree is not kept).
    pub(crate) fn new(chain: Chain<'a>, events: Vec<NewEvent>, frontier: Option<Frontier>) -> Self {
        Self {
            first_position: chain.next_position,
            nodes: Vec::with_capacity(events.len() / 8 + 8),
            chain,
            events: events.into_iter(),
            frontier,
        }
    }

    /// The next chunk's rows; empty once every event has been handed out.
    pub(crate) fn next_rows(&mut self) -> StoreResult<Vec<RecordedEvent>> {
        let rows = self
            .chain
            .rows(self.events.by_ref().take(ROWS_PER_PIPELINED_INSERT))?;
        if let Some(frontier) = &mut self.frontier {
            for row in &rows {
                let made = frontier.push(tlog::leaf_hash(&row.hash));
                self.nodes
                    .extend(made.into_iter().filter(|(id, _)| tree::is_stored(id)));
            }
        }
        Ok(rows)
    }

    /// Every row at once, with what the append writes after them: for an append written in
    /// one statement.
    pub(crate) fn all(mut self) -> StoreResult<(Vec<RecordedEvent>, AppendEnd)> {
        let mut rows = Vec::new();
        loop {
            let next = self.next_rows()?;
            if next.is_empty() {
                break;
            }
            rows.extend(next);
        }
        let last = rows.last().cloned().ok_or(StoreError::EmptyAppend)?;
        let end = AppendEnd {
            first_position: self.first_position,
            last,
            frontier: self.frontier,
            nodes: self.nodes,
        };
        Ok((rows, end))
    }

    /// What is left to write, given the last chunk written.
    pub(crate) fn finish(self, mut last_chunk: Vec<RecordedEvent>) -> StoreResult<AppendEnd> {
        let last = last_chunk.pop().ok_or(StoreError::EmptyAppend)?;
        Ok(AppendEnd {
            first_position: self.first_position,
            last,
            frontier: self.frontier,
            nodes: self.nodes,
        })
    }
}

/// Where the log ends after an append: its head, and the tree's frontier there (None: the
/// tree is not kept).
#[derive(Debug, Clone)]
pub(crate) struct Tip {
    pub head: LogHead,
    pub frontier: Option<Frontier>,
}

impl AppendEnd {
    /// Where the log ends once this is written.
    pub(crate) fn tip(&self) -> Tip {
        Tip {
            head: LogHead {
                position: self.last.position,
                hash: self.last.hash,
                recorded_at: self.last.recorded_at,
            },
            frontier: self.frontier.clone(),
        }
    }
}

/// The result returned for a command id seen before.
pub(crate) struct PriorCommand {
    pub stream: String,
    pub first_position: u64,
    pub last_position: u64,
    pub last_version: u64,
}

impl PriorCommand {
    /// The first append's result, whatever stream it went to.
    pub fn into_found(self) -> StoreResult<AppendResult> {
        Ok(AppendResult {
            stream: StreamId::parse(self.stream)?,
            first_position: self.first_position,
            last_position: self.last_position,
            next_version: self.last_version,
            deduplicated: true,
        })
    }

    pub fn into_result(
        self,
        command_id: CommandId,
        stream: &StreamId,
    ) -> StoreResult<AppendResult> {
        if self.stream != stream.as_str() {
            return Err(StoreError::CommandIdReused {
                command_id: command_id.0,
                first_stream: self.stream,
                stream: stream.to_string(),
            });
        }
        Ok(AppendResult {
            stream: stream.clone(),
            first_position: self.first_position,
            last_position: self.last_position,
            next_version: self.last_version,
            deduplicated: true,
        })
    }
}

pub(crate) fn basis_json(basis: Option<&LegalBasis>) -> Option<String> {
    basis.map(|b| serde_json::to_string(b).unwrap_or_default())
}
