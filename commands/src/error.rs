//! Why a command was not recorded.

use domain::DomainError;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The rules refuse it (the message names the rule and its clause).
    #[error("{0}")]
    Domain(#[from] DomainError),

    #[error("{0}")]
    Store(#[from] StoreError),

    #[error("профиль положения «{name}» не найден; известные профили: {known}")]
    ProfileNotFound { name: String, known: String },

    #[error("каталог профилей {dir}: {reason}")]
    ProfileDirectory { dir: String, reason: String },

    #[error("неверная команда JSON: {reason}")]
    InvalidJson { reason: String },

    #[error("поток {stream} меняется одновременно другими пользователями: команда не записана после {attempts} попыток, повторите её")]
    TooManyConflicts { stream: String, attempts: u32 },

    #[error("устаревшая версия: команда написана для версии {expected} потока {stream}, а он уже на версии {actual} — кто-то изменил его раньше; откройте его заново и решите ещё раз")]
    StaleExpectedVersion {
        stream: String,
        expected: u64,
        actual: u64,
    },

    #[error("поток {stream} не принадлежит workflow: записи вне правил пишутся только в потоки workflow-…")]
    NotAWorkflowStream { stream: String },
}

impl CommandError {
    /// The stable English code.
    pub fn code(&self) -> &'static str {
        match self {
            CommandError::Domain(e) => e.code(),
            CommandError::Store(e) => e.code(),
            CommandError::ProfileNotFound { .. } => "profile_not_found",
            CommandError::ProfileDirectory { .. } => "profile_directory",
            CommandError::InvalidJson { .. } => "invalid_command_json",
            CommandError::TooManyConflicts { .. } => "too_many_conflicts",
            CommandError::StaleExpectedVersion { .. } => "stale_expected_version",
            CommandError::NotAWorkflowStream { .. } => "not_a_workflow_stream",
        }
    }
}
