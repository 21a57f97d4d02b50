//! Development records: a member's steps of professional growth, recorded for the
//! effectiveness indicators (001 §4.1.2–4.1.3).

pub mod commands;
pub(crate) mod decide;
pub mod events;
