//! `metod bench serve` (issue 19 item 7): the HTTP server under load. Over a generated city
//! (`metod demo --scale city`) on a fixed "today" just after its history, accounts are opened
//! for real people of the town — the department's official, the council that reviews the
//! city plans, heads of city associations, secretaries, teachers — and N sessions log in and
//! drive a realistic mix over one kept-alive HTTP/1.1 connection each: inboxes, oversight
//! questions at random past dates, trails of documents in scope, and the approvals and
//! returns of documents waiting for them. Beside it, in the same run and with the same
//! concurrency, the same operations called in-process on the application layer: the ceiling.
//! The two sides take turns (half the time each, twice) so that a machine whose speed drifts
//! does not favour one of them.

mod client;
mod drive;
mod plan;
mod report;
mod town;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::failure::Failure;

/// `metod bench serve`.
#[derive(Debug, Args)]
pub struct BenchServeArgs {
    /// Concurrent sessions on each side (HTTP, and in-process).
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub sessions: u32,
    /// Seconds each side is driven (in two halves, taking turns with the other side).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
    /// A session's pause between two operations, ms on average (uniform from 0 to twice
    /// that). 0, the default: back to back, the most the server does at this concurrency.
    #[arg(long, default_value_t = 0)]
    pub think_ms: u64,
    /// At most this many operations a session makes on each side; the time ends it first.
    #[arg(long, default_value_t = 100_000)]
    pub requests: u64,
    /// School years of the generated city (Novokuznetsk, the last one 2025/26), in a temporary
    /// SQLite file unless --db is given on the command line (an empty store). Two take about
    /// half a minute on a 2-core machine (47,000 events, 15,600 teachers), each further year
    /// about as much again; with the defaults the whole bench takes about two and a half
    /// minutes (the city, the documents waiting for the sessions, 2 × 30 s of load).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub years: u32,
    /// The seed of the generated city and of each session's choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The size of the generated municipality: a city, or a region of ten cities' size
    /// (generate it once and keep it with --data); a town only for tests.
    #[arg(long, value_enum, default_value = "city")]
    pub scale: Scale,
    /// Where the generated history is kept, as `bench read-models --data` keeps it (a
    /// directory of SQLite files, or a PostgreSQL URL beside whose database it is kept):
    /// generated there when missing, then each run serves a copy made beside it, so the
    /// history is generated once and stays as generated.
    #[arg(long)]
    pub data: Option<String>,
    /// Write the report as JSON to this file.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `metod demo --scale` for the bench (its own, so that the grammar in `cli.rs`, which names
/// these arguments, is not imported back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Scale {
    #[value(hide = true)]
    Small,
    City,
    Region,
}

impl Scale {
    /// The generator's scale of this name.
    fn generated(self) -> demo::Scale {
        match self {
            Scale::Small => demo::Scale::Small,
            Scale::City => demo::Scale::City,
            Scale::Region => demo::Scale::Region,
        }
    }

    pub fn name(self) -> &'static str {
        self.generated().name()
    }
}

pub async fn run(db: Option<String>, args: BenchServeArgs) -> Result<(), Failure> {
    let scratch = tempfile::tempdir()
        .map_err(|e| crate::failure::io_failure("не удалось создать временный каталог", e))?;
    let (url, history) = match (db, &args.data) {
        (Some(_), Some(_)) => {
            return Err(Failure::new(
                "invalid_argument",
                "--db и --data вместе не указываются: бенчмарк обслуживает либо пустое \
                 хранилище --db, либо копию истории из --data",
            ))
        }
        (Some(db), None) => {
            let history = town::generate(&db, &args)?;
            (db, history)
        }
        (None, Some(data)) => town::kept_copy(data, &args).await?,
        (None, None) => {
            let url = format!("sqlite://{}", scratch.path().join("serve.db").display());
            let history = town::generate(&url, &args)?;
            (url, history)
        }
    };
    let town = town::Town::build(&url, history, &args).await?;
    eprintln!(
        "bench: «сегодня» {}, сессий {}, учётных записей {}, документов ждут решения сессий: {}",
        town.today,
        town.sessions.len(),
        town.accounts,
        town.waiting()
    );

    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (bound, address) = tokio::sync::oneshot::channel::<SocketAddr>();
    let config = api::ServeConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        poll: Duration::from_millis(1_000),
        secure_cookies: false,
        checkpoints: None,
    };
    let server = tokio::spawn(api::serve(
        town.app.clone(),
        config,
        async {
            let _ = stopped.await;
        },
        move |served| {
            let _ = bound.send(served.address);
        },
    ));
    let address = match address.await {
        Ok(address) => address,
        Err(_) => return Err(server_failure(server.await)),
    };
    let measured = drive::measure(&town, address, &args).await;
    let _ = stop.send(());
    let stopped = server.await;
    let (http, in_process, memory) = measured?;
    finished(stopped)?;
    report::print(&town, &args, &url, &http, &in_process, &memory)?;
    if let Some(kept) = &town.kept {
        drop(town.app);
        store::bench::remove_twin(kept, &url).await?;
    }
    drop(scratch);
    Ok(())
}

/// The server task's end as a failure (it stopped before it listened).
fn server_failure(ended: Result<Result<(), api::ServeError>, tokio::task::JoinError>) -> Failure {
    match finished(ended) {
        Err(failure) => failure,
        Ok(()) => Failure::new("server_failed", "сервер остановился, не начав слушать"),
    }
}

fn finished(
    ended: Result<Result<(), api::ServeError>, tokio::task::JoinError>,
) -> Result<(), Failure> {
    match ended {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Failure::new(e.code(), e.to_string())),
        Err(e) => Err(Failure::new(
            "server_failed",
            format!("задача сервера: {e}"),
        )),
    }
}

/// The process's peak resident memory: over the whole run, and while serving (the peak is
/// reset after the city is generated, where the kernel allows it).
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    pub peak_whole_run_kib: Option<u64>,
    pub peak_serving_kib: Option<u64>,
}

/// A field of /proc/self/status in KiB (`VmHWM`, `VmRSS`).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the peak resident memory to the current one (Linux ≥ 4.0: `5` to clear_refs).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
