//! The language of the regulations: ids, value types, the school year, regulation profiles,
//! events, and the aggregates as pure `decide`/`evolve` functions with their rules. No I/O,
//! no async, no SQL: everything a decision needs is in the command, the states it reads and
//! the profile in force.
//!
//! One folder per area the regulations govern — `registry`, `orders`, `associations`,
//! `membership`, `roles`, `documents`, `meetings`, `development`, `methodical_work` — holds that area's events,
//! the states they fold into and the decisions on its commands; `decide` hands each command to
//! its area. The rest is shared: ids, values, the calendar, errors, profiles, eligibility, the
//! `Command` and `Event` catalogues, the one fold of the log (`log`), the decision's context (`decider`) and its permission
//! checks (`authority`).

pub mod aggregate;
pub mod associations;
mod authority;
pub mod calendar;
pub mod commands;
pub mod decide;
mod decider;
pub mod development;
pub mod documents;
pub mod eligibility;
pub mod error;
pub mod events;
pub mod ids;
pub mod inbox;
pub mod log;
pub mod meetings;
pub mod membership;
pub mod methodical_work;
pub mod orders;
pub mod parse_errors;
pub mod profile;
pub mod registry;
pub mod roles;
pub mod state;
pub mod values;
pub mod world;

/// The approval chains, at their old path (`domain::approval`).
pub use documents::approval;

pub use aggregate::Aggregate;
pub use calendar::{MonthDay, SchoolYear};
pub use commands::Command;
pub use decide::{
    acted_as_in_russian, decide, ActedAs, Acting, BasisKindRef, BasisRef, Context, Decision,
    SealedPersonalFields,
};
pub use error::DomainError;
pub use events::{Event, Fact, FIRST_SCHEMA};
pub use ids::Ref;
pub use profile::RegulationProfile;
pub use world::World;
