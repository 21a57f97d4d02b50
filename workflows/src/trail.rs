//! `metod trail <document>`: the document's whole history — every version with its content
//! hash, every step with who decided, in which role, when (recorded and effective), the
//! version decided, the comment and the legal basis, every missed deadline with the persons
//! who held the document then, every command of the workflow's about it that the rules
//! refused, the position and hash of each event — and whether the hash chain of the whole log
//! verifies, which is what proves none of it was altered.

use chrono::{DateTime, NaiveDate, Utc};
use domain::events::{AssignedStep, Holder};
use domain::ids::{BodyId, DocumentId, PersonId};
use domain::state::DocumentState;
use domain::{Aggregate, Event};
use serde::Serialize;
use store::{LegalBasis, MetodStore, RecordedEvent, StreamId, Verification};

use crate::error::WorkflowError;
use crate::refusals::{deadline_in_russian, refusals_of, ReactionRefused, RefusalTrigger};

/// One event of the document's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailEntry {
    pub position: u64,
    pub event_type: String,
    /// What happened, in Russian.
    pub what: String,
    /// The version submitted, decided, approved or late (for a step's review period).
    pub document_version: Option<u32>,
    pub step: Option<u32>,
    pub actor: String,
    /// The acting person's name, from the vault («данные удалены» once erased).
    pub actor_name: Option<String>,
    pub role: String,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
    pub comment: Option<String>,
    pub basis: Option<LegalBasis>,
    pub content_hash: Option<String>,
    pub hash: String,
    pub prev_hash: String,
    /// For a missed deadline: who held the document when it passed.
    pub holder: Option<TrailHolder>,
}

/// Who held a document when a deadline passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailHolder {
    /// The role, in Russian.
    pub role: String,
    /// The persons holding it on the day.
    pub persons: Vec<TrailPerson>,
    /// The body that had to act, when it was a body.
    pub body: Option<BodyId>,
}

/// A person named in the trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrailPerson {
    pub person: PersonId,
    /// The name, from the vault («данные удалены» once erased).
    pub name: Option<String>,
}

impl TrailPerson {
    /// The name, or the id where the person is not in the log.
    fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.person.to_string())
    }
}

/// A document's trail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trail {
    pub document: DocumentId,
    pub title: String,
    pub status: String,
    pub chain: Vec<String>,
    pub entries: Vec<TrailEntry>,
    /// Whether the hash chain of the whole log verifies, and its head or first broken
    /// position.
    pub chain_verifies: bool,
    pub verification: String,
}

impl Trail {
    /// The persons whose names this trail opened from the vault: for the journal of
    /// openings of personal data.
    pub fn opened_persons(&self) -> Vec<PersonId> {
        let mut opened: Vec<PersonId> = self
            .entries
            .iter()
            .filter(|e| e.actor_name.is_some())
            .filter_map(|e| e.actor.strip_prefix("person:"))
            .filter_map(|id| PersonId::parse(id).ok())
            .chain(
                self.entries
                    .iter()
                    .filter_map(|e| e.holder.as_ref())
                    .flat_map(|h| h.persons.iter())
                    .filter(|p| p.name.is_some())
                    .map(|p| p.person),
            )
            .collect();
        opened.sort();
        opened.dedup();
        opened
    }

    /// The same trail with every name left sealed — persons by their registry ids only — as
    /// an auditor sees it.
    pub fn sealed(mut self) -> Self {
        for entry in &mut self.entries {
            entry.actor_name = None;
            if let Some(holder) = &mut entry.holder {
                let named: Vec<String> = holder.persons.iter().map(TrailPerson::label).collect();
                for person in &mut holder.persons {
                    person.name = None;
                }
                let ids: Vec<String> = holder.persons.iter().map(TrailPerson::label).collect();
                let (named, ids) = (named.join(", "), ids.join(", "));
                if let Some(what) = entry.what.strip_suffix(&named) {
                    entry.what = format!("{what}{ids}");
                }
            }
        }
        self
    }
}

/// The trail of `document`.
pub async fn trail(store: &dyn MetodStore, document: DocumentId) -> Result<Trail, WorkflowError> {
    trail_at(store, document, None, None).await
}

/// The trail of `document` as it stood on `as_of` (events effective by then) as known at
/// `known_at` (events recorded by then).
pub async fn trail_at(
    store: &dyn MetodStore,
    document: DocumentId,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
) -> Result<Trail, WorkflowError> {
    let verification = store::verify(store).await?;
    trail_verified(store, document, as_of, known_at, verification).await
}

/// As `trail_at`, with the verification of the chain the caller made (a server keeps it
/// from one request to the next and verifies only what was appended since).
pub async fn trail_verified(
    store: &dyn MetodStore,
    document: DocumentId,
    as_of: Option<NaiveDate>,
    known_at: Option<DateTime<Utc>>,
    verification: Verification,
) -> Result<Trail, WorkflowError> {
    let stream = StreamId::parse(document.stream())?;
    let mut recorded = Vec::new();
    loop {
        let page = store
            .read_stream(&stream, recorded.len() as u64 + 1, 1_000)
            .await?;
        let done = page.len() < 1_000;
        recorded.extend(page);
        if done {
            break;
        }
    }
    recorded.retain(|r| {
        as_of.is_none_or(|d| r.effective <= d) && known_at.is_none_or(|t| r.recorded_at <= t)
    });
    if recorded.is_empty() {
        return Err(domain::DomainError::NotFound {
            what: "документ",
            id: document.to_string(),
        }
        .into());
    }
    let mut state = DocumentState::default();
    let mut entries = Vec::new();
    let mut names = std::collections::BTreeMap::new();
    for r in &recorded {
        // A document's stream holds only the domain's events.
        let Some(fact) = commands::fact_of(r)? else {
            continue;
        };
        state.evolve(&fact);
        let (mut what, version, step, comment, content_hash) = describe(&fact.event, &state);
        let holder = match &fact.event {
            Event::DeadlineMissed(e) => {
                let holder = holder_of(store, &e.holder, &mut names).await?;
                if !holder.persons.is_empty() {
                    let persons: Vec<String> =
                        holder.persons.iter().map(TrailPerson::label).collect();
                    what = format!("{what} — {}", persons.join(", "));
                }
                Some(holder)
            }
            _ => None,
        };
        entries.push(TrailEntry {
            position: r.position,
            event_type: r.event_type.clone(),
            what,
            document_version: version,
            step,
            actor: r.actor.id.clone(),
            actor_name: name_of(store, &r.actor.id, &mut names).await?,
            role: r.actor.role.clone(),
            recorded_at: r.recorded_at,
            effective: r.effective,
            comment,
            basis: r.basis.clone(),
            content_hash,
            hash: hex::encode(r.hash),
            prev_hash: hex::encode(r.prev_hash),
            holder,
        });
    }
    // The workflow's refused commands about the document, from its own stream.
    for (r, refusal) in refusals_of(store, document).await? {
        if as_of.is_some_and(|d| r.effective > d) || known_at.is_some_and(|t| r.recorded_at > t) {
            continue;
        }
        let (what, version, step) = describe_refusal(&refusal);
        entries.push(TrailEntry {
            position: r.position,
            event_type: r.event_type.clone(),
            what,
            document_version: version,
            step,
            actor: r.actor.id.clone(),
            actor_name: None,
            role: r.actor.role.clone(),
            recorded_at: r.recorded_at,
            effective: r.effective,
            comment: Some(format!("{}: {}", refusal.code, refusal.message)),
            basis: r.basis.clone(),
            content_hash: None,
            hash: hex::encode(r.hash),
            prev_hash: hex::encode(r.prev_hash),
            holder: None,
        });
    }
    entries.sort_by_key(|e| e.position);
    let (chain_verifies, verification) = verification_in_russian(verification);
    Ok(Trail {
        document,
        title: state.title.clone(),
        status: state.status.in_russian().to_string(),
        chain: state
            .chain
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {}", i + 1, s.step.in_russian()))
            .collect(),
        entries,
        chain_verifies,
        verification,
    })
}

/// What each of a document's own events did, in Russian, as the trail says it: for a
/// history read from somewhere other than the store (an auditor's bundle). Events that are
/// not the domain's (a refusal of the workflow's) are named by their type.
pub fn describe_history(recorded: &[RecordedEvent]) -> Result<Vec<String>, WorkflowError> {
    let mut state = DocumentState::default();
    let mut described = Vec::with_capacity(recorded.len());
    for r in recorded {
        match commands::fact_of(r)? {
            Some(fact) => {
                state.evolve(&fact);
                described.push(describe(&fact.event, &state).0);
            }
            None => described.push(r.event_type.clone()),
        }
    }
    Ok(described)
}

type Described = (
    String,
    Option<u32>,
    Option<u32>,
    Option<String>,
    Option<String>,
);

fn describe(event: &Event, state: &DocumentState) -> Described {
    let step_name = |step: u32| -> String {
        state
            .chain
            .get((step as usize).saturating_sub(1))
            .map(|s: &AssignedStep| s.step.in_russian())
            .unwrap_or_default()
    };
    match event {
        Event::DocumentOpened(e) => (
            format!(
                "документ заведён: {} ({} уч. г.)",
                e.document_type.in_russian(),
                e.school_year
            ),
            None,
            None,
            None,
            None,
        ),
        Event::DocumentVersionSubmitted(e) => (
            format!("подана версия {}", e.version),
            Some(e.version),
            None,
            None,
            Some(e.content_hash.to_string()),
        ),
        Event::ApprovalChainAssigned(e) => (
            format!(
                "назначена цепочка согласования ({}): {}",
                e.clause,
                e.steps
                    .iter()
                    .map(|s| s.step.in_russian())
                    .collect::<Vec<_>>()
                    .join(" → ")
            ),
            None,
            None,
            None,
            None,
        ),
        Event::StepApproved(e) => (
            format!("шаг {} согласован: {}", e.step, step_name(e.step)),
            Some(e.version),
            Some(e.step),
            e.comment.clone(),
            None,
        ),
        Event::DocumentReturned(e) => (
            format!(
                "возвращён на доработку на шаге {}: {}",
                e.step,
                step_name(e.step)
            ),
            Some(e.version),
            Some(e.step),
            Some(e.comment.clone()),
            None,
        ),
        Event::DocumentRejected(e) => (
            format!("отклонён на шаге {}: {}", e.step, step_name(e.step)),
            Some(e.version),
            Some(e.step),
            Some(e.reason.clone()),
            None,
        ),
        Event::DocumentApproved(e) => (
            format!("утверждён (версия {})", e.version),
            Some(e.version),
            None,
            None,
            None,
        ),
        Event::DocumentPublished(e) => (
            format!("размещён на сайте (версия {}): {}", e.version, e.address),
            Some(e.version),
            None,
            None,
            None,
        ),
        Event::DeadlineMissed(e) => (
            format!(
                "пропущен {} ({}; {}); документ был у: {}",
                deadline_in_russian(e.deadline, None, e.step),
                e.due,
                e.source.in_russian(),
                e.holder.role
            ),
            e.version,
            e.step,
            None,
            None,
        ),
        other => (other.event_type().to_string(), None, None, None, None),
    }
}

/// A refusal of the workflow's as a row: what was refused and what called for it.
fn describe_refusal(refusal: &ReactionRefused) -> (String, Option<u32>, Option<u32>) {
    let (version, step) = match &refusal.trigger {
        RefusalTrigger::Deadline { version, step, .. } => (*version, *step),
        RefusalTrigger::Event { .. } => (None, None),
    };
    (
        format!(
            "отклонена правилами команда workflow {}: {}",
            refusal.command,
            refusal.trigger.in_russian()
        ),
        version,
        step,
    )
}

/// A deadline's holder with the names of its persons.
async fn holder_of(
    store: &dyn MetodStore,
    holder: &Holder,
    names: &mut std::collections::BTreeMap<String, Option<String>>,
) -> Result<TrailHolder, WorkflowError> {
    let mut persons = Vec::new();
    for person in &holder.persons {
        let name = name_of(store, &format!("person:{person}"), names).await?;
        persons.push(TrailPerson {
            person: *person,
            name,
        });
    }
    Ok(TrailHolder {
        role: holder.role.clone(),
        persons,
        body: holder.body,
    })
}

/// The name of the person an actor id (`person:<uuid>`) names, read from the vault once.
/// Names opened from the vault, by actor id, so each is opened once per answer.
pub(crate) type Names = std::collections::BTreeMap<String, Option<String>>;

/// Whether the chain verifies, and what a page says of it: the number of events and the
/// head's hash, or the first position that breaks.
pub(crate) fn verification_in_russian(verification: Verification) -> (bool, String) {
    match verification {
        Verification::Intact { events, head } => (
            true,
            format!(
                "цепочка хешей проверена: {events} событий, голова {}",
                hex::encode(head)
            ),
        ),
        Verification::Broken { position, reason } => (
            false,
            format!("цепочка хешей НАРУШЕНА на позиции {position}: {reason}"),
        ),
    }
}

pub(crate) async fn name_of(
    store: &dyn MetodStore,
    actor: &str,
    names: &mut Names,
) -> Result<Option<String>, WorkflowError> {
    if let Some(known) = names.get(actor) {
        return Ok(known.clone());
    }
    let name = match actor
        .strip_prefix("person:")
        .map(domain::ids::PersonId::parse)
    {
        Some(Ok(person)) => {
            let stream = StreamId::parse(person.stream())?;
            let first = store.read_stream(&stream, 1, 1).await?;
            match first.first() {
                Some(registered) => {
                    let payload: serde_json::Value = serde_json::from_str(&registered.payload)
                        .map_err(|e| store::StoreError::CorruptRow {
                            position: registered.position,
                            reason: e.to_string(),
                        })?;
                    let revealed = store.reveal_payload(&payload["full_name"]).await?;
                    revealed.as_str().map(str::to_string)
                }
                None => None,
            }
        }
        _ => None,
    };
    names.insert(actor.to_string(), name.clone());
    Ok(name)
}
