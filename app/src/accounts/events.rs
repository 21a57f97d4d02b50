//! The events that make accounts auditable: who opened, disabled or enabled an account, or
//! reset its password, when, and for which person. No secret and no hash is ever in them —
//! the credentials live in the accounts' table only.

use chrono::NaiveDate;
use serde_json::json;
use store::{Actor, NewEvent};
use uuid::Uuid;

/// The wire names, never renamed once shipped.
pub const ACCOUNT_OPENED: &str = "AccountOpened";
pub const ACCOUNT_DISABLED: &str = "AccountDisabled";
pub const ACCOUNT_ENABLED: &str = "AccountEnabled";
pub const ACCOUNT_PASSWORD_RESET: &str = "AccountPasswordReset";

/// Who changes accounts from the command line: the system's operator.
fn operator() -> Actor {
    Actor::new("operator", "operator")
}

/// What every account event says of its account.
pub struct Subject<'a> {
    pub account: Uuid,
    pub login: &'a str,
    pub kind: &'a str,
    pub person: Option<&'a str>,
}

impl Subject<'_> {
    fn payload(&self) -> serde_json::Value {
        json!({
            "account": self.account,
            "login": self.login,
            "kind": self.kind,
            "person": self.person,
        })
    }
}

pub fn opened(subject: &Subject<'_>, today: NaiveDate) -> NewEvent {
    NewEvent::new(ACCOUNT_OPENED, subject.payload(), today, operator())
}

pub fn disabled(subject: &Subject<'_>, today: NaiveDate) -> NewEvent {
    NewEvent::new(ACCOUNT_DISABLED, subject.payload(), today, operator())
}

pub fn enabled(subject: &Subject<'_>, today: NaiveDate) -> NewEvent {
    NewEvent::new(ACCOUNT_ENABLED, subject.payload(), today, operator())
}

/// `one_time`: the password was generated to be handed over, not given by the operator.
pub fn password_reset(subject: &Subject<'_>, one_time: bool, today: NaiveDate) -> NewEvent {
    let mut payload = subject.payload();
    payload["one_time"] = json!(one_time);
    NewEvent::new(ACCOUNT_PASSWORD_RESET, payload, today, operator())
}
