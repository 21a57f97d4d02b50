//! Crash safety: a process that appends in a loop is killed with SIGKILL; after reopening,
//! every acknowledged append is present, positions are gapless and the chain verifies. On
//! both backends.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use store::testing::TestDatabase;
use store::{Backend, Verification};

/// Starts the writer, lets it acknowledge `acks` appends, kills it, and returns the last
/// position it acknowledged.
fn run_and_kill(url: &str, acks: usize) -> u64 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_append-loop"))
        .arg(url)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the writer starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut last_acked = 0;
    for _ in 0..acks {
        let line = lines
            .next()
            .expect("the writer keeps acknowledging")
            .expect("a line");
        last_acked = parse_ack(&line);
    }
    // SIGKILL: no destructor, no flush, no rollback runs in the writer.
    child.kill().expect("SIGKILL");
    // Acknowledgements printed before the kill still count.
    for line in lines.map_while(Result::ok) {
        last_acked = parse_ack(&line);
    }
    child.wait().expect("reaped");
    last_acked
}

fn parse_ack(line: &str) -> u64 {
    let mut parts = line.split_whitespace();
    assert_eq!(parts.next(), Some("ack"), "unexpected line {line:?}");
    parts
        .nth(1)
        .and_then(|last| last.parse().ok())
        .expect("ack <first> <last>")
}

async fn every_acknowledged_append_survives_sigkill(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    let mut acknowledged = 0;
    // Kill at a different moment each time, on a store that already holds the last run.
    for acks in [150, 37, 260] {
        let last = run_and_kill(&db.url, acks);
        assert!(last > acknowledged, "the writer made progress");
        acknowledged = last;

        let store = db.open().await;
        let events = store
            .read_all(1, 1_000_000)
            .await
            .expect("the log reads after the crash");
        let positions: Vec<u64> = events.iter().map(|e| e.position).collect();
        assert_eq!(
            positions,
            (1..=positions.len() as u64).collect::<Vec<_>>(),
            "gapless"
        );
        assert!(
            positions.len() as u64 >= acknowledged,
            "every acknowledged append is present"
        );
        match store::verify(store.as_ref()).await.expect("verify") {
            Verification::Intact { events, .. } => assert_eq!(events, positions.len() as u64),
            broken => panic!("the chain does not verify after SIGKILL: {broken:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_every_acknowledged_append_survives_sigkill() {
    every_acknowledged_append_survives_sigkill(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_every_acknowledged_append_survives_sigkill() {
    every_acknowledged_append_survives_sigkill(Backend::Postgres).await;
}
