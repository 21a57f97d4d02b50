//! `metod init`, `metod verify`, `metod events`.

use std::io::Write;
use std::sync::Arc;

use store::{
    Clock, FixedClock, OpenMode, RecordedEvent, SharedStore, StreamId, SystemClock, Verification,
};

use crate::cli::{EventsArgs, Format};
use crate::failure::{io_failure, Failure};

/// The clock of this run: the system's, or a fixed instant from `METOD_CLOCK`
/// (`2025-03-20T12:00:00Z` or `2025-03-20`) — for tests and for replaying a day.
pub fn clock() -> Result<Arc<dyn Clock>, Failure> {
    match std::env::var("METOD_CLOCK") {
        Ok(text) if !text.trim().is_empty() => {
            let text = text.trim();
            let at = chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&chrono::Utc))
                .or_else(|_| {
                    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                        .map(|d| d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
                })
                .map_err(|_| {
                    Failure::new(
                        "invalid_clock",
                        format!("METOD_CLOCK «{text}»: нужна дата ГГГГ-ММ-ДД или время RFC 3339"),
                    )
                })?;
            Ok(Arc::new(FixedClock::new(at)))
        }
        _ => Ok(Arc::new(SystemClock)),
    }
}

pub async fn open_existing(db: &str) -> Result<SharedStore, Failure> {
    Ok(store::open(db, OpenMode::Existing, clock()?).await?)
}

pub async fn init(db: &str) -> Result<(), Failure> {
    let store = store::open(db, OpenMode::CreateOrMigrate, clock()?).await?;
    let events = store.last_position().await?;
    println!(
        "ok: хранилище {} готово, событий: {events}",
        store.describe()
    );
    Ok(())
}

pub async fn verify(db: &str) -> Result<(), Failure> {
    let store = open_existing(db).await?;
    match store::verify(store.as_ref()).await? {
        Verification::Intact { events, head } => {
            println!("ok: {events} events, head {}", hex::encode(head));
            Ok(())
        }
        Verification::Broken { position, reason } => Err(Failure::new(
            "integrity_broken",
            format!("цепочка хешей нарушена на позиции {position}: {reason}"),
        )),
    }
}

pub async fn events(db: &str, args: EventsArgs) -> Result<(), Failure> {
    let store = open_existing(db).await?;
    let events = match &args.stream {
        None => store.read_all(args.from, args.limit).await?,
        Some(name) => {
            let stream = StreamId::parse(name.clone())?;
            let mut events = Vec::new();
            let mut version = 1;
            while events.len() < args.limit {
                let page = store.read_stream(&stream, version, 1_000).await?;
                let Some(last) = page.last() else { break };
                version = last.version + 1;
                events.extend(page.into_iter().filter(|e| e.position >= args.from));
            }
            events.truncate(args.limit);
            events
        }
    };
    let mut out = std::io::stdout().lock();
    write_events(&mut out, &events, args.format)
        .map_err(|e| io_failure("не удалось вывести события", e))
}

pub fn write_events(
    out: &mut impl Write,
    events: &[RecordedEvent],
    format: Format,
) -> std::io::Result<()> {
    match format {
        Format::Json => write_json(out, events),
        Format::Table => write_table(out, events),
    }
}

fn write_json(out: &mut impl Write, events: &[RecordedEvent]) -> std::io::Result<()> {
    writeln!(out, "[")?;
    for (i, event) in events.iter().enumerate() {
        let mut value = serde_json::to_value(event).map_err(std::io::Error::other)?;
        // The payload as JSON, not as a string holding JSON.
        value["payload"] = serde_json::from_str(&event.payload).map_err(std::io::Error::other)?;
        let comma = if i + 1 < events.len() { "," } else { "" };
        writeln!(out, "  {value}{comma}")?;
    }
    writeln!(out, "]")
}

fn write_table(out: &mut impl Write, events: &[RecordedEvent]) -> std::io::Result<()> {
    let header = [
        "позиция",
        "записано (UTC)",
        "действует с",
        "поток",
        "версия",
        "тип события",
        "автор",
        "основание",
        "хеш",
    ];
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|e| {
            vec![
                e.position.to_string(),
                e.recorded_at.format("%Y-%m-%d %H:%M:%S").to_string(),
                e.effective.format("%d.%m.%Y").to_string(),
                e.stream.to_string(),
                e.version.to_string(),
                e.event_type.clone(),
                format!("{} ({})", e.actor.id, e.actor.role),
                e.basis.as_ref().map_or_else(
                    || "—".to_string(),
                    |b| {
                        let kind = match b.kind {
                            store::BasisKind::Order => "приказ",
                            store::BasisKind::Protocol => "протокол",
                        };
                        format!(
                            "{kind} № {} от {} ({})",
                            b.number,
                            b.date.format("%d.%m.%Y"),
                            b.issuer
                        )
                    },
                ),
                hex::encode(&e.hash[..6]),
            ]
        })
        .collect();
    crate::table::write(out, &header, &rows)?;
    if rows.is_empty() {
        writeln!(out, "(событий нет)")?;
    }
    Ok(())
}
