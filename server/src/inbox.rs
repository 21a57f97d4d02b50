//! `metod inbox`: what waits for a person, overdue first, as a table or JSON.

use std::io::Write;

use app::App;
use domain::Acting;

use crate::cli::{Format, InboxArgs};
use crate::dates::when;
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, args: InboxArgs) -> Result<(), Failure> {
    let person = match Acting::parse(&args.acting) {
        Ok(Acting::Person(p)) => p,
        _ => {
            return Err(Failure::new(
                "invalid_actor",
                format!(
                    "--as «{}»: входящие есть у лица, нужен «person:<uuid>»",
                    args.acting
                ),
            ))
        }
    };
    let items = app.inbox(person, when(&args.time)?).await?;
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        ),
        Format::Table => {
            let rows: Vec<Vec<String>> = items
                .iter()
                .map(|i| {
                    vec![
                        i.due
                            .map(|d| d.format("%d.%m.%Y").to_string())
                            .unwrap_or_else(|| "—".into()),
                        if i.overdue_days > 0 {
                            format!("просрочено на {} дн.", i.overdue_days)
                        } else {
                            String::new()
                        },
                        i.title.clone(),
                        i.association_title.clone(),
                        i.reason.in_russian(),
                        i.since
                            .map(|d| d.format("%d.%m.%Y").to_string())
                            .unwrap_or_default(),
                        i.document.to_string(),
                    ]
                })
                .collect();
            table::write(
                &mut out,
                &[
                    "срок",
                    "просрочка",
                    "документ",
                    "объединение",
                    "что нужно",
                    "с",
                    "id документа",
                ],
                &rows,
            )
            .and_then(|_| {
                if items.is_empty() {
                    writeln!(out, "(ничего не ждёт)")
                } else {
                    Ok(())
                }
            })
        }
    };
    printed.map_err(|e| io_failure("не удалось вывести входящие", e))
}
