//! The embedded default backend: one SQLite file in WAL mode with `synchronous = FULL`, so
//! an acknowledged append survives a crash. Appends are serialized by `BEGIN IMMEDIATE`
//! (across processes) and an in-process lock (so this process's writers queue instead of
//! spinning on SQLITE_BUSY). The read models, derived from the log, are written through a
//! connection of their own with `synchronous = NORMAL`: no fsync per commit of theirs.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, QueryBuilder, Sqlite};
use tokio::sync::{watch, Mutex};

use crate::batch;
use crate::clock::Clock;
use crate::decode::EVENT_COLUMNS;
use crate::document_texts::{text_hash, DocumentTexts};
use crate::envelope::{
    AppendResult, CommandId, EventContent, LogHead, NewEvent, RecordedEvent, StreamId,
};
use crate::error::{StoreError, StoreResult};
use crate::event_store::{Checkpoints, EventStore};
use crate::expected_version::ExpectedVersion;
use crate::facts::{
    self, CurrentOf, FactChanges, FactRow, HeldFact, ReadModelStore, Retiring, TimePoint,
};
use crate::leadership::{self, Leadership, Lease};
use crate::schema::{self, OpenMode};
use crate::signed_checkpoints::{SignedCheckpoint, SignedCheckpoints};
use crate::sql::{self, Dialect, HeldColumns, SideWrite};
use crate::tree::LogTree;
use crate::vault::{self, Erasure, KeySlot, PersonalDataVault};

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

/// Helper threads SQLite's sorter may use besides the connection's own: one per core.
fn sorter_threads() -> String {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .to_string()
}

/// Moves the write-ahead log's pages into the database file and truncates the log to nothing.
/// False when a reader in the middle of a transaction held it back (busy): the pages then
/// wait for a later checkpoint.
pub(crate) async fn truncate_wal<'e, E: sqlx::Executor<'e, Database = Sqlite>>(
    executor: E,
) -> StoreResult<bool> {
    let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
        .fetch_one(executor)
        .await?;
    Ok(busy == 0)
}

/// The page cache of a connection (`cache_size`, in KiB when negative).
const PAGE_CACHE: &str = "-65536";

/// The page cache of the projector's connection to the log: enough for the b-tree's inner
/// pages, none kept of pages read once.
const LOG_READER_CACHE: &str = "-2048";

/// The page cache of the connection that builds the facts' indexes, while it builds them:
/// the sorter's runs are as large as the page cache, and many small runs, sorted by the
/// helper threads and merged, are quicker than a few large ones (a region's six indexes,
/// `sqlite3` shell, the sizes in turn: 9.6–10.0 s in four runs with 4 MiB, 9.5–11.0 with 1
/// to 16 MiB, 11.9–12.2 in four with 64 MiB, 16.7–18.5 with 256 MiB or 1 GiB; and the
/// sorter holds less memory).
const INDEX_BUILD_CACHE: &str = "-4096";

/// The vault's keys of some persons, the list of their ids to follow: a page that opens the
/// names of an association's members reads a hundred or more at a time, one descent each
/// into the vault kept by person (migration 0020).
const KEYS_OF_PERSONS: &str = "SELECT person_id, key FROM person_keys WHERE person_id IN (";

pub struct SqliteStore {
    pub(crate) pool: SqlitePool,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) write_lock: Mutex<()>,
    appended: watch::Sender<u64>,
    target: String,
    /// The connection the read models are written through, opened on first use: with
    /// `synchronous = NORMAL`, so a commit of derived rows waits for no fsync.
    facts_writer: Mutex<Option<SqliteConnection>>,
    facts_options: SqliteConnectOptions,
    /// The connection the projector reads the log through, opened on first use, with a
    /// small page cache: the log is read once from the first event to the last, and read
    /// through the pool it filled every pooled connection's cache in turn with pages that
    /// are not read again (300 MB of a region's rebuild, with the queries' caches gone).
    log_reader: Mutex<Option<SqliteConnection>>,
    log_options: SqliteConnectOptions,
    /// Whether appends keep the Merkle tree: always, but for the benchmark's ceiling.
    pub(crate) keep_tree: bool,
    /// Access-journal entries waiting to be written together (`accounts/sqlite.rs`).
    pub(crate) journal_queue: std::sync::Mutex<Vec<crate::accounts::queue::QueuedAccess>>,
}

/// The index through which the rows of `kind` are found by scope.
fn index_in_scopes(kind: &str) -> &'static str {
    if facts::BODIES_IN_SCOPE_KINDS.contains(&kind) {
        facts::FACTS_BODIES_IN_SCOPE
    } else {
        facts::FACTS_BY_SCOPE
    }
}

/// SQL selecting the held columns of the rows of one kind (bound first) whose `column` is one
/// of `count` values (bound next), and that hold on a day (bound twice) as known at a moment
/// (bound twice), through `index`. A partial index is read under its own condition, word for
/// word: SQLite uses one only for a query that names its terms.
fn held_in_statement(column: &str, index: &str, count: usize) -> String {
    let values = vec!["?"; count].join(", ");
    let condition = if index == facts::FACTS_BODIES_IN_SCOPE {
        format!("{} AND ", facts::bodies_in_scope_condition())
    } else {
        String::new()
    };
    format!(
        "SELECT {} FROM read_model_facts INDEXED BY {index} \
         WHERE {condition}kind = ? AND {column} IN ({values}) \
         AND valid_from <= ? AND valid_to > ? AND recorded_from <= ? AND recorded_to > ?",
        facts::HELD_COLUMNS
    )
}

impl SqliteStore {
    /// The rows of `kind` whose `column` is one of `values` and that hold at `at`, found
    /// through `index` (the planner would rather scan the kind's validity index; this one
    /// finds the few rows of these values directly).
    async fn facts_in(
        &self,
        kind: &str,
        column: &str,
        index: &str,
        values: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        let day = facts::day_number(at.as_of);
        let known = facts::known_micros(at);
        let mut found = Vec::new();
        for chunk in values.chunks(facts::FACTS_PER_INSERT) {
            let statement = held_in_statement(column, index, chunk.len());
            let mut query = sqlx::query_as::<_, HeldColumns>(&statement).bind(kind);
            for value in chunk {
                query = query.bind(value.as_str());
            }
            query = query.bind(day).bind(day).bind(known).bind(known);
            found.extend(sql::held_from(query.fetch_all(&self.pool).await?)?);
        }
        found.sort_by_key(|r| r.id);
        Ok(found)
    }

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
            // mapped into memory instead of copied page by page — but not while a history
            // is generated, whose reads the generator's state cache mostly spares and whose
            // mapped pages stayed resident (a region's demo peaked 256 MiB higher).
            .pragma("cache_size", PAGE_CACHE)
            .pragma(
                "mmap_size",
                if mode == OpenMode::BulkLoad {
                    "0"
                } else {
                    "268435456"
                },
            )
            // A query's rows come from the connection's thread through a bounded channel:
            // room for a whole page of the log, so that thread and its reader do not wake
            // each other every 50 rows (the default).
            .row_buffer_size(4096);
        // The read models are derived from the log and rebuilt from it: their commits need
        // not reach the disk before they return. In WAL mode a commit that is lost in a
        // power failure is lost whole (with its checkpoint), and the next append's fsync
        // (FULL, on the pool) makes the earlier frames durable as well.
        //
        // Its sorts — the indexes a rebuild builds at its end — may use a helper thread per
        // core besides the connection's own (a region's four indexes on two cores: 13.4 s
        // without helpers, 10.0 s with two; measured with the sqlite3 shell).
        let facts_options = options
            .clone()
            .synchronous(SqliteSynchronous::Normal)
            .pragma("threads", sorter_threads());
        // The log is read once from its first page to its last: mapped, every page it read
        // stayed in the process's resident memory (a region's rebuild and the demo's
        // catch-up grew by the whole mapping); read page by page it does not.
        let log_options = options
            .clone()
            .pragma("cache_size", LOG_READER_CACHE)
            .pragma("mmap_size", "0");
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
        build_tree(&pool).await?;
        let head = Sqlite::read_head(&mut *pool.acquire().await?)
            .await?
            .map_or(0, |h| h.position);
        let (appended, _) = watch::channel(head);
        Ok(Self {
            pool,
            clock,
            write_lock: Mutex::new(()),
            appended,
            target,
            facts_writer: Mutex::new(None),
            facts_options,
            log_reader: Mutex::new(None),
            log_options,
            keep_tree: true,
            journal_queue: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// The read models' writer connection, opened if it is not yet.
    async fn facts_writer(
        &self,
    ) -> StoreResult<tokio::sync::MappedMutexGuard<'_, SqliteConnection>> {
        self.own_connection(
            &self.facts_writer,
            &self.facts_options,
            "записи моделей чтения",
        )
        .await
    }

    /// The projector's connection to the log, opened if it is not yet.
    async fn log_reader(&self) -> StoreResult<tokio::sync::MappedMutexGuard<'_, SqliteConnection>> {
        self.own_connection(&self.log_reader, &self.log_options, "чтения журнала")
            .await
    }

    /// The connection kept in `slot` for one use (`purpose`, said in an error), opened with
    /// `options` if it is not yet.
    async fn own_connection<'a>(
        &'a self,
        slot: &'a Mutex<Option<SqliteConnection>>,
        options: &SqliteConnectOptions,
        purpose: &str,
    ) -> StoreResult<tokio::sync::MappedMutexGuard<'a, SqliteConnection>> {
        let mut slot = slot.lock().await;
        if slot.is_none() {
            let conn = SqliteConnection::connect_with(options).await.map_err(|e| {
                StoreError::Unreachable {
                    target: self.target.clone(),
                    reason: e.to_string(),
                }
            })?;
            *slot = Some(conn);
        }
        tokio::sync::MutexGuard::try_map(slot, Option::as_mut).map_err(|_| StoreError::Database {
            reason: format!("соединение для {purpose} не открыто"),
        })
    }

    /// Appends under this process's write lock in a write transaction (`BEGIN IMMEDIATE`,
    /// which also keeps other processes out), then wakes this process's subscribers.
    pub(crate) async fn append_with(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
        side: SideWrite<'_>,
    ) -> StoreResult<AppendResult> {
        batch::validate(&events)?;
        let _writer = self.write_lock.lock().await;
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (result, _) = Sqlite::append_locked(
            tx,
            &self.pool,
            self.clock.now(),
            stream,
            expected,
            events,
            command_id,
            side,
            self.keep_tree,
        )
        .await?;
        if !result.deduplicated {
            self.appended.send_replace(result.last_position);
        }
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

/// Builds the Merkle tree of a log migrated from before it was kept, in one write
/// transaction; a log that has it (nearly always) costs one read.
async fn build_tree(pool: &SqlitePool) -> StoreResult<()> {
    if !tree_missing(pool).await? {
        return Ok(());
    }
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    Sqlite::build_tree(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn tree_missing(pool: &SqlitePool) -> StoreResult<bool> {
    let missing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM log_head WHERE frontier IS NULL")
        .fetch_one(pool)
        .await?;
    Ok(missing > 0)
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

fn micros_to_time(position: u64, micros: i64) -> StoreResult<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| StoreError::CorruptRow {
        position,
        reason: format!("недопустимое время записи {micros}"),
    })
}

/// Rows per INSERT statement: 16 parameters a row stays under SQLite's 32,766 limit.
const ROWS_PER_INSERT: usize = 1_000;

impl Dialect for Sqlite {
    /// Microseconds since 1970-01-01 UTC.
    type Moment = i64;

    const FACT_INDEXES: &'static [(&'static str, &'static str)] = facts::SQLITE_FACT_INDEXES;

    fn moment(moment: DateTime<Utc>) -> i64 {
        moment.timestamp_micros()
    }

    fn time(position: u64, stored: i64) -> StoreResult<DateTime<Utc>> {
        micros_to_time(position, stored)
    }

    fn payload_field(field: &str) -> String {
        format!("json_extract(payload, '$.{field}')")
    }

    /// Multi-row INSERTs.
    async fn insert_events(
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

    /// The vault's times are the wall clock's, as this process reads it.
    async fn clear_key(conn: &mut SqliteConnection, person: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO person_keys (person_id, key, created_at, shredded_at) VALUES (?, NULL, ?, ?) \
             ON CONFLICT (person_id) DO UPDATE SET key = NULL, shredded_at = excluded.shredded_at",
        )
        .bind(person)
        .bind(Utc::now().timestamp_micros())
        .bind(Utc::now().timestamp_micros())
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// One statement per chunk: the retirements as a JSON array of [id, moment] pairs.
    /// `OR FAIL`: a failing row stops the statement without undoing the rows before it, so
    /// SQLite keeps no statement journal of every page the statement touches (a region's
    /// rebuild, three runs each in turn: 41.0 -> 39.1 s at the median); the transaction it is in
    /// is rolled back whole on any error anyway.
    async fn retire_facts(
        conn: &mut SqliteConnection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        per_chunk_of_retirements(
            conn,
            "UPDATE OR FAIL read_model_facts SET recorded_to = r.value ->> 1 \
             FROM json_each(?) AS r WHERE read_model_facts.id = r.value ->> 0",
            retired,
        )
        .await?;
        // Those waiting are read in id order (the table's key) and their rows found by id, so
        // each page of the facts is written once for all the retirements in it. (Written as
        // an UPDATE … FROM, SQLite scanned every row of the facts, the retirements' table
        // empty.) Nearly always none waits: two statements on an empty table.
        sqlx::query(
            "UPDATE OR FAIL read_model_facts SET recorded_to = \
             (SELECT w.recorded_to FROM read_model_retirements AS w WHERE w.id = read_model_facts.id) \
             WHERE id IN (SELECT id FROM read_model_retirements)",
        )
        .execute(&mut *conn)
        .await?;
        sqlx::query("DELETE FROM read_model_retirements")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn keep_retirements(
        conn: &mut SqliteConnection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        per_chunk_of_retirements(
            conn,
            "INSERT INTO read_model_retirements (id, recorded_to) \
             SELECT r.value ->> 0, r.value ->> 1 FROM json_each(?) AS r",
            retired,
        )
        .await
    }

    /// Multi-row INSERTs.
    async fn insert_facts(conn: &mut SqliteConnection, rows: &[FactRow]) -> StoreResult<()> {
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

    /// The facts hold no clear personal data: their rows need not be overwritten on delete
    /// as the vault's keys are.
    async fn empty_facts(conn: &mut SqliteConnection) -> StoreResult<()> {
        sqlx::query("PRAGMA secure_delete = OFF")
            .execute(&mut *conn)
            .await?;
        let mut deleted = sqlx::query("DELETE FROM read_model_facts")
            .execute(&mut *conn)
            .await;
        if deleted.is_ok() {
            deleted = sqlx::query("DELETE FROM read_model_retirements")
                .execute(&mut *conn)
                .await;
        }
        sqlx::query("PRAGMA secure_delete = ON")
            .execute(&mut *conn)
            .await?;
        deleted?;
        Ok(())
    }
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
        self.append_with(stream, expected, events, command_id, SideWrite::Nothing)
            .await
    }

    async fn read_stream(
        &self,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> StoreResult<Vec<RecordedEvent>> {
        Sqlite::read_stream(&self.pool, stream, from_version, limit).await
    }

    async fn find_command(&self, command_id: CommandId) -> StoreResult<Option<AppendResult>> {
        Sqlite::prior_command(&mut *self.pool.acquire().await?, command_id)
            .await?
            .map(|prior| prior.into_found())
            .transpose()
    }

    async fn stream_version(&self, stream: &StreamId) -> StoreResult<u64> {
        Sqlite::stream_version(&mut *self.pool.acquire().await?, stream).await
    }

    async fn streams_where(
        &self,
        event_type: &str,
        field: &str,
        value: &str,
    ) -> StoreResult<Vec<StreamId>> {
        Sqlite::streams_where(&self.pool, event_type, field, value).await
    }

    async fn read_all(&self, from_position: u64, limit: usize) -> StoreResult<Vec<RecordedEvent>> {
        Sqlite::read_all(&self.pool, from_position, limit).await
    }

    async fn read_contents(
        &self,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<EventContent>> {
        let mut reader = self.log_reader().await?;
        Sqlite::read_contents(&mut *reader, from_position, limit).await
    }

    async fn head(&self) -> StoreResult<Option<LogHead>> {
        Sqlite::read_head(&mut *self.pool.acquire().await?).await
    }

    fn appended(&self) -> watch::Receiver<u64> {
        self.appended.subscribe()
    }

    fn describe(&self) -> String {
        self.target.clone()
    }
}

#[async_trait]
impl LogTree for SqliteStore {
    async fn tree_root(&self, size: u64) -> StoreResult<tlog::Hash> {
        Sqlite::tree_root(&mut *self.pool.acquire().await?, size).await
    }

    async fn inclusion_proof(&self, position: u64, size: u64) -> StoreResult<Vec<tlog::Hash>> {
        Sqlite::inclusion_proof(&mut *self.pool.acquire().await?, position, size).await
    }

    async fn consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> StoreResult<Vec<tlog::Hash>> {
        Sqlite::consistency_proof(&mut *self.pool.acquire().await?, old_size, new_size).await
    }
}

#[async_trait]
impl Leadership for SqliteStore {
    async fn try_lead(&self, role: &str) -> StoreResult<Option<Lease>> {
        Ok(leadership::lead_in_process(&self.target, role))
    }
}

#[async_trait]
impl DocumentTexts for SqliteStore {
    async fn keep_text(&self, text: &str) -> StoreResult<crate::envelope::Hash> {
        let hash = text_hash(text);
        Sqlite::keep_text(&self.pool, &hash, text, self.clock.now()).await?;
        Ok(hash)
    }

    async fn text(&self, hash: &crate::envelope::Hash) -> StoreResult<Option<String>> {
        Sqlite::text(&self.pool, hash).await
    }
}

#[async_trait]
impl SignedCheckpoints for SqliteStore {
    async fn keep_signed_checkpoint(
        &self,
        tree_size: u64,
        root: crate::envelope::Hash,
        note: &str,
        verifier_key: &str,
    ) -> StoreResult<SignedCheckpoint> {
        let now = self.clock.now();
        Sqlite::keep_signed_checkpoint(&self.pool, tree_size, root, note, verifier_key, now).await
    }

    async fn signed_checkpoints(&self) -> StoreResult<Vec<SignedCheckpoint>> {
        Sqlite::signed_checkpoints(&self.pool).await
    }
}

#[async_trait]
impl PersonalDataVault for SqliteStore {
    async fn key_slot(&self, person: &str) -> StoreResult<Option<KeySlot>> {
        Sqlite::key_slot(&self.pool, person).await
    }

    async fn key_slots(
        &self,
        persons: &[String],
    ) -> StoreResult<std::collections::HashMap<String, KeySlot>> {
        let mut slots = std::collections::HashMap::new();
        for chunk in persons.chunks(facts::FACTS_PER_INSERT) {
            let mut query: QueryBuilder<Sqlite> = QueryBuilder::new(KEYS_OF_PERSONS);
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
                SideWrite::Shred(person),
            )
            .await?;
        // Push the overwritten key pages out of the WAL into the main file as well. A reader
        // in the middle of a transaction holds the checkpoint back (it answers busy): wait for
        // it a little; if it stays, the key is gone all the same and its overwritten pages
        // leave the WAL at the next checkpoint.
        for _ in 0..50 {
            if truncate_wal(&self.pool).await? {
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
        Sqlite::checkpoint(&mut *self.pool.acquire().await?, name).await
    }

    async fn save_checkpoint(&self, name: &str, position: u64) -> StoreResult<()> {
        Sqlite::advance_checkpoint(&self.pool, name, position, self.clock.now()).await
    }
}

#[async_trait]
impl ReadModelStore for SqliteStore {
    async fn commit_facts(
        &self,
        name: &str,
        expected: u64,
        checkpoint: u64,
        changes: &FactChanges,
        retiring: Retiring,
    ) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        Sqlite::commit_changes(
            &mut tx,
            name,
            expected,
            checkpoint,
            changes,
            retiring,
            self.clock.now(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn settle_facts(&self) -> StoreResult<()> {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM read_model_retirements LIMIT 1) AS waiting",
        )
        .fetch_one(&self.pool)
        .await?;
        if waiting == 0 {
            return Ok(());
        }
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        Sqlite::retire_facts(&mut tx, &[]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn clear_facts(&self, name: &str) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
        Sqlite::clear_facts_in(&mut tx, name, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ensure_fact_indexes(&self) -> StoreResult<()> {
        // Every catch-up ends here: when the indexes are there (nearly always), a read
        // suffices and no writer is kept waiting.
        let names: Vec<String> = Sqlite::FACT_INDEXES
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
        if present == Sqlite::FACT_INDEXES.len() as i64 {
            return Ok(());
        }
        let _writer = self.write_lock.lock().await;
        let mut conn = self.facts_writer().await?;
        let cache = |size| format!("PRAGMA cache_size = {size}");
        sqlx::query(&cache(INDEX_BUILD_CACHE))
            .execute(&mut *conn)
            .await?;
        let built = async {
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            Sqlite::create_fact_indexes(&mut tx).await?;
            tx.commit().await?;
            StoreResult::Ok(())
        }
        .await;
        sqlx::query(&cache(PAGE_CACHE)).execute(&mut *conn).await?;
        built?;
        // The indexes are missing only after a projection from the first event, which wrote
        // every row through the WAL (646 MB for a region). Left there, that WAL is read back
        // whole by every process that opens the file first, until a later write starts it
        // anew: 0.3 s more for each `metod query` on a region. Moved into the file and
        // truncated now, it costs nothing. A reader in a transaction holds the truncation
        // back (busy): then the pages stay for a later checkpoint, as they would have.
        truncate_wal(&mut *conn).await?;
        Ok(())
    }

    async fn current_facts(&self) -> StoreResult<Vec<FactRow>> {
        Sqlite::current_facts(&self.pool).await
    }

    async fn current_facts_of(&self, kind: &str, of: CurrentOf<'_>) -> StoreResult<Vec<FactRow>> {
        Sqlite::current_facts_of(&self.pool, kind, of).await
    }

    async fn last_fact_id(&self) -> StoreResult<u64> {
        Sqlite::last_fact_id(&self.pool).await
    }

    async fn all_facts(&self) -> StoreResult<Vec<FactRow>> {
        Sqlite::all_facts(&self.pool).await
    }

    async fn facts_at(&self, kinds: &[&str], at: TimePoint) -> StoreResult<Vec<HeldFact>> {
        Sqlite::facts_at(&self.pool, kinds, at).await
    }

    async fn facts_since(
        &self,
        kind: &str,
        since: NaiveDate,
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        Sqlite::facts_since(&self.pool, kind, since, at).await
    }

    async fn facts_for_keys(
        &self,
        kind: &str,
        keys: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        self.facts_in(kind, "fact_key", facts::FACTS_BY_KEY, keys, at)
            .await
    }

    /// The rows of [`facts::BODIES_IN_SCOPE_KINDS`] in a scope are read from the index of
    /// their bodies by scope, where they lie side by side; everything else through the index
    /// by scope, one descent into the table per row.
    async fn facts_in_scopes(
        &self,
        kind: &str,
        scopes: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        self.facts_in(kind, "scope", index_in_scopes(kind), scopes, at)
            .await
    }

    /// Counted from the index by scope alone, scope after scope: the rows that do not hold
    /// are skipped inside it, and the counts come out in order without sorting every held
    /// row first (151,451 held memberships of a region: 110 ms through the index by kind and
    /// a sort, 37 ms so).
    async fn count_facts_at(&self, kind: &str, at: TimePoint) -> StoreResult<Vec<(String, u64)>> {
        let known = facts::known_micros(at);
        let rows: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT scope, COUNT(*) FROM read_model_facts INDEXED BY {} \
             WHERE kind = $1 AND valid_to > $2 AND valid_from <= $2 \
             AND recorded_from <= $3 AND recorded_to > $3 GROUP BY scope ORDER BY scope",
            facts::FACTS_BY_SCOPE
        ))
        .bind(kind)
        .bind(facts::day_number(at.as_of))
        .bind(known)
        .fetch_all(&self.pool)
        .await?;
        Ok(facts::counts_from(rows))
    }
}

/// Runs `statement` once per chunk of `retired`, the chunk bound as its one value: a JSON
/// array of [id, moment] pairs, which the statement reads with `json_each`.
async fn per_chunk_of_retirements(
    conn: &mut SqliteConnection,
    statement: &str,
    retired: &[(u64, DateTime<Utc>)],
) -> StoreResult<()> {
    for chunk in retired.chunks(10_000) {
        let pairs: Vec<(u64, i64)> = chunk
            .iter()
            .map(|(id, until)| (*id, until.timestamp_micros()))
            .collect();
        let json = serde_json::to_string(&pairs).map_err(|e| StoreError::Database {
            reason: e.to_string(),
        })?;
        sqlx::query(statement)
            .bind(json)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone, Utc};
    use sqlx::{Connection, Sqlite, SqliteConnection};

    use crate::facts::{self, TimePoint};
    use crate::sql::Dialect;

    /// An in-memory database the migrations made.
    async fn migrated() -> SqliteConnection {
        let mut connection = SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        super::MIGRATOR
            .run(&mut connection)
            .await
            .expect("the migrations");
        connection
    }

    /// The lines of SQLite's plan for the statement `facts_at` runs for `kinds` at `at`, on
    /// a database the migrations made.
    async fn plan_of_facts_at(kinds: &[&str], at: TimePoint) -> Vec<String> {
        let mut connection = migrated().await;
        let (sql, kinds) = Sqlite::held_statement(kinds, at);
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let mut query = facts::bind_held_on(sqlx::query_as(&explain), at);
        for kind in kinds {
            query = query.bind(kind);
        }
        let plan: Vec<(i64, i64, i64, String)> =
            query.fetch_all(&mut connection).await.expect("the plan");
        plan.into_iter().map(|(.., line)| line).collect()
    }

    /// The lines of SQLite's plan for the statement `facts_in_scopes` runs for `kind` in two
    /// scopes at `at`, on a database the migrations made.
    async fn plan_of_facts_in_scopes(kind: &str, at: TimePoint) -> Vec<String> {
        let mut connection = migrated().await;
        let sql = super::held_in_statement("scope", super::index_in_scopes(kind), 2);
        let explain = format!("EXPLAIN QUERY PLAN {sql}");
        let day = facts::day_number(at.as_of);
        let known = facts::known_micros(at);
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&explain)
            .bind(kind)
            .bind("assoc-1")
            .bind("assoc-2")
            .bind(day)
            .bind(day)
            .bind(known)
            .bind(known)
            .fetch_all(&mut connection)
            .await
            .expect("the plan");
        plan.into_iter().map(|(.., line)| line).collect()
    }

    /// As known now, the documents, meetings and kept documentation held on a date are read
    /// from the index of their current bodies alone, never row by row from the table; the other kinds, and
    /// every kind as known at a past moment, through the index by kind as before.
    #[tokio::test]
    async fn documents_meetings_and_kept_documentation_known_now_are_read_from_the_index_of_their_bodies(
    ) {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
        let now = TimePoint {
            as_of: day,
            known_at: None,
        };
        let covering = format!("USING COVERING INDEX {}", facts::FACTS_CURRENT_BODIES);
        let plan = plan_of_facts_at(&["association", "document", "meeting"], now).await;
        assert!(
            plan.iter().any(|line| line.contains(&covering)),
            "{plan:#?}"
        );
        assert!(
            plan.iter().any(|line| line.contains(facts::FACTS_BY_KIND)),
            "{plan:#?}"
        );
        // The documentation kept per association and year, which the keeping of
        // documentation reads whole (migration 0018), from the index alone.
        let kept = plan_of_facts_at(&["kept_documentation"], now).await;
        assert!(
            kept.iter().all(|line| line.contains(&covering)),
            "{kept:#?}"
        );
        let then = TimePoint {
            as_of: day,
            known_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()),
        };
        let plan = plan_of_facts_at(&["document", "meeting"], then).await;
        assert!(
            plan.iter()
                .all(|line| !line.contains(facts::FACTS_CURRENT_BODIES)),
            "{plan:#?}"
        );
    }

    /// An association's memberships, meetings and documents, and a person's roles and the
    /// documents waiting on them, are read from the index of their bodies by scope alone, as
    /// known now and as known at a past moment; other kinds through the index by scope and
    /// the table.
    #[tokio::test]
    async fn what_a_page_and_an_inbox_read_by_scope_is_read_from_one_index() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
        let now = TimePoint {
            as_of: day,
            known_at: None,
        };
        let then = TimePoint {
            as_of: day,
            known_at: Some(Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap()),
        };
        let covering = format!("USING COVERING INDEX {}", facts::FACTS_BODIES_IN_SCOPE);
        for kind in facts::BODIES_IN_SCOPE_KINDS {
            for at in [now, then] {
                let plan = plan_of_facts_in_scopes(kind, at).await;
                // a search by kind and scope, not a scan of the whole index
                assert!(
                    plan.iter().any(|line| line.starts_with("SEARCH")
                        && line.contains(&covering)
                        && line.contains("scope=?")),
                    "{kind} at {at:?}: {plan:#?}"
                );
            }
        }
        let plan = plan_of_facts_in_scopes("member_count", now).await;
        assert!(
            plan.iter()
                .any(|line| line.contains(facts::FACTS_BY_SCOPE) && !line.contains("COVERING")),
            "{plan:#?}"
        );
    }

    /// The SQLite compiled into metod keeps no memory statistics (`.cargo/config.toml`): with
    /// them every allocation and free of every connection took one process-wide mutex, and a
    /// query's rows were copied on the connection's thread and freed on the reader's.
    #[tokio::test]
    async fn sqlite_is_built_without_memory_statistics() {
        let mut connection = SqliteConnection::connect("sqlite::memory:")
            .await
            .expect("an in-memory database");
        let options: Vec<(String,)> = sqlx::query_as("PRAGMA compile_options")
            .fetch_all(&mut connection)
            .await
            .expect("the compile options");
        let options: Vec<String> = options.into_iter().map(|(o,)| o).collect();
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "compiled with {options:?}"
        );
    }

    /// The keys of a page's persons are read one descent each, from the vault kept by person
    /// (migration 0020), not through an index of person ids and then the table.
    #[tokio::test]
    async fn the_keys_of_many_persons_are_read_from_the_vault_kept_by_person() {
        let mut connection = migrated().await;
        let explain = format!("EXPLAIN QUERY PLAN {}?, ?)", super::KEYS_OF_PERSONS);
        let plan: Vec<(i64, i64, i64, String)> = sqlx::query_as(&explain)
            .bind("p-1")
            .bind("p-2")
            .fetch_all(&mut connection)
            .await
            .expect("the plan");
        let lines: Vec<String> = plan.into_iter().map(|(.., line)| line).collect();
        assert!(
            lines
                .iter()
                .any(|line| line.contains("SEARCH person_keys USING PRIMARY KEY (person_id=?)")),
            "{lines:#?}"
        );
    }
}
