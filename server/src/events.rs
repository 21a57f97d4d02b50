//! `metod events`: the log, or one stream of it, as a table or JSON lines; also the
//! rendering `metod command` prints the events it recorded with.

use std::io::Write;

use app::{App, EventsPage};
use store::{RecordedEvent, StreamId};

use crate::cli::{EventsArgs, Format};
use crate::failure::{io_failure, Failure};

pub async fn run(app: &App, args: EventsArgs) -> Result<(), Failure> {
    let stream = args.stream.map(StreamId::parse).transpose()?;
    let page = EventsPage {
        stream,
        from: args.from,
        limit: args.limit,
    };
    let events = app.events(&page).await?;
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
