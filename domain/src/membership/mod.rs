//! Membership and applications: who is admitted to an association and on what basis (an
//! approved application, an order, a meeting's decision), who leaves, the yearly update of the
//! member database, and the applications for membership (002 §5.2, forms 1 and 2).

mod applications;
pub mod by_registry;
pub mod commands;
pub(crate) mod decide;
pub mod events;
pub mod state;
