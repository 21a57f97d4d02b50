//! The report of `bench serve`: per kind of operation, count, throughput, p50 and p99 and
//! errors for HTTP beside in-process, their ratio, every error by its code, the memory, and
//! each target of issue 19 item 7 and issue 20 item 6 (pages) met or not; the same as JSON
//! with `--out`.

use std::time::Duration;

use serde_json::{json, Value};

use super::drive::{KindTally, SideTally};
use super::plan::Kind;
use super::town::Town;
use super::{BenchServeArgs, Memory};
use crate::bench::{ms, percentile};
use crate::failure::{io_failure, Failure};

/// Issue 19 item 7.
const READ_P99_MS: f64 = 100.0;
const WRITE_P99_MS: f64 = 200.0;
/// Issue 20 item 6: a page's p99 on city data with 50 sessions.
const PAGE_P99_MS: f64 = 150.0;
const RATIO: f64 = 0.7;
const MEMORY_KIB: u64 = 1024 * 1024;

/// One kind on one side, summed up.
struct Figures {
    count: usize,
    per_second: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

fn figures(tally: &KindTally, elapsed: Duration) -> Figures {
    let mut sorted = tally.latencies.clone();
    sorted.sort();
    Figures {
        count: sorted.len(),
        per_second: sorted.len() as f64 / elapsed.as_secs_f64().max(1e-9),
        p50: ms(percentile(&sorted, 50)),
        p99: ms(percentile(&sorted, 99)),
        errors: tally.errors(),
    }
}

fn all_of(side: &SideTally) -> KindTally {
    let mut all = KindTally::default();
    for kind in &side.kinds {
        all.latencies.extend(&kind.latencies);
        for (code, n) in &kind.errors {
            *all.errors.entry(code.clone()).or_default() += n;
        }
    }
    all
}

fn ratio(http: f64, in_process: f64) -> f64 {
    if in_process > 0.0 {
        http / in_process
    } else {
        0.0
    }
}

fn met(ok: bool) -> &'static str {
    if ok {
        "выполнено"
    } else {
        "НЕ выполнено"
    }
}

fn row(what: &str, h: &Figures, p: &Figures) {
    println!(
        "{:<22} {:>7} {:>8.1} {:>8.2} {:>8.2} {:>6} │ {:>7} {:>8.1} {:>8.2} {:>8.2} {:>6} │ {:>6.2}",
        what,
        h.count,
        h.per_second,
        h.p50,
        h.p99,
        h.errors,
        p.count,
        p.per_second,
        p.p50,
        p.p99,
        p.errors,
        ratio(h.per_second, p.per_second)
    );
}

/// The errors of a side, each code with its count, by kind.
fn errors_of(side: &SideTally) -> Vec<String> {
    let mut said = Vec::new();
    for kind in Kind::ALL {
        for (code, n) in &side.kinds[kind.index()].errors {
            said.push(format!("{}: {code} × {n}", kind.in_russian()));
        }
    }
    said
}

fn mib(kib: Option<u64>) -> String {
    kib.map_or("—".into(), |k| format!("{:.0} MiB", k as f64 / 1024.0))
}

pub fn print(
    town: &Town,
    args: &BenchServeArgs,
    store: &str,
    http: &SideTally,
    in_process: &SideTally,
    memory: &Memory,
) -> Result<(), Failure> {
    println!(
        "metod bench serve — {store}: novokuznetsk ({}), учебных лет {}, событий {}{}; \
         «сегодня» {}; сессий {} на сторону, пауза между операциями {} мс в среднем, по {} с \
         на сторону (два круга, стороны по очереди)",
        args.scale.name(),
        args.years,
        town.events_generated,
        town.kept
            .as_ref()
            .map(|kept| format!(" (копия истории {kept})"))
            .unwrap_or_default(),
        town.today,
        args.sessions,
        args.think_ms,
        args.seconds
    );
    println!(
        "{:<22} {:>7} {:>8} {:>8} {:>8} {:>6} │ {:>7} {:>8} {:>8} {:>8} {:>6} │ {:>6}",
        "",
        "HTTP",
        "оп/с",
        "p50 мс",
        "p99 мс",
        "ошиб.",
        "в проц.",
        "оп/с",
        "p50 мс",
        "p99 мс",
        "ошиб.",
        "доля"
    );
    let mut per_kind = Vec::new();
    for kind in Kind::ALL {
        let h = figures(&http.kinds[kind.index()], http.elapsed);
        let p = figures(&in_process.kinds[kind.index()], in_process.elapsed);
        row(kind.in_russian(), &h, &p);
        per_kind.push((kind, h, p));
    }
    let h_all = figures(&all_of(http), http.elapsed);
    let p_all = figures(&all_of(in_process), in_process.elapsed);
    row("всего", &h_all, &p_all);
    let overall = ratio(h_all.per_second, p_all.per_second);

    for (name, side) in [("HTTP", http), ("в процессе", in_process)] {
        let errors = errors_of(side);
        if errors.is_empty() {
            println!("ошибки, {name}: нет");
        } else {
            println!("ошибки, {name}: {}", errors.join("; "));
        }
    }
    if http.nothing_to_decide + in_process.nothing_to_decide > 0 {
        println!(
            "решения, которых не хватило (всё своё уже решено): HTTP {}, в процессе {}",
            http.nothing_to_decide, in_process.nothing_to_decide
        );
    }
    println!(
        "память процесса (сервер, клиенты и потолок вместе), пик: за весь прогон {}, под нагрузкой {}",
        mib(memory.peak_whole_run_kib),
        mib(memory.peak_serving_kib)
    );

    let worst = |write: bool| {
        per_kind
            .iter()
            .filter(|(k, h, _)| k.writes() == write && !k.is_page() && h.count > 0)
            .map(|(_, h, _)| h.p99)
            .fold(0.0_f64, f64::max)
    };
    let (read_p99, write_p99) = (worst(false), worst(true));
    let page_p99 = per_kind
        .iter()
        .filter(|(k, h, _)| k.is_page() && h.count > 0)
        .map(|(_, h, _)| h.p99)
        .fold(0.0_f64, f64::max);
    let errors = h_all.errors + p_all.errors;
    let peak = memory.peak_whole_run_kib;
    let targets = [
        (
            format!("чтение p99 ≤ {READ_P99_MS} мс (худший вид по HTTP: {read_p99:.1})"),
            read_p99 <= READ_P99_MS,
        ),
        (
            format!("запись p99 ≤ {WRITE_P99_MS} мс (худший вид по HTTP: {write_p99:.1})"),
            write_p99 <= WRITE_P99_MS,
        ),
        (
            format!("страница p99 ≤ {PAGE_P99_MS} мс (худшая по HTTP: {page_p99:.1})"),
            page_p99 <= PAGE_P99_MS,
        ),
        (
            format!("HTTP / в процессе ≥ {RATIO} ({overall:.2})"),
            overall >= RATIO,
        ),
        (format!("ноль ошибок ({errors})"), errors == 0),
        (
            format!("пик памяти ≤ 1 ГиБ ({})", mib(peak)),
            peak.is_some_and(|k| k <= MEMORY_KIB),
        ),
    ];
    let said: Vec<String> = targets
        .iter()
        .map(|(what, ok)| format!("{what} — {}", met(*ok)))
        .collect();
    println!("цели: {}", said.join("; "));

    if let Some(path) = &args.out {
        let side_json = |side: &SideTally| -> Value {
            let mut kinds = serde_json::Map::new();
            for kind in Kind::ALL {
                let tally = &side.kinds[kind.index()];
                let f = figures(tally, side.elapsed);
                kinds.insert(
                    kind.name().into(),
                    json!({
                        "count": f.count, "per_second": f.per_second, "p50_ms": f.p50,
                        "p99_ms": f.p99, "errors": f.errors, "error_codes": tally.errors,
                    }),
                );
            }
            let all = figures(&all_of(side), side.elapsed);
            json!({
                "seconds": side.elapsed.as_secs_f64(),
                "kinds": kinds,
                "total": { "count": all.count, "per_second": all.per_second, "p50_ms": all.p50,
                           "p99_ms": all.p99, "errors": all.errors },
                "nothing_to_decide": side.nothing_to_decide,
            })
        };
        let report = json!({
            "bench": "serve",
            "store": store,
            "profile": "novokuznetsk",
            "scale": args.scale.name(),
            "years": args.years,
            "events_generated": town.events_generated,
            "kept_history": town.kept,
            "today": town.today.to_string(),
            "sessions": args.sessions,
            "seconds_per_side": args.seconds,
            "think_ms": args.think_ms,
            "seed": args.seed,
            "http": side_json(http),
            "in_process": side_json(in_process),
            "throughput_ratio": overall,
            "memory_kib": { "peak_whole_run": memory.peak_whole_run_kib, "peak_serving": memory.peak_serving_kib },
            "targets_met": targets.iter().map(|(w, ok)| json!({ "target": w, "met": ok })).collect::<Vec<_>>(),
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        });
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::new("io_error", e.to_string()))?;
        std::fs::write(path, text)
            .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))?;
    }
    Ok(())
}
