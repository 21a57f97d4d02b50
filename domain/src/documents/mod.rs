//! Documents and approval: documents opened and submitted version by version, the approval
//! chain each travels (from the profile, fixed at its first submission), the decisions at each
//! step, and the deadlines the workflow's timers record as missed.

pub mod approval;
pub mod commands;
pub mod deadlines;
pub(crate) mod decide;
pub mod events;
pub(crate) mod former;
mod publication;
pub mod state;
