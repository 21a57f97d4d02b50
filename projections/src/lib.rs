//! Read models of metod: the log folded into bitemporal facts — the hierarchy, memberships,
//! roles with their terms, documents with their approval state, meetings, member-database
//! updates, missed deadlines — each version valid over a span of days (valid time) and known
//! over a span of moments (transaction time), kept in the store's database by a catch-up
//! runner that writes rows and checkpoint in one transaction. The oversight queries answer
//! from them "as of a date, as known at a moment" without replaying the log.

pub mod association;
pub mod compare;
pub mod error;
pub mod facts;
pub mod inbox;
pub mod projector;
pub mod queries;
pub mod registry_lists;
pub mod runner;
pub mod snapshot;

pub use error::ProjectionError;
pub use projector::{membership_key, Projector};
pub use runner::{
    catch_up, catch_up_kept, project_without_writing, rebuild, rebuild_in_batches, rebuild_timed,
    CatchUp, RebuildTimes, READ_MODELS,
};
