//! Who must act on a waiting document: the step's role and the persons holding it on the
//! date. The late documents answer and the inbox both ask it.

use domain::approval::{returned_version_role, AUTHOR_SIDE_ROLE};
use domain::ids::{AssociationId, PersonId};
use domain::values::AssociationRole;

use crate::facts::{DocumentFact, DocumentPhase, WaitsOn};
use crate::snapshot::Snapshot;

/// The holder of a role of an association on the snapshot's date, with the deputies
/// designated for it by order.
pub(super) fn role_holders(
    snapshot: &Snapshot,
    association: AssociationId,
    role: AssociationRole,
) -> Vec<PersonId> {
    let mut persons: Vec<PersonId> = snapshot.holder(association, role).into_iter().collect();
    persons.extend(
        snapshot
            .deputies
            .iter()
            .filter(|d| d.association == association && d.role == role)
            .map(|d| d.deputy),
    );
    persons
}

/// Who must act on a waiting document on the date: the step's role and its holders.
pub fn document_holder(snapshot: &Snapshot, document: &DocumentFact) -> (String, Vec<PersonId>) {
    let persons = match document.waits_on() {
        WaitsOn::Role(association, role) => role_holders(snapshot, association, role),
        WaitsOn::Body(kind) => {
            let offices = document
                .current_step()
                .map(|(_, assigned)| assigned.step.offices.as_slice())
                .unwrap_or_default();
            snapshot
                .officials
                .iter()
                .filter(|o| o.body_kind == kind)
                .filter(|o| offices.is_empty() || offices.contains(&o.office))
                .map(|o| o.person)
                .collect()
        }
        WaitsOn::Person(author) => vec![author],
    };
    let role = match (document.current_step(), document.phase) {
        (Some((_, assigned)), _) => assigned.step.in_russian(),
        // A return goes back to the author of the returned version (DOMAIN.md §3).
        (None, DocumentPhase::Returned { .. }) if document.author.is_some() => {
            returned_version_role(document.version)
        }
        _ => AUTHOR_SIDE_ROLE.into(),
    };
    (role, persons)
}

/// Who holds the current step of a document on its way: the role and the persons, named
/// when asked.
#[derive(Debug, Clone, PartialEq)]
pub struct StepHolder {
    pub role: String,
    /// (person, name — None when not opened or erased)
    pub persons: Vec<(PersonId, Option<String>)>,
}

/// The holder of `document`'s current step at `at`; None once it is finished (or before it
/// exists). Names opened through the vault when `open_names`.
pub async fn current_holder(
    store: &dyn store::MetodStore,
    at: store::TimePoint,
    document: domain::ids::DocumentId,
    open_names: bool,
) -> Result<Option<StepHolder>, crate::error::ProjectionError> {
    use crate::facts::kind;
    // The document's open copy, then only what its step needs: the role's row of its
    // association, or the officials — not the municipality's registry and every role.
    let mut snapshot = Snapshot::empty(at);
    snapshot
        .load_keys(store, kind::OPEN_DOCUMENT, &[document.to_string()])
        .await?;
    let Some(open) = snapshot
        .open_documents
        .iter()
        .find(|d| d.document == document)
        .cloned()
    else {
        return Ok(None);
    };
    match open.waits_on() {
        WaitsOn::Role(association, role) => {
            let key = crate::projector::role_fact_key(association, role);
            snapshot.load_keys(store, kind::ROLE, &[key]).await?;
            // deputies are kept under the deputy's id; there are few
            snapshot.load_every(store, kind::DEPUTY).await?;
        }
        // officials are few: a body's handful in each municipality
        WaitsOn::Body(_) => snapshot.load_every(store, kind::OFFICIAL).await?,
        WaitsOn::Person(_) => {}
    }
    let (role, persons) = document_holder(&snapshot, &open);
    let names = if open_names {
        snapshot.load_persons(store, &persons).await?;
        Some(super::Names::load(store, &snapshot, persons.clone()).await?)
    } else {
        None
    };
    Ok(Some(StepHolder {
        role,
        persons: persons
            .into_iter()
            .map(|p| (p, names.as_ref().and_then(|n| n.name_of(p))))
            .collect(),
    }))
}
