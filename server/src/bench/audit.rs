//! `metod bench audit`: on a log of a million events, appends with the Merkle tree beside the
//! same appends into a twin store without it (measured before and after), inclusion and
//! consistency proofs at random sizes and positions, signing a checkpoint, and the offline
//! check of a bundle — each against issue 21's target, and every proof verified as it is
//! timed, so a fast wrong answer cannot pass.

use std::sync::Arc;
use std::time::{Duration, Instant};

use audit::{Bundle, BundleEvent, Checkpoint, EventRole, SigningKey};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use rand::{Rng, SeedableRng};
use serde_json::json;
use store::{MetodStore, OpenMode, SystemClock};

use super::store::without_tree;
use super::workload::append_batches;
use super::{ms, percentile};
use crate::cli::{BenchAuditArgs, BenchStoreArgs};
use crate::failure::{io_failure, Failure};

/// Issue 21's targets.
const TREE_RATIO: f64 = 0.9;
const PROOF_P99_MS: f64 = 10.0;
const CHECK_EVENTS_PER_SECOND: f64 = 100_000.0;
const SIGN_MS: f64 = 5.0;

/// Rounds of the bundle check; the report gives their median.
const CHECK_ROUNDS: usize = 3;

pub async fn run(db: Option<String>, args: BenchAuditArgs) -> Result<(), Failure> {
    if args.events < 2 || args.samples == 0 || args.bundle == 0 || args.bundle > args.events {
        return Err(Failure::new(
            "invalid_argument",
            "нужно --events ≥ 2, --samples ≥ 1 и 1 ≤ --bundle ≤ --events",
        ));
    }
    let scratch =
        tempfile::tempdir().map_err(|e| io_failure("не удалось создать временный каталог", e))?;
    let url =
        db.unwrap_or_else(|| format!("sqlite://{}", scratch.path().join("audit.db").display()));
    let store = store::open(&url, OpenMode::CreateOrMigrate, Arc::new(SystemClock)).await?;
    if store.last_position().await? != 0 {
        return Err(Failure::new(
            "bench_store_not_empty",
            format!(
                "хранилище {} не пусто: замер пишет в новое хранилище",
                store.describe()
            ),
        ));
    }
    let as_store = BenchStoreArgs {
        events: args.events,
        batch: args.batch,
        single: 0,
        out: None,
    };
    eprintln!("bench: запись без дерева (потолок), первый раз");
    let before = without_tree(&url, &as_store).await?;
    let with_tree = append_batches(store.as_ref(), args.events, args.batch, "с деревом").await?;
    eprintln!("bench: запись без дерева (потолок), второй раз");
    let bare = before.and(without_tree(&url, &as_store).await?);
    let size = store.last_position().await?;
    let rate = |t: Duration| args.events as f64 / t.as_secs_f64().max(1e-9);
    let tree_ratio = rate(with_tree.time) / rate(bare.batched);

    let mut rng = rand::rngs::StdRng::seed_from_u64(args.seed);
    let root = store.tree_root(size).await?;
    eprintln!("bench: доказательства включения ({})", args.samples);
    let inclusion = inclusion_proofs(store.as_ref(), size, root, args.samples, &mut rng).await?;
    eprintln!("bench: доказательства согласованности ({})", args.samples);
    let consistency = consistency_proofs(store.as_ref(), size, args.samples, &mut rng).await?;
    eprintln!("bench: подпись контрольной точки ({})", args.samples);
    let key = SigningKey::generate("metod/bench")?;
    let signing = signatures(store.as_ref(), size, &key, args.samples).await?;
    eprintln!("bench: пакет из {} событий", args.bundle);
    let (bundle, note, prove_time) =
        bundle_of(store.as_ref(), size, &key, args.bundle, &mut rng).await?;
    let mut checks = Vec::with_capacity(CHECK_ROUNDS);
    for _ in 0..CHECK_ROUNDS {
        let started = Instant::now();
        let checked = audit::check_bundle(&bundle, &note, &key.verifier())?;
        checks.push(started.elapsed());
        if checked.events.len() != args.bundle as usize {
            return Err(Failure::new(
                "bench_wrong_answer",
                "проверка пакета потеряла события",
            ));
        }
    }
    checks.sort();
    let check_time = checks[CHECK_ROUNDS / 2];
    let check_rate = args.bundle as f64 / check_time.as_secs_f64().max(1e-9);
    let prove_rate = args.bundle as f64 / prove_time.as_secs_f64().max(1e-9);

    let met = |ok: bool| {
        if ok {
            "выполнено"
        } else {
            "НЕ выполнено"
        }
    };
    let p99 = |d: &[Duration]| ms(percentile(d, 99));
    let p50 = |d: &[Duration]| ms(percentile(d, 50));
    println!(
        "metod bench audit — {} ({size} событий, {} замеров, пакет из {} событий)",
        store.describe(),
        args.samples,
        args.bundle
    );
    println!(
        "{:<52} {:>12} {:>12} {:>14}",
        "замер", "значение", "потолок", "цель"
    );
    println!(
        "{:<52} {:>12.0} {:>12.0} {:>14}",
        "пакетная запись с деревом / без, событий/с",
        rate(with_tree.time),
        rate(bare.batched),
        format!("доля {tree_ratio:.2} ≥ {TREE_RATIO}")
    );
    for (what, times) in [
        ("доказательство включения, p50 / p99, мс", &inclusion),
        (
            "доказательство согласованности, p50 / p99, мс",
            &consistency,
        ),
    ] {
        println!(
            "{:<52} {:>12} {:>12} {:>14}",
            what,
            format!("{:.2} / {:.2}", p50(times), p99(times)),
            "",
            format!("p99 ≤ {PROOF_P99_MS} мс")
        );
    }
    println!(
        "{:<52} {:>12} {:>12} {:>14}",
        "подпись контрольной точки (корень + подпись), p50 / p99, мс",
        format!("{:.2} / {:.2}", p50(&signing), p99(&signing)),
        "",
        format!("≤ {SIGN_MS} мс")
    );
    println!(
        "{:<52} {:>12.0} {:>12} {:>14}",
        "проверка пакета без базы, событий/с",
        check_rate,
        "",
        format!("≥ {CHECK_EVENTS_PER_SECOND:.0}")
    );
    println!(
        "{:<52} {:>12.0}",
        "сборка пакета (prove), событий/с", prove_rate
    );
    let targets = [
        ("дерево", tree_ratio >= TREE_RATIO),
        ("включение", p99(&inclusion) <= PROOF_P99_MS),
        ("согласованность", p99(&consistency) <= PROOF_P99_MS),
        ("подпись", p99(&signing) <= SIGN_MS),
        ("проверка пакета", check_rate >= CHECK_EVENTS_PER_SECOND),
    ];
    let said: Vec<String> = targets
        .iter()
        .map(|(what, ok)| format!("{what} — {}", met(*ok)))
        .collect();
    println!("цели: {}", said.join("; "));

    if let Some(path) = args.out {
        let report = json!({
            "bench": "audit",
            "store": store.describe(),
            "events": size,
            "samples": args.samples,
            "append": {
                "with_tree_events_per_second": rate(with_tree.time),
                "without_tree_events_per_second": rate(bare.batched),
                "ratio": tree_ratio,
            },
            "inclusion_proof_ms": { "p50": p50(&inclusion), "p99": p99(&inclusion) },
            "consistency_proof_ms": { "p50": p50(&consistency), "p99": p99(&consistency) },
            "checkpoint_signing_ms": { "p50": p50(&signing), "p99": p99(&signing) },
            "bundle": {
                "events": args.bundle,
                "check_events_per_second": check_rate,
                "prove_events_per_second": prove_rate,
            },
            "targets_met": targets.iter().map(|(w, ok)| json!({ "target": w, "met": ok })).collect::<Vec<_>>(),
            "cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        });
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Failure::new("io_error", e.to_string()))?;
        std::fs::write(&path, text)
            .map_err(|e| io_failure(&format!("не удалось записать {}", path.display()), e))?;
    }
    Ok(())
}

fn wrong(what: String) -> Failure {
    Failure::new("bench_wrong_answer", what)
}

/// Inclusion proofs of random events in the tree of the whole log, each verified.
async fn inclusion_proofs(
    store: &dyn MetodStore,
    size: u64,
    root: tlog::Hash,
    samples: u32,
    rng: &mut impl Rng,
) -> Result<Vec<Duration>, Failure> {
    let mut times = Vec::with_capacity(samples as usize);
    for _ in 0..samples {
        let position = rng.gen_range(1..=size);
        let started = Instant::now();
        let proof = store.inclusion_proof(position, size).await?;
        times.push(started.elapsed());
        let event = store.read_all(position, 1).await?;
        let leaf = tlog::leaf_hash(&event[0].hash);
        tlog::verify_inclusion(&leaf, position - 1, size, &proof, &root)
            .map_err(|e| wrong(format!("позиция {position}: {e}")))?;
    }
    times.sort();
    Ok(times)
}

/// Consistency proofs between random sizes, each verified against both roots.
async fn consistency_proofs(
    store: &dyn MetodStore,
    size: u64,
    samples: u32,
    rng: &mut impl Rng,
) -> Result<Vec<Duration>, Failure> {
    let mut times = Vec::with_capacity(samples as usize);
    for _ in 0..samples {
        let new = rng.gen_range(2..=size);
        let old = rng.gen_range(1..new);
        let started = Instant::now();
        let proof = store.consistency_proof(old, new).await?;
        times.push(started.elapsed());
        let (old_root, new_root) = (store.tree_root(old).await?, store.tree_root(new).await?);
        tlog::verify_consistency(old, new, &old_root, &new_root, &proof)
            .map_err(|e| wrong(format!("{old} → {new}: {e}")))?;
    }
    times.sort();
    Ok(times)
}

/// A checkpoint of the whole log signed `samples` times: the root read and the note signed.
async fn signatures(
    store: &dyn MetodStore,
    size: u64,
    key: &SigningKey,
    samples: u32,
) -> Result<Vec<Duration>, Failure> {
    let mut times = Vec::with_capacity(samples as usize);
    for _ in 0..samples {
        let started = Instant::now();
        let checkpoint = Checkpoint {
            origin: key.name().to_string(),
            size,
            root: store.tree_root(size).await?,
        };
        let note = checkpoint.sign(key)?;
        times.push(started.elapsed());
        Checkpoint::open(&note, &key.verifier())?;
    }
    times.sort();
    Ok(times)
}

/// A bundle of `count` random events of the log with their proofs, as `audit prove` writes
/// one, and the time it took to make.
async fn bundle_of(
    store: &dyn MetodStore,
    size: u64,
    key: &SigningKey,
    count: u64,
    rng: &mut impl Rng,
) -> Result<(Bundle, String, Duration), Failure> {
    let mut positions = std::collections::BTreeSet::new();
    while (positions.len() as u64) < count {
        positions.insert(rng.gen_range(1..=size));
    }
    let started = Instant::now();
    let note = Checkpoint {
        origin: key.name().to_string(),
        size,
        root: store.tree_root(size).await?,
    }
    .sign(key)?;
    let mut events = Vec::with_capacity(count as usize);
    for position in positions {
        let event = store.read_all(position, 1).await?.remove(0);
        let proof = store.inclusion_proof(position, size).await?;
        events.push(BundleEvent {
            index: position - 1,
            role: EventRole::Basis,
            canonical: B64.encode(store::canonical_bytes(&event)),
            inclusion_proof: proof.iter().map(hex::encode).collect(),
        });
    }
    // The check asks for one event of the document: the first one is it.
    let document = B64
        .decode(&events[0].canonical)
        .ok()
        .and_then(|bytes| audit::CanonicalEvent::parse(&bytes).ok())
        .map(|e| e.stream)
        .ok_or_else(|| wrong("событие пакета не читается".into()))?;
    events[0].role = EventRole::Document;
    events
        .iter_mut()
        .skip(1)
        .filter(|e| {
            B64.decode(&e.canonical)
                .ok()
                .and_then(|b| audit::CanonicalEvent::parse(&b).ok())
                .is_some_and(|c| c.stream == document)
        })
        .for_each(|e| e.role = EventRole::Document);
    let bundle = Bundle {
        format: audit::BUNDLE_FORMAT.to_string(),
        document,
        tree_size: size,
        events,
    };
    Ok((bundle, note, started.elapsed()))
}
