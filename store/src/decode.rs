//! Reads stored rows back into envelopes, the same way for every backend, naming the
//! position of any row that does not decode (`corrupt_row`) instead of failing vaguely.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Decode, Row, Type};
use uuid::Uuid;

use crate::batch::PriorCommand;
use crate::envelope::{Actor, EventContent, Hash, RecordedEvent, StreamId};
use crate::error::{StoreError, StoreResult};

/// The columns every backend selects, in this order.
pub(crate) const EVENT_COLUMNS: &str = "position, stream, version, event_type, schema_version, \
     payload, recorded_at, effective, actor_id, actor_role, basis, command_id, correlation_id, \
     causation_id, prev_hash, hash";

/// The columns of `EventContent`, in this order.
pub(crate) const CONTENT_COLUMNS: &str =
    "position, event_type, schema_version, payload, effective, recorded_at";

/// The error for a column of the row at `position` that does not read as its type.
pub(crate) fn unreadable_column(position: u64) -> impl Fn(sqlx::Error) -> StoreError + Copy {
    move |e| StoreError::CorruptRow {
        position,
        reason: e.to_string(),
    }
}

/// Reads `recorded_at` from the given column of a row, whose type differs by backend
/// (microseconds on SQLite, `timestamptz` on PostgreSQL); the position names a bad value.
pub(crate) type RecordedAtColumn<R> = fn(&R, usize, u64) -> StoreResult<DateTime<Utc>>;

/// One row of `EVENT_COLUMNS` as an event.
pub(crate) fn decode_event<R>(
    row: &R,
    recorded_at: RecordedAtColumn<R>,
) -> StoreResult<RecordedEvent>
where
    R: Row,
    usize: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> NaiveDate: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Uuid: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Vec<u8>: Decode<'r, R::Database> + Type<R::Database>,
{
    let position = row_position(row)?;
    let corrupt = unreadable_column(position);
    let payload: String = row.try_get(5).map_err(corrupt)?;
    check_payload(position, &payload)?;
    Ok(RecordedEvent {
        position,
        stream: parse_stream(position, row.try_get(1).map_err(corrupt)?)?,
        version: non_negative(position, "version", row.try_get(2).map_err(corrupt)?)?,
        event_type: row.try_get(3).map_err(corrupt)?,
        schema: schema_version(position, row.try_get(4).map_err(corrupt)?)?,
        payload,
        recorded_at: recorded_at(row, 6, position)?,
        effective: row.try_get::<NaiveDate, _>(7).map_err(corrupt)?,
        actor: Actor {
            id: row.try_get(8).map_err(corrupt)?,
            role: row.try_get(9).map_err(corrupt)?,
        },
        basis: parse_basis(position, row.try_get(10).map_err(corrupt)?)?,
        command_id: row.try_get::<Uuid, _>(11).map_err(corrupt)?,
        correlation_id: row.try_get::<Uuid, _>(12).map_err(corrupt)?,
        causation_id: row.try_get::<Option<Uuid>, _>(13).map_err(corrupt)?,
        prev_hash: hash_column(position, "prev_hash", row.try_get(14).map_err(corrupt)?)?,
        hash: hash_column(position, "hash", row.try_get(15).map_err(corrupt)?)?,
    })
}

/// One row of `CONTENT_COLUMNS` as what a read model needs of an event. The payload is
/// not parsed here: its reader parses it once and names the position if it cannot.
pub(crate) fn decode_content<R>(
    row: &R,
    recorded_at: RecordedAtColumn<R>,
) -> StoreResult<EventContent>
where
    R: Row,
    usize: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> NaiveDate: Decode<'r, R::Database> + Type<R::Database>,
{
    let position = row_position(row)?;
    let corrupt = unreadable_column(position);
    Ok(EventContent {
        position,
        event_type: row.try_get(1).map_err(corrupt)?,
        schema: schema_version(position, row.try_get(2).map_err(corrupt)?)?,
        payload: row.try_get(3).map_err(corrupt)?,
        effective: row.try_get(4).map_err(corrupt)?,
        recorded_at: recorded_at(row, 5, position)?,
    })
}

/// The position in column 0 of a row.
fn row_position<R>(row: &R) -> StoreResult<u64>
where
    R: Row,
    usize: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let raw: i64 = row.try_get(0).map_err(unreadable_column(0))?;
    non_negative(0, "position", raw)
}

fn schema_version(position: u64, schema: i64) -> StoreResult<u32> {
    u32::try_from(schema).map_err(|_| StoreError::CorruptRow {
        position,
        reason: format!("недопустимая версия схемы {schema}"),
    })
}

/// A row of `SELECT stream, first_position, last_position, last_version FROM commands`.
pub(crate) fn decode_prior_command<R>(row: &R) -> StoreResult<PriorCommand>
where
    R: Row,
    usize: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    let number = |i: usize| -> StoreResult<u64> { non_negative(0, "commands", row.try_get(i)?) };
    Ok(PriorCommand {
        stream: row.try_get(0)?,
        first_position: number(1)?,
        last_position: number(2)?,
        last_version: number(3)?,
    })
}

/// Parses a hash column, naming the row when it is not 32 bytes.
pub(crate) fn hash_column(position: u64, column: &str, bytes: Vec<u8>) -> StoreResult<Hash> {
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| StoreError::CorruptRow {
            position,
            reason: format!(
                "поле {column} должно содержать 32 байта, а содержит {}",
                b.len()
            ),
        })
}

/// Checks that a stored payload is JSON, naming the row when it is not.
pub(crate) fn check_payload(position: u64, payload: &str) -> StoreResult<()> {
    serde_json::from_str::<serde::de::IgnoredAny>(payload)
        .map(|_| ())
        .map_err(|e| StoreError::CorruptRow {
            position,
            reason: format!("полезная нагрузка не является JSON: {e}"),
        })
}

pub(crate) fn parse_basis(
    position: u64,
    text: Option<String>,
) -> StoreResult<Option<crate::envelope::LegalBasis>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|e| StoreError::CorruptRow {
            position,
            reason: format!("поле basis повреждено: {e}"),
        })
    })
    .transpose()
}

pub(crate) fn parse_stream(position: u64, name: String) -> StoreResult<StreamId> {
    StreamId::parse(name).map_err(|e| StoreError::CorruptRow {
        position,
        reason: e.to_string(),
    })
}

pub(crate) fn non_negative(position: u64, column: &str, value: i64) -> StoreResult<u64> {
    u64::try_from(value).map_err(|_| StoreError::CorruptRow {
        position,
        reason: format!("поле {column} отрицательно: {value}"),
    })
}
