//! The SQL both backends run, written once. sqlx is generic over the database: a backend's
//! database is a [`Dialect`] — what it spells differently (how a moment is stored, how many
//! rows go in at once, how facts are retired, how the shred writes a key) — and takes every
//! other statement of the log, the vault, the checkpoints and the read models from here (and
//! the write of an account's row that goes with its event; the accounts' other statements are
//! in `accounts/sql.rs`).
//! Parameters are numbered `$1`, `$2`, …: PostgreSQL's own form, which SQLite reads as the
//! N-th bound value (so one value may be named twice and bound once).

use std::collections::BTreeMap;
use std::future::Future;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{
    ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Transaction, Type,
};
use tlog::{Frontier, NodeId};
use uuid::Uuid;

use crate::accounts::AccountChange;
use crate::batch::{self, PriorCommand};
use crate::decode::{self, CONTENT_COLUMNS, EVENT_COLUMNS};
use crate::envelope::{
    AppendResult, CommandId, EventContent, Hash, LogHead, NewEvent, RecordedEvent, StreamId,
};
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::expected_version::ExpectedVersion;
use crate::facts::{self, CurrentOf, FactChanges, FactRow, HeldFact, Retiring, TimePoint};
use crate::signed_checkpoints::SignedCheckpoint;
use crate::tree;
use crate::vault::{self, KeySlot};

/// What an append writes besides the events, in the same transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SideWrite<'a> {
    Nothing,
    /// An erasure: this person's key is cleared.
    Shred(&'a str),
    /// A change of this account's row.
    Account(Uuid, &'a AccountChange),
}

/// The columns of `facts::FACT_COLUMNS` as they are stored.
pub(crate) type FactColumns = (i64, String, String, String, i32, i32, i64, i64, i64, String);
/// The columns of a [`HeldFact`], as read.
pub(crate) type HeldColumns = (i64, String, i32, String);

/// A database both backends' SQL runs on. The required items are what differs; the provided
/// ones are the shared statements. The bounds are the types the statements bind and read;
/// they hold for SQLite and PostgreSQL alike.
///
/// A statement that another provided one also runs inside its transaction takes the
/// connection (`&mut Self::Connection`; a backend asks its pool for one); the others take any
/// executor. An executor of its own lifetime inside another provided future cannot be proved
/// `Send` (rust-lang/rust#100013), which the async traits of the store need.
pub(crate) trait Dialect: Database
where
    for<'c> &'c mut Self::Connection: Executor<'c, Database = Self>,
    for<'q> Self::Arguments<'q>: IntoArguments<'q, Self>,
    usize: ColumnIndex<Self::Row>,
    for<'q> i64: Encode<'q, Self> + Decode<'q, Self> + Type<Self>,
    for<'q> i32: Encode<'q, Self> + Decode<'q, Self> + Type<Self>,
    for<'q> &'q str: Encode<'q, Self> + Type<Self>,
    for<'q> String: Decode<'q, Self> + Type<Self>,
    for<'q> &'q [u8]: Encode<'q, Self> + Type<Self>,
    for<'q> Vec<u8>: Decode<'q, Self> + Type<Self>,
    for<'q> Option<Vec<u8>>: Encode<'q, Self>,
    for<'q> Uuid: Encode<'q, Self> + Decode<'q, Self> + Type<Self>,
    for<'q> NaiveDate: Decode<'q, Self> + Type<Self>,
{
    /// How a moment is stored: microseconds since 1970 on SQLite, `timestamptz` on
    /// PostgreSQL.
    type Moment: for<'q> Encode<'q, Self> + for<'r> Decode<'r, Self> + Type<Self> + Send + 'static;

    /// A moment in its stored form.
    fn moment(moment: DateTime<Utc>) -> Self::Moment;

    /// A stored moment read back; `position` names the row if it is no moment.
    fn time(position: u64, stored: Self::Moment) -> StoreResult<DateTime<Utc>>;

    /// The secondary indexes of `read_model_facts` this backend keeps: the migrations leave
    /// exactly these, and a rebuild drops them and builds them again.
    const FACT_INDEXES: &'static [(&'static str, &'static str)];

    /// Whether the backend keeps the index of current bodies (`facts::SQLITE_FACT_INDEXES`),
    /// through which a question as known now reads the documents, meetings and kept
    /// documentation it holds.
    fn indexes_current_bodies() -> bool {
        Self::FACT_INDEXES
            .iter()
            .any(|(name, _)| *name == facts::FACTS_CURRENT_BODIES)
    }

    /// The SQL text of a payload's top-level `field` (a name of letters and `_`), written as
    /// the migrations' expression indexes write it so that a lookup uses them.
    fn payload_field(field: &str) -> String;

    /// Inserts one chunk of the log's rows into `table` (the log, or the benchmark's bare
    /// table) with the database's quickest form of a many-row insert.
    fn insert_events(
        conn: &mut Self::Connection,
        table: &str,
        rows: &[RecordedEvent],
    ) -> impl Future<Output = Result<(), sqlx::Error>> + Send;

    /// The shred's own write: `person`'s key cleared, a tombstone left where there was none.
    fn clear_key(
        conn: &mut Self::Connection,
        person: &str,
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Ends the transaction time of the rows `retired` names, and of every row whose
    /// retirement waits ([`Self::keep_retirements`]), which then no longer waits.
    fn retire_facts(
        conn: &mut Self::Connection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// The retirements of a commit that may keep them waiting ([`Retiring::Later`]): kept in
    /// `read_model_retirements`, the rows as they are, where a pass in id order later saves
    /// writes; else retired at once.
    fn keep_retirements(
        conn: &mut Self::Connection,
        retired: &[(u64, DateTime<Utc>)],
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Inserts read-model rows with the database's quickest bulk insert.
    fn insert_facts(
        conn: &mut Self::Connection,
        rows: &[FactRow],
    ) -> impl Future<Output = StoreResult<()>> + Send;

    /// Deletes every read-model row, and every retirement waiting.
    fn empty_facts(conn: &mut Self::Connection) -> impl Future<Output = StoreResult<()>> + Send;

    /// Appends in `tx`, which holds the backend's append lock, and commits unless the
    /// command id was seen before; a lost race for the stream's version is a conflict.
    /// `side` is what else the transaction writes: with a shred, the append is an erasure and
    /// clears that person's key; with an account's change, its row. Without `keep_tree` (only the benchmark's ceiling) the Merkle tree is not
    /// kept and the head's frontier is left empty, so that opening the store builds it.
    #[allow(clippy::too_many_arguments)]
    async fn append_locked(
        mut tx: Transaction<'_, Self>,
        pool: &Pool<Self>,
        now: DateTime<Utc>,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
        side: SideWrite<'_>,
        keep_tree: bool,
    ) -> StoreResult<(AppendResult, Option<batch::Tip>)> {
        let attempt = Self::append_in_tx(
            &mut tx, now, stream, expected, events, command_id, keep_tree,
        )
        .await?;
        let Some((result, tip)) = attempt else {
            // Another writer took the version between our read and our insert.
            drop(tx);
            let actual = Self::stream_version(&mut *pool.acquire().await?, stream).await?;
            return Err(StoreError::Conflict { expected, actual });
        };
        if result.deduplicated {
            return Ok((result, tip));
        }
        match side {
            SideWrite::Nothing => {}
            SideWrite::Shred(person) => Self::clear_key(&mut tx, person).await?,
            SideWrite::Account(account, change) => {
                Self::write_account(&mut tx, account, change, now).await?;
            }
        }
        tx.commit().await?;
        Ok((result, tip))
    }

    /// Writes `change` to the row of `account` in the transaction `conn` is in, the one that
    /// appends its event.
    async fn write_account(
        conn: &mut Self::Connection,
        account: Uuid,
        change: &AccountChange,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let changed = match change {
            AccountChange::Open {
                login,
                kind,
                person,
                password_hash,
            } => {
                let key = crate::accounts::login_key(login);
                // No person is bound as '' and kept as NULL: an optional text is not among the
                // types every dialect binds.
                let sql = "INSERT INTO accounts (id, login, login_key, kind, person_id, \
                     password_hash, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $7) RETURNING id";
                let inserted = sqlx::query(sql)
                    .bind(account)
                    .bind(login.as_str())
                    .bind(key.as_str())
                    .bind(kind.as_str())
                    .bind(person.as_deref().unwrap_or_default())
                    .bind(password_hash.as_str())
                    .bind(Self::moment(now))
                    .fetch_optional(&mut *conn)
                    .await;
                match inserted {
                    Err(e) if is_unique_violation(&e) => {
                        return Err(StoreError::AccountExists {
                            login: login.clone(),
                        })
                    }
                    other => other?,
                }
            }
            AccountChange::Disable => {
                Self::end_sessions_of(&mut *conn, account, now).await?;
                sqlx::query(
                    "UPDATE accounts SET disabled_at = $2, updated_at = $2 \
                     WHERE id = $1 AND disabled_at IS NULL RETURNING id",
                )
                .bind(account)
                .bind(Self::moment(now))
                .fetch_optional(&mut *conn)
                .await?
            }
            AccountChange::Enable => {
                sqlx::query(
                    "UPDATE accounts SET disabled_at = NULL, updated_at = $2 \
                     WHERE id = $1 AND disabled_at IS NOT NULL RETURNING id",
                )
                .bind(account)
                .bind(Self::moment(now))
                .fetch_optional(&mut *conn)
                .await?
            }
            AccountChange::Password { password_hash } => {
                Self::end_sessions_of(&mut *conn, account, now).await?;
                sqlx::query(
                    "UPDATE accounts SET password_hash = $2, updated_at = $3 WHERE id = $1 \
                     RETURNING id",
                )
                .bind(account)
                .bind(password_hash.as_str())
                .bind(Self::moment(now))
                .fetch_optional(&mut *conn)
                .await?
            }
        };
        if changed.is_none() {
            // No such account, or not in the state the change leaves: the caller read it
            // stale. The transaction is dropped, the event with it.
            return Err(StoreError::AccountUnknown { account });
        }
        Ok(())
    }

    /// Ends every live session of `account`.
    async fn end_sessions_of(
        conn: &mut Self::Connection,
        account: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET ended_at = $2 WHERE account_id = $1 AND ended_at IS NULL")
            .bind(account)
            .bind(Self::moment(now))
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The append proper, with where it leaves the log (None for a command seen before); None
    /// when a row of the same stream and version appeared meanwhile.
    async fn append_in_tx(
        conn: &mut Self::Connection,
        now: DateTime<Utc>,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        command_id: CommandId,
        keep_tree: bool,
    ) -> StoreResult<Option<(AppendResult, Option<batch::Tip>)>> {
        if let Some(prior) = Self::prior_command(&mut *conn, command_id).await? {
            return prior
                .into_result(command_id, stream)
                .map(|result| Some((result, None)));
        }
        let actual = Self::stream_version(&mut *conn, stream).await?;
        if !expected.admits(actual) {
            return Err(StoreError::Conflict { expected, actual });
        }
        let (head, frontier) = Self::read_tip(&mut *conn, keep_tree).await?;
        let chain = batch::Chain::new(stream, actual, head.as_ref(), now, command_id);
        let mut chunks = batch::Chunks::new(chain, events, frontier);
        let mut rows = chunks.next_rows()?;
        // While the database writes one chunk, this thread serializes and hashes the next.
        loop {
            let (inserted, next) =
                tokio::join!(Self::insert_events(&mut *conn, "events", &rows), async {
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
        let end = chunks.finish(rows)?;
        let tip = end.tip();
        let batch::AppendEnd {
            first_position,
            last,
            frontier,
            nodes,
        } = end;
        Self::insert_nodes(&mut *conn, &nodes).await?;
        sqlx::query(
            "INSERT INTO commands (command_id, stream, first_position, last_position, last_version) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(command_id.0)
        .bind(stream.as_str())
        .bind(first_position as i64)
        .bind(last.position as i64)
        .bind(last.version as i64)
        .execute(&mut *conn)
        .await?;
        sqlx::query(
            "INSERT INTO log_head (id, position, hash, recorded_at, frontier) \
             VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET \
             position = excluded.position, hash = excluded.hash, \
             recorded_at = excluded.recorded_at, frontier = excluded.frontier",
        )
        .bind(last.position as i64)
        .bind(&last.hash[..])
        .bind(Self::moment(last.recorded_at))
        .bind(frontier.map(|f| f.to_bytes()))
        .execute(&mut *conn)
        .await?;
        let result = AppendResult {
            stream: stream.clone(),
            first_position,
            last_position: last.position,
            next_version: last.version,
            deduplicated: false,
        };
        Ok(Some((result, Some(tip))))
    }

    /// What an earlier append with this command id wrote, if there was one.
    async fn prior_command(
        conn: &mut Self::Connection,
        command_id: CommandId,
    ) -> StoreResult<Option<PriorCommand>> {
        let row = sqlx::query(
            "SELECT stream, first_position, last_position, last_version FROM commands \
             WHERE command_id = $1",
        )
        .bind(command_id.0)
        .fetch_optional(&mut *conn)
        .await?;
        row.map(|row| decode::decode_prior_command(&row))
            .transpose()
    }

    /// The stream's current version (0 when it does not exist).
    async fn stream_version(conn: &mut Self::Connection, stream: &StreamId) -> StoreResult<u64> {
        let version: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = $1")
                .bind(stream.as_str())
                .fetch_one(&mut *conn)
                .await?;
        Ok(version as u64)
    }

    /// The head of the log as the last append left it.
    async fn read_head(conn: &mut Self::Connection) -> StoreResult<Option<LogHead>> {
        let row = sqlx::query("SELECT position, hash, recorded_at FROM log_head WHERE id = 1")
            .fetch_optional(&mut *conn)
            .await?;
        row.map(|row| Self::head_from(&row)).transpose()
    }

    /// The head and the tree's frontier beside it, in one read: what an append continues
    /// (no frontier when the tree is not kept).
    async fn read_tip(
        conn: &mut Self::Connection,
        keep_tree: bool,
    ) -> StoreResult<(Option<LogHead>, Option<Frontier>)> {
        let row =
            sqlx::query("SELECT position, hash, recorded_at, frontier FROM log_head WHERE id = 1")
                .fetch_optional(&mut *conn)
                .await?;
        let Some(row) = row else {
            return Ok((None, keep_tree.then(Frontier::new)));
        };
        let head = Self::head_from(&row)?;
        if !keep_tree {
            return Ok((Some(head), None));
        }
        let stored: Option<Vec<u8>> = row.try_get(3)?;
        let frontier = tree::frontier_of(head.position, stored.as_deref())?;
        Ok((Some(head), Some(frontier)))
    }

    fn head_from(row: &Self::Row) -> StoreResult<LogHead> {
        let position = decode::non_negative(0, "log_head.position", row.try_get(0)?)?;
        let hash = decode::hash_column(position, "log_head.hash", row.try_get(1)?)?;
        let recorded_at = Self::time(position, row.try_get(2)?)?;
        Ok(LogHead {
            position,
            hash,
            recorded_at,
        })
    }

    /// Inserts nodes of the tree, many rows a statement.
    async fn insert_nodes(
        conn: &mut Self::Connection,
        nodes: &[(NodeId, tlog::Hash)],
    ) -> Result<(), sqlx::Error> {
        for chunk in nodes.chunks(tree::NODES_PER_INSERT) {
            let sql = tree::insert_nodes_sql(chunk.len());
            let mut query = sqlx::query(&sql);
            for (id, hash) in chunk {
                let (position, level) = tree::node_key(id);
                query = query.bind(position).bind(level).bind(&hash[..]);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// The nodes `ids`, in one query: the stored ones read, the lower ones hashed from the
    /// events' hashes under them. A node that is not there is left out.
    async fn read_nodes(
        conn: &mut Self::Connection,
        ids: &[NodeId],
    ) -> StoreResult<BTreeMap<NodeId, tlog::Hash>> {
        let stored: Vec<&NodeId> = ids.iter().filter(|id| tree::is_stored(id)).collect();
        let derived = tree::derived_ranges(ids);
        let mut found = BTreeMap::new();
        if ids.is_empty() {
            return Ok(found);
        }
        let positions = tree::derived_positions(&derived);
        let sql = tree::select_nodes_sql(stored.len(), positions.len());
        let mut query = sqlx::query(&sql);
        for id in &stored {
            let (position, level) = tree::node_key(id);
            query = query.bind(position).bind(level);
        }
        for position in positions {
            query = query.bind(position as i64);
        }
        let mut leaves = BTreeMap::new();
        for row in query.fetch_all(&mut *conn).await? {
            match tree::node_from(row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)? {
                tree::NodeRow::Node(id, hash) => {
                    found.insert(id, hash);
                }
                tree::NodeRow::Event(position, hash) => {
                    leaves.insert(position, tlog::leaf_hash(&hash));
                }
            }
        }
        for range in &derived {
            found.insert(range.0, tree::derived_hash(range, &leaves)?);
        }
        Ok(found)
    }

    /// The nodes `ids` of the tree of the first `size` leaves, refused when the log is
    /// shorter than `size`.
    async fn nodes_within(
        conn: &mut Self::Connection,
        size: u64,
        ids: &[NodeId],
    ) -> StoreResult<BTreeMap<NodeId, tlog::Hash>> {
        let logged = Self::read_head(&mut *conn).await?.map_or(0, |h| h.position);
        if size > logged {
            return Err(tlog::ProofError::IndexOutOfRange {
                index: size - 1,
                size: logged,
            }
            .into());
        }
        Self::read_nodes(&mut *conn, ids).await
    }

    /// The root of the tree of the first `size` events.
    async fn tree_root(conn: &mut Self::Connection, size: u64) -> StoreResult<tlog::Hash> {
        let nodes = Self::nodes_within(&mut *conn, size, &tlog::root_nodes(size)).await?;
        Ok(tlog::root_at(size, &nodes)?)
    }

    /// The inclusion proof of the event at `position` in the tree of the first `size`.
    async fn inclusion_proof(
        conn: &mut Self::Connection,
        position: u64,
        size: u64,
    ) -> StoreResult<Vec<tlog::Hash>> {
        let index = tree::leaf_index(position, size)?;
        let ids = tlog::inclusion_proof_nodes(index, size)?;
        let nodes = Self::nodes_within(&mut *conn, size, &ids).await?;
        Ok(tlog::inclusion_proof(index, size, &nodes)?)
    }

    /// The proof that the tree of the first `new_size` events extends that of `old_size`.
    async fn consistency_proof(
        conn: &mut Self::Connection,
        old_size: u64,
        new_size: u64,
    ) -> StoreResult<Vec<tlog::Hash>> {
        let ids = tlog::consistency_proof_nodes(old_size, new_size)?;
        let nodes = Self::nodes_within(&mut *conn, new_size, &ids).await?;
        Ok(tlog::consistency_proof(old_size, new_size, &nodes)?)
    }

    /// Builds the tree of a log whose events were appended before the tree was kept (its
    /// head has no frontier), in the transaction `conn` is in, which holds the append lock:
    /// the stored hashes read a page at a time, the nodes written as an append writes them.
    /// A log that has its frontier (or no head) is left as it is.
    async fn build_tree(conn: &mut Self::Connection) -> StoreResult<()> {
        let row: Option<(i64, Option<Vec<u8>>)> =
            sqlx::query_as("SELECT position, frontier FROM log_head WHERE id = 1")
                .fetch_optional(&mut *conn)
                .await?;
        let Some((head, None)) = row else {
            return Ok(());
        };
        let head = decode::non_negative(0, "log_head.position", head)?;
        sqlx::query("DELETE FROM tree_nodes")
            .execute(&mut *conn)
            .await?;
        let mut frontier = Frontier::new();
        while frontier.size() < head {
            let hashes: Vec<(i64, Vec<u8>)> = sqlx::query_as(
                "SELECT position, hash FROM events WHERE position > $1 AND position <= $2 \
                 ORDER BY position LIMIT $3",
            )
            .bind(frontier.size() as i64)
            .bind(head as i64)
            .bind(tree::EVENTS_PER_BUILD_PAGE)
            .fetch_all(&mut *conn)
            .await?;
            let read = hashes.len();
            let mut nodes = Vec::with_capacity(read / 8 + 64);
            for (position, hash) in hashes {
                let expected = frontier.size() + 1;
                if position != expected as i64 {
                    return Err(StoreError::LogGap {
                        expected,
                        found: position.max(0) as u64,
                    });
                }
                let hash = decode::hash_column(expected, "events.hash", hash)?;
                let made = frontier.push(tlog::leaf_hash(&hash));
                nodes.extend(made.into_iter().filter(|(id, _)| tree::is_stored(id)));
            }
            if read == 0 {
                return Err(StoreError::LogGap {
                    expected: frontier.size() + 1,
                    found: head + 1,
                });
            }
            Self::insert_nodes(&mut *conn, &nodes).await?;
        }
        sqlx::query("UPDATE log_head SET frontier = $1 WHERE id = 1")
            .bind(&frontier.to_bytes()[..])
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// `recorded_at` from the given column of a row of the log.
    fn recorded_at(row: &Self::Row, column: usize, position: u64) -> StoreResult<DateTime<Utc>> {
        let stored = row
            .try_get(column)
            .map_err(decode::unreadable_column(position))?;
        Self::time(position, stored)
    }

    /// The streams holding an event of `event_type` whose payload's `field` is `value`.
    async fn streams_where<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        event_type: &str,
        field: &str,
        value: &str,
    ) -> StoreResult<Vec<StreamId>> {
        // Both names are written into the statement, as the index's expression and predicate
        // are, so that PostgreSQL's generic plans use the partial index too; plain names only.
        let plain =
            |name: &str, allowed: fn(char) -> bool| !name.is_empty() && name.chars().all(allowed);
        if !plain(field, |c| c.is_ascii_lowercase() || c == '_') {
            return Err(StoreError::InvalidLookup {
                field: field.to_string(),
            });
        }
        if !plain(event_type, |c| c.is_ascii_alphabetic()) {
            return Err(StoreError::InvalidLookup {
                field: event_type.to_string(),
            });
        }
        let streams: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT stream FROM events WHERE event_type = '{event_type}' \
             AND {} = $1 ORDER BY stream",
            Self::payload_field(field)
        ))
        .bind(value)
        .fetch_all(executor)
        .await?;
        streams
            .iter()
            .map(String::as_str)
            .map(StreamId::parse)
            .collect()
    }

    /// Events of one stream with version ≥ `from_version`, in order.
    async fn read_stream<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        stream: &StreamId,
        from_version: u64,
        limit: usize,
    ) -> StoreResult<Vec<RecordedEvent>> {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE stream = $1 AND version >= $2 \
             ORDER BY version LIMIT $3"
        ))
        .bind(stream.as_str())
        .bind(from_version as i64)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(executor)
        .await?;
        rows.iter()
            .map(|row| decode::decode_event(row, Self::recorded_at))
            .collect()
    }

    /// Whole envelopes of the log from `from_position` on, in order.
    async fn read_all<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<RecordedEvent>> {
        let rows = read_log(executor, EVENT_COLUMNS, from_position, limit).await?;
        rows.iter()
            .map(|row| decode::decode_event(row, Self::recorded_at))
            .collect()
    }

    /// What read models need of the log from `from_position` on, in order.
    async fn read_contents<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        from_position: u64,
        limit: usize,
    ) -> StoreResult<Vec<EventContent>> {
        let rows = read_log(executor, CONTENT_COLUMNS, from_position, limit).await?;
        rows.iter()
            .map(|row| decode::decode_content(row, Self::recorded_at))
            .collect()
    }

    /// `person`'s key, or the tombstone of a shredded one.
    async fn key_slot<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        person: &str,
    ) -> StoreResult<Option<KeySlot>> {
        let row: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT key FROM person_keys WHERE person_id = $1")
                .bind(person)
                .fetch_optional(executor)
                .await?;
        row.map(|(key,)| match key {
            Some(bytes) => vault::key_from_bytes(person, &bytes).map(KeySlot::Key),
            None => Ok(KeySlot::Shredded),
        })
        .transpose()
    }

    /// Keeps a signed checkpoint; returns it as kept.
    async fn keep_signed_checkpoint<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        tree_size: u64,
        root: Hash,
        note: &str,
        verifier_key: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<SignedCheckpoint> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO signed_checkpoints (tree_size, root, note, verifier_key, signed_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(tree_size as i64)
        .bind(root.as_slice())
        .bind(note)
        .bind(verifier_key)
        .bind(Self::moment(now))
        .fetch_one(executor)
        .await?;
        Ok(SignedCheckpoint {
            id: id as u64,
            tree_size,
            root,
            note: note.to_string(),
            verifier_key: verifier_key.to_string(),
            // as stored: to the microsecond on both backends
            signed_at: DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now),
        })
    }

    /// Keeps a version's text under its hash, once.
    async fn keep_text<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        hash: &Hash,
        text: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO document_texts (content_hash, text, kept_at) VALUES ($1, $2, $3) \
             ON CONFLICT (content_hash) DO NOTHING",
        )
        .bind(hash.as_slice())
        .bind(text)
        .bind(Self::moment(now))
        .execute(executor)
        .await?;
        Ok(())
    }

    /// The text kept under `hash`.
    async fn text<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        hash: &Hash,
    ) -> StoreResult<Option<String>> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT text FROM document_texts WHERE content_hash = $1")
                .bind(hash.as_slice())
                .fetch_optional(executor)
                .await?;
        text.map(|text| crate::document_texts::check_kept(hash, text))
            .transpose()
    }

    /// Every kept signed checkpoint, oldest first.
    async fn signed_checkpoints<'e, E: Executor<'e, Database = Self>>(
        executor: E,
    ) -> StoreResult<Vec<SignedCheckpoint>> {
        let rows = sqlx::query(
            "SELECT id, tree_size, root, note, verifier_key, signed_at FROM signed_checkpoints \
             ORDER BY id",
        )
        .fetch_all(executor)
        .await?;
        rows.into_iter()
            .map(|row| {
                let id: i64 = row.try_get(0)?;
                let tree_size: i64 = row.try_get(1)?;
                let root: Vec<u8> = row.try_get(2)?;
                let note: String = row.try_get(3)?;
                let verifier_key: String = row.try_get(4)?;
                let signed_at: Self::Moment = row.try_get(5)?;
                let root: Hash = root.try_into().map_err(|_| StoreError::CorruptRow {
                    position: tree_size as u64,
                    reason: format!("корень контрольной точки {id} не 32 байта"),
                })?;
                Ok(SignedCheckpoint {
                    id: id as u64,
                    tree_size: tree_size as u64,
                    root,
                    note,
                    verifier_key,
                    signed_at: Self::time(tree_size as u64, signed_at)?,
                })
            })
            .collect()
    }

    /// The last position consumer `name` has fully handled (0 when it never ran).
    async fn checkpoint(conn: &mut Self::Connection, name: &str) -> StoreResult<u64> {
        let position: Option<i64> =
            sqlx::query_scalar("SELECT position FROM checkpoints WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut *conn)
                .await?;
        Ok(position.unwrap_or(0).max(0) as u64)
    }

    /// Moves checkpoint `name` to `position` unless it is further already.
    async fn advance_checkpoint<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        name: &str,
        position: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET position = CASE \
             WHEN excluded.position > checkpoints.position THEN excluded.position \
             ELSE checkpoints.position END, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(position as i64)
        .bind(Self::moment(now))
        .execute(executor)
        .await?;
        Ok(())
    }

    /// Sets checkpoint `name` to `position`, also backwards (a rebuild starts at 0).
    async fn set_checkpoint(
        conn: &mut Self::Connection,
        name: &str,
        position: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO checkpoints (name, position, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET position = excluded.position, \
             updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(position as i64)
        .bind(Self::moment(now))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Writes `changes` and moves checkpoint `name` from `expected` to `checkpoint` in the
    /// transaction `conn` is in, which holds the backend's read-model lock.
    async fn commit_changes(
        conn: &mut Self::Connection,
        name: &str,
        expected: u64,
        checkpoint: u64,
        changes: &FactChanges,
        retiring: Retiring,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let actual = Self::checkpoint(&mut *conn, name).await?;
        if actual != expected {
            return Err(StoreError::ReadModelMoved {
                name: name.into(),
                expected,
                actual,
            });
        }
        match retiring {
            Retiring::Now => Self::retire_facts(&mut *conn, &changes.retired).await?,
            Retiring::Later => Self::keep_retirements(&mut *conn, &changes.retired).await?,
        }
        Self::insert_facts(&mut *conn, &changes.inserted).await?;
        Self::set_checkpoint(&mut *conn, name, checkpoint, now).await
    }

    /// Empties the facts, drops their secondary indexes and sets checkpoint `name` to 0, in
    /// the transaction `conn` is in.
    async fn clear_facts_in(
        conn: &mut Self::Connection,
        name: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        Self::empty_facts(&mut *conn).await?;
        for (index, _) in Self::FACT_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {index}"))
                .execute(&mut *conn)
                .await?;
        }
        Self::set_checkpoint(&mut *conn, name, 0, now).await
    }

    /// Creates the facts' secondary indexes that are missing.
    async fn create_fact_indexes(conn: &mut Self::Connection) -> StoreResult<()> {
        for (index, columns) in Self::FACT_INDEXES {
            sqlx::query(&format!(
                "CREATE INDEX IF NOT EXISTS {index} ON read_model_facts {columns}"
            ))
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// The rows that are what is known now, in id order.
    async fn current_facts<'e, E: Executor<'e, Database = Self>>(
        executor: E,
    ) -> StoreResult<Vec<FactRow>> {
        let rows: Vec<FactColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts WHERE recorded_to = $1 ORDER BY id",
            facts::FACT_COLUMNS
        ))
        .bind(facts::OPEN_MICROS)
        .fetch_all(executor)
        .await?;
        facts_from(rows)
    }

    /// The current rows of `kind` that `of` picks, in id order: through the index by key or
    /// by scope, whose last columns hold `recorded_to`, so the rows no longer known are
    /// passed over inside the index.
    async fn current_facts_of<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        kind: &str,
        of: CurrentOf<'_>,
    ) -> StoreResult<Vec<FactRow>> {
        let (condition, value) = match of {
            CurrentOf::Key(key) => (" AND fact_key = $3", Some(key)),
            CurrentOf::Scope(scope) => (" AND scope = $3", Some(scope)),
            CurrentOf::Kind => ("", None),
        };
        let text = format!(
            "SELECT {} FROM read_model_facts WHERE kind = $1 AND recorded_to = $2{condition} \
             ORDER BY id",
            facts::FACT_COLUMNS
        );
        let mut query = sqlx::query_as::<_, FactColumns>(&text)
            .bind(kind)
            .bind(facts::OPEN_MICROS);
        if let Some(value) = value {
            query = query.bind(value);
        }
        facts_from(query.fetch_all(executor).await?)
    }

    /// The largest row id written (0 before the first row).
    async fn last_fact_id<'e, E: Executor<'e, Database = Self>>(executor: E) -> StoreResult<u64> {
        let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM read_model_facts")
            .fetch_one(executor)
            .await?;
        Ok(last as u64)
    }

    /// Every row, in id order.
    async fn all_facts<'e, E: Executor<'e, Database = Self>>(
        executor: E,
    ) -> StoreResult<Vec<FactRow>> {
        let rows: Vec<FactColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts ORDER BY id",
            facts::FACT_COLUMNS
        ))
        .fetch_all(executor)
        .await?;
        facts_from(rows)
    }

    /// The statement of [`Dialect::facts_at`], in no order, and the kinds to bind after
    /// [`facts::bind_held_on`]'s parameters, in their order. As known now, the kinds of
    /// [`facts::CURRENT_BODIES_KINDS`] are read with their bodies from the index of current
    /// bodies where the backend keeps one; the other kinds, and every kind as known at a past moment, through the
    /// indexes by kind.
    fn held_statement<'k>(kinds: &[&'k str], at: TimePoint) -> (String, Vec<&'k str>) {
        let (covered, others): (Vec<&str>, Vec<&str>) = kinds.iter().partition(|kind| {
            Self::indexes_current_bodies()
                && at.known_at.is_none()
                && facts::CURRENT_BODIES_KINDS.contains(kind)
        });
        let kind_filter = |first: usize, count: usize| {
            let list = (first..first + count)
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            format!("kind IN ({list})")
        };
        let mut branches = Vec::new();
        if !others.is_empty() {
            let filter = kind_filter(6, others.len());
            branches.push(facts::held_on(facts::HELD_COLUMNS, &filter));
        }
        if !covered.is_empty() {
            let filter = kind_filter(6 + others.len(), covered.len());
            branches.push(facts::current_bodies_on(facts::HELD_COLUMNS, &filter));
        }
        (branches.join(" UNION ALL "), [others, covered].concat())
    }

    /// The rows of `kinds` that hold at `at`, in id order.
    async fn facts_at<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        kinds: &[&str],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        if kinds.is_empty() {
            return Ok(Vec::new());
        }
        let (sql, kinds) = Self::held_statement(kinds, at);
        let mut query = facts::bind_held_on(sqlx::query_as(&sql), at);
        for kind in kinds {
            query = query.bind(kind);
        }
        let mut rows: Vec<HeldColumns> = query.fetch_all(executor).await?;
        // In id order, sorted here rather than by the database, which would copy every body
        // into its sorter and out again (ids are unique: the order is total).
        rows.sort_unstable_by_key(|(id, ..)| *id);
        held_from(rows)
    }

    /// The rows of `kind` that hold at `at` and began on or after `since`, in id order.
    async fn facts_since<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        kind: &str,
        since: NaiveDate,
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>> {
        let rows: Vec<HeldColumns> = sqlx::query_as(&format!(
            "SELECT {} FROM read_model_facts WHERE kind = $1 AND span_class IN ({}) \
             AND valid_from >= $2 AND valid_from <= $3 \
             AND valid_to > $3 AND recorded_from <= $4 AND recorded_to > $4 ORDER BY id",
            facts::HELD_COLUMNS,
            facts::EVERY_SPAN_CLASS
        ))
        .bind(kind)
        .bind(facts::day_number(since))
        .bind(facts::day_number(at.as_of))
        .bind(facts::known_micros(at))
        .fetch_all(executor)
        .await?;
        held_from(rows)
    }

    /// How many rows of `kind` hold at `at`, per scope, through the index by kind (PostgreSQL
    /// aggregates them by hash; SQLite counts from its index by scope instead).
    async fn count_facts_at<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        kind: &str,
        at: TimePoint,
    ) -> StoreResult<Vec<(String, u64)>> {
        let sql = facts::count_held_on("kind = $6");
        let rows = facts::bind_held_on(sqlx::query_as(&sql), at)
            .bind(kind)
            .fetch_all(executor)
            .await?;
        Ok(facts::counts_from(rows))
    }
}

/// The rows of the log from `from_position` on, in order, as `columns`.
async fn read_log<'e, DB, E>(
    executor: E,
    columns: &str,
    from_position: u64,
    limit: usize,
) -> StoreResult<Vec<DB::Row>>
where
    DB: Database,
    E: Executor<'e, Database = DB>,
    for<'q> DB::Arguments<'q>: IntoArguments<'q, DB>,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
{
    Ok(sqlx::query(&format!(
        "SELECT {columns} FROM events WHERE position >= $1 ORDER BY position LIMIT $2"
    ))
    .bind(from_position as i64)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(executor)
    .await?)
}

/// Held rows from their columns, naming a row that does not decode.
pub(crate) fn held_from(rows: Vec<HeldColumns>) -> StoreResult<Vec<HeldFact>> {
    rows.into_iter()
        .map(|(id, kind, valid_from, body)| facts::held_from_columns(id, kind, valid_from, body))
        .collect()
}

/// Stored read-model rows as facts, naming a row that does not decode.
pub(crate) fn facts_from(rows: Vec<FactColumns>) -> StoreResult<Vec<FactRow>> {
    rows.into_iter()
        .map(|(id, kind, key, scope, vf, vt, rf, rt, position, body)| {
            facts::fact_from_columns(id, kind, key, scope, vf, vt, rf, rt, position, body)
        })
        .collect()
}
