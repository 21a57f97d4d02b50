//! What only `metod bench store` measures: the ceiling appends are compared with — the same
//! rows inserted into a bare table (no keys, no indexes, no checks) of the same database,
//! with the same insert method, one transaction per chunk. No command of metod needs it, so
//! it is no part of `MetodStore`: the benchmark opens its store here and gets both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use sqlx::{Connection, Executor, PgConnection, Postgres, Sqlite};

use crate::clock::Clock;
use crate::envelope::RecordedEvent;
use crate::error::{StoreError, StoreResult};
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

    /// Inserts one row into the bare table in one durable statement of its own, as a
    /// single append's ceiling; returns its time.
    async fn raw_insert_one(&self, row: &RecordedEvent) -> StoreResult<Duration>;

    /// Drops the bare table.
    async fn drop_raw_table(&self) -> StoreResult<()>;

    /// How many appends of this process went to the database in one call (PostgreSQL's
    /// `metod_append_after`); None where every append is in-process anyway (SQLite).
    fn appends_in_one_call(&self) -> Option<u64>;
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

/// Opens a store at `url` whose appends do not keep the Merkle tree: the ceiling an append
/// with the tree is compared with. Its head keeps no frontier, so a store opened later the
/// usual way builds the tree from its events: nothing is lost if one is kept by mistake.
pub async fn open_without_tree(url: &str, clock: Arc<dyn Clock>) -> StoreResult<SharedStore> {
    Ok(match Backend::of_url(url)? {
        Backend::Sqlite => {
            let mut store = SqliteStore::open(url, OpenMode::CreateOrMigrate, clock).await?;
            store.keep_tree = false;
            Arc::new(store)
        }
        Backend::Postgres => {
            let mut store = PostgresStore::open(url, OpenMode::CreateOrMigrate, clock).await?;
            store.keep_tree = false;
            Arc::new(store)
        }
    })
}

/// The name of the twin of a database: the same name with this after it.
const TWIN_SUFFIX: &str = "_without_tree";

/// A second, empty store beside the one at `url`, for the ceiling without the tree: a sibling
/// file on SQLite (same directory, same disk), a database of the same server on PostgreSQL
/// (the role must be allowed to create one). Returns its URL; `remove_twin` removes it.
pub async fn create_twin(url: &str) -> StoreResult<String> {
    let twin = twin_url(url)?;
    remove_twin(url, &twin).await?;
    if Backend::of_url(url)? == Backend::Postgres {
        let (_, name) = postgres_database(&twin)?;
        let mut conn = PgConnection::connect(url).await?;
        conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await?;
    }
    Ok(twin)
}

/// A copy of the kept store at `kept` beside it, its name followed by `suffix`, for a
/// benchmark that writes into the history it measures: the history stays as generated. On
/// SQLite the file, its write-ahead log checkpointed into it first; on PostgreSQL a database
/// made from the kept one as its template. Any earlier copy of that name goes first; nothing
/// may be connected to `kept` meanwhile. Returns the copy's URL (`remove_twin` removes it).
pub async fn copy_beside(kept: &str, suffix: &str) -> StoreResult<String> {
    let copy = sibling_url(kept, suffix)?;
    remove_twin(kept, &copy).await?;
    match Backend::of_url(kept)? {
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(kept).await?;
            // Nothing else is connected to `kept`: nothing holds the truncation back.
            crate::sqlite::truncate_wal(&mut conn).await?;
            conn.close().await?;
            let (from, to) = (sqlite_file(kept), sqlite_file(&copy));
            std::fs::copy(&from, &to).map_err(|e| StoreError::InvalidDatabaseUrl {
                url: copy.clone(),
                reason: format!("не удалось скопировать {from} в {to}: {e}"),
            })?;
        }
        Backend::Postgres => {
            let (base, from) = postgres_database(kept)?;
            let (_, to) = postgres_database(&copy)?;
            // from the maintenance database: a template may have no one connected to it, so
            // sessions left on the kept history by this process's earlier pools are ended
            let query = kept.split_once('?').map(|(_, q)| format!("?{q}"));
            let maintenance = format!("{base}/postgres{}", query.unwrap_or_default());
            let mut conn = PgConnection::connect(&maintenance).await?;
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = $1 AND pid <> pg_backend_pid()",
            )
            .bind(&from)
            .execute(&mut conn)
            .await?;
            conn.execute(format!("CREATE DATABASE \"{to}\" TEMPLATE \"{from}\"").as_str())
                .await?;
        }
    }
    Ok(copy)
}

/// Removes the twin `twin` of the store at `url` (its files, or its database).
pub async fn remove_twin(url: &str, twin: &str) -> StoreResult<()> {
    match Backend::of_url(url)? {
        Backend::Sqlite => {
            let file = sqlite_file(twin);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{file}{suffix}"));
            }
        }
        Backend::Postgres => {
            let (_, name) = postgres_database(twin)?;
            let mut conn = PgConnection::connect(url).await?;
            conn.execute(format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").as_str())
                .await?;
        }
    }
    Ok(())
}

fn twin_url(url: &str) -> StoreResult<String> {
    sibling_url(url, TWIN_SUFFIX)
}

/// The URL of the store beside the one at `url` whose name has `suffix` after it: a file of
/// the same directory, or a database of the same server.
fn sibling_url(url: &str, suffix: &str) -> StoreResult<String> {
    let (_, query) = url.split_once('?').unwrap_or((url, ""));
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    Ok(match Backend::of_url(url)? {
        Backend::Sqlite => {
            let file = url.split_once('?').map_or(url, |(file, _)| file);
            let stem = file.strip_suffix(".db").unwrap_or(file);
            format!("{stem}{suffix}.db{query}")
        }
        Backend::Postgres => {
            let (base, name) = postgres_database(url)?;
            format!("{base}/{name}{suffix}{query}")
        }
    })
}

/// The longest name PostgreSQL keeps whole (NAMEDATALEN - 1).
const POSTGRES_NAME_BYTES: usize = 63;

/// The PostgreSQL database beside the one at `url` whose name has `suffix` after it, created
/// (empty) when the server has none of that name; returns its URL. For histories a benchmark
/// generates once and keeps.
pub async fn kept_postgres_sibling(url: &str, suffix: &str) -> StoreResult<String> {
    let sibling = sibling_url(url, suffix)?;
    let (_, name) = postgres_database(&sibling)?;
    if name.len() > POSTGRES_NAME_BYTES {
        return Err(StoreError::InvalidDatabaseUrl {
            url: url.into(),
            reason: format!(
                "имя базы {name} длиннее {POSTGRES_NAME_BYTES} байт, PostgreSQL его обрежет: \
                 укажите базу с более коротким именем"
            ),
        });
    }
    let mut conn = PgConnection::connect(url).await?;
    let exists: Option<i32> = sqlx::query_scalar("SELECT 1 FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_optional(&mut conn)
        .await?;
    if exists.is_none() {
        conn.execute(format!("CREATE DATABASE \"{name}\"").as_str())
            .await?;
    }
    Ok(sibling)
}

/// The file of a SQLite URL.
fn sqlite_file(url: &str) -> String {
    let file = url.split_once('?').map_or(url, |(file, _)| file);
    file.trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:")
        .to_string()
}

/// A PostgreSQL URL's part before the database name, and the name.
fn postgres_database(url: &str) -> StoreResult<(String, String)> {
    let without_query = url.split_once('?').map_or(url, |(u, _)| u);
    let invalid = || StoreError::InvalidDatabaseUrl {
        url: url.into(),
        reason: "в адресе PostgreSQL нет имени базы".into(),
    };
    let (base, name) = without_query.rsplit_once('/').ok_or_else(invalid)?;
    let name_is_plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if base.ends_with('/') || !name_is_plain {
        return Err(invalid());
    }
    Ok((base.to_string(), name.to_string()))
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

    async fn raw_insert_one(&self, row: &RecordedEvent) -> StoreResult<Duration> {
        let started = Instant::now();
        let mut conn = self.pool.acquire().await?;
        Sqlite::insert_events(&mut conn, "bench_raw_events", std::slice::from_ref(row)).await?;
        Ok(started.elapsed())
    }

    async fn drop_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }

    fn appends_in_one_call(&self) -> Option<u64> {
        None
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

    async fn raw_insert_one(&self, row: &RecordedEvent) -> StoreResult<Duration> {
        let started = Instant::now();
        let mut conn = self.pool.acquire().await?;
        Postgres::insert_events(&mut conn, "bench_raw_events", std::slice::from_ref(row)).await?;
        Ok(started.elapsed())
    }

    async fn drop_raw_table(&self) -> StoreResult<()> {
        sqlx::query(DROP_RAW_TABLE).execute(&self.pool).await?;
        Ok(())
    }

    fn appends_in_one_call(&self) -> Option<u64> {
        Some(
            self.appended_in_one_call
                .load(std::sync::atomic::Ordering::Relaxed),
        )
    }
}
