//! What an auditor needs besides the tree (crate `tlog`): Ed25519 keys in the C2SP
//! signed-note forms, checkpoints (C2SP tlog-checkpoint) signed as notes, the parser of an
//! event's canonical bytes, and the offline audit bundle with its check. Pure: no store, no
//! network; `docs/audit.md` is the format it reads and writes.

mod bundle;
mod canonical;
mod check;
mod checkpoint;
mod consistency;
mod error;
mod keys;
mod note;

pub use bundle::{Bundle, BundleEvent, EventRole, BUNDLE_FORMAT};
pub use canonical::{CanonicalBasis, CanonicalEvent};
pub use check::{check_bundle, CheckedBundle};
pub use checkpoint::Checkpoint;
pub use consistency::{ConsistencyProof, CONSISTENCY_FORMAT};
pub use error::AuditError;
pub use keys::{SigningKey, VerifierKey};
pub use note::{sign_note, verify_note};
