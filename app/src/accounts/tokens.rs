//! Personal access tokens of API clients — created per account under a name, shown once,
//! kept as their SHA-256, revocable — and the access journal (152-FZ): every opening of a
//! person's sealed data by the server, who opened whose, when, through what.

use store::{AccessEntry, AccessTokenRecord};

use super::{principal_of, secrets, Principal};
use crate::app::App;
use crate::error::{AccountError, AppError};

const MAX_TOKEN_NAME_CHARS: usize = 64;

impl App {
    /// A new token `name` of the account `login`; the token itself is returned once.
    pub async fn create_access_token(&self, login: &str, name: &str) -> Result<String, AppError> {
        check_name(name)?;
        let account = self.account_of(login).await?;
        if account.disabled_at.is_some() {
            return Err(AccountError::AccountDisabled {
                login: account.login,
            }
            .into());
        }
        let token = secrets::new_access_token();
        let record = AccessTokenRecord {
            token_hash: secrets::secret_hash(&token),
            account: account.id,
            name: name.into(),
            created_at: self.clock()?.now(),
            revoked_at: None,
        };
        self.store().await?.add_access_token(&record).await?;
        Ok(token)
    }

    /// Revokes the live token `name` of the account `login`.
    pub async fn revoke_access_token(&self, login: &str, name: &str) -> Result<(), AppError> {
        let account = self.account_of(login).await?;
        let now = self.clock()?.now();
        let revoked = self
            .store()
            .await?
            .revoke_access_token(account.id, name, now)
            .await?;
        if !revoked {
            return Err(AccountError::AccessTokenUnknown.into());
        }
        Ok(())
    }

    /// Who a token acts for: refused when unknown or revoked, or its account disabled.
    pub async fn principal_of_access_token(&self, token: &str) -> Result<Principal, AppError> {
        let found = self
            .store()
            .await?
            .access_token(&secrets::secret_hash(token))
            .await?;
        let Some((token, account)) = found.filter(|(t, _)| t.revoked_at.is_none()) else {
            return Err(AccountError::AccessTokenUnknown.into());
        };
        if account.disabled_at.is_some() {
            return Err(AccountError::AccountDisabled {
                login: account.login,
            }
            .into());
        }
        debug_assert_eq!(token.account, account.id);
        principal_of(&account)
    }

    /// Journals that `who` opened the sealed data of the persons `whose` through `endpoint`
    /// (nothing for none).
    pub async fn record_access(
        &self,
        who: &Principal,
        whose: &[String],
        endpoint: &str,
    ) -> Result<(), AppError> {
        if whose.is_empty() {
            return Ok(());
        }
        let now = self.clock()?.now();
        self.store()
            .await?
            .record_access(who.account, whose, endpoint, now)
            .await?;
        Ok(())
    }

    /// The access journal, oldest first: all of it, or the openings of `person`'s data.
    pub async fn access_journal(&self, person: Option<&str>) -> Result<Vec<AccessEntry>, AppError> {
        Ok(self.store().await?.access_journal(person).await?)
    }
}

fn check_name(name: &str) -> Result<(), AccountError> {
    let reason = if name.trim().is_empty() {
        Some("имя пустое")
    } else if name.chars().count() > MAX_TOKEN_NAME_CHARS {
        Some("длиннее 64 символов")
    } else if name.chars().any(char::is_control) {
        Some("управляющие символы не допускаются")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(AccountError::InvalidTokenName {
            name: name.into(),
            reason,
        }),
        None => Ok(()),
    }
}
