//! A person's standing on a date — the offices they hold in bodies, their roles in
//! associations and the associations they belong to — and what it lets them see: the
//! server scopes every answer by it (issue 19: a teacher sees their associations, a head
//! or secretary their association, a city head the district associations of their subject,
//! a curator those curated, the department and the methodical center the whole
//! municipality).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use domain::events::Member;
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::values::AssociationRole;
use projections::facts::{kind, FactBody};
use projections::membership_key;
use projections::snapshot::{body_of, Needs, Snapshot};
use store::TimePoint;

use crate::app::App;
use crate::error::AppError;
use crate::standings::{Standing, STANDINGS_KEPT};

/// The events that change a standing: offices, roles, memberships, associations and links.
const STANDING_EVENTS: &[&str] = &[
    "OfficialAssigned",
    "OfficialRelieved",
    "HeadAppointed",
    "HeadElected",
    "CuratorAppointed",
    "SecretaryElected",
    "DeputyDesignated",
    "MemberAdmitted",
    "MemberLeft",
    "AssociationCreated",
    "AssociationReorganized",
    "AssociationLiquidated",
    "DistrictAssociationLinked",
];

impl App {
    /// `person`'s standing on `on`, as known now; computed once per log size.
    pub async fn standing(&self, person: PersonId, on: NaiveDate) -> Result<Standing, AppError> {
        let store = self.store().await?;
        let size = store.last_position().await?;
        let kept_since = {
            let kept = self.standings().lock().unwrap_or_else(|e| e.into_inner());
            kept.at_size
        };
        // Only events that change offices, roles, memberships or associations end the kept
        // standings; an approval or a meeting leaves them as they were.
        let changed = if size > kept_since {
            let appended = store
                .read_contents(kept_since + 1, (size - kept_since) as usize)
                .await?;
            appended
                .iter()
                .any(|e| STANDING_EVENTS.contains(&e.event_type.as_str()))
        } else {
            size < kept_since
        };
        {
            let mut kept = self.standings().lock().unwrap_or_else(|e| e.into_inner());
            if kept.at_size == kept_since {
                if changed || kept.by.len() >= STANDINGS_KEPT {
                    kept.by.clear();
                }
                kept.at_size = size;
            }
            if kept.at_size == size {
                if let Some(standing) = kept.by.get(&(person, on)) {
                    return Ok(standing.clone());
                }
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
        // the read models must include every event the kept standings were checked against
        self.catch_up(store.as_ref()).await?;
        let at = TimePoint {
            as_of: on,
            known_at: None,
        };
        // The person's rows only: offices and roles are kept under the person's id, and a
        // membership under its association and member (`membership_key`) — one key per
        // association — not every membership of the municipality.
        let mut snapshot = Snapshot::load(store.as_ref(), at, Needs::default()).await?;
        let whose = [person.to_string()];
        snapshot
            .load_in_scopes(store.as_ref(), &[kind::OFFICIAL, kind::ROLE], &whose)
            .await?;
        let keys: Vec<String> = snapshot
            .associations
            .keys()
            .map(|association| membership_key(*association, Member::Person(person)))
            .collect();
        snapshot
            .load_keys(store.as_ref(), kind::MEMBERSHIP, &keys)
            .await?;
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
        // This one document's row, not every document of the municipality.
        let rows = store
            .facts_for_keys(kind::DOCUMENT, &[document.to_string()], at)
            .await?;
        for row in &rows {
            if let FactBody::Document(fact) = body_of(row)? {
                return Ok(Some(fact.association));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::STANDING_EVENTS;

    /// A misspelt name would leave kept standings in place after the event it names.
    #[test]
    fn every_event_that_ends_kept_standings_is_an_event_of_the_domain() {
        for name in STANDING_EVENTS {
            assert!(domain::Event::is_domain_type(name), "{name}");
        }
        assert!(!domain::Event::is_domain_type("HeadAppointedd"));
    }
}
