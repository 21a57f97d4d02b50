//! The approval engine: reactions to events and deadline timers, once or continuously.

use std::future::Future;
use std::time::Duration;

use workflows::{RunReport, WorkflowRunner};

use crate::app::App;
use crate::error::AppError;

impl App {
    /// Reacts to the events after the checkpoint and records every missed deadline, until
    /// caught up.
    pub async fn run_workflow(&self) -> Result<RunReport, AppError> {
        Ok(self.workflow_runner().await?.run_once().await?)
    }

    /// Runs a pass now, then again whenever the log grows or `poll` passes, until `stop`
    /// resolves; `on_pass` hears of each pass.
    pub async fn follow_workflow(
        &self,
        poll: Duration,
        stop: impl Future<Output = ()>,
        on_pass: impl FnMut(&RunReport),
    ) -> Result<(), AppError> {
        let runner = self.workflow_runner().await?;
        Ok(runner.follow(poll, stop, on_pass).await?)
    }

    async fn workflow_runner(&self) -> Result<WorkflowRunner, AppError> {
        Ok(WorkflowRunner::new(self.handler().await?.clone()))
    }
}
