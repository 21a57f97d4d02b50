//! `metod query`: an oversight question at a point of both time axes, as a table, JSON or
//! CSV; also the rendering `metod compare` prints its answer with.

use std::io::Write;

use app::App;
use projections::queries::{self, Filters, Report};
use serde_json::Value;

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

fn cell_text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(true)) => "да".into(),
        Some(Value::Bool(false)) => "нет".into(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| cell_text(Some(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(other) => other.to_string(),
    }
}

fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', ';']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// The CSV of an answer whose question the profile has no rule for: one row saying so, with
/// the clause of the nearest provision where the profile cites one.
fn no_rule_csv(report: &Report, line: &str) -> String {
    let clauses: Vec<&str> = report.rules.iter().map(|r| r.clause.as_str()).collect();
    format!(
        "profile,profile_has_rule,clause,note\n{},нет,{},{}\n",
        csv_cell(&report.profile),
        csv_cell(&clauses.join("; ")),
        csv_cell(line)
    )
}

pub fn print_report(report: &Report, format: QueryFormat) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    let no_rule = (!report.profile_has_rule).then(|| {
        report
            .no_rule
            .clone()
            .unwrap_or_else(|| queries::no_rule_line(&report.profile))
    });
    let printed = match format {
        QueryFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(report).unwrap_or_default()
        ),
        QueryFormat::Csv => match &no_rule {
            Some(line) => write!(out, "{}", no_rule_csv(report, line)),
            None => {
                let header: Vec<&str> = report.columns.iter().map(|c| c.key).collect();
                let mut text = header.join(",");
                text.push('\n');
                for row in &report.rows {
                    let cells: Vec<String> = report
                        .columns
                        .iter()
                        .map(|c| csv_cell(&cell_text(row.get(c.key))))
                        .collect();
                    text.push_str(&cells.join(","));
                    text.push('\n');
                }
                write!(out, "{text}")
            }
        },
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
