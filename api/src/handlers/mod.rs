//! The handlers of the role table's routes, by what they serve.

pub(crate) mod answers;
pub(crate) mod commands;
pub(crate) mod log;
pub(crate) mod pages;
pub(crate) mod personal_data;
pub(crate) mod session;
