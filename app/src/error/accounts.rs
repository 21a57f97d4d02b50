//! Why an account, a login, a session or a token was refused: a stable English code and a
//! Russian message each. A wrong login and a wrong password are one refusal with one message,
//! so an answer never tells which logins exist; what the caller's log may say is in
//! [`FailedLogin`], which no message shows.

use chrono::{DateTime, Utc};

/// A failed login as the server's log should record it (never the password).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedLogin {
    /// The login as tried.
    pub login: String,
    /// The client address it came from.
    pub client: String,
    /// Whether an account of that login exists (for the log only, never for the answer).
    pub known_login: bool,
    /// The failures that now count for the login and for the address, this one included.
    pub failures_by_login: u64,
    pub failures_by_client: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("неверное имя входа или пароль")]
    LoginFailed(Box<FailedLogin>),

    #[error(
        "слишком много неудачных попыток входа: следующая попытка возможна через {seconds} с \
         (после {until})"
    )]
    LoginThrottled { until: DateTime<Utc>, seconds: i64 },

    #[error("учётная запись «{login}» отключена")]
    AccountDisabled { login: String },

    #[error("сессия не найдена: войдите снова")]
    SessionUnknown,

    #[error("сессия завершена ({why}): войдите снова")]
    SessionExpired { why: &'static str },

    #[error("токен доступа не найден или отозван")]
    AccessTokenUnknown,

    #[error("учётная запись с именем входа «{login}» уже есть (имена входа не различают регистр)")]
    AccountExists { login: String },

    #[error("учётной записи с именем входа «{login}» нет")]
    AccountUnknown { login: String },

    #[error("лицо {person} не зарегистрировано в реестре: учётную запись открыть не для кого")]
    PersonNotInRegistry { person: String },

    #[error("пароль короче {min} символов")]
    PasswordTooShort { min: usize },

    #[error("пароль длиннее {max} символов")]
    PasswordTooLong { max: usize },

    #[error("недопустимое имя входа «{login}»: {reason}")]
    InvalidLogin { login: String, reason: &'static str },

    #[error("недопустимое имя токена «{name}»: {reason}")]
    InvalidTokenName { name: String, reason: &'static str },

    #[error("{0}")]
    PersonMismatch(&'static str),

    #[error("учётная запись «{login}» уже отключена")]
    AlreadyDisabled { login: String },

    #[error("учётная запись «{login}» не отключена")]
    AlreadyEnabled { login: String },

    #[error("не удалось вычислить хеш пароля: {reason}")]
    Hashing { reason: String },
}

impl AccountError {
    /// The stable English code of this refusal.
    pub fn code(&self) -> &'static str {
        match self {
            AccountError::LoginFailed(_) => "login_failed",
            AccountError::LoginThrottled { .. } => "login_throttled",
            AccountError::AccountDisabled { .. } => "account_disabled",
            AccountError::SessionUnknown => "session_unknown",
            AccountError::SessionExpired { .. } => "session_expired",
            AccountError::AccessTokenUnknown => "access_token_unknown",
            AccountError::AccountExists { .. } => "account_exists",
            AccountError::AccountUnknown { .. } => "account_unknown",
            AccountError::PersonNotInRegistry { .. } => "person_not_in_registry",
            AccountError::PasswordTooShort { .. } => "password_too_short",
            AccountError::PasswordTooLong { .. } => "password_too_long",
            AccountError::InvalidLogin { .. } => "invalid_login",
            AccountError::InvalidTokenName { .. } => "invalid_token_name",
            AccountError::PersonMismatch(_) => "account_person_mismatch",
            AccountError::AlreadyDisabled { .. } => "account_already_disabled",
            AccountError::AlreadyEnabled { .. } => "account_already_enabled",
            AccountError::Hashing { .. } => "password_hashing_failed",
        }
    }
}
