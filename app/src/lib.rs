//! The use cases of metod: one `App` — the store, the regulation profiles and the clock,
//! built once from the configuration — whose methods the command line calls today and the
//! HTTP server will call unchanged, from many requests at once (an `App` is a cheap handle:
//! clone it into each task). Every method returns a typed result; rendering it as a table,
//! JSON or CSV is the caller's job, so nothing here knows the terminal or HTTP.

mod accounts;
mod affinity;
mod answers;
mod app;
mod audit;
mod basis_events;
mod clock;
mod demo;
mod error;
mod log;
mod personal_data;
mod read_models;
mod record;
mod standing;
mod standings;
mod workflow;

pub use accounts::{
    AccountKind, AccountSummary, NewSession, Principal, ABSOLUTE_TIMEOUT_HOURS, ACCOUNT_DISABLED,
    ACCOUNT_ENABLED, ACCOUNT_OPENED, ACCOUNT_PASSWORD_RESET, IDLE_TIMEOUT_MINUTES,
    MIN_PASSWORD_CHARS,
};
pub use answers::When;
pub use app::{App, Config};
pub use audit::{Proved, VerifiedAgainst};
pub use demo::DemoRun;
pub use error::{AccountError, AppError, FailedLogin, PersonalDataError};
pub use log::{EventsPage, Initialized};
pub use personal_data::{
    russian_date, Destroyer, DestructionAct, ErasureBasis, ErasureGround, ErasureOrder, IssuedAct,
    LogRecord, ACT_ISSUED_EVENT_TYPE,
};
pub use projections::runner::Progress;
pub use read_models::Rebuilt;
pub use record::{Recorded, Stopped};
pub use standings::Standing;
pub use store::AccessEntry;
