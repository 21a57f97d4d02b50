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

fn put_str(h: &mut Sha256, s: &str) {
    h.update((s.len() as u64).to_be_bytes());
    h.update(s.as_bytes());
}

impl HashInput<'_> {
    pub fn hash(&self) -> Hash {
        let mut h = Sha256::new();
        h.update(CANONICAL_TAG);
        h.update(self.prev_hash);
        h.update(self.position.to_be_bytes());
        put_str(&mut h, self.stream);
        h.update(self.version.to_be_bytes());
        put_str(&mut h, self.event_type);
        h.update(self.schema.to_be_bytes());
        put_str(&mut h, self.payload);
        h.update(self.recorded_at.timestamp_micros().to_be_bytes());
        h.update(self.effective.num_days_from_ce().to_be_bytes());
        put_str(&mut h, &self.actor.id);
        put_str(&mut h, &self.actor.role);
        match self.basis {
            None => h.update([0u8]),
            Some(b) => {
                h.update([1u8]);
                put_str(&mut h, b.kind.as_str());
                put_str(&mut h, &b.number);
                h.update(b.date.num_days_from_ce().to_be_bytes());
                put_str(&mut h, &b.issuer);
            }
        }
        h.update(self.command_id.as_bytes());
        h.update(self.correlation_id.as_bytes());
        match self.causation_id {
            None => h.update([0u8]),
            Some(id) => {
                h.update([1u8]);
                h.update(id.as_bytes());
            }
        }
        h.finalize().into()
    }
}

/// Recomputes the hash of a stored event from its fields, chained to `prev_hash`.
pub fn recompute_hash(event: &RecordedEvent, prev_hash: &Hash) -> Hash {
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
    .hash()
}
