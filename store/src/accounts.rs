//! Who may log in (migration 0009): accounts, sessions, personal access tokens, failed logins
//! and the access journal. The store keeps rows and hashes only — hashing a password, making
//! a session id and deciding what expires when are the application's. A change of an account
//! is written with its event in one transaction (`change_account`), as the vault's shred is,
//! so the table and the log never disagree about who could act when.

mod postgres;
pub(crate) mod queue;
pub(crate) mod sql;
mod sqlite;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::envelope::{AppendResult, CommandId, NewEvent, StreamId};
use crate::error::StoreResult;
use crate::expected_version::ExpectedVersion;

/// The kinds of account the table admits (its CHECK names the same).
pub const ACCOUNT_KINDS: [&str; 3] = ["person", "operator", "auditor"];

/// A SHA-256 digest: how a session id or a token is kept.
pub type SecretHash = [u8; 32];

/// One account as kept: never the password, only its Argon2id PHC string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountRecord {
    pub id: Uuid,
    /// The login as given when the account was opened.
    pub login: String,
    /// `person`, `operator` or `auditor`.
    pub kind: String,
    /// The registry id of the account's person (kind `person` only).
    pub person: Option<String>,
    pub password_hash: String,
    /// When the account was disabled; None while it is enabled.
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a change of an account writes to its row (the event goes to the log beside it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChange {
    /// A new account; its login must be free whatever its case.
    Open {
        login: String,
        kind: String,
        person: Option<String>,
        password_hash: String,
    },
    /// Disabled: its live sessions end with it.
    Disable,
    Enable,
    /// A new password: the live sessions end, whoever held them.
    Password {
        password_hash: String,
    },
}

/// A session as kept, found by the SHA-256 of its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub id_hash: SecretHash,
    pub account: Uuid,
    /// The client address it logged in from.
    pub client: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The absolute end, however active the session.
    pub expires_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
}

/// A personal access token as kept, found by its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessTokenRecord {
    pub token_hash: SecretHash,
    pub account: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The failed logins that still count, for a login or for a client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCount {
    pub failures: u64,
    pub last: Option<DateTime<Utc>>,
}

/// One line of the access journal: who opened whose sealed data, when, through what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessEntry {
    pub id: u64,
    pub at: DateTime<Utc>,
    pub account: Uuid,
    pub login: String,
    /// The person behind the account that opened the data, if it is a person's.
    pub actor_person: Option<String>,
    /// Whose data was opened: a person's registry id.
    pub person: String,
    /// The page or endpoint it was opened through.
    pub endpoint: String,
}

/// The stream of one account's events.
pub fn account_stream(account: Uuid) -> StoreResult<StreamId> {
    StreamId::parse(format!("account-{account}"))
}

/// The form a login is unique in: lower-cased (Unicode-aware, so SQLite's ASCII `lower` is
/// never relied on) and trimmed.
pub fn login_key(login: &str) -> String {
    login.trim().to_lowercase()
}

/// Accounts and what hangs off them; implemented by every backend.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Writes `change` to the row of `account` and appends `event` to `account-<id>` with
    /// `expected`, in one transaction: both or neither. A taken login is `account_exists`, a
    /// change of a missing row `account_unknown`.
    async fn change_account(
        &self,
        account: Uuid,
        change: &AccountChange,
        event: NewEvent,
        expected: ExpectedVersion,
        command_id: CommandId,
    ) -> StoreResult<AppendResult>;

    /// The account of `login`, whatever its case.
    async fn account_by_login(&self, login: &str) -> StoreResult<Option<AccountRecord>>;

    /// Every account, by login.
    async fn accounts(&self) -> StoreResult<Vec<AccountRecord>>;

    async fn open_session(&self, session: &SessionRecord) -> StoreResult<()>;

    /// The session of `id_hash` with its account.
    async fn session(
        &self,
        id_hash: &SecretHash,
    ) -> StoreResult<Option<(SessionRecord, AccountRecord)>>;

    /// Records activity of a live session at `at`.
    async fn touch_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<()>;

    /// Ends a live session at `at`; false when there is none of `id_hash` or it had ended.
    async fn end_session(&self, id_hash: &SecretHash, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Keeps a new token; a live token of the same name on the account is
    /// `access_token_exists`.
    async fn add_access_token(&self, token: &AccessTokenRecord) -> StoreResult<()>;

    /// The token of `token_hash` with its account.
    async fn access_token(
        &self,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(AccessTokenRecord, AccountRecord)>>;

    /// Revokes the live token `name` of `account` at `at`; false when there is none.
    async fn revoke_access_token(
        &self,
        account: Uuid,
        name: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Records a failed login of `login` (as tried) from `client`.
    async fn record_login_failure(
        &self,
        login: &str,
        client: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The failures since `since` that still count: of `login` (not cleared by a success),
    /// and of `client` (all of them).
    async fn login_failures(
        &self,
        login: &str,
        client: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(FailureCount, FailureCount)>;

    /// A successful login of `login` at `at`: its failures no longer count for it.
    async fn clear_login_failures(&self, login: &str, at: DateTime<Utc>) -> StoreResult<()>;

    /// Journals that `account` opened the sealed data of each of `persons` through `endpoint`
    /// at `at`, in one statement a few hundred at a time.
    async fn record_access(
        &self,
        account: Uuid,
        persons: &[String],
        endpoint: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// The access journal, oldest first: all of it, or the openings of one person's data.
    async fn access_journal(&self, person: Option<&str>) -> StoreResult<Vec<AccessEntry>>;
}
