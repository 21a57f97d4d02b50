//! Who must act on a waiting document: the step's role and the persons holding it on the
//! date. The late documents answer and the inbox both ask it.

use domain::approval::{returned_version_role, AUTHOR_SIDE_ROLE};
use domain::ids::{AssociationId, PersonId};
use domain::profile::StepRole;
use domain::values::{AssociationRole, BodyKind};

use crate::facts::{DocumentFact, DocumentPhase};
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
pub(crate) fn document_holder(
    snapshot: &Snapshot,
    document: &DocumentFact,
) -> (String, Vec<PersonId>) {
    let association_holder = |association: AssociationId, role: AssociationRole| {
        role_holders(snapshot, association, role)
    };
    match document.current_step() {
        Some((_, assigned)) => {
            let step = &assigned.step;
            let scope = assigned.association.unwrap_or(document.association);
            let persons = match step.role {
                StepRole::AssociationHead | StepRole::CityHead => {
                    association_holder(scope, AssociationRole::Head)
                }
                StepRole::Curator => association_holder(scope, AssociationRole::Curator),
                StepRole::Department | StepRole::MethodicalCenter | StepRole::Council => {
                    let kind = match step.role {
                        StepRole::Department => BodyKind::Department,
                        StepRole::MethodicalCenter => BodyKind::MethodicalCenter,
                        _ => step.council.unwrap_or(BodyKind::CoordinationCouncil),
                    };
                    snapshot
                        .officials
                        .iter()
                        .filter(|o| o.body_kind == kind)
                        .filter(|o| step.offices.is_empty() || step.offices.contains(&o.office))
                        .map(|o| o.person)
                        .collect()
                }
            };
            (step.in_russian(), persons)
        }
        None => match (document.phase, document.author) {
            // A return goes back to the author of the returned version (DOMAIN.md §3).
            (DocumentPhase::Returned { .. }, Some(author)) => {
                (returned_version_role(document.version), vec![author])
            }
            _ => (
                AUTHOR_SIDE_ROLE.into(),
                association_holder(document.association, AssociationRole::Head),
            ),
        },
    }
}
