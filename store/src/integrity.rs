//! The SHA-256 hash chain over the canonical bytes of each event (DESIGN.md §2).
//!
//! Each field is fed to the hash length-prefixed, in a fixed order, so that no two different
//! envelopes share canonical bytes; the payload is hashed exactly as stored, times as
//! microseconds since the Unix epoch and dates as days since 1 January of year 1.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::envelope::{Actor, Hash, LegalBasis, RecordedEvent};

/// Format tag of the canonical encoding; a new encoding gets a new tag.
const CANONICAL_TAG: &[u8] = b"metod-event-v1";

/// The fields of an event that its hash covers, borrowed.
pub(crate) struct HashInput<'a> {
    pub position: u64,
    pub stream: &'a str,
    pub version: u64,
    pub event_type: &'a str,
    pub schema: u32,
    pub payload: &'a str,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
    pub actor: &'a Actor,
    pub basis: Option<&'a LegalBasis>,
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub prev_hash: &'a Hash,
}

/// Where the canonical bytes go: into the hash, or into a buffer for an auditor's bundle.
trait Sink {
    fn put(&mut self, bytes: &[u8]);

    fn put_str(&mut self, s: &str) {
        self.put(&(s.len() as u64).to_be_bytes());
        self.put(s.as_bytes());
    }
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl HashInput<'_> {
    pub fn hash(&self) -> Hash {
        let mut h = Sha256::new();
        self.write(&mut h);
        h.finalize().into()
    }

    /// The canonical bytes (`docs/audit.md`): what `hash` is the SHA-256 of.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(256 + self.payload.len());
        self.write(&mut out);
        out
    }

    fn write(&self, h: &mut impl Sink) {
        h.put(CANONICAL_TAG);
        h.put(self.prev_hash);
        h.put(&self.position.to_be_bytes());
        h.put_str(self.stream);
        h.put(&self.version.to_be_bytes());
        h.put_str(self.event_type);
        h.put(&self.schema.to_be_bytes());
        h.put_str(self.payload);
        h.put(&self.recorded_at.timestamp_micros().to_be_bytes());
        h.put(&self.effective.num_days_from_ce().to_be_bytes());
        h.put_str(&self.actor.id);
        h.put_str(&self.actor.role);
        match self.basis {
            None => h.put(&[0u8]),
            Some(b) => {
                h.put(&[1u8]);
                h.put_str(b.kind.as_str());
                h.put_str(&b.number);
                h.put(&b.date.num_days_from_ce().to_be_bytes());
                h.put_str(&b.issuer);
            }
        }
        h.put(self.command_id.as_bytes());
        h.put(self.correlation_id.as_bytes());
        match self.causation_id {
            None => h.put(&[0u8]),
            Some(id) => {
                h.put(&[1u8]);
                h.put(id.as_bytes());
            }
        }
    }
}

/// Recomputes the hash of a stored event from its fields, chained to `prev_hash`.
pub fn recompute_hash(event: &RecordedEvent, prev_hash: &Hash) -> Hash {
    input_of(event, prev_hash).hash()
}

/// The canonical bytes of a stored event as recorded (chained to its own `prev_hash`): the
/// SHA-256 of them is its hash when the event is intact.
pub fn canonical_bytes(event: &RecordedEvent) -> Vec<u8> {
    input_of(event, &event.prev_hash).canonical_bytes()
}

fn input_of<'a>(event: &'a RecordedEvent, prev_hash: &'a Hash) -> HashInput<'a> {
    HashInput {
        position: event.position,
        stream: event.stream.as_str(),
        version: event.version,
        event_type: &event.event_type,
        schema: event.schema,
        payload: &event.payload,
        recorded_at: event.recorded_at,
        effective: event.effective,
        actor: &event.actor,
        basis: event.basis.as_ref(),
        command_id: event.command_id,
        correlation_id: event.correlation_id,
        causation_id: event.causation_id,
        prev_hash,
    }
}
