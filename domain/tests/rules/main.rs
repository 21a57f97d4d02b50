//! The rules of the regulations, one `check(given, when, then)` per rule, each named after
//! its rule and citing the clause it comes from (`000 §4.2` = seed 000, clause 4.2).
//!
//! One module per area the rules govern (eligibility, heads by order, elections,
//! associations, membership, meetings, documents, development, the registry), and
//! `not_provided`: the table of what each profile does not provide. The fixtures several
//! areas share are below; the harness and the town of facts are in `../support`.

#[path = "../support/mod.rs"]
mod support;

mod associations;
mod development;
mod documents;
mod elections;
mod eligibility;
mod heads;
mod meetings;
mod membership;
mod not_provided;
mod registry;

use chrono::NaiveDate;
use serde_json::json;

use domain::commands::ElectHead;
use domain::events::*;
use domain::ids::{AssociationId, MeetingId, OrganizationId, PersonId};
use domain::profile::{ApplicationForm, ChainStep, MeetingOf, StepRole};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, CategoryLevel, Clause, DevelopmentMilestone,
    DocumentType, Level, OrderKind, PositionKind, Sealed,
};
use domain::{BasisKindRef, BasisRef, Command, DomainError, SealedPersonalFields};

use support::*;

// ---- fixtures ---------------------------------------------------------------------------

fn clause(text: &str) -> Clause {
    Clause::parse(text).expect("a valid clause")
}

/// Novosibirsk (003): a district methodical association of mathematics with five eligible
/// members and no roles filled yet.
fn novosibirsk_association() -> (Town, AssociationId, Vec<PersonId>) {
    let mut town = Town::novosibirsk();
    let association = town.methodical_association("math-central", Level::District);
    let members = town.teachers(&["ivanova", "petrova", "sidorova", "kuznetsova", "smirnova"]);
    town.admit(association, &members);
    (town, association, members)
}

/// Novosibirsk (003) with a head (ivanova) and a secretary (petrova), and a meeting held on
/// the meeting day attended by every member.
fn novosibirsk_with_meeting() -> (Town, AssociationId, Vec<PersonId>, MeetingId) {
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0])
        .secretary(association, members[1]);
    let meeting = town.meeting_held(association, "first", meeting_day(), &members);
    (town, association, members, meeting)
}

/// Novokuznetsk (000): a district association (РПМО) of mathematics in the central district
/// with a head (ivanova), a secretary (petrova) and five members.
fn novokuznetsk_district() -> (Town, AssociationId, Vec<PersonId>) {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-central", Level::District);
    let members = town.teachers(&["ivanova", "petrova", "sidorova", "kuznetsova", "smirnova"]);
    town.admit(association, &members);
    town.head(association, members[0])
        .secretary(association, members[1]);
    (town, association, members)
}

/// Izhevsk (002): the city association (ГМО) of mathematics, created by the Center, with a
/// head (ivanova) and a curator (the Center's specialist).
fn izhevsk_association() -> (Town, AssociationId, PersonId) {
    let mut town = Town::izhevsk();
    let association = town.methodical_association("math-gmo", Level::City);
    let head = town.person("ivanova", Spec::teacher());
    town.admit(association, &[head]).head(association, head);
    let curator = town.center_specialist;
    town.curator(association, curator);
    (town, association, head)
}

/// The election of `candidate` as head at `meeting`, recorded by `by`.
fn elect_head(
    by: PersonId,
    on: NaiveDate,
    association: AssociationId,
    candidate: PersonId,
    vote: Vote,
) -> When {
    When::by(
        by,
        on,
        Command::ElectHead(ElectHead {
            association,
            person: candidate,
            school_year: year_2024(),
            vote,
        }),
    )
}

fn head_elected(association: AssociationId, person: PersonId, vote: Vote) -> Event {
    HeadElected {
        association,
        person,
        school_year: year_2024(),
        until: None,
        vote,
    }
    .into()
}
