//! Aggregate states kept between commands: a state folded up to a stream version only needs
//! the events after that version the next time, instead of the whole stream. The log is
//! append-only, so a cached state is never wrong, only behind; it is always brought up to the
//! stream's end before a decision. Bounded: past `limit` states it starts afresh.

use std::collections::HashMap;

use domain::events::Fact;
use domain::state::{
    ApplicationState, AssociationState, DocumentState, MeetingState, MunicipalityState, OrderState,
    PersonState,
};
use domain::{Aggregate, Ref, World};

/// The state of one aggregate, whatever its kind.
#[derive(Debug, Clone)]
pub(crate) enum AnyState {
    Municipality(MunicipalityState),
    Person(PersonState),
    Order(OrderState),
    Association(AssociationState),
    Application(ApplicationState),
    Document(DocumentState),
    Meeting(MeetingState),
}

impl AnyState {
    pub(crate) fn empty(reference: Ref) -> Self {
        match reference {
            Ref::Municipality(_) => AnyState::Municipality(MunicipalityState::default()),
            Ref::Person(_) => AnyState::Person(PersonState::default()),
            Ref::Order(_) => AnyState::Order(OrderState::default()),
            Ref::Association(_) => AnyState::Association(AssociationState::default()),
            Ref::Application(_) => AnyState::Application(ApplicationState::default()),
            Ref::Document(_) => AnyState::Document(DocumentState::default()),
            Ref::Meeting(_) => AnyState::Meeting(MeetingState::default()),
        }
    }

    pub(crate) fn evolve(&mut self, fact: &Fact) {
        match self {
            AnyState::Municipality(s) => s.evolve(fact),
            AnyState::Person(s) => s.evolve(fact),
            AnyState::Order(s) => s.evolve(fact),
            AnyState::Association(s) => s.evolve(fact),
            AnyState::Application(s) => s.evolve(fact),
            AnyState::Document(s) => s.evolve(fact),
            AnyState::Meeting(s) => s.evolve(fact),
        }
    }

    /// Puts the state into the world under the id of `reference`.
    pub(crate) fn insert_into(self, world: &mut World, reference: Ref) {
        match (reference, self) {
            (Ref::Municipality(id), AnyState::Municipality(s)) => {
                world.municipalities.insert(id, s);
            }
            (Ref::Person(id), AnyState::Person(s)) => {
                world.persons.insert(id, s);
            }
            (Ref::Order(id), AnyState::Order(s)) => {
                world.orders.insert(id, s);
            }
            (Ref::Association(id), AnyState::Association(s)) => {
                world.associations.insert(id, s);
            }
            (Ref::Application(id), AnyState::Application(s)) => {
                world.applications.insert(id, s);
            }
            (Ref::Document(id), AnyState::Document(s)) => {
                world.documents.insert(id, s);
            }
            (Ref::Meeting(id), AnyState::Meeting(s)) => {
                world.meetings.insert(id, s);
            }
            // A state is always made for its own reference (`empty`).
            _ => {}
        }
    }
}

/// States by aggregate, each with the stream version it is folded up to.
#[derive(Debug)]
pub(crate) struct StateCache {
    entries: HashMap<Ref, (u64, AnyState)>,
    limit: usize,
}

impl StateCache {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            entries: HashMap::new(),
            limit: limit.max(1),
        }
    }

    pub(crate) fn get(&self, reference: &Ref) -> Option<(u64, AnyState)> {
        self.entries.get(reference).cloned()
    }

    pub(crate) fn put(&mut self, reference: Ref, version: u64, state: AnyState) {
        if self.entries.len() >= self.limit && !self.entries.contains_key(&reference) {
            self.entries.clear();
        }
        let newer = self
            .entries
            .get(&reference)
            .is_none_or(|(cached, _)| *cached < version);
        if newer {
            self.entries.insert(reference, (version, state));
        }
    }
}
