//! `metod query`: an oversight question at a point of both time axes, as a table, JSON or
//! CSV; also the rendering `metod compare` prints its answer with.

use std::io::Write;

use app::App;
use projections::queries::{cell_text, Filters, Report};

use crate::cli::{QueryArgs, QueryFormat};
use crate::dates::when;
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, args: QueryArgs) -> Result<(), Failure> {
    let when = when(&args.time)?;
    let filters = Filters {
        district: args.district,
        subject: args.subject,
    };
    let report = app.query(args.name, when, filters).await?;
    print_report(&report, args.format)
}

pub fn print_report(report: &Report, format: QueryFormat) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let no_rule = report.no_rule_text();
    let printed = match format {
        QueryFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(report).unwrap_or_default()
        ),
        QueryFormat::Csv => write!(out, "{}", report.to_csv()),
        QueryFormat::Table => {
            let known = report
                .known_at
                .map_or_else(|| "сейчас".to_string(), |t| t.to_rfc3339());
            let mut heading = format!(
                "{} — на {} по сведениям на {} (профиль {})\n",
                report.title,
                report.as_of.format("%d.%m.%Y"),
                known,
                report.profile,
            );
            if !report.rules.is_empty() {
                heading.push_str("правила:\n");
                for rule in &report.rules {
                    heading.push_str(&format!("  {} ({})\n", rule.rule, rule.clause));
                }
            }
            match &no_rule {
                Some(line) => writeln!(out, "{heading}{line}"),
                None => {
                    let header: Vec<&str> = report.columns.iter().map(|c| c.header).collect();
                    let rows: Vec<Vec<String>> = report
                        .rows
                        .iter()
                        .map(|row| {
                            report
                                .columns
                                .iter()
                                .map(|c| cell_text(row.get(c.key)))
                                .collect()
                        })
                        .collect();
                    writeln!(out, "{heading}")
                        .and_then(|()| table::write(&mut out, &header, &rows))
                        .and_then(|()| writeln!(out, "\nстрок: {}", report.rows.len()))
                }
            }
        }
    };
    printed.map_err(|e| io_failure("не удалось вывести ответ", e))
}
