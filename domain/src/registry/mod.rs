//! The registry: the municipality with its districts, educational organizations, bodies
//! (department, district departments, methodical center, councils) and their officials, and
//! the persons with their positions, categories and years in the specialty.

pub mod commands;
pub(crate) mod decide;
pub mod events;
pub mod state;
