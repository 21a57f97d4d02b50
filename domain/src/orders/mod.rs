//! Orders (приказы, распоряжения): issued by a body and signed by its chief or deputy; the legal
//! basis that the decisions of the other areas cite.

pub mod commands;
pub(crate) mod decide;
pub mod events;
pub mod state;
