//! The checkpoints signed for auditors, kept as signed (migration 0008): the store keeps the
//! notes; making and checking them is crate audit's.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::envelope::Hash;
use crate::error::StoreResult;

/// One kept checkpoint: the size and root of the tree it signs, and the signed note itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignedCheckpoint {
    pub id: u64,
    pub tree_size: u64,
    #[serde(with = "crate::envelope::hex_hash")]
    pub root: Hash,
    pub note: String,
    /// The verifier key of the signature (public; C2SP vkey form).
    pub verifier_key: String,
    pub signed_at: DateTime<Utc>,
}

#[async_trait]
pub trait SignedCheckpoints: Send + Sync {
    /// Keeps a checkpoint signed at the store's now; returns it as kept.
    async fn keep_signed_checkpoint(
        &self,
        tree_size: u64,
        root: Hash,
        note: &str,
        verifier_key: &str,
    ) -> StoreResult<SignedCheckpoint>;

    /// Every kept checkpoint, oldest first.
    async fn signed_checkpoints(&self) -> StoreResult<Vec<SignedCheckpoint>>;
}
