//! `metod rebuild` and `metod query`: the read models and the oversight questions asked of
//! them at a point of both time axes.

use std::io::{IsTerminal, Write};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use projections::queries::{self, Filters, Question, Report};
use projections::snapshot::{Needs, Snapshot};
use projections::ProjectionError;
use serde_json::Value;
use store::{MetodStore, TimePoint};

use crate::cli::{CompareArgs, DemoArgs, DemoScale, QueryArgs, QueryFormat};
use crate::domain_commands::load_profiles;
use crate::failure::{io_failure, Failure};
use crate::log_commands::{clock, open_existing};
use crate::table;

impl From<ProjectionError> for Failure {
    fn from(e: ProjectionError) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

/// Prints progress on stderr: in place on a terminal, every tenth otherwise.
pub fn progress_printer(what: &'static str) -> impl Fn(u64, u64) + Send + Sync {
    let terminal = std::io::stderr().is_terminal();
    let last_tenth = std::sync::atomic::AtomicU64::new(0);
    move |done, total| {
        let total = total.max(1);
        if terminal {
            let width = 30;
            let filled = (done * width / total) as usize;
            eprint!(
                "\r{what}: [{}{}] {done}/{total}",
                "#".repeat(filled),
                "-".repeat(width as usize - filled)
            );
            if done >= total {
                eprintln!();
            }
        } else {
            let tenth = done * 10 / total;
            if tenth > last_tenth.swap(tenth, std::sync::atomic::Ordering::Relaxed) {
                eprintln!("{what}: {done}/{total}");
            }
        }
    }
}

impl From<demo::DemoError> for Failure {
    fn from(e: demo::DemoError) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

/// `metod demo`: a generated history in an empty store, then the read models.
pub async fn demo(db: &str, profiles: Option<&Path>, args: DemoArgs) -> Result<(), Failure> {
    let profiles = load_profiles(profiles)?;
    let spec = demo::DemoSpec {
        profile: args.profile.clone(),
        scale: match args.scale {
            DemoScale::Small => demo::Scale::Small,
            DemoScale::City => demo::Scale::City,
            DemoScale::Region => demo::Scale::Region,
        },
        years: args.years,
        seed: args.seed,
    };
    // Nothing is created for a demo that cannot run.
    demo::check(&profiles, &spec)?;
    // One command after another: the store's connection threads, started below, share the
    // generator's core (see `affinity`).
    crate::affinity::stay_on_current_core();
    let clock = demo::demo_clock();
    let store = store::open(db, store::OpenMode::BulkLoad, clock.clone()).await?;
    let existing = store.last_position().await?;
    if existing > 0 {
        return Err(Failure::new(
            "demo_store_not_empty",
            format!(
                "в хранилище {} уже {existing} событий; демонстрационные данные пишутся только в пустое хранилище",
                store.describe()
            ),
        ));
    }
    let started = std::time::Instant::now();
    let progress = progress_printer("учебные годы");
    let report = demo::generate(store.clone(), profiles, clock, spec, &progress).await?;
    let generated = started.elapsed();
    let progress = progress_printer("модели чтения");
    projections::catch_up(store.as_ref(), &progress).await?;
    println!(
        "ok: {} — {} … {}: событий {}, команд {} (с опозданием внесено {}), исправлений протоколов {}, \
         реакций процесса {}, пропущенных сроков {}; учителей {}, организаций {}, объединений {}; \
         {:.1} с на генерацию, {:.1} с всего",
        store.describe(),
        report.first_year,
        report.last_year,
        report.events,
        report.commands,
        report.late_recorded,
        report.corrections,
        report.reactions,
        report.deadlines_missed,
        report.teachers,
        report.organizations,
        report.associations,
        generated.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub async fn rebuild(db: &str) -> Result<(), Failure> {
    let store = open_existing(db).await?;
    let started = std::time::Instant::now();
    let progress = progress_printer("перестроение моделей чтения");
    let done = projections::rebuild(store.as_ref(), &progress).await?;
    println!(
        "ok: модели чтения перестроены по {} событиям за {:.1} с: строк записано {}, закрыто {}",
        done.to,
        started.elapsed().as_secs_f64(),
        done.rows_written,
        done.rows_retired
    );
    Ok(())
}

/// An `--as-of` date, `ГГГГ-ММ-ДД`.
pub fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::new(
            "invalid_date",
            format!("--as-of «{text}»: нужна дата в виде ГГГГ-ММ-ДД"),
        )
    })
}

/// An `--as-of` date, or the clock's today.
pub fn parse_as_of(text: Option<&str>) -> Result<NaiveDate, Failure> {
    match text {
        Some(text) => parse_date(text),
        None => Ok(clock()?.now().date_naive()),
    }
}

/// A moment in RFC 3339, or a date meaning the end of that day (everything recorded on it).
pub fn parse_known_at(text: Option<&str>) -> Result<Option<DateTime<Utc>>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(moment.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .and_then(|next| next.and_hms_opt(0, 0, 0))
        .map(|midnight| Some(midnight.and_utc() - chrono::Duration::microseconds(1)))
        .ok_or_else(|| {
            Failure::new(
                "invalid_timestamp",
                format!(
                    "--known-at «{text}»: нужно время RFC 3339 (2025-09-20T12:00:00Z) или дата ГГГГ-ММ-ДД"
                ),
            )
        })
}

/// Brings the read models up to the end of the log, quietly.
pub async fn caught_up(store: &dyn MetodStore) -> Result<(), Failure> {
    projections::catch_up(store, &|_, _| {}).await?;
    Ok(())
}

pub async fn query(db: &str, profiles: Option<&Path>, args: QueryArgs) -> Result<(), Failure> {
    let at = TimePoint {
        as_of: parse_as_of(args.time.as_of.as_deref())?,
        known_at: parse_known_at(args.time.known_at.as_deref())?,
    };
    let profiles = load_profiles(profiles)?;
    let store = open_existing(db).await?;
    caught_up(store.as_ref()).await?;
    let profile = profile_in_force(store.as_ref(), &profiles, at).await?;
    let question = Question {
        at,
        profile,
        filters: Filters {
            district: args.district.clone(),
            subject: args.subject.clone(),
        },
    };
    let name = args.name.as_str();
    let Some(report) = queries::run(store.as_ref(), name, &question).await? else {
        return Err(Failure::new(
            "unknown_query",
            format!("неизвестный запрос «{name}»"),
        ));
    };
    print_report(&report, args.format)
}

pub async fn compare(db: &str, profiles: Option<&Path>, args: CompareArgs) -> Result<(), Failure> {
    let year = |text: &str| {
        domain::SchoolYear::parse(text).map_err(|e| Failure::new(e.code(), e.to_string()))
    };
    let (first, second) = (year(&args.first)?, year(&args.second)?);
    let known_at = parse_known_at(args.known_at.as_deref())?;
    let today = clock()?.now().date_naive();
    let profiles = load_profiles(profiles)?;
    let store = open_existing(db).await?;
    caught_up(store.as_ref()).await?;
    let profile = profile_in_force(
        store.as_ref(),
        &profiles,
        TimePoint {
            as_of: second.last_day().min(today),
            known_at,
        },
    )
    .await?;
    let report =
        projections::compare::compare(store.as_ref(), profile, first, second, known_at, today)
            .await?;
    print_report(&report, args.format)
}

/// The profile of the municipality registered in the store, as known at `at`.
async fn profile_in_force<'p>(
    store: &dyn MetodStore,
    profiles: &'p commands::ProfileSet,
    at: TimePoint,
) -> Result<&'p domain::RegulationProfile, Failure> {
    registered_profile(store, profiles, at)
        .await?
        .ok_or_else(|| {
            Failure::new(
                "no_municipality",
                format!(
                    "на {} (по сведениям на {}) в журнале нет зарегистрированного муниципалитета",
                    at.as_of,
                    at.known_at
                        .map_or_else(|| "сейчас".to_string(), |t| t.to_rfc3339())
                ),
            )
        })
}

/// The profile of the municipality registered in the store as known at `at`, if one is.
pub(crate) async fn registered_profile<'p>(
    store: &dyn MetodStore,
    profiles: &'p commands::ProfileSet,
    at: TimePoint,
) -> Result<Option<&'p domain::RegulationProfile>, Failure> {
    let registry = Snapshot::load(store, at, Needs::default()).await?;
    let Some(municipality) = registry.municipalities.first() else {
        return Ok(None);
    };
    profiles
        .get(&municipality.profile)
        .map(Some)
        .map_err(|e| Failure::new(e.code(), e.to_string()))
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
