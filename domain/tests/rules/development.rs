//! Effectiveness indicators (001 §4.1.2–4.1.3): development recorded for members where the
//! profile counts it.

use super::*;
use domain::commands::RecordDevelopment;

/// 001 §4.1.2–4.1.3: the association records its members' steps of professional growth that
/// the indicators count — the operator from the records or its head; once per member, step
/// and year; only for a member on the day; a route (ИОМ) is completed only after it was
/// developed; and only where the regulation has such indicators (000 has none).
#[test]
fn development_recorded_for_members_where_the_profile_counts_it_001_4_1() {
    let mut town = Town::kuznetsk();
    let association = town.methodical_association("math-mmo", Level::City);
    // Members by the registry (001 §1.3): the teachers of mathematics; Sidorova teaches history.
    let mut people = town.teachers(&["ivanova", "petrova"]);
    people.push(town.person(
        "sidorova",
        Spec {
            subjects: vec![subject("история")],
            ..Spec::teacher()
        },
    ));
    town.head(association, people[0]);
    let on = date(2024, 10, 10);
    let record = |person, milestone| {
        Command::RecordDevelopment(RecordDevelopment {
            association,
            person,
            school_year: year_2024(),
            milestone,
        })
    };
    let diagnostics = DevelopmentRecorded {
        association,
        person: people[1],
        school_year: year_2024(),
        milestone: DevelopmentMilestone::Diagnostics,
    };
    check(
        &town,
        When::by(
            people[0],
            on,
            record(people[1], DevelopmentMilestone::Diagnostics),
        ),
        Then::Events(vec![diagnostics.clone().into()]),
    );
    check(
        &town,
        When::operator(on, record(people[1], DevelopmentMilestone::Diagnostics)),
        Then::Events(vec![diagnostics.clone().into()]),
    );
    check(
        &town,
        When::by(
            people[1],
            on,
            record(people[1], DevelopmentMilestone::Diagnostics),
        ),
        Then::RefusedWith("not_authorized"),
    );
    check(
        &town,
        When::operator(on, record(people[2], DevelopmentMilestone::Diagnostics)),
        Then::Refused(DomainError::NotAMember {
            member: Member::Person(people[2]).to_string(),
            date: on,
            clause: clause("001 §4.1.2"),
        }),
    );
    check(
        &town,
        When::operator(
            on,
            record(people[1], DevelopmentMilestone::IndividualRouteCompleted),
        ),
        Then::RefusedWith("individual_route_not_developed"),
    );
    town.fact(diagnostics, on);
    check(
        &town,
        When::operator(on, record(people[1], DevelopmentMilestone::Diagnostics)),
        Then::RefusedWith("development_already_recorded"),
    );
    let (novokuznetsk, district, members) = novokuznetsk_district();
    check(
        &novokuznetsk,
        When::operator(
            on,
            Command::RecordDevelopment(RecordDevelopment {
                association: district,
                person: members[1],
                school_year: year_2024(),
                milestone: DevelopmentMilestone::Diagnostics,
            }),
        ),
        Then::Refused(DomainError::IndicatorNotProvided {
            milestone: "прошёл диагностику профессиональных компетенций".into(),
            clause: clause("000 §4.5, §10.3"),
        }),
    );
    // Novosibirsk's indicators (003 §VI) are of the association as a whole.
    let (novosibirsk, association, members) = novosibirsk_association();
    check(
        &novosibirsk,
        When::operator(
            on,
            Command::RecordDevelopment(RecordDevelopment {
                association,
                person: members[1],
                school_year: year_2024(),
                milestone: DevelopmentMilestone::RegionalMethodist,
            }),
        ),
        Then::Refused(DomainError::IndicatorNotProvided {
            milestone: "получил статус регионального методиста".into(),
            clause: clause("003 §VI"),
        }),
    );
}
