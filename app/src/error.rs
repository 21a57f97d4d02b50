//! Why a use case did not happen: the refusal of the part that refused (kept whole, so a
//! caller can tell a rule from a conflict from a missing record), or the application's own.
//! Each has a stable English code and a Russian message.

use chrono::{DateTime, Utc};
use commands::CommandError;
use demo::DemoError;
use projections::ProjectionError;
use store::{StoreError, TimePoint};
use workflows::WorkflowError;

mod accounts;
mod personal_data;

pub use accounts::{AccountError, FailedLogin};
pub use personal_data::PersonalDataError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),

    #[error(transparent)]
    Command(#[from] CommandError),

    #[error(transparent)]
    Projection(#[from] ProjectionError),

    #[error(transparent)]
    Workflow(#[from] WorkflowError),

    #[error(transparent)]
    Demo(#[from] DemoError),

    #[error(transparent)]
    Audit(#[from] audit::AuditError),

    /// A proof was asked for, but no checkpoint has been signed.
    #[error("в журнале нет подписанных контрольных точек: сначала metod audit checkpoint")]
    NoSignedCheckpoint,

    /// A checkpoint from a file that this store did not sign: its key must be given.
    #[error("контрольная точка не из этого хранилища: укажите ключ проверки (--key)")]
    VerifierKeyNeeded,

    /// A checkpoint of more events than the log has.
    #[error(
        "контрольная точка подписана на {size} событий, а в журнале {events}: это журнал другого хранилища или события удалены"
    )]
    CheckpointBeyondLog { size: u64, events: u64 },

    /// The tree of the checkpoint's size has another root in this log.
    #[error(
        "корень дерева первых {size} событий журнала не совпадает с контрольной точкой: журнал изменён после её подписи или это другой журнал"
    )]
    CheckpointNotOfThisLog { size: u64 },

    /// The document has no event in the tree of the checkpoint.
    #[error("у документа {document} нет событий среди первых {size} событий журнала")]
    DocumentNotInCheckpoint { document: String, size: u64 },
    /// An erasure of personal data or its act, refused.
    #[error(transparent)]
    PersonalData(#[from] PersonalDataError),

    /// An account, a login, a session or a token, refused.
    #[error(transparent)]
    Account(#[from] AccountError),

    /// The configured clock is neither a date nor a moment.
    #[error("METOD_CLOCK «{0}»: нужна дата ГГГГ-ММ-ДД или время RFC 3339")]
    InvalidClock(String),

    /// A question about a municipality, asked of a log that registers none at that point.
    #[error(
        "на {} (по сведениям на {}) в журнале нет зарегистрированного муниципалитета",
        .at.as_of,
        known_at_text(.at.known_at)
    )]
    NoMunicipality { at: TimePoint },

    /// Generated history goes only into an empty store.
    #[error(
        "в хранилище {store} уже {events} событий; демонстрационные данные пишутся только в пустое хранилище"
    )]
    DemoStoreNotEmpty { store: String, events: u64 },
}

impl AppError {
    /// The stable English code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Store(e) => e.code(),
            AppError::Command(e) => e.code(),
            AppError::Projection(e) => e.code(),
            AppError::Workflow(e) => e.code(),
            AppError::Demo(e) => e.code(),
            AppError::Audit(e) => e.code(),
            AppError::NoSignedCheckpoint => "no_signed_checkpoint",
            AppError::VerifierKeyNeeded => "verifier_key_needed",
            AppError::CheckpointBeyondLog { .. } => "checkpoint_beyond_log",
            AppError::CheckpointNotOfThisLog { .. } => "checkpoint_not_of_this_log",
            AppError::DocumentNotInCheckpoint { .. } => "document_not_in_checkpoint",
            AppError::PersonalData(e) => e.code(),
            AppError::Account(e) => e.code(),
            AppError::InvalidClock(_) => "invalid_clock",
            AppError::NoMunicipality { .. } => "no_municipality",
            AppError::DemoStoreNotEmpty { .. } => "demo_store_not_empty",
        }
    }
}

fn known_at_text(known_at: Option<DateTime<Utc>>) -> String {
    known_at.map_or_else(|| "сейчас".to_string(), |t| t.to_rfc3339())
}
