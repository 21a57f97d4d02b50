//! Crash safety: a process that appends in a loop is killed with SIGKILL; after reopening,
//! every acknowledged append is present, positions are gapless and the chain verifies. On
//! both backends.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::json;
use store::testing::TestDatabase;
use store::{Backend, CommandId, EventStore, Verification};

/// One append the writer acknowledged: what it printed.
#[derive(Debug)]
struct Ack {
    first: u64,
    last: u64,
    command_id: CommandId,
    /// The writer's counter: the append wrote `1 + n % 3` events `{"n": n, "k": 0…}` to
    /// `crash-<n % 5>`.
    n: u64,
}

/// Starts the writer, lets it acknowledge `acks` appends, kills it, and returns every append
/// it acknowledged.
fn run_and_kill(url: &str, acks: usize) -> Vec<Ack> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_append-loop"))
        .arg(url)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the writer starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut acked = Vec::new();
    for _ in 0..acks {
        let line = lines
            .next()
            .expect("the writer keeps acknowledging")
            .expect("a line");
        acked.push(parse_ack(&line));
    }
    // SIGKILL: no destructor, no flush, no rollback runs in the writer.
    child.kill().expect("SIGKILL");
    // Acknowledgements printed before the kill still count.
    for line in lines.map_while(Result::ok) {
        acked.push(parse_ack(&line));
    }
    child.wait().expect("reaped");
    acked
}

fn parse_ack(line: &str) -> Ack {
    let parts: Vec<&str> = line.split_whitespace().collect();
    let [tag, first, last, command_id, n] = parts[..] else {
        panic!("expected `ack <first> <last> <command id> <n>`, got {line:?}");
    };
    assert_eq!(tag, "ack", "unexpected line {line:?}");
    let number = |text: &str| -> u64 {
        text.parse()
            .unwrap_or_else(|_| panic!("a number in {line:?}"))
    };
    Ack {
        first: number(first),
        last: number(last),
        command_id: CommandId(uuid::Uuid::parse_str(command_id).expect("a command id")),
        n: number(n),
    }
}

/// The append is in the log as the writer made it: its command id answers with its
/// positions, and those positions hold its events.
async fn assert_present(store: &dyn EventStore, ack: &Ack) {
    let found = store
        .find_command(ack.command_id)
        .await
        .expect("command lookup")
        .unwrap_or_else(|| panic!("acknowledged append {ack:?} is lost"));
    assert_eq!(
        (found.first_position, found.last_position),
        (ack.first, ack.last),
        "{ack:?}"
    );
    let count = 1 + ack.n % 3;
    assert_eq!(ack.last - ack.first + 1, count, "{ack:?}");
    let events = store
        .read_all(ack.first, count as usize)
        .await
        .expect("read the acknowledged positions");
    assert_eq!(events.len() as u64, count, "{ack:?}");
    for (k, event) in events.iter().enumerate() {
        assert_eq!(event.position, ack.first + k as u64, "{ack:?}");
        assert_eq!(event.command_id, ack.command_id.0, "{ack:?}");
        assert_eq!(
            event.stream.as_str(),
            format!("crash-{}", ack.n % 5),
            "{ack:?}"
        );
        let payload: serde_json::Value =
            serde_json::from_str(&event.payload).expect("JSON payload");
        assert_eq!(
            (&payload["n"], &payload["k"]),
            (&json!(ack.n), &json!(k)),
            "{ack:?}"
        );
    }
}

async fn every_acknowledged_append_survives_sigkill(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    drop(db.open().await);
    let mut acknowledged: Vec<Ack> = Vec::new();
    // Kill at a different moment each time, on a store that already holds the last run.
    for acks in [150, 37, 260] {
        let run = run_and_kill(&db.url, acks);
        assert!(run.len() >= acks, "the writer made progress");
        acknowledged.extend(run);

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
        // Every append acknowledged in this run or an earlier one, each where it was written.
        for ack in &acknowledged {
            assert_present(store.as_ref(), ack).await;
        }
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
