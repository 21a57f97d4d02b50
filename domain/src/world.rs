//! The states a decision reads: the target aggregate and every other aggregate its rules
//! look at (the municipality's registry, the person being appointed, the order cited, the
//! meeting a vote was taken at). The command handler loads them; the domain only reads.

use std::collections::BTreeMap;

use crate::associations::state::AssociationState;
use crate::documents::state::DocumentState;
pub use crate::ids::Ref;
use crate::ids::{
    ApplicationId, AssociationId, DocumentId, MeetingId, MunicipalityId, OrderId, PersonId,
};
use crate::meetings::state::MeetingState;
use crate::membership::state::ApplicationState;
use crate::orders::state::OrderState;
use crate::registry::state::{MunicipalityState, PersonState};

/// Loaded states, by id. A state that does not exist yet is the default (empty) state.
#[derive(Debug, Clone, Default)]
pub struct World {
    /// The municipality the command acts in (its target's, see [`World::settle_home`]):
    /// offices held elsewhere do not count, orders of elsewhere are not a basis.
    pub home: Option<MunicipalityId>,
    pub municipalities: BTreeMap<MunicipalityId, MunicipalityState>,
    pub persons: BTreeMap<PersonId, PersonState>,
    pub orders: BTreeMap<OrderId, OrderState>,
    pub associations: BTreeMap<AssociationId, AssociationState>,
    pub applications: BTreeMap<ApplicationId, ApplicationState>,
    pub documents: BTreeMap<DocumentId, DocumentState>,
    pub meetings: BTreeMap<MeetingId, MeetingState>,
}

impl World {
    pub fn contains(&self, r: &Ref) -> bool {
        match r {
            Ref::Municipality(id) => self.municipalities.contains_key(id),
            Ref::Person(id) => self.persons.contains_key(id),
            Ref::Order(id) => self.orders.contains_key(id),
            Ref::Association(id) => self.associations.contains_key(id),
            Ref::Application(id) => self.applications.contains_key(id),
            Ref::Document(id) => self.documents.contains_key(id),
            Ref::Meeting(id) => self.meetings.contains_key(id),
        }
    }

    /// Whether what `r` names exists in the loaded log (not merely was looked for).
    pub fn exists(&self, r: &Ref) -> bool {
        match *r {
            Ref::Municipality(id) => self.municipalities.get(&id).is_some_and(|m| m.exists()),
            Ref::Person(id) => self.person(id).is_some(),
            Ref::Order(id) => self.order(id).is_some(),
            Ref::Association(id) => self.association(id).is_some(),
            Ref::Application(id) => self.application(id).is_some(),
            Ref::Document(id) => self.document(id).is_some(),
            Ref::Meeting(id) => self.meeting(id).is_some(),
        }
    }

    /// The references the loaded states lead to, which a decision may also need: the
    /// municipality of everything, the association of applications, documents and meetings,
    /// and the city association a district association belongs to.
    pub fn implied_references(&self) -> Vec<Ref> {
        let mut refs = Vec::new();
        let municipalities = self
            .persons
            .values()
            .filter_map(|s| s.municipality)
            .chain(self.orders.values().filter_map(|s| s.municipality))
            .chain(self.associations.values().filter_map(|s| s.municipality));
        refs.extend(municipalities.map(Ref::Municipality));
        let associations = self
            .applications
            .values()
            .filter_map(|s| s.association)
            .chain(self.documents.values().filter_map(|s| s.association))
            .chain(self.meetings.values().filter_map(|s| s.association));
        refs.extend(associations.map(Ref::Association));
        refs.extend(
            self.associations
                .values()
                .filter_map(|a| a.city_association)
                .map(Ref::Association),
        );
        refs.retain(|r| !self.contains(r));
        refs.sort();
        refs.dedup();
        refs
    }

    /// What the store's index must find for `command` beyond the references: for a step
    /// taken at the first meeting of the school year (003 §7.9), every meeting the cited
    /// meeting's association held, so the decision can tell whether an earlier one was held.
    /// Asked after the references are loaded.
    pub fn lookups(&self, command: &crate::Command) -> Vec<Lookup> {
        let crate::Command::ApproveStep(approve) = command else {
            return Vec::new();
        };
        let first_meeting = self
            .document(approve.document)
            .is_some_and(|d| d.chain.iter().any(|s| s.step.first_meeting_of_year));
        approve
            .meeting
            .filter(|_| first_meeting)
            .and_then(|m| self.meeting(m))
            .and_then(|m| m.association)
            .map(Lookup::MeetingsHeldBy)
            .into_iter()
            .collect()
    }

    /// The municipality the command acts in.
    pub fn municipality(&self) -> Option<&MunicipalityState> {
        match self.home {
            Some(home) => self.municipalities.get(&home).filter(|m| m.exists()),
            None => self.municipalities.values().find(|m| m.exists()),
        }
    }

    /// The municipality of an aggregate, as far as the loaded states tell.
    pub fn municipality_of(&self, r: &Ref) -> Option<MunicipalityId> {
        let of_association =
            |a: &AssociationId| self.associations.get(a).and_then(|s| s.municipality);
        match r {
            Ref::Municipality(id) => Some(*id),
            Ref::Person(id) => self.persons.get(id).and_then(|s| s.municipality),
            Ref::Order(id) => self.orders.get(id).and_then(|s| s.municipality),
            Ref::Association(id) => of_association(id),
            Ref::Application(id) => self
                .applications
                .get(id)
                .and_then(|s| s.association.as_ref())
                .and_then(of_association),
            Ref::Document(id) => self
                .documents
                .get(id)
                .and_then(|s| s.association.as_ref())
                .and_then(of_association),
            Ref::Meeting(id) => self
                .meetings
                .get(id)
                .and_then(|s| s.association.as_ref())
                .and_then(of_association),
        }
    }

    /// Fixes the home municipality: the target's, or — for a command that creates its
    /// target — that of the first aggregate the command names.
    pub fn settle_home(&mut self, target: Ref, named: &[Ref]) {
        self.home = std::iter::once(&target)
            .chain(named)
            .find_map(|r| self.municipality_of(r));
    }

    pub fn person(&self, id: PersonId) -> Option<&PersonState> {
        self.persons.get(&id).filter(|s| s.exists())
    }

    pub fn order(&self, id: OrderId) -> Option<&OrderState> {
        self.orders.get(&id).filter(|s| s.exists())
    }

    pub fn association(&self, id: AssociationId) -> Option<&AssociationState> {
        self.associations.get(&id).filter(|s| s.exists())
    }

    pub fn application(&self, id: ApplicationId) -> Option<&ApplicationState> {
        self.applications.get(&id).filter(|s| s.exists())
    }

    pub fn document(&self, id: DocumentId) -> Option<&DocumentState> {
        self.documents.get(&id).filter(|s| s.exists())
    }

    pub fn meeting(&self, id: MeetingId) -> Option<&MeetingState> {
        self.meetings.get(&id).filter(|s| s.exists())
    }
}

/// A set of aggregates found through the store's index rather than through a reference: the
/// streams holding an event of `event_type` whose payload's `field` is `value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The meetings an association held (`MeetingHeld` by `association`).
    MeetingsHeldBy(AssociationId),
}

impl Lookup {
    /// The event type, the payload's field and its value the index is asked for.
    pub fn key(&self) -> (&'static str, &'static str, String) {
        match self {
            Lookup::MeetingsHeldBy(association) => {
                ("MeetingHeld", "association", association.to_string())
            }
        }
    }

    /// The aggregate a stream the index found holds.
    pub fn reference(&self, stream: &str) -> Option<Ref> {
        match self {
            Lookup::MeetingsHeldBy(_) => stream
                .strip_prefix("meeting-")
                .and_then(|id| MeetingId::parse(id).ok())
                .map(Ref::Meeting),
        }
    }
}
