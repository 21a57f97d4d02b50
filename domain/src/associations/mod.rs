//! Associations: created, reorganized and liquidated by an order of the body the profile names
//! for their level, and a district association linked to the city association of its subject
//! (000 §1.5, §4.1; 003 §7.1).

pub mod commands;
pub(crate) mod decide;
pub mod events;
mod lists;
pub mod state;
