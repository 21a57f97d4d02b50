//! The JSON form of commands (`docs/commands.md`): one object, or an array of objects, each
//! `{"command": "<name>", "command_id": "<uuid>"?, "effective": "YYYY-MM-DD"?, ...fields}`.
//! Without a command id one is derived from the command, who sends it and its place in the
//! file, so sending the same file again records nothing twice; without an effective date the
//! command takes effect today. `"expected_version": N` records the command only while its
//! target's stream is at version N (0: not yet created).

use chrono::NaiveDate;
use domain::{Acting, Command};
use serde_json::Value;
use store::CommandId;
use uuid::Uuid;

use crate::error::CommandError;
use crate::handler::Submission;

/// The envelope fields of a JSON command, besides the command itself.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionJson {
    pub command_id: Option<Uuid>,
    pub effective: Option<NaiveDate>,
    /// The version of the target's stream the sender saw; see `Submission::expected_version`.
    pub expected_version: Option<u64>,
    pub command: Command,
}

/// Parses the text of a command file: one command object or an array of them.
pub fn parse_submissions(
    text: &str,
    acting: Acting,
    today: NaiveDate,
) -> Result<Vec<Submission>, CommandError> {
    let value: Value = serde_json::from_str(text).map_err(|e| CommandError::InvalidJson {
        reason: domain::parse_errors::in_russian(&e.to_string()),
    })?;
    let items = match value {
        Value::Array(items) => items,
        object @ Value::Object(_) => vec![object],
        _ => {
            return Err(CommandError::InvalidJson {
                reason: "нужен объект команды или массив объектов".into(),
            })
        }
    };
    if items.is_empty() {
        return Err(CommandError::InvalidJson {
            reason: "массив команд пуст".into(),
        });
    }
    items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let parsed = parse_one(item).map_err(|reason| CommandError::InvalidJson {
                reason: format!("команда №{}: {reason}", index + 1),
            })?;
            // Without an explicit id, the id is derived from the command itself, who sends it
            // and its place in the file, so re-running a file after a partial failure
            // repeats nothing.
            let command_id = parsed.command_id.map(CommandId).unwrap_or_else(|| {
                let canonical = serde_json::to_string(&parsed.command).unwrap_or_default();
                CommandId::derived(
                    "metod-command-file",
                    &format!(
                        "{index}|{}|{}|{canonical}",
                        acting.id(),
                        parsed.effective.map(|d| d.to_string()).unwrap_or_default()
                    ),
                )
            });
            let mut submission = Submission::new(
                parsed.command,
                acting,
                parsed.effective.unwrap_or(today),
                command_id,
            );
            submission.expected_version = parsed.expected_version;
            Ok(submission)
        })
        .collect()
}

fn parse_one(item: Value) -> Result<SubmissionJson, String> {
    let Value::Object(mut map) = item else {
        return Err("команда должна быть объектом JSON".into());
    };
    let command_id = match map.remove("command_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => {
            Some(Uuid::parse_str(&text).map_err(|_| format!("command_id «{text}» — не UUID"))?)
        }
        Some(other) => return Err(format!("command_id должен быть строкой UUID, а не {other}")),
    };
    let effective = match map.remove("effective") {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map_err(|_| format!("effective «{text}» — не дата вида ГГГГ-ММ-ДД"))?,
        ),
        Some(other) => {
            return Err(format!(
                "effective должен быть датой ГГГГ-ММ-ДД, а не {other}"
            ))
        }
    };
    let expected_version = match map.remove("expected_version") {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.as_u64().is_some() => n.as_u64(),
        Some(other) => {
            return Err(format!(
                "expected_version должен быть целым числом ≥ 0 (версия потока), а не {other}"
            ))
        }
    };
    if !map.contains_key("command") {
        return Err("не указано поле \"command\" (имя команды)".into());
    }
    let command: Command = serde_json::from_value(Value::Object(map))
        .map_err(|e| domain::parse_errors::in_russian(&e.to_string()))?;
    Ok(SubmissionJson {
        command_id,
        effective,
        expected_version,
        command,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 9, 10).expect("date")
    }

    #[test]
    fn a_command_object_parses_with_its_id_and_effective_date() {
        let text = r#"{"command": "sign_protocol", "command_id": "6f1d2c4e-8a6b-4c1e-9d3f-2b7a5e0c9a11",
                       "effective": "2024-10-01", "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b"}"#;
        let parsed = parse_submissions(text, Acting::Operator, today()).expect("parses");
        assert_eq!(parsed.len(), 1);
        assert_eq!(
            parsed[0].effective,
            NaiveDate::from_ymd_opt(2024, 10, 1).expect("date")
        );
        assert_eq!(
            parsed[0].command_id.0.to_string(),
            "6f1d2c4e-8a6b-4c1e-9d3f-2b7a5e0c9a11"
        );
        assert_eq!(parsed[0].command.name(), "sign_protocol");
        assert_eq!(parsed[0].expected_version, None);
        let seen = r#"{"command": "sign_protocol", "expected_version": 7, "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b"}"#;
        let parsed = parse_submissions(seen, Acting::Operator, today()).expect("parses");
        assert_eq!(parsed[0].expected_version, Some(7));
    }

    #[test]
    fn malformed_commands_are_clear_errors() {
        let cases = [
            ("{", "строка"),
            ("42", "объект"),
            ("[]", "пуст"),
            (r#"{"meeting": "x"}"#, "command"),
            (
                r#"{"command": "sign_protocol", "meeting": "not-a-uuid"}"#,
                "UUID",
            ),
            (r#"{"command": "fly_to_the_moon"}"#, "fly_to_the_moon"),
            (
                r#"{"command": "sign_protocol", "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b", "extra": 1}"#,
                "extra",
            ),
            (
                r#"{"command": "sign_protocol", "effective": "10.09.2024", "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b"}"#,
                "ГГГГ-ММ-ДД",
            ),
            (
                r#"{"command": "sign_protocol", "expected_version": -1, "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b"}"#,
                "expected_version должен быть целым",
            ),
            (
                r#"{"command": "sign_protocol", "expected_version": "3", "meeting": "0b8f5e2a-3c4d-4e5f-8a9b-1c2d3e4f5a6b"}"#,
                "expected_version должен быть целым",
            ),
        ];
        for (text, expected) in cases {
            let error = parse_submissions(text, Acting::Operator, today()).expect_err(text);
            assert_eq!(error.code(), "invalid_command_json", "{text}");
            assert!(error.to_string().contains(expected), "{text}: {error}");
        }
    }
}
