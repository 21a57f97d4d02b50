//! What only `metod bench store` measures: the ceiling appends are compared with — the same
//! rows inserted into a bare table (no keys, no indexes, no checks) of the same database,
//! with the same insert method, one transaction per chunk. No command of metod needs it, so
//! it is no part of `MetodStore`: the benchmark opens its store here and gets both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sqlx::{Postgres, Sqlite};

use crate::clock::Clock;
use crate::envelope::RecordedEvent;
use crate::error::StoreResult;
use crate::event_store::SharedStore;
use crate::open::Backend;
use crate::postgres::PostgresStore;
use crate::schema::OpenMode;
use crate::sql::Dialect;
use crate::sqlite::SqliteStore;

/// Measurements that need the store's own database.
#[async_trait]
pub trait Ceilings: Send + Sync {
    /// Creates (or empties) the bare table `bench_raw_events`.
    async fn create_raw_table(&self) -> StoreResult<()>;

    /// Inserts one chunk into the bare table in one durable transaction; returns its time.
    async fn raw_insert(&self, chunk: &[RecordedEvent]) -> StoreResult<Duration>;

    /// Drops the bare table.
    async fn drop_raw_table(&self) -> StoreResult<()>;
}

/// Opens (as `store::open` does) the store at `url`, with its ceilings on the same database.
pub async fn open(
    url: &str,
    mode: OpenMode,
    clock: Arc<dyn Clock>,
) -> StoreResult<(SharedStore, Arc<dyn Ceilings>)> {
    Ok(match Backend::of_url(url)? {
        Backend::Sqlite => {
            let store = Arc::new(SqliteStore::open(url, mode, clock).await?);
            let shared: SharedStore = store.clone();
            (shared, store)
        }
        Backend::Postgres => {
            let store = Arc::new(PostgresStore::open(url, mode, clock).await?);
            let shared: SharedStore = store.clone();
            (shared, store)
        }
    })
}

const DROP_RAW_TABLE: &str = "DROP TABLE IF EXISTS bench_raw_events";

/// The bare table: the log's columns with the log's types, without a key, an index or a check.
pub(crate) const SQLITE_RAW_TABLE: &str = "CREATE TABLE bench_raw_events (position INTEGER, \
     stream TEXT, version INTEGER, event_type TEXT, schema_version INTEGER, payload TEXT, \
     recorded_at INTEGER, effective TEXT, actor_id TEXT, actor_role TEXT, basis TEXT, \
     command_id BLOB, correlation_id BLOB, causation_id BLOB, prev_hash BLOB, hash BLOB)";

/// [`SQLITE_RAW_TABLE`] in PostgreSQL's types.
pub(crate) const POSTGRES_RAW_TABLE: &str = "CREATE TABLE bench_raw_events (position BIGINT, \
     stream TEXT, version BIGINT, event_type TEXT, schema_version BIGINT, payload TEXT, \
     recorded_at TIMESTAMPTZ, effective DATE, actor_id TEXT, actor_role TEXT, basis TEXT, \
     command_id UUID, correlation_id UUID, causation_id UUID, prev_hash BYTEA, hash BYTEA)";

#[async_trait]
impl Ceilings for SqliteStore {
    async fn create_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        sqlx::query(SQLITE_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }

    async fn raw_insert(&self, chunk: &[RecordedEvent]) -> StoreResult<Duration> {
        let started = Instant::now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        Sqlite::insert_events(&mut tx, "bench_raw_events", chunk).await?;
        tx.commit().await?;
        Ok(started.elapsed())
    }

    async fn drop_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }
}

#[async_trait]
impl Ceilings for PostgresStore {
    async fn create_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        sqlx::query(POSTGRES_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }

    async fn raw_insert(&self, chunk: &[RecordedEvent]) -> StoreResult<Duration> {
        let started = Instant::now();
        let mut tx = self.pool.begin().await?;
        Postgres::insert_events(&mut tx, "bench_raw_events", chunk).await?;
        tx.commit().await?;
        Ok(started.elapsed())
    }

    async fn drop_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }
}
