//! `metod trail`: a document's full history as a table or JSON; a chain that does not
//! verify exits with code 3.

use std::io::Write;

use app::App;
use domain::ids::DocumentId;

use crate::cli::{Format, TrailArgs};
use crate::dates::when;
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, args: TrailArgs) -> Result<(), Failure> {
    let document =
        DocumentId::parse(&args.document).map_err(|e| Failure::new(e.code(), e.to_string()))?;
    let trail = app.trail(document, when(&args.time)?).await?;
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&trail).unwrap_or_default()
        ),
        Format::Table => {
            let heading = writeln!(
                out,
                "{} — {}\nсостояние: {}\nцепочка: {}\n",
                trail.document,
                trail.title,
                trail.status,
                if trail.chain.is_empty() {
                    "без согласования".to_string()
                } else {
                    trail.chain.join("; ")
                }
            );
            let rows: Vec<Vec<String>> = trail
                .entries
                .iter()
                .map(|e| {
                    vec![
                        e.position.to_string(),
                        e.recorded_at.format("%Y-%m-%d %H:%M").to_string(),
                        e.effective.format("%d.%m.%Y").to_string(),
                        e.document_version
                            .map(|v| v.to_string())
                            .unwrap_or_default(),
                        e.what.clone(),
                        match &e.actor_name {
                            Some(name) => format!("{name} ({})", e.role),
                            None => format!("{} ({})", e.actor, e.role),
                        },
                        e.comment.clone().unwrap_or_default(),
                        e.basis
                            .as_ref()
                            .map(|b| {
                                let kind = match b.kind {
                                    store::BasisKind::Order => "приказ",
                                    store::BasisKind::Protocol => "протокол",
                                };
                                format!("{kind} № {} от {}", b.number, b.date.format("%d.%m.%Y"))
                            })
                            .unwrap_or_default(),
                        e.content_hash
                            .as_deref()
                            .map(|h| h[..12].to_string())
                            .unwrap_or_default(),
                        e.hash[..12].to_string(),
                    ]
                })
                .collect();
            heading
                .and_then(|_| {
                    table::write(
                        &mut out,
                        &[
                            "позиция",
                            "записано (UTC)",
                            "действует",
                            "версия",
                            "что",
                            "кто (роль)",
                            "комментарий",
                            "основание",
                            "хеш версии",
                            "хеш события",
                        ],
                        &rows,
                    )
                })
                .and_then(|_| writeln!(out, "\n{}", trail.verification))
        }
    };
    printed.map_err(|e| io_failure("не удалось вывести историю документа", e))?;
    if !trail.chain_verifies {
        return Err(Failure::new("integrity_broken", trail.verification));
    }
    Ok(())
}
