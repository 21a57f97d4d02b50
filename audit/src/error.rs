//! Why a key, a note, a checkpoint or a bundle is refused: a Russian message naming what
//! failed and where, and a stable English code.

use tlog::ProofError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuditError {
    #[error("ключ повреждён: {reason}")]
    KeyMalformed { reason: String },

    #[error("подписанная записка повреждена: {reason}")]
    NoteMalformed { reason: String },

    #[error("нет действительной подписи ключом {key}")]
    SignatureInvalid { key: String },

    #[error("контрольная точка повреждена: {reason}")]
    CheckpointMalformed { reason: String },

    #[error("контрольная точка относится к журналу «{found}», а ключ — к «{expected}»")]
    OriginMismatch { expected: String, found: String },

    #[error("пакет повреждён: {reason}")]
    BundleMalformed { reason: String },

    #[error("событие {number} (лист {index}): {reason}")]
    EventInvalid {
        number: usize,
        index: u64,
        reason: String,
    },

    #[error("событие {number} (лист {index}): {source}")]
    EventNotIncluded {
        number: usize,
        index: u64,
        source: ProofError,
    },

    #[error("доказательство согласованности: {0}")]
    Consistency(ProofError),

    #[error("{0}")]
    Io(String),
}

impl AuditError {
    /// The stable English code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AuditError::KeyMalformed { .. } => "audit_key_malformed",
            AuditError::NoteMalformed { .. } => "signed_note_malformed",
            AuditError::SignatureInvalid { .. } => "signature_invalid",
            AuditError::CheckpointMalformed { .. } => "checkpoint_malformed",
            AuditError::OriginMismatch { .. } => "checkpoint_origin_mismatch",
            AuditError::BundleMalformed { .. } => "bundle_malformed",
            AuditError::EventInvalid { .. } => "bundle_event_invalid",
            AuditError::EventNotIncluded { .. } => "inclusion_proof_invalid",
            AuditError::Consistency(e) => e.code(),
            AuditError::Io(_) => "io_error",
        }
    }
}
