//! What a writer believes a stream's version to be: the optimistic-concurrency check of an
//! append, and the value a version conflict reports.

use serde::{Deserialize, Serialize};

/// What the writer believes the stream's version to be before its append.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// The stream must not exist yet (version 0).
    NoStream,
    /// The stream must be exactly at this version (0 = does not exist).
    Exact(u64),
    /// No check: append after whatever is there.
    Any,
}

impl ExpectedVersion {
    /// Whether a stream at version `actual` is what the writer expects.
    pub(crate) fn admits(self, actual: u64) -> bool {
        match self {
            ExpectedVersion::NoStream => actual == 0,
            ExpectedVersion::Exact(v) => actual == v,
            ExpectedVersion::Any => true,
        }
    }
}

impl std::fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedVersion::NoStream => f.write_str("поток ещё не создан"),
            ExpectedVersion::Exact(v) => write!(f, "{v}"),
            ExpectedVersion::Any => f.write_str("любая"),
        }
    }
}
