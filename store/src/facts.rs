//! Storage for the read models: rows of facts with their validity on both time axes
//! (DESIGN.md §7), written together with the projection's checkpoint in one transaction.
//! The store knows nothing of what a fact means: a kind, a key, a scope and a JSON body.

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::error::{StoreError, StoreResult};

/// The stored value of an open valid-time end.
pub(crate) const OPEN_DAY: i32 = i32::MAX;
/// The stored value of an open transaction-time end.
pub(crate) const OPEN_MICROS: i64 = i64::MAX;

/// One version of one fact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactRow {
    /// Assigned by the projector in the order it wrote rows, so a rebuild and an
    /// incremental catch-up write the same ids.
    pub id: u64,
    pub kind: String,
    pub key: String,
    /// What the fact belongs to (an association's id), or empty.
    pub scope: String,
    /// Valid time: from this day (inclusive) to `valid_to` (exclusive, None = open).
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Transaction time: known from this moment (inclusive) until `recorded_to` (exclusive,
    /// None = still what is known).
    pub recorded_from: DateTime<Utc>,
    pub recorded_to: Option<DateTime<Utc>>,
    /// The position of the event that wrote this version.
    pub position: u64,
    /// The fact, JSON.
    pub body: String,
}

/// A version of a fact as a question reads it: which row, its kind, the day it holds from,
/// and the fact. The other columns of a [`FactRow`] (its key, scope, the ends of both
/// intervals, the event) choose the rows and serve the projector, not the answer; a row read
/// without them is copied and freed as four values, not ten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldFact {
    pub id: u64,
    pub kind: String,
    /// Valid time: the day this version holds from.
    pub valid_from: NaiveDate,
    /// The fact, JSON.
    pub body: String,
}

impl FactRow {
    /// The row as a question reads it.
    pub fn held(&self) -> HeldFact {
        HeldFact {
            id: self.id,
            kind: self.kind.clone(),
            valid_from: self.valid_from,
            body: self.body.clone(),
        }
    }
}

/// Which current rows of a kind [`ReadModelStore::current_facts_of`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurrentOf<'a> {
    /// The rows of one fact.
    Key(&'a str),
    /// The rows of every fact in one scope.
    Scope(&'a str),
    /// Every row of the kind.
    Kind,
}

/// A point on both axes: what was true on `as_of`, as known at `known_at` (None = now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimePoint {
    pub as_of: NaiveDate,
    pub known_at: Option<DateTime<Utc>>,
}

/// What one pass of a projection writes: new rows, and rows whose transaction time ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactChanges {
    pub inserted: Vec<FactRow>,
    /// (row id, the moment it stopped being what is known).
    pub retired: Vec<(u64, DateTime<Utc>)>,
}

/// When the retirements of a commit ([`ReadModelStore::commit_facts`]) close their rows.
///
/// Whatever a commit chooses, its checkpoint means the same: the rows, with the retirements
/// waiting applied, are the read models up to it. Every reader of the rows that goes on from
/// a checkpoint settles first ([`ReadModelStore::settle_facts`]); a projection from the first
/// event ends with a commit that retires now, so a checkpoint at the end of its log never
/// leaves a retirement waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retiring {
    /// In the commit: its own retirements and every one waiting.
    Now,
    /// May be kept waiting in the store, to be applied at once, in id order, by a later
    /// commit that retires now or by `settle_facts`. A projection from the first event
    /// retires so. SQLite keeps them (`read_model_retirements`): a retirement of a row an
    /// earlier batch wrote, applied at once, dirtied a page of its own, through the WAL and
    /// then into the file. PostgreSQL applies them at once: its update writes a new version
    /// of the row wherever there is room, and gains nothing from waiting.
    Later,
}

/// The read models' table, kept by the projections.
#[async_trait]
pub trait ReadModelStore: Send + Sync {
    /// Writes `changes` and moves checkpoint `name` from `expected` to `checkpoint`, in one
    /// transaction; if the checkpoint is not at `expected` (another process projected the
    /// same events), writes nothing and says so. `retiring` says when the retirements close
    /// their rows.
    async fn commit_facts(
        &self,
        name: &str,
        expected: u64,
        checkpoint: u64,
        changes: &FactChanges,
        retiring: Retiring,
    ) -> StoreResult<()>;

    /// Applies the retirements waiting ([`Retiring::Later`]), in one transaction that leaves
    /// the checkpoints as they are; a read alone when none waits. A projection that goes on
    /// from the rows there settles first: a rebuild interrupted may have left some.
    async fn settle_facts(&self) -> StoreResult<()>;

    /// Empties the facts for a projection from the first event: deletes every row and every
    /// retirement waiting, drops
    /// the secondary indexes and sets checkpoint `name` to 0, in one transaction. A bulk
    /// load into a table without its indexes, then the indexes built from sorted rows
    /// (`ensure_fact_indexes`), is far cheaper than keeping them up row by row.
    async fn clear_facts(&self, name: &str) -> StoreResult<()>;

    /// Creates the secondary indexes of the facts where they are missing (a no-op when they
    /// are there): after a projection from the first event, and after a rebuild that was
    /// interrupted.
    async fn ensure_fact_indexes(&self) -> StoreResult<()>;

    /// The rows that are what is known now (transaction time open), in id order.
    async fn current_facts(&self) -> StoreResult<Vec<FactRow>>;

    /// The current rows (transaction time open) of `kind` that `of` picks, in id order: what
    /// a projector that does not hold every fact reads when an event needs one.
    async fn current_facts_of(&self, kind: &str, of: CurrentOf<'_>) -> StoreResult<Vec<FactRow>>;

    /// The largest row id written (0 before the first row): a projection that continues
    /// numbers its rows from the next one, also when its last change retired the newest row
    /// without writing another.
    async fn last_fact_id(&self) -> StoreResult<u64>;

    /// Every row, in id order.
    async fn all_facts(&self) -> StoreResult<Vec<FactRow>>;

    /// The rows of `kinds` that hold at `at`, in id order.
    async fn facts_at(&self, kinds: &[&str], at: TimePoint) -> StoreResult<Vec<HeldFact>>;

    /// The rows of `kind` that hold at `at` and began on or after `since`, in id order: the
    /// facts of one school year without scanning the years before it.
    async fn facts_since(
        &self,
        kind: &str,
        since: NaiveDate,
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>>;

    /// The rows of `kind` about `keys` that hold at `at`, in id order.
    async fn facts_for_keys(
        &self,
        kind: &str,
        keys: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>>;

    /// The rows of `kind` whose scope is one of `scopes` and that hold at `at`: what one
    /// association, person or office is concerned with, without the rest of the kind.
    async fn facts_in_scopes(
        &self,
        kind: &str,
        scopes: &[String],
        at: TimePoint,
    ) -> StoreResult<Vec<HeldFact>>;

    /// How many rows of `kind` hold at `at`, per scope.
    async fn count_facts_at(&self, kind: &str, at: TimePoint) -> StoreResult<Vec<(String, u64)>>;
}

pub(crate) fn day_number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

pub(crate) fn open_day(date: Option<NaiveDate>) -> i32 {
    date.map_or(OPEN_DAY, day_number)
}

pub(crate) fn open_micros(moment: Option<DateTime<Utc>>) -> i64 {
    moment.map_or(OPEN_MICROS, |m| m.timestamp_micros())
}

pub(crate) fn known_micros(at: TimePoint) -> i64 {
    at.known_at
        .map_or(OPEN_MICROS - 1, |moment| moment.timestamp_micros())
}

/// The error of a stored row `id` that does not decode.
fn corrupt_row(id: i64, reason: String) -> StoreError {
    StoreError::Database {
        reason: format!("строка модели чтения {id} повреждена: {reason}"),
    }
}

/// A stored day (days from 0001-01-01) of row `id`.
fn stored_day(id: i64, n: i32) -> StoreResult<NaiveDate> {
    NaiveDate::from_num_days_from_ce_opt(n).ok_or_else(|| corrupt_row(id, format!("дата {n}")))
}

/// Reads a row's stored columns back, naming what does not decode.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fact_from_columns(
    id: i64,
    kind: String,
    key: String,
    scope: String,
    valid_from: i32,
    valid_to: i32,
    recorded_from: i64,
    recorded_to: i64,
    position: i64,
    body: String,
) -> StoreResult<FactRow> {
    let day = |n: i32| stored_day(id, n);
    let moment = |n: i64| {
        DateTime::<Utc>::from_timestamp_micros(n)
            .ok_or_else(|| corrupt_row(id, format!("момент {n}")))
    };
    Ok(FactRow {
        id: id as u64,
        kind,
        key,
        scope,
        valid_from: day(valid_from)?,
        valid_to: if valid_to == OPEN_DAY {
            None
        } else {
            Some(day(valid_to)?)
        },
        recorded_from: moment(recorded_from)?,
        recorded_to: if recorded_to == OPEN_MICROS {
            None
        } else {
            Some(moment(recorded_to)?)
        },
        position: position as u64,
        body,
    })
}

pub(crate) const FACT_COLUMNS: &str = "id, kind, fact_key, scope, valid_from, valid_to, \
     recorded_from, recorded_to, position, body";

/// The columns of a [`HeldFact`].
pub(crate) const HELD_COLUMNS: &str = "id, kind, valid_from, body";

/// Reads a held row's columns back, naming what does not decode.
pub(crate) fn held_from_columns(
    id: i64,
    kind: String,
    valid_from: i32,
    body: String,
) -> StoreResult<HeldFact> {
    Ok(HeldFact {
        id: id as u64,
        kind,
        valid_from: stored_day(id, valid_from)?,
        body,
    })
}

/// The index of a fact's versions, by kind and key.
pub(crate) const FACTS_BY_KEY: &str = "read_model_facts_by_key";
/// The index of a kind's rows by scope, those still holding first found by their end.
pub(crate) const FACTS_BY_SCOPE: &str = "read_model_facts_by_scope";
/// The index of "as of D, known at T", by kind and span class.
pub(crate) const FACTS_BY_KIND: &str = "read_model_facts_by_kind";
/// The index of "as of D, known at T" for the long or open rows (span class 3), by kind and
/// recorded class.
pub(crate) const FACTS_LONG_BY_RECORDING: &str = "read_model_facts_long_by_recording";

/// The index of the current rows of [`CURRENT_BODIES_KINDS`] with their bodies (SQLite only).
pub(crate) const FACTS_CURRENT_BODIES: &str = "read_model_facts_current_bodies";

/// The kinds whose current rows [`FACTS_CURRENT_BODIES`] holds: the documents and the
/// meetings, which the answers about a whole municipality read by the tens of thousands, and
/// the documentation kept per association and school year, which the keeping of
/// documentation reads whole (about 12,000 rows in a region).
pub(crate) const CURRENT_BODIES_KINDS: [&str; 3] = ["document", "kept_documentation", "meeting"];

/// The condition of [`FACTS_CURRENT_BODIES`], as its definition and the queries through it
/// spell it.
pub(crate) fn current_bodies_condition() -> String {
    current_rows_of(&CURRENT_BODIES_KINDS)
}

/// The index of the rows of [`BODIES_IN_SCOPE_KINDS`] by scope, with both validity intervals
/// and their bodies (SQLite only).
pub(crate) const FACTS_BODIES_IN_SCOPE: &str = "read_model_facts_bodies_in_scope";

/// The kinds whose rows [`FACTS_BODIES_IN_SCOPE`] holds: what an association's page reads
/// under the association's id (its memberships, meetings and documents), and what a person's
/// inbox reads under theirs (their roles, deputyships and offices) and under whom the
/// documents on their way wait on (the open documents).
pub(crate) const BODIES_IN_SCOPE_KINDS: [&str; 7] = [
    "deputy",
    "document",
    "meeting",
    "membership",
    "official",
    "open_document",
    "role",
];

/// The condition of [`FACTS_BODIES_IN_SCOPE`], as its definition and the queries through it
/// spell it.
pub(crate) fn bodies_in_scope_condition() -> String {
    format!("kind IN ({})", quoted(&BODIES_IN_SCOPE_KINDS))
}

/// `kinds` as a list of SQL strings.
fn quoted(kinds: &[&str]) -> String {
    kinds
        .iter()
        .map(|kind| format!("'{kind}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The condition of a partial index of the current rows of `kinds`.
fn current_rows_of(kinds: &[&str]) -> String {
    format!(
        "kind IN ({}) AND recorded_to = {OPEN_MICROS}",
        quoted(kinds)
    )
}

/// The secondary indexes of `read_model_facts` both backends keep (created first by the
/// migrations; dropped for a bulk load by `clear_facts`, built again by `ensure_fact_indexes`).
/// By key: a fact's versions, with both validity intervals so that those
/// that do not hold are skipped inside the index. By kind: "as of D, known at T" — the span class
/// (see [`SPAN_LIMITS`]), both validity intervals and the scope in the index, so a search
/// reads only the rows that could hold on D and skips inside the index those that do not.
/// Long by recording: "as of D, known at T" for the rows of span class 3 — the recorded
/// class (see [`RECORDED_LIMITS`]) and the recording moment lead, so a search reads only the
/// rows that could be believed at T, not every version that began by D.
/// By scope: the rows of one scope (`facts_in_scopes`), ending after D, with the other
/// bounds in the index so the rows that do not hold are skipped there; it also counts the
/// rows held per scope (`count_facts_at`) in scope order, from the index alone.
pub(crate) const FACT_INDEXES: &[(&str, &str)] = &[
    BY_KEY_INDEX,
    BY_KIND_INDEX,
    LONG_BY_RECORDING_INDEX,
    BY_SCOPE_INDEX,
];

/// SQLite's indexes: [`FACT_INDEXES`], the current bodies of documents, meetings and the
/// documentation kept per association and year, and the bodies by scope of what a page and
/// an inbox read.
///
/// SQLite reads a row's body from the table, one b-tree descent per row, and the rows of a
/// kind lie scattered over the file in the order they were written: to read the 73,958
/// documents and protocols a region keeps took 240–310 ms, against 31–40 ms from an index
/// that holds their bodies (measured with the `sqlite3` shell on the region's file). This
/// index holds them for the current rows only (a rebuild writes the superseded rows already
/// closed, and closing a row takes it out), so it costs 59 MB of a region's 3.1 GB file and
/// serves "as known now" (migration 0018 added the kept documentation, which the keeping of
/// documentation now reads instead). Its columns name no generated column: SQLite never reads an index
/// as covering a query that names one (`span_class`, `recorded_class`), even a stored one.
/// PostgreSQL keeps no such index: a key of its b-tree may not pass 2,704 bytes, and a
/// document's title has no limit.
///
/// And the rows with their bodies, by scope, of the kinds an association's page and a
/// person's inbox read by scope: the page read its few hundred rows one descent each into a
/// 3.1 GB table, where the rows of one association lie scattered among a region's; in this
/// index they lie side by side, with both validity intervals, so a page as known at a past
/// moment reads them from it too.
pub(crate) const SQLITE_FACT_INDEXES: &[(&str, &str)] = &[
    BY_KEY_INDEX,
    BY_KIND_INDEX,
    LONG_BY_RECORDING_INDEX,
    BY_SCOPE_INDEX,
    (
        FACTS_CURRENT_BODIES,
        "(kind, valid_to, valid_from, body) \
         WHERE kind IN ('document', 'kept_documentation', 'meeting') \
         AND recorded_to = 9223372036854775807",
    ),
    (
        FACTS_BODIES_IN_SCOPE,
        "(kind, scope, valid_to, valid_from, recorded_from, recorded_to, body) \
         WHERE kind IN ('deputy', 'document', 'meeting', 'membership', 'official', \
         'open_document', 'role')",
    ),
];

const BY_KEY_INDEX: (&str, &str) = (
    FACTS_BY_KEY,
    "(kind, fact_key, valid_to, valid_from, recorded_from, recorded_to)",
);
const BY_KIND_INDEX: (&str, &str) = (
    FACTS_BY_KIND,
    "(kind, span_class, valid_from, valid_to, recorded_from, recorded_to, scope)",
);
const LONG_BY_RECORDING_INDEX: (&str, &str) = (
    FACTS_LONG_BY_RECORDING,
    "(kind, recorded_class, recorded_from, valid_from, valid_to, recorded_to, scope) \
     WHERE span_class = 3",
);
const BY_SCOPE_INDEX: (&str, &str) = (
    FACTS_BY_SCOPE,
    "(kind, scope, valid_to, valid_from, recorded_from, recorded_to)",
);

/// The longest valid-time span, in days, of each bounded span class: `span_class` (a column
/// computed by migration 0006 from `valid_to - valid_from`, with these same limits) is 0 for
/// rows that hold at most a month, 1 at most a school year, 2 at most ten years, and 3 for
/// longer or open rows. A row of class c that holds on day D began after D − limit(c), so the
/// rows valid on D are found by reading, per class, only those that began in that window
/// (for class 3: all that began by D). Without the classes, "valid on D" read every row
/// that began by D — ten school years of memberships to count one year's members.
/// The migration's limits are held to these by a test (`migration_ties`).
pub(crate) const SPAN_LIMITS: [i32; 3] = [31, 366, 3_660];

/// The longest recorded-time span, in microseconds, of each bounded recorded class:
/// `recorded_class` (a column computed by migration 0015 from `recorded_to - recorded_from`,
/// with these same limits) is 0 for rows believed at most 31 days before a later recording
/// superseded them, 1 at most 366 days, 2 at most 3,660 days, and 3 for longer or still
/// believed. It splits the long or open rows (span class 3), whose valid time says nothing
/// of when they were believed: a member count open to the future is recorded again at every
/// membership of its association, and each superseded version stays. A row of recorded class
/// c believed at T was recorded after T − limit(c). The migration's limits are held to these
/// by a test (`migration_ties`).
pub(crate) const RECORDED_LIMITS: [i64; 3] = [
    31 * MICROS_PER_DAY,
    366 * MICROS_PER_DAY,
    3_660 * MICROS_PER_DAY,
];

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// The span classes, for a condition that must name them all to use the index by kind.
pub(crate) const EVERY_SPAN_CLASS: &str = "0, 1, 2, 3";

/// Binds [`held_on`]'s `$1`–`$5` for `at`: the day number, the known-at microseconds and,
/// per bounded class, the day after which a row of that class must have begun to hold on
/// that day. The caller binds its kind filter's parameters (`$6` onwards) after these.
pub(crate) fn bind_held_on<'q, DB, O>(
    query: sqlx::query::QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>,
    at: TimePoint,
) -> sqlx::query::QueryAs<'q, DB, O, <DB as sqlx::Database>::Arguments<'q>>
where
    DB: sqlx::Database,
    i32: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let day = day_number(at.as_of);
    let [window_0, window_1, window_2] = SPAN_LIMITS.map(|limit| day - limit);
    query
        .bind(day)
        .bind(known_micros(at))
        .bind(window_0)
        .bind(window_1)
        .bind(window_2)
}

/// The rows of [`count_held_on`] as counts per scope.
pub(crate) fn counts_from(rows: Vec<(String, i64)>) -> Vec<(String, u64)> {
    rows.into_iter()
        .map(|(scope, n)| (scope, n.max(0) as u64))
        .collect()
}

/// SQL selecting `columns` of the rows that pass `kind_filter` and hold at a time point, as
/// one branch per bounded span class and, for the long or open rows (class 3), one per
/// recorded class, joined by UNION ALL. Parameters (the same on both backends: SQLite reads
/// `$N` as the N-th bound value): `$1` the day number, `$2` the known-at microseconds,
/// `$3`–`$5` the window starts (bound by [`bind_held_on`]); `kind_filter` may use `$6`
/// onwards.
pub(crate) fn held_on(columns: &str, kind_filter: &str) -> String {
    let bounded = (0..SPAN_LIMITS.len()).map(|class| {
        format!(
            "SELECT {columns} FROM read_model_facts WHERE {kind_filter} \
             AND span_class = {class} AND valid_from > ${} AND valid_from <= $1 \
             AND valid_to > $1 AND recorded_from <= $2 AND recorded_to > $2",
            class + 3
        )
    });
    let long = (0..=RECORDED_LIMITS.len()).map(|class| {
        let window = RECORDED_LIMITS
            .get(class)
            .map(|limit| format!(" AND recorded_from > $2 - {limit}"))
            .unwrap_or_default();
        format!(
            "SELECT {columns} FROM read_model_facts WHERE {kind_filter} \
             AND span_class = {long} AND recorded_class = {class}{window} \
             AND recorded_from <= $2 AND recorded_to > $2 AND valid_from <= $1 AND valid_to > $1",
            long = SPAN_LIMITS.len()
        )
    });
    bounded.chain(long).collect::<Vec<_>>().join(" UNION ALL ")
}

/// SQL selecting `columns` of the current rows that pass `kind_filter` (of
/// [`CURRENT_BODIES_KINDS`] only) and hold on day `$1`, as known now, from SQLite's index of
/// current bodies ([`SQLITE_FACT_INDEXES`]): the index's own condition is repeated word for
/// word, for SQLite uses a partial index only for a query whose condition names its terms.
/// The rows that end by `$1` are skipped in the index, and those that begin after it are
/// read from the index and passed over.
pub(crate) fn current_bodies_on(columns: &str, kind_filter: &str) -> String {
    format!(
        "SELECT {columns} FROM read_model_facts WHERE {} \
         AND {kind_filter} AND valid_to > $1 AND valid_from <= $1",
        current_bodies_condition()
    )
}

/// [`held_on`] for the counts per scope.
pub(crate) fn count_held_on(kind_filter: &str) -> String {
    format!(
        "SELECT scope, COUNT(*) FROM ({}) AS held GROUP BY scope ORDER BY scope",
        held_on("scope", kind_filter)
    )
}

/// Rows (or keys) per SQLite statement: at 10 parameters a row it stays under SQLite's limit of
/// 32,766. PostgreSQL copies its rows (`COPY`) and binds its key lists as one array.
pub(crate) const FACTS_PER_INSERT: usize = 3_000;
