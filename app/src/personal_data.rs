//! Personal data (152-FZ): the erasure of a person's data on the order of the operator of
//! personal data — their vault key destroyed, the log's encrypted records left whole — and
//! the act of destruction with the extract from the event log (Roskomnadzor order No. 179 of
//! 28.10.2022), generated from the log and its issuance recorded in the log.

mod act;
mod authority;
mod ground;
mod html;
mod text;

use chrono::NaiveDate;
use commands::fact_of;
use domain::ids::{MunicipalityId, PersonId};
use domain::registry::state::{MunicipalityState, PersonState};
use domain::{Acting, Aggregate};
use serde_json::json;
use sha2::{Digest, Sha256};
use store::{
    Actor, BasisKind, CommandId, ExpectedVersion, LegalBasis, MetodStore, NewEvent, RecordedEvent,
    StreamId,
};

pub use act::{russian_date, Destroyer, DestructionAct, LogRecord};
pub use ground::ErasureGround;

use crate::app::App;
use crate::error::{AppError, PersonalDataError};

/// The wire name of the event that records an act of destruction issued.
pub const ACT_ISSUED_EVENT_TYPE: &str = "DestructionActIssued";

/// Streams are read in pages of this many events.
const PAGE: usize = 1_000;

/// An order to destroy one person's personal data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureOrder {
    pub person: PersonId,
    pub ground: ErasureGround,
    /// The day the destruction takes effect: today or earlier.
    pub effective: NaiveDate,
    /// Who orders it: the operator of personal data.
    pub acting: Acting,
    /// The order of the operator it is made by, if there is one.
    pub basis: Option<ErasureBasis>,
}

/// The operator's order to destroy: number, date, issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasureBasis {
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

/// An act of destruction as handed out, and its record in the log.
#[derive(Debug, Clone)]
pub struct IssuedAct {
    pub act: DestructionAct,
    /// The text form; its SHA-256 is what the log records.
    pub text: String,
    /// SHA-256 of `text`, hex.
    pub sha256: String,
    /// The `DestructionActIssued` event recording this text.
    pub issuance: RecordedEvent,
    /// False when this very text had been issued before and nothing new was recorded.
    pub recorded: bool,
}

impl IssuedAct {
    /// The printable HTML form of the same act.
    pub fn html(&self) -> String {
        html::render(&self.act, &self.sha256)
    }
}

impl App {
    /// Destroys `order.person`'s personal data: the vault key is deleted, a tombstone left and
    /// `PersonalDataErased` appended on `personal-data-<person>`, in one transaction. A
    /// refused order writes nothing.
    pub async fn erase_personal_data(
        &self,
        order: ErasureOrder,
    ) -> Result<RecordedEvent, AppError> {
        let today = self.today()?;
        if order.effective > today {
            return Err(PersonalDataError::EffectiveInFuture {
                effective: order.effective,
                today,
            }
            .into());
        }
        let basis = order
            .basis
            .as_ref()
            .map(|b| checked_basis(b, order.effective))
            .transpose()?;
        let store = self.store().await?.as_ref();
        let person = registered(store, order.person, u64::MAX).await?;
        if let Some(erasure) = erasure_of(store, order.person).await? {
            return Err(already_erased(order.person, &erasure).into());
        }
        let municipality = municipality_of(store, &person, u64::MAX).await?;
        let acted_as = authority::operator_of_personal_data(
            &municipality,
            order.acting,
            order.effective,
            "уничтожить персональные данные",
            order.ground.clause(),
        )?;
        let erasure = store::Erasure {
            actor: Actor::new(order.acting.id(), acted_as.to_string()),
            basis,
            grounds: order.ground.in_russian().to_string(),
            effective: order.effective,
        };
        let id = order.person.to_string();
        // One erasure per person: a second order racing this one gets the first's result.
        let command = CommandId::derived("metod-personal-data-erasure", &id);
        let result = store.shred(&id, erasure, command).await?;
        let event = event_at(store, result.first_position).await?;
        if result.deduplicated {
            return Err(already_erased(order.person, &event).into());
        }
        Ok(event)
    }

    /// The act of destruction of `person`'s personal data with its log extract, issued by
    /// `acting` (the operator of personal data). The first issuance of a text is recorded as
    /// `DestructionActIssued` with the text's SHA-256; the same text issued again records
    /// nothing and returns that first record.
    pub async fn destruction_act(
        &self,
        person: PersonId,
        acting: Acting,
    ) -> Result<IssuedAct, AppError> {
        let today = self.today()?;
        let store = self.store().await?.as_ref();
        let erasure =
            erasure_of(store, person)
                .await?
                .ok_or_else(|| PersonalDataError::NotErased {
                    person: person.to_string(),
                })?;
        let registered_then = registered(store, person, erasure.position).await?;
        let now = municipality_of(store, &registered_then, u64::MAX).await?;
        let acted_as = authority::operator_of_personal_data(
            &now,
            acting,
            today,
            "составить акт об уничтожении персональных данных",
            "п. 1, 3 Требований к подтверждению уничтожения персональных данных, утв. приказом \
             Роскомнадзора от 28.10.2022 № 179"
                .to_string(),
        )?;
        let then = municipality_of(store, &registered_then, erasure.position).await?;
        let person_events = read_stream(store, &StreamId::parse(person.stream())?).await?;
        let act = DestructionAct::from_log(person, &erasure, &person_events, &then)?;
        let text = text::render(&act);
        let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
        let stream = store::erasure_stream(&person.to_string())?;
        if let Some(issuance) = issued_before(store, &stream, erasure.position, &sha256).await? {
            return Ok(IssuedAct {
                act,
                text,
                sha256,
                issuance,
                recorded: false,
            });
        }
        let payload = json!({
            "person": person,
            "erasure_position": erasure.position,
            "erasure_hash": hex::encode(erasure.hash),
            "act_sha256": sha256,
        });
        let event = NewEvent::new(
            ACT_ISSUED_EVENT_TYPE,
            payload,
            today,
            Actor::new(acting.id(), acted_as.to_string()),
        );
        let command = CommandId::derived(
            "metod-destruction-act",
            &format!("{person}@{}:{sha256}", erasure.position),
        );
        let result = store
            .append(&stream, ExpectedVersion::Any, vec![event], command)
            .await?;
        let issuance = event_at(store, result.first_position).await?;
        Ok(IssuedAct {
            act,
            text,
            sha256,
            issuance,
            recorded: !result.deduplicated,
        })
    }
}

/// The order's basis as the erasure event carries it.
fn checked_basis(
    basis: &ErasureBasis,
    effective: NaiveDate,
) -> Result<LegalBasis, PersonalDataError> {
    let number = basis.number.trim();
    let issuer = basis.issuer.trim();
    if number.is_empty() {
        return Err(PersonalDataError::BasisIncomplete {
            missing: "номер"
        });
    }
    if issuer.is_empty() {
        return Err(PersonalDataError::BasisIncomplete {
            missing: "издатель",
        });
    }
    if basis.date > effective {
        return Err(PersonalDataError::OrderAfterEffectiveDate {
            number: number.to_string(),
            order_date: basis.date,
            effective,
        });
    }
    Ok(LegalBasis {
        kind: BasisKind::Order,
        number: number.to_string(),
        date: basis.date,
        issuer: issuer.to_string(),
    })
}

fn already_erased(person: PersonId, erasure: &RecordedEvent) -> PersonalDataError {
    PersonalDataError::AlreadyErased {
        person: person.to_string(),
        position: erasure.position,
        effective: erasure.effective,
    }
}

/// Every event of `stream`.
async fn read_stream(
    store: &dyn MetodStore,
    stream: &StreamId,
) -> Result<Vec<RecordedEvent>, AppError> {
    let mut events = Vec::new();
    loop {
        let page = store
            .read_stream(stream, events.len() as u64 + 1, PAGE)
            .await?;
        let full = page.len() == PAGE;
        events.extend(page);
        if !full {
            return Ok(events);
        }
    }
}

/// The person as registered by the events before `before`; refused when not registered.
async fn registered(
    store: &dyn MetodStore,
    person: PersonId,
    before: u64,
) -> Result<PersonState, AppError> {
    let stream = StreamId::parse(person.stream())?;
    let state: PersonState = fold(&read_stream(store, &stream).await?, before)?;
    if !state.exists() {
        return Err(PersonalDataError::PersonNotInRegistry {
            person: person.to_string(),
        }
        .into());
    }
    Ok(state)
}

/// The person's municipality as the events before `before` make it.
async fn municipality_of(
    store: &dyn MetodStore,
    person: &PersonState,
    before: u64,
) -> Result<MunicipalityState, AppError> {
    let Some(id) = person.municipality else {
        return Ok(MunicipalityState::default());
    };
    let stream = StreamId::parse(MunicipalityId::stream(&id))?;
    fold(&read_stream(store, &stream).await?, before)
}

/// The state `events` before position `before` fold into.
fn fold<S: Aggregate + Default>(events: &[RecordedEvent], before: u64) -> Result<S, AppError> {
    let mut state = S::default();
    for event in events.iter().filter(|e| e.position < before) {
        if let Some(fact) = fact_of(event)? {
            state.evolve(&fact);
        }
    }
    Ok(state)
}

/// The erasure of `person`'s data, if the log records one (the first, should there be more).
async fn erasure_of(
    store: &dyn MetodStore,
    person: PersonId,
) -> Result<Option<RecordedEvent>, AppError> {
    let stream = store::erasure_stream(&person.to_string())?;
    Ok(read_stream(store, &stream)
        .await?
        .into_iter()
        .find(|e| e.event_type == store::ERASURE_EVENT_TYPE))
}

/// The record of an act of `erasure_position` with text hash `sha256`, if one was issued.
async fn issued_before(
    store: &dyn MetodStore,
    stream: &StreamId,
    erasure_position: u64,
    sha256: &str,
) -> Result<Option<RecordedEvent>, AppError> {
    for event in read_stream(store, stream).await? {
        if event.event_type != ACT_ISSUED_EVENT_TYPE {
            continue;
        }
        let payload = event.payload_value()?;
        if payload["erasure_position"].as_u64() == Some(erasure_position)
            && payload["act_sha256"].as_str() == Some(sha256)
        {
            return Ok(Some(event));
        }
    }
    Ok(None)
}

async fn event_at(store: &dyn MetodStore, position: u64) -> Result<RecordedEvent, AppError> {
    store
        .read_all(position, 1)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            store::StoreError::CorruptRow {
                position,
                reason: "только что записанное событие не прочитано".into(),
            }
            .into()
        })
}
