//! Keeping the read models up to date: catch-up from the checkpoint (each page of events is
//! written with the checkpoint in one transaction, so a crash never applies an event twice or
//! loses one), and a rebuild from the first event.

use store::MetodStore;

use crate::error::ProjectionError;
use crate::projector::Projector;

/// The checkpoint of the read models. Its version changes when the facts' shape does; a
/// store whose checkpoint under this name is 0 is rebuilt from the start.
pub const READ_MODELS: &str = "read-models-v2";

/// Events read and applied per transaction while catching up.
const PAGE: usize = 20_000;

/// Events applied per transaction in a rebuild: most rows a later event retires are then
/// still in memory and are written once, already closed.
const REBUILD_BATCH: usize = 100_000;

/// What a catch-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// The checkpoint before and after.
    pub from: u64,
    pub to: u64,
    /// Rows written and rows retired.
    pub rows_written: u64,
    pub rows_retired: u64,
}

/// Reports progress: (position reached, last position).
pub type Progress<'a> = &'a (dyn Fn(u64, u64) + Send + Sync);

/// Brings the read models up to the end of the log. The facts' indexes are there after
/// it, even if a rebuild before it was interrupted.
pub async fn catch_up(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let done = catch_up_rows(store, progress).await?;
    store.ensure_fact_indexes().await?;
    Ok(done)
}

async fn catch_up_rows(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let from = store.checkpoint(READ_MODELS).await?;
    let head = store.last_position().await?;
    if from >= head {
        return Ok(CatchUp {
            from,
            to: from,
            rows_written: 0,
            rows_retired: 0,
        });
    }
    let projector = if from == 0 {
        // Nothing under this version: rows of an older shape go.
        store.clear_facts(READ_MODELS).await?;
        Projector::new()
    } else {
        let current = store.current_facts().await?;
        Projector::resume(current, from)
            .map_err(|reason| ProjectionError::UnreadableReadModel { reason })?
    };
    project(store, projector, from, head, PAGE, progress).await
}

/// Rebuilds every read model from the first event: the rows are loaded without the
/// secondary indexes, which are built at the end.
pub async fn rebuild(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    store.clear_facts(READ_MODELS).await?;
    let head = store.last_position().await?;
    let done = project(store, Projector::new(), 0, head, REBUILD_BATCH, progress).await?;
    store.ensure_fact_indexes().await?;
    Ok(done)
}

async fn project(
    store: &dyn MetodStore,
    mut projector: Projector,
    from: u64,
    head: u64,
    batch: usize,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let mut done = CatchUp {
        from,
        to: from,
        rows_written: 0,
        rows_retired: 0,
    };
    loop {
        // Pages of reading, one transaction per batch.
        let mut read = 0;
        let mut last_page = 0;
        while read < batch {
            let page = store.read_contents(projector.position() + 1, PAGE).await?;
            for recorded in &page {
                projector.apply(recorded)?;
            }
            read += page.len();
            last_page = page.len();
            progress(projector.position(), head.max(projector.position()));
            if page.len() < PAGE {
                break;
            }
        }
        if read == 0 {
            break;
        }
        let changes = projector.take_changes();
        done.rows_written += changes.inserted.len() as u64;
        done.rows_retired += changes.retired.len() as u64;
        store
            .commit_facts(READ_MODELS, done.to, projector.position(), &changes)
            .await?;
        done.to = projector.position();
        if last_page < PAGE {
            break;
        }
    }
    Ok(done)
}
