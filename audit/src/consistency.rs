//! The consistency proof between two checkpoints as a file (`metod-consistency-v1`), and its
//! check against both checkpoints' roots.

use serde::{Deserialize, Serialize};
use tlog::Hash;

use crate::check::hashes;
use crate::checkpoint::Checkpoint;
use crate::error::AuditError;

pub const CONSISTENCY_FORMAT: &str = "metod-consistency-v1";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyProof {
    pub format: String,
    pub old_size: u64,
    pub new_size: u64,
    pub proof: Vec<String>,
}

impl ConsistencyProof {
    pub fn new(old_size: u64, new_size: u64, proof: &[Hash]) -> Self {
        Self {
            format: CONSISTENCY_FORMAT.to_string(),
            old_size,
            new_size,
            proof: proof.iter().map(hex::encode).collect(),
        }
    }

    /// Whether this proof shows that the tree of `new` extends the tree of `old`.
    pub fn verify(&self, old: &Checkpoint, new: &Checkpoint) -> Result<(), AuditError> {
        let malformed = |reason: String| AuditError::BundleMalformed { reason };
        if self.format != CONSISTENCY_FORMAT {
            return Err(malformed(format!(
                "формат «{}», ожидался {CONSISTENCY_FORMAT}",
                self.format
            )));
        }
        if (self.old_size, self.new_size) != (old.size, new.size) {
            return Err(malformed(format!(
                "доказательство между размерами {} и {}, а контрольные точки — {} и {}",
                self.old_size, self.new_size, old.size, new.size
            )));
        }
        if old.origin != new.origin {
            return Err(AuditError::OriginMismatch {
                expected: old.origin.clone(),
                found: new.origin.clone(),
            });
        }
        let proof = hashes(&self.proof).map_err(malformed)?;
        tlog::verify_consistency(old.size, new.size, &old.root, &new.root, &proof)
            .map_err(AuditError::Consistency)
    }
}
