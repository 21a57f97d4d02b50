//! Roles and elections: heads and curators appointed by order, heads and secretaries elected by
//! an open vote at a meeting, their eligibility, deputies by order, and nominations
//! (000 §4.2–4.3; 003 §7.2–7.5).

pub mod commands;
pub(crate) mod decide;
pub mod events;
