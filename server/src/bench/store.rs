//! `metod bench store`: batched appends into a fresh store beside a raw insert of the same
//! rows into a bare table of the same database (the ceiling, measured in the same run), the
//! latency of single durable appends, and a full verification.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use serde_json::json;
use store::{
    Actor, Backend, CommandId, ExpectedVersion, NewEvent, OpenMode, StreamId, SystemClock,
    Verification,
};

use super::{ms, percentile};
use crate::cli::BenchStoreArgs;
use crate::failure::{io_failure, Failure};

/// Streams the batched appends rotate over.
const STREAMS: u64 = 1_000;

pub async fn run(db: Option<String>, args: BenchStoreArgs) -> Result<(), Failure> {
    if args.events == 0 || args.batch == 0 {
        return Err(Failure::new(
            "invalid_argument",
            "--events и --batch должны быть больше нуля",
        ));
    }
    // Without --db on its command line (METOD_DB does not count: that is the store every
    // other command works on) the store lives in a temporary directory removed at the end.
    let scratch =
        tempfile::tempdir().map_err(|e| io_failure("не удалось создать временный каталог", e))?;
    let url =
        db.unwrap_or_else(|| format!("sqlite://{}", scratch.path().join("bench.db").display()));
    let backend = Backend::of_url(&url)?;
    let (store, ceilings) =
        store::bench::open(&url, OpenMode::CreateOrMigrate, Arc::new(SystemClock)).await?;
    if store.last_position().await? != 0 {
        return Err(Failure::new(
            "bench_store_not_empty",
            format!("хранилище {} не пусто: замер пишет в новое хранилище (удалите его или укажите другое в --db)", store.describe()),
        ));
    }
    let streams: Vec<StreamId> = (0..STREAMS.min(args.events.div_ceil(args.batch)))
        .map(|i| StreamId::parse(format!("bench-{i:04}")))
        .collect::<Result<_, _>>()?;
    let mut versions = vec![0u64; streams.len()];

    let mut payload_bytes = 0u64;
    let mut appended = 0u64;
    let mut next_report = args.events / 10;
    let mut append_time = Duration::ZERO;
    let mut batch_index = 0usize;
    while appended < args.events {
        let n = args.batch.min(args.events - appended);
        let events: Vec<NewEvent> = (appended..appended + n).map(sample_event).collect();
        payload_bytes += events
            .iter()
            .map(|e| e.payload.to_string().len() as u64)
            .sum::<u64>();
        let slot = batch_index % streams.len();
        let started = Instant::now();
        store
            .append(
                &streams[slot],
                ExpectedVersion::Exact(versions[slot]),
                events,
                CommandId::random(),
            )
            .await?;
        append_time += started.elapsed();
        versions[slot] += n;
        appended += n;
        batch_index += 1;
        if appended >= next_report && appended < args.events {
            eprintln!("bench: записано {appended} из {} событий", args.events);
            next_report += args.events / 10;
        }
    }

    eprintln!("bench: потолок — те же строки в голую таблицу той же базы");
    ceilings.create_raw_table().await?;
    let mut raw_time = Duration::ZERO;
    let mut from = 1;
    loop {
        let chunk = store.read_all(from, args.batch as usize).await?;
        let Some(last) = chunk.last() else { break };
        from = last.position + 1;
        raw_time += ceilings.raw_insert(&chunk).await?;
    }
    ceilings.drop_raw_table().await?;

    eprintln!("bench: одиночные записи ({})", args.single);
    let single_stream = StreamId::parse("bench-single")?;
    let mut latencies = Vec::with_capacity(args.single as usize);
    for i in 0..args.single {
        let event = sample_event(args.events + i);
        let started = Instant::now();
        store
            .append(
                &single_stream,
                ExpectedVersion::Exact(i),
                vec![event],
                CommandId::random(),
            )
            .await?;
        latencies.push(started.elapsed());
    }
    latencies.sort();

    eprintln!("bench: проверка цепочки хешей");
    let started = Instant::now();
    let verification = store::verify(store.as_ref()).await?;
    let verify_time = started.elapsed();
    let total = args.events + args.single;
    match verification {
        Verification::Intact { events, .. } if events == total => {}
        other => {
            return Err(Failure::new(
                "integrity_broken",
                format!("после замера журнал не проверяется: {other:?}"),
            ));
        }
    }

    let per_second = |n: u64, t: Duration| n as f64 / t.as_secs_f64().max(1e-9);
    let append_rate = per_second(args.events, append_time);
    let raw_rate = per_second(args.events, raw_time);
    let ratio = append_rate / raw_rate;
    let p50 = percentile(&latencies, 50);
    let p99 = percentile(&latencies, 99);
    let (target_rate, target_ratio) = match backend {
        Backend::Sqlite => (100_000.0, Some(0.5)),
        Backend::Postgres => (30_000.0, None),
    };
    let rate_met = append_rate >= target_rate;
    let ratio_met = target_ratio.is_none_or(|t| ratio >= t);
    let average_payload = payload_bytes / args.events;

    println!(
        "metod bench store — {} ({} событий, пакеты по {}, полезная нагрузка ≈ {} байт)",
        store.describe(),
        args.events,
        args.batch,
        average_payload
    );
    println!(
        "{:<44} {:>14} {:>22} {:>7}",
        "замер", "значение", "потолок (голая вставка)", "доля"
    );
    println!(
        "{:<44} {:>14.0} {:>22.0} {:>7.2}",
        "пакетная запись, событий/с", append_rate, raw_rate, ratio
    );
    println!(
        "{:<44} {:>14}",
        "одиночная надёжная запись, p50",
        format_ms(p50)
    );
    println!(
        "{:<44} {:>14}",
        "одиночная надёжная запись, p99",
        format_ms(p99)
    );
    println!(
        "{:<44} {:>14.0}",
        "проверка цепочки (verify), событий/с",
        per_second(total, verify_time)
    );
    println!(
        "цели: ≥ {target_rate:.0} событий/с — {}{}",
        if rate_met {
            "выполнено"
        } else {
            "НЕ выполнено"
        },
        target_ratio.map_or(String::new(), |t| format!(
            "; доля ≥ {t} — {}",
            if ratio_met {
                "выполнено"
            } else {
                "НЕ выполнено"
            }
        ))
    );

    if let Some(path) = args.out {
        let report = json!({
            "bench": "store",
            "store": store.describe(),
            "backend": match backend { Backend::Sqlite => "sqlite", Backend::Postgres => "postgres" },
            "events": args.events,
            "batch": args.batch,
            "average_payload_bytes": average_payload,
            "batched_append": { "seconds": append_time.as_secs_f64(), "events_per_second": append_rate },
            "raw_insert_ceiling": { "seconds": raw_time.as_secs_f64(), "events_per_second": raw_rate },
            "ratio_to_ceiling": ratio,
            "single_append": { "count": args.single, "p50_ms": ms(p50), "p99_ms": ms(p99) },
            "verify": { "events": total, "seconds": verify_time.as_secs_f64(), "events_per_second": per_second(total, verify_time) },
            "targets": {
                "events_per_second": target_rate, "events_per_second_met": rate_met,
                "ratio": target_ratio, "ratio_met": ratio_met,
            },
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        });
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::new("io_error", e.to_string()))?;
        std::fs::write(&path, text)
            .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))?;
    }
    Ok(())
}

/// A representative event of about 400 bytes: a meeting held, with its questions.
fn sample_event(n: u64) -> NewEvent {
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

fn format_ms(d: Duration) -> String {
    format!("{:.2} мс", ms(d))
}
