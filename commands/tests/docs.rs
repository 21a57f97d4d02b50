//! `docs/commands.md` documents every command's JSON form: each example there must parse,
//! and every command the domain knows must have one.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use commands::parse_submissions;
use domain::{Acting, Command};

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
