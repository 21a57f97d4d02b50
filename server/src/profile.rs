//! `metod profile list|show`: the regulation profiles, and every rule of one with its clause.

use std::io::Write;

use app::App;

use crate::cli::{Format, ProfileCommand};
use crate::failure::{io_failure, Failure};

pub fn run(app: &App, command: ProfileCommand) -> Result<(), Failure> {
    let set = app.profiles()?;
    let mut out = std::io::stdout().lock();
    let printed = match command {
        ProfileCommand::List { format } => match format {
            Format::Json => {
                let list: Vec<_> = set
                    .iter()
                    .map(|p| serde_json::json!({"name": p.name, "title": p.title, "seed": p.seed, "source": p.source}))
                    .collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&list).unwrap_or_default()
                )
            }
            Format::Table => {
                let rows: Vec<Vec<String>> = set
                    .iter()
                    .map(|p| vec![p.name.clone(), p.seed.clone(), p.title.clone()])
                    .collect();
                crate::table::write(&mut out, &["профиль", "положение", "муниципалитет"], &rows)
            }
        },
        ProfileCommand::Show { name, format } => {
            let profile = app.profile(&name)?;
            match format {
                Format::Json => {
                    let value = serde_json::json!({
                        "name": profile.name,
                        "title": profile.title,
                        "seed": profile.seed,
                        "source": profile.source,
                        "rules": profile.rule_lines(),
                        "profile": profile,
                    });
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    )
                }
                Format::Table => {
                    let heading = writeln!(
                        out,
                        "{} — {} ({})\n{}\n",
                        profile.name, profile.title, profile.seed, profile.source
                    );
                    let rows: Vec<Vec<String>> = profile
                        .rule_lines()
                        .into_iter()
                        .map(|l| vec![l.topic.to_string(), l.clause, l.rule])
                        .collect();
                    heading.and_then(|_| {
                        crate::table::write(&mut out, &["раздел", "пункт", "правило"], &rows)
                    })
                }
            }
        }
    };
    printed.map_err(|e| io_failure("не удалось вывести профиль", e))
}
