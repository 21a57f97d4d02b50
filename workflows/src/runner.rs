//! `metod workflow run`: the process managers from their checkpoint, then the timers; once,
//! or again whenever the log grows or a poll interval passes (`--follow`). A command of
//! theirs the rules refuse is recorded in the log (`ReactionRefused`, see `refusals.rs`).

use std::time::{Duration, Instant};

use commands::{fact_of, CommandError, CommandHandler, Submission};
use domain::Ref;
use store::StreamId;

use crate::error::WorkflowError;
use crate::log_view::LogView;
use crate::reactions::reactions_to;
use crate::refusals::{ReactionRefused, Refusal, RefusalTrigger, REFUSALS_STREAM};
use crate::timers::{due_timers, Timer};

/// The checkpoint of the process managers.
pub const PROCESS_MANAGERS: &str = "process-managers";

const PAGE: usize = 1_000;

/// What one pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RunReport {
    /// Reactions recorded (repeats of earlier ones are not counted).
    pub reactions: usize,
    /// Commands of reactions and timers the rules refused in this pass, each with the record
    /// of the refusal in the log (made by this pass or an earlier one).
    pub refused: Vec<Refusal>,
    /// Deadlines recorded as missed.
    pub deadlines: usize,
    /// The position the process managers have handled up to.
    pub position: u64,
}

impl RunReport {
    /// The refusals this pass recorded (the others had been recorded before).
    pub fn refusals_recorded(&self) -> usize {
        self.refused.iter().filter(|r| r.newly_recorded).count()
    }
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
            let submission = timer.submission();
            match self.handler.handle(submission.clone()).await {
                Ok(handled) if !handled.result.deduplicated => report.deadlines += 1,
                Ok(_) => {}
                Err(CommandError::Domain(e)) => {
                    let record = ReactionRefused::new(
                        RefusalTrigger::deadline(&timer),
                        &submission,
                        &[Ref::Association(timer.association)],
                        &e,
                    );
                    let about = timer_in_russian(&timer, &view);
                    report
                        .refused
                        .push(self.record_refusal(record, about, &submission).await?);
                }
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
    /// resolves. The process managers react to every growth; the timers run at most once a
    /// `poll`: a deadline is missed by the day, and a pass of the timers folds what was
    /// appended and looks at every aggregate of the log.
    pub async fn follow(
        &self,
        poll: Duration,
        stop: impl std::future::Future<Output = ()>,
        mut on_pass: impl FnMut(&RunReport),
    ) -> Result<(), WorkflowError> {
        let mut appended = self.handler.store().appended();
        tokio::pin!(stop);
        let mut timers_ran = None;
        loop {
            let timers_due = timers_ran.is_none_or(|at: Instant| at.elapsed() >= poll);
            let report = if timers_due {
                timers_ran = Some(Instant::now());
                self.run_once().await?
            } else {
                self.react().await?
            };
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
                if let Some(fact) = fact_of(recorded)? {
                    for submission in reactions_to(store.as_ref(), recorded, &fact.event).await? {
                        match self.handler.handle(submission.clone()).await {
                            Ok(handled) if !handled.result.deduplicated => report.reactions += 1,
                            Ok(_) => {}
                            Err(CommandError::Domain(e)) => {
                                let trigger = RefusalTrigger::event(recorded);
                                let about = format!(
                                    "{} в потоке {}",
                                    trigger.in_russian(),
                                    recorded.stream
                                );
                                let record = ReactionRefused::new(
                                    trigger,
                                    &submission,
                                    &[fact.event.home()],
                                    &e,
                                );
                                report
                                    .refused
                                    .push(self.record_refusal(record, about, &submission).await?);
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

    /// Records a refusal once: a repeated one (the same refused command) is answered by its
    /// first record.
    async fn record_refusal(
        &self,
        record: ReactionRefused,
        about: String,
        submission: &Submission,
    ) -> Result<Refusal, WorkflowError> {
        let stream = StreamId::parse(REFUSALS_STREAM)?;
        let handled = self
            .handler
            .record_note(&stream, record.to_new_event(submission), record.record_id())
            .await?;
        Ok(Refusal {
            record,
            about,
            position: handled.result.first_position,
            newly_recorded: !handled.result.deduplicated,
        })
    }
}

/// A timer named for the operator: the deadline with its step and version, the document or
/// association (title and id) and the due date.
fn timer_in_russian(timer: &Timer, view: &LogView) -> String {
    let world = &view.world;
    let association = world
        .associations
        .get(&timer.association)
        .map(|a| format!("объединение «{}» ({})", a.title, timer.association))
        .unwrap_or_else(|| format!("объединение {}", timer.association));
    let subject = match timer.document {
        Some(document) => {
            let title = world
                .documents
                .get(&document)
                .map(|d| format!("«{}» ", d.title))
                .unwrap_or_default();
            format!("документ {title}({document}), {association}")
        }
        None => association,
    };
    format!(
        "{}; {subject}",
        RefusalTrigger::deadline(timer).in_russian()
    )
}
