//! Golden answers: what `metod` answers on `metod demo --scale small --years 3 --seed 1` of
//! every profile — every oversight query, the inbox of three people, the trail of three
//! documents and the page of three associations, at five dates on both time axes (as known now, and as known on that date) — is
//! compared byte for byte with the files under `tests/golden/`. They were saved before the
//! code was moved by area (issue 18), so a move that changes any answer fails here.
//!
//! Sealed personal fields use random nonces, so event hashes differ from one generation to
//! the next: the answers are compared with their hashes masked, never the hashes themselves.
//! `METOD_GOLDEN_WRITE=1 cargo test -p server --test golden` writes the files anew.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use support::metod_run;

const PROFILES: [&str; 5] = [
    "izhevsk",
    "kuznetsk",
    "novokuznetsk",
    "novosibirsk",
    "pervouralsk",
];

const QUERIES: [&str; 10] = [
    "hierarchy",
    "meetings",
    "late",
    "eligibility",
    "member-db",
    "indicators",
    "retention",
    "unpublished",
    "programmes",
    "monitoring",
];

/// "Now" for every answer: later than anything the demo records, fixed so that answers as
/// known now do not depend on the day the test runs.
const CLOCK: &str = "2026-12-01T09:00:00Z";

fn ok(output: Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "metod {what} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn json_of(output: Output, what: &str) -> Value {
    let text = ok(output, what);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("metod {what}: not JSON ({e})"))
}

/// The JSON answer, or — a trail of a document not opened yet, say — the refusal as the
/// binary gives it: its exit code and its one line.
fn answer_or_refusal(output: Output, what: &str) -> Value {
    if output.status.success() {
        return json_of(output, what);
    }
    serde_json::json!({
        "exit_code": output.status.code(),
        "stderr": String::from_utf8_lossy(&output.stderr),
    })
}

/// The people, documents and dates the answers are asked about, picked from the log by rules
/// that do not depend on the code under test: documents that were returned, rejected or
/// late, and the busiest; the two people who approved most steps and the author of the
/// returned document; five dates on which documents were submitted, spread over the years.
struct Subjects {
    people: Vec<String>,
    documents: Vec<String>,
    /// The associations of the documents, then the one most events name, then the first
    /// named: three association pages.
    associations: Vec<String>,
    dates: Vec<String>,
}

impl Subjects {
    fn pick(events: &[Value]) -> Self {
        let text = |e: &Value, key: &str| e[key].as_str().unwrap_or_default().to_string();
        let document_of = |e: &Value| e["payload"]["document"].as_str().map(str::to_string);
        let mut in_order: Vec<String> = Vec::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for e in events {
            if let Some(d) = document_of(e) {
                if !in_order.contains(&d) {
                    in_order.push(d.clone());
                }
                *counts.entry(d).or_default() += 1;
            }
        }
        let first_with = |types: &[&str]| {
            events
                .iter()
                .find(|e| types.contains(&text(e, "event_type").as_str()))
                .and_then(document_of)
        };
        let busiest = in_order
            .iter()
            .max_by_key(|d| {
                (
                    counts[*d],
                    std::cmp::Reverse(in_order.iter().position(|x| x == *d)),
                )
            })
            .cloned();
        let returned = first_with(&["DocumentReturned"]);
        let mut documents = Vec::new();
        for candidate in [
            returned.clone(),
            first_with(&["DocumentRejected"]),
            first_with(&["DeadlineMissed"]),
            busiest,
        ]
        .into_iter()
        .flatten()
        .chain(in_order.iter().cloned())
        {
            if documents.len() < 3 && !documents.contains(&candidate) {
                documents.push(candidate);
            }
        }

        let associations = Self::associations(events, &documents);

        let mut approvals: BTreeMap<String, usize> = BTreeMap::new();
        for e in events
            .iter()
            .filter(|e| text(e, "event_type") == "StepApproved")
        {
            *approvals.entry(text(&e["actor"], "id")).or_default() += 1;
        }
        let mut approvers: Vec<(String, usize)> = approvals.into_iter().collect();
        approvers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let author = returned.and_then(|d| {
            events
                .iter()
                .find(|e| {
                    text(e, "event_type") == "DocumentVersionSubmitted"
                        && document_of(e).as_deref() == Some(d.as_str())
                })
                .map(|e| text(&e["actor"], "id"))
        });
        let persons: BTreeSet<String> = events
            .iter()
            .map(|e| text(&e["actor"], "id"))
            .filter(|a| a.starts_with("person:"))
            .collect();
        let mut people = Vec::new();
        for candidate in approvers
            .into_iter()
            .map(|(p, _)| p)
            .take(2)
            .chain(author)
            .chain(persons)
            .filter(|p| p.starts_with("person:"))
        {
            if people.len() < 3 && !people.contains(&candidate) {
                people.push(candidate);
            }
        }

        // Days documents were submitted (something waits for someone then); a profile whose
        // demo submits on fewer days (Pervouralsk keeps no such documents) uses every day
        // something took effect.
        let on_days = |types: &[&str]| -> Vec<String> {
            let days: BTreeSet<String> = events
                .iter()
                .filter(|e| types.is_empty() || types.contains(&text(e, "event_type").as_str()))
                .map(|e| text(e, "effective"))
                .collect();
            days.into_iter().collect()
        };
        let mut submitted = on_days(&["DocumentVersionSubmitted"]);
        if submitted.len() < 5 {
            submitted = on_days(&[]);
        }
        assert!(
            submitted.len() >= 5,
            "the demo records on at least five days"
        );
        let dates = (0..5)
            .map(|i| submitted[i * (submitted.len() - 1) / 4].clone())
            .collect();
        // Pervouralsk's regulation (004) has its associations keep no documents to approve.
        assert_eq!(
            documents.len(),
            in_order.len().min(3),
            "three documents to trail"
        );
        assert_eq!(people.len(), 3, "three people to ask for their inboxes");
        Subjects {
            people,
            documents,
            associations,
            dates,
        }
    }

    fn associations(events: &[Value], documents: &[String]) -> Vec<String> {
        let association_of = |e: &Value| e["payload"]["association"].as_str().map(str::to_string);
        let mut named: Vec<String> = Vec::new();
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for association in events.iter().filter_map(association_of) {
            if !named.contains(&association) {
                named.push(association.clone());
            }
            *counts.entry(association).or_default() += 1;
        }
        let of_documents = documents.iter().filter_map(|d| {
            events
                .iter()
                .find(|e| e["payload"]["document"].as_str() == Some(d.as_str()))
                .and_then(association_of)
        });
        let busiest = named.iter().max_by_key(|a| counts[*a]).cloned();
        let mut associations = Vec::new();
        for candidate in of_documents.chain(busiest).chain(named.iter().cloned()) {
            if associations.len() < 3 && !associations.contains(&candidate) {
                associations.push(candidate);
            }
        }
        assert_eq!(associations.len(), 3, "three association pages");
        associations
    }
}

/// Masks what differs between two generations of the same history: event hashes (they
/// cover sealed fields with random nonces) and the head hash named in the verification line.
fn mask_hashes(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if key == "hash" || key == "prev_hash" {
                    if inner.is_string() {
                        *inner = Value::String("<hash>".into());
                    }
                } else {
                    mask_hashes(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_hashes),
        Value::String(text) => *text = mask_hex_runs(text),
        _ => {}
    }
}

/// Replaces every run of exactly 64 lowercase hex digits that follows «голова» (the head of
/// the log in a verification line) with `<hash>`.
fn mask_hex_runs(text: &str) -> String {
    let marker = "голова ";
    let Some(at) = text.find(marker) else {
        return text.to_string();
    };
    let start = at + marker.len();
    let run = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    if run != 64 {
        return text.to_string();
    }
    format!("{}<hash>{}", &text[..start], &text[start + run..])
}

/// Every answer about one profile's demo, keyed by the command line that asked it.
fn answers(profile: &str, db: &str) -> BTreeMap<String, Value> {
    let events = json_of(
        metod_run(
            db,
            Some(CLOCK),
            &["events", "--limit", "10000000", "--format", "json"],
            "",
        ),
        "events",
    );
    let events = events.as_array().expect("the log as an array").clone();
    let subjects = Subjects::pick(&events);
    let mut answers = BTreeMap::new();
    answers.insert(
        "subjects".to_string(),
        serde_json::json!({
            "profile": profile,
            "people": subjects.people,
            "documents": subjects.documents,
            "associations": subjects.associations,
            "dates": subjects.dates,
        }),
    );
    for date in &subjects.dates {
        for known_at in [None, Some(date.as_str())] {
            let mut time = vec!["--as-of", date.as_str()];
            if let Some(known_at) = known_at {
                time.extend(["--known-at", known_at]);
            }
            let mut ask = |args: Vec<&str>| {
                let mut all = args.clone();
                all.extend(time.iter().copied());
                all.extend(["--format", "json"]);
                let key = all.join(" ");
                let mut answer = answer_or_refusal(metod_run(db, Some(CLOCK), &all, ""), &key);
                mask_hashes(&mut answer);
                answers.insert(key, answer);
            };
            for query in QUERIES {
                ask(vec!["query", query]);
            }
            for person in &subjects.people {
                ask(vec!["inbox", "--as", person.as_str()]);
            }
            for document in &subjects.documents {
                ask(vec!["trail", document.as_str()]);
            }
            for association in &subjects.associations {
                ask(vec!["association", association.as_str()]);
            }
        }
    }
    answers
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/golden")
}

#[test]
fn every_answer_on_the_small_demo_of_every_profile_is_the_golden_one() {
    let write = std::env::var_os("METOD_GOLDEN_WRITE").is_some();
    let dir = golden_dir();
    let mut differing = Vec::new();
    for profile in PROFILES {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let db = format!("sqlite://{}", tmp.path().join("demo.db").display());
        ok(
            metod_run(
                &db,
                None,
                &[
                    "demo",
                    "--profile",
                    profile,
                    "--scale",
                    "small",
                    "--years",
                    "3",
                    "--seed",
                    "1",
                ],
                "",
            ),
            "demo",
        );
        let answers = answers(profile, &db);
        let text = serde_json::to_string_pretty(&answers).expect("answers as JSON") + "\n";
        let path = dir.join(format!("{profile}.json"));
        if write {
            std::fs::create_dir_all(&dir).expect("tests/golden");
            std::fs::write(&path, &text).expect("golden file written");
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (METOD_GOLDEN_WRITE=1 writes it)", path.display()));
        if golden != text {
            let golden: BTreeMap<String, Value> =
                serde_json::from_str(&golden).expect("a golden file is JSON");
            let first = answers
                .iter()
                .find(|(key, answer)| golden.get(*key) != Some(answer))
                .map(|(key, _)| key.clone())
                .or_else(|| golden.keys().find(|k| !answers.contains_key(*k)).cloned())
                .unwrap_or_else(|| "(formatting)".to_string());
            let actual = path.with_extension("actual.json");
            std::fs::write(&actual, &text).expect("actual answers written");
            differing.push(format!(
                "{profile}: `metod {first}` differs (all answers in {})",
                actual.display()
            ));
        }
    }
    assert!(
        differing.is_empty(),
        "answers differ from the golden ones:\n{}",
        differing.join("\n")
    );
}
