//! What can stop a projection: an event it cannot apply (named by position), or the store;
//! and what stops a question: a district or subject filter that names nothing, a name no
//! question has.

use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ProjectionError {
    #[error("модель чтения остановлена на позиции {position} ({event_type}): {reason}")]
    CannotApply {
        position: u64,
        event_type: String,
        reason: String,
    },

    #[error("сохранённая модель чтения не читается: {reason}; выполните «metod rebuild»")]
    UnreadableReadModel { reason: String },

    #[error("проектор моделей чтения остановился: {reason}")]
    Worker { reason: String },

    /// A `--district` that names no district of the municipality on the date.
    #[error("район «{wanted}» не найден на {on}; {known}")]
    UnknownDistrict {
        wanted: String,
        on: String,
        known: String,
    },

    /// A `--subject` that no association on the date is of.
    #[error("предмет «{wanted}» не найден на {on}; {known}")]
    UnknownSubject {
        wanted: String,
        on: String,
        known: String,
    },

    /// A question asked by a name no question has.
    #[error("неизвестный запрос «{0}»")]
    UnknownQuery(String),

    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ProjectionError {
    /// The stable English code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ProjectionError::CannotApply { .. } => "projection_cannot_apply",
            ProjectionError::UnreadableReadModel { .. } => "read_model_unreadable",
            ProjectionError::Worker { .. } => "projector_thread_failed",
            ProjectionError::UnknownDistrict { .. } => "unknown_district",
            ProjectionError::UnknownSubject { .. } => "unknown_subject",
            ProjectionError::UnknownQuery(_) => "unknown_query",
            ProjectionError::Store(e) => e.code(),
        }
    }
}
