//! `metod command` (commands as JSON through the real handler) and `metod profile`.

use std::io::{Read, Write};
use std::path::Path;

use commands::{parse_submissions, CommandError, CommandHandler, ProfileSet};
use domain::Acting;

use crate::cli::{CommandArgs, Format, ProfileCommand};
use crate::failure::{io_failure, Failure};
use crate::log_commands::{clock, open_existing, write_events};

impl From<CommandError> for Failure {
    fn from(e: CommandError) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

pub fn load_profiles(dir: Option<&Path>) -> Result<ProfileSet, Failure> {
    Ok(ProfileSet::built_in_and(dir)?)
}

pub async fn command(db: &str, profiles: Option<&Path>, args: CommandArgs) -> Result<(), Failure> {
    let acting = Acting::parse(&args.acting).map_err(|e| {
        Failure::new(
            "invalid_actor",
            format!(
                "--as «{}»: нужен «operator» или «person:<uuid>» ({e})",
                args.acting
            ),
        )
    })?;
    let text = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| io_failure("не удалось прочитать команду из стандартного ввода", e))?;
        text
    } else {
        std::fs::read_to_string(&args.file).map_err(|e| {
            io_failure(
                &format!("не удалось прочитать файл {}", args.file.display()),
                e,
            )
        })?
    };
    let today = clock()?.now().date_naive();
    let submissions = parse_submissions(&text, acting, today)?;
    let store = open_existing(db).await?;
    let handler = CommandHandler::with_clock(store, load_profiles(profiles)?, clock()?);
    let total = submissions.len();
    let mut written = Vec::new();
    for (index, submission) in submissions.into_iter().enumerate() {
        let name = submission.command.name();
        match handler.handle(submission).await {
            Ok(handled) => written.extend(handled.events),
            Err(e) => {
                let mut failure = Failure::from(e);
                if total > 1 {
                    // Each command is its own transaction: say what was recorded before.
                    failure = failure.prefixed(&format!(
                        "команда №{} ({name}) не записана, записано команд до неё: {index}; ",
                        index + 1
                    ));
                }
                print_events(&written, args.format)?;
                return Err(failure);
            }
        }
    }
    print_events(&written, args.format)
}

fn print_events(events: &[store::RecordedEvent], format: Format) -> Result<(), Failure> {
    if events.is_empty() {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    write_events(&mut out, events, format).map_err(|e| io_failure("не удалось вывести события", e))
}

pub fn profile(profiles: Option<&Path>, command: ProfileCommand) -> Result<(), Failure> {
    let set = load_profiles(profiles)?;
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
            let profile = set.get(&name)?;
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
