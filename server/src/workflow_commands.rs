//! `metod trail`, `metod inbox`, `metod workflow run`.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use commands::CommandHandler;
use domain::ids::DocumentId;
use domain::Acting;
use store::TimePoint;
use workflows::{trail_at, RunReport, WorkflowError, WorkflowRunner};

use crate::cli::{Format, InboxArgs, TrailArgs, WorkflowCommand};
use crate::domain_commands::load_profiles;
use crate::failure::{io_failure, Failure};
use crate::log_commands::{clock, open_existing};
use crate::read_model_commands::{caught_up, parse_date, parse_known_at, registered_profile};
use crate::table;

impl From<WorkflowError> for Failure {
    fn from(e: WorkflowError) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

pub async fn trail_command(db: &str, args: TrailArgs) -> Result<(), Failure> {
    let document =
        DocumentId::parse(&args.document).map_err(|e| Failure::new(e.code(), e.to_string()))?;
    let as_of = args.time.as_of.as_deref().map(parse_date).transpose()?;
    let known_at = parse_known_at(args.time.known_at.as_deref())?;
    let store = open_existing(db).await?;
    let trail = trail_at(store.as_ref(), document, as_of, known_at).await?;
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

pub async fn inbox_command(
    db: &str,
    profiles: Option<&Path>,
    args: InboxArgs,
) -> Result<(), Failure> {
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
    let store = open_existing(db).await?;
    let profiles = load_profiles(profiles)?;
    let as_of = args.time.as_of.as_deref().map(parse_date).transpose()?;
    let known_at = parse_known_at(args.time.known_at.as_deref())?;
    let at = TimePoint {
        as_of: as_of.unwrap_or(clock()?.now().date_naive()),
        known_at,
    };
    caught_up(store.as_ref()).await?;
    let items = match registered_profile(store.as_ref(), &profiles, at).await? {
        Some(profile) => projections::inbox::inbox(store.as_ref(), at, profile, person).await?,
        None => Vec::new(),
    };
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

pub async fn workflow_command(
    db: &str,
    profiles: Option<&Path>,
    command: WorkflowCommand,
) -> Result<(), Failure> {
    let WorkflowCommand::Run {
        follow,
        poll_seconds,
    } = command;
    let store = open_existing(db).await?;
    let handler = CommandHandler::with_clock(store, load_profiles(profiles)?, clock()?);
    let runner = WorkflowRunner::new(handler);
    // A refusal is printed by the pass that records it; it stays in the log
    // (`metod events --stream workflow-refusals`, the document's trail), so a timer the rules
    // refuse again on every pass is not printed again.
    let print = |report: &RunReport| {
        println!(
            "workflow: реакций записано {}, пропущенных сроков записано {}, отказов правил записано {}, обработано до позиции {}",
            report.reactions,
            report.deadlines,
            report.refusals_recorded(),
            report.position
        );
        for refusal in report.refused.iter().filter(|r| r.newly_recorded) {
            eprintln!("workflow: {}", refusal.describe());
        }
    };
    if follow {
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        runner
            .follow(Duration::from_secs(poll_seconds.max(1)), stop, print)
            .await?;
    } else {
        print(&runner.run_once().await?);
    }
    Ok(())
}
