//! The `metod` binary: the command line over the event log (and, later, the HTTP API and web
//! pages). The only crate that knows about the terminal. Each subcommand has the file of its
//! name: it parses what was typed, calls the one `App` of the `app` crate, and renders the
//! answer. Every failure is one line on stderr — a stable English code, then the Russian
//! message — and a non-zero exit code.

mod account;
mod association;
mod audit;
mod bench;
mod cli;
mod command;
mod compare;
mod dates;
mod demo;
mod events;
mod failure;
mod inbox;
mod init;
mod personal_data;
mod profile;
mod progress;
mod query;
mod rebuild;
mod serve;
mod serve_demo;
mod table;
mod trail;
mod verify;
mod workflow;

use std::process::ExitCode;

use app::{App, Config};

use crate::cli::{BenchCommand, Cli, Command, Parsed};
use crate::failure::Failure;

// The log's hot paths allocate a row at a time; glibc malloc spent a fifth of `bench store` in
// its own bookkeeping. Built without transparent huge pages (`no_thp`): with them every fresh
// mimalloc page faulted in and zeroed 2 MiB, two fifths of a rebuild's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let (cli, command_line_db) = match cli::parse() {
        Parsed::Run {
            cli,
            command_line_db,
        } => (cli, command_line_db),
        Parsed::Print(help) => {
            // `--help` and `--version` go to stdout as clap writes them.
            return match help.print() {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => report(failure::io_failure("не удалось вывести справку", e)),
            };
        }
        Parsed::Refused(failure) => return report(failure),
    };
    // One task at a time, and sqlx runs each SQLite connection on a thread of its own: a
    // multi-thread runtime only added wake-ups of idle workers to every query's reply. The
    // server serves many people at once: it gets one.
    let serving = matches!(
        cli.command,
        Command::Serve(_) | Command::Bench(BenchCommand::Serve(_))
    );
    let mut builder = if serving {
        tokio::runtime::Builder::new_multi_thread()
    } else {
        tokio::runtime::Builder::new_current_thread()
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            return report(Failure::new(
                "runtime_failure",
                format!("не удалось запустить среду выполнения: {e}"),
            ))
        }
    };
    match runtime.block_on(run(cli, command_line_db)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(failure),
    }
}

fn report(failure: Failure) -> ExitCode {
    eprintln!("{failure}");
    ExitCode::from(failure.exit_code())
}

/// `command_line_db` is `--db` as given on the command line (not from `METOD_DB`).
async fn run(cli: Cli, command_line_db: Option<String>) -> Result<(), Failure> {
    let Cli {
        db,
        profiles,
        command,
    } = cli;
    let app = App::new(Config {
        db: db.unwrap_or_else(|| store::DEFAULT_DATABASE_URL.to_string()),
        profiles,
        // A fixed "now" for tests and for replaying a day.
        clock: std::env::var("METOD_CLOCK").ok(),
    });
    match command {
        Command::Init => init::run(&app).await,
        Command::Verify(args) => verify::run(&app, args).await,
        Command::Events(args) => events::run(&app, args).await,
        Command::Submit(args) => command::run(&app, args).await,
        Command::Profile(command) => profile::run(&app, command),
        Command::Trail(args) => trail::run(&app, args).await,
        Command::Inbox(args) => inbox::run(&app, args).await,
        Command::Association(args) => association::run(&app, args).await,
        Command::Workflow(command) => workflow::run(&app, command).await,
        Command::Demo(args) => demo::run(&app, args).await,
        Command::Rebuild => rebuild::run(&app).await,
        Command::Query(args) => query::run(&app, args).await,
        Command::Compare(args) => compare::run(&app, args).await,
        // The benchmark writes a million events: only into a store named on its own command
        // line, never into the one METOD_DB points every other command at.
        Command::Bench(BenchCommand::Store(args)) => bench::store::run(command_line_db, args).await,
        Command::Bench(BenchCommand::ReadModels(args)) if !args.scales.is_empty() => {
            bench::scales::run(&app, args).await
        }
        Command::Bench(BenchCommand::ReadModels(args)) => bench::read_models::run(&app, args).await,
        Command::Bench(BenchCommand::Audit(args)) => bench::audit::run(command_line_db, args).await,
        Command::Bench(BenchCommand::Serve(args)) => bench::serve::run(command_line_db, args).await,
        Command::Audit(command) => audit::run(&app, command).await,
        Command::Serve(args) => serve::run(app, args).await,
        Command::PersonalData(command) => personal_data::run(&app, command).await,
        Command::Account(command) => account::run(&app, command).await,
    }
}
