//! The embedded default backend: one SQLite file in WAL mode with `synchronous = FULL`, so
//! an acknowledged append survives a crash. Appends are serialized by `BEGIN IMMEDIATE`
//! (across processes) and an in-process lock (so this process's writers queue instead of
//! spinning on SQLITE_BUSY). The read models, derived from the log, are written through a
//! connection of their own with `synchronous = NORMAL`: no fsync per commit of theirs.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{Connection, QueryBuilder, Row, Sqlite};
use tokio::sync::{watch, Mutex};

use crate::batch;
use crate::clock::Clock;
use crate::decode::{self, CONTENT_COLUMNS, EVENT_COLUMNS};
use crate::envelope::{
    AppendResult, CommandId, EventContent, LogHead, NewEvent, RecordedEvent, StreamId,
};
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::event_store::{Ceilings, Checkpoints, EventStore};
use crate::expected_version::ExpectedVersion;
use crate::facts::{self, FactChanges, FactRow, ReadModelStore, TimePoint};
use crate::schema::{self, OpenMode};
use crate::vault::{self, Erasure, KeySlot, PersonalDataVault};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Rows per INSERT statement: 16 parameters a row stays under SQLite's 32,766 limit.
const ROWS_PER_INSERT: usize = 1_000;

pub struct SqliteStore {
    pool: SqlitePool,
    clock: Arc<dyn Clock>,
    write_lock: Mutex<()>,
    appended: watch::Sender<u64>,
    target: String,
    /// The connection the read models are written through, opened on first use: with
    /// `synchronous = NORMAL`, so a commit of derived rows waits for no fsync.
    facts_writer: Mutex<Option<SqliteConnection>>,
    facts_options: SqliteConnectOptions,
}

impl SqliteStore {
    pub async fn open(url: &str, mode: OpenMode, clock: Arc<dyn Clock>) -> StoreResult<Self> {
        let options =
            SqliteConnectOptions::from_str(url).map_err(|e| StoreError::InvalidDatabaseUrl {
                url: url.into(),
                reason: e.to_string(),
            })?;
        let path: PathBuf = options.get_filename().to_path_buf();
        if let Some(reason) = not_a_kept_file(url, &path) {
            return Err(StoreError::InvalidDatabaseUrl {
                url: url.into(),
                reason: reason.into(),
            });
        }
        let target = format!("sqlite://{}", path.display());
        if mode == OpenMode::Existing && !path.exists() {
            return Err(StoreError::NotInitialized { target });
        }
        let options = options
            .create_if_missing(mode != OpenMode::Existing)
            // 16 KiB pages for a new file (an existing one keeps its size): fewer pages per
            // batch of appended events and per read-model scan than the default 4 KiB.
            .page_size(16_384)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(if mode.durable_commits() {
                SqliteSynchronous::Full
            } else {
                SqliteSynchronous::Normal
            })
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(true)
            // A shredded key is overwritten on disk, not only unlinked from the b-tree.
            .pragma("secure_delete", "ON")
            // Read models are read a lot: a 64 MiB page cache per connection and the file
            // mapped into memory instead of copied page by page.
            .pragma("cache_size", "-65536")
            .pragma("mmap_size", "268435456")
            // A query's rows come from the connection's thread through a bounded channel:
            // room for a whole page of the log, so that thread and its reader do not wake
            // each other every 50 rows (the default).
            .row_buffer_size(4096);
        // The read models are derived from the log and rebuilt from it: their commits need
        // not reach the disk before they return. In WAL mode a commit that is lost in a
        // power failure is lost whole (with its checkpoint), and the next append's fsync
        // (FULL, on the pool) makes the earlier frames durable as well.
        let facts_options = options.clone().synchronous(SqliteSynchronous::Normal);
        let pool = SqlitePoolOptions::new()
            // Each connection keeps its own page cache, emptied whenever another connection
            // wrote. A bulk load is one writer doing one thing at a time: on one connection
            // its cache stays warm (a generated city year 30 s -> 23 s).
            .max_connections(if mode == OpenMode::BulkLoad { 1 } else { 4 })
            // A connection to a local file does not go stale the way a network one does:
            // no ping before every acquire (a round trip to the connection's thread each).
            .test_before_acquire(false)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Unreachable {
                target: target.clone(),
                reason: e.to_string(),
            })?;
        let applied = applied_schema(&pool).await?;
        if schema::plan(applied, schema::newest(&MIGRATOR), mode, &target)? {
            MIGRATOR.run(&pool).await?;
        }
        let head = read_head(&pool).await?.map_or(0, |h| h.position);
        let (appended, _) = watch::channel(head);
        Ok(Self {
            pool,
            clock,
            write_lock: Mutex::new(()),
            appended,
            target,
            facts_writer: Mutex::new(None),
            facts_options,
        })
    }

    /// The read models' writer connection, opened if it is not yet.
    async fn facts_writer(
        &self,
    ) -> StoreResult<tokio::sync::MappedMutexGuard<'_, SqliteConnection>> {
        let mut slot = self.facts_writer.lock().await;
        if slot.is_none() {
            let conn = SqliteConnection::connect_with(&self.facts_options)
                .await
                .map_err(|e| StoreError::Unreachable {
                    target: self.target.clone(),
                    reason: e.to_string(),
                })?;
            *slot = Some(conn);
        }
        tokio::sync::MutexGuard::try_map(slot, Option::as_mut).map_err(|_| StoreError::Database {
            reason: "соединение для записи моделей чтения не открыто".into(),
        })
    }

    /// Runs `work` in a write transaction (`BEGIN IMMEDIATE`) and commits it unless it
    /// reports a repeated command, then wakes this process's subscribers.
    async fn append_with(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
        also: Option<&str>,
    ) -> StoreResult<AppendResult> {
        batch::validate(&events)?;
        let _writer = self.write_lock.lock().await;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let attempt = append_in_tx(
            &mut tx,
            self.clock.now(),
            stream,
            expected,
            events,
            command_id,
        )
        .await?;
        let Some(result) = attempt else {
            // Another writer took the version between our read and our insert.
            drop(tx);
            let actual = self.stream_version(stream).await?;
            return Err(StoreError::Conflict { expected, actual });
        };
        if result.deduplicated {
            return Ok(result);
        }
        if let Some(person) = also {
            sqlx::query(
                "INSERT INTO person_keys (person_id, key, created_at, shredded_at) VALUES (?, NULL, ?, ?) \
                 ON CONFLICT (person_id) DO UPDATE SET key = NULL, shredded_at = excluded.shredded_at",
            )
            .bind(person)
            .bind(Utc::now().timestamp_micros())
            .bind(Utc::now().timestamp_micros())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.appended.send_replace(result.last_position);
        Ok(result)
    }
}

/// Why a SQLite URL that sqlx accepts names no file the log would be kept in, if it does: an
/// in-memory database (`sqlite::memory:`, `?mode=memory`) is gone when the command ends, and
/// an empty file name (`sqlite:`, `sqlite://`) opens a temporary file SQLite deletes.
fn not_a_kept_file(url: &str, path: &std::path::Path) -> Option<&'static str> {
    // The same split as sqlx's own parser: the scheme, then the file name up to `?`.
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let (file, params) = rest.split_once('?').unwrap_or((rest, ""));
    if file == ":memory:" || params.split('&').any(|param| param == "mode=memory") {
        Some("база данных в памяти исчезает с концом команды, журнал в ней не сохранится: укажите файл, sqlite://<файл>")
    } else if path.as_os_str().is_empty() {
        Some("не указано имя файла: ожидается sqlite://<файл>")
    } else {
        None
    }
}

/// The rows of the log from `from_position` on, in order, as `columns` decoded by `decode`:
/// whole envelopes for `read_all`, their contents for `read_contents`.
async fn read_log<T>(
    pool: &SqlitePool,
    columns: &str,
    from_position: u64,
    limit: usize,
    decode: fn(&SqliteRow) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let rows = sqlx::query(&format!(
        "SELECT {columns} FROM events WHERE position >= ? ORDER BY position LIMIT ?"
    ))
    .bind(from_position as i64)
    .bind(limit as i64)
    .fetch_all(pool)
    .await?;
    rows.iter().map(decode).collect()
}

fn sqlite_recorded_at(row: &SqliteRow, column: usize, position: u64) -> StoreResult<DateTime<Utc>> {
    let micros: i64 = row
        .try_get(column)
        .map_err(decode::unreadable_column(position))?;
    micros_to_time(position, micros)
}

async fn applied_schema(pool: &SqlitePool) -> StoreResult<Option<i64>> {
    let exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(pool)
    .await?;
    if exists == 0 {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?,
    )
}

async fn read_head<'e, E>(executor: E) -> StoreResult<Option<LogHead>>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query("SELECT position, hash, recorded_at FROM log_head WHERE id = 1")
        .fetch_optional(executor)
        .await?;
    row.map(|row| {
        let position = decode::non_negative(0, "log_head.position", row.try_get(0)?)?;
        let hash = decode::hash_column(position, "log_head.hash", row.try_get(1)?)?;
        let recorded_at = micros_to_time(position, row.try_get(2)?)?;
        Ok(LogHead {
            position,
            hash,
            recorded_at,
        })
    })
    .transpose()
}

fn micros_to_time(position: u64, micros: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| StoreError::CorruptRow {
        position,
        reason: format!("недопустимое время записи {micros}"),
    })
}

async fn append_in_tx(
    conn: &mut SqliteConnection,
    now: DateTime<Utc>,
    stream: &StreamId,
    expected: ExpectedVersion,
    events: Vec<NewEvent>,
    command_id: CommandId,
) -> StoreResult<Option<AppendResult>> {
    let prior = sqlx::query(
        "SELECT stream, first_position, last_position, last_version FROM commands WHERE command_id = ?",
    )
    .bind(command_id.0)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(row) = prior {
        return decode::decode_prior_command(&row)?
            .into_result(command_id, stream)
            .map(Some);
    }
    let actual: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?")
            .bind(stream.as_str())
            .fetch_one(&mut *conn)
            .await?;
    if !expected.admits(actual as u64) {
        return Err(StoreError::Conflict {
            expected,
            actual: actual as u64,
        });
    }
    let head = read_head(&mut *conn).await?;
    let chain = batch::Chain::new(stream, actual as u64, head.as_ref(), now, command_id);
    let mut chunks = batch::Chunks::new(chain, events);
    let mut rows = chunks.next_rows()?;
    // While the database writes one chunk, this thread serializes and hashes the next.
    loop {
        let (inserted, next) = tokio::join!(insert_rows(&mut *conn, "events", &rows), async {
            chunks.next_rows()
        });
        match inserted {
            Err(e) if is_unique_violation(&e) => return Ok(None),
            other => other?,
        }
        let next = next?;
        if next.is_empty() {
            break;
        }
        rows = next;
    }
    let (first_position, last) = chunks.finish(rows)?;
    sqlx::query(
        "INSERT INTO commands (command_id, stream, first_position, last_position, last_version) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(command_id.0)
    .bind(stream.as_str())
    .bind(first_position as i64)
    .bind(last.position as i64)
    .bind(last.version as i64)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO log_head (id, position, hash, recorded_at) VALUES (1, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET position = excluded.position, hash = excluded.hash, recorded_at = excluded.recorded_at",
    )
    .bind(last.position as i64)
    .bind(&last.hash[..])
    .bind(last.recorded_at.timestamp_micros())
    .execute(&mut *conn)
    .await?;
    Ok(Some(AppendResult {
        stream: stream.clone(),
        first_position,
        last_position: last.position,
        next_version: last.version,
        deduplicated: false,
    }))
}

/// Multi-row INSERTs of `rows` into `table` (the log, or the benchmark's bare table).
async fn insert_rows(
    conn: &mut SqliteConnection,
    table: &str,
    rows: &[RecordedEvent],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> =
            QueryBuilder::new(format!("INSERT INTO {table} ({EVENT_COLUMNS}) "));
        insert.push_values(chunk, |mut b, row| {
            b.push_bind(row.position as i64)
                .push_bind(row.stream.as_str())
                .push_bind(row.version as i64)
                .push_bind(row.event_type.as_str())
                .push_bind(i64::from(row.schema))
                .push_bind(row.payload.as_str())
                .push_bind(row.recorded_at.timestamp_micros())
                .push_bind(row.effective)
                .push_bind(row.actor.id.as_str())
                .push_bind(row.actor.role.as_str())
                .push_bind(batch::basis_json(row.basis.as_ref()))
                .push_bind(row.command_id)
                .push_bind(row.correlation_id)
                .push_bind(row.causation_id)
                .push_bind(&row.prev_hash[..])
                .push_bind(&row.hash[..]);
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn append(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
    ) -> StoreResult<AppendResult> {
        self.append_with(stream, expected, events, command_id, None)
            .await
    }

    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> StoreResult<Vec<RecordedEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream = ? AND version >= ? ORDER BY version LIMIT ?"
        ))
        .bind(stream.as_str())
        .bind(from_version as i64)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| decode::decode_event(row, sqlite_recorded_at))
            .collect()
    }

    async fn find_command(&self, command_id: CommandId) -> StoreResult<Option<AppendResult>> {
        let row = sqlx::query(
            "SELECT stream, first_position, last_position, last_version FROM commands WHERE command_id = ?",
        )
        .bind(command_id.0)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| decode::decode_prior_command(&row)?.into_found())
            .transpose()
    }

    async fn stream_version(&self, stream: &StreamId) -> StoreResult<u64> {
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = ?")
                .bind(stream.as_str())
                .fetch_one(&self.pool)
                .await?;
        Ok(version as u64)
    }

    async fn read_all(&self, from_position: u64, limit: usize) -> StoreResult<Vec<RecordedEvent>> {
        read_log(&self.pool, EVENT_COLUMNS, from_position, limit, |row| {
            decode::decode_event(row, sqlite_recorded_at)
        })
        .await
    }

    async fn read_contents(
        &self,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<EventContent>> {
        read_log(&self.pool, CONTENT_COLUMNS, from_position, limit, |row| {
            decode::decode_content(row, sqlite_recorded_at)
        })
        .await
    }

    async fn head(&self) -> StoreResult<Option<LogHead>> {
        read_head(&self.pool).await
    }

    fn appended(&self) -> watch::Receiver<u64> {
        self.appended.subscribe()
    }

    fn describe(&self) -> String {
        self.target.clone()
    }
}

#[async_trait]
impl PersonalDataVault for SqliteStore {
    async fn key_slot(&self, person: &str) -> StoreResult<Option<KeySlot>> {
        let row: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT key FROM person_keys WHERE person_id = ?")
                .bind(person)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|(key,)| match key {
            Some(bytes) => vault::key_from_bytes(person, &bytes).map(KeySlot::Key),
            None => Ok(KeySlot::Shredded),
        })
        .transpose()
    }

    async fn key_slots(
        &self,
        persons: &[String],
    ) -> StoreResult<std::collections::HashMap<String, KeySlot>> {
        let mut slots = std::collections::HashMap::new();
        for chunk in persons.chunks(facts::FACTS_PER_INSERT) {
            let mut query: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT person_id, key FROM person_keys WHERE person_id IN (");
            let mut list = query.separated(", ");
            for person in chunk {
                list.push_bind(person.as_str());
            }
            query.push(")");
            let rows: Vec<(String, Option<Vec<u8>>)> =
                query.build_query_as().fetch_all(&self.pool).await?;
            for (person, key) in rows {
                let slot = match key {
                    Some(bytes) => KeySlot::Key(vault::key_from_bytes(&person, &bytes)?),
                    None => KeySlot::Shredded,
                };
                slots.insert(person, slot);
            }
        }
        Ok(slots)
    }

    async fn create_key(&self, person: &str) -> StoreResult<KeySlot> {
        sqlx::query("INSERT INTO person_keys (person_id, key, created_at) VALUES (?, ?, ?) ON CONFLICT (person_id) DO NOTHING")
            .bind(person)
            .bind(&vault::new_key()[..])
            .bind(Utc::now().timestamp_micros())
            .execute(&self.pool)
            .await?;
        self.key_slot(person)
            .await?
            .ok_or_else(|| StoreError::VaultCrypto {
                person: person.into(),
                reason: "ключ не удалось сохранить".into(),
            })
    }

    async fn shred(
        &self,
        person: &str,
        erasure: Erasure,
        command_id: CommandId,
    ) -> StoreResult<AppendResult> {
        let stream = vault::erasure_stream(person)?;
        let event = vault::erasure_event(person, erasure);
        let result = self
            .append_with(
                &stream,
                ExpectedVersion::Any,
                vec![event],
                command_id,
                Some(person),
            )
            .await?;
        // Push the overwritten key pages out of the WAL into the main file as well. A reader
        // in the middle of a transaction holds the checkpoint back (it answers busy): wait for
        // it a little; if it stays, the key is gone all the same and its overwritten pages
        // leave the WAL at the next checkpoint.
        for _ in 0..50 {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await?;
            if busy == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(result)
    }
}

#[async_trait]
impl Checkpoints for SqliteStore {
    async fn checkpoint(&self, name: &str) -> StoreResult<u64> {
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        Ok(position.unwrap_or(0).max(0) as u64)
    }

    async fn save_checkpoint(&self, name: &str, position: u64) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (name) DO UPDATE SET position = MAX(checkpoints.position, excluded.position), \
             updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(position as i64)
        .bind(self.clock.now().timestamp_micros())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[async_trait]
impl Ceilings for SqliteStore {
    async fn create_raw_table(&self) -> StoreResult<()> {
        sqlx::query("DROP TABLE IF EXISTS bench_raw_events")
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "CREATE TABLE bench_raw_events (position INTEGER, stream TEXT, version INTEGER, event_type TEXT, \
             schema_version INTEGER, payload TEXT, recorded_at INTEGER, effective TEXT, actor_id TEXT, \
             actor_role TEXT, basis TEXT, command_id BLOB, correlation_id BLOB, causation_id BLOB, \
             prev_hash BLOB, hash BLOB)",
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn raw_insert(&self, chunk: &[RecordedEvent]) -> StoreResult<Duration> {
        let started = Instant::now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        insert_rows(&mut tx, "bench_raw_events", chunk).await?;
        tx.commit().await?;
        Ok(started.elapsed())
    }

    async fn drop_raw_table(&self) -> StoreResult<()> {
        sqlx::query("DROP TABLE IF EXISTS bench_raw_events")
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

type FactColumns = (i64, String, String, String, i32, i32, i64, i64, i64, String);

fn facts_from(rows: Vec<FactColumns>) -> StoreResult<Vec<FactRow>> {
    rows.into_iter()
        .map(|(id, kind, key, scope, vf, vt, rf, rt, position, body)| {
            facts::fact_from_columns(id, kind, key, scope, vf, vt, rf, rt, position, body)
        })
        .collect()
}

async fn insert_facts(conn: &mut SqliteConnection, rows: &[FactRow]) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(facts::FACTS_PER_INSERT) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "INSERT INTO read_model_facts ({}) ",
            facts::FACT_COLUMNS
        ));
        insert.push_values(chunk, |mut b, row| {
            b.push_bind(row.id as i64)
                .push_bind(row.kind.as_str())
                .push_bind(row.key.as_str())
                .push_bind(row.scope.as_str())
                .push_bind(facts::day_number(row.valid_from))
                .push_bind(facts::open_day(row.valid_to))
                .push_bind(row.recorded_from.timestamp_micros())
                .push_bind(facts::open_micros(row.recorded_to))
                .push_bind(row.position as i64)
                .push_bind(row.body.as_str());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

async fn set_checkpoint(
    conn: &mut SqliteConnection,
    name: &str,
    position: u64,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at",
    )
    .bind(name)
    .bind(position as i64)
    .bind(now.timestamp_micros())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[async_trait]
impl ReadModelStore for SqliteStore {
    async fn commit_facts(
        &self,
        name: &str,
        expected: u64,
        checkpoint: u64,
        changes: &FactChanges,
    ) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        let actual: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE name = ?")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let actual = actual.unwrap_or(0).max(0) as u64;
        if actual != expected {
            return Err(StoreError::ReadModelMoved {
                name: name.into(),
                expected,
                actual,
            });
        }
        // One statement per chunk: the retirements as a JSON array of [id, moment] pairs.
        for chunk in changes.retired.chunks(10_000) {
            let pairs: Vec<(u64, i64)> = chunk
                .iter()
                .map(|(id, until)| (*id, until.timestamp_micros()))
                .collect();
            let json = serde_json::to_string(&pairs).map_err(|e| StoreError::Database {
                reason: e.to_string(),
            })?;
            sqlx::query(
                "UPDATE read_model_facts SET recorded_to = r.value ->> 1 \
                 FROM json_each(?) AS r WHERE read_model_facts.id = r.value ->> 0",
            )
            .bind(json)
            .execute(&mut *tx)
            .await?;
        }
        insert_facts(&mut tx, &changes.inserted).await?;
        set_checkpoint(&mut tx, name, checkpoint, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn clear_facts(&self, name: &str) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        // The facts hold no clear personal data: their rows need not be overwritten on delete
        // as the vault's keys are.
        sqlx::query("PRAGMA secure_delete = OFF")
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query("DELETE FROM read_model_facts")
            .execute(&mut *tx)
            .await;
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut *tx)
            .await?;
        deleted?;
        for (index, _) in facts::FACT_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {index}"))
                .execute(&mut *tx)
                .await?;
        }
        set_checkpoint(&mut tx, name, 0, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ensure_fact_indexes(&self) -> StoreResult<()> {
        // Every catch-up ends here: when the indexes are there (nearly always), a read
        // suffices and no writer is kept waiting.
        let names: Vec<String> = facts::FACT_INDEXES
            .iter()
            .map(|(name, _)| format!("'{name}'"))
            .collect();
        let present: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = 'read_model_facts' AND name IN ({})",
            names.join(", ")
        ))
        .fetch_one(&self.pool)
        .await?;
        if present == facts::FACT_INDEXES.len() as i64 {
            return Ok(());
        }
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        for (index, columns) in facts::FACT_INDEXES {
            sqlx::query(&format!(
                "CREATE INDEX IF NOT EXISTS {index} ON read_model_facts {columns}"
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn current_facts(&self) -> StoreResult<Vec<FactRow>> {
        let rows: Vec<FactColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts WHERE recorded_to = ? ORDER BY id",
            facts::FACT_COLUMNS
        ))
        .bind(facts::OPEN_MICROS)
        .fetch_all(&self.pool)
        .await?;
        facts_from(rows)
    }

    async fn last_fact_id(&self) -> StoreResult<u64> {
        let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM read_model_facts")
            .fetch_one(&self.pool)
            .await?;
        Ok(last as u64)
    }

    async fn all_facts(&self) -> StoreResult<Vec<FactRow>> {
        let rows: Vec<FactColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts ORDER BY id",
            facts::FACT_COLUMNS
        ))
        .fetch_all(&self.pool)
        .await?;
        facts_from(rows)
    }

    async fn facts_at(&self, kinds: &[&str], at: TimePoint) -> StoreResult<Vec<FactRow>> {
        let kind_list = (0..kinds.len())
            .map(|i| format!("${}", i + 6))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "{} ORDER BY id",
            facts::held_on(facts::FACT_COLUMNS, &format!("kind IN ({kind_list})"))
        );
        let mut query = facts::bind_held_on(sqlx::query_as(&sql), at);
        for kind in kinds {
            query = query.bind(*kind);
        }
        let rows: Vec<FactColumns> = query.fetch_all(&self.pool).await?;
        facts_from(rows)
    }

    async fn facts_since(
        &self,
        kind: &str,
        since: NaiveDate,
        at: TimePoint,
    ) -> StoreResult<Vec<FactRow>> {
        let day = facts::day_number(at.as_of);
        let known = facts::known_micros(at);
        let rows: Vec<FactColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts WHERE kind = ? AND span_class IN ({}) \
             AND valid_from >= ? AND valid_from <= ? \
             AND valid_to > ? AND recorded_from <= ? AND recorded_to > ? ORDER BY id",
            facts::FACT_COLUMNS,
            facts::EVERY_SPAN_CLASS
        ))
        .bind(kind)
        .bind(facts::day_number(since))
        .bind(day)
        .bind(day)
        .bind(known)
        .bind(known)
        .fetch_all(&self.pool)
        .await?;
        facts_from(rows)
    }

    async fn facts_for_keys(
        &self,
        kind: &str,
        keys: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<FactRow>> {
        let day = facts::day_number(at.as_of);
        let known = facts::known_micros(at);
        let mut found = Vec::new();
        for chunk in keys.chunks(facts::FACTS_PER_INSERT) {
            let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
                // The planner would rather scan the kind's validity index; the key index
                // finds the few rows of these keys directly.
                "SELECT {} FROM read_model_facts INDEXED BY read_model_facts_by_key WHERE kind = ",
                facts::FACT_COLUMNS
            ));
            query.push_bind(kind).push(" AND fact_key IN (");
            let mut list = query.separated(", ");
            for key in chunk {
                list.push_bind(key.as_str());
            }
            query
                .push(") AND valid_from <= ")
                .push_bind(day)
                .push(" AND valid_to > ")
                .push_bind(day)
                .push(" AND recorded_from <= ")
                .push_bind(known)
                .push(" AND recorded_to > ")
                .push_bind(known);
            let rows: Vec<FactColumns> = query.build_query_as().fetch_all(&self.pool).await?;
            found.extend(facts_from(rows)?);
        }
        found.sort_by_key(|r| r.id);
        Ok(found)
    }

    async fn count_facts_at(&self, kind: &str, at: TimePoint) -> StoreResult<Vec<(String, u64)>> {
        let sql = facts::count_held_on("kind = $6");
        let rows = facts::bind_held_on(sqlx::query_as(&sql), at)
            .bind(kind)
            .fetch_all(&self.pool)
            .await?;
        Ok(facts::counts_from(rows))
    }
}
