//! Accounts on SQLite: every write queues on the store's in-process write lock, as appends do,
//! instead of spinning on SQLITE_BUSY; an account's change is an append with its row. The
//! access journal commits in groups: the requests that queued while the writer was busy are
//! written by one transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Sqlite;
use tokio::sync::oneshot;
use uuid::Uuid;

use super::queue::{lock, QueuedAccess};
use super::sql::AccountSql;
use super::{
    AccessEntry, AccessTokenRecord, AccountChange, AccountRecord, AccountStore, FailureCount,
    SecretHash, SessionRecord,
};
use crate::envelope::{AppendResult, CommandId, NewEvent};
use crate::error::{StoreError, StoreResult};
use crate::expected_version::ExpectedVersion;
use crate::sql::SideWrite;
use crate::sqlite::SqliteStore;

impl AccountSql for Sqlite {}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn change_account(
        &self,
        account: Uuid,
        change: &AccountChange,
        event: NewEvent,
        expected: ExpectedVersion,
        command_id: CommandId,
    ) -> StoreResult<AppendResult> {
        let stream = super::account_stream(account)?;
        let side = SideWrite::Account(account, change);
        self.append_with(&stream, expected, vec![event], command_id, side)
            .await
    }

    async fn account_by_login(&self, login: &str) -> StoreResult<Option<AccountRecord>> {
        Sqlite::account_by_login(&self.pool, login).await
    }

    async fn accounts(&self) -> StoreResult<Vec<AccountRecord>> {
        Sqlite::accounts(&self.pool).await
    }

    async fn open_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        Sqlite::open_session(&self.pool, session).await
    }

    async fn session(
        &self,
        id_hash: &SecretHash,
    ) -> StoreResult<Option<(SessionRecord, AccountRecord)>> {
        Sqlite::session(&self.pool, id_hash).await
    }

    async fn touch_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        Sqlite::touch_session(&self.pool, id_hash, at).await
    }

    async fn end_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<bool> {
        let _writer = self.write_lock.lock().await;
        Sqlite::end_session(&self.pool, id_hash, at).await
    }

    async fn add_access_token(&self, token: &AccessTokenRecord) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        Sqlite::add_access_token(&self.pool, token).await
    }

    async fn access_token(
        &self,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(AccessTokenRecord, AccountRecord)>> {
        Sqlite::access_token(&self.pool, token_hash).await
    }

    async fn revoke_access_token(
        &self,
        account: Uuid,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let _writer = self.write_lock.lock().await;
        Sqlite::revoke_access_token(&self.pool, account, name, at).await
    }

    async fn record_login_failure(
        &self,
        login: &str,
        client: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        Sqlite::record_login_failure(&self.pool, login, client, at).await
    }

    async fn login_failures(
        &self,
        login: &str,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(FailureCount, FailureCount)> {
        Sqlite::login_failures(&mut *self.pool.acquire().await?, login, client, since).await
    }

    async fn clear_login_failures(&self, login: &str, at: DateTime<Utc>) -> StoreResult<()> {
        let _writer = self.write_lock.lock().await;
        Sqlite::clear_login_failures(&self.pool, login, at).await
    }

    async fn record_access(
        &self,
        account: Uuid,
        persons: &[String],
        endpoint: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        // Group commit: the entry joins the queue; whoever holds the writer next writes every
        // entry queued by then in one transaction (one fsync for many requests) and tells
        // each its outcome. An entry is answered only once it is durable, or with the error.
        let (done, outcome) = oneshot::channel();
        lock(&self.journal_queue).push(QueuedAccess {
            account,
            persons: persons.to_vec(),
            endpoint: endpoint.to_string(),
            at,
            done,
        });
        {
            let _writer = self.write_lock.lock().await;
            let batch = std::mem::take(&mut *lock(&self.journal_queue));
            if !batch.is_empty() {
                let written = self.write_journal(&batch).await;
                for entry in batch {
                    let _ = entry
                        .done
                        .send(written.as_ref().map(|_| ()).map_err(|e| e.to_string()));
                }
            }
        }
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(reason)) => Err(StoreError::Database { reason }),
            Err(_) => Err(StoreError::Database {
                reason: "запись журнала доступа прервана".into(),
            }),
        }
    }

    async fn access_journal(&self, person: Option<&str>) -> StoreResult<Vec<AccessEntry>> {
        Sqlite::access_journal(&self.pool, person).await
    }
}

impl SqliteStore {
    /// Writes queued entries in one transaction: all of them or none.
    async fn write_journal(&self, batch: &[QueuedAccess]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for entry in batch {
            Sqlite::record_access(
                &mut tx,
                entry.account,
                &entry.persons,
                &entry.endpoint,
                entry.at,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
