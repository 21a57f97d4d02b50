//! Meetings and protocols: a meeting scheduled and held with its attendance and a decision on
//! every question, and its protocol drafted, signed and corrected by the roles the profile
//! names (000 §4.4; 002 §5.10).

pub mod commands;
pub(crate) mod decide;
pub mod events;
mod protocols;
pub mod state;
