//! A small given/when/then harness for the rules of the regulations.
//!
//! *Given* is a list of facts (events with their effective dates). [`given`] folds them into
//! a [`World`] with `Aggregate::evolve`, each event into the aggregate it belongs to; [`Town`]
//! (in `town.rs`) is a builder that writes such facts for a typical municipality (the department with its
//! officials, councils, the methodical center, two districts with their departments, schools,
//! teachers with categories and years in the specialty, associations with members, heads and
//! meetings) under one regulation profile. The values both this harness and the scenarios on real
//! stores write (dates, years, hashes, votes) are in `values.rs`, shared with the `tests` crate.
//!
//! *When* is a command, who acts, on which effective date, and the personal fields the vault
//! sealed ([`When`]). *Then* is either the events the decision appends or the rule it breaks
//! ([`Then`]); [`check`] runs `decide` and compares.

#![allow(dead_code)]

mod town;
mod values;

pub use town::{Spec, Town};
pub use values::*;

use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use domain::calendar::SchoolYear;
use domain::ids::{ApplicationId, AssociationId, DocumentId, MeetingId, OrderId, PersonId};
use domain::values::{Category, CategoryLevel, Sealed};
use domain::{
    decide, Acting, Aggregate, Command, Context, Decision, DomainError, Event, Fact, Ref,
    RegulationProfile, SealedPersonalFields, World,
};
/// The namespace every test id is derived in.
pub const NS: &str = "test";

/// The registry (municipality, bodies, organizations, persons) exists from this day.
pub fn registry_day() -> NaiveDate {
    date(2020, 1, 10)
}

/// The order creating the associations is dated this day…
pub fn creation_order_day() -> NaiveDate {
    date(2024, 8, 30)
}

/// …and they exist from this one.
pub fn created_day() -> NaiveDate {
    date(2024, 9, 1)
}

/// Members join on this day.
pub fn joined_day() -> NaiveDate {
    date(2024, 9, 2)
}

/// The first meeting of the school year.
pub fn meeting_day() -> NaiveDate {
    date(2024, 9, 10)
}

pub fn year_2024() -> SchoolYear {
    year("2024/25")
}

pub fn category(level: CategoryLevel, granted: NaiveDate) -> Category {
    Category::granted(level, granted).expect("a valid category")
}

/// A personal field as the vault seals it: `{"sealed": {"person", "field", "nonce",
/// "ciphertext"}}`. The ciphertext is fake; the domain only checks the shape.
pub fn sealed(person: PersonId, field: &str) -> Sealed {
    Sealed(json!({
        "sealed": {
            "person": person.to_string(),
            "field": field,
            "nonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "ciphertext": format!("c2VhbGVkOnt{field}"),
        }
    }))
}

/// The three personal fields of `RegisterPerson`, sealed.
pub fn sealed_fields(person: PersonId) -> SealedPersonalFields {
    SealedPersonalFields {
        full_name: Some(sealed(person, "full_name")),
        birth_date: Some(sealed(person, "birth_date")),
        position_title: Some(sealed(person, "position_title")),
    }
}

/// Loads `profiles/<name>.toml` the way the application does.
pub fn profile(name: &str) -> RegulationProfile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../profiles")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    RegulationProfile::from_toml(&path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn person_id(name: &str) -> PersonId {
    PersonId::derived(NS, name)
}

pub fn order_id(name: &str) -> OrderId {
    OrderId::derived(NS, name)
}

pub fn association_id(name: &str) -> AssociationId {
    AssociationId::derived(NS, name)
}

pub fn meeting_id(name: &str) -> MeetingId {
    MeetingId::derived(NS, name)
}

pub fn application_id(name: &str) -> ApplicationId {
    ApplicationId::derived(NS, name)
}

pub fn document_id(name: &str) -> DocumentId {
    DocumentId::derived(NS, name)
}

// ---- given ------------------------------------------------------------------------------

/// The aggregate (and so the stream) an event belongs to.
pub fn stream_of(event: &Event) -> Ref {
    event.home()
}

/// Folds facts, in order, into the states of the aggregates they belong to.
pub fn given(facts: &[(Event, NaiveDate)]) -> World {
    let mut world = World::default();
    for (event, effective) in facts {
        let fact = Fact {
            event: event.clone(),
            effective: *effective,
        };
        match stream_of(event) {
            Ref::Municipality(id) => world.municipalities.entry(id).or_default().evolve(&fact),
            Ref::Person(id) => world.persons.entry(id).or_default().evolve(&fact),
            Ref::Order(id) => world.orders.entry(id).or_default().evolve(&fact),
            Ref::Association(id) => world.associations.entry(id).or_default().evolve(&fact),
            Ref::Application(id) => world.applications.entry(id).or_default().evolve(&fact),
            Ref::Document(id) => world.documents.entry(id).or_default().evolve(&fact),
            Ref::Meeting(id) => world.meetings.entry(id).or_default().evolve(&fact),
        }
    }
    world
}

// ---- when -------------------------------------------------------------------------------

/// A command, who acts, on which effective date, with which sealed personal fields.
#[derive(Debug, Clone)]
pub struct When {
    pub command: Command,
    pub acting: Acting,
    pub on: NaiveDate,
    pub sealed: SealedPersonalFields,
}

impl When {
    /// `person` asks for `command` to take effect `on`.
    pub fn by(person: PersonId, on: NaiveDate, command: Command) -> Self {
        Self {
            command,
            acting: Acting::Person(person),
            on,
            sealed: SealedPersonalFields::default(),
        }
    }

    /// The operator of the methodical service enters `command`, effective `on`.
    pub fn operator(on: NaiveDate, command: Command) -> Self {
        Self {
            command,
            acting: Acting::Operator,
            on,
            sealed: SealedPersonalFields::default(),
        }
    }

    pub fn sealed(mut self, sealed: SealedPersonalFields) -> Self {
        self.sealed = sealed;
        self
    }
}

// ---- then -------------------------------------------------------------------------------

/// The expected outcome.
#[derive(Debug, Clone)]
pub enum Then {
    /// The decision appends exactly these events.
    Events(Vec<Event>),
    /// The command is refused with exactly this error.
    Refused(DomainError),
    /// The command is refused with an error of this code (for messages that carry ids).
    RefusedWith(&'static str),
}

/// Decides `when` against the facts of `given`.
pub fn run(given: &Town, when: &When) -> Result<Decision, DomainError> {
    let world = given.world();
    let ctx = Context {
        profile: &given.profile,
        acting: when.acting,
        effective: when.on,
        today: when.on,
        world: &world,
        sealed: when.sealed.clone(),
    };
    decide(&when.command, &ctx)
}

/// Given the facts of a town, when the command is decided, then the outcome is as expected.
/// Returns the decision when one was expected (to check the basis or apply it).
#[track_caller]
pub fn check(given: &Town, when: When, then: Then) -> Option<Decision> {
    let outcome = run(given, &when);
    match (then, outcome) {
        (Then::Events(expected), Ok(decision)) => {
            assert_eq!(
                decision.events, expected,
                "\nwhen {:?}\nthe events differ",
                when.command
            );
            Some(decision)
        }
        (Then::Events(_), Err(e)) => panic!(
            "\nwhen {:?}\nexpected events, got refused: {e} [{}]",
            when.command,
            e.code()
        ),
        (Then::Refused(expected), Err(e)) => {
            assert_eq!(e, expected, "\nwhen {:?}\nrefused: {e}", when.command);
            None
        }
        (Then::RefusedWith(code), Err(e)) => {
            assert_eq!(e.code(), code, "\nwhen {:?}\nrefused: {e}", when.command);
            None
        }
        (Then::Refused(_) | Then::RefusedWith(_), Ok(decision)) => panic!(
            "\nwhen {:?}\nexpected a refusal, got events {:?}",
            when.command, decision.events
        ),
    }
}

/// Runs `when`, expects it to pass, and adds its events to the town as facts.
#[track_caller]
pub fn accept(town: &mut Town, when: When) -> Decision {
    let on = when.on;
    let decision =
        run(town, &when).unwrap_or_else(|e| panic!("when {:?}: refused: {e}", when.command));
    town.apply(&decision, on);
    decision
}
