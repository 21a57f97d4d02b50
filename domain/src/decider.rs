//! The context of a decision and the `Decider` that every area's rules run in: who acts, on
//! which day, the profile in force, the states loaded, the personal fields the vault sealed;
//! and the legal basis (an order, a protocol) the events will carry.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::associations::state::AssociationState;
use crate::commands::Command;
use crate::error::DomainError;
use crate::events::Event;
use crate::ids::{AssociationId, PersonId};
use crate::meetings::state::MeetingState;
use crate::profile::{DocumentAuthor, RegulationProfile, StepRole};
use crate::registry::state::MunicipalityState;
use crate::values::{AssociationRole, BodyKind, Office, PositionKind, Sealed};
use crate::world::World;

/// Who is acting: a person of the registry, or an operator of the methodical service who
/// enters paper records (orders, registry data) on behalf of the bodies that issued them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acting {
    Operator,
    Person(PersonId),
}

impl Acting {
    /// `operator` or `person:<uuid>` (a bare uuid is a person too).
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let text = text.trim();
        if text == "operator" {
            return Ok(Acting::Operator);
        }
        let id = text.strip_prefix("person:").unwrap_or(text);
        PersonId::parse(id).map(Acting::Person)
    }

    pub fn id(&self) -> String {
        match self {
            Acting::Operator => "operator".into(),
            Acting::Person(p) => format!("person:{p}"),
        }
    }
}

/// Personal fields after the vault sealed them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SealedPersonalFields {
    pub full_name: Option<Sealed>,
    pub birth_date: Option<Sealed>,
    pub position_title: Option<Sealed>,
}

/// How far back a person may date an action they record themselves; older records are
/// entered by the operator, from paper, on their legal basis.
pub const PERSON_BACKDATING_DAYS: u64 = 31;

/// What a decision reads.
pub struct Context<'a> {
    pub profile: &'a RegulationProfile,
    pub acting: Acting,
    pub effective: NaiveDate,
    /// The day the command is recorded (from the injected clock).
    pub today: NaiveDate,
    pub world: &'a World,
    pub sealed: SealedPersonalFields,
}

/// The legal basis the envelope of the events carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BasisRef {
    pub kind: BasisKindRef,
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BasisKindRef {
    Order,
    Protocol,
}

/// The role the actor acted in, as the permission check that let them act found it. The
/// envelope of the events carries it as text (`Display`), e.g. `operator`,
/// `official:district_department:chief`, `head`, `deputy:association_head`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActedAs {
    /// The operator of the methodical service, entering paper records.
    Operator,
    /// An official holding `office` in a body of kind `body`.
    Official { body: BodyKind, office: Office },
    /// The holder of a role in the association.
    Role(AssociationRole),
    /// The author of a document, as the profile names the authors of its type.
    Author(DocumentAuthor),
    /// A member of the association: leaving it, recording a vote or its first meeting.
    Member,
    /// A teacher applying for membership themselves.
    Applicant,
    /// The director of an educational organization, signing an application.
    Director,
    /// The administration of an educational organization — its director or a deputy head —
    /// recording a teacher's individual programme (004 §8, §9).
    Administration(PositionKind),
    /// The holder of a step of an approval chain decided by a head or curator, or their deputy.
    StepHolder { role: StepRole, deputy: bool },
    /// An official of the body that decides a step of an approval chain.
    StepOfficial(BodyKind),
    /// A council deciding a step of an approval chain.
    Council(Option<BodyKind>),
}

impl fmt::Display for ActedAs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActedAs::Operator => f.write_str("operator"),
            ActedAs::Official { body, office } => {
                write!(f, "official:{}:{}", serde_plain(body), serde_plain(office))
            }
            ActedAs::Role(role) => f.write_str(&serde_plain(role)),
            ActedAs::Author(author) => f.write_str(&serde_plain(author)),
            ActedAs::Member => f.write_str("member"),
            ActedAs::Applicant => f.write_str("applicant"),
            ActedAs::Director => f.write_str("director"),
            ActedAs::Administration(position) => {
                write!(f, "administration:{}", serde_plain(position))
            }
            ActedAs::StepHolder { role, deputy } => {
                let role = serde_plain(role);
                if *deputy {
                    write!(f, "deputy:{role}")
                } else {
                    f.write_str(&role)
                }
            }
            ActedAs::StepOfficial(body) => write!(f, "official:{}", serde_plain(body)),
            ActedAs::Council(kind) => write!(
                f,
                "council:{}",
                kind.map(|k| serde_plain(&k)).unwrap_or_default()
            ),
        }
    }
}

/// The role an envelope records (`ActedAs`'s wire form, e.g. `official:department:chief`,
/// `deputy:city_head`), in Russian for people who read a history; a form not known is shown
/// as it is.
pub fn acted_as_in_russian(wire: &str) -> String {
    fn plain<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
        serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
    }
    let one = |text: &str| -> Option<String> {
        plain::<AssociationRole>(text)
            .map(|r| r.in_russian().to_string())
            .or_else(|| plain::<StepRole>(text).map(|r| r.in_russian().to_string()))
            .or_else(|| plain::<DocumentAuthor>(text).map(|r| r.in_russian().to_string()))
            .or_else(|| plain::<BodyKind>(text).map(|b| b.in_russian().to_string()))
            .or_else(|| plain::<Office>(text).map(|o| o.in_russian().to_string()))
    };
    let parts: Vec<&str> = wire.split(':').collect();
    let said = match parts.as_slice() {
        ["operator"] => Some("оператор".to_string()),
        ["member"] => Some("член объединения".to_string()),
        ["applicant"] => Some("заявитель".to_string()),
        ["director"] => Some("руководитель образовательной организации".to_string()),
        ["deputy", role] => one(role).map(|r| format!("заместитель: {r}")),
        ["council", ""] => Some("совет".to_string()),
        ["administration", position] => plain::<PositionKind>(position).map(|p| {
            format!(
                "администрация образовательной организации: {}",
                p.in_russian()
            )
        }),
        ["council", kind] => one(kind),
        ["official", body] => one(body).map(|b| format!("должностное лицо: {b}")),
        ["official", body, office] => one(body).zip(one(office)).map(|(b, o)| format!("{b}, {o}")),
        [role] => one(role),
        _ => None,
    };
    said.unwrap_or_else(|| wire.to_string())
}

/// What an area's rules conclude about a command: the events to append, and the role the actor
/// acted in.
pub(crate) struct Ruling {
    pub(crate) events: Vec<Event>,
    pub(crate) acted_as: ActedAs,
}

impl Ruling {
    pub(crate) fn new(acted_as: ActedAs, events: Vec<Event>) -> Self {
        Self { events, acted_as }
    }
}

pub(crate) struct Decider<'a> {
    pub(crate) ctx: &'a Context<'a>,
    /// The legal basis found so far (an order, a protocol), for the envelope.
    pub(crate) basis: Option<BasisRef>,
}

pub(crate) fn not_found(what: &'static str, id: impl ToString) -> DomainError {
    DomainError::NotFound {
        what,
        id: id.to_string(),
    }
}

pub(crate) fn exists(what: &'static str, id: impl ToString) -> DomainError {
    DomainError::AlreadyExists {
        what,
        id: id.to_string(),
    }
}

impl<'a> Decider<'a> {
    pub(crate) fn date(&self) -> NaiveDate {
        self.ctx.effective
    }

    pub(crate) fn profile(&self) -> &'a RegulationProfile {
        self.ctx.profile
    }

    pub(crate) fn municipality(&self) -> Result<&'a MunicipalityState, DomainError> {
        self.ctx
            .world
            .municipality()
            .ok_or_else(|| not_found("муниципалитет", "(не зарегистрирован)"))
    }

    pub(crate) fn person_id(&self) -> Option<PersonId> {
        match self.ctx.acting {
            Acting::Person(p) => Some(p),
            Acting::Operator => None,
        }
    }

    pub(crate) fn registry(
        &self,
        id: crate::ids::MunicipalityId,
    ) -> Result<&'a MunicipalityState, DomainError> {
        self.ctx
            .world
            .municipalities
            .get(&id)
            .filter(|m| m.exists())
            .ok_or_else(|| not_found("муниципалитет", id))
    }

    /// Whether `member` belongs to the association on `on`: by the registry where the
    /// profile says membership follows from it (001 §1.3), else by its admissions.
    pub(crate) fn is_member(
        &self,
        state: &AssociationState,
        member: crate::events::Member,
        on: NaiveDate,
    ) -> bool {
        if !self.profile().membership.from_registry {
            return state.is_member(member, on);
        }
        let crate::events::Member::Person(person) = member else {
            return false;
        };
        match (self.ctx.world.person(person), self.municipality()) {
            (Some(person), Ok(municipality)) => {
                crate::membership::by_registry::member_on(state, municipality, person, on)
            }
            _ => false,
        }
    }

    pub(crate) fn live_association(
        &self,
        id: AssociationId,
    ) -> Result<&'a AssociationState, DomainError> {
        let state = self
            .ctx
            .world
            .association(id)
            .ok_or_else(|| not_found("объединение", id))?;
        if let Some(since) = state.liquidated_on {
            if since <= self.date() {
                return Err(DomainError::AssociationLiquidated {
                    since,
                    clause: self.profile().structure.created_by_clause.clone(),
                });
            }
        }
        // A temporary association (004 §8) acts until the last day of its term.
        if let Some(ended) = state.ends_on.filter(|last| *last < self.date()) {
            let structure = &self.profile().structure;
            return Err(DomainError::AssociationTermEnded {
                ended,
                clause: state
                    .kind
                    .and_then(|k| structure.kind_rule(k))
                    .map_or_else(|| structure.kinds_clause.clone(), |r| r.clause.clone()),
            });
        }
        Ok(state)
    }

    pub(crate) fn protocol_basis(
        &mut self,
        meeting: &MeetingState,
        association: &AssociationState,
    ) {
        if let Some(date) = meeting.date {
            self.basis = Some(BasisRef {
                kind: BasisKindRef::Protocol,
                // A protocol not numbered yet is «б/н» (без номера), dated by its sitting.
                number: meeting
                    .protocol_number
                    .clone()
                    .unwrap_or_else(|| "б/н".to_string()),
                date,
                issuer: association.title.clone(),
            });
        }
    }
}

/// The snake_case wire name of a unit enum value.
fn serde_plain<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// The refusal of a command handed to the deciders of an area it does not belong to. Not
/// reached: `decide` routes every command to the area that decides it.
pub(crate) fn misrouted(command: &Command) -> DomainError {
    DomainError::InvalidStructure {
        reason: format!("команда «{}» решается в другой области", command.name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recorded_role_reads_in_russian() {
        assert_eq!(acted_as_in_russian("head"), "руководитель");
        assert_eq!(
            acted_as_in_russian("official:department:deputy_chief"),
            "орган управления образованием, заместитель руководителя"
        );
        assert_eq!(
            acted_as_in_russian("deputy:city_head"),
            "заместитель: руководитель городского объединения"
        );
        assert_eq!(acted_as_in_russian("operator"), "оператор");
        // every role the envelope can record reads in Russian
        let roles = [
            ActedAs::Operator,
            ActedAs::Member,
            ActedAs::Role(AssociationRole::Secretary),
            ActedAs::Official {
                body: BodyKind::MethodicalCenter,
                office: Office::Specialist,
            },
            ActedAs::StepHolder {
                role: StepRole::Curator,
                deputy: true,
            },
            ActedAs::StepOfficial(BodyKind::Department),
            ActedAs::Council(None),
            ActedAs::Administration(PositionKind::DeputyHead),
        ];
        for role in roles {
            let wire = role.to_string();
            let said = acted_as_in_russian(&wire);
            assert_ne!(said, wire, "{wire}");
            assert!(!said.contains('_'), "{said}");
        }
        assert_eq!(acted_as_in_russian("something:new"), "something:new");
    }
}
