//! Who the workflow's own records name: `workflow`, acting with the operator's authority.

use chrono::NaiveDate;
use commands::Submission;
use domain::{Acting, Command};
use store::CommandId;

/// The actor the workflow's own records name.
pub const WORKFLOW_ACTOR: &str = "workflow";

/// A command of the workflow's own (a reaction, a missed deadline): operator authority, the
/// workflow's name in the envelope.
pub fn workflow_submission(command: Command, effective: NaiveDate, id: CommandId) -> Submission {
    let mut submission = Submission::new(command, Acting::Operator, effective, id);
    submission.actor_id = Some(WORKFLOW_ACTOR.into());
    submission
}
