//! `metod bench read-models --scales small,city,region --data DIR`: the same measurements
//! at several scales side by side, with how much each figure grows from one scale to the
//! next. Each scale's history is generated once by the demo (the same profile, years and
//! seed) and kept under `--data`, so a second run measures without generating again.

use app::{App, Config};
use serde_json::json;

use super::kept::{events_held, history_name, store_of};
use super::ms;
use super::read_models::{measure, met, write_report, Figures};
use super::subjects::{self, Subjects, SUBJECT_ANSWERS};
use crate::cli::{BenchReadModelsArgs, DemoScale};
use crate::failure::Failure;
use crate::progress::progress_printer;

/// Issue 22's targets, p99 in milliseconds: an answer about the whole municipality at city
/// and at region scale; an answer about one person (the inbox), and how much more it may
/// cost at region scale than at city scale.
const WHOLE_CITY_MS: f64 = 30.0;
const WHOLE_REGION_MS: f64 = 100.0;
const SUBJECT_MS: f64 = 20.0;
const SUBJECT_GROWTH: f64 = 1.5;

fn scale_name(scale: DemoScale) -> &'static str {
    scale.generated().name()
}

/// The application over one scale's history, generated first when its store is empty.
async fn history(
    app: &App,
    args: &BenchReadModelsArgs,
    data: &str,
    scale: DemoScale,
) -> Result<App, Failure> {
    let name = history_name(&args.profile, scale_name(scale), args.years, args.seed);
    let url = store_of(data, &name).await?;
    let scaled = App::new(Config {
        db: url.clone(),
        ..app.config().clone()
    });
    let held = events_held(app.config(), &url).await?;
    if held > 0 {
        eprintln!("bench: {url}: история уже создана ({held} событий)");
        return Ok(scaled);
    }
    eprintln!("bench: {url}: создаётся история ({})", scale_name(scale));
    let spec = demo::DemoSpec {
        profile: args.profile.clone(),
        scale: scale.generated(),
        years: args.years,
        seed: args.seed,
    };
    let years = progress_printer("учебные годы");
    let read_models = progress_printer("модели чтения");
    let generator = App::new(Config {
        db: url,
        ..app.config().clone()
    });
    generator.demo(spec, &years, &read_models).await?;
    Ok(scaled)
}

/// One figure at each scale (None where a scale has none).
struct Row {
    label: String,
    values: Vec<Option<f64>>,
    /// The unit shown after the label ("мс"), or none.
    unit: &'static str,
}

fn rows(measured: &[Figures]) -> Vec<Row> {
    let each = |f: &dyn Fn(&Figures) -> Option<f64>| measured.iter().map(f).collect::<Vec<_>>();
    let mut rows = vec![
        Row {
            label: "события".into(),
            values: each(&|m| Some(m.events as f64)),
            unit: "",
        },
        Row {
            label: "перестроение, событий/с".into(),
            values: each(&|m| Some(m.rebuild_rate)),
            unit: "",
        },
        Row {
            label: "перестроение: доля от только декодирования".into(),
            values: each(&|m| Some(m.ratio())),
            unit: "",
        },
        Row {
            label: "проекция без записи: доля от только декодирования".into(),
            values: each(&|m| Some(m.projection_ratio())),
            unit: "",
        },
        Row {
            label: "перестроение: строки (чтение, проекция, запись)".into(),
            values: each(&|m| Some(m.rebuild_parts().rows.as_secs_f64())),
            unit: "с",
        },
        Row {
            label: "перестроение: индексы".into(),
            values: each(&|m| Some(m.rebuild_parts().indexes.as_secs_f64())),
            unit: "с",
        },
        Row {
            label: "пиковая память перестроения, МиБ".into(),
            values: each(&|m| m.peak_mib()),
            unit: "",
        },
        Row {
            label: "иерархия на дату, p50".into(),
            values: each(&|m| Some(ms(m.as_of.0))),
            unit: "мс",
        },
        Row {
            label: "иерархия на дату, p99".into(),
            values: each(&|m| Some(ms(m.as_of.1))),
            unit: "мс",
        },
        Row {
            label: "иерархия по сведениям на момент, p99".into(),
            values: each(&|m| Some(ms(m.known_at.1))),
            unit: "мс",
        },
        Row {
            label: "иерархия, первый ответ после перестроения".into(),
            values: each(&|m| m.first_hierarchy().map(ms)),
            unit: "мс",
        },
    ];
    let names: Vec<&'static str> = measured
        .first()
        .map(|m| m.per_query.iter().map(|q| q.name).collect())
        .unwrap_or_default();
    for name in names {
        let query = |m: &Figures| {
            m.per_query
                .iter()
                .find(|q| q.name == name && q.profile_has_rule)
                .map(|q| (ms(q.p50), ms(q.p99)))
        };
        for (which, pick) in [("p50", 0), ("p99", 1)] {
            rows.push(Row {
                label: format!("{name}, {which}"),
                values: each(&|m| query(m).map(|t| if pick == 0 { t.0 } else { t.1 })),
                unit: "мс",
            });
        }
    }
    rows
}

fn cell(value: Option<f64>) -> String {
    match value {
        None => "—".into(),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

fn growth(from: Option<f64>, to: Option<f64>) -> Option<f64> {
    match (from, to) {
        (Some(a), Some(b)) if a > 0.0 => Some(b / a),
        _ => None,
    }
}

pub async fn run(app: &App, args: BenchReadModelsArgs) -> Result<(), Failure> {
    let Some(data) = args.data.clone() else {
        return Err(Failure::new(
            "invalid_argument",
            "--scales требует --data: где хранить созданные истории",
        ));
    };
    let mut measured = Vec::new();
    for &scale in &args.scales {
        let scaled = history(app, &args, &data, scale).await?;
        eprintln!("bench: замеры, масштаб {}", scale_name(scale));
        measured.push(measure(&scaled, &args).await?);
    }
    // Each scale was measured alone, its store dropped before the next one's rebuild (whose
    // peak memory is measured); the answers about one subject, whose growth is a target,
    // are measured on all of them open at once, in turn.
    let mut apps = Vec::new();
    for &scale in &args.scales {
        apps.push(history(app, &args, &data, scale).await?);
    }
    eprintln!(
        "bench: ответы об одном предмете, масштабы по очереди, замер за замером ({} замеров каждого)",
        args.samples
    );
    let mut asked = Vec::new();
    for scaled in &apps {
        asked.push(Subjects::of(scaled, args.seed, args.samples).await?);
    }
    subjects::sample_in_turn(&mut asked, args.samples).await?;
    for (figures, one) in measured.iter_mut().zip(asked) {
        figures.add_answers(one.answers());
    }
    let names: Vec<&str> = args.scales.iter().map(|&s| scale_name(s)).collect();
    let rows = rows(&measured);

    let mut header = format!("{:<44}", "");
    for name in &names {
        header.push_str(&format!(" {name:>10}"));
    }
    for pair in names.windows(2) {
        header.push_str(&format!(" {:>13}", format!("{}/{}", pair[1], pair[0])));
    }
    println!(
        "модели чтения по масштабам: профиль {}, {} лет, seed {}, {}",
        args.profile, args.years, args.seed, data
    );
    println!("{header}");
    for row in &rows {
        let label = if row.unit.is_empty() {
            row.label.clone()
        } else {
            format!("{}, {}", row.label, row.unit)
        };
        let mut line = format!("{label:<44}");
        for value in &row.values {
            line.push_str(&format!(" {:>10}", cell(*value)));
        }
        for pair in row.values.windows(2) {
            let factor = growth(pair[0], pair[1]).map_or("—".into(), |g| format!("×{g:.2}"));
            line.push_str(&format!(" {factor:>13}"));
        }
        println!("{line}");
    }
    let targets = targets(&args.scales, &measured);
    for (what, ok) in &targets {
        println!("цель: {what} — {}", met(*ok));
    }

    if let Some(path) = &args.out {
        let report = json!({
            "bench": "read-models-scales",
            "profile": args.profile,
            "years": args.years,
            "seed": args.seed,
            "data": data,
            "scales": names.iter().zip(&measured).map(|(name, m)| json!({"scale": name, "figures": m.to_json()})).collect::<Vec<_>>(),
            "rows": rows.iter().map(|r| json!({
                "figure": r.label, "unit": r.unit, "values": r.values,
                "growth": r.values.windows(2).map(|p| growth(p[0], p[1])).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "targets": targets.iter().map(|(what, ok)| json!({"target": what, "met": ok})).collect::<Vec<_>>(),
        });
        write_report(path, &report)?;
    }
    Ok(())
}

/// Issue 22's targets at the scales measured: every whole-municipality answer (the
/// hierarchy, each question the profile has a rule for) within its scale's ceiling; each
/// answer about one subject within its ceiling and, from city to region, within its growth.
fn targets(scales: &[DemoScale], measured: &[Figures]) -> Vec<(String, bool)> {
    let mut targets = Vec::new();
    let p99_of = |m: &Figures, name: &str| {
        m.per_query
            .iter()
            .find(|q| q.name == name)
            .map(|q| ms(q.p99))
    };
    for (&scale, m) in scales.iter().zip(measured) {
        let ceiling = match scale {
            DemoScale::Small | DemoScale::City => WHOLE_CITY_MS,
            DemoScale::Region => WHOLE_REGION_MS,
        };
        let whole = m
            .per_query
            .iter()
            .filter(|q| q.profile_has_rule && !SUBJECT_ANSWERS.contains(&q.name))
            .map(|q| ms(q.p99))
            .chain([ms(m.as_of.1), ms(m.known_at.1)])
            .fold(0.0, f64::max);
        targets.push((
            format!(
                "{}: ответы обо всём муниципалитете p99 ≤ {ceiling} мс (худший {whole:.1} мс)",
                scale_name(scale)
            ),
            whole <= ceiling,
        ));
        for name in SUBJECT_ANSWERS {
            if let Some(p99) = p99_of(m, name) {
                targets.push((
                    format!(
                        "{}: {name} p99 ≤ {SUBJECT_MS} мс ({p99:.2} мс)",
                        scale_name(scale)
                    ),
                    p99 <= SUBJECT_MS,
                ));
            }
        }
    }
    let at = |wanted: DemoScale, name: &str| {
        scales
            .iter()
            .position(|&s| s == wanted)
            .and_then(|i| p99_of(&measured[i], name))
    };
    for name in SUBJECT_ANSWERS {
        if let Some(g) = growth(at(DemoScale::City, name), at(DemoScale::Region, name)) {
            targets.push((
                format!("{name}: region/city p99 ≤ ×{SUBJECT_GROWTH} (×{g:.2})"),
                g <= SUBJECT_GROWTH,
            ));
        }
    }
    targets
}
