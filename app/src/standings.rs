//! A person's standing on a date as a value — the offices they hold, their roles, the
//! associations they belong to and may see — and the standings a process keeps until the log
//! grows. Computed by `App::standing` (`standing.rs`).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use domain::ids::{AssociationId, PersonId};
use domain::values::{AssociationRole, BodyKind};

/// What a person holds on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub person: PersonId,
    pub on: NaiveDate,
    /// The kinds of body they hold an office in.
    pub offices: BTreeSet<BodyKind>,
    /// Their roles: association and role.
    pub roles: BTreeSet<(AssociationId, AssociationRole)>,
    /// The associations they are a member of.
    pub memberships: BTreeSet<AssociationId>,
    /// The associations they may see: those above, and the district associations linked to
    /// a city association in which they hold a role.
    pub visible: BTreeSet<AssociationId>,
}

impl Standing {
    /// Whether they answer for the whole municipality: an office in the education
    /// department or the methodical center (the oversight questions are theirs).
    pub fn oversees_municipality(&self) -> bool {
        self.offices.contains(&BodyKind::Department)
            || self.offices.contains(&BodyKind::MethodicalCenter)
    }

    /// Whether they may see what concerns `association`.
    pub fn sees_association(&self, association: &AssociationId) -> bool {
        self.oversees_municipality() || self.visible.contains(association)
    }
}

/// Standings computed at one size of the log: any event may change them, so they hold
/// until the log grows. Bounded: cleared when it holds too many.
#[derive(Default)]
pub(crate) struct Standings {
    pub(crate) at_size: u64,
    pub(crate) by: HashMap<(PersonId, NaiveDate), Standing>,
}

/// The most standings kept.
pub(crate) const STANDINGS_KEPT: usize = 10_000;
