//! `metod audit` as an auditor meets it, on a real SQLite file and a real PostgreSQL
//! database: a bundle made by `prove` is checked by `metod audit check` and by the
//! independent Python verifier (`tests/audit/verify_bundle.py`), and every tampering the
//! issue lists is refused by both; a history rewritten and rehashed passes `verify` and is
//! caught by `verify --against` and by the consistency proof.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::Value;
use store::testing::TestDatabase;
use store::Backend;
use support::metod_run;

fn metod(db: &str, args: &[&str]) -> Output {
    metod_run(db, None, args, "")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "expected success, got {:?}: {}",
        output.status,
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// A failure with `code`, one line on stderr.
fn refused(output: &Output, code: &str) -> String {
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "expected {code}, got success");
    assert!(
        stderr.starts_with(&format!("{code}: ")),
        "expected {code}: …, got {stderr:?}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    stderr
}

fn python_verifier() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/audit/verify_bundle.py")
}

fn python(args: &[&str]) -> Output {
    Command::new("python3")
        .arg(python_verifier())
        .args(args)
        .output()
        .expect("python3 runs the verifier")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// A demo town's year in a fresh store, a signing key, and a first checkpoint.
struct Audited {
    db: TestDatabase,
    dir: tempfile::TempDir,
    key: PathBuf,
    verifier: String,
}

impl Audited {
    async fn new(backend: Backend) -> Self {
        let db = TestDatabase::new(backend).await;
        ok(metod(
            &db.url,
            &[
                "demo",
                "--profile",
                "novokuznetsk",
                "--scale",
                "small",
                "--years",
                "1",
                "--seed",
                "2",
            ],
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        let key = dir.path().join("signing.key");
        let verifier = ok(metod(
            &db.url,
            &["audit", "key", "new", "--key", path(&key)],
        ))
        .trim()
        .to_string();
        Self {
            db,
            dir,
            key,
            verifier,
        }
    }

    fn run(&self, args: &[&str]) -> Output {
        metod(&self.db.url, args)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Signs a checkpoint now, into the file `name`.
    fn checkpoint(&self, name: &str) -> PathBuf {
        let out = self.file(name);
        ok(self.run(&[
            "audit",
            "checkpoint",
            "--key",
            path(&self.key),
            "--out",
            path(&out),
        ]));
        out
    }

    /// The documents whose decisions cite a basis, each with the number of its own events.
    async fn documents_with_basis(&self) -> Vec<(String, usize)> {
        let store = self.db.open().await;
        let events = store.read_all(1, 1_000_000).await.expect("log");
        let mut cited: Vec<&store::StreamId> = events
            .iter()
            .filter(|e| e.stream.as_str().starts_with("document-") && e.basis.is_some())
            .map(|e| &e.stream)
            .collect();
        cited.dedup();
        cited
            .into_iter()
            .map(|stream| {
                let own = events.iter().filter(|e| &e.stream == stream).count();
                (stream.as_str()["document-".len()..].to_string(), own)
            })
            .collect()
    }
}

async fn key_checkpoint_prove_and_both_verifiers(backend: Backend) {
    let audited = Audited::new(backend).await;
    let Audited { key, verifier, .. } = &audited;
    assert!(verifier.starts_with("metod/novokuznetsk+"), "{verifier}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key)
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // never overwritten, and no secret on the screen
    let before = std::fs::read_to_string(key).expect("key");
    refused(
        &audited.run(&["audit", "key", "new", "--key", path(key)]),
        "io_error",
    );
    assert_eq!(std::fs::read_to_string(key).expect("key"), before);
    assert!(!verifier.contains("PRIVATE"));

    // no proof before a checkpoint is signed
    let documents = audited.documents_with_basis().await;
    let bundle = audited.file("bundle");
    refused(
        &audited.run(&["audit", "prove", &documents[0].0, "--out", path(&bundle)]),
        "no_signed_checkpoint",
    );
    let note = std::fs::read_to_string(audited.checkpoint("first.checkpoint")).expect("note");
    let lines: Vec<&str> = note.lines().collect();
    assert_eq!(lines[0], "metod/novokuznetsk");
    assert!(lines[3].is_empty() && lines[4].starts_with("\u{2014} metod/novokuznetsk "));
    let listed: Value = serde_json::from_str(&ok(audited.run(&[
        "audit",
        "checkpoints",
        "--format",
        "json",
    ])))
    .expect("json");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["note"], note.as_str());
    assert_eq!(listed[0]["verifier_key"], verifier.as_str());

    // a document whose basis the log holds (a council's protocol is kept on paper: the
    // bundle says so instead)
    let mut chosen = None;
    for (document, own) in &documents {
        let out = audited.file(&format!("bundle-{document}"));
        let proved = ok(audited.run(&["audit", "prove", document, "--out", path(&out)]));
        assert!(
            proved
                .lines()
                .last()
                .unwrap_or_default()
                .starts_with("ok: "),
            "{proved}"
        );
        let written: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join("bundle.json")).expect("bundle.json"),
        )
        .expect("json");
        let events = written["events"].as_array().expect("events");
        let roles = |role: &str| events.iter().filter(|e| e["role"] == role).count();
        assert_eq!(roles("document"), *own, "every event of the document");
        if roles("basis") == 0 {
            assert!(
                proved.contains("основание не ведётся в журнале"),
                "{proved}"
            );
        } else if chosen.is_none() {
            chosen = Some((document.clone(), out, written.clone()));
        }
    }
    let (document, bundle, written) = chosen.expect("a document whose cited basis is logged");
    let events = written["events"].as_array().expect("events");

    let checked = ok(audited.run(&["audit", "check", path(&bundle), "--key", verifier]));
    assert!(
        checked.contains("документ заведён"),
        "the trail's words: {checked}"
    );
    assert!(
        checked
            .lines()
            .last()
            .unwrap_or_default()
            .starts_with("ok: "),
        "{checked}"
    );
    let by_python = python(&["check", path(&bundle), "--key", verifier]);
    assert!(by_python.status.success(), "{}", text(&by_python.stderr));
    assert!(text(&by_python.stdout).contains(&format!("ok: {} events", events.len())));

    // every tampering is refused by both verifiers, each with its reason
    let other = audit::SigningKey::generate("metod/novokuznetsk").expect("key");
    let body: String = note.split_inclusive('\n').take(3).collect();
    let foreign_note = audit::sign_note(&body, &other).expect("signed");
    type Tamper = Box<dyn Fn(&mut Value, &mut String)>;
    let tamperings: Vec<(&str, &str, Tamper)> = vec![
        (
            "a flipped bit in an event",
            "bundle_event_invalid|inclusion_proof_invalid",
            Box::new(|b, _| {
                let encoded = b["events"][0]["canonical"].as_str().expect("canonical");
                let mut raw = B64.decode(encoded).expect("base64");
                let last = raw.len() - 40;
                raw[last] ^= 1;
                b["events"][0]["canonical"] = B64.encode(raw).into();
            }),
        ),
        (
            "a flipped bit in a proof node",
            "inclusion_proof_invalid",
            Box::new(|b, _| {
                let node = b["events"][1]["inclusion_proof"][0].as_str().expect("node");
                let flipped = format!(
                    "{}{}",
                    if node.starts_with('0') { '1' } else { '0' },
                    &node[1..]
                );
                b["events"][1]["inclusion_proof"][0] = flipped.into();
            }),
        ),
        (
            "a flipped bit in the signature",
            "signature_invalid",
            Box::new(|_, note| {
                let at = note.rfind(' ').expect("signature") + 10;
                let c = note.as_bytes()[at];
                let swapped = if c == b'A' { "B" } else { "A" };
                note.replace_range(at..at + 1, swapped);
            }),
        ),
        (
            "a checkpoint signed by another key",
            "signature_invalid",
            Box::new(move |_, note| *note = foreign_note.clone()),
        ),
        (
            "a truncated proof",
            "inclusion_proof_invalid",
            Box::new(|b, _| {
                b["events"][0]["inclusion_proof"]
                    .as_array_mut()
                    .expect("proof")
                    .pop();
            }),
        ),
        (
            "an event moved to another index",
            "bundle_event_invalid",
            Box::new(|b, _| {
                let last = b["events"].as_array().expect("events").len() - 1;
                let index = b["events"][last]["index"].as_u64().expect("index");
                b["events"][last]["index"] = (index + 1).into();
            }),
        ),
    ];
    for (what, codes, tamper) in tamperings {
        let bad = audited.file(&format!("bad-{}", what.replace(' ', "-")));
        std::fs::create_dir_all(&bad).expect("dir");
        let mut bundle_json = written.clone();
        let mut bad_note = note.clone();
        tamper(&mut bundle_json, &mut bad_note);
        std::fs::write(bad.join("bundle.json"), bundle_json.to_string()).expect("write");
        std::fs::write(bad.join("checkpoint"), &bad_note).expect("write");
        std::fs::write(bad.join("verifier.key"), format!("{verifier}\n")).expect("write");
        let rust = audited.run(&["audit", "check", path(&bad), "--key", verifier]);
        let stderr = text(&rust.stderr);
        assert!(!rust.status.success(), "{what}: Rust accepted it");
        assert!(
            codes
                .split('|')
                .any(|code| stderr.starts_with(&format!("{code}: "))),
            "{what}: {stderr}"
        );
        let py = python(&["check", path(&bad), "--key", verifier]);
        assert_eq!(
            py.status.code(),
            Some(1),
            "{what}: Python said {:?}",
            text(&py.stdout)
        );
        assert!(
            text(&py.stderr).starts_with("refused: "),
            "{what}: {}",
            text(&py.stderr)
        );
    }

    // the erasure of the author's personal data keeps the history provable: the leaves are
    // over ciphertext, the key goes
    let opened = B64
        .decode(events[0]["canonical"].as_str().expect("canonical"))
        .expect("base64");
    let author = audit::CanonicalEvent::parse(&opened)
        .expect("canonical")
        .actor_id;
    let person = author.strip_prefix("person:").expect("a person wrote it");
    let today = chrono::Utc::now().date_naive().to_string();
    ok(audited.run(&[
        "personal-data",
        "erase",
        "--person",
        person,
        "--ground",
        "consent-withdrawn",
        "--effective",
        &today,
        "--as",
        "operator",
    ]));
    audited.checkpoint("after-erasure.checkpoint");
    let after = audited.file("bundle-after-erasure");
    ok(audited.run(&["audit", "prove", &document, "--out", path(&after)]));
    ok(audited.run(&["audit", "check", path(&after), "--key", verifier]));
    let py = python(&["check", path(&after), "--key", verifier]);
    assert!(py.status.success(), "{}", text(&py.stderr));
    // and the bundle made before the erasure still checks
    ok(audited.run(&["audit", "check", path(&bundle), "--key", verifier]));

    // bad requests: an unknown document, a malformed id, a checkpoint of another log
    refused(
        &audited.run(&[
            "audit",
            "prove",
            "00000000-0000-4000-8000-000000000000",
            "--out",
            path(&audited.file("none")),
        ]),
        "document_not_in_checkpoint",
    );
    assert!(!audited
        .run(&[
            "audit",
            "prove",
            "not-a-uuid",
            "--out",
            path(&audited.file("none"))
        ])
        .status
        .success());
    let foreign = audited.file("foreign.checkpoint");
    std::fs::write(&foreign, audit::sign_note(&body, &other).expect("signed")).expect("write");
    refused(
        &audited.run(&[
            "audit",
            "prove",
            &document,
            "--checkpoint",
            path(&foreign),
            "--key",
            verifier,
            "--out",
            path(&audited.file("none")),
        ]),
        "signature_invalid",
    );
}

async fn a_rewrite_is_caught_by_an_earlier_checkpoint(backend: Backend) {
    let audited = Audited::new(backend).await;
    let verifier = audited.verifier.as_str();
    let first = audited.checkpoint("first.checkpoint");
    let store = audited.db.open().await;
    let size = store.last_position().await.expect("size");
    drop(store);
    // the log grows (a second demo refuses a store that is not empty: grow it by hand)
    support::grow(&audited.db, 25).await;
    let second = audited.checkpoint("second.checkpoint");
    let proof = audited.file("proof.json");
    let consistent = ok(audited.run(&[
        "audit",
        "consistency",
        path(&first),
        path(&second),
        "--key",
        verifier,
        "--out",
        path(&proof),
    ]));
    assert!(consistent.starts_with("ok: "), "{consistent}");
    let py = python(&[
        "consistency",
        path(&first),
        path(&second),
        path(&proof),
        "--key",
        verifier,
    ]);
    assert!(py.status.success(), "{}", text(&py.stderr));
    ok(audited.run(&["verify", "--against", path(&first), "--key", verifier]));
    refused(
        &audited.run(&[
            "audit",
            "consistency",
            path(&second),
            path(&first),
            "--key",
            verifier,
        ]),
        "tree_sizes_out_of_order",
    );

    // someone with the database rewrites event 10 and recomputes everything after it
    audited
        .db
        .rewrite_history(10, r#"{"rewritten":"задним числом"}"#)
        .await;
    ok(audited.run(&["verify"]));
    let caught = audited.run(&["verify", "--against", path(&first), "--key", verifier]);
    assert_eq!(caught.status.code(), Some(3));
    assert!(text(&caught.stderr).contains("не совпадает с контрольной точкой"));
    let third = audited.checkpoint("third.checkpoint");
    refused(
        &audited.run(&[
            "audit",
            "consistency",
            path(&first),
            path(&third),
            "--key",
            verifier,
        ]),
        "consistency_proof_invalid",
    );
    let py = python(&[
        "consistency",
        path(&first),
        path(&third),
        path(&proof),
        "--key",
        verifier,
    ]);
    assert_eq!(py.status.code(), Some(1), "{}", text(&py.stdout));
    refused(
        &audited.run(&[
            "audit",
            "prove",
            "00000000-0000-4000-8000-000000000000",
            "--checkpoint",
            path(&first),
            "--out",
            path(&audited.file("none")),
        ]),
        "checkpoint_not_of_this_log",
    );
    assert!(size > 10);
}

store::on_every_backend!(
    key_checkpoint_prove_and_both_verifiers,
    a_rewrite_is_caught_by_an_earlier_checkpoint,
);
