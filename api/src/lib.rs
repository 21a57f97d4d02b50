//! The HTTP face of metod (`metod serve`): an axum server over the one `App` the command line
//! uses, so a request does what the same command does. It keeps the workflow engine and the
//! read models running in the background (answers never wait for a catch-up, timers fire
//! without cron), says whether it is alive and ready, and stops gracefully: requests in
//! flight finish, the background stops at a pass boundary. Who may call what is the role
//! table in `routes.rs`; the actor is always the logged-in account, never the request.

mod auth;
mod background;
mod error;
mod handlers;
mod health;
mod openapi;
mod routes;
mod serve;
mod shared;
mod table;

pub use auth::Access;
pub use background::Checkpointing;
pub use openapi::openapi;
pub use serve::{serve, ServeConfig, ServeError, Served};
pub use table::{Route, ROUTES};
