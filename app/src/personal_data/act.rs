//! The act of destruction of personal data and the extract from the event log that confirms
//! it (Roskomnadzor order No. 179 of 28.10.2022), as data: everything is read from the log
//! as it stood at the erasure, so the same erasure always gives the same act. The subject is
//! named by the registry id only — the name is what was destroyed.

use chrono::{DateTime, NaiveDate, Utc};
use domain::ids::PersonId;
use domain::registry::state::MunicipalityState;
use domain::values::{BodyKind, Office};
use store::{LegalBasis, RecordedEvent, SealedField, StoreError};

use super::authority::OPERATOR_BODIES;
use super::ground::ErasureGround;

/// The name of the information system the data was destroyed in.
const SYSTEM: &str =
    "Информационная система «metod» (журнал работы муниципальных методических объединений)";

/// An act of destruction of one person's personal data, with its log extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestructionAct {
    /// Whose data: the registry id, never a name.
    pub person: PersonId,
    /// The operator of personal data: the body and its municipality.
    pub operator: String,
    /// The information system, with its municipality.
    pub system: String,
    pub destroyer: Destroyer,
    /// The categories of personal data destroyed, in Russian, in the order first met.
    pub categories: Vec<String>,
    /// The reason in words, as the erasure recorded it.
    pub ground: String,
    /// The clause of 152-FZ, where the reason is one of [`ErasureGround`].
    pub clause: Option<String>,
    /// The order the erasure was made by, if it named one.
    pub basis: Option<LegalBasis>,
    /// The day the decision to destroy took effect.
    pub effective: NaiveDate,
    /// When the key was destroyed (the erasure's transaction time).
    pub destroyed_at: DateTime<Utc>,
    /// The log's records of the person's sealed fields, then the erasure itself.
    pub records: Vec<LogRecord>,
}

/// Who destroyed the data: their id in the log and their position; the name and signature
/// are written on paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destroyer {
    pub actor: String,
    pub position: String,
}

/// One record of the log in the extract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRecord {
    pub position: u64,
    pub recorded_at: DateTime<Utc>,
    pub event_type: String,
    /// The sealed fields of the person the event carried (empty for the erasure).
    pub fields: Vec<String>,
    /// The event's SHA-256, hex.
    pub hash: String,
}

impl DestructionAct {
    /// The act of `erasure`, from the person's events recorded before it and the
    /// municipality as it stood then.
    pub(crate) fn from_log(
        person: PersonId,
        erasure: &RecordedEvent,
        person_events: &[RecordedEvent],
        municipality: &MunicipalityState,
    ) -> Result<Self, StoreError> {
        let id = person.to_string();
        let mut records = Vec::new();
        let mut fields_met: Vec<String> = Vec::new();
        for event in person_events
            .iter()
            .filter(|e| e.position < erasure.position)
        {
            let fields = sealed_fields_of(&event.payload_value()?, &id);
            if fields.is_empty() {
                continue;
            }
            for field in &fields {
                if !fields_met.contains(field) {
                    fields_met.push(field.clone());
                }
            }
            records.push(LogRecord::of(event, fields));
        }
        records.push(LogRecord::of(erasure, Vec::new()));
        let payload = erasure.payload_value()?;
        let ground = payload["grounds"].as_str().unwrap_or_default().to_string();
        let destroyer = Destroyer::of(erasure, municipality);
        Ok(Self {
            person,
            operator: operator_of(erasure, municipality),
            system: format!("{SYSTEM}, {}", municipality.title),
            destroyer,
            categories: fields_met.iter().map(|f| category_of(f)).collect(),
            clause: ErasureGround::from_wording(&ground).map(ErasureGround::clause),
            ground,
            basis: erasure.basis.clone(),
            effective: erasure.effective,
            destroyed_at: erasure.recorded_at,
            records,
        })
    }

    /// The day the data was destroyed: the day the key was.
    pub fn date(&self) -> NaiveDate {
        self.destroyed_at.date_naive()
    }

    /// The reason with its clause and the order it rests on, in one line.
    pub fn reason(&self) -> String {
        let mut reason = self.ground.clone();
        if let Some(clause) = &self.clause {
            reason.push_str(&format!(" ({clause})"));
        }
        if let Some(basis) = &self.basis {
            reason.push_str(&format!(
                "; основание: приказ № {} от {} ({})",
                basis.number,
                russian_date(basis.date),
                basis.issuer
            ));
        }
        reason
    }
}

impl LogRecord {
    fn of(event: &RecordedEvent, fields: Vec<String>) -> Self {
        Self {
            position: event.position,
            recorded_at: event.recorded_at,
            event_type: event.event_type.clone(),
            fields,
            hash: hex::encode(event.hash),
        }
    }

    /// What the event was, in Russian.
    pub fn what(&self) -> &str {
        match self.event_type.as_str() {
            "PersonRegistered" => "регистрация лица в реестре",
            "PersonTransferred" => "перевод на другую должность",
            store::ERASURE_EVENT_TYPE => "уничтожение персональных данных (ключ уничтожен)",
            _ => "запись с персональными данными",
        }
    }
}

impl Destroyer {
    fn of(erasure: &RecordedEvent, municipality: &MunicipalityState) -> Self {
        let position = match official_of(erasure, municipality) {
            Some((office, body)) => format!("{}, {body}", office.in_russian()),
            None if erasure.actor.id == "operator" => {
                "оператор информационной системы (методическая служба), действующий от имени \
                 оператора персональных данных"
                    .to_string()
            }
            None => erasure.actor.role.clone(),
        };
        Self {
            actor: erasure.actor.id.clone(),
            position,
        }
    }
}

/// The office and body title of an official who ordered the erasure, from the actor's role
/// (`official:<body kind>:<office>`) and the offices they held on its date.
fn official_of(
    erasure: &RecordedEvent,
    municipality: &MunicipalityState,
) -> Option<(Office, String)> {
    let mut parts = erasure.actor.role.splitn(3, ':');
    if parts.next() != Some("official") {
        return None;
    }
    let kind: BodyKind = plain(parts.next()?)?;
    let office: Office = plain(parts.next()?)?;
    let person = erasure
        .actor
        .id
        .strip_prefix("person:")
        .and_then(|id| PersonId::parse(id).ok());
    let title = person
        .and_then(|p| {
            municipality
                .offices_of(p, erasure.effective)
                .find(|(body, _, held)| body.kind == kind && *held == office)
                .map(|(body, _, _)| body.title.clone())
        })
        .unwrap_or_else(|| kind.in_russian().to_string());
    Some((office, title))
}

/// The operator of personal data: the body of the official who ordered the erasure, or the
/// municipality's education authority (its methodical center where it has none).
fn operator_of(erasure: &RecordedEvent, municipality: &MunicipalityState) -> String {
    let body = official_of(erasure, municipality)
        .map(|(_, title)| title)
        .or_else(|| {
            OPERATOR_BODIES.iter().find_map(|kind| {
                municipality
                    .bodies
                    .values()
                    .find(|b| b.kind == *kind)
                    .map(|b| b.title.clone())
            })
        })
        .unwrap_or_else(|| BodyKind::Department.in_russian().to_string());
    format!("{body} ({})", municipality.title)
}

fn plain<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

/// The names of the fields of `person` sealed anywhere in `payload`.
fn sealed_fields_of(payload: &serde_json::Value, person: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut pending = vec![payload];
    while let Some(node) = pending.pop() {
        if let Ok(sealed) = serde_json::from_value::<SealedField>(node.clone()) {
            if sealed.sealed.person == person && !fields.contains(&sealed.sealed.field) {
                fields.push(sealed.sealed.field);
            }
            continue;
        }
        match node {
            serde_json::Value::Object(map) => pending.extend(map.values()),
            serde_json::Value::Array(items) => pending.extend(items.iter()),
            _ => {}
        }
    }
    fields.sort_by_key(|f| field_order(f));
    fields
}

/// The registry's order of the personal fields: name, birth date, position.
fn field_order(field: &str) -> (usize, String) {
    let known = ["full_name", "birth_date", "position_title"];
    let place = known
        .iter()
        .position(|k| *k == field)
        .unwrap_or(known.len());
    (place, field.to_string())
}

/// A sealed field's category of personal data, as the act names it.
pub(crate) fn category_of(field: &str) -> String {
    match field {
        "full_name" => "фамилия, имя, отчество".into(),
        "birth_date" => "дата рождения".into(),
        "position_title" => "должность".into(),
        other => format!("иные сведения (поле {other})"),
    }
}

pub use domain::calendar::russian_date;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sealed(person: &str, field: &str) -> serde_json::Value {
        json!({"sealed": {"person": person, "field": field, "nonce": "AA==", "ciphertext": "AA=="}})
    }

    #[test]
    fn only_the_persons_own_sealed_fields_count_in_the_registrys_order() {
        let payload = json!({
            "position_title": sealed("p", "position_title"),
            "nested": [{"x": sealed("p", "nickname")}, sealed("q", "full_name")],
            "full_name": sealed("p", "full_name"),
            "birth_date": "1980-01-01"
        });
        assert_eq!(
            sealed_fields_of(&payload, "p"),
            ["full_name", "position_title", "nickname"]
        );
        assert_eq!(category_of("nickname"), "иные сведения (поле nickname)");
        assert_eq!(category_of("full_name"), "фамилия, имя, отчество");
    }

    #[test]
    fn dates_read_as_in_documents() {
        let day = NaiveDate::from_ymd_opt(2025, 5, 15).expect("a date");
        assert_eq!(russian_date(day), "15 мая 2025 г.");
        let first = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
        assert_eq!(russian_date(first), "1 января 2024 г.");
    }
}
