//! Membership that follows from the registry (001 §1.3: the ММО «объединяет на территории
//! города Кузнецка всех педагогов … преподающих один предмет»): where the profile says so, a
//! person is a member of an association of their subject from the day they work at an
//! educational organization of its municipality with that subject in their registry record,
//! until the day either stops holding — no admission, no removal. The decisions and the read
//! models ask the same question through [`teaches_there`].

use chrono::NaiveDate;

use crate::associations::state::AssociationState;
use crate::registry::state::{MunicipalityState, PersonState};
use crate::values::{OrganizationKind, Subject};

/// Whether a person with `subjects`, working at an organization of `kind` of the
/// association's municipality, is among the teachers of an association of `subject`: the
/// subject is theirs and the organization educates (a school, a kindergarten, an
/// organization of additional education — the seed's «дошкольного», «дополнительного»,
/// «начального», «основного общего и среднего общего образования»), not a municipal
/// institution such as the methodical center.
pub fn teaches_there(subject: &Subject, subjects: &[Subject], kind: OrganizationKind) -> bool {
    subjects.contains(subject) && kind != OrganizationKind::MunicipalInstitution
}

/// Whether `person` is a member of `association` on `on` by the registry: the association
/// exists on that day, and the person works at an educational organization of its
/// municipality, with its subject among theirs.
pub fn member_on(
    association: &AssociationState,
    municipality: &MunicipalityState,
    person: &PersonState,
    on: NaiveDate,
) -> bool {
    let alive = association.created_on.is_some_and(|d| d <= on)
        && association.liquidated_on.is_none_or(|d| d > on);
    let same_municipality =
        association.municipality.is_some() && person.municipality == association.municipality;
    let Some(subject) = association.subject.as_ref() else {
        return false;
    };
    alive
        && same_municipality
        && person
            .position_on(on)
            .and_then(|(organization, _)| municipality.organizations.get(&organization))
            .is_some_and(|o| teaches_there(subject, &person.subjects, o.kind))
}
