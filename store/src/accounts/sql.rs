//! The statements of accounts, sessions, tokens, failed logins and the access journal, written
//! once for both backends as provided methods of [`AccountSql`], a [`Dialect`]. The bounds
//! repeat the dialect's: Rust does not carry a trait's where clauses over to its subtraits.
//! The write of an account's row that goes with its event is the dialect's own
//! (`Dialect::write_account`), inside the append's transaction.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{ColumnIndex, Decode, Encode, Executor, IntoArguments, Row, Type};
use uuid::Uuid;

use super::{
    AccessEntry, AccessTokenRecord, AccountRecord, FailureCount, SecretHash, SessionRecord,
};
use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::sql::Dialect;

/// The columns of an account, in the order [`AccountSql::account_from`] reads them.
const ACCOUNT_COLUMNS: &str = "a.id, a.login, a.kind, a.person_id, a.password_hash, \
     a.disabled_at, a.created_at, a.updated_at";

const SESSION_COLUMNS: &str =
    "s.id_hash, s.account_id, s.client, s.created_at, s.last_seen_at, s.expires_at, s.ended_at";

/// Journal rows one statement writes: one parameter each, under SQLite's 32,766.
const JOURNAL_ROWS_PER_INSERT: usize = 500;

const TOKEN_COLUMNS: &str = "t.token_hash, t.account_id, t.name, t.created_at, t.revoked_at";

pub(crate) trait AccountSql: Dialect
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
    /// An account from the row's columns `at..at + 8` (`ACCOUNT_COLUMNS`).
    fn account_from(row: &Self::Row, at: usize) -> StoreResult<AccountRecord> {
        Ok(AccountRecord {
            id: row.try_get(at)?,
            login: row.try_get(at + 1)?,
            kind: row.try_get(at + 2)?,
            person: row.try_get(at + 3)?,
            password_hash: row.try_get(at + 4)?,
            disabled_at: Self::maybe_time(row.try_get(at + 5)?)?,
            created_at: Self::time(0, row.try_get(at + 6)?)?,
            updated_at: Self::time(0, row.try_get(at + 7)?)?,
        })
    }

    fn maybe_time(stored: Option<Self::Moment>) -> StoreResult<Option<DateTime<Utc>>> {
        stored.map(|m| Self::time(0, m)).transpose()
    }

    async fn account_by_login<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        login: &str,
    ) -> StoreResult<Option<AccountRecord>> {
        let key = super::login_key(login);
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.login_key = $1"
        ))
        .bind(key.as_str())
        .fetch_optional(executor)
        .await?;
        row.map(|row| Self::account_from(&row, 0)).transpose()
    }

    async fn accounts<'e, E: Executor<'e, Database = Self>>(
        executor: E,
    ) -> StoreResult<Vec<AccountRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a ORDER BY a.login_key"
        ))
        .fetch_all(executor)
        .await?;
        rows.iter().map(|row| Self::account_from(row, 0)).collect()
    }

    async fn open_session<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        session: &SessionRecord,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, client, created_at, last_seen_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&session.id_hash[..])
        .bind(session.account)
        .bind(session.client.as_str())
        .bind(Self::moment(session.created_at))
        .bind(Self::moment(session.last_seen_at))
        .bind(Self::moment(session.expires_at))
        .execute(executor)
        .await?;
        Ok(())
    }

    async fn session<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        id_hash: &SecretHash,
    ) -> StoreResult<Option<(SessionRecord, AccountRecord)>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS}, {ACCOUNT_COLUMNS} FROM sessions s \
             JOIN accounts a ON a.id = s.account_id WHERE s.id_hash = $1"
        ))
        .bind(&id_hash[..])
        .fetch_optional(executor)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let session = SessionRecord {
            id_hash: hash_from(row.try_get(0)?)?,
            account: row.try_get(1)?,
            client: row.try_get(2)?,
            created_at: Self::time(0, row.try_get(3)?)?,
            last_seen_at: Self::time(0, row.try_get(4)?)?,
            expires_at: Self::time(0, row.try_get(5)?)?,
            ended_at: Self::maybe_time(row.try_get(6)?)?,
        };
        Ok(Some((session, Self::account_from(&row, 7)?)))
    }

    async fn touch_session<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        id_hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $2 \
             WHERE id_hash = $1 AND ended_at IS NULL AND last_seen_at < $2",
        )
        .bind(&id_hash[..])
        .bind(Self::moment(at))
        .execute(executor)
        .await?;
        Ok(())
    }

    async fn end_session<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        id_hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let ended = sqlx::query(
            "UPDATE sessions SET ended_at = $2 WHERE id_hash = $1 AND ended_at IS NULL \
             RETURNING id_hash",
        )
        .bind(&id_hash[..])
        .bind(Self::moment(at))
        .fetch_optional(executor)
        .await?;
        Ok(ended.is_some())
    }

    async fn add_access_token<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        token: &AccessTokenRecord,
    ) -> StoreResult<()> {
        let inserted = sqlx::query(
            "INSERT INTO access_tokens (token_hash, account_id, name, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(&token.token_hash[..])
        .bind(token.account)
        .bind(token.name.as_str())
        .bind(Self::moment(token.created_at))
        .execute(executor)
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => Err(StoreError::AccessTokenExists {
                name: token.name.clone(),
            }),
            other => other.map(|_| ()).map_err(StoreError::from),
        }
    }

    async fn access_token<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(AccessTokenRecord, AccountRecord)>> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS}, {ACCOUNT_COLUMNS} FROM access_tokens t \
             JOIN accounts a ON a.id = t.account_id WHERE t.token_hash = $1"
        ))
        .bind(&token_hash[..])
        .fetch_optional(executor)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let token = AccessTokenRecord {
            token_hash: hash_from(row.try_get(0)?)?,
            account: row.try_get(1)?,
            name: row.try_get(2)?,
            created_at: Self::time(0, row.try_get(3)?)?,
            revoked_at: Self::maybe_time(row.try_get(4)?)?,
        };
        Ok(Some((token, Self::account_from(&row, 5)?)))
    }

    async fn revoke_access_token<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        account: Uuid,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        // At most one: a name is unique among an account's live tokens.
        let revoked = sqlx::query(
            "UPDATE access_tokens SET revoked_at = $3 \
             WHERE account_id = $1 AND name = $2 AND revoked_at IS NULL RETURNING token_hash",
        )
        .bind(account)
        .bind(name)
        .bind(Self::moment(at))
        .fetch_optional(executor)
        .await?;
        Ok(revoked.is_some())
    }

    async fn record_login_failure<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        login: &str,
        client: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let key = super::login_key(login);
        sqlx::query(
            "INSERT INTO login_failures (login_key, client, failed_at) VALUES ($1, $2, $3)",
        )
        .bind(key.as_str())
        .bind(client)
        .bind(Self::moment(at))
        .execute(executor)
        .await?;
        Ok(())
    }

    /// The failures of `login` not cleared and those of `client`, since `since`.
    async fn login_failures(
        conn: &mut Self::Connection,
        login: &str,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(FailureCount, FailureCount)> {
        let key = super::login_key(login);
        let by_login = sqlx::query(
            "SELECT COUNT(*), MAX(failed_at) FROM login_failures \
             WHERE login_key = $1 AND failed_at > $2 AND cleared_at IS NULL",
        )
        .bind(key.as_str())
        .bind(Self::moment(since))
        .fetch_one(&mut *conn)
        .await?;
        let by_client = sqlx::query(
            "SELECT COUNT(*), MAX(failed_at) FROM login_failures \
             WHERE client = $1 AND failed_at > $2",
        )
        .bind(client)
        .bind(Self::moment(since))
        .fetch_one(&mut *conn)
        .await?;
        Ok((Self::count_from(&by_login)?, Self::count_from(&by_client)?))
    }

    fn count_from(row: &Self::Row) -> StoreResult<FailureCount> {
        let failures: i64 = row.try_get(0)?;
        Ok(FailureCount {
            failures: failures.max(0) as u64,
            last: Self::maybe_time(row.try_get(1)?)?,
        })
    }

    async fn clear_login_failures<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        login: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let key = super::login_key(login);
        sqlx::query(
            "UPDATE login_failures SET cleared_at = $2 WHERE login_key = $1 AND cleared_at IS NULL",
        )
        .bind(key.as_str())
        .bind(Self::moment(at))
        .execute(executor)
        .await?;
        Ok(())
    }

    async fn record_access(
        conn: &mut Self::Connection,
        account: Uuid,
        persons: &[String],
        endpoint: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        for chunk in persons.chunks(JOURNAL_ROWS_PER_INSERT) {
            let values: Vec<String> = (0..chunk.len())
                .map(|i| format!("($1, $2, ${}, $3)", i + 4))
                .collect();
            let sql = format!(
                "INSERT INTO access_journal (accessed_at, account_id, person_id, endpoint) \
                 VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql)
                .bind(Self::moment(at))
                .bind(account)
                .bind(endpoint);
            for person in chunk {
                query = query.bind(person.as_str());
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    async fn access_journal<'e, E: Executor<'e, Database = Self>>(
        executor: E,
        person: Option<&str>,
    ) -> StoreResult<Vec<AccessEntry>> {
        let select = "SELECT j.id, j.accessed_at, j.account_id, a.login, a.person_id, \
             j.person_id, j.endpoint FROM access_journal j JOIN accounts a ON a.id = j.account_id";
        let rows = match person {
            Some(person) => {
                sqlx::query(&format!("{select} WHERE j.person_id = $1 ORDER BY j.id"))
                    .bind(person)
                    .fetch_all(executor)
                    .await?
            }
            None => {
                sqlx::query(&format!("{select} ORDER BY j.id"))
                    .fetch_all(executor)
                    .await?
            }
        };
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get(0)?;
                Ok(AccessEntry {
                    id: id.max(0) as u64,
                    at: Self::time(id.max(0) as u64, row.try_get(1)?)?,
                    account: row.try_get(2)?,
                    login: row.try_get(3)?,
                    actor_person: row.try_get(4)?,
                    person: row.try_get(5)?,
                    endpoint: row.try_get(6)?,
                })
            })
            .collect()
    }
}

fn hash_from(stored: Vec<u8>) -> StoreResult<SecretHash> {
    stored.try_into().map_err(|_| StoreError::Database {
        reason: "хеш сессии или токена в базе не 32 байта".into(),
    })
}
