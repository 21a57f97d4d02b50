//! A meeting as its protocol records it: the agenda, who attended, each question with its
//! decision, the votes of the elections held at it, the protocol's number and hash, who
//! drafted and signed it — and every event of it with its position and hash in the log, so
//! that a printed protocol can be checked against the log.

use chrono::{DateTime, NaiveDate, Utc};
use domain::aggregate::Aggregate;
use domain::ids::{AssociationId, MeetingId, PersonId};
use domain::meetings::state::MeetingState;
use domain::Event;
use serde::Serialize;
use store::{MetodStore, StreamId, Verification};

use crate::error::WorkflowError;
use crate::trail::{name_of, verification_in_russian, Names};

/// The record of one meeting at a point of both time axes.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingRecord {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub date: Option<NaiveDate>,
    /// Its state, in Russian.
    pub status: String,
    pub agenda: Vec<String>,
    pub attendance: Vec<Attendee>,
    /// (question, decision)
    pub questions: Vec<(String, String)>,
    pub recommendations: Vec<String>,
    pub votes: Vec<VoteHeld>,
    pub protocol_number: Option<String>,
    /// The SHA-256 of the protocol's text as drafted (and signed, when it is).
    pub protocol_hash: Option<String>,
    pub drafted_by: Option<Attendee>,
    pub signed_by: Option<Attendee>,
    pub corrections: Vec<String>,
    /// The meeting's events, in the log's order.
    pub entries: Vec<MeetingEntry>,
    pub chain_verifies: bool,
    pub verification: String,
}

/// A person named in a meeting's record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    pub person: PersonId,
    /// From the vault; None when names were not opened or the data were erased.
    pub name: Option<String>,
}

impl Attendee {
    /// The name, or the registry id where no name is shown.
    pub fn label(&self) -> String {
        self.name
            .clone()
            .unwrap_or_else(|| format!("person:{}", self.person))
    }
}

/// An election decided by open vote at the meeting (000 §4.3; 003 §7.4–7.5).
#[derive(Debug, Clone, Serialize)]
pub struct VoteHeld {
    /// «избрание секретаря: Иванова И. И.»
    pub question: String,
    pub votes_for: u32,
    pub against: u32,
    pub abstained: u32,
    pub position: u64,
    pub hash: String,
}

/// One event of the meeting, as a signature line of its printed protocol.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingEntry {
    pub position: u64,
    pub what: String,
    pub actor: String,
    pub actor_name: Option<String>,
    pub role: String,
    pub effective: NaiveDate,
    pub recorded_at: DateTime<Utc>,
    pub hash: String,
}

/// `meeting` as it stood on `as_of` (events effective by then) as known at `known_at`
/// (recorded by then), with the verification of the chain the caller made; names opened from
/// the vault when `open_names`.
pub async fn meeting_record(
    store: &dyn MetodStore,
    meeting: MeetingId,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    verification: Verification,
    open_names: bool,
) -> Result<MeetingRecord, WorkflowError> {
    let seen = |effective: NaiveDate, recorded: DateTime<Utc>| {
        as_of.is_none_or(|d| effective <= d) && known_at.is_none_or(|t| recorded <= t)
    };
    let stream = StreamId::parse(meeting.stream())?;
    let recorded = store.read_stream(&stream, 1, 10_000).await?;
    let mut names = Names::new();
    let mut state = MeetingState::default();
    let mut agenda = Vec::new();
    let mut recommendations = Vec::new();
    let mut drafted_by = None;
    let mut signed_by = None;
    let mut entries = Vec::new();
    for r in recorded.iter().filter(|r| seen(r.effective, r.recorded_at)) {
        let Some(fact) = commands::fact_of(r)? else {
            continue;
        };
        state.evolve(&fact);
        let what = match &fact.event {
            Event::MeetingScheduled(e) => {
                agenda = e.agenda.clone();
                "заседание назначено".to_string()
            }
            Event::MeetingHeld(e) => {
                recommendations = e.recommendations.clone();
                format!("заседание проведено, присутствовали {}", e.attendance.len())
            }
            Event::ProtocolDrafted(e) => {
                drafted_by = Some(attendee(store, e.drafted_by, &mut names, open_names).await?);
                format!("протокол № {} оформлен", e.number)
            }
            Event::ProtocolSigned(e) => {
                signed_by = Some(attendee(store, e.signed_by, &mut names, open_names).await?);
                "протокол подписан".to_string()
            }
            Event::ProtocolCorrected(e) => format!("протокол исправлен: {}", e.reason),
            other => other.event_type().to_string(),
        };
        let actor_name = if open_names {
            name_of(store, &r.actor.id, &mut names).await?
        } else {
            None
        };
        entries.push(MeetingEntry {
            position: r.position,
            what,
            actor: r.actor.id.clone(),
            actor_name,
            role: r.actor.role.clone(),
            effective: r.effective,
            recorded_at: r.recorded_at,
            hash: hex::encode(r.hash),
        });
    }
    let association = state
        .association
        .ok_or_else(|| domain::DomainError::NotFound {
            what: "заседание",
            id: meeting.to_string(),
        })?;
    let mut attendance = Vec::with_capacity(state.attendance.len());
    for person in &state.attendance {
        attendance.push(attendee(store, *person, &mut names, open_names).await?);
    }
    let mut votes = Vec::new();
    let association_stream = StreamId::parse(association.stream())?;
    for r in store.read_stream(&association_stream, 1, 100_000).await? {
        if !seen(r.effective, r.recorded_at)
            || !matches!(r.event_type.as_str(), "HeadElected" | "SecretaryElected")
        {
            continue;
        }
        let Some(fact) = commands::fact_of(&r)? else {
            continue;
        };
        let (role, person, vote) = match &fact.event {
            Event::HeadElected(e) => ("руководителя", e.person, &e.vote),
            Event::SecretaryElected(e) => ("секретаря", e.person, &e.vote),
            _ => continue,
        };
        if vote.meeting != meeting {
            continue;
        }
        let elected = attendee(store, person, &mut names, open_names).await?;
        votes.push(VoteHeld {
            question: format!("избрание {role}: {}", elected.label()),
            votes_for: vote.votes_for,
            against: vote.against,
            abstained: vote.abstained,
            position: r.position,
            hash: hex::encode(r.hash),
        });
    }
    let (chain_verifies, verification) = verification_in_russian(verification);
    Ok(MeetingRecord {
        meeting,
        association,
        date: state.date,
        status: state.status.in_russian().to_string(),
        agenda,
        attendance,
        questions: state
            .questions
            .iter()
            .map(|q| (q.question.clone(), q.decision.clone()))
            .collect(),
        recommendations,
        votes,
        protocol_number: state.protocol_number.clone(),
        protocol_hash: state.protocol_hash.as_ref().map(ToString::to_string),
        drafted_by,
        signed_by,
        corrections: state.corrections.iter().map(ToString::to_string).collect(),
        entries,
        chain_verifies,
        verification,
    })
}

/// `person` with their name from the vault when `open_names`.
async fn attendee(
    store: &dyn MetodStore,
    person: PersonId,
    names: &mut Names,
    open_names: bool,
) -> Result<Attendee, WorkflowError> {
    let name = if open_names {
        name_of(store, &format!("person:{person}"), names).await?
    } else {
        None
    };
    Ok(Attendee { person, name })
}

impl MeetingRecord {
    /// The persons whose names this record opened: for the journal of openings.
    pub fn opened_persons(&self) -> Vec<PersonId> {
        let mut opened: Vec<PersonId> = self
            .attendance
            .iter()
            .chain(&self.drafted_by)
            .chain(&self.signed_by)
            .filter(|a| a.name.is_some())
            .map(|a| a.person)
            .chain(
                self.entries
                    .iter()
                    .filter(|e| e.actor_name.is_some())
                    .filter_map(|e| e.actor.strip_prefix("person:"))
                    .filter_map(|id| PersonId::parse(id).ok()),
            )
            .collect();
        opened.sort();
        opened.dedup();
        opened
    }
}
