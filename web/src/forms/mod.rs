//! The forms of «Реестр»: each a command of `docs/commands.md` with its fields, labelled in
//! Russian, and how the filled form becomes the command's JSON. The rules are not here: the
//! command is decided as if sent to the API, and a refusal comes back to the field it
//! concerns.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

mod catalogue;

pub use catalogue::{
    ASSOCIATION_KINDS, CATEGORY_LEVELS, DOCUMENT_TYPES, FORMS, LEVELS, ORDER_KINDS,
    ORGANIZATION_KINDS, POSITION_KINDS,
};

/// What a field takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Text,
    /// Several lines: a list, one item per line.
    Lines,
    Date,
    /// A whole number.
    Number,
    /// A school year, `2025/26`.
    SchoolYear,
    /// One of fixed values: (wire value, label).
    Choice(&'static [(&'static str, &'static str)]),
    /// The id of something registered, chosen from a list.
    Pick(Pick),
    /// Several persons, chosen from a list.
    Persons,
    /// An id typed in (orders and applications are not listed).
    Id,
    /// A fresh id for what the form creates: made when the form is shown.
    NewId,
    /// A value the form always sends.
    Fixed(&'static str),
    /// Questions and their decisions, one per line: «вопрос — решение».
    Questions,
}

/// What a picked id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pick {
    Municipality,
    District,
    Organization,
    Body,
    Person,
    Association,
    Meeting,
}

/// One field: its name in the command (dotted for a nested object: `vote.meeting`), its
/// label, what it takes, whether it must be filled.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
}

/// One form: the command it sends, its title, the part of «Реестр» it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    pub command: &'static str,
    /// The form's name in the address (`/registry/<slug>`).
    pub slug: &'static str,
    pub title: &'static str,
    pub group: &'static str,
    pub fields: &'static [Field],
}

/// The form called `slug`.
pub fn form(slug: &str) -> Option<&'static Form> {
    FORMS.iter().find(|f| f.slug == slug)
}

/// A form filled in wrongly: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// The command a filled form sends: `values` by field name (a multiple choice joined by
/// line breaks); empty optional fields are left out.
pub fn command(form: &Form, values: &BTreeMap<String, String>) -> Result<Value, FieldError> {
    one_basis(form, values)?;
    let mut command = Map::new();
    command.insert("command".into(), Value::from(form.command));
    for field in form.fields {
        let text = values.get(field.name).map(|v| v.trim()).unwrap_or_default();
        let value = match field.kind {
            FieldKind::Fixed(value) => Some(Value::from(value)),
            _ if text.is_empty() => {
                if field.required {
                    return Err(FieldError {
                        field: field.name,
                        message: "поле обязательно".into(),
                    });
                }
                None
            }
            FieldKind::Number => Some(Value::from(text.parse::<u32>().map_err(|_| {
                FieldError {
                    field: field.name,
                    message: format!("«{text}» — не целое неотрицательное число"),
                }
            })?)),
            FieldKind::Lines | FieldKind::Persons => Some(Value::from(lines(text))),
            FieldKind::Questions => {
                let mut questions = Vec::new();
                for line in lines(text) {
                    let (question, decision) = line
                        .split_once(" — ")
                        .or_else(|| line.split_once(" - "))
                        .unwrap_or((line.as_str(), ""));
                    let mut pair = Map::new();
                    pair.insert("question".into(), Value::from(question.trim()));
                    pair.insert("decision".into(), Value::from(decision.trim()));
                    questions.push(Value::Object(pair));
                }
                Some(Value::from(questions))
            }
            _ => Some(Value::from(text)),
        };
        if let Some(value) = value {
            put(&mut command, field.name, value);
        }
    }
    Ok(Value::Object(command))
}

/// A basis (`basis.order`, `basis.application`, `basis.meeting`) is exactly one of them.
fn one_basis(form: &Form, values: &BTreeMap<String, String>) -> Result<(), FieldError> {
    let bases: Vec<&Field> = form
        .fields
        .iter()
        .filter(|f| f.name.starts_with("basis."))
        .collect();
    let Some(first) = bases.first() else {
        return Ok(());
    };
    let filled: Vec<&&Field> = bases
        .iter()
        .filter(|f| values.get(f.name).is_some_and(|v| !v.trim().is_empty()))
        .collect();
    let named: Vec<&str> = bases.iter().map(|f| f.label).collect();
    match filled.as_slice() {
        [_] => Ok(()),
        [] => Err(FieldError {
            field: first.name,
            message: format!("нужно основание — одно из: {}", named.join("; ")),
        }),
        [_, second, ..] => Err(FieldError {
            field: second.name,
            message: format!("основание одно — одно из: {}", named.join("; ")),
        }),
    }
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Puts `value` at the dotted `name` (`vote.meeting` → `{"vote": {"meeting": …}}`).
fn put(object: &mut Map<String, Value>, name: &str, value: Value) {
    match name.split_once('.') {
        None => {
            object.insert(name.to_string(), value);
        }
        Some((head, rest)) => {
            let inner = object
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                put(inner, rest, value);
            }
        }
    }
}

/// The field a refusal concerns: the one whose value the message names (an id, a date, a
/// number), else the one the error's code is about; None for the form as a whole.
pub fn field_of_refusal(
    form: &Form,
    code: &str,
    message: &str,
    values: &BTreeMap<String, String>,
) -> Option<&'static str> {
    let named = form.fields.iter().find(|f| {
        !matches!(f.kind, FieldKind::Fixed(_) | FieldKind::NewId)
            && values
                .get(f.name)
                .map(|v| v.trim())
                .is_some_and(|v| v.chars().count() >= 4 && message.contains(v))
    });
    if let Some(field) = named {
        return Some(field.name);
    }
    let by_code: &[(&str, &[&str])] = &[
        ("order_required", &["order", "basis.order"]),
        ("invalid_effective_date", &["effective"]),
        ("effective_in_future", &["effective"]),
        ("vote_does_not_add_up", &["vote.votes_for"]),
        ("no_majority", &["vote.votes_for"]),
        ("eligibility", &["person"]),
        ("review_required", &["review.council"]),
    ];
    by_code
        .iter()
        .filter(|(c, _)| code.contains(c))
        .flat_map(|(_, fields)| fields.iter())
        .find_map(|name| form.fields.iter().find(|f| f.name == *name).map(|f| f.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_filled_form_is_the_command_of_the_commands_reference() {
        let form = form("secretary").expect("the form");
        let values = filled(&[
            ("association", "a1"),
            ("person", "p2"),
            ("school_year", "2024/25"),
            ("vote.meeting", "m1"),
            ("vote.present", "p1\r\np2\n\np3"),
            ("vote.votes_for", "2"),
            ("vote.against", "0"),
            ("vote.abstained", "1"),
        ]);
        let command = command(form, &values).expect("built");
        assert_eq!(
            command,
            serde_json::json!({
                "command": "elect_secretary", "association": "a1", "person": "p2",
                "school_year": "2024/25",
                "vote": { "meeting": "m1", "present": ["p1", "p2", "p3"],
                          "votes_for": 2, "against": 0, "abstained": 1 }
            })
        );
    }

    #[test]
    fn a_missing_or_malformed_field_is_named() {
        let form = form("secretary").expect("the form");
        let error = command(form, &filled(&[("association", "a1")])).expect_err("missing");
        assert_eq!(error.field, "person");
        let values = filled(&[
            ("association", "a1"),
            ("person", "p2"),
            ("school_year", "2024/25"),
            ("vote.meeting", "m1"),
            ("vote.present", "p1"),
            ("vote.votes_for", "два"),
            ("vote.against", "0"),
            ("vote.abstained", "0"),
        ]);
        let error = command(form, &values).expect_err("not a number");
        assert_eq!(error.field, "vote.votes_for");
        assert!(error.message.contains("«два»"));
    }

    #[test]
    fn a_basis_is_exactly_one() {
        let form = form("member").expect("the form");
        let mut values = filled(&[("association", "a1"), ("member.person", "p1")]);
        assert_eq!(
            command(form, &values).expect_err("none").field,
            "basis.order"
        );
        values.insert("basis.order".into(), "o1".into());
        values.insert("basis.meeting".into(), "m1".into());
        assert_eq!(
            command(form, &values).expect_err("two").field,
            "basis.meeting"
        );
        values.remove("basis.order");
        let command = command(form, &values).expect("one");
        assert_eq!(command["basis"], serde_json::json!({ "meeting": "m1" }));
    }

    #[test]
    fn questions_pair_with_their_decisions_and_fixed_values_are_sent() {
        let form = form("held").expect("the form");
        let values = filled(&[
            ("meeting", "m1"),
            ("association", "a1"),
            ("attendance", "p1"),
            ("questions", "О плане — Согласовать\nРазное"),
        ]);
        let command = command(form, &values).expect("built");
        assert_eq!(
            command["questions"],
            serde_json::json!([
                { "question": "О плане", "decision": "Согласовать" },
                { "question": "Разное", "decision": "" }
            ])
        );
        assert!(command.get("recommendations").is_none(), "empty: left out");
        let application = self::form("application-organization").expect("the form");
        let command = super::command(
            application,
            &filled(&[
                ("application", "x1"),
                ("association", "a1"),
                ("applicant.organization", "o1"),
                ("theme", "Тема"),
                ("school_year", "2024/25"),
                ("period_from", "2024-09-01"),
                ("period_to", "2025-05-31"),
            ]),
        )
        .expect("built");
        assert_eq!(command["form"], "organization");
        assert_eq!(command["applicant"]["organization"], "o1");
    }

    #[test]
    fn every_choice_is_a_value_the_domain_knows_with_its_russian_name() {
        use domain::values::{
            AssociationKind, CategoryLevel, DocumentType, Level, OrderKind, OrganizationKind,
            PositionKind,
        };
        fn known<T: serde::de::DeserializeOwned>(value: &str) -> T {
            serde_json::from_value(Value::from(value))
                .unwrap_or_else(|e| panic!("«{value}» is not a domain value: {e}"))
        }
        for (value, label) in CATEGORY_LEVELS {
            assert_eq!(known::<CategoryLevel>(value).in_russian(), *label);
        }
        for (value, label) in LEVELS {
            assert_eq!(known::<Level>(value).in_russian(), *label);
        }
        for (value, label) in ASSOCIATION_KINDS {
            assert_eq!(known::<AssociationKind>(value).in_russian(), *label);
        }
        for (value, label) in ORDER_KINDS {
            assert_eq!(known::<OrderKind>(value).in_russian(), *label);
        }
        for (value, label) in DOCUMENT_TYPES {
            assert_eq!(known::<DocumentType>(value).in_russian(), *label);
        }
        for (value, _) in ORGANIZATION_KINDS {
            known::<OrganizationKind>(value);
        }
        for (value, _) in POSITION_KINDS {
            known::<PositionKind>(value);
        }
        // every form's command is one the commands know, and slugs are unique
        let mut slugs: Vec<&str> = FORMS.iter().map(|f| f.slug).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), FORMS.len());
    }

    #[test]
    fn a_refusal_lands_on_the_field_whose_value_it_names() {
        let form = form("member").expect("the form");
        let values = filled(&[
            ("association", "7e57c0de-0000-4000-8000-000000000001"),
            ("member.person", "7e57c0de-0000-4000-8000-000000000002"),
        ]);
        assert_eq!(
            field_of_refusal(
                form,
                "not_found",
                "лицо 7e57c0de-0000-4000-8000-000000000002 не найдено",
                &values
            ),
            Some("member.person")
        );
        assert_eq!(
            field_of_refusal(form, "order_required", "нужен приказ (000 §4.2)", &values),
            Some("basis.order")
        );
        assert_eq!(
            field_of_refusal(form, "other", "что-то иное", &values),
            None
        );
    }
}

/// A field as the page shows it: its input, the value typed (kept when the form comes back
/// refused), the choices, and the refusal that concerns it.
#[derive(Debug, Clone)]
pub struct FieldView {
    pub name: &'static str,
    /// The element's id: the name with dots made dashes.
    pub id: String,
    pub label: &'static str,
    /// `text`, `date`, `number`, `textarea`, `select`, `multiple`, `hidden`.
    pub input: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
    pub required: bool,
    pub error: Option<String>,
    pub hint: &'static str,
}

impl FieldView {
    /// Whether `option` is chosen (a multiple choice keeps its values one per line).
    pub fn chosen(&self, option: &str) -> bool {
        self.value.lines().any(|v| v.trim() == option)
    }
}

/// The lists a form's choices come from, by what they name.
pub type Lists = BTreeMap<Pick, Vec<(String, String)>>;

/// `form` as the page shows it, with `values` typed (or, for a new id, made now by
/// `new_id`) and the refusal `error` on its field.
pub fn view(
    form: &Form,
    values: &BTreeMap<String, String>,
    lists: &Lists,
    error: Option<&FieldError>,
    new_id: &mut dyn FnMut() -> String,
) -> Vec<FieldView> {
    form.fields
        .iter()
        .map(|f| {
            let typed = values.get(f.name).cloned().unwrap_or_default();
            let (input, value, options, hint) = match f.kind {
                FieldKind::Text => ("text", typed, Vec::new(), ""),
                FieldKind::Id => ("text", typed, Vec::new(), "идентификатор (UUID) из журнала"),
                FieldKind::Lines => ("textarea", typed, Vec::new(), ""),
                FieldKind::Questions => ("textarea", typed, Vec::new(), ""),
                FieldKind::Date => ("date", typed, Vec::new(), ""),
                FieldKind::Number => ("number", typed, Vec::new(), ""),
                FieldKind::SchoolYear => ("text", typed, Vec::new(), "например, 2025/26"),
                FieldKind::Choice(choices) => (
                    "select",
                    typed,
                    choices
                        .iter()
                        .map(|(v, l)| (v.to_string(), l.to_string()))
                        .collect(),
                    "",
                ),
                FieldKind::Pick(pick) => (
                    "select",
                    typed,
                    lists.get(&pick).cloned().unwrap_or_default(),
                    "",
                ),
                FieldKind::Persons => (
                    "multiple",
                    typed,
                    lists.get(&Pick::Person).cloned().unwrap_or_default(),
                    "несколько — с Ctrl",
                ),
                FieldKind::NewId => (
                    "hidden",
                    if typed.is_empty() { new_id() } else { typed },
                    Vec::new(),
                    "",
                ),
                FieldKind::Fixed(value) => ("hidden", value.to_string(), Vec::new(), ""),
            };
            FieldView {
                name: f.name,
                id: format!("field-{}", f.name.replace('.', "-")),
                label: f.label,
                input,
                value,
                options,
                required: f.required,
                error: error
                    .filter(|e| e.field == f.name)
                    .map(|e| e.message.clone()),
                hint,
            }
        })
        .collect()
}
