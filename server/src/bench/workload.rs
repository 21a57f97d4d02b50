//! The appends `bench store` and `bench audit` time: representative events in batches over a
//! thousand streams, and single durable appends — the same work into the store and into the
//! ceilings it is compared with.

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::json;
use store::{Actor, CommandId, EventStore, ExpectedVersion, NewEvent, StreamId};

use crate::failure::Failure;

/// Streams the batched appends rotate over.
const STREAMS: u64 = 1_000;

/// What a run of batched appends took.
pub struct Batched {
    pub time: Duration,
    pub payload_bytes: u64,
}

/// Appends `events` representative events, `batch` per append, into `store` (empty), with
/// progress on stderr under `label`; the time counts the appends only.
pub async fn append_batches(
    store: &dyn EventStore,
    events: u64,
    batch: u64,
    label: &str,
) -> Result<Batched, Failure> {
    let streams: Vec<StreamId> = (0..STREAMS.min(events.div_ceil(batch)))
        .map(|i| StreamId::parse(format!("bench-{i:04}")))
        .collect::<Result<_, _>>()?;
    let mut versions = vec![0u64; streams.len()];
    let mut done = Batched {
        time: Duration::ZERO,
        payload_bytes: 0,
    };
    let (mut appended, mut next_report, mut batch_index) = (0u64, events / 10, 0usize);
    while appended < events {
        let n = batch.min(events - appended);
        let new: Vec<NewEvent> = (appended..appended + n).map(sample_event).collect();
        done.payload_bytes += new
            .iter()
            .map(|e| e.payload.to_string().len() as u64)
            .sum::<u64>();
        let slot = batch_index % streams.len();
        let started = Instant::now();
        store
            .append(
                &streams[slot],
                ExpectedVersion::Exact(versions[slot]),
                new,
                CommandId::random(),
            )
            .await?;
        done.time += started.elapsed();
        versions[slot] += n;
        appended += n;
        batch_index += 1;
        if appended >= next_report && appended < events {
            eprintln!("bench: {label}: записано {appended} из {events} событий");
            next_report += events / 10;
        }
    }
    Ok(done)
}

/// Times `count` single-event durable appends to one stream, sorted ascending; `first` numbers
/// the first event after those already appended.
pub async fn single_appends(
    store: &dyn EventStore,
    count: u64,
    first: u64,
) -> Result<Vec<Duration>, Failure> {
    let stream = StreamId::parse("bench-single")?;
    let mut latencies = Vec::with_capacity(count as usize);
    for i in 0..count {
        let event = sample_event(first + i);
        let started = Instant::now();
        store
            .append(
                &stream,
                ExpectedVersion::Exact(i),
                vec![event],
                CommandId::random(),
            )
            .await?;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    Ok(latencies)
}

/// A representative event of about 400 bytes: a meeting held, with its questions.
pub fn sample_event(n: u64) -> NewEvent {
    let day = NaiveDate::from_ymd_opt(2024, 9, 1).unwrap_or_default() + chrono::Days::new(n % 270);
    let payload = json!({
        "association": format!("association-{:08x}", n % 4_000),
        "meeting": n,
        "school_year": "2024/25",
        "subject": "Математика",
        "attendance": { "present": 12 + n % 9, "members": 24 },
        "questions": [
            { "number": 1, "topic": "План работы на учебный год", "decision": "утвердить" },
            { "number": 2, "topic": "Итоги муниципального этапа олимпиады", "decision": "принять к сведению" },
        ],
        "note": format!("протокол № {}", n % 97),
    });
    NewEvent::new(
        "MeetingHeld",
        payload,
        day,
        Actor::new(format!("person-{:05}", n % 15_000), "secretary"),
    )
}
