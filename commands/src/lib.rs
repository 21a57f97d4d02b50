//! Command handling: take a command from someone acting on a date, load every aggregate its
//! rules read, let the pure domain `decide`, and append the events to the target stream with
//! the expected version — retrying on a concurrent conflict, answering a repeated command id
//! with its first result, sealing personal fields through the vault first. Also the set of
//! regulation profiles in force (the five built in, more from a directory) and the JSON form
//! of commands.

mod error;
mod handler;
mod json;
mod profiles;
mod state_cache;

pub use error::CommandError;
pub use handler::{fact_of, CommandHandler, Handled, Submission, WORKFLOW_STREAM_PREFIX};
pub use json::{parse_submissions, SubmissionJson};
pub use profiles::ProfileSet;
