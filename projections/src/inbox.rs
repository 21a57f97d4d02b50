//! A person's inbox from the read models: the documents on their way on a date (as known at
//! a moment) whose step, rework or submission waits for this person — the step's holder
//! comes from the role and official facts of that date, so a head replaced mid-step hands
//! the step to the new head.

use std::collections::BTreeSet;

use domain::approval::{document_deadline, review_due};
use domain::ids::PersonId;
use domain::inbox::{due_source, sort_inbox, DueFrom, InboxItem, InboxReason};
use domain::RegulationProfile;
use store::{MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::facts::{kind, DocumentFact, DocumentPhase, WaitsOn};
use crate::snapshot::Snapshot;

/// What waits for `person` at `at`, overdue first, then by due date. Deadlines not yet fixed
/// by a first submission come from `profile`, as the timers compute them.
pub async fn inbox(
    store: &dyn MetodStore,
    at: TimePoint,
    profile: &RegulationProfile,
    person: PersonId,
) -> Result<Vec<InboxItem>, ProjectionError> {
    // Only this person's roles, deputyships and offices (kept under their id), the documents
    // waiting on them, and those documents' associations are read: an inbox costs what it
    // holds, not the size of the municipality.
    let mut snapshot = Snapshot::empty(at);
    snapshot
        .load_in_scopes(
            store,
            &[kind::ROLE, kind::DEPUTY, kind::OFFICIAL],
            &[person.to_string()],
        )
        .await?;
    let scopes: Vec<String> = waited_on_as(&snapshot, person)
        .into_iter()
        .map(WaitsOn::scope)
        .collect();
    snapshot
        .load_in_scopes(store, &[kind::OPEN_DOCUMENT], &scopes)
        .await?;
    let associations: Vec<String> = snapshot
        .open_documents
        .iter()
        .map(|d| d.association.to_string())
        .collect();
    snapshot
        .load_keys(store, kind::ASSOCIATION, &associations)
        .await?;
    let today = at.as_of;
    let mut items = Vec::new();
    for document in &snapshot.open_documents {
        let Some(association) = snapshot.associations.get(&document.association) else {
            continue;
        };
        let (reason, due, from) = match document.phase {
            DocumentPhase::InReview { step } => {
                let Some((_, assigned)) = document.current_step() else {
                    continue;
                };
                let step_due = review_due(&assigned.step, document.since, document.review_days);
                let due = [step_due, document.due].into_iter().flatten().min();
                let reason = InboxReason::Decide {
                    step,
                    role: assigned.step.in_russian(),
                    at_meeting: assigned.step.at_meeting.and(assigned.association),
                };
                let from = DueFrom::of_step(due, document.due, document.review_days);
                (reason, due, from)
            }
            DocumentPhase::Returned { step } => (
                InboxReason::Rework { step },
                document.due.or(document.submit_by),
                DueFrom::Document,
            ),
            DocumentPhase::Draft => (
                InboxReason::Submit,
                profile_deadline(profile, document, association.level),
                DueFrom::Document,
            ),
            _ => continue,
        };
        if !waits_on_them(&snapshot, person, document) {
            continue;
        }
        items.push(InboxItem {
            document: document.document,
            title: document.title.clone(),
            document_type: document.document_type,
            association: document.association,
            association_title: association.title.clone(),
            reason,
            since: Some(document.since),
            due,
            overdue_days: InboxItem::overdue(due, today),
            due_source: due.and_then(|_| {
                due_source(
                    Some(profile),
                    document.document_type,
                    association.level,
                    from,
                )
            }),
        });
    }
    sort_inbox(&mut items);
    Ok(items)
}

/// Whether `document` waits on `person`, from their own facts alone: a role they hold or act
/// in as deputy, an office of the step's body among the step's offices (any, if the step names
/// none), or themselves — whom `queries::document_holder` would name among the holders.
fn waits_on_them(snapshot: &Snapshot, person: PersonId, document: &DocumentFact) -> bool {
    match document.waits_on() {
        WaitsOn::Role(association, role) => {
            snapshot.holder(association, role) == Some(person)
                || snapshot
                    .deputies
                    .iter()
                    .any(|d| d.association == association && d.role == role && d.deputy == person)
        }
        WaitsOn::Body(kind) => {
            let offices = document
                .current_step()
                .map(|(_, assigned)| assigned.step.offices.as_slice())
                .unwrap_or_default();
            snapshot.officials.iter().any(|o| {
                o.person == person
                    && o.body_kind == kind
                    && (offices.is_empty() || offices.contains(&o.office))
            })
        }
        WaitsOn::Person(author) => author == person,
    }
}

/// What a document may wait on that `person` answers for on the snapshot's date: the roles
/// they hold or act in as deputy, the bodies they hold an office in, and themselves.
fn waited_on_as(snapshot: &Snapshot, person: PersonId) -> BTreeSet<WaitsOn> {
    let roles = snapshot
        .roles
        .values()
        .filter(|r| r.person == person)
        .map(|r| WaitsOn::Role(r.association, r.role));
    let deputies = snapshot
        .deputies
        .iter()
        .filter(|d| d.deputy == person)
        .map(|d| WaitsOn::Role(d.association, d.role));
    let offices = snapshot
        .officials
        .iter()
        .filter(|o| o.person == person)
        .map(|o| WaitsOn::Body(o.body_kind));
    roles
        .chain(deputies)
        .chain(offices)
        .chain([WaitsOn::Person(person)])
        .collect()
}

/// Before its first submission a document is due by its profile's day for its type and
/// level: the day to submit by, or else the day to be approved by.
fn profile_deadline(
    profile: &RegulationProfile,
    document: &DocumentFact,
    level: domain::values::Level,
) -> Option<chrono::NaiveDate> {
    let rule = profile.document_rule(document.document_type, level)?;
    rule.submit_by
        .or(rule.due)
        .map(|day| document_deadline(document.document_type, document.school_year, day))
}
