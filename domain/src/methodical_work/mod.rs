//! The municipal system of methodical work beyond the associations (004 §8–§10): teachers'
//! individual programmes of continuous professional education, recorded by their
//! organization's administration and coordinated by the municipal methodical service, and the
//! monitoring of the effectiveness of methodical work under the municipal road map. Only
//! where the profile provides them (`[programmes]`, `[monitoring]`).
//!
//! A programme lives on its teacher's stream (`person-<id>`), one per teacher and school
//! year; a monitoring on the municipality's stream.

pub mod commands;
pub(crate) mod decide;
pub mod events;
