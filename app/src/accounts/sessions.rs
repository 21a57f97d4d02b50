//! Logging in and the sessions it opens. A session lives on the server (a row found by the
//! SHA-256 of its id), so that several processes serve it and logout ends it for all; it ends
//! after 30 idle minutes, after 12 hours whatever the activity, at logout, and when its
//! account is disabled or given a new password. Every login opens a new session: the id a
//! client held before logging in is never the one after.

use chrono::{DateTime, Duration, Utc};
use store::SessionRecord;

use super::{principal_of, secrets, throttle, Principal};
use crate::app::App;
use crate::error::{AccountError, AppError, FailedLogin};

pub const IDLE_TIMEOUT_MINUTES: i64 = 30;
pub const ABSOLUTE_TIMEOUT_HOURS: i64 = 12;

/// Activity is written at most once a minute: a request that reads writes nothing more, and
/// a session may end up to a minute before its 30 idle minutes.
const TOUCH_EVERY_SECONDS: i64 = 60;

/// A session just opened.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// The secret for the cookie: shown once, kept only as its hash.
    pub token: String,
    pub principal: Principal,
    pub idle_expires_at: DateTime<Utc>,
    pub absolute_expires_at: DateTime<Utc>,
}

fn idle() -> Duration {
    Duration::minutes(IDLE_TIMEOUT_MINUTES)
}

impl App {
    /// Checks `password` for `login` from the client address `client` and opens a session.
    /// A wrong login and a wrong password are the same `login_failed`; while too many
    /// failures hold the login or the address back, `login_throttled`, the password unchecked.
    pub async fn login(
        &self,
        login: &str,
        password: &str,
        client: &str,
    ) -> Result<NewSession, AppError> {
        let store = self.store().await?;
        let now = self.clock()?.now();
        let since = now - throttle::window();
        let (by_login, by_client) = store.login_failures(login, client, since).await?;
        if let Some(refusal) = throttle::refusal(now, &by_login, &by_client) {
            return Err(refusal.into());
        }
        let account = store.account_by_login(login).await?;
        let known_login = account.is_some();
        let stored = account.as_ref().map(|a| a.password_hash.clone());
        let matches = secrets::verify_password(password.to_string(), stored).await?;
        let Some(account) = account.filter(|_| matches) else {
            store.record_login_failure(login, client, now).await?;
            return Err(AccountError::LoginFailed(Box::new(FailedLogin {
                login: login.into(),
                client: client.into(),
                known_login,
                failures_by_login: by_login.failures + 1,
                failures_by_client: by_client.failures + 1,
            }))
            .into());
        };
        if account.disabled_at.is_some() {
            return Err(AccountError::AccountDisabled {
                login: account.login,
            }
            .into());
        }
        store.clear_login_failures(login, now).await?;
        let token = secrets::new_session_id();
        let session = SessionRecord {
            id_hash: secrets::secret_hash(&token),
            account: account.id,
            client: client.into(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + Duration::hours(ABSOLUTE_TIMEOUT_HOURS),
            ended_at: None,
        };
        store.open_session(&session).await?;
        Ok(NewSession {
            token,
            principal: principal_of(&account)?,
            idle_expires_at: now + idle(),
            absolute_expires_at: session.expires_at,
        })
    }

    /// Who holds the session `token`, if it is live; the request counts as activity.
    pub async fn session(&self, token: &str) -> Result<Principal, AppError> {
        let store = self.store().await?;
        let id_hash = secrets::secret_hash(token);
        let Some((session, account)) = store.session(&id_hash).await? else {
            return Err(AccountError::SessionUnknown.into());
        };
        let now = self.clock()?.now();
        let why = if session.ended_at.is_some() {
            Some("выход из системы, отключение учётной записи или смена пароля")
        } else if now >= session.expires_at {
            Some("прошло 12 часов с входа")
        } else if now >= session.last_seen_at + idle() {
            Some("30 минут без действий")
        } else {
            None
        };
        if let Some(why) = why {
            return Err(AccountError::SessionExpired { why }.into());
        }
        if account.disabled_at.is_some() {
            return Err(AccountError::AccountDisabled {
                login: account.login,
            }
            .into());
        }
        if now - session.last_seen_at >= Duration::seconds(TOUCH_EVERY_SECONDS) {
            store.touch_session(&id_hash, now).await?;
        }
        principal_of(&account)
    }

    /// Ends the session `token` on the server; ending an ended one again changes nothing.
    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        let store = self.store().await?;
        let id_hash = secrets::secret_hash(token);
        if store.session(&id_hash).await?.is_none() {
            return Err(AccountError::SessionUnknown.into());
        }
        store.end_session(&id_hash, self.clock()?.now()).await?;
        Ok(())
    }
}
