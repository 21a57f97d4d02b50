//! Accounts of the people who log in to `metod serve` (and of the system's operator and of
//! auditors): opening, disabling, enabling, resetting a password — each written to the
//! accounts' table and, as an event on `account-<id>`, to the log in one transaction — and
//! the logins, sessions, access tokens and access journal that hang off them
//! (`accounts/sessions.rs`, `accounts/tokens.rs`). Passwords and tokens are hashed
//! (`accounts/secrets.rs`); logins are throttled (`accounts/throttle.rs`).

mod events;
mod secrets;
mod sessions;
mod throttle;
mod tokens;

use chrono::{DateTime, Utc};
use domain::ids::PersonId;
use serde::Serialize;
use store::{AccountChange, AccountRecord, CommandId, ExpectedVersion, StoreError, StreamId};
use uuid::Uuid;

pub use events::{ACCOUNT_DISABLED, ACCOUNT_ENABLED, ACCOUNT_OPENED, ACCOUNT_PASSWORD_RESET};
pub use secrets::MIN_PASSWORD_CHARS;
pub use sessions::{NewSession, ABSOLUTE_TIMEOUT_HOURS, IDLE_TIMEOUT_MINUTES};

use crate::app::App;
use crate::error::{AccountError, AppError};

/// Who an account is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A person of the registry, acting in whatever role they hold on the day.
    Person,
    /// The system's operator: the registry and paper records.
    Operator,
    /// An auditor: the log, trails and proofs, personal data sealed.
    Auditor,
}

impl AccountKind {
    pub fn name(self) -> &'static str {
        match self {
            AccountKind::Person => "person",
            AccountKind::Operator => "operator",
            AccountKind::Auditor => "auditor",
        }
    }

    fn from_stored(name: &str) -> Result<Self, AppError> {
        match name {
            "person" => Ok(AccountKind::Person),
            "operator" => Ok(AccountKind::Operator),
            "auditor" => Ok(AccountKind::Auditor),
            other => Err(StoreError::Database {
                reason: format!("неизвестный вид учётной записи «{other}» в базе"),
            }
            .into()),
        }
    }
}

/// Who is acting: the logged-in account, and the person behind it if it is a person's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Principal {
    pub account: Uuid,
    pub login: String,
    pub kind: AccountKind,
    pub person: Option<PersonId>,
}

/// An account as listed: no password, no hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    pub account: Uuid,
    pub login: String,
    pub kind: AccountKind,
    pub person: Option<PersonId>,
    pub disabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The longest login.
const MAX_LOGIN_CHARS: usize = 64;

impl App {
    /// Opens an account of `kind` (`person` with a registered person, otherwise none) with
    /// `password`, or with a one-time password generated and returned when none is given.
    pub async fn add_account(
        &self,
        login: &str,
        kind: AccountKind,
        person: Option<PersonId>,
        password: Option<String>,
    ) -> Result<(Principal, Option<String>), AppError> {
        check_login(login)?;
        match (kind, person) {
            (AccountKind::Person, None) => {
                return Err(AccountError::PersonMismatch(
                    "учётной записи лица нужен идентификатор лица из реестра (--person)",
                )
                .into())
            }
            (AccountKind::Operator | AccountKind::Auditor, Some(_)) => {
                return Err(AccountError::PersonMismatch(
                    "учётная запись оператора или аудитора не принадлежит лицу из реестра",
                )
                .into())
            }
            _ => {}
        }
        let (password, generated) = password_or_one_time(password)?;
        let store = self.store().await?;
        if let Some(person) = person {
            registered(self, person).await?;
        }
        if store.account_by_login(login).await?.is_some() {
            return Err(AccountError::AccountExists {
                login: login.into(),
            }
            .into());
        }
        let password_hash = secrets::hash_password(password).await?;
        let account = Uuid::new_v4();
        let person_text = person.map(|p| p.to_string());
        let subject = events::Subject {
            account,
            login,
            kind: kind.name(),
            person: person_text.as_deref(),
        };
        let change = AccountChange::Open {
            login: login.into(),
            kind: kind.name().into(),
            person: person_text.clone(),
            password_hash,
        };
        let event = events::opened(&subject, self.today()?);
        store
            .change_account(
                account,
                &change,
                event,
                ExpectedVersion::NoStream,
                CommandId::derived("metod-account-opened", &account.to_string()),
            )
            .await
            .map_err(|e| refused_change(e, login))?;
        let principal = Principal {
            account,
            login: login.into(),
            kind,
            person,
        };
        Ok((principal, generated))
    }

    /// Disables an account: its sessions end, its tokens are refused until it is enabled.
    pub async fn disable_account(&self, login: &str) -> Result<(), AppError> {
        let account = self.account_of(login).await?;
        if account.disabled_at.is_some() {
            return Err(AccountError::AlreadyDisabled {
                login: account.login,
            }
            .into());
        }
        let event = events::disabled(&subject(&account), self.today()?);
        self.change(&account, AccountChange::Disable, event).await
    }

    /// Enables a disabled account; its tokens work again, its ended sessions stay ended.
    pub async fn enable_account(&self, login: &str) -> Result<(), AppError> {
        let account = self.account_of(login).await?;
        if account.disabled_at.is_none() {
            return Err(AccountError::AlreadyEnabled {
                login: account.login,
            }
            .into());
        }
        let event = events::enabled(&subject(&account), self.today()?);
        self.change(&account, AccountChange::Enable, event).await
    }

    /// Gives an account a new password (or a one-time one, returned): its sessions end.
    pub async fn reset_password(
        &self,
        login: &str,
        password: Option<String>,
    ) -> Result<Option<String>, AppError> {
        let (password, generated) = password_or_one_time(password)?;
        let account = self.account_of(login).await?;
        let password_hash = secrets::hash_password(password).await?;
        let event = events::password_reset(&subject(&account), generated.is_some(), self.today()?);
        let change = AccountChange::Password { password_hash };
        self.change(&account, change, event).await?;
        Ok(generated)
    }

    /// Every account, by login, without secrets.
    pub async fn accounts(&self) -> Result<Vec<AccountSummary>, AppError> {
        let store = self.store().await?;
        store
            .accounts()
            .await?
            .into_iter()
            .map(|record| {
                let principal = principal_of(&record)?;
                Ok(AccountSummary {
                    account: record.id,
                    login: record.login,
                    kind: principal.kind,
                    person: principal.person,
                    disabled: record.disabled_at.is_some(),
                    disabled_at: record.disabled_at,
                    created_at: record.created_at,
                    updated_at: record.updated_at,
                })
            })
            .collect()
    }

    /// The account of `login`, refused when there is none.
    async fn account_of(&self, login: &str) -> Result<AccountRecord, AppError> {
        self.store()
            .await?
            .account_by_login(login)
            .await?
            .ok_or_else(|| {
                AccountError::AccountUnknown {
                    login: login.into(),
                }
                .into()
            })
    }

    /// Writes `change` and its event; the store's conditional update refuses a change a
    /// concurrent one has already made, so two disables write one event.
    async fn change(
        &self,
        account: &AccountRecord,
        change: AccountChange,
        event: store::NewEvent,
    ) -> Result<(), AppError> {
        self.store()
            .await?
            .change_account(
                account.id,
                &change,
                event,
                ExpectedVersion::Any,
                CommandId::random(),
            )
            .await
            .map_err(|e| refused_change(e, &account.login))?;
        Ok(())
    }
}

/// The store's refusal of an account's change in the application's terms.
fn refused_change(e: StoreError, login: &str) -> AppError {
    match e {
        StoreError::AccountExists { .. } => AccountError::AccountExists {
            login: login.into(),
        }
        .into(),
        other => other.into(),
    }
}

fn subject(account: &AccountRecord) -> events::Subject<'_> {
    events::Subject {
        account: account.id,
        login: &account.login,
        kind: &account.kind,
        person: account.person.as_deref(),
    }
}

/// The principal an account stands for.
pub(crate) fn principal_of(record: &AccountRecord) -> Result<Principal, AppError> {
    let person = record
        .person
        .as_deref()
        .map(PersonId::parse)
        .transpose()
        .map_err(|e| StoreError::Database {
            reason: format!("идентификатор лица учётной записи {}: {e}", record.login),
        })?;
    Ok(Principal {
        account: record.id,
        login: record.login.clone(),
        kind: AccountKind::from_stored(&record.kind)?,
        person,
    })
}

/// The password given, checked against the rule, or a one-time one (returned as well).
fn password_or_one_time(password: Option<String>) -> Result<(String, Option<String>), AppError> {
    match password {
        Some(password) => {
            secrets::check_password(&password)?;
            Ok((password, None))
        }
        None => {
            let generated = secrets::one_time_password();
            Ok((generated.clone(), Some(generated)))
        }
    }
}

/// A login is a short name without spaces or control characters, so that it reads the same in
/// a table, a log line and a form.
fn check_login(login: &str) -> Result<(), AccountError> {
    let reason = if login.is_empty() {
        Some("имя входа пустое")
    } else if login.chars().count() > MAX_LOGIN_CHARS {
        Some("длиннее 64 символов")
    } else if login.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("пробелы и управляющие символы не допускаются")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(AccountError::InvalidLogin {
            login: login.into(),
            reason,
        }),
        None => Ok(()),
    }
}

/// Refuses a person the registry does not hold: an account is opened only for someone
/// registered (the log's own fold of the person's stream says so).
async fn registered(app: &App, person: PersonId) -> Result<(), AppError> {
    let store = app.store().await?;
    let stream = StreamId::parse(person.stream())?;
    let mut state = domain::registry::state::PersonState::default();
    let mut from = 1;
    loop {
        let page = store.read_stream(&stream, from, 1_000).await?;
        for event in &page {
            if let Some(fact) = commands::fact_of(event)? {
                domain::Aggregate::evolve(&mut state, &fact);
            }
        }
        if page.len() < 1_000 {
            break;
        }
        from += page.len() as u64;
    }
    if !state.exists() {
        return Err(AccountError::PersonNotInRegistry {
            person: person.to_string(),
        }
        .into());
    }
    Ok(())
}
