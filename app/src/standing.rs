//! A person's standing on a date — the offices they hold in bodies, their roles in
//! associations and the associations they belong to — and what it lets them see: the
//! server scopes every answer by it (issue 19: a teacher sees their associations, a head
//! or secretary their association, a city head the district associations of their subject,
//! a curator those curated, the department and the methodical center the whole
//! municipality).

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::values::{AssociationRole, BodyKind};
use projections::snapshot::{Needs, Snapshot};
use store::TimePoint;

use crate::app::App;
use crate::error::AppError;

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
    at_size: u64,
    by: HashMap<(PersonId, NaiveDate), Standing>,
}

/// The most standings kept.
const STANDINGS_KEPT: usize = 10_000;

impl App {
    /// `person`'s standing on `on`, as known now; computed once per log size.
    pub async fn standing(&self, person: PersonId, on: NaiveDate) -> Result<Standing, AppError> {
        let size = self.store().await?.last_position().await?;
        {
            let mut kept = self.standings().lock().unwrap_or_else(|e| e.into_inner());
            if kept.at_size != size || kept.by.len() >= STANDINGS_KEPT {
                kept.at_size = size;
                kept.by.clear();
            }
            if let Some(standing) = kept.by.get(&(person, on)) {
                return Ok(standing.clone());
            }
        }
        let standing = self.standing_now(person, on).await?;
        let mut kept = self.standings().lock().unwrap_or_else(|e| e.into_inner());
        if kept.at_size == size {
            kept.by.insert((person, on), standing.clone());
        }
        Ok(standing)
    }

    async fn standing_now(&self, person: PersonId, on: NaiveDate) -> Result<Standing, AppError> {
        let store = self.store().await?;
        let at = TimePoint {
            as_of: on,
            known_at: None,
        };
        let needs = Needs {
            registry: true,
            roles: true,
            memberships: true,
            ..Needs::default()
        };
        let snapshot = Snapshot::load(store.as_ref(), at, needs).await?;
        let offices = snapshot
            .officials
            .iter()
            .filter(|o| o.person == person)
            .map(|o| o.body_kind)
            .collect();
        let roles: BTreeSet<(AssociationId, AssociationRole)> = snapshot
            .roles
            .values()
            .filter(|r| r.person == person)
            .map(|r| (r.association, r.role))
            .collect();
        let memberships: BTreeSet<AssociationId> = snapshot
            .members
            .iter()
            .filter(|(_, members)| members.contains(&person))
            .map(|(association, _)| *association)
            .collect();
        let led: BTreeSet<AssociationId> = roles.iter().map(|(a, _)| *a).collect();
        let linked = snapshot.associations.values().filter(|a| {
            a.city_association
                .as_ref()
                .is_some_and(|city| led.contains(city))
        });
        let visible = led
            .iter()
            .chain(memberships.iter())
            .copied()
            .chain(linked.map(|a| a.association))
            .collect();
        Ok(Standing {
            person,
            on,
            offices,
            roles,
            memberships,
            visible,
        })
    }

    /// The association a document belongs to, if the document is known.
    pub async fn association_of_document(
        &self,
        document: DocumentId,
    ) -> Result<Option<AssociationId>, AppError> {
        let store = self.store().await?;
        let at = TimePoint {
            as_of: self.today()?,
            known_at: None,
        };
        let needs = Needs {
            documents: true,
            ..Needs::default()
        };
        let snapshot = Snapshot::load(store.as_ref(), at, needs).await?;
        Ok(snapshot
            .documents
            .iter()
            .find(|d| d.document == document)
            .map(|d| d.association))
    }
}
