//! `docs/commands.md` documents every command's JSON form: each example there must parse,
//! every command the domain knows must have one, and every field of a command — and of the
//! objects inside it, such as a network-event report's details — is shown in one of them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use commands::parse_submissions;
use domain::{Acting, Command};
use serde_json::Value;

fn documented_examples() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/commands.md"))
        .expect("docs/commands.md is readable");
    let mut examples = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("### `").and_then(|l| l.strip_suffix('`')) {
            heading = name.to_string();
        } else if line == "```json" {
            block = Some(String::new());
        } else if line == "```" {
            if let Some(json) = block.take() {
                examples.push((heading.clone(), json));
            }
        } else if let Some(json) = block.as_mut() {
            json.push_str(line);
            json.push('\n');
        }
    }
    examples
}

/// Every command name, as serde lists them when it meets an unknown one.
fn every_command_name() -> BTreeSet<String> {
    let error = serde_json::from_str::<Command>(r#"{"command": "?"}"#)
        .expect_err("an unknown command is refused")
        .to_string();
    let list = error
        .split("expected one of ")
        .nth(1)
        .expect("serde names the variants");
    list.split(", ")
        .filter_map(|name| name.split('`').nth(1).map(str::to_string))
        .collect()
}

#[test]
fn every_documented_example_parses_as_the_command_it_documents() {
    let today = NaiveDate::from_ymd_opt(2024, 9, 1).expect("date");
    let examples = documented_examples();
    assert!(!examples.is_empty());
    for (heading, json) in examples {
        let parsed = parse_submissions(&json, Acting::Operator, today)
            .unwrap_or_else(|e| panic!("example of {heading} does not parse: {e}\n{json}"));
        assert_eq!(parsed.len(), 1);
        assert_eq!(parsed[0].command.name(), heading, "{json}");
    }
}

#[test]
fn every_command_has_a_documented_example() {
    let documented: BTreeSet<String> = documented_examples().into_iter().map(|(h, _)| h).collect();
    let all = every_command_name();
    assert!(all.len() > 20, "{all:?}");
    let missing: Vec<_> = all.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "commands without an example in docs/commands.md: {missing:?}"
    );
}

/// The keys shown at each path of the examples (`submit_document_version.network_event`),
/// beside the keys the parsed command has there when written back as JSON.
#[derive(Default)]
struct Fields {
    shown: BTreeMap<String, BTreeSet<String>>,
    known: BTreeMap<String, BTreeSet<String>>,
}

impl Fields {
    fn collect(&mut self, path: &str, example: &Value, parsed: &Value) {
        match (example, parsed) {
            (Value::Object(example), Value::Object(parsed)) => {
                self.shown
                    .entry(path.to_string())
                    .or_default()
                    .extend(example.keys().cloned());
                self.known
                    .entry(path.to_string())
                    .or_default()
                    .extend(parsed.keys().cloned());
                for (key, value) in example {
                    if let Some(parsed) = parsed.get(key) {
                        self.collect(&format!("{path}.{key}"), value, parsed);
                    }
                }
            }
            (Value::Array(example), Value::Array(parsed)) => {
                for (value, parsed) in example.iter().zip(parsed) {
                    self.collect(&format!("{path}[]"), value, parsed);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_field_of_every_command_is_shown_in_an_example() {
    let today = NaiveDate::from_ymd_opt(2024, 9, 1).expect("date");
    let mut fields = Fields::default();
    for (heading, json) in documented_examples() {
        let example: Value = serde_json::from_str(&json).expect("an example is JSON");
        let parsed = parse_submissions(&json, Acting::Operator, today)
            .unwrap_or_else(|e| panic!("example of {heading} does not parse: {e}"));
        let parsed = serde_json::to_value(&parsed[0].command).expect("a command is JSON");
        fields.collect(&heading, &example, &parsed);
    }
    let missing: Vec<String> = fields
        .known
        .iter()
        .flat_map(|(path, known)| {
            let shown = fields.shown.get(path).cloned().unwrap_or_default();
            known
                .difference(&shown)
                .map(|key| format!("{path}.{key}"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(
        missing.is_empty(),
        "fields without an example in docs/commands.md: {missing:?}"
    );
    // The report of a network event (002 §5.11) is shown with every one of its fields.
    let details = &fields.shown["submit_document_version.network_event"];
    for field in [
        "topic",
        "held_on",
        "goal",
        "audience",
        "programme",
        "attendees",
        "attendance_count",
        "attendance_sheet",
        "evidence",
    ] {
        assert!(
            details.contains(field),
            "network_event.{field}: {details:?}"
        );
    }
}
