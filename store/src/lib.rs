//! The event log of metod: every action is an immutable event in one global, gapless,
//! hash-chained order. This crate owns the `EventStore` trait and its envelope
//! (DESIGN.md §2), the integrity check, the personal-data vault, the injectable clock and
//! the two backends — SQLite (the embedded default) and PostgreSQL — with their migrations,
//! the SQL they share (`sql`) and the Merkle tree over the log (`tree`, through tlog). What
//! only the benchmark measures is apart, in `bench`. It knows nothing of the domain: payloads are JSON and event types are names.

pub mod accounts;
mod batch;
pub mod bench;
pub mod clock;
mod decode;
mod document_texts;
pub mod envelope;
pub mod error;
pub mod event_store;
mod expected_version;
pub mod facts;
mod integrity;
mod leadership;
#[cfg(test)]
mod migration_ties;
mod open;
pub mod postgres;
mod schema;
mod signed_checkpoints;
mod sql;
pub mod sqlite;
pub mod subscription;
mod tree;
pub mod vault;
mod verify;

#[cfg(feature = "testing")]
pub mod testing;

pub use accounts::{
    account_stream, login_key, AccessEntry, AccessTokenRecord, AccountChange, AccountRecord,
    AccountStore, FailureCount, SecretHash, SessionRecord,
};
pub use clock::{Clock, FixedClock, SteppingClock, SystemClock};
pub use document_texts::{text_hash, DocumentTexts};
pub use envelope::{
    Actor, AppendResult, BasisKind, CommandId, EventContent, Hash, LegalBasis, LogHead, NewEvent,
    RecordedEvent, StreamId, GENESIS_HASH,
};
pub use error::{StoreError, StoreResult};
pub use event_store::{Checkpoints, EventStore, MetodStore, SharedStore};
pub use expected_version::ExpectedVersion;
pub use facts::{CurrentOf, FactChanges, FactRow, HeldFact, ReadModelStore, Retiring, TimePoint};
pub use integrity::{canonical_bytes, recompute_hash};
pub use leadership::{Leadership, Lease};
pub use open::{open, Backend, DEFAULT_DATABASE_URL};
pub use schema::OpenMode;
pub use signed_checkpoints::{SignedCheckpoint, SignedCheckpoints};
pub use subscription::Subscription;
pub use tree::LogTree;
pub use vault::{
    erasure_stream, Erasure, PersonalDataVault, Revealed, SealedField, ERASED_TEXT,
    ERASURE_EVENT_TYPE,
};
pub use verify::{verify, verify_after, verify_against, Verification};
