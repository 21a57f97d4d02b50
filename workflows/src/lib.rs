//! The approval engine around the domain's chains: process managers that react to events
//! with idempotent commands (an approved application → the member joins; the last step → the
//! document is approved), durable deadline timers derived from the log (a step's review
//! period, 5 May / 15 May / 15 Sep, the member database by 1 Oct) that fire exactly once, and
//! the views people act on: a person's inbox and a document's audit trail. A command of the
//! workflow's own that the rules refuse is recorded (`ReactionRefused` on `workflow-refusals`),
//! not only reported. Everything is written through `commands`; time comes from the injected
//! clock.

mod actor;
mod error;
mod inbox;
mod log_view;
mod meeting_record;
mod reactions;
mod refusals;
mod runner;
mod timers;
mod trail;

pub use domain::inbox::{InboxItem, InboxReason};
pub use error::WorkflowError;
pub use inbox::inbox;
pub use log_view::LogView;
pub use meeting_record::{meeting_record, Attendee, MeetingEntry, MeetingRecord, VoteHeld};
pub use reactions::reactions_to;
pub use refusals::{
    deadline_in_russian, refusals_of, ReactionRefused, Refusal, RefusalTrigger, REACTION_REFUSED,
    REFUSALS_STREAM,
};
pub use runner::{RunReport, WorkflowRunner, PROCESS_MANAGERS};
pub use timers::{due_timers, Timer};
pub use trail::{
    describe_history, trail, trail_at, trail_verified, Trail, TrailEntry, TrailHolder, TrailPerson,
};
