//! Accounts on PostgreSQL: the statements go straight to the pool; an account's change is an
//! append under the append lock, with its row.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Postgres;
use uuid::Uuid;

use super::sql::AccountSql;
use super::{
    AccessEntry, AccessTokenRecord, AccountChange, AccountRecord, AccountStore, FailureCount,
    SecretHash, SessionRecord,
};
use crate::envelope::{AppendResult, CommandId, NewEvent};
use crate::error::StoreResult;
use crate::expected_version::ExpectedVersion;
use crate::postgres::PostgresStore;
use crate::sql::SideWrite;

impl AccountSql for Postgres {}

#[async_trait]
impl AccountStore for PostgresStore {
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
        Postgres::account_by_login(&self.pool, login).await
    }

    async fn accounts(&self) -> StoreResult<Vec<AccountRecord>> {
        Postgres::accounts(&self.pool).await
    }

    async fn open_session(&self, session: &SessionRecord) -> StoreResult<()> {
        Postgres::open_session(&self.pool, session).await
    }

    async fn session(
        &self,
        id_hash: &SecretHash,
    ) -> StoreResult<Option<(SessionRecord, AccountRecord)>> {
        Postgres::session(&self.pool, id_hash).await
    }

    async fn touch_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<()> {
        Postgres::touch_session(&self.pool, id_hash, at).await
    }

    async fn end_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<bool> {
        Postgres::end_session(&self.pool, id_hash, at).await
    }

    async fn add_access_token(&self, token: &AccessTokenRecord) -> StoreResult<()> {
        Postgres::add_access_token(&self.pool, token).await
    }

    async fn access_token(
        &self,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(AccessTokenRecord, AccountRecord)>> {
        Postgres::access_token(&self.pool, token_hash).await
    }

    async fn revoke_access_token(
        &self,
        account: Uuid,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        Postgres::revoke_access_token(&self.pool, account, name, at).await
    }

    async fn record_login_failure(
        &self,
        login: &str,
        client: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Postgres::record_login_failure(&self.pool, login, client, at).await
    }

    async fn login_failures(
        &self,
        login: &str,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(FailureCount, FailureCount)> {
        Postgres::login_failures(&mut *self.pool.acquire().await?, login, client, since).await
    }

    async fn clear_login_failures(&self, login: &str, at: DateTime<Utc>) -> StoreResult<()> {
        Postgres::clear_login_failures(&self.pool, login, at).await
    }

    async fn record_access(
        &self,
        account: Uuid,
        persons: &[String],
        endpoint: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        Postgres::record_access(
            &mut *self.pool.acquire().await?,
            account,
            persons,
            endpoint,
            at,
        )
        .await
    }

    async fn access_journal(&self, person: Option<&str>) -> StoreResult<Vec<AccessEntry>> {
        Postgres::access_journal(&self.pool, person).await
    }
}
