//! Why a workflow run or a view failed.

use commands::CommandError;
use domain::DomainError;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    #[error("{0}")]
    Store(#[from] StoreError),

    #[error("{0}")]
    Command(#[from] CommandError),

    #[error("{0}")]
    Domain(#[from] DomainError),
}

impl WorkflowError {
    pub fn code(&self) -> &'static str {
        match self {
            WorkflowError::Store(e) => e.code(),
            WorkflowError::Command(e) => e.code(),
            WorkflowError::Domain(e) => e.code(),
        }
    }
}
