//! The work no request waits for: the workflow engine's reactions and deadline timers, and the
//! read models kept caught up with the log, each pass as soon as the log grows or the poll
//! interval passes, until the server stops.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::App;
use tokio::sync::{watch, Mutex};
use tokio::task::JoinHandle;

/// The key checkpoints are signed with, and how often.
pub struct Checkpointing {
    pub key: audit::SigningKey,
    pub every: Duration,
}

impl std::fmt::Debug for Checkpointing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // never the key itself
        write!(f, "Checkpointing({:?} every {:?})", self.key, self.every)
    }
}

/// The roles only one process at a time plays.
const WORKFLOW_ROLE: &str = "workflow";
const CHECKPOINT_ROLE: &str = "checkpoints";

/// The background tasks and whether the read models have caught up once (readiness).
pub(crate) struct Background {
    caught_up: Arc<AtomicBool>,
    tasks: Mutex<Vec<JoinHandle<()>>>,
}

impl Background {
    pub(crate) fn start(
        app: App,
        poll: Duration,
        checkpoints: Option<Checkpointing>,
        stopped: watch::Receiver<bool>,
    ) -> Self {
        let caught_up = Arc::new(AtomicBool::new(false));
        let workflow = tokio::spawn(run_workflow(app.clone(), poll, stopped.clone()));
        let mut tasks = vec![workflow];
        if let Some(checkpoints) = checkpoints {
            tasks.push(tokio::spawn(sign_checkpoints(
                app.clone(),
                checkpoints,
                stopped.clone(),
            )));
        }
        tasks.push(tokio::spawn(keep_read_models(
            app,
            poll,
            stopped,
            caught_up.clone(),
        )));
        Self {
            caught_up,
            tasks: Mutex::new(tasks),
        }
    }

    /// Whether the read models have been brought up to the log at least once.
    pub(crate) fn caught_up(&self) -> bool {
        self.caught_up.load(Ordering::Acquire)
    }

    /// Waits for the tasks to end (after the stop signal).
    pub(crate) async fn join(&self) {
        let tasks = std::mem::take(&mut *self.tasks.lock().await);
        for task in tasks {
            let _ = task.await;
        }
    }
}

async fn until_stopped(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Runs the workflow engine while this process leads it; until then, asks again every poll
/// (another process leads, and may die).
async fn run_workflow(app: App, poll: Duration, mut stopped: watch::Receiver<bool>) {
    let lease = loop {
        match lead(&app).await {
            Ok(Some(lease)) => break lease,
            Ok(None) => {}
            Err(e) => tracing::error!(code = e.code(), error = %e, "cannot ask for the lead"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    };
    tracing::info!("leading the workflow engine");
    let followed = app
        .follow_workflow(poll, until_stopped(stopped), |report| {
            tracing::debug!(?report, "workflow pass");
        })
        .await;
    if let Err(e) = followed {
        tracing::error!(code = e.code(), error = %e, "the workflow engine stopped");
    }
    drop(lease);
}

async fn lead(app: &App) -> Result<Option<store::Lease>, app::AppError> {
    Ok(app.store().await?.try_lead(WORKFLOW_ROLE).await?)
}

/// Signs a checkpoint every interval when the log has grown since the newest one kept; one
/// process at a time does it (the leader of the `checkpoints` role).
async fn sign_checkpoints(app: App, every: Checkpointing, mut stopped: watch::Receiver<bool>) {
    let mut lease = None;
    loop {
        if lease.is_none() {
            lease = match app.store().await {
                Ok(store) => store.try_lead(CHECKPOINT_ROLE).await.unwrap_or(None),
                Err(_) => None,
            };
        }
        if lease.is_some() {
            if let Err(e) = checkpoint_if_grown(&app, &every.key).await {
                tracing::error!(code = e.code(), error = %e, "checkpoint not signed");
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every.every) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}

async fn checkpoint_if_grown(app: &App, key: &audit::SigningKey) -> Result<(), app::AppError> {
    let size = app.store().await?.last_position().await?;
    let newest = app.signed_checkpoints().await?.last().map(|c| c.tree_size);
    if size == 0 || newest == Some(size) {
        return Ok(());
    }
    let kept = app.sign_checkpoint(key).await?;
    tracing::info!(size = kept.tree_size, "checkpoint signed");
    Ok(())
}

async fn keep_read_models(
    app: App,
    poll: Duration,
    mut stopped: watch::Receiver<bool>,
    caught_up: Arc<AtomicBool>,
) {
    loop {
        match app.catch_up_read_models().await {
            Ok(()) => caught_up.store(true, Ordering::Release),
            Err(e) => tracing::error!(code = e.code(), error = %e, "read models not caught up"),
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = stopped.wait_for(|stop| *stop) => return,
        }
    }
}
