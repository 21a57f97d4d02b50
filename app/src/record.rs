//! Recording commands: JSON through the rules and into the log, one transaction each.

use commands::parse_submissions;
use domain::Acting;
use store::RecordedEvent;

use crate::app::App;
use crate::error::AppError;

/// What a list of commands recorded, and where it stopped if the rules refused one.
#[derive(Debug)]
pub struct Recorded {
    /// The events of the commands recorded, in order.
    pub events: Vec<RecordedEvent>,
    /// The command that was refused; the ones after it were not tried.
    pub stopped: Option<Stopped>,
}

/// A command of a list that was not recorded.
#[derive(Debug)]
pub struct Stopped {
    /// Its place in the list from 0: the number of commands recorded before it.
    pub index: usize,
    /// Its name (`RegisterPerson`, …).
    pub command: String,
    /// How many commands the list had.
    pub of: usize,
    pub error: AppError,
}

impl App {
    /// Records the commands of `json` (one command or an array) by `acting`, in order, each
    /// in its own transaction, up to the first one refused. A list that does not parse
    /// records nothing.
    pub async fn record(&self, acting: Acting, json: &str) -> Result<Recorded, AppError> {
        let submissions = parse_submissions(json, acting, self.today()?)?;
        let handler = self.handler().await?;
        let of = submissions.len();
        let mut events = Vec::new();
        for (index, submission) in submissions.into_iter().enumerate() {
            let command = submission.command.name();
            match handler.handle(submission).await {
                Ok(handled) => events.extend(handled.events),
                Err(error) => {
                    let stopped = Stopped {
                        index,
                        command,
                        of,
                        error: error.into(),
                    };
                    return Ok(Recorded {
                        events,
                        stopped: Some(stopped),
                    });
                }
            }
        }
        Ok(Recorded {
            events,
            stopped: None,
        })
    }
}
