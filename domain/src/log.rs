//! The one way the log becomes states: a stored event is decoded into a [`Fact`] here (or
//! passed over, when it is not the domain's — the vault's erasures, the workflow's refusals),
//! and facts fold into the states of their aggregates here. The command handler, the workflow
//! and the read models all read the log through these functions; the store's envelope is
//! adapted to them in one place (`commands::fact_of`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::aggregate::Aggregate;
use crate::error::DomainError;
use crate::events::{Event, Fact};
use crate::ids::Ref;
use crate::state::{
    ApplicationState, AssociationState, DocumentState, MeetingState, MunicipalityState, OrderState,
    PersonState,
};
use crate::world::World;

impl Event {
    /// Whether `event_type` is one of the domain's events.
    pub fn is_domain_type(event_type: &str) -> bool {
        Event::TYPES.contains(&event_type)
    }

    /// Decodes a stored event, or `None` for an event that is not the domain's: no aggregate
    /// folds it and no read model applies it.
    pub fn decode_known(
        event_type: &str,
        schema: u32,
        payload: &str,
    ) -> Result<Option<Event>, DomainError> {
        if !Event::is_domain_type(event_type) {
            return Ok(None);
        }
        Event::decode(event_type, schema, payload).map(Some)
    }
}

impl Fact {
    /// A stored event as a fact of the domain (see [`Event::decode_known`]).
    pub fn decode_known(
        event_type: &str,
        schema: u32,
        payload: &str,
        effective: NaiveDate,
    ) -> Result<Option<Fact>, DomainError> {
        Ok(
            Event::decode_known(event_type, schema, payload)?
                .map(|event| Fact { event, effective }),
        )
    }
}

impl World {
    /// Folds `fact` into the state of the aggregate whose stream it belongs to.
    pub fn fold(&mut self, fact: &Fact) {
        fn into<K: Ord, S: Aggregate>(states: &mut BTreeMap<K, S>, id: K, fact: &Fact) {
            states.entry(id).or_default().evolve(fact);
        }
        match fact.event.home() {
            Ref::Municipality(id) => into(&mut self.municipalities, id, fact),
            Ref::Person(id) => into(&mut self.persons, id, fact),
            Ref::Order(id) => into(&mut self.orders, id, fact),
            Ref::Association(id) => into(&mut self.associations, id, fact),
            Ref::Application(id) => into(&mut self.applications, id, fact),
            Ref::Document(id) => into(&mut self.documents, id, fact),
            Ref::Meeting(id) => into(&mut self.meetings, id, fact),
        }
    }
}

/// The state of one aggregate, whatever its kind: what a command handler keeps per stream.
#[derive(Debug, Clone)]
pub enum AnyState {
    Municipality(MunicipalityState),
    Person(PersonState),
    Order(OrderState),
    Association(AssociationState),
    Application(ApplicationState),
    Document(DocumentState),
    Meeting(MeetingState),
}

impl AnyState {
    /// The state of `reference` before its first event.
    pub fn empty(reference: Ref) -> Self {
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

    pub fn evolve(&mut self, fact: &Fact) {
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
    pub fn insert_into(self, world: &mut World, reference: Ref) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::MunicipalityId;

    fn registered(municipality: MunicipalityId) -> String {
        serde_json::json!({"municipality": municipality, "title": "Город N", "profile": "izhevsk"})
            .to_string()
    }

    #[test]
    fn events_that_are_not_the_domains_are_passed_over_and_the_domains_are_decoded() {
        let day = NaiveDate::from_ymd_opt(2024, 9, 1).expect("a date");
        for other in [
            "PersonalDataErased",
            "DestructionActIssued",
            "ReactionRefused",
            "AccountOpened",
            "AccountDisabled",
            "AccountEnabled",
            "AccountPasswordReset",
        ] {
            assert_eq!(Fact::decode_known(other, 1, "{}", day), Ok(None), "{other}");
        }
        let municipality = MunicipalityId::derived("log", "n");
        let fact = Fact::decode_known("MunicipalityRegistered", 1, &registered(municipality), day)
            .expect("decodes")
            .expect("a domain event");
        assert_eq!(fact.effective, day);
        assert!(matches!(fact.event, Event::MunicipalityRegistered(_)));
        let malformed = Fact::decode_known("MunicipalityRegistered", 1, "{\"title\": 1}", day);
        assert!(matches!(malformed, Err(DomainError::MalformedEvent { .. })));
    }

    #[test]
    fn a_fact_folds_into_the_state_of_its_own_aggregate() {
        let day = NaiveDate::from_ymd_opt(2024, 9, 1).expect("a date");
        let municipality = MunicipalityId::derived("log", "n");
        let fact = Fact::decode_known("MunicipalityRegistered", 1, &registered(municipality), day)
            .expect("decodes")
            .expect("a domain event");
        let mut world = World::default();
        world.fold(&fact);
        assert!(world.municipalities[&municipality].exists());
        assert!(world.persons.is_empty() && world.associations.is_empty());

        let mut state = AnyState::empty(Ref::Municipality(municipality));
        state.evolve(&fact);
        let mut from_state = World::default();
        state.insert_into(&mut from_state, Ref::Municipality(municipality));
        assert_eq!(
            from_state.municipalities[&municipality].profile,
            world.municipalities[&municipality].profile
        );
    }
}
