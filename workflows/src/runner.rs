//! `metod workflow run`: the process managers from their checkpoint, then the timers; once,
//! or again whenever the log grows or a poll interval passes (`--follow`).

use std::time::Duration;

use commands::{fact_of, CommandError, CommandHandler};
use domain::Event;

use crate::error::WorkflowError;
use crate::log_view::LogView;
use crate::reactions::reactions_to;
use crate::timers::due_timers;

/// The checkpoint of the process managers.
pub const PROCESS_MANAGERS: &str = "process-managers";

/// The actor the workflow's own records name.
pub const WORKFLOW_ACTOR: &str = "workflow";

const PAGE: usize = 1_000;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Reactions recorded (repeats of earlier ones are not counted).
    pub reactions: usize,
    /// Reactions the rules refused: the position of the triggering event and why.
    pub refused: Vec<(u64, String)>,
    /// Deadlines recorded as missed.
    pub deadlines: usize,
    /// The position the process managers have handled up to.
    pub position: u64,
}

/// Runs process managers and timers through one command handler.
pub struct WorkflowRunner {
    handler: CommandHandler,
    /// The log folded for the timers, kept between passes and brought up to date by each.
    view: tokio::sync::Mutex<LogView>,
}

impl WorkflowRunner {
    pub fn new(handler: CommandHandler) -> Self {
        Self {
            handler,
            view: tokio::sync::Mutex::new(LogView::default()),
        }
    }

    /// Reacts to everything after the checkpoint, then records every missed deadline.
    pub async fn run_once(&self) -> Result<RunReport, WorkflowError> {
        let mut report = self.react().await?;
        let today = self.handler.clock().now().date_naive();
        let mut view = self.view.lock().await;
        view.catch_up(self.handler.store().as_ref()).await?;
        for timer in due_timers(&mut view, self.handler.profiles(), today) {
            match self.handler.handle(timer.submission()).await {
                Ok(handled) if !handled.result.deduplicated => report.deadlines += 1,
                Ok(_) => {}
                Err(CommandError::Domain(e)) => report.refused.push((0, e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
        // A missed deadline triggers no reaction; reacting again only moves the checkpoint
        // past the timers' own events.
        let again = self.react().await?;
        report.reactions += again.reactions;
        report.refused.extend(again.refused);
        report.position = again.position;
        Ok(report)
    }

    /// Runs a pass now, then again whenever the log grows or `poll` passes, until `stop`
    /// resolves.
    pub async fn follow(
        &self,
        poll: Duration,
        stop: impl std::future::Future<Output = ()>,
        mut on_pass: impl FnMut(&RunReport),
    ) -> Result<(), WorkflowError> {
        let mut appended = self.handler.store().appended();
        tokio::pin!(stop);
        loop {
            let report = self.run_once().await?;
            on_pass(&report);
            tokio::select! {
                _ = &mut stop => return Ok(()),
                _ = appended.changed() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
    }

    /// The process managers: from the checkpoint to the end of the log, saving the
    /// checkpoint after each page. A crash between a reaction and the checkpoint repeats the
    /// page; the repeated reactions are answered by their command ids and record nothing.
    async fn react(&self) -> Result<RunReport, WorkflowError> {
        let store = self.handler.store();
        let mut report = RunReport {
            position: store.checkpoint(PROCESS_MANAGERS).await?,
            ..RunReport::default()
        };
        // Until a read finds nothing new: reactions append events that may call for
        // reactions of their own (an approved nomination → the appointment).
        loop {
            let page = store.read_all(report.position + 1, PAGE).await?;
            if page.is_empty() {
                return Ok(report);
            }
            for recorded in &page {
                if Event::TYPES.contains(&recorded.event_type.as_str()) {
                    let fact = fact_of(recorded)?;
                    for submission in reactions_to(store.as_ref(), recorded, &fact.event).await? {
                        match self.handler.handle(submission).await {
                            Ok(handled) if !handled.result.deduplicated => report.reactions += 1,
                            Ok(_) => {}
                            Err(CommandError::Domain(e)) => {
                                report.refused.push((recorded.position, e.to_string()))
                            }
                            Err(e) => return Err(e.into()),
                        }
                    }
                }
                report.position = recorded.position;
            }
            store
                .save_checkpoint(PROCESS_MANAGERS, report.position)
                .await?;
        }
    }
}
