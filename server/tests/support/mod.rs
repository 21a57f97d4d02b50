//! Running the `metod` binary as its users do, for the CLI tests.

#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `metod --db <db> <args>` with `stdin`, no inherited METOD_* settings, and
/// METOD_CLOCK set when `clock` is given.
pub fn metod_run(db: &str, clock: Option<&str>, args: &[&str], stdin: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_metod"));
    command
        .env_remove("METOD_DB")
        .env_remove("METOD_PROFILES")
        .env_remove("METOD_CLOCK");
    if let Some(clock) = clock {
        command.env("METOD_CLOCK", clock);
    }
    let mut child = command
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("metod runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("stdin written");
    child.wait_with_output().expect("metod finishes")
}
