//! What the binary prints when something goes wrong: `code: сообщение`, one line.

use app::AppError;
use projections::ProjectionError;
use store::StoreError;

#[derive(Debug)]
pub struct Failure {
    code: &'static str,
    message: String,
}

impl Failure {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// The same failure with context in front of its message.
    pub fn prefixed(mut self, context: &str) -> Self {
        self.message = format!("{context}{}", self.message);
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.code {
            "integrity_broken" => 3,
            "invalid_argument" => 2,
            _ => 1,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // One line, whatever the underlying driver put in its message.
        let message = self.message.replace('\n', " ");
        write!(f, "{}: {}", self.code, message)
    }
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl From<ProjectionError> for Failure {
    fn from(e: ProjectionError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

pub fn io_failure(what: &str, e: std::io::Error) -> Failure {
    Failure::new("io_error", format!("{what}: {e}"))
}
