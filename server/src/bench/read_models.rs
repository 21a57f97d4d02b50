//! `metod bench read-models`: on a store with history (`metod demo`), the full rebuild of the
//! read models beside a decode-only loop over the same rows (the ceiling, same run) and a
//! projection that writes nothing, its parts and its peak memory; the as-of hierarchy at
//! random past dates beside a replay of the log from the first event that computes the same
//! answer; every oversight question at random dates; then the answers about one subject
//! (`super::subjects`).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use app::App;
use chrono::NaiveDate;
use domain::ids::{AssociationId, PersonId};
use domain::values::AssociationRole;
use domain::{Aggregate, Event, Ref, World};
use projections::queries::{self, Filters, QueryKind, Question};
use projections::snapshot::{Needs, Snapshot};
use projections::RebuildTimes;
use serde_json::json;
use store::{MetodStore, TimePoint};

use super::sampling::{known_on, Points, QueryTimes};
use super::subjects::Subjects;
use super::{ms, percentile};
use crate::cli::BenchReadModelsArgs;
use crate::failure::{io_failure, Failure};

const PAGE: usize = 20_000;

/// The process's peak resident memory in bytes since the last reset (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets the peak so that it measures what follows (Linux ≥ 4.0; ignored elsewhere).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Reads every row and decodes every payload into its domain event, as the projector does
/// (the same columns, the same decoder), and nothing else.
async fn decode_only(store: &dyn MetodStore) -> Result<(u64, Duration), Failure> {
    let started = Instant::now();
    let mut position = 0;
    let mut decoded = 0u64;
    loop {
        let page = store.read_contents(position + 1, PAGE).await?;
        for recorded in &page {
            let event =
                Event::decode_known(&recorded.event_type, recorded.schema, &recorded.payload)
                    .map_err(|e| Failure::new(e.code(), e.to_string()))?;
            std::hint::black_box(&event);
            decoded += 1;
            position = recorded.position;
        }
        if page.len() < PAGE {
            break;
        }
    }
    Ok((decoded, started.elapsed()))
}

/// The hierarchy's figures on `on` from a replay of the whole log through the domain's
/// states: every association live that day with its head, secretary, curator (by name) and
/// member count — what `metod query hierarchy` answers from the read models.
async fn replay_hierarchy(
    store: &dyn MetodStore,
    on: NaiveDate,
) -> Result<Vec<(AssociationId, Vec<String>, u32)>, Failure> {
    let mut world = World::default();
    let mut position = 0;
    loop {
        let page = store.read_all(position + 1, PAGE).await?;
        for recorded in &page {
            position = recorded.position;
            let Some(fact) =
                commands::fact_of(recorded).map_err(|e| Failure::new(e.code(), e.to_string()))?
            else {
                continue;
            };
            match fact.event.home() {
                Ref::Association(id) => world.associations.entry(id).or_default().evolve(&fact),
                Ref::Person(id) => world.persons.entry(id).or_default().evolve(&fact),
                Ref::Municipality(id) => world.municipalities.entry(id).or_default().evolve(&fact),
                _ => {}
            }
        }
        if page.len() < PAGE {
            break;
        }
    }
    // Names: the registration event of each holder, opened through the vault.
    let mut names: BTreeMap<PersonId, String> = BTreeMap::new();
    let mut rows = Vec::new();
    for (id, association) in &world.associations {
        let live = association.created_on.is_some_and(|c| c <= on)
            && association.liquidated_on.is_none_or(|l| l > on);
        if !live {
            continue;
        }
        let mut holders = Vec::new();
        for role in [
            AssociationRole::Head,
            AssociationRole::Secretary,
            AssociationRole::Curator,
        ] {
            let Some(person) = association.holder(role, on) else {
                holders.push(String::new());
                continue;
            };
            let name = match names.get(&person) {
                Some(name) => name.clone(),
                None => {
                    let stream = store::StreamId::parse(person.stream())?;
                    let registered = store.read_stream(&stream, 1, 1).await?;
                    let name = match registered.first() {
                        Some(event) => {
                            let payload: serde_json::Value =
                                serde_json::from_str(&event.payload).unwrap_or_default();
                            let opened = store.reveal_payload(&payload["full_name"]).await?;
                            opened.as_str().unwrap_or_default().to_string()
                        }
                        None => person.to_string(),
                    };
                    names.insert(person, name.clone());
                    name
                }
            };
            holders.push(name);
        }
        rows.push((*id, holders, association.member_count_on(on)));
    }
    Ok(rows)
}

/// One round of the rebuild's timings: decode-only, the projection without writing, then
/// the full rebuild with its two parts.
struct Round {
    decoded: u64,
    decode_time: Duration,
    projection_time: Duration,
    rebuilt: projections::CatchUp,
    rebuild_time: Duration,
    parts: RebuildTimes,
    peak: Option<u64>,
}

async fn round(store: &dyn MetodStore, number: u32, of: u32) -> Result<Round, Failure> {
    eprintln!("bench: круг {number} из {of}: только чтение и декодирование");
    let (decoded, decode_time) = decode_only(store).await?;
    eprintln!("bench: круг {number} из {of}: проекция без записи");
    let started = Instant::now();
    let projected = projections::project_without_writing(store).await?;
    let projection_time = started.elapsed();
    if projected != decoded {
        return Err(Failure::new(
            "bench_log_changed",
            format!("журнал изменился во время замера: {decoded} событий, затем {projected}"),
        ));
    }
    eprintln!("bench: круг {number} из {of}: перестроение всех моделей чтения");
    reset_peak_memory();
    let started = Instant::now();
    let (rebuilt, parts) = projections::rebuild_timed(store, &|_, _| {}).await?;
    let rebuild_time = started.elapsed();
    Ok(Round {
        decoded,
        decode_time,
        projection_time,
        rebuilt,
        rebuild_time,
        parts,
        peak: peak_memory(),
    })
}

pub async fn run(app: &App, args: BenchReadModelsArgs) -> Result<(), Failure> {
    let mut figures = measure(app, &args).await?;
    eprintln!(
        "bench: ответы об одном предмете ({} замеров каждого)",
        args.samples
    );
    let mut subjects = Subjects::of(app, args.seed, args.samples).await?;
    subjects.sample(args.samples).await?;
    figures.add_answers(subjects.answers());
    figures.print();
    if let Some(path) = &args.out {
        write_report(path, &figures.to_json())?;
    }
    Ok(())
}

/// Writes a report as pretty JSON.
pub(super) fn write_report(
    path: &std::path::Path,
    report: &serde_json::Value,
) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(report)
        .map_err(|e| Failure::new("io_error", e.to_string()))?;
    std::fs::write(path, text)
        .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))
}

/// What one run measures on one store.
pub(super) struct Figures {
    store: String,
    pub events: u64,
    fact_rows: u64,
    rounds: u32,
    rebuild_time: Duration,
    rebuild_times: Vec<Duration>,
    pub rebuild_rate: f64,
    decode_time: Duration,
    decode_times: Vec<Duration>,
    decode_rate: f64,
    /// The projection without writing (`projections::project_without_writing`), median of
    /// the rounds.
    projection_time: Duration,
    /// The rebuild's parts, medians of the rounds taken apart (so they need not add up to
    /// `rebuild_time` exactly).
    parts: RebuildTimes,
    pub peak: Option<u64>,
    samples: u32,
    pub as_of: (Duration, Duration),
    pub known_at: (Duration, Duration),
    replays: u32,
    replay_p50: Duration,
    pub per_query: Vec<QueryTimes>,
    /// Each answer's first time after the rebuild, not in the samples (`first_answers`).
    first_answers: Vec<(&'static str, Duration)>,
}

/// Measures the store of `app`, which holds a history.
pub(super) async fn measure(app: &App, args: &BenchReadModelsArgs) -> Result<Figures, Failure> {
    let store = app.store().await?;
    let events = store.last_position().await?;
    if events == 0 {
        return Err(Failure::new(
            "bench_store_empty",
            format!(
                "в хранилище {} нет событий: сначала «metod demo --scale city»",
                store.describe()
            ),
        ));
    }
    let mut first = round(store.as_ref(), 1, args.rounds).await?;
    let (mut decode_times, mut rebuild_times) = (vec![first.decode_time], vec![first.rebuild_time]);
    let mut projection_times = vec![first.projection_time];
    let (mut rows_times, mut index_times) = (vec![first.parts.rows], vec![first.parts.indexes]);
    for number in 2..=args.rounds {
        let next = round(store.as_ref(), number, args.rounds).await?;
        decode_times.push(next.decode_time);
        rebuild_times.push(next.rebuild_time);
        projection_times.push(next.projection_time);
        rows_times.push(next.parts.rows);
        index_times.push(next.parts.indexes);
        first.peak = first.peak.max(next.peak);
    }
    let Round {
        decoded,
        rebuilt,
        peak,
        ..
    } = first;
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        percentile(times, 50)
    };
    let decode_time = median(&mut decode_times);
    let rebuild_time = median(&mut rebuild_times);
    let projection_time = median(&mut projection_times);
    let parts = RebuildTimes {
        rows: median(&mut rows_times),
        indexes: median(&mut index_times),
    };
    let rebuild_rate = rebuilt.to as f64 / rebuild_time.as_secs_f64();
    let decode_rate = decoded as f64 / decode_time.as_secs_f64();

    let mut points = Points::of_log(store.as_ref(), args.seed).await?;
    let last = points.last_day();
    let (registry, profile) = known_on(
        app,
        last,
        Needs {
            documents: true,
            ..Needs::default()
        },
    )
    .await?;

    eprintln!("bench: первые ответы после перестроения (не в замерах)");
    let first_answers = first_answers(store.as_ref(), &registry, profile, last).await?;

    eprintln!(
        "bench: иерархия на случайные даты ({} замеров)",
        args.samples
    );
    let mut as_of_times = Vec::new();
    let mut known_at_times = Vec::new();
    for _ in 0..args.samples {
        let as_of = points.date();
        let question = Question {
            at: TimePoint {
                as_of,
                known_at: None,
            },
            profile,
            filters: Filters::default(),
        };
        let started = Instant::now();
        std::hint::black_box(queries::hierarchy(store.as_ref(), &question).await?);
        as_of_times.push(started.elapsed());
        let known_at = points.moment();
        let question = Question {
            at: TimePoint {
                as_of,
                known_at: Some(known_at),
            },
            ..question
        };
        let started = Instant::now();
        std::hint::black_box(queries::hierarchy(store.as_ref(), &question).await?);
        known_at_times.push(started.elapsed());
    }
    as_of_times.sort();
    known_at_times.sort();

    eprintln!(
        "bench: та же иерархия повтором журнала с начала ({} замеров)",
        args.replays
    );
    let mut replay_times = Vec::new();
    for _ in 0..args.replays {
        let as_of = points.date();
        let started = Instant::now();
        std::hint::black_box(replay_hierarchy(store.as_ref(), as_of).await?);
        replay_times.push(started.elapsed());
    }
    replay_times.sort();

    eprintln!(
        "bench: надзорные запросы ({} замеров каждого)",
        args.samples
    );
    let mut per_query = Vec::new();
    for kind in QueryKind::ALL {
        let mut times = Vec::new();
        for _ in 0..args.samples {
            let question = Question {
                at: TimePoint {
                    as_of: points.date(),
                    known_at: None,
                },
                profile,
                filters: Filters::default(),
            };
            let started = Instant::now();
            std::hint::black_box(queries::run(store.as_ref(), kind, &question).await?);
            times.push(started.elapsed());
        }
        times.sort();
        per_query.push(QueryTimes {
            name: kind.name(),
            p50: percentile(&times, 50),
            p99: percentile(&times, 99),
            profile_has_rule: kind.profile_has_rule(profile),
        });
    }
    Ok(Figures {
        store: store.describe(),
        events,
        fact_rows: rebuilt.rows_written,
        rounds: args.rounds,
        rebuild_time,
        rebuild_times,
        rebuild_rate,
        decode_time,
        decode_times,
        decode_rate,
        projection_time,
        parts,
        peak,
        samples: args.samples,
        as_of: (percentile(&as_of_times, 50), percentile(&as_of_times, 99)),
        known_at: (
            percentile(&known_at_times, 50),
            percentile(&known_at_times, 99),
        ),
        replays: args.replays,
        replay_p50: percentile(&replay_times, 50),
        per_query,
        first_answers,
    })
}

/// Every answer once on the last day, before the timed samples, each timed on its own: the
/// first answers after a rebuild (or a start) read their indexes' and rows' pages from the
/// file into SQLite's page cache, which a server answering all day does once. Left in the
/// samples, that one cold answer was the p99 of fifty (a region's hierarchy on a date: 118–191
/// ms at p99 against 52–82 at p50, with the same question's p99 74–98 ms when asked later).
/// Reported apart: the hierarchy's, the first of them, in the tables; all of them in the JSON.
async fn first_answers(
    store: &dyn MetodStore,
    known: &Snapshot,
    profile: &domain::profile::RegulationProfile,
    last: NaiveDate,
) -> Result<Vec<(&'static str, Duration)>, Failure> {
    let at = TimePoint {
        as_of: last,
        known_at: None,
    };
    let question = Question {
        at,
        profile,
        filters: Filters::default(),
    };
    let mut times = Vec::new();
    // the hierarchy first: it is the first of the kinds
    for kind in QueryKind::ALL {
        if !kind.profile_has_rule(profile) {
            continue;
        }
        let started = Instant::now();
        std::hint::black_box(queries::run(store, kind, &question).await?);
        times.push((kind.name(), started.elapsed()));
    }
    if let Some(id) = known.associations.keys().next() {
        let started = Instant::now();
        std::hint::black_box(
            projections::association::association(store, at, *id, Some(profile), true).await?,
        );
        times.push(("association", started.elapsed()));
    }
    Ok(times)
}

/// «выполнено» or «НЕ выполнено».
pub(super) fn met(ok: bool) -> &'static str {
    if ok {
        "выполнено"
    } else {
        "НЕ выполнено"
    }
}

impl Figures {
    /// Adds the answers about one subject (`super::subjects`), after the questions.
    pub fn add_answers(&mut self, answers: Vec<QueryTimes>) {
        self.per_query.extend(answers);
    }

    /// The rebuild's share of the decode-only ceiling.
    pub fn ratio(&self) -> f64 {
        self.rebuild_rate / self.decode_rate
    }

    /// The projection without writing, events per second.
    pub fn projection_rate(&self) -> f64 {
        self.events as f64 / self.projection_time.as_secs_f64().max(1e-9)
    }

    /// The projection without writing, as a share of the decode-only ceiling: how much of
    /// the rebuild's distance from the ceiling is the projection's own.
    pub fn projection_ratio(&self) -> f64 {
        self.projection_rate() / self.decode_rate
    }

    /// The rebuild's parts: reading, projecting and writing the rows; building the indexes.
    pub fn rebuild_parts(&self) -> RebuildTimes {
        self.parts
    }

    /// How many times faster the as-of hierarchy is than a replay from the first event.
    fn speedup(&self) -> f64 {
        self.replay_p50.as_secs_f64() / self.as_of.1.as_secs_f64().max(1e-9)
    }

    /// The slowest p99 of the questions the profile has a rule for (one it lacks answers so
    /// without a look-up: not a measure).
    fn worst_query(&self) -> Duration {
        self.per_query
            .iter()
            .filter(|q| q.profile_has_rule)
            .map(|q| q.p99)
            .max()
            .unwrap_or_default()
    }

    /// The hierarchy's first answer after the rebuild: the first read of a cold cache.
    pub fn first_hierarchy(&self) -> Option<Duration> {
        self.first_answers
            .iter()
            .find(|(name, _)| *name == QueryKind::Hierarchy.name())
            .map(|(_, time)| *time)
    }

    pub fn peak_mib(&self) -> Option<f64> {
        self.peak.map(|b| b as f64 / (1024.0 * 1024.0))
    }

    fn print(&self) {
        let (as_of_p50, as_of_p99) = self.as_of;
        let (rebuild_rate, decode_rate, ratio) =
            (self.rebuild_rate, self.decode_rate, self.ratio());
        let (speedup, worst_query, peak_mib) =
            (self.speedup(), self.worst_query(), self.peak_mib());
        println!(
            "модели чтения: {} ({} событий, {} строк фактов; перестроение — медиана {} кругов)",
            self.store, self.events, self.fact_rows, self.rounds
        );
        println!("{:<52} {:>14} {:>14}", "", "значение", "потолок/цель");
        println!(
            "{:<52} {:>14.0} {:>14.0}",
            "перестроение, событий/с (потолок: только декодирование)", rebuild_rate, decode_rate
        );
        println!("{:<52} {:>14.2} {:>14}", "доля от потолка", ratio, "≥ 0.5");
        println!(
            "{:<52} {:>14.0} {:>14.2}",
            "проекция без записи, событий/с; доля от потолка",
            self.projection_rate(),
            self.projection_ratio()
        );
        println!(
            "{:<52} {:>12.2} с {:>12.2} с",
            "перестроение: строки (чтение, проекция, запись) / индексы",
            self.parts.rows.as_secs_f64(),
            self.parts.indexes.as_secs_f64()
        );
        println!(
            "{:<52} {:>14} {:>14}",
            "пиковая память при перестроении, МиБ",
            peak_mib.map_or("—".into(), |m| format!("{m:.0}")),
            "≤ 1024"
        );
        println!(
            "{:<52} {:>11.2} мс {:>11.2} мс",
            "иерархия на дату, p50 / p99",
            ms(as_of_p50),
            ms(as_of_p99)
        );
        println!(
            "{:<52} {:>11.2} мс {:>11.2} мс",
            "иерархия на дату по сведениям на момент, p50 / p99",
            ms(self.known_at.0),
            ms(self.known_at.1)
        );
        if let Some(time) = self.first_hierarchy() {
            println!(
                "{:<52} {:>11.2} мс",
                "иерархия, первый ответ после перестроения (не в замерах)",
                ms(time)
            );
        }
        println!(
            "{:<52} {:>11.1} мс {:>13.1}×",
            "та же иерархия повтором журнала, p50; ускорение",
            ms(self.replay_p50),
            speedup
        );
        for query in &self.per_query {
            let label = format!("запрос {}, p50 / p99", query.name);
            if query.profile_has_rule {
                println!(
                    "{:<52} {:>11.2} мс {:>11.2} мс",
                    label,
                    ms(query.p50),
                    ms(query.p99)
                );
            } else {
                println!("{label:<52} {:>29}", "в профиле нет правила");
            }
        }
        println!(
            "цели: перестроение ≥ 300000 событий/с — {}; доля ≥ 0.5 — {}; иерархия p99 ≤ 100 мс — {}; ускорение ≥ 20× — {}; запросы p99 ≤ 50 мс — {}; память ≤ 1 ГиБ — {}",
            met(rebuild_rate >= 300_000.0),
            met(ratio >= 0.5),
            met(ms(as_of_p99) <= 100.0),
            met(speedup >= 20.0),
            met(ms(worst_query) <= 50.0),
            met(peak_mib.is_some_and(|m| m <= 1024.0)),
        );
    }

    pub fn to_json(&self) -> serde_json::Value {
        let seconds =
            |times: &[Duration]| times.iter().map(Duration::as_secs_f64).collect::<Vec<_>>();
        let (as_of_p50, as_of_p99) = self.as_of;
        let (rebuild_rate, ratio, speedup, peak) =
            (self.rebuild_rate, self.ratio(), self.speedup(), self.peak);
        let worst_query = self.worst_query();
        json!({
            "bench": "read-models",
            "store": self.store,
            "events": self.events,
            "fact_rows": self.fact_rows,
            "rounds": self.rounds,
            "rebuild": { "seconds": self.rebuild_time.as_secs_f64(), "events_per_second": rebuild_rate, "peak_memory_bytes": peak, "seconds_per_round": seconds(&self.rebuild_times) },
            "rebuild_parts": { "rows_seconds": self.parts.rows.as_secs_f64(), "indexes_seconds": self.parts.indexes.as_secs_f64() },
            "decode_only_ceiling": { "seconds": self.decode_time.as_secs_f64(), "events_per_second": self.decode_rate, "seconds_per_round": seconds(&self.decode_times) },
            "projection_without_writing": { "seconds": self.projection_time.as_secs_f64(), "events_per_second": self.projection_rate(), "ratio_to_ceiling": self.projection_ratio() },
            "rebuild_ratio_to_ceiling": ratio,
            "hierarchy_as_of": { "samples": self.samples, "p50_ms": ms(as_of_p50), "p99_ms": ms(as_of_p99) },
            "hierarchy_as_of_known_at": { "p50_ms": ms(self.known_at.0), "p99_ms": ms(self.known_at.1) },
            "hierarchy_replay_from_zero": { "samples": self.replays, "p50_ms": ms(self.replay_p50) },
            "as_of_speedup_over_replay": speedup,
            "first_answers_after_rebuild": self.first_answers.iter().map(|(name, t)| json!({"answer": name, "ms": ms(*t)})).collect::<Vec<_>>(),
            "queries": self.per_query.iter().map(|q| json!({"query": q.name, "p50_ms": ms(q.p50), "p99_ms": ms(q.p99), "profile_has_rule": q.profile_has_rule})).collect::<Vec<_>>(),
            "targets": {
                "rebuild_events_per_second": 300_000, "rebuild_met": rebuild_rate >= 300_000.0,
                "rebuild_ratio": 0.5, "rebuild_ratio_met": ratio >= 0.5,
                "as_of_p99_ms": 100, "as_of_p99_met": ms(as_of_p99) <= 100.0,
                "speedup": 20, "speedup_met": speedup >= 20.0,
                "query_p99_ms": 50, "query_p99_met": ms(worst_query) <= 50.0,
                "peak_memory_bytes": 1u64 << 30, "peak_memory_met": peak.is_some_and(|b| b <= 1 << 30),
            },
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        })
    }
}
