//! Keeping the read models up to date: catch-up from the checkpoint (each page of events is
//! written with the checkpoint in one transaction, so a crash never applies an event twice or
//! loses one), and a rebuild from the first event.

use std::time::{Duration, Instant};

use store::{EventContent, FactChanges, FactRow, MetodStore, Retiring};
use tokio::sync::{mpsc, oneshot};

use crate::error::ProjectionError;
use crate::projector::{FactSource, Lookup, Projector};

/// The checkpoint of the read models. Its version changes when the facts' shape does; a
/// store whose checkpoint under this name is 0 is rebuilt from the start.
pub const READ_MODELS: &str = "read-models-v14";

/// Events read and applied per transaction while catching up.
const PAGE: usize = 20_000;

/// Events applied per transaction in a rebuild: most rows a later event retires are then
/// still in memory and are written once, already closed.
const REBUILD_BATCH: usize = 25_000;

/// Rows written or retired after which a batch is handed over whatever its events: a school
/// year's first days admit a region's teachers, each admission recounting its association,
/// and a batch of those events held ten times the rows of an ordinary one (and the memory).
const BATCH_ROWS: usize = 60_000;

/// Events read per page in a rebuild: pages are read ahead of the projector, so their size
/// is memory held while the projector works.
const REBUILD_PAGE: usize = 5_000;

/// Events to apply beyond which a catch-up resumes from every current row of the store
/// rather than reading the facts its events need one by one: past this many events the
/// facts they touch are most of them, and one scan reads them faster than a query each.
const RESUME_ALL_BEYOND: u64 = 50_000;

/// Facts a kept projector ([`catch_up_kept`]) may hold between catch-ups; past this it
/// forgets them, and reads again from the store those the next events need. Each held fact
/// takes about 1.3 KB, so this bounds a server's kept projector to some 65 MB whatever the
/// size of the region.
const KEPT_FACTS: usize = 50_000;

/// What a catch-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// The checkpoint before and after.
    pub from: u64,
    pub to: u64,
    /// Rows written and rows retired.
    pub rows_written: u64,
    pub rows_retired: u64,
    /// Whether it went on with the projector kept from the last catch-up
    /// ([`catch_up_kept`]) rather than one resumed from the store's rows.
    pub went_on: bool,
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

/// [`catch_up`] for a process that catches up again and again (a server after each write):
/// the projector of the last catch-up is kept in `kept` and goes on from where it stopped,
/// instead of being resumed from every current row of the store each time. It is used only
/// while the store's read models are still where it left them (same checkpoint, same last
/// row); otherwise — another process wrote them, a rebuild ran — it is resumed from the
/// store as [`catch_up`] does. A failed catch-up leaves nothing kept.
pub async fn catch_up_kept(
    store: &dyn MetodStore,
    kept: &mut Option<Projector>,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let from = store.checkpoint(READ_MODELS).await?;
    let head = store.last_position().await?;
    if from >= head {
        return Ok(unchanged(from));
    }
    let (projector, start, went_on) = match kept.take() {
        Some(projector)
            if from > 0
                && projector.position() == from
                && projector.last_fact_id() == store.last_fact_id().await? =>
        {
            (projector, Start::Continue, true)
        }
        _ => {
            let (projector, start) = starting_point(store, from, head).await?;
            (projector, start, false)
        }
    };
    let batches_of = Batches::of(start);
    let (done, mut projector) =
        project(store, projector, from, head, start, batches_of, progress).await?;
    store.ensure_fact_indexes().await?;
    if let Some(projector) = projector.as_mut().filter(|p| p.held_facts() > KEPT_FACTS) {
        projector.forget();
    }
    *kept = projector;
    Ok(CatchUp { went_on, ..done })
}

fn unchanged(at: u64) -> CatchUp {
    CatchUp {
        from: at,
        to: at,
        rows_written: 0,
        rows_retired: 0,
        went_on: false,
    }
}

/// The projector a catch-up from `from` to `head` starts with: a new one onto cleared rows
/// when nothing is there under this version; else one that reads from the store the facts
/// its events need, or, with many events to apply, one resumed from every current row.
async fn starting_point(
    store: &dyn MetodStore,
    from: u64,
    head: u64,
) -> Result<(Projector, Start), ProjectionError> {
    if from == 0 {
        // Nothing under this version: rows of an older shape go (before the first write).
        return Ok((Projector::new(), Start::Cleared));
    }
    // A rebuild interrupted may have left retirements waiting: the rows read below must be
    // the read models up to the checkpoint.
    store.settle_facts().await?;
    let last_id = store.last_fact_id().await?;
    if head - from <= RESUME_ALL_BEYOND {
        // Reads by key need the index by key (a rebuild interrupted left none).
        store.ensure_fact_indexes().await?;
        return Ok((Projector::resume_by_key(last_id, from), Start::Continue));
    }
    let current = store.current_facts().await?;
    let projector = Projector::resume(current, last_id, from)
        .map_err(|reason| ProjectionError::UnreadableReadModel { reason })?;
    Ok((projector, Start::Continue))
}

async fn catch_up_rows(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let from = store.checkpoint(READ_MODELS).await?;
    let head = store.last_position().await?;
    if from >= head {
        return Ok(unchanged(from));
    }
    let (projector, start) = starting_point(store, from, head).await?;
    let batches_of = Batches::of(start);
    Ok(
        project(store, projector, from, head, start, batches_of, progress)
            .await?
            .0,
    )
}

/// Rebuilds every read model from the first event: the old rows go while the first pages
/// are read and applied, the new ones are loaded without the secondary indexes, which are
/// built at the end.
pub async fn rebuild(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    Ok(rebuild_timed(store, progress).await?.0)
}

/// How long the two parts of a rebuild took.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RebuildTimes {
    /// Reading, projecting and writing the rows (the three at once), until the last batch
    /// was written.
    pub rows: Duration,
    /// Building the secondary indexes the answers read, after the last row.
    pub indexes: Duration,
}

/// [`rebuild`], with the time each of its parts took.
pub async fn rebuild_timed(
    store: &dyn MetodStore,
    progress: Progress<'_>,
) -> Result<(CatchUp, RebuildTimes), ProjectionError> {
    rebuild_in(store, Batches::REBUILD, progress).await
}

/// [`rebuild`] in batches of at most `events` events (a rebuild's are 25,000): the smaller
/// they are, the more of its retirements close rows an earlier batch wrote and wait for its
/// last batch. The tests hold a rebuild of a small log in small batches to the rows a rebuild
/// of it in one batch writes, as a region's rebuild is in batches.
pub async fn rebuild_in_batches(
    store: &dyn MetodStore,
    events: usize,
    progress: Progress<'_>,
) -> Result<CatchUp, ProjectionError> {
    let batches_of = Batches {
        events: events.max(1),
        ..Batches::REBUILD
    };
    Ok(rebuild_in(store, batches_of, progress).await?.0)
}

async fn rebuild_in(
    store: &dyn MetodStore,
    batches_of: Batches,
    progress: Progress<'_>,
) -> Result<(CatchUp, RebuildTimes), ProjectionError> {
    let started = Instant::now();
    let head = store.last_position().await?;
    let (done, _) = project(
        store,
        Projector::new(),
        0,
        head,
        Start::Cleared,
        batches_of,
        progress,
    )
    .await?;
    let rows = started.elapsed();
    store.ensure_fact_indexes().await?;
    let indexes = started.elapsed().saturating_sub(rows);
    Ok((done, RebuildTimes { rows, indexes }))
}

/// The projection of a rebuild alone: reads the log from the first event and applies every
/// event as [`rebuild`] does, handing the rows over in batches of the same size, but drops
/// them instead of writing them, on this one task. It writes nothing; it returns the events
/// applied. Beside a pass that only decodes, it shows what projecting costs, and beside the
/// rebuild, what the store's writes and indexes cost (`metod bench read-models`).
pub async fn project_without_writing(store: &dyn MetodStore) -> Result<u64, ProjectionError> {
    let batches_of = Batches::REBUILD;
    let mut projector = Projector::new();
    let (mut position, mut applied, mut pending) = (0, 0u64, 0);
    loop {
        let page = store.read_contents(position + 1, batches_of.page).await?;
        for recorded in &page {
            if batches_of.due(pending, &projector) {
                pending = 0;
                drop(std::hint::black_box(projector.take_changes()));
            }
            projector.apply(recorded)?;
            position = recorded.position;
            applied += 1;
            pending += 1;
        }
        if page.len() < batches_of.page {
            break;
        }
    }
    drop(std::hint::black_box(projector.take_changes()));
    Ok(applied)
}

/// Reads the log from `from`, applies it and writes the rows and the checkpoint one
/// transaction per batch (`batches_of`: so many events or rows, and at the end; the
/// retirements of every batch but the last as `batches_of.retiring` says, the last's now).
/// Three things happen at once: this task
/// reads the next pages, the projector applies the last ones on a thread of its own, and this
/// task writes the batch the projector finished before. Batches are written in order, each
/// with the checkpoint of its last event, so a stop anywhere leaves the read models at a
/// batch boundary; an event the projector cannot apply stops it there, and the batches before
/// it stay written. The projector comes back when every event read was applied and written
/// (`None` after a stop: its state may be ahead of what was written). A fourth task answers
/// the projector's reads of the facts it does not hold.
async fn project(
    store: &dyn MetodStore,
    mut projector: Projector,
    from: u64,
    head: u64,
    start: Start,
    batches_of: Batches,
    progress: Progress<'_>,
) -> Result<(CatchUp, Option<Projector>), ProjectionError> {
    let (pages, pages_in) = mpsc::channel::<Vec<EventContent>>(PAGES_AHEAD);
    let (batches_out, mut batches) = mpsc::channel::<Result<Batch, ProjectionError>>(1);
    let (written_out, written) = std::sync::mpsc::channel::<()>();
    let (reads_out, mut reads) = mpsc::channel::<Read>(1);
    projector.lend_source(Box::new(StoreReads(reads_out)));
    let applying = std::thread::Builder::new()
        .name("projector".into())
        .spawn(move || {
            let handing = HandOver {
                batches: batches_out,
                written,
                one_unwritten: false,
            };
            let mut projector = apply_pages(projector, pages_in, handing, batches_of);
            // The reads end with the source.
            if let Some(projector) = projector.as_mut() {
                projector.return_source();
            }
            projector
        })
        .map_err(|e| ProjectionError::Worker {
            reason: format!("поток не запущен: {e}"),
        })?;

    let read = async move {
        let mut position = from;
        loop {
            let page = store.read_contents(position + 1, batches_of.page).await?;
            let last_page = page.len() < batches_of.page;
            if let Some(last) = page.last() {
                position = last.position;
            }
            progress(position, head.max(position));
            // A closed channel means the projector stopped; its reason comes with the batches.
            if page.is_empty() || pages.send(page).await.is_err() || last_page {
                break;
            }
        }
        Ok::<(), ProjectionError>(())
    };
    // It owns the receiving end of the batches and the sending end of `written`: if it stops
    // early, both go with it, and the projector waiting on either stops too.
    let write = async move {
        let mut done = CatchUp {
            from,
            to: from,
            rows_written: 0,
            rows_retired: 0,
            went_on: false,
        };
        if start == Start::Cleared {
            // While the first pages are read and applied.
            store.clear_facts(READ_MODELS).await?;
        }
        while let Some(next) = batches.recv().await {
            let Batch {
                to,
                changes,
                retiring,
            } = next?;
            store
                .commit_facts(READ_MODELS, done.to, to, &changes, retiring)
                .await?;
            done.rows_written += changes.inserted.len() as u64;
            done.rows_retired += changes.retired.len() as u64;
            done.to = to;
            // The projector may go on handing over; gone, it no longer listens.
            let _ = written_out.send(());
        }
        Ok::<CatchUp, ProjectionError>(done)
    };
    let answer = async {
        while let Some(Read {
            fact_kind,
            lookup,
            reply,
        }) = reads.recv().await
        {
            let rows = store
                .current_facts_of(fact_kind, lookup.as_current_of())
                .await;
            // A projector gone no longer waits for the answer.
            let _ = reply.send(rows.map_err(ProjectionError::from));
        }
    };
    let (read, written, ()) = tokio::join!(read, write, answer);
    // Both channels are closed by now, so the thread has returned.
    let projector = applying.join().map_err(|_| ProjectionError::Worker {
        reason: "поток завершился аварийно".into(),
    })?;
    let done = written?;
    read?;
    Ok((done, projector.filter(|p| p.position() == done.to)))
}

/// Where the rows of a projection start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// From the first event: the old rows go (and the secondary indexes with them, for the
    /// bulk load) before the first batch is written.
    Cleared,
    /// From the checkpoint, onto the rows there.
    Continue,
}

/// Pages read ahead of the projector.
const PAGES_AHEAD: usize = 2;

/// How the log is read and its rows written: events per page read, the events or rows
/// after which the rows go to the store in one transaction, and when the retirements of a
/// batch that is not the last close their rows.
#[derive(Debug, Clone, Copy)]
struct Batches {
    page: usize,
    events: usize,
    rows: usize,
    retiring: Retiring,
}

impl Batches {
    /// A catch-up from the first event onto cleared rows is a rebuild, and batched as one.
    fn of(start: Start) -> Self {
        match start {
            Start::Cleared => Self::REBUILD,
            Start::Continue => Self::CATCH_UP,
        }
    }

    /// Whether a batch ends before the next event, after `pending` events applied since the
    /// last one, given the rows `projector` holds unwritten. A batch ends only where another
    /// event follows: the last one is handed over after the log's end, and it is the one that
    /// retires now ([`Retiring`]).
    fn due(&self, pending: usize, projector: &Projector) -> bool {
        pending > 0 && (pending >= self.events || projector.pending_rows() >= self.rows)
    }

    const CATCH_UP: Self = Self {
        page: PAGE,
        events: PAGE,
        rows: BATCH_ROWS,
        retiring: Retiring::Now,
    };
    /// Its retirements wait until its last batch: they close rows an earlier batch wrote,
    /// spread over the table (a region's rebuild, `metod rebuild`, two runs each in turn:
    /// 29.8 and 28.4 s closing each where it lay, writing 20.8 GB; 22.5 and 21.4 s with them
    /// waiting, writing 9.7 and 10.1 GB).
    const REBUILD: Self = Self {
        page: REBUILD_PAGE,
        events: REBUILD_BATCH,
        rows: BATCH_ROWS,
        retiring: Retiring::Later,
    };
}

/// A read of current rows the projector's thread asks for.
struct Read {
    fact_kind: &'static str,
    lookup: Lookup,
    reply: oneshot::Sender<Result<Vec<FactRow>, ProjectionError>>,
}

/// The source lent to the projector's thread: each read is asked of the task that reads the
/// store, and waited for.
struct StoreReads(mpsc::Sender<Read>);

impl FactSource for StoreReads {
    fn current(
        &mut self,
        fact_kind: &'static str,
        lookup: Lookup,
    ) -> Result<Vec<FactRow>, ProjectionError> {
        let gone = || ProjectionError::Worker {
            reason: "чтение фактов из хранилища прервано".into(),
        };
        let (reply, answer) = oneshot::channel();
        self.0
            .blocking_send(Read {
                fact_kind,
                lookup,
                reply,
            })
            .map_err(|_| gone())?;
        answer.blocking_recv().map_err(|_| gone())?
    }
}

/// What one transaction writes: the rows of the events up to `to`, and when its
/// retirements close their rows.
struct Batch {
    to: u64,
    changes: FactChanges,
    retiring: Retiring,
}

/// How the projector's thread hands its batches to the writer: a batch goes only once the
/// one before it is written, so at most two batches' rows are held at once — the one being
/// written and the one being made. (With a batch also waiting in the channel, a region's
/// rebuild held a third whenever the writer lagged, up to about 40 MB at the end, where the
/// projector holds the most.)
struct HandOver {
    batches: mpsc::Sender<Result<Batch, ProjectionError>>,
    /// One message per batch written.
    written: std::sync::mpsc::Receiver<()>,
    /// Whether the batch sent last is not yet known to be written (never more than one:
    /// each send waits for the one before).
    one_unwritten: bool,
}

impl HandOver {
    /// Hands over what the projector made since the last batch, whose retirements close
    /// their rows as `retiring` says; false if the writer is gone.
    fn batch(&mut self, projector: &mut Projector, retiring: Retiring) -> bool {
        if self.one_unwritten {
            // A writer gone stops the next send.
            let _ = self.written.recv();
        }
        let batch = Batch {
            to: projector.position(),
            changes: projector.take_changes(),
            retiring,
        };
        self.one_unwritten = true;
        self.batches.blocking_send(Ok(batch)).is_ok()
    }

    /// Tells the writer why the projector stopped.
    fn failure(&self, error: ProjectionError) {
        let _ = self.batches.blocking_send(Err(error));
    }
}

/// The projector's thread: applies pages as they come and hands over a batch every
/// `batches_of.events` events or `batches_of.rows` rows, and at the end; stops at the first
/// event it cannot apply. The last batch retires now, whatever the others do: a checkpoint at
/// the end of the log leaves no retirement waiting.
fn apply_pages(
    mut projector: Projector,
    mut pages: mpsc::Receiver<Vec<EventContent>>,
    mut handing: HandOver,
    batches_of: Batches,
) -> Option<Projector> {
    let mut pending = 0;
    while let Some(page) = pages.blocking_recv() {
        for recorded in &page {
            if batches_of.due(pending, &projector) {
                pending = 0;
                if !handing.batch(&mut projector, batches_of.retiring) {
                    return None;
                }
            }
            if let Err(e) = projector.apply(recorded) {
                // What was applied before the failing event is still written — unless a
                // fact it needed could not be read: what it computed then is not sound.
                let unread = !matches!(e, ProjectionError::CannotApply { .. });
                if pending > 0 && !unread {
                    handing.batch(&mut projector, batches_of.retiring);
                }
                handing.failure(e);
                return None;
            }
            pending += 1;
        }
    }
    if pending > 0 && !handing.batch(&mut projector, Retiring::Now) {
        return None;
    }
    Some(projector)
}
