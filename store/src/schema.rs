//! Which schema a database has, compared with the schema this build knows.

use crate::error::{StoreError, StoreResult};

/// Whether `open` may create or migrate the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// `metod init`: create the store if it does not exist, migrate it if it is older.
    CreateOrMigrate,
    /// Every other command: the store must exist at exactly this build's schema.
    Existing,
    /// `metod demo`: as `CreateOrMigrate`, for a generator filling an empty store with a
    /// whole history. Commits are not flushed to disk one by one (SQLite `synchronous =
    /// NORMAL` in WAL mode, PostgreSQL `synchronous_commit = off`): a crash of the machine
    /// may lose the last commits but never corrupts the store or breaks its chain — and
    /// the generator refuses a store that is not empty, so a lost tail is generated again
    /// into a new one. On SQLite it works through a single connection.
    BulkLoad,
}

impl OpenMode {
    /// Whether each commit is flushed to disk before it is acknowledged.
    pub(crate) fn durable_commits(self) -> bool {
        self != OpenMode::BulkLoad
    }
}

/// Decides what to do with a database whose newest applied migration is `applied`
/// (None = no schema at all); returns whether migrations must run.
pub(crate) fn plan(
    applied: Option<i64>,
    known: i64,
    mode: OpenMode,
    target: &str,
) -> StoreResult<bool> {
    match (applied, mode) {
        (Some(found), _) if found > known => Err(StoreError::SchemaTooNew { found, known }),
        (None, OpenMode::Existing) => Err(StoreError::NotInitialized {
            target: target.into(),
        }),
        (Some(found), OpenMode::Existing) if found < known => {
            Err(StoreError::SchemaOutdated { found, known })
        }
        (Some(found), _) if found == known => Ok(false),
        _ => Ok(true),
    }
}

pub(crate) fn newest(migrator: &sqlx::migrate::Migrator) -> i64 {
    migrator.iter().map(|m| m.version).max().unwrap_or(0)
}
