//! `metod bench store`: batched appends into a fresh store beside a raw insert of the same
//! rows into a bare table of the same database (the ceiling, measured in the same run), the
//! latency of single durable appends beside single inserts of the same rows into that bare
//! table, and a full verification.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use store::{Backend, OpenMode, SystemClock, Verification};

use super::workload::{append_batches, single_appends};
use super::{ms, percentile};
use crate::cli::BenchStoreArgs;
use crate::failure::{io_failure, Failure};

pub async fn run(db: Option<String>, args: BenchStoreArgs) -> Result<(), Failure> {
    if args.events == 0 || args.batch == 0 {
        return Err(Failure::new(
            "invalid_argument",
            "--events и --batch должны быть больше нуля",
        ));
    }
    // Without --db on its command line (METOD_DB does not count: that is the store every
    // other command works on) the store lives in a temporary directory removed at the end.
    let scratch =
        tempfile::tempdir().map_err(|e| io_failure("не удалось создать временный каталог", e))?;
    let url =
        db.unwrap_or_else(|| format!("sqlite://{}", scratch.path().join("bench.db").display()));
    let backend = Backend::of_url(&url)?;
    let (store, ceilings) =
        store::bench::open(&url, OpenMode::CreateOrMigrate, Arc::new(SystemClock)).await?;
    if store.last_position().await? != 0 {
        return Err(Failure::new(
            "bench_store_not_empty",
            format!("хранилище {} не пусто: замер пишет в новое хранилище (удалите его или укажите другое в --db)", store.describe()),
        ));
    }
    // The ceiling of the tree is measured once before and once after the store's own run, so
    // that a machine getting warmer or busier does not favour either side.
    eprintln!("bench: потолок дерева — те же записи в хранилище без дерева Меркла");
    let before = without_tree(&url, &args).await?;
    let batched = append_batches(store.as_ref(), args.events, args.batch, "с деревом").await?;
    let (append_time, payload_bytes) = (batched.time, batched.payload_bytes);

    eprintln!("bench: потолок — те же строки в голую таблицу той же базы");
    ceilings.create_raw_table().await?;
    let mut raw_time = Duration::ZERO;
    let mut from = 1;
    loop {
        let chunk = store.read_all(from, args.batch as usize).await?;
        let Some(last) = chunk.last() else { break };
        from = last.position + 1;
        raw_time += ceilings.raw_insert(&chunk).await?;
    }

    eprintln!("bench: одиночные записи ({})", args.single);
    let one_call_before = ceilings.appends_in_one_call();
    let latencies = single_appends(store.as_ref(), args.single, args.events).await?;
    let in_one_call = ceilings
        .appends_in_one_call()
        .zip(one_call_before)
        .map(|(after, before)| after - before);

    eprintln!("bench: потолок одиночной записи — те же строки по одной в голую таблицу");
    let mut bare_single = Vec::with_capacity(args.single as usize);
    for row in store
        .read_all(args.events + 1, args.single as usize)
        .await?
    {
        bare_single.push(ceilings.raw_insert_one(&row).await?);
    }
    bare_single.sort();
    ceilings.drop_raw_table().await?;

    eprintln!("bench: потолок дерева, второй раз");
    let without = before.and(without_tree(&url, &args).await?);

    eprintln!("bench: проверка цепочки хешей");
    let started = Instant::now();
    let verification = store::verify(store.as_ref()).await?;
    let verify_time = started.elapsed();
    let total = args.events + args.single;
    match verification {
        Verification::Intact { events, .. } if events == total => {}
        other => {
            return Err(Failure::new(
                "integrity_broken",
                format!("после замера журнал не проверяется: {other:?}"),
            ));
        }
    }

    let per_second = |n: u64, t: Duration| n as f64 / t.as_secs_f64().max(1e-9);
    let append_rate = per_second(args.events, append_time);
    let raw_rate = per_second(args.events, raw_time);
    let ratio = append_rate / raw_rate;
    let p50 = percentile(&latencies, 50);
    let p99 = percentile(&latencies, 99);
    let (target_rate, target_ratio) = match backend {
        Backend::Sqlite => (100_000.0, Some(0.5)),
        Backend::Postgres => (30_000.0, None),
    };
    let rate_met = append_rate >= target_rate;
    let ratio_met = target_ratio.is_none_or(|t| ratio >= t);
    let average_payload = payload_bytes / args.events;

    println!(
        "metod bench store — {} ({} событий, пакеты по {}, полезная нагрузка ≈ {} байт)",
        store.describe(),
        args.events,
        args.batch,
        average_payload
    );
    println!(
        "{:<44} {:>14} {:>22} {:>7}",
        "замер", "значение", "потолок (голая вставка)", "доля"
    );
    println!(
        "{:<44} {:>14.0} {:>22.0} {:>7.2}",
        "пакетная запись, событий/с", append_rate, raw_rate, ratio
    );
    let tree_ratio = append_rate / per_second(args.events, without.batched);
    let (bare_p50, bare_p99) = (
        percentile(&without.single, 50),
        percentile(&without.single, 99),
    );
    println!(
        "{:<44} {:>14.0} {:>22.0} {:>7.2}",
        "пакетная запись: с деревом / без дерева",
        append_rate,
        per_second(args.events, without.batched),
        tree_ratio
    );
    println!(
        "{:<44} {:>14} {:>22} {:>7.2}",
        "одиночная надёжная запись, p50 (без дерева)",
        format_ms(p50),
        format_ms(bare_p50),
        ms(bare_p50) / ms(p50).max(1e-9)
    );
    println!(
        "{:<44} {:>14} {:>22} {:>7.2}",
        "одиночная надёжная запись, p99 (без дерева)",
        format_ms(p99),
        format_ms(bare_p99),
        ms(bare_p99) / ms(p99).max(1e-9)
    );
    let (one_p50, one_p99) = (percentile(&bare_single, 50), percentile(&bare_single, 99));
    println!(
        "{:<44} {:>14} {:>22} {:>7.2}",
        "одиночная надёжная запись, p50 (голая вставка)",
        format_ms(p50),
        format_ms(one_p50),
        ms(one_p50) / ms(p50).max(1e-9)
    );
    println!(
        "{:<44} {:>14} {:>22} {:>7.2}",
        "одиночная надёжная запись, p99 (голая вставка)",
        format_ms(p99),
        format_ms(one_p99),
        ms(one_p99) / ms(p99).max(1e-9)
    );
    if let Some(n) = in_one_call {
        println!(
            "одиночные записи одним обращением к базе (функция metod_append_after): {n} из {}",
            args.single
        );
    }
    println!(
        "{:<44} {:>14.0}",
        "проверка цепочки (verify), событий/с",
        per_second(total, verify_time)
    );
    println!(
        "цели: ≥ {target_rate:.0} событий/с — {}{}",
        if rate_met {
            "выполнено"
        } else {
            "НЕ выполнено"
        },
        target_ratio.map_or(String::new(), |t| format!(
            "; доля ≥ {t} — {}",
            if ratio_met {
                "выполнено"
            } else {
                "НЕ выполнено"
            }
        ))
    );
    println!(
        "дерево Меркла: пакетная запись с деревом ≥ {TREE_RATIO_TARGET} записи без него — {}",
        if tree_ratio >= TREE_RATIO_TARGET {
            "выполнено"
        } else {
            "НЕ выполнено"
        }
    );

    if let Some(path) = args.out {
        let report = json!({
            "bench": "store",
            "store": store.describe(),
            "backend": match backend { Backend::Sqlite => "sqlite", Backend::Postgres => "postgres" },
            "events": args.events,
            "batch": args.batch,
            "average_payload_bytes": average_payload,
            "batched_append": { "seconds": append_time.as_secs_f64(), "events_per_second": append_rate },
            "raw_insert_ceiling": { "seconds": raw_time.as_secs_f64(), "events_per_second": raw_rate },
            "ratio_to_ceiling": ratio,
            "single_append": { "count": args.single, "p50_ms": ms(p50), "p99_ms": ms(p99), "in_one_call": in_one_call },
            "single_bare_insert_ceiling": {
                "p50_ms": ms(one_p50), "p99_ms": ms(one_p99),
                "ratio_p50": ms(one_p50) / ms(p50).max(1e-9), "ratio_p99": ms(one_p99) / ms(p99).max(1e-9),
            },
            "without_tree_ceiling": {
                "batched_events_per_second": per_second(args.events, without.batched),
                "ratio_with_tree": tree_ratio,
                "single_p50_ms": ms(bare_p50), "single_p99_ms": ms(bare_p99),
            },
            "verify": { "events": total, "seconds": verify_time.as_secs_f64(), "events_per_second": per_second(total, verify_time) },
            "targets": {
                "events_per_second": target_rate, "events_per_second_met": rate_met,
                "tree_ratio": TREE_RATIO_TARGET, "tree_ratio_met": tree_ratio >= TREE_RATIO_TARGET,
                "ratio": target_ratio, "ratio_met": ratio_met,
            },
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        });
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::new("io_error", e.to_string()))?;
        std::fs::write(&path, text)
            .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))?;
    }
    Ok(())
}

/// The least share of the tree-less append's speed an append with the tree keeps (issue 21).
const TREE_RATIO_TARGET: f64 = 0.9;

/// The ceiling of the tree: the same batched and single appends into a twin store that does
/// not keep the tree, removed afterwards.
pub struct WithoutTree {
    /// The batched appends' time, averaged over the runs.
    pub batched: Duration,
    /// Every single append's latency, sorted ascending.
    pub single: Vec<Duration>,
}

impl WithoutTree {
    /// Both runs as one: their mean batched time, their single appends together.
    pub fn and(mut self, other: WithoutTree) -> WithoutTree {
        self.batched = (self.batched + other.batched) / 2;
        self.single.extend(other.single);
        self.single.sort();
        self
    }
}

pub async fn without_tree(url: &str, args: &BenchStoreArgs) -> Result<WithoutTree, Failure> {
    let twin = store::bench::create_twin(url).await?;
    let measured = async {
        let bare = store::bench::open_without_tree(&twin, Arc::new(SystemClock)).await?;
        let batched = append_batches(bare.as_ref(), args.events, args.batch, "без дерева").await?;
        let single = single_appends(bare.as_ref(), args.single, args.events).await?;
        Ok::<_, Failure>(WithoutTree {
            batched: batched.time,
            single,
        })
    }
    .await;
    store::bench::remove_twin(url, &twin).await?;
    measured
}

fn format_ms(d: Duration) -> String {
    format!("{:.2} мс", ms(d))
}
