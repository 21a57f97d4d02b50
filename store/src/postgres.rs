//! The multi-user backend: PostgreSQL. Every append takes one transaction-level advisory
//! lock before it reads the head, so appends are serialized: positions are gapless, each
//! hash can chain to the previous one, and a position becomes visible only after every
//! smaller one — a reader can never pass an event that a slower writer commits later.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::Postgres;
use tokio::sync::watch;

use crate::batch;
use crate::clock::Clock;
use crate::decode::EVENT_COLUMNS;
use crate::document_texts::{text_hash, DocumentTexts};
use crate::envelope::{
    AppendResult, CommandId, EventContent, LogHead, NewEvent, RecordedEvent, StreamId,
};
use crate::error::{is_unique_violation, StoreError, StoreResult};
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

pub(crate) static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// The advisory lock every append holds until its transaction ends ("metod" in ASCII).
const APPEND_LOCK: i64 = 0x006d_6574_6f64;

pub struct PostgresStore {
    pub(crate) pool: PgPool,
    pub(crate) clock: Arc<dyn Clock>,
    appended: watch::Sender<u64>,
    target: String,
    /// Whether appends keep the Merkle tree: always, but for the benchmark's ceiling.
    pub(crate) keep_tree: bool,
    /// Where this process last saw the log end: what a single append's rows are computed
    /// after, for the database to check under the lock (`append_in_one_call`).
    seen_tip: std::sync::Mutex<Option<SeenTip>>,
    /// How many appends went in one call: what `metod bench store` reports beside its figures.
    pub(crate) appended_in_one_call: std::sync::atomic::AtomicU64,
}

/// The head of the log (None: the log is empty) and the tree's frontier after it.
#[derive(Debug, Clone)]
struct SeenTip {
    head: Option<LogHead>,
    frontier: tlog::Frontier,
}

impl PostgresStore {
    /// The rows of `kind` whose `column` is one of `values` and that hold at `at`.
    async fn facts_in(
        &self,
        kind: &str,
        column: &str,
        values: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        let day = facts::day_number(at.as_of);
        let known = facts::known_micros(at);
        let rows: Vec<HeldColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts WHERE kind = $1 AND {column} = ANY($2) \
             AND valid_from <= $3 AND valid_to > $3 AND recorded_from <= $4 AND recorded_to > $4 \
             ORDER BY id",
            facts::HELD_COLUMNS
        ))
        .bind(kind)
        .bind(values)
        .bind(day)
        .bind(known)
        .fetch_all(&self.pool)
        .await?;
        sql::held_from(rows)
    }

    pub async fn open(url: &str, mode: OpenMode, clock: Arc<dyn Clock>) -> StoreResult<Self> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::InvalidDatabaseUrl {
                url: redact(url),
                reason: e.to_string(),
            })?;
        let target = format!(
            "postgres://{}@{}:{}/{}",
            options.get_username(),
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or(options.get_username())
        );
        // One direct connection first: a refused or unknown server fails at once, with the
        // driver's own reason, instead of after the pool's acquire timeout.
        let probe = <PgConnection as sqlx::Connection>::connect_with(&options)
            .await
            .map_err(|e: sqlx::Error| StoreError::Unreachable {
                target: target.clone(),
                reason: e.to_string(),
            })?;
        sqlx::Connection::close(probe).await.ok();
        // Each prepared statement keeps one plan for every value it is given. PostgreSQL
        // would plan a statement's first five runs for their values and only then settle on
        // the generic plan; planned for its values, a region's hierarchy on a date took
        // 100-130 ms where the generic plan takes 45-50 (p50), and those first runs were
        // the answers' p99 (`metod bench read-models`, region: hierarchy on a date p99 217
        // -> 66 ms, late documents 116 -> 41 ms).
        let options = options.options([("plan_cache_mode", "force_generic_plan")]);
        let options = if mode.durable_commits() {
            options
        } else {
            options.options([("synchronous_commit", "off")])
        };
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(15))
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
        let (head, frontier) = Postgres::read_tip(&mut *pool.acquire().await?, true).await?;
        let (appended, _) = watch::channel(head.map_or(0, |h| h.position));
        let seen_tip = frontier.map(|frontier| SeenTip { head, frontier });
        Ok(Self {
            pool,
            clock,
            appended,
            target,
            keep_tree: true,
            seen_tip: std::sync::Mutex::new(seen_tip),
            appended_in_one_call: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// Appends under the append advisory lock, then wakes this process's subscribers.
    pub(crate) async fn append_with(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
        side: SideWrite<'_>,
    ) -> StoreResult<AppendResult> {
        batch::validate(&events)?;
        if matches!(side, SideWrite::Nothing) {
            if let Some(result) = self
                .append_in_one_call(stream, expected, &events, command_id)
                .await?
            {
                self.appended.send_replace(result.last_position);
                return Ok(result);
            }
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(APPEND_LOCK)
            .execute(&mut *tx)
            .await?;
        let (result, tip) = Postgres::append_locked(
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
        if let Some(batch::Tip {
            head,
            frontier: Some(frontier),
        }) = tip
        {
            self.remember_tip(SeenTip {
                head: Some(head),
                frontier,
            });
        }
        if !result.deduplicated {
            self.appended.send_replace(result.last_position);
        }
        Ok(result)
    }

    /// One command's append in one round trip (migration 0013, `metod_append_after`): its
    /// rows are computed after the tip this process saw last, and the database writes them
    /// under the append lock if the command is new, the stream at the version expected and
    /// the head that tip's. None when the append is not one for it (no exact expected
    /// version, many events, the tree not kept, no tip seen) or when something moved: then
    /// nothing was written and the caller appends the usual way, which says what moved.
    async fn append_in_one_call(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[NewEvent],
        command_id: CommandId,
    ) -> StoreResult<Option<AppendResult>> {
        let after_version = match expected {
            ExpectedVersion::NoStream => 0,
            ExpectedVersion::Exact(version) => version,
            ExpectedVersion::Any => return Ok(None),
        };
        if !self.keep_tree || events.len() > batch::ROWS_PER_PIPELINED_INSERT {
            return Ok(None);
        }
        let seen = self
            .seen_tip
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let Some(seen) = seen else { return Ok(None) };
        let chain = batch::Chain::new(
            stream,
            after_version,
            seen.head.as_ref(),
            self.clock.now(),
            command_id,
        );
        let (rows, end) = batch::Chunks::new(chain, events.to_vec(), Some(seen.frontier)).all()?;
        let tip = end.tip();
        let nodes: Vec<(i64, i32, &[u8])> = end
            .nodes
            .iter()
            .map(|(id, hash)| {
                let (position, level) = crate::tree::node_key(id);
                (position, level, &hash[..])
            })
            .collect();
        let sql = format!(
            "SELECT metod_append_after($1, $2, $3, $4, $5, $6, {}, $23::bigint[], $24::integer[], \
             $25::bytea[], $26)",
            event_arrays(7)
        );
        let query = sqlx::query(&sql)
            .bind(APPEND_LOCK)
            .bind(seen.head.map_or(0, |h| h.position as i64))
            .bind(seen.head.map_or_else(Vec::new, |h| h.hash.to_vec()))
            .bind(command_id.0)
            .bind(stream.as_str())
            .bind(after_version as i64);
        let written: Result<bool, sqlx::Error> = bind_event_arrays(query, &rows)
            .bind(nodes.iter().map(|n| n.0).collect::<Vec<_>>())
            .bind(nodes.iter().map(|n| n.1).collect::<Vec<_>>())
            .bind(nodes.iter().map(|n| n.2).collect::<Vec<_>>())
            .bind(tip.frontier.as_ref().map(|f| f.to_bytes()))
            .fetch_one(&self.pool)
            .await
            .and_then(|row| sqlx::Row::try_get(&row, 0));
        let moved = match written {
            Ok(written) => !written,
            // A row taken by a writer outside the lock: the call failed whole, wrote nothing.
            Err(e) if is_unique_violation(&e) => true,
            Err(e) => return Err(e.into()),
        };
        if moved {
            *self.seen_tip.lock().unwrap_or_else(|p| p.into_inner()) = None;
            return Ok(None);
        }
        if let Some(frontier) = tip.frontier {
            self.remember_tip(SeenTip {
                head: Some(tip.head),
                frontier,
            });
        }
        self.appended_in_one_call
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(Some(AppendResult {
            stream: stream.clone(),
            first_position: end.first_position,
            last_position: end.last.position,
            next_version: end.last.version,
            deduplicated: false,
        }))
    }

    /// Keeps `tip` as where the log ends, unless a later one is already kept.
    fn remember_tip(&self, tip: SeenTip) {
        let position = |t: &SeenTip| t.head.map_or(0, |h| h.position);
        let mut kept = self.seen_tip.lock().unwrap_or_else(|p| p.into_inner());
        if kept.as_ref().is_none_or(|k| position(k) < position(&tip)) {
            *kept = Some(tip);
        }
    }
}

/// The URL without its password, for error messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &credentials[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Builds the Merkle tree of a log migrated from before it was kept, in one transaction
/// under the append lock; a log that has it (nearly always) costs one read.
async fn build_tree(pool: &PgPool) -> StoreResult<()> {
    let missing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM log_head WHERE frontier IS NULL")
        .fetch_one(pool)
        .await?;
    if missing == 0 {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(APPEND_LOCK)
        .execute(&mut *tx)
        .await?;
    Postgres::build_tree(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn applied_schema(pool: &PgPool) -> StoreResult<Option<i64>> {
    let exists: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(pool)
        .await?;
    if !exists {
        return Ok(None);
    }
    Ok(
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?,
    )
}

#[async_trait]
impl EventStore for PostgresStore {
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
        Postgres::read_stream(&self.pool, stream, from_version, limit).await
    }

    async fn find_command(&self, command_id: CommandId) -> StoreResult<Option<AppendResult>> {
        Postgres::prior_command(&mut *self.pool.acquire().await?, command_id)
            .await?
            .map(|prior| prior.into_found())
            .transpose()
    }

    async fn stream_version(&self, stream: &StreamId) -> StoreResult<u64> {
        Postgres::stream_version(&mut *self.pool.acquire().await?, stream).await
    }

    async fn streams_where(
        &self,
        event_type: &str,
        field: &str,
        value: &str,
    ) -> StoreResult<Vec<StreamId>> {
        Postgres::streams_where(&self.pool, event_type, field, value).await
    }

    async fn read_all(&self, from_position: u64, limit: usize) -> StoreResult<Vec<RecordedEvent>> {
        Postgres::read_all(&self.pool, from_position, limit).await
    }

    async fn read_contents(
        &self,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<EventContent>> {
        Postgres::read_contents(&self.pool, from_position, limit).await
    }

    async fn head(&self) -> StoreResult<Option<LogHead>> {
        Postgres::read_head(&mut *self.pool.acquire().await?).await
    }

    fn appended(&self) -> watch::Receiver<u64> {
        self.appended.subscribe()
    }

    fn describe(&self) -> String {
        self.target.clone()
    }
}

#[async_trait]
impl LogTree for PostgresStore {
    async fn tree_root(&self, size: u64) -> StoreResult<tlog::Hash> {
        Postgres::tree_root(&mut *self.pool.acquire().await?, size).await
    }

    async fn inclusion_proof(&self, position: u64, size: u64) -> StoreResult<Vec<tlog::Hash>> {
        Postgres::inclusion_proof(&mut *self.pool.acquire().await?, position, size).await
    }

    async fn consistency_proof(
        &self,
        old_size: u64,
        new_size: u64,
    ) -> StoreResult<Vec<tlog::Hash>> {
        Postgres::consistency_proof(&mut *self.pool.acquire().await?, old_size, new_size).await
    }
}

#[async_trait]
impl Leadership for PostgresStore {
    async fn try_lead(&self, role: &str) -> StoreResult<Option<Lease>> {
        // A connection of the lease's own, out of the pool: the session lock lives as long as
        // it does, and a process that dies takes it with it.
        let mut conn = self.pool.acquire().await?.detach();
        let led: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(leadership::lock_key(role))
            .fetch_one(&mut conn)
            .await?;
        Ok(led.then(|| Lease::new(std::sync::Mutex::new(conn))))
    }
}

#[async_trait]
impl DocumentTexts for PostgresStore {
    async fn keep_text(&self, text: &str) -> StoreResult<crate::envelope::Hash> {
        let hash = text_hash(text);
        Postgres::keep_text(&self.pool, &hash, text, self.clock.now()).await?;
        Ok(hash)
    }

    async fn text(&self, hash: &crate::envelope::Hash) -> StoreResult<Option<String>> {
        Postgres::text(&self.pool, hash).await
    }
}

#[async_trait]
impl SignedCheckpoints for PostgresStore {
    async fn keep_signed_checkpoint(
        &self,
        tree_size: u64,
        root: crate::envelope::Hash,
        note: &str,
        verifier_key: &str,
    ) -> StoreResult<SignedCheckpoint> {
        let now = self.clock.now();
        Postgres::keep_signed_checkpoint(&self.pool, tree_size, root, note, verifier_key, now).await
    }

    async fn signed_checkpoints(&self) -> StoreResult<Vec<SignedCheckpoint>> {
        Postgres::signed_checkpoints(&self.pool).await
    }
}

#[async_trait]
impl PersonalDataVault for PostgresStore {
    async fn key_slot(&self, person: &str) -> StoreResult<Option<KeySlot>> {
        Postgres::key_slot(&self.pool, person).await
    }

    async fn key_slots(
        &self,
        persons: &[String],
    ) -> StoreResult<std::collections::HashMap<String, KeySlot>> {
        let rows: Vec<(String, Option<Vec<u8>>)> =
            sqlx::query_as("SELECT person_id, key FROM person_keys WHERE person_id = ANY($1)")
                .bind(persons)
                .fetch_all(&self.pool)
                .await?;
        let mut slots = std::collections::HashMap::new();
        for (person, key) in rows {
            let slot = match key {
                Some(bytes) => KeySlot::Key(vault::key_from_bytes(&person, &bytes)?),
                None => KeySlot::Shredded,
            };
            slots.insert(person, slot);
        }
        Ok(slots)
    }

    async fn create_key(&self, person: &str) -> StoreResult<KeySlot> {
        sqlx::query("INSERT INTO person_keys (person_id, key, created_at) VALUES ($1, $2, now()) ON CONFLICT (person_id) DO NOTHING")
            .bind(person)
            .bind(&vault::new_key()[..])
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
        self.rewrite_vault().await?;
        Ok(result)
    }
}

impl PostgresStore {
    /// Writes `person_keys` anew holding only the rows a fresh snapshot sees, so a cleared
    /// key's old row version leaves the table's file. `VACUUM FULL` is not enough: it copies
    /// row versions that some snapshot anywhere in the cluster might still need — a backend
    /// that is just connecting holds one for a moment — and the old key then lands in the new
    /// file too. TRUNCATE gives the table a new, empty file and empties the old one at commit;
    /// the live rows, copied first into a temporary table under an exclusive lock, go back in.
    /// The vault is one short row per person, so the rewrite is quick.
    async fn rewrite_vault(&self) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for statement in [
            "LOCK TABLE person_keys IN ACCESS EXCLUSIVE MODE",
            "CREATE TEMPORARY TABLE person_keys_live ON COMMIT DROP AS SELECT * FROM person_keys",
            "TRUNCATE person_keys",
            "INSERT INTO person_keys SELECT * FROM person_keys_live",
        ] {
            // Not kept prepared: the temporary table is a new relation each time.
            sqlx::query(statement)
                .persistent(false)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl Checkpoints for PostgresStore {
    async fn checkpoint(&self, name: &str) -> StoreResult<u64> {
        Postgres::checkpoint(&mut *self.pool.acquire().await?, name).await
    }

    async fn save_checkpoint(&self, name: &str, position: u64) -> StoreResult<()> {
        Postgres::advance_checkpoint(&self.pool, name, position, self.clock.now()).await
    }
}

/// The advisory lock a projection's commit holds, so two processes cannot both move one
/// checkpoint ("facts" in ASCII).
const READ_MODEL_LOCK: i64 = 0x0066_6163_7473;

/// Rows per message of the copy: about 5 MB of text.
const FACTS_PER_COPY_MESSAGE: usize = 20_000;

/// One row in COPY's text format: tab-separated, in `FACT_COLUMNS` order.
fn copy_line(text: &mut String, row: &FactRow) {
    use std::fmt::Write;
    let _ = write!(text, "{}\t", row.id);
    for value in [&row.kind, &row.key, &row.scope] {
        copy_text(text, value);
        text.push('\t');
    }
    let _ = write!(
        text,
        "{}\t{}\t{}\t{}\t{}\t",
        facts::day_number(row.valid_from),
        facts::open_day(row.valid_to),
        row.recorded_from.timestamp_micros(),
        facts::open_micros(row.recorded_to),
        row.position,
    );
    copy_text(text, &row.body);
    text.push('\n');
}

/// A text value escaped for COPY's text format: backslash, tab, newline and carriage return
/// are written as their backslash sequences; everything else as it is.
fn copy_text(text: &mut String, value: &str) {
    let mut rest = value;
    while let Some(at) = rest.find(['\\', '\t', '\n', '\r']) {
        text.push_str(&rest[..at]);
        let special = rest.as_bytes()[at];
        text.push_str(match special {
            b'\\' => "\\\\",
            b'\t' => "\\t",
            b'\n' => "\\n",
            _ => "\\r",
        });
        rest = &rest[at + 1..];
    }
    text.push_str(rest);
}

/// The read models are derived from the log and rebuilt from it: their transactions do not
/// wait for the WAL to reach the disk. A crash may lose the last of them (whole, with its
/// checkpoint, so the next catch-up repeats it); the events' transactions keep their flush.
/// The sixteen column arrays of `bind_event_arrays` as parameters from `$first` on, typed.
fn event_arrays(first: usize) -> String {
    const TYPES: [&str; 16] = [
        "bigint",
        "text",
        "bigint",
        "text",
        "bigint",
        "text",
        "timestamptz",
        "date",
        "text",
        "text",
        "text",
        "uuid",
        "uuid",
        "uuid",
        "bytea",
        "bytea",
    ];
    TYPES
        .iter()
        .enumerate()
        .map(|(i, t)| format!("${}::{t}[]", first + i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Binds `rows` as one array per column, in the order of `EVENT_COLUMNS`.
fn bind_event_arrays<'q>(
    query: sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments>,
    rows: &'q [RecordedEvent],
) -> sqlx::query::Query<'q, Postgres, sqlx::postgres::PgArguments> {
    query
        .bind(rows.iter().map(|r| r.position as i64).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.stream.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.version as i64).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|r| r.event_type.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|r| i64::from(r.schema)).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.payload.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.recorded_at).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.effective).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.actor.id.as_str()).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|r| r.actor.role.as_str())
                .collect::<Vec<_>>(),
        )
        .bind(
            rows.iter()
                .map(|r| batch::basis_json(r.basis.as_ref()))
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|r| r.command_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.correlation_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.causation_id).collect::<Vec<_>>())
        .bind(
            rows.iter()
                .map(|r| r.prev_hash.to_vec())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|r| r.hash.to_vec()).collect::<Vec<_>>())
}

async fn relax_commit(tx: &mut sqlx::Transaction<'_, sqlx::Postgres>) -> Result<(), sqlx::Error> {
    sqlx::query("SET LOCAL synchronous_commit = off")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Dialect for Postgres {
    type Moment = DateTime<Utc>;

    const FACT_INDEXES: &'static [(&'static str, &'static str)] = facts::FACT_INDEXES;

    fn moment(moment: DateTime<Utc>) -> DateTime<Utc> {
        moment
    }

    fn time(_position: u64, stored: DateTime<Utc>) -> StoreResult<DateTime<Utc>> {
        Ok(stored)
    }

    fn payload_field(field: &str) -> String {
        format!("((payload)::jsonb ->> '{field}')")
    }

    /// One INSERT … SELECT FROM UNNEST of column arrays for all of `rows`.
    async fn insert_events(
        conn: &mut PgConnection,
        table: &str,
        rows: &[RecordedEvent],
    ) -> Result<(), sqlx::Error> {
        let sql = format!(
            "INSERT INTO {table} ({EVENT_COLUMNS}) SELECT * FROM UNNEST({})",
            event_arrays(1)
        );
        bind_event_arrays(sqlx::query(&sql), rows)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The vault's times are the server's.
    async fn clear_key(conn: &mut PgConnection, person: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO person_keys (person_id, key, created_at, shredded_at) VALUES ($1, NULL, now(), now()) \
             ON CONFLICT (person_id) DO UPDATE SET key = NULL, shredded_at = excluded.shredded_at",
        )
        .bind(person)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// One UPDATE from two unnested arrays. (No retirement waits on PostgreSQL:
    /// [`Self::keep_retirements`].)
    async fn retire_facts(
        conn: &mut PgConnection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        if retired.is_empty() {
            return Ok(());
        }
        let (ids, until) = retirement_arrays(retired);
        sqlx::query(
            "UPDATE read_model_facts AS f SET recorded_to = u.until \
             FROM UNNEST($1::BIGINT[], $2::BIGINT[]) AS u(id, until) WHERE f.id = u.id",
        )
        .bind(ids)
        .bind(until)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Retires at once: an UPDATE on PostgreSQL writes a new version of the row wherever
    /// there is room, so retirements kept for one pass in id order spare it no page, and
    /// that pass, some 431,000 retirements at the end of a region's rebuild, made the rebuild
    /// slower (`metod rebuild`, two runs each in turn: 32.1 and 33.5 s waiting, 26.1 and
    /// 27.0 s at once).
    async fn keep_retirements(
        conn: &mut PgConnection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> StoreResult<()> {
        Self::retire_facts(conn, retired).await
    }

    /// `COPY … FROM STDIN` in the text format: the server parses plain lines, where an
    /// INSERT of unnested arrays first built and then took apart ten arrays.
    async fn insert_facts(conn: &mut PgConnection, rows: &[FactRow]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut copy = conn
            .copy_in_raw(&format!(
                "COPY read_model_facts ({}) FROM STDIN",
                facts::FACT_COLUMNS
            ))
            .await?;
        let mut text = String::new();
        for chunk in rows.chunks(FACTS_PER_COPY_MESSAGE) {
            text.clear();
            for row in chunk {
                copy_line(&mut text, row);
            }
            if let Err(e) = copy.send(text.as_bytes()).await {
                // The server must hear the copy end before the connection serves anything else.
                let _ = copy.abort(e.to_string()).await;
                return Err(e.into());
            }
        }
        copy.finish().await?;
        Ok(())
    }

    async fn empty_facts(conn: &mut PgConnection) -> StoreResult<()> {
        sqlx::query("TRUNCATE read_model_facts")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl ReadModelStore for PostgresStore {
    async fn commit_facts(
        &self,
        name: &str,
        expected: u64,
        checkpoint: u64,
        changes: &FactChanges,
        retiring: Retiring,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(READ_MODEL_LOCK)
            .execute(&mut *tx)
            .await?;
        relax_commit(&mut tx).await?;
        Postgres::commit_changes(
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

    /// None waits ([`Dialect::keep_retirements`]).
    async fn settle_facts(&self) -> StoreResult<()> {
        Ok(())
    }

    async fn clear_facts(&self, name: &str) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(READ_MODEL_LOCK)
            .execute(&mut *tx)
            .await?;
        relax_commit(&mut tx).await?;
        Postgres::clear_facts_in(&mut tx, name, self.clock.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn ensure_fact_indexes(&self) -> StoreResult<()> {
        let names: Vec<&str> = Postgres::FACT_INDEXES
            .iter()
            .map(|(name, _)| *name)
            .collect();
        let mut tx = self.pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(READ_MODEL_LOCK)
            .execute(&mut *tx)
            .await?;
        relax_commit(&mut tx).await?;
        let present: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_indexes \
             WHERE tablename = 'read_model_facts' AND indexname = ANY($1)",
        )
        .bind(&names)
        .fetch_one(&mut *tx)
        .await?;
        if present == names.len() as i64 {
            return Ok(());
        }
        Postgres::create_fact_indexes(&mut tx).await?;
        // The table was just loaded: without fresh statistics the planner guesses, and the
        // first questions after a rebuild take ten times as long. The columns questions
        // filter on; the bodies (most of the bytes) are never a condition.
        sqlx::query(
            "ANALYZE read_model_facts (kind, fact_key, scope, valid_from, valid_to, \
             recorded_from, recorded_to, position)",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn current_facts(&self) -> StoreResult<Vec<FactRow>> {
        Postgres::current_facts(&self.pool).await
    }

    async fn current_facts_of(&self, kind: &str, of: CurrentOf<'_>) -> StoreResult<Vec<FactRow>> {
        Postgres::current_facts_of(&self.pool, kind, of).await
    }

    async fn last_fact_id(&self) -> StoreResult<u64> {
        Postgres::last_fact_id(&self.pool).await
    }

    async fn all_facts(&self) -> StoreResult<Vec<FactRow>> {
        Postgres::all_facts(&self.pool).await
    }

    async fn facts_at(&self, kinds: &[&str], at: TimePoint) -> StoreResult<Vec<HeldFact>> {
        Postgres::facts_at(&self.pool, kinds, at).await
    }

    async fn facts_since(
        &self,
        kind: &str,
        since: NaiveDate,
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        Postgres::facts_since(&self.pool, kind, since, at).await
    }

    async fn facts_for_keys(
        &self,
        kind: &str,
        keys: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        self.facts_in(kind, "fact_key", keys, at).await
    }

    async fn facts_in_scopes(
        &self,
        kind: &str,
        scopes: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        self.facts_in(kind, "scope", scopes, at).await
    }

    async fn count_facts_at(&self, kind: &str, at: TimePoint) -> StoreResult<Vec<(String, u64)>> {
        Postgres::count_facts_at(&self.pool, kind, at).await
    }
}

/// Retirements as two arrays, ids and moments in microseconds, each bound as one value.
fn retirement_arrays(retired: &[(u64, DateTime<Utc>)]) -> (Vec<i64>, Vec<i64>) {
    retired
        .iter()
        .map(|(id, until)| (*id as i64, until.timestamp_micros()))
        .unzip()
}
