//! The language of the regulations: ids, value types, the school year, regulation profiles,
//! events, and the aggregates as pure `decide`/`evolve` functions with their rules. No I/O,
//! no async, no SQL: everything a decision needs is in the command, the states it reads and
//! the profile in force.

pub mod approval;
pub mod calendar;
pub mod commands;
pub mod decide;
pub mod eligibility;
pub mod error;
pub mod events;
pub mod ids;
pub mod inbox;
pub mod parse_errors;
pub mod profile;
pub mod state;
pub mod values;
pub mod world;

pub use calendar::{MonthDay, SchoolYear};
pub use commands::Command;
pub use decide::{decide, Acting, BasisKindRef, BasisRef, Context, Decision, SealedPersonalFields};
pub use error::DomainError;
pub use events::{Event, Fact, CURRENT_SCHEMA};
pub use profile::RegulationProfile;
pub use state::Aggregate;
pub use world::{Ref, World};
