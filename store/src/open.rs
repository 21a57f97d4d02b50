//! Opening a store from a database URL: `sqlite://…` (the embedded default) or
//! `postgres://…`.

use std::sync::Arc;

use crate::clock::Clock;
use crate::error::{StoreError, StoreResult};
use crate::event_store::SharedStore;
use crate::postgres::PostgresStore;
use crate::schema::OpenMode;
use crate::sqlite::SqliteStore;

/// The default store: a SQLite file in the current directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://metod.db";

/// Which backend a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> StoreResult<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::InvalidDatabaseUrl {
                url: url.into(),
                reason: "ожидается sqlite://<файл> или postgres://<пользователь>@<сервер>/<база>"
                    .into(),
            })
        }
    }
}

/// Opens (and with `CreateOrMigrate`, creates or migrates) the store at `url`.
pub async fn open(url: &str, mode: OpenMode, clock: Arc<dyn Clock>) -> StoreResult<SharedStore> {
    Ok(match Backend::of_url(url)? {
        Backend::Sqlite => Arc::new(SqliteStore::open(url, mode, clock).await?),
        Backend::Postgres => Arc::new(PostgresStore::open(url, mode, clock).await?),
    })
}
