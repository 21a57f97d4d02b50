//! A writer for the crash-safety test: appends to the store at the given URL forever and
//! prints `ack <first> <last> <command id> <n>` after each append is acknowledged, so that
//! the test knows what must survive a SIGKILL: append `n` wrote `1 + n % 3` events
//! `{"n": n, "k": 0…}` to stream `crash-<n % 5>` at positions `first..=last`.

use std::io::Write;
use std::sync::Arc;

use chrono::NaiveDate;
use store::{Actor, CommandId, ExpectedVersion, NewEvent, OpenMode, StreamId, SystemClock};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args()
        .nth(1)
        .ok_or("usage: append-loop <database url>")?;
    let store = store::open(&url, OpenMode::CreateOrMigrate, Arc::new(SystemClock)).await?;
    let effective = NaiveDate::from_ymd_opt(2024, 9, 1).ok_or("date")?;
    let mut stdout = std::io::stdout().lock();
    for n in 0u64.. {
        let stream = StreamId::parse(format!("crash-{}", n % 5))?;
        let events = (0..1 + n % 3)
            .map(|k| {
                let payload = serde_json::json!({ "n": n, "k": k, "filler": "x".repeat(300) });
                NewEvent::new("Written", payload, effective, Actor::new("writer", "test"))
            })
            .collect();
        let command_id = CommandId::random();
        let written = store
            .append(&stream, ExpectedVersion::Any, events, command_id)
            .await?;
        writeln!(
            stdout,
            "ack {} {} {command_id} {n}",
            written.first_position, written.last_position
        )?;
        stdout.flush()?;
    }
    Ok(())
}
