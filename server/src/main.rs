//! The `metod` binary: the command line over the event log (and, later, the HTTP API and web
//! pages). The only crate that knows about the terminal. Every failure is one line on
//! stderr — a stable English code, then the Russian message — and a non-zero exit code.

mod affinity;
mod bench;
mod bench_read_models;
mod cli;
mod domain_commands;
mod failure;
mod log_commands;
mod read_model_commands;
mod table;
mod workflow_commands;

use std::process::ExitCode;

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
    // multi-thread runtime only added wake-ups of idle workers to every query's reply.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
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
    let db = cli.db.clone();
    let profiles = cli.profiles.clone();
    match cli.command {
        Command::Init => log_commands::init(&db.unwrap_or_else(cli::default_db)).await,
        Command::Verify => log_commands::verify(&db.unwrap_or_else(cli::default_db)).await,
        Command::Events(args) => {
            log_commands::events(&db.unwrap_or_else(cli::default_db), args).await
        }
        Command::Submit(args) => {
            domain_commands::command(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
        Command::Profile(command) => domain_commands::profile(profiles.as_deref(), command),
        Command::Trail(args) => {
            workflow_commands::trail_command(&db.unwrap_or_else(cli::default_db), args).await
        }
        Command::Inbox(args) => {
            workflow_commands::inbox_command(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
        Command::Workflow(command) => {
            workflow_commands::workflow_command(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                command,
            )
            .await
        }
        Command::Demo(args) => {
            read_model_commands::demo(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
        Command::Compare(args) => {
            read_model_commands::compare(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
        Command::Rebuild => read_model_commands::rebuild(&db.unwrap_or_else(cli::default_db)).await,
        Command::Query(args) => {
            read_model_commands::query(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
        // The benchmark writes a million events: only into a store named on its own command
        // line, never into the one METOD_DB points every other command at.
        Command::Bench(BenchCommand::Store(args)) => bench::store(command_line_db, args).await,
        Command::Bench(BenchCommand::ReadModels(args)) => {
            bench_read_models::read_models(
                &db.unwrap_or_else(cli::default_db),
                profiles.as_deref(),
                args,
            )
            .await
        }
    }
}
