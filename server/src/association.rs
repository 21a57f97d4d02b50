//! `metod association`: one association at a point of both time axes, as its page shows it —
//! roles, members, meetings and documents of the school year — as a table or JSON. Persons
//! are named by id: opening sealed names is the web application's, journaled per reader.

use std::io::Write;

use app::App;
use domain::ids::AssociationId;
use projections::association::AssociationAnswer;

use crate::cli::{AssociationArgs, Format};
use crate::dates::when;
use crate::failure::{io_failure, Failure};
use crate::table;

pub async fn run(app: &App, args: AssociationArgs) -> Result<(), Failure> {
    let association = AssociationId::parse(&args.association)
        .map_err(|e| Failure::new(e.code(), e.to_string()))?;
    let answer = app
        .association(association, when(&args.time)?, false)
        .await?
        .ok_or_else(|| {
            Failure::new(
                "not_found",
                format!("объединения {association} на эту дату нет (или о нём ещё не знали)"),
            )
        })?;
    let mut out = std::io::stdout().lock();
    let printed = match args.format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&answer).unwrap_or_default()
        ),
        Format::Table => write_table(&mut out, &answer),
    };
    printed.map_err(|e| io_failure("не удалось вывести объединение", e))
}

fn write_table(out: &mut impl Write, answer: &AssociationAnswer) -> std::io::Result<()> {
    writeln!(
        out,
        "{} — {}, {}{}\nучебный год {}; участников: {}\n",
        answer.title,
        answer.level,
        answer.subject,
        if answer.district.is_empty() {
            String::new()
        } else {
            format!(", {}", answer.district)
        },
        answer.school_year,
        answer.members
    )?;
    let roles: Vec<Vec<String>> = answer
        .roles
        .iter()
        .map(|r| {
            vec![
                r.role.clone(),
                r.person.to_string(),
                r.school_year.to_string(),
            ]
        })
        .collect();
    table::write(out, &["роль", "лицо", "учебный год"], &roles)?;
    writeln!(out)?;
    let meetings: Vec<Vec<String>> = answer
        .meetings
        .iter()
        .map(|m| {
            vec![
                m.date.format("%d.%m.%Y").to_string(),
                m.state.clone(),
                m.attendance.to_string(),
                m.protocol_number.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table::write(
        out,
        &["заседание", "состояние", "присутствовали", "протокол"],
        &meetings,
    )?;
    writeln!(out)?;
    let documents: Vec<Vec<String>> = answer
        .documents
        .iter()
        .map(|d| {
            vec![
                d.document_type.clone(),
                d.title.clone(),
                d.state.clone(),
                d.document.to_string(),
            ]
        })
        .collect();
    table::write(
        out,
        &["вид", "документ", "состояние", "id документа"],
        &documents,
    )
}
