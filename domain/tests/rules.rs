//! The rules of the regulations, one `check(given, when, then)` per rule, each named after
//! its rule and citing the clause it comes from (`000 §4.2` = seed 000, clause 4.2).

mod support;

use chrono::NaiveDate;
use serde_json::json;

use domain::events::*;
use domain::ids::{AssociationId, MeetingId, OrganizationId, PersonId};
use domain::profile::{ApplicationForm, ChainStep, MeetingOf, StepRole};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, CategoryLevel, Clause, DevelopmentMilestone,
    DocumentType, Level, OrderKind, PositionKind, Sealed,
};
use domain::{BasisKindRef, BasisRef, Command, DomainError, SealedPersonalFields};

use support::*;

fn clause(text: &str) -> Clause {
    Clause::parse(text).expect("a valid clause")
}

// ---- fixtures ---------------------------------------------------------------------------

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
        Command::ElectHead {
            association,
            person: candidate,
            school_year: year_2024(),
            vote,
        },
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

// ---- eligibility of heads (003 §7.3) ----------------------------------------------------

/// 003 §7.3: a head has the highest or first category and at least five years in the
/// specialty; five full years count on the anniversary itself.
#[test]
fn head_needs_highest_or_first_category_and_five_years_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person(
        "orlova",
        Spec::teacher()
            .category(CategoryLevel::First, date(2020, 4, 1))
            .since(date(2019, 9, 10)),
    );
    town.admit(association, &[orlova]);
    members.push(orlova);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    let vote = vote(meeting, &members, 4, 1, 1);
    check(
        &town,
        elect_head(members[0], meeting_day(), association, orlova, vote.clone()),
        Then::Events(vec![head_elected(association, orlova, vote)]),
    );
}

/// 003 §7.3: four years and 364 days in the specialty are not five years.
#[test]
fn head_with_less_than_five_full_years_is_not_eligible_counted_to_the_day_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person(
        "orlova",
        Spec::teacher()
            .category(CategoryLevel::First, date(2020, 4, 1))
            .since(date(2019, 9, 11)),
    );
    town.admit(association, &[orlova]);
    members.push(orlova);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            orlova,
            vote(meeting, &members, 6, 0, 0),
        ),
        Then::Refused(DomainError::HeadNotEligible {
            requirement:
                "иметь высшую или первую квалификационную категорию и стаж работы по специальности не менее 5 лет"
                    .into(),
            found: "на 2024-09-10: категория — первая, стаж по специальности — 4 года, должность — педагогический работник".into(),
            clause: clause("003 §7.3"),
        }),
    );
    // The next day she has her five years.
    let next_day = date(2024, 9, 11);
    let meeting = town.meeting_held(association, "next-day", next_day, &members);
    let vote = vote(meeting, &members, 6, 0, 0);
    check(
        &town,
        elect_head(members[0], next_day, association, orlova, vote.clone()),
        Then::Events(vec![head_elected(association, orlova, vote)]),
    );
}

/// 003 §7.3: a teacher without a category is not eligible, however long in the specialty.
#[test]
fn head_without_category_is_not_eligible_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person("orlova", Spec::teacher().no_category());
    town.admit(association, &[orlova]);
    members.push(orlova);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            orlova,
            vote(meeting, &members, 6, 0, 0),
        ),
        Then::Refused(DomainError::HeadNotEligible {
            requirement:
                "иметь высшую или первую квалификационную категорию и стаж работы по специальности не менее 5 лет"
                    .into(),
            found: "на 2024-09-10: категория — без категории, стаж по специальности — 14 лет, должность — педагогический работник".into(),
            clause: clause("003 §7.3"),
        }),
    );
}

/// 003 §7.3: eligibility is checked on the effective date — a category granted after it
/// does not count, even when the log already knows it.
#[test]
fn head_category_granted_after_the_effective_date_does_not_count_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person("orlova", Spec::teacher().no_category());
    let volkova = town.person(
        "volkova",
        Spec::teacher().category(CategoryLevel::Highest, date(2024, 9, 20)),
    );
    town.fact(
        CategoryChanged {
            person: orlova,
            category: category(CategoryLevel::First, date(2024, 10, 1)),
        },
        date(2024, 10, 1),
    );
    town.admit(association, &[orlova, volkova]);
    members.extend([orlova, volkova]);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    for candidate in [orlova, volkova] {
        check(
            &town,
            elect_head(
                members[0],
                meeting_day(),
                association,
                candidate,
                vote(meeting, &members, 7, 0, 0),
            ),
            Then::RefusedWith("head_not_eligible"),
        );
    }
    // After the grant the same election passes.
    let later = date(2024, 10, 15);
    let meeting = town.meeting_held(association, "october", later, &members);
    let vote = vote(meeting, &members, 7, 0, 0);
    check(
        &town,
        elect_head(members[0], later, association, orlova, vote.clone()),
        Then::Events(vec![head_elected(association, orlova, vote)]),
    );
}

/// 003 §7.3: a category counts from the day it was granted, even when it is entered in the
/// registry later than the election it matters for.
#[test]
fn head_category_counts_from_the_day_it_was_granted_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person("orlova", Spec::teacher().no_category());
    town.fact(
        CategoryChanged {
            person: orlova,
            category: category(CategoryLevel::First, date(2024, 6, 1)),
        },
        date(2024, 9, 20),
    );
    town.admit(association, &[orlova]);
    members.push(orlova);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    let vote = vote(meeting, &members, 6, 0, 0);
    check(
        &town,
        elect_head(members[0], meeting_day(), association, orlova, vote.clone()),
        Then::Events(vec![head_elected(association, orlova, vote)]),
    );
}

/// 003 §7.3: the refusal reads as the regulation words the rule, names the clause, and says
/// what was found on the date.
#[test]
fn head_not_eligible_message_names_the_rule_and_its_clause_003_7_3() {
    let (mut town, association, mut members) = novosibirsk_association();
    let orlova = town.person(
        "orlova",
        Spec::teacher()
            .category(CategoryLevel::First, date(2022, 1, 1))
            .since(date(2021, 9, 1)),
    );
    town.admit(association, &[orlova]);
    members.push(orlova);
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    let error = run(
        &town,
        &elect_head(
            members[0],
            meeting_day(),
            association,
            orlova,
            vote(meeting, &members, 6, 0, 0),
        ),
    )
    .expect_err("not eligible");
    assert_eq!(error.code(), "head_not_eligible");
    assert_eq!(
        error.to_string(),
        "руководитель должен иметь высшую или первую квалификационную категорию и стаж работы \
         по специальности не менее 5 лет (003 §7.3); на 2024-09-10: категория — первая, стаж по \
         специальности — 3 года, должность — педагогический работник"
    );
}

// ---- eligibility of curators (003 §7.2; 002 §5.3) ---------------------------------------

fn appoint_curator(
    on: NaiveDate,
    association: AssociationId,
    person: PersonId,
    order: domain::ids::OrderId,
) -> When {
    When::operator(
        on,
        Command::AppointCurator {
            association,
            person,
            school_year: year_2024(),
            order,
        },
    )
}

fn curator_appointed(
    association: AssociationId,
    person: PersonId,
    order: domain::ids::OrderId,
) -> Event {
    CuratorAppointed {
        association,
        person,
        school_year: year_2024(),
        until: None,
        order,
    }
    .into()
}

/// 003 §7.2: a methodist of a municipal institution with the highest or first category and
/// five years in the specialty curates; a teacher with the highest category does not (the
/// category route is for methodists and Center specialists).
#[test]
fn curator_is_a_methodist_with_highest_or_first_category_and_five_years_003_7_2() {
    let (mut town, association, _) = novosibirsk_association();
    let institution = town.curating_organization;
    let methodist = town.person(
        "methodist",
        Spec::teacher()
            .position(PositionKind::Methodist)
            .at(institution)
            .category(CategoryLevel::First, date(2018, 1, 1))
            .since(date(2015, 9, 1)),
    );
    let teacher = town.person("teacher", Spec::teacher());
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.curating_institution, on);
    check(
        &town,
        appoint_curator(on, association, methodist, order),
        Then::Events(vec![curator_appointed(association, methodist, order)]),
    );
    check(
        &town,
        appoint_curator(on, association, teacher, order),
        Then::Refused(DomainError::CuratorNotEligible {
            requirement: "быть специалистом муниципального учреждения и иметь высшую или \
                          первую квалификационную категорию и стаж работы по специальности не \
                          менее 5 лет (для должностей: методист, специалист методического \
                          центра), либо занимать должность: заместитель руководителя, \
                          руководитель структурного подразделения"
                .into(),
            found: "на 2024-09-05: работает не в учреждении требуемого вида".into(),
            clause: clause("003 §7.2"),
        }),
    );
}

/// 003 §7.2: a deputy head or a head of a unit curates by position, whatever the category
/// and years.
#[test]
fn curator_deputy_head_or_head_of_unit_qualifies_by_position_003_7_2() {
    let (mut town, association, _) = novosibirsk_association();
    let institution = town.curating_organization;
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.curating_institution, on);
    for (name, position) in [
        ("deputy", PositionKind::DeputyHead),
        ("unit-head", PositionKind::HeadOfUnit),
    ] {
        let person = town.person(
            name,
            Spec::teacher()
                .position(position)
                .at(institution)
                .no_category()
                .since(date(2023, 9, 1)),
        );
        check(
            &town,
            appoint_curator(on, association, person, order),
            Then::Events(vec![curator_appointed(association, person, order)]),
        );
    }
}

/// 003 §7.2: the curator is appointed by order of the head of the curating institution, not
/// by the department.
#[test]
fn curator_appointed_by_order_of_the_curating_institution_003_7_2() {
    let (mut town, association, _) = novosibirsk_association();
    let methodist = town.person(
        "methodist",
        Spec::teacher().position(PositionKind::Methodist),
    );
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.department, on);
    check(
        &town,
        appoint_curator(on, association, methodist, order),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "curators-од".into(),
            expected: "курирующее учреждение",
            actual: "орган управления образованием",
            clause: clause("003 §7.2"),
        }),
    );
}

/// 002 §5.3: a teacher or manager of an organization curates with the highest category and
/// at least five years in the specialty; the first category is not enough.
#[test]
fn curator_needs_highest_category_and_five_years_002_5_3() {
    let (mut town, association, _) = izhevsk_association();
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.department, on);
    let first = town.person(
        "first",
        Spec::teacher().category(CategoryLevel::First, date(2016, 1, 1)),
    );
    let highest = town.person(
        "highest",
        Spec::teacher()
            .category(CategoryLevel::Highest, date(2023, 1, 1))
            .since(date(2019, 9, 5)),
    );
    check(
        &town,
        appoint_curator(on, association, first, order),
        Then::Refused(DomainError::CuratorNotEligible {
            requirement: "иметь высшую квалификационную категорию и стаж работы по \
                          специальности не менее 5 лет, либо занимать должность: специалист \
                          методического центра"
                .into(),
            found: "на 2024-09-05: категория — первая, стаж по специальности — 14 лет, \
                    должность — педагогический работник"
                .into(),
            clause: clause("002 §5.3"),
        }),
    );
    check(
        &town,
        appoint_curator(on, association, highest, order),
        Then::Events(vec![curator_appointed(association, highest, order)]),
    );
}

/// 002 §5.3: a specialist of the Center curates by position.
#[test]
fn curator_center_specialist_qualifies_by_position_002_5_3() {
    let (mut town, association, _) = izhevsk_association();
    let center = town.center_organization;
    let specialist = town.person(
        "young-specialist",
        Spec::teacher()
            .position(PositionKind::CenterSpecialist)
            .at(center)
            .no_category()
            .since(date(2023, 9, 1)),
    );
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.department, on);
    check(
        &town,
        appoint_curator(on, association, specialist, order),
        Then::Events(vec![curator_appointed(association, specialist, order)]),
    );
}

// ---- head appointed by order (000 §7.4, §4.2) -------------------------------------------

fn appoint_head(
    on: NaiveDate,
    association: AssociationId,
    person: PersonId,
    order: domain::ids::OrderId,
    review: Option<CouncilReview>,
) -> When {
    When::operator(
        on,
        Command::AppointHead {
            association,
            person,
            school_year: year_2024(),
            order,
            review,
        },
    )
}

/// 000 §7.4, §1.5: the head of a district association is approved by order of the district
/// department of its own district, for the school year.
#[test]
fn district_head_appointed_by_order_of_its_district_department_000_7_4() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-central", Level::District);
    let ivanova = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 5);
    let order = town.order("heads-central", town.central_department, on);
    let decision = check(
        &town,
        appoint_head(on, association, ivanova, order, None),
        Then::Events(vec![HeadAppointed {
            association,
            person: ivanova,
            school_year: year_2024(),
            until: Some(date(2025, 8, 31)),
            order,
            review: None,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.basis,
        Some(BasisRef {
            kind: BasisKindRef::Order,
            number: "heads-central-од".into(),
            date: on,
            issuer: "Отдел образования Центрального района".into(),
        })
    );
    // The chief of the district department may record it too; an official of another body
    // may not.
    let chief = town.central_chief;
    let mut by_chief = appoint_head(on, association, ivanova, order, None);
    by_chief.acting = domain::Acting::Person(chief);
    let decision = run(&town, &by_chief).expect("the chief records the appointment");
    assert_eq!(
        decision.acted_as.to_string(),
        "official:district_department:chief"
    );
    let mut by_other = appoint_head(on, association, ivanova, order, None);
    by_other.acting = domain::Acting::Person(town.center_specialist);
    check(&town, by_other, Then::RefusedWith("not_authorized"));
}

/// 000 §7.4: the district department of another district, or the department itself, does
/// not approve a district head.
#[test]
fn district_head_order_of_another_body_refused_000_7_4() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-central", Level::District);
    let ivanova = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 5);
    let north = town.order("heads-north", town.north_department, on);
    let department = town.order("heads-city", town.department, on);
    check(
        &town,
        appoint_head(on, association, ivanova, north, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "heads-north-од".into(),
            expected: "районный отдел образования того же района",
            actual: "районный отдел образования другого района",
            clause: clause("000 §7.4, §1.5"),
        }),
    );
    check(
        &town,
        appoint_head(on, association, ivanova, department, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "heads-city-од".into(),
            expected: "районный отдел образования",
            actual: "орган управления образованием",
            clause: clause("000 §7.4, §1.5"),
        }),
    );
}

/// 000 §4.2: the head of a city association is reviewed by the Coordination council and then
/// approved by order of the department, every year.
#[test]
fn city_head_appointed_by_department_order_after_coordination_council_review_000_4_2() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-city", Level::City);
    let ivanova = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 10);
    let order = town.order("heads-city", town.department, on);
    let review = CouncilReview {
        council: town.coordination_council,
        protocol_number: "5".into(),
        date: date(2024, 9, 5),
    };
    check(
        &town,
        appoint_head(on, association, ivanova, order, Some(review.clone())),
        Then::Events(vec![HeadAppointed {
            association,
            person: ivanova,
            school_year: year_2024(),
            until: Some(date(2025, 8, 31)),
            order,
            review: Some(review),
        }
        .into()]),
    );
}

/// 000 §4.2: without a review by the Coordination council — none, by another council, or one
/// after the order — the order does not appoint.
#[test]
fn city_head_without_coordination_council_review_refused_000_4_2() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-city", Level::City);
    let ivanova = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 10);
    let order = town.order("heads-city", town.department, on);
    let refused = DomainError::CouncilReviewRequired {
        council: "координационный совет",
        clause: clause("000 §4.2"),
    };
    let other_council = CouncilReview {
        council: town.organizational_methodical_council,
        protocol_number: "5".into(),
        date: date(2024, 9, 5),
    };
    let after_the_order = CouncilReview {
        council: town.coordination_council,
        protocol_number: "6".into(),
        date: date(2024, 9, 11),
    };
    for review in [None, Some(other_council), Some(after_the_order)] {
        check(
            &town,
            appoint_head(on, association, ivanova, order, review),
            Then::Refused(refused.clone()),
        );
    }
}

/// 000 §4.2: an order cannot act before its own date.
#[test]
fn head_order_dated_after_the_effective_date_refused_000_4_2() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-central", Level::District);
    let ivanova = town.person("ivanova", Spec::teacher());
    let order = town.order("heads-central", town.central_department, date(2024, 9, 12));
    check(
        &town,
        appoint_head(date(2024, 9, 10), association, ivanova, order, None),
        Then::Refused(DomainError::OrderAfterEffectiveDate {
            number: "heads-central-од".into(),
            order_date: date(2024, 9, 12),
            effective: date(2024, 9, 10),
        }),
    );
}

/// 000 §4.2: heads are approved every year; the term ends with the school year, and a head
/// approved in advance for the next year takes office when that year begins.
#[test]
fn head_term_is_the_school_year_and_an_advance_appointment_waits_for_it_000_4_2() {
    let mut town = Town::novokuznetsk();
    let association = town.methodical_association("math-central", Level::District);
    let ivanova = town.person("ivanova", Spec::teacher());
    let petrova = town.person("petrova", Spec::teacher());
    let first = date(2024, 9, 5);
    let order = town.order("heads-2024", town.central_department, first);
    accept(
        &mut town,
        appoint_head(first, association, ivanova, order, None),
    );
    let advance = date(2025, 8, 20);
    let order = town.order("heads-2025", town.central_department, advance);
    accept(
        &mut town,
        When::operator(
            advance,
            Command::AppointHead {
                association,
                person: petrova,
                school_year: year("2025/26"),
                order,
                review: None,
            },
        ),
    );
    let world = town.world();
    let state = world.association(association).expect("the association");
    assert_eq!(
        state.holder(AssociationRole::Head, date(2025, 8, 25)),
        Some(ivanova)
    );
    assert_eq!(
        state.holder(AssociationRole::Head, date(2025, 9, 1)),
        Some(petrova)
    );
    assert_eq!(state.holder(AssociationRole::Head, date(2026, 9, 1)), None);
}

/// 001 §1.3 (the second, section 2): the head of the ММО is appointed by order of the
/// Управление образования; an order of another body does not appoint, nor does a vote.
#[test]
fn head_appointed_by_order_of_the_department_001_1_3() {
    let mut town = Town::kuznetsk();
    let association = town.methodical_association("math-mmo", Level::City);
    let members = town.teachers(&["ivanova", "petrova"]);
    town.admit(association, &members);
    let on = date(2024, 9, 5);
    let order = town.order("heads", town.department, on);
    let by_center = town.order("heads-by-center", town.center, on);
    let decision = check(
        &town,
        appoint_head(on, association, members[0], order, None),
        Then::Events(vec![HeadAppointed {
            association,
            person: members[0],
            school_year: year_2024(),
            until: None,
            order,
            review: None,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.basis.map(|b| (b.kind, b.number)),
        Some((BasisKindRef::Order, "heads-од".to_string()))
    );
    check(
        &town,
        appoint_head(on, association, members[0], by_center, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "heads-by-center-од".into(),
            expected: "орган управления образованием",
            actual: "методический центр",
            clause: clause("001 §1.3 (второй, раздел 2)"),
        }),
    );
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[1],
            vote(meeting, &members, 2, 0, 0),
        ),
        Then::Refused(DomainError::WrongFillMethod {
            role: "руководитель",
            level: "городской (муниципальный)",
            how: "назначается приказом, а не избирается",
            clause: clause("001 §1.3 (второй, раздел 2)"),
        }),
    );
}

/// 002 §8.1: the ГМО keeps «приказ о назначении руководителя ГМО»; the seed names no issuer,
/// and the profile takes the Управление, which appoints the curator (§5.3). The Center's
/// order, which creates the ГМО (§5.1), does not appoint its head.
#[test]
fn head_appointed_by_order_of_the_department_002_8_1() {
    let mut town = Town::izhevsk();
    let association = town.methodical_association("math-gmo", Level::City);
    let head = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 2);
    let order = town.order("heads", town.department, on);
    let by_center = town.order("heads-by-center", town.center, on);
    let decision = check(
        &town,
        appoint_head(on, association, head, order, None),
        Then::Events(vec![HeadAppointed {
            association,
            person: head,
            school_year: year_2024(),
            until: None,
            order,
            review: None,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.basis,
        Some(BasisRef {
            kind: BasisKindRef::Order,
            number: "heads-од".into(),
            date: on,
            issuer: "Департамент образования".into(),
        })
    );
    check(
        &town,
        appoint_head(on, association, head, by_center, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "heads-by-center-од".into(),
            expected: "орган управления образованием",
            actual: "методический центр",
            clause: clause("002 §8.1"),
        }),
    );
}

/// 004 §7: at the school level methodical support is the organization's administration's,
/// so a school association's head is appointed by the order of that school's administration
/// — not of another school's, nor of the methodical center, whose order appoints the head of
/// a municipal association (004 §7, §9).
#[test]
fn school_association_head_appointed_by_its_school_administration_004_7() {
    let mut town = Town::pervouralsk();
    let school = town.school;
    let north_school = town.north_school;
    let administration = town.body(
        "school-1-administration",
        BodyKind::OrganizationAdministration,
        "Администрация школы № 1",
        None,
        Some(school),
    );
    let other_administration = town.body(
        "school-2-administration",
        BodyKind::OrganizationAdministration,
        "Администрация школы № 2",
        None,
        Some(north_school),
    );
    let association = town.methodical_association("math-school", Level::School);
    let city = town.methodical_association("math-city", Level::City);
    let ivanova = town.person("ivanova", Spec::teacher());
    let on = date(2024, 9, 5);
    let own = town.order("school-heads", administration, on);
    let other = town.order("other-school-heads", other_administration, on);
    let center = town.order("center-heads", town.center, on);
    check(
        &town,
        appoint_head(on, association, ivanova, own, None),
        Then::Events(vec![HeadAppointed {
            association,
            person: ivanova,
            school_year: year_2024(),
            until: None,
            order: own,
            review: None,
        }
        .into()]),
    );
    check(
        &town,
        appoint_head(on, association, ivanova, other, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "other-school-heads-од".into(),
            expected: "администрация той же образовательной организации",
            actual: "администрация другой организации",
            clause: clause("004 §7"),
        }),
    );
    check(
        &town,
        appoint_head(on, association, ivanova, center, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "center-heads-од".into(),
            expected: "администрация образовательной организации",
            actual: "методический центр",
            clause: clause("004 §7"),
        }),
    );
    check(
        &town,
        appoint_head(on, city, ivanova, center, None),
        Then::Events(vec![HeadAppointed {
            association: city,
            person: ivanova,
            school_year: year_2024(),
            until: None,
            order: center,
            review: None,
        }
        .into()]),
    );
    check(
        &town,
        appoint_head(on, city, ivanova, own, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "school-heads-од".into(),
            expected: "методический центр",
            actual: "администрация образовательной организации",
            clause: clause("004 §7, §9"),
        }),
    );
}

// ---- who creates associations (000 §1.4, §7.4) ------------------------------------------

fn create_reviewed(
    on: NaiveDate,
    name: &str,
    level: Level,
    district: Option<domain::ids::DistrictId>,
    order: domain::ids::OrderId,
    review: Option<CouncilReview>,
) -> When {
    let mut when = create(
        on,
        name,
        level,
        AssociationKind::MethodicalAssociation,
        district,
        order,
    );
    if let Command::CreateAssociation { review: r, .. } = &mut when.command {
        *r = review;
    }
    when
}

/// 000 §1.4: the list of city associations is determined by the Coordination council and
/// approved by KOiN: the order creating a city association cites the council's review, held
/// no later than the order — not another council's, not none.
#[test]
fn city_association_created_by_department_order_after_coordination_council_review_000_1_4() {
    let mut town = Town::novokuznetsk();
    let on = date(2024, 8, 30);
    let order = town.order("list", town.department, on);
    let review = CouncilReview {
        council: town.coordination_council,
        protocol_number: "3".into(),
        date: date(2024, 8, 28),
    };
    let refused = DomainError::CouncilReviewRequired {
        council: "координационный совет",
        clause: clause("000 §1.4"),
    };
    let other_council = CouncilReview {
        council: town.organizational_methodical_council,
        ..review.clone()
    };
    let after_the_order = CouncilReview {
        date: date(2024, 8, 31),
        ..review.clone()
    };
    for review in [None, Some(other_council), Some(after_the_order)] {
        check(
            &town,
            create_reviewed(on, "math-city", Level::City, None, order, review),
            Then::Refused(refused.clone()),
        );
    }
    check(
        &town,
        create_reviewed(
            on,
            "math-city",
            Level::City,
            None,
            order,
            Some(review.clone()),
        ),
        Then::Events(vec![AssociationCreated {
            association: association_id("math-city"),
            municipality: town.municipality,
            title: "Объединение math-city".into(),
            subject: subject("математика"),
            level: Level::City,
            kind: AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: None,
            organization: None,
            order,
            review: Some(review),
            curating_organization: None,
        }
        .into()]),
    );
}

/// 000 §7.4: the district departments approve the list of district associations: a district
/// association is created by order of the department of its own district — not of another
/// district, not of KOiN.
#[test]
fn district_association_created_by_order_of_its_district_department_000_7_4() {
    let mut town = Town::novokuznetsk();
    let on = date(2024, 9, 5);
    let own = town.order("list-central", town.central_department, on);
    let north = town.order("list-north", town.north_department, on);
    let koin = town.order("list-city", town.department, on);
    let central = Some(town.central);
    check(
        &town,
        create_reviewed(on, "math-central", Level::District, central, own, None),
        Then::Events(vec![AssociationCreated {
            association: association_id("math-central"),
            municipality: town.municipality,
            title: "Объединение math-central".into(),
            subject: subject("математика"),
            level: Level::District,
            kind: AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: central,
            organization: None,
            order: own,
            review: None,
            curating_organization: None,
        }
        .into()]),
    );
    check(
        &town,
        create_reviewed(on, "math-central", Level::District, central, north, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "list-north-од".into(),
            expected: "районный отдел образования того же района",
            actual: "районный отдел образования другого района",
            clause: clause("000 §7.4"),
        }),
    );
    check(
        &town,
        create_reviewed(on, "math-central", Level::District, central, koin, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "list-city-од".into(),
            expected: "районный отдел образования",
            actual: "орган управления образованием",
            clause: clause("000 §7.4"),
        }),
    );
}

// ---- elections (003 §7.4, §7.5; 000 §4.3, §10.2) ----------------------------------------

/// 003 §7.4: the head is elected by a majority of the votes of the association's members —
/// more than half of all five, whoever attends.
#[test]
fn head_elected_by_majority_of_all_members_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 1, 0);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote.clone(),
        ),
        Then::Events(vec![head_elected(association, members[2], vote)]),
    );
}

/// 003 §7.4: a majority of those present that is not one of all members is refused (two of
/// three present, of five members); so is half.
#[test]
fn head_without_majority_of_all_members_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let few = &members[..3];
    let small = town.meeting_held(association, "small", meeting_day(), few);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(small, few, 2, 1, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: half of the votes is not a majority.
#[test]
fn head_with_half_of_the_votes_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, present, 2, 2, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: for, against and abstained add up to the members who voted.
#[test]
fn vote_counts_that_do_not_add_up_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, present, 2, 0, 0),
        ),
        Then::Refused(DomainError::VoteCountMismatch {
            votes_for: 2,
            against: 0,
            abstained: 0,
            present: 3,
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: only members vote («большинством голосов членов»).
#[test]
fn voter_who_is_not_a_member_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let guest = town.person("guest", Spec::teacher());
    let present = [members[0], members[1], guest];
    let meeting = town.meeting_held(association, "election", meeting_day(), &present);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[1],
            vote(meeting, &present, 3, 0, 0),
        ),
        Then::Refused(DomainError::VoterNotAMember {
            person: guest.to_string(),
            date: meeting_day(),
            clause: clause("003 §7.4"),
        }),
    );
}

/// 003 §7.4: the result is recorded by a member present at the meeting — not by a guest, not
/// by the operator; the refusal cites the election rule applied (000 §4.3, §10.2 for a
/// secretary in Novokuznetsk).
#[test]
fn vote_recorded_by_a_non_member_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let guest = town.person("guest", Spec::teacher());
    let mut attendance = members.clone();
    attendance.push(guest);
    let meeting = town.meeting_held(association, "election", meeting_day(), &attendance);
    let vote = vote(meeting, &members, 5, 0, 0);
    let refused = DomainError::VoteRecorderNotAMember {
        clause: clause("003 §7.4"),
    };
    assert_eq!(refused.code(), "not_authorized");
    check(
        &town,
        elect_head(guest, meeting_day(), association, members[1], vote.clone()),
        Then::Refused(refused.clone()),
    );
    let mut by_operator = elect_head(guest, meeting_day(), association, members[1], vote);
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::Refused(refused));

    let (mut town, association, members) = novokuznetsk_district();
    let guest = town.person("guest", Spec::teacher());
    let mut attendance = members.clone();
    attendance.push(guest);
    let meeting = town.meeting_held(association, "election", meeting_day(), &attendance);
    let refused = DomainError::VoteRecorderNotAMember {
        clause: clause("000 §4.3, §10.2"),
    };
    assert!(
        refused.to_string().ends_with("(000 §4.3, §10.2)"),
        "{refused}"
    );
    check(
        &town,
        elect_secretary(
            guest,
            association,
            members[2],
            support::vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(refused),
    );
}

/// 003 §7.4, §7.5 (000 §4.3, §10.2): the head and the secretary are elected from the members;
/// the refusal cites the rule of that election.
#[test]
fn head_candidate_must_be_a_member_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let outsider = town.person("outsider", Spec::teacher());
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            outsider,
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("003 §7.4"),
        }),
    );
    check(
        &town,
        When::by(
            members[0],
            meeting_day(),
            Command::ElectSecretary {
                association,
                person: outsider,
                school_year: year_2024(),
                vote: vote(meeting, &members, 5, 0, 0),
            },
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("003 §7.5"),
        }),
    );
    let (mut town, association, members) = novokuznetsk_district();
    let outsider = town.person("outsider", Spec::teacher());
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_secretary(
            members[0],
            association,
            outsider,
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::NotAMember {
            member: format!("кандидат {outsider}"),
            date: meeting_day(),
            clause: clause("000 §4.3, §10.2"),
        }),
    );
}

/// 003 §7.4: an open vote is taken at a meeting that was held, on its day.
#[test]
fn election_at_a_meeting_not_held_that_day_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            date(2024, 9, 12),
            association,
            members[1],
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::VoteMeetingInvalid {
            reason: "дата избрания 2024-09-12 не совпадает с датой заседания".into(),
            clause: clause("003 §7.4"),
        }),
    );
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[1],
            vote(meeting_id("never-held"), &members, 5, 0, 0),
        ),
        Then::RefusedWith("not_found"),
    );
}

/// 003 §7.5: the secretary is elected by a majority of the members' votes (three of five),
/// with no yearly term.
#[test]
fn secretary_elected_by_majority_of_all_members_003_7_5() {
    let (mut town, association, members) = novosibirsk_association();
    let present = &members[..4];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 0, 1);
    check(
        &town,
        When::by(
            members[0],
            meeting_day(),
            Command::ElectSecretary {
                association,
                person: members[1],
                school_year: year_2024(),
                vote: vote.clone(),
            },
        ),
        Then::Events(vec![SecretaryElected {
            association,
            person: members[1],
            school_year: year_2024(),
            until: None,
            vote,
        }
        .into()]),
    );
}

fn elect_secretary(by: PersonId, association: AssociationId, person: PersonId, vote: Vote) -> When {
    When::by(
        by,
        meeting_day(),
        Command::ElectSecretary {
            association,
            person,
            school_year: year_2024(),
            vote,
        },
    )
}

/// 000 §4.3, §10.2: the secretary is elected every year by a majority of all the members
/// («большинством членов»): three of five is a majority even when only three came.
#[test]
fn secretary_elected_every_year_by_majority_of_all_members_000_4_3_10_2() {
    let (mut town, association, members) = novokuznetsk_district();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    let vote = vote(meeting, present, 3, 0, 0);
    check(
        &town,
        elect_secretary(members[0], association, members[2], vote.clone()),
        Then::Events(vec![SecretaryElected {
            association,
            person: members[2],
            school_year: year_2024(),
            until: Some(date(2025, 8, 31)),
            vote,
        }
        .into()]),
    );
}

/// 000 §4.3, §10.2: a majority of those present that is not a majority of all members is
/// refused.
#[test]
fn secretary_without_majority_of_all_members_refused_000_4_3_10_2() {
    let (mut town, association, members) = novokuznetsk_district();
    let present = &members[..3];
    let meeting = town.meeting_held(association, "election", meeting_day(), present);
    check(
        &town,
        elect_secretary(
            members[0],
            association,
            members[2],
            vote(meeting, present, 2, 1, 0),
        ),
        Then::Refused(DomainError::NoMajority {
            votes_for: 2,
            base: 5,
            majority: "большинство от общего числа членов",
            clause: clause("000 §4.3, §10.2"),
        }),
    );
}

/// 000 §7.4, §1.5: where the profile appoints the head by order, an election is refused.
#[test]
fn electing_a_head_where_the_profile_says_order_refused_000_7_4() {
    let (mut town, association, members) = novokuznetsk_district();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, &members, 5, 0, 0),
        ),
        Then::Refused(DomainError::WrongFillMethod {
            role: "руководитель",
            level: "районный",
            how: "назначается приказом, а не избирается",
            clause: clause("000 §7.4, §1.5"),
        }),
    );
}

/// 003 §7.4: where the profile elects the head, an order does not appoint one.
#[test]
fn appointing_a_head_where_the_profile_says_election_refused_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let on = date(2024, 9, 5);
    let order = town.order("heads", town.department, on);
    check(
        &town,
        appoint_head(on, association, members[0], order, None),
        Then::Refused(DomainError::WrongFillMethod {
            role: "руководитель",
            level: "районный",
            how: "избирается членами открытым голосованием, а не назначается приказом",
            clause: clause("003 §7.4"),
        }),
    );
}

/// 000 §7.4, §4.3, §10.2: the regulation fills a district association's head and secretary
/// and has no curators; appointing one is refused, citing the clauses of the roles it does
/// fill there. Izhevsk (002 §5.3, §8.1) names no secretary.
#[test]
fn curator_where_the_profile_has_no_rule_refused_000() {
    let (mut town, association, members) = novokuznetsk_district();
    let on = date(2024, 9, 5);
    let order = town.order("curators", town.department, on);
    check(
        &town,
        appoint_curator(on, association, members[0], order),
        Then::Refused(DomainError::NoRoleRule {
            role: "куратор",
            level: "районный",
            provided: "руководитель, секретарь".into(),
            clause: clause("000 §7.4, §1.5, §4.3, §10.2"),
        }),
    );
    let (mut town, association, head) = izhevsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &[head]);
    check(
        &town,
        elect_secretary(head, association, head, vote(meeting, &[head], 1, 0, 0)),
        Then::Refused(DomainError::NoRoleRule {
            role: "секретарь",
            level: "городской (муниципальный)",
            provided: "руководитель, куратор".into(),
            clause: clause("002 §8.1, §5.3"),
        }),
    );
}

// ---- membership (000 §4.1; 002 §5.2) ----------------------------------------------------

/// 000 §1.5, §4.1: the members of a city association are the heads of the district
/// associations of its subject; a teacher who heads none is refused.
#[test]
fn city_association_members_are_district_heads_000_4_1() {
    let (mut town, district, members) = novokuznetsk_district();
    let city = town.methodical_association("math-city", Level::City);
    town.link(city, district);
    let on = date(2024, 9, 12);
    let order = town.order("composition-city", town.department, on);
    let admit = |person: PersonId| {
        When::operator(
            on,
            Command::AdmitMember {
                association: city,
                member: Member::Person(person),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district),
            },
        )
    };
    check(
        &town,
        admit(members[0]),
        Then::Events(vec![MemberAdmitted {
            association: city,
            member: Member::Person(members[0]),
            school_year: None,
            until: None,
            basis: AdmissionBasis::Order(order),
            from: None,
        }
        .into()]),
    );
    check(
        &town,
        admit(members[1]),
        Then::Refused(DomainError::NotADistrictHead {
            person: members[1].to_string(),
            date: on,
            clause: clause("000 §1.5, §4.1"),
        }),
    );
}

/// 003 §7.1: a professional (city) association is formed of the heads of the district
/// associations: the elected head of a linked district association joins, for as long as
/// the headship; a member who heads none does not, nor does the head of a district
/// association linked to another city association.
#[test]
fn city_association_members_are_the_district_heads_003_7_1() {
    let (mut town, district, members) = novosibirsk_association();
    let city = town.methodical_association("math-city", Level::City);
    let other_city = town.methodical_association("math-city-2", Level::City);
    let other_district = town.methodical_association("math-central-2", Level::District);
    town.link(city, district).link(other_city, other_district);
    let orlova = town.person("orlova", Spec::teacher());
    town.admit(other_district, &[orlova]);
    let election = meeting_id("constituent");
    for (association, head) in [(district, members[0]), (other_district, orlova)] {
        town.fact(
            HeadElected {
                association,
                person: head,
                school_year: year_2024(),
                until: None,
                vote: vote(election, &[head], 1, 0, 0),
            },
            joined_day(),
        );
    }
    let on = date(2024, 9, 12);
    let order = town.order("composition-city", town.department, on);
    let admit = |person: PersonId, district_association: AssociationId| {
        When::operator(
            on,
            Command::AdmitMember {
                association: city,
                member: Member::Person(person),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district_association),
            },
        )
    };
    check(
        &town,
        admit(members[0], district),
        Then::Events(vec![MemberAdmitted {
            association: city,
            member: Member::Person(members[0]),
            school_year: None,
            until: None,
            basis: AdmissionBasis::Order(order),
            from: None,
        }
        .into()]),
    );
    for (person, through) in [(members[1], district), (orlova, other_district)] {
        check(
            &town,
            admit(person, through),
            Then::Refused(DomainError::NotADistrictHead {
                person: person.to_string(),
                date: on,
                clause: clause("003 §7.1"),
            }),
        );
    }
}

fn submit_application(
    by: PersonId,
    association: AssociationId,
    form: ApplicationForm,
    applicant: Member,
    period: (NaiveDate, NaiveDate),
) -> When {
    When::by(
        by,
        date(2024, 9, 5),
        Command::SubmitMembershipApplication {
            application: application_id("application"),
            association,
            form,
            applicant,
            theme: "Функциональная грамотность".into(),
            school_year: year_2024(),
            period_from: period.0,
            period_to: period.1,
        },
    )
}

fn school_year_period() -> (NaiveDate, NaiveDate) {
    (date(2024, 9, 1), date(2025, 5, 31))
}

fn application_submitted(
    association: AssociationId,
    form: ApplicationForm,
    applicant: Member,
) -> Event {
    MembershipApplicationSubmitted {
        application: application_id("application"),
        association,
        form,
        applicant,
        theme: "Функциональная грамотность".into(),
        school_year: year_2024(),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    }
    .into()
}

/// 002 §5.2, appendix 1: a teacher applies to the Center on form 1.
#[test]
fn membership_application_form_1_for_a_teacher_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let applicant = Member::Person(petrova);
    check(
        &town,
        submit_application(
            petrova,
            association,
            ApplicationForm::Teacher,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Teacher,
            applicant,
        )]),
    );
    // The head of her organization may sign it for her (М.П.).
    let director = town.school_director;
    check(
        &town,
        submit_application(
            director,
            association,
            ApplicationForm::Teacher,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Teacher,
            applicant,
        )]),
    );
    // Form 1 is for a teacher, not for an organization.
    check(
        &town,
        submit_application(
            director,
            association,
            ApplicationForm::Teacher,
            Member::Organization(town.school),
            school_year_period(),
        ),
        Then::RefusedWith("invalid_structure"),
    );
}

/// 002 §5.2, appendix 2: an organization applies on form 2, signed by its head.
#[test]
fn membership_application_form_2_for_an_organization_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let school: OrganizationId = town.school;
    let applicant = Member::Organization(school);
    check(
        &town,
        submit_application(
            town.school_director,
            association,
            ApplicationForm::Organization,
            applicant,
            school_year_period(),
        ),
        Then::Events(vec![application_submitted(
            association,
            ApplicationForm::Organization,
            applicant,
        )]),
    );
    check(
        &town,
        submit_application(
            petrova,
            association,
            ApplicationForm::Organization,
            applicant,
            school_year_period(),
        ),
        Then::Refused(DomainError::NotAuthorized {
            reason: "заявку по форме 2 подаёт руководитель образовательного учреждения".into(),
        }),
    );
}

/// 002 §5.2, appendices 1–2: an application is for 1 September – 31 May of its school year.
#[test]
fn application_period_is_1_september_to_31_may_of_its_school_year_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    for (from, to) in [
        (date(2024, 9, 1), date(2025, 6, 30)),
        (date(2024, 10, 1), date(2025, 5, 31)),
        (date(2025, 9, 1), date(2026, 5, 31)),
    ] {
        check(
            &town,
            submit_application(
                petrova,
                association,
                ApplicationForm::Teacher,
                Member::Person(petrova),
                (from, to),
            ),
            Then::Refused(DomainError::ApplicationPeriodMismatch {
                from,
                to,
                expected_from: date(2024, 9, 1),
                expected_to: date(2025, 5, 31),
                clause: clause("002 §5.2, прил. 1, прил. 2"),
            }),
        );
    }
}

/// 000 §4.1, §7.5: the composition is not made by applications there; one is refused.
#[test]
fn applications_refused_where_the_profile_has_none_000_4_1() {
    let (mut town, association, _) = novokuznetsk_district();
    let orlova = town.person("orlova", Spec::teacher());
    check(
        &town,
        submit_application(
            orlova,
            association,
            ApplicationForm::Teacher,
            Member::Person(orlova),
            school_year_period(),
        ),
        Then::Refused(DomainError::ApplicationsNotProvided {
            clause: clause("000 §4.1, §7.5"),
        }),
    );
}

/// 002 §5.2: the Center approves an application, and the teacher is admitted on it until
/// 31 May.
#[test]
fn approved_application_admits_the_member_until_31_may_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let specialist = town.center_specialist;
    let approve = When::by(
        specialist,
        date(2024, 9, 6),
        Command::ApproveMembershipApplication { application },
    );
    let decision = check(
        &town,
        approve.clone(),
        Then::Events(vec![MembershipApplicationApproved {
            application,
            association,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.acted_as.to_string(),
        "official:methodical_center:specialist"
    );
    town.apply(&decision, approve.on);
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 7),
            Command::AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            },
        ),
        Then::Events(vec![MemberAdmitted {
            association,
            member: Member::Person(petrova),
            school_year: Some(year_2024()),
            until: Some(date(2025, 5, 31)),
            basis: AdmissionBasis::Application(application),
            from: None,
        }
        .into()]),
    );
}

/// 002 §5.2: no admission on an application that was not approved, nor without one.
#[test]
fn admission_without_approved_application_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let refused = DomainError::ApplicationNotApproved {
        clause: clause("002 §5.2, прил. 1, прил. 2"),
    };
    check(
        &town,
        When::by(
            town.center_specialist,
            date(2024, 9, 7),
            Command::AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            },
        ),
        Then::Refused(refused.clone()),
    );
    let order = town.order("composition", town.department, date(2024, 9, 7));
    check(
        &town,
        When::operator(
            date(2024, 9, 7),
            Command::AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Order(order),
                district_association: None,
            },
        ),
        Then::Refused(refused),
    );
}

/// 002 §5.2: an application is decided once.
#[test]
fn application_decided_twice_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let sidorova = town.person("sidorova", Spec::teacher());
    let approved = town.application("approved", association, petrova);
    let rejected = town.application("rejected", association, sidorova);
    let specialist = town.center_specialist;
    let on = date(2024, 9, 6);
    accept(
        &mut town,
        When::by(
            specialist,
            on,
            Command::ApproveMembershipApplication {
                application: approved,
            },
        ),
    );
    accept(
        &mut town,
        When::by(
            specialist,
            on,
            Command::RejectMembershipApplication {
                application: rejected,
                reason: "Тема не соответствует направлению ГМО".into(),
            },
        ),
    );
    for (application, state) in [(approved, "одобрена"), (rejected, "отклонена")] {
        for command in [
            Command::ApproveMembershipApplication { application },
            Command::RejectMembershipApplication {
                application,
                reason: "Повторно".into(),
            },
        ] {
            check(
                &town,
                When::by(specialist, on, command),
                Then::Refused(DomainError::ApplicationAlreadyDecided {
                    state,
                    clause: clause("002 §5.2, прил. 1, прил. 2"),
                }),
            );
        }
    }
}

/// 002 §5.2: applications go to the Center, which decides them; a teacher does not.
#[test]
fn application_decided_by_the_methodical_center_002_5_2() {
    let (mut town, association, head) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    check(
        &town,
        When::by(
            head,
            date(2024, 9, 6),
            Command::ApproveMembershipApplication { application },
        ),
        Then::RefusedWith("not_authorized"),
    );
}

/// 002 §5.2 with DOMAIN.md §3: the Center may return an application for rework with a
/// comment; the applicant resubmits it under the same id, and it waits for a decision again.
/// A return without a comment, a decision while it is back with the applicant and a
/// resubmission for someone else are refused.
#[test]
fn application_returned_for_rework_is_resubmitted_and_decided_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let sidorova = town.person("sidorova", Spec::teacher());
    let application = town.application("application", association, petrova);
    let specialist = town.center_specialist;
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 6),
            Command::ReturnMembershipApplication {
                application,
                comment: "  ".into(),
            },
        ),
        Then::RefusedWith("decision_text_required"),
    );
    accept(
        &mut town,
        When::by(
            specialist,
            date(2024, 9, 6),
            Command::ReturnMembershipApplication {
                application,
                comment: "Уточните тему работы в ГМО".into(),
            },
        ),
    );
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 7),
            Command::ApproveMembershipApplication { application },
        ),
        Then::Refused(DomainError::ApplicationAlreadyDecided {
            state: "возвращена на доработку",
            clause: clause("002 §5.2, прил. 1, прил. 2"),
        }),
    );
    let resubmit = |applicant| Command::SubmitMembershipApplication {
        application,
        association,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(applicant),
        theme: "Функциональная грамотность на уроках математики".into(),
        school_year: year_2024(),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    };
    check(
        &town,
        When::by(sidorova, date(2024, 9, 9), resubmit(sidorova)),
        Then::RefusedWith("invalid_structure"),
    );
    accept(
        &mut town,
        When::by(petrova, date(2024, 9, 9), resubmit(petrova)),
    );
    check(
        &town,
        When::by(
            specialist,
            date(2024, 9, 10),
            Command::ApproveMembershipApplication { application },
        ),
        Then::Events(vec![MembershipApplicationApproved {
            application,
            association,
        }
        .into()]),
    );
}

// ---- structure (003 §I.5, §IV; 001 §1.1; 002 §1.1; 004 §8) ------------------------------

fn create(
    on: NaiveDate,
    name: &str,
    level: Level,
    kind: AssociationKind,
    district: Option<domain::ids::DistrictId>,
    order: domain::ids::OrderId,
) -> When {
    When::operator(
        on,
        Command::CreateAssociation {
            association: association_id(name),
            title: format!("Объединение {name}"),
            subject: subject("математика"),
            level,
            kind,
            group_membership: None,
            district,
            organization: None,
            order,
            review: None,
            curating_organization: None,
        },
    )
}

/// 001 §1.1, §1.3: Kuznetsk has one municipal level; a district association is refused.
#[test]
fn level_not_provided_by_the_profile_refused_001_1_1() {
    let mut town = Town::kuznetsk();
    let on = date(2024, 9, 1);
    let order = town.order("create", town.department, on);
    let central = town.central;
    check(
        &town,
        create(
            on,
            "district",
            Level::District,
            AssociationKind::MethodicalAssociation,
            Some(central),
            order,
        ),
        Then::Refused(DomainError::LevelNotProvided {
            level: "районный",
            clause: clause("001 §1.1, §1.3"),
        }),
    );
}

/// 002 §1.1, §1.2: Izhevsk has methodical associations only; a creative lab is refused, while
/// Pervouralsk provides one (004 §8).
#[test]
fn kind_not_provided_by_the_profile_refused_002_1_1() {
    let mut izhevsk = Town::izhevsk();
    let on = date(2024, 9, 1);
    let order = izhevsk.order("create", izhevsk.center, on);
    check(
        &izhevsk,
        create(
            on,
            "lab",
            Level::City,
            AssociationKind::CreativeLab,
            None,
            order,
        ),
        Then::Refused(DomainError::KindNotProvided {
            kind: "творческая лаборатория",
            clause: clause("002 §1.1, §1.2"),
        }),
    );
    let mut pervouralsk = Town::pervouralsk();
    let order = pervouralsk.order("create", pervouralsk.center, on);
    check(
        &pervouralsk,
        create(
            on,
            "lab",
            Level::City,
            AssociationKind::CreativeLab,
            None,
            order,
        ),
        Then::Events(vec![AssociationCreated {
            association: association_id("lab"),
            municipality: pervouralsk.municipality,
            title: "Объединение lab".into(),
            subject: subject("математика"),
            level: Level::City,
            kind: AssociationKind::CreativeLab,
            group_membership: None,
            district: None,
            organization: None,
            order,
            review: None,
            curating_organization: None,
        }
        .into()]),
    );
}

/// 003 §I.5: associations are created by order of the head of the department; an order of
/// another body does not create one.
#[test]
fn association_created_only_by_order_of_the_department_003_i_5() {
    let mut town = Town::novosibirsk();
    let on = date(2024, 9, 1);
    let department = town.order("create", town.department, on);
    let center = town.order("create-by-center", town.center, on);
    let central = town.central;
    check(
        &town,
        create(
            on,
            "math",
            Level::District,
            AssociationKind::MethodicalAssociation,
            Some(central),
            department,
        ),
        Then::Events(vec![AssociationCreated {
            association: association_id("math"),
            municipality: town.municipality,
            title: "Объединение math".into(),
            subject: subject("математика"),
            level: Level::District,
            kind: AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: Some(central),
            organization: None,
            order: department,
            review: None,
            curating_organization: None,
        }
        .into()]),
    );
    check(
        &town,
        create(
            on,
            "math",
            Level::District,
            AssociationKind::MethodicalAssociation,
            Some(central),
            center,
        ),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "create-by-center-од".into(),
            expected: "орган управления образованием",
            actual: "методический центр",
            clause: clause("003 §I.5, §I.4"),
        }),
    );
}

/// 003 §7.1 (000 §1.5, §4.1, §7.5): a district association linked to the city association
/// of its subject keeps that subject; a reorganization may rename it, and an association
/// not linked may change its subject.
#[test]
fn linked_district_association_keeps_its_city_associations_subject_003_7_1() {
    let mut town = Town::novosibirsk();
    let city = town.methodical_association("math-city", Level::City);
    let district = town.methodical_association("math-central", Level::District);
    let free = town.methodical_association("math-free", Level::District);
    town.link(city, district);
    let on = date(2025, 6, 1);
    let order = town.order("reorganize", town.department, on);
    let reorganize = |association, title: Option<&str>, subject_name: Option<&str>| {
        When::operator(
            on,
            Command::ReorganizeAssociation {
                association,
                title: title.map(str::to_string),
                subject: subject_name.map(subject),
                kind: None,
                order,
            },
        )
    };
    check(
        &town,
        reorganize(district, None, Some("физика")),
        Then::Refused(DomainError::CityLinkMismatch {
            reason: format!(
                "«МО math-central» связано с городским объединением {city} своего предмета, и предмет районного объединения, пока связь есть, не меняется"
            ),
            clause: clause("003 §7.1"),
        }),
    );
    check(
        &town,
        reorganize(
            district,
            Some("РМО учителей математики и информатики"),
            Some("математика"),
        ),
        Then::Events(vec![AssociationReorganized {
            association: district,
            title: Some("РМО учителей математики и информатики".into()),
            subject: Some(subject("математика")),
            kind: None,
            order,
        }
        .into()]),
    );
    check(
        &town,
        reorganize(free, None, Some("физика")),
        Then::Events(vec![AssociationReorganized {
            association: free,
            title: None,
            subject: Some(subject("физика")),
            kind: None,
            order,
        }
        .into()]),
    );
}

/// 003 §I.5: an association liquidated by order takes no further action: no members, no
/// meetings, no elections; its memberships end the day before.
#[test]
fn liquidated_association_refuses_further_actions_003_i_5() {
    let (mut town, association, members, _) = novosibirsk_with_meeting();
    let on = date(2025, 6, 1);
    let order = town.order("liquidate", town.department, on);
    let decision = accept(
        &mut town,
        When::operator(on, Command::LiquidateAssociation { association, order }),
    );
    assert_eq!(
        decision.events,
        vec![AssociationLiquidated { association, order }.into()]
    );
    let world = town.world();
    let state = world.association(association).expect("the association");
    assert_eq!(state.member_count_on(on), 0);
    assert_eq!(state.member_count_on(date(2025, 5, 31)), 5);
    let newcomer = town.person("newcomer", Spec::teacher());
    let later = date(2025, 6, 10);
    let refused = DomainError::AssociationLiquidated {
        since: on,
        clause: clause("003 §I.5, §I.4"),
    };
    let admission = town.order("admit", town.department, later);
    check(
        &town,
        When::operator(
            later,
            Command::AdmitMember {
                association,
                member: Member::Person(newcomer),
                basis: AdmissionBasis::Order(admission),
                district_association: None,
            },
        ),
        Then::Refused(refused.clone()),
    );
    check(
        &town,
        When::by(
            members[0],
            later,
            Command::ScheduleMeeting {
                meeting: meeting_id("after"),
                association,
                date: date(2025, 6, 20),
                agenda: vec!["Итоги года".into()],
            },
        ),
        Then::Refused(refused.clone()),
    );
    check(
        &town,
        When::operator(later, Command::LiquidateAssociation { association, order }),
        Then::Refused(refused),
    );
}

// ---- meetings and protocols (000 §4.4; 003 §7.6) ----------------------------------------

fn hold(by: PersonId, association: AssociationId, attendance: &[PersonId], decision: &str) -> When {
    When::by(
        by,
        meeting_day(),
        Command::HoldMeeting {
            meeting: meeting_id("held"),
            association,
            attendance: attendance.to_vec(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", decision),
            ],
            recommendations: vec![],
        },
    )
}

/// 000 §4.4, §10.1: every question discussed at a meeting gets a decision.
#[test]
fn every_question_needs_a_decision_000_4_4() {
    let (town, association, members) = novokuznetsk_district();
    check(
        &town,
        hold(members[1], association, &members, "  "),
        Then::Refused(DomainError::QuestionWithoutDecision {
            question: "О конкурсе".into(),
            clause: clause("000 §4.4, §10.1"),
        }),
    );
    check(
        &town,
        hold(
            members[1],
            association,
            &members,
            "Провести конкурс в марте",
        ),
        Then::Events(vec![MeetingHeld {
            meeting: meeting_id("held"),
            association,
            date: meeting_day(),
            school_year: year_2024(),
            attendance: members.clone(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", "Провести конкурс в марте"),
            ],
            recommendations: vec![],
        }
        .into()]),
    );
}

/// 003 §7.6: the Novosibirsk regulation does not require a decision on every question.
#[test]
fn question_without_decision_accepted_where_the_profile_does_not_require_one_003_7_6() {
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0]);
    check(
        &town,
        hold(members[0], association, &members, ""),
        Then::Events(vec![MeetingHeld {
            meeting: meeting_id("held"),
            association,
            date: meeting_day(),
            school_year: year_2024(),
            attendance: members.clone(),
            questions: vec![
                decided("О плане работы", "Утвердить план работы"),
                decided("О конкурсе", ""),
            ],
            recommendations: vec![],
        }
        .into()]),
    );
}

/// 000 §4.3, §4.5: a meeting is recorded by its head or secretary, not by an ordinary member
/// or the operator.
#[test]
fn meeting_recorded_only_by_head_or_secretary_000_4_5() {
    let (town, association, members) = novokuznetsk_district();
    check(
        &town,
        hold(members[2], association, &members, "Провести"),
        Then::RefusedWith("not_authorized"),
    );
    let mut by_operator = hold(members[2], association, &members, "Провести");
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::RefusedWith("not_authorized"));
}

fn draft(by: PersonId, meeting: MeetingId, tag: &str) -> When {
    When::by(
        by,
        date(2024, 9, 11),
        Command::DraftProtocol {
            meeting,
            number: "1".into(),
            content_hash: hash_of(tag),
        },
    )
}

fn sign(by: PersonId, meeting: MeetingId) -> When {
    When::by(by, date(2024, 9, 12), Command::SignProtocol { meeting })
}

/// 003 §7.6: the secretary draws up the protocol; the head does not.
#[test]
fn protocol_drafted_only_by_the_secretary_003_7_6() {
    let (town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    check(
        &town,
        draft(head, meeting, "protocol-1"),
        Then::Refused(DomainError::ProtocolDrafterMismatch {
            role: "секретарь",
            clause: clause("003 §7.6"),
        }),
    );
    check(
        &town,
        draft(secretary, meeting, "protocol-1"),
        Then::Events(vec![ProtocolDrafted {
            meeting,
            association,
            number: "1".into(),
            drafted_by: secretary,
            content_hash: hash_of("protocol-1"),
        }
        .into()]),
    );
}

/// 003 §7.6: the head signs the protocol the secretary drew up; the secretary and the
/// operator do not sign.
#[test]
fn protocol_signed_only_by_the_head_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let refused = DomainError::ProtocolSignerMismatch {
        role: "руководитель",
        clause: clause("003 §7.6"),
    };
    check(
        &town,
        sign(secretary, meeting),
        Then::Refused(refused.clone()),
    );
    let mut by_operator = sign(head, meeting);
    by_operator.acting = domain::Acting::Operator;
    check(&town, by_operator, Then::Refused(refused));
    let decision = check(
        &town,
        sign(head, meeting),
        Then::Events(vec![ProtocolSigned {
            meeting,
            association,
            signed_by: head,
            content_hash: hash_of("protocol-1"),
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(
        decision.basis,
        Some(BasisRef {
            kind: BasisKindRef::Protocol,
            number: "1".into(),
            date: meeting_day(),
            issuer: "МО math-central".into(),
        })
    );
}

/// 003 §7.6: a signed protocol is final: it is neither signed again nor drawn up anew.
#[test]
fn signed_protocol_cannot_be_resigned_or_redrafted_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11))
        .protocol_signed(meeting, association, head, date(2024, 9, 12));
    check(
        &town,
        sign(head, meeting),
        Then::Refused(DomainError::ProtocolAlreadySigned),
    );
    check(
        &town,
        draft(secretary, meeting, "protocol-2"),
        Then::Refused(DomainError::ProtocolAlreadySigned),
    );
}

/// 003 §7.6: a signed protocol is corrected by a separate record that references the hash of
/// the signed text; an unsigned one is not "corrected".
#[test]
fn protocol_correction_references_the_signed_text_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let correct = When::by(
        head,
        date(2024, 9, 20),
        Command::CorrectProtocol {
            meeting,
            content_hash: hash_of("protocol-1-corrected"),
            reason: "Опечатка в фамилии".into(),
        },
    );
    check(
        &town,
        correct.clone(),
        Then::Refused(DomainError::MeetingState {
            state: "протокол оформлен, не подписан",
            action: "исправление подписанного протокола",
        }),
    );
    town.protocol_signed(meeting, association, head, date(2024, 9, 12));
    check(
        &town,
        correct,
        Then::Events(vec![ProtocolCorrected {
            meeting,
            association,
            corrects: hash_of("protocol-1"),
            content_hash: hash_of("protocol-1-corrected"),
            reason: "Опечатка в фамилии".into(),
            corrected_by: head,
        }
        .into()]),
    );
}

/// 003 §7.6: a protocol is drawn up after the meeting was held, not for a scheduled one.
#[test]
fn protocol_of_a_meeting_not_held_refused_003_7_6() {
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0])
        .secretary(association, members[1]);
    let meeting = meeting_id("planned");
    town.fact(
        MeetingScheduled {
            meeting,
            association,
            date: date(2024, 10, 1),
            agenda: vec!["О плане работы".into()],
        },
        meeting_day(),
    );
    check(
        &town,
        draft(members[1], meeting, "protocol-1"),
        Then::Refused(DomainError::MeetingState {
            state: "запланировано",
            action: "оформление протокола",
        }),
    );
}

// ---- documents (002 §5.7, §5.11, §5.13; 000 §10.5) --------------------------------------

/// 002 §5.7: the technical assignment is written by the Center; the head of the association
/// may not open one.
#[test]
fn technical_assignment_written_by_the_methodical_center_002_5_7() {
    let (town, association, head) = izhevsk_association();
    let open = |by: PersonId| {
        When::by(
            by,
            date(2024, 9, 3),
            Command::OpenDocument {
                document: document_id("assignment"),
                association,
                document_type: DocumentType::TechnicalAssignment,
                school_year: year_2024(),
                title: "Техническое задание ГМО".into(),
                nomination: None,
            },
        )
    };
    check(
        &town,
        open(head),
        Then::Refused(DomainError::DocumentAuthorMismatch {
            document: "техническое задание",
            authors: "методический центр".into(),
            clause: clause("002 §5.7, §4.1"),
        }),
    );
    let decision = check(
        &town,
        open(town.center_director),
        Then::Events(vec![DocumentOpened {
            document: document_id("assignment"),
            association,
            document_type: DocumentType::TechnicalAssignment,
            school_year: year_2024(),
            title: "Техническое задание ГМО".into(),
            nomination: None,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(decision.acted_as.to_string(), "methodical_center");
}

/// 002 §5.13: the curator's yearly report is the curator's; the head may not submit it.
#[test]
fn curator_yearly_report_written_by_the_curator_002_5_13() {
    let (mut town, association, head) = izhevsk_association();
    let document = town.document("report", association, DocumentType::CuratorYearlyReport);
    let submit = |by: PersonId| {
        When::by(
            by,
            date(2025, 5, 30),
            Command::SubmitDocumentVersion {
                document,
                content_hash: hash_of("report"),
                network_event: None,
                based_on: None,
            },
        )
    };
    check(
        &town,
        submit(head),
        Then::Refused(DomainError::DocumentAuthorMismatch {
            document: "отчёт куратора за год",
            authors: "куратор".into(),
            clause: clause("002 §5.13, §7.1"),
        }),
    );
    check(
        &town,
        submit(town.center_specialist),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document,
                association,
                version: 1,
                author: town.center_specialist,
                content_hash: hash_of("report"),
                network_event: None,
                based_on: None,
            }
            .into(),
            // The Center, which controls the ГМО (002 §7.1), receives the report.
            ApprovalChainAssigned {
                document,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep::of(StepRole::MethodicalCenter),
                    association: None,
                }],
                submit_by: None,
                due: None,
                review_days: 10,
                clause: clause("002 §5.13, §7.1"),
            }
            .into(),
        ]),
    );
}

/// A document opened on the joining day for `year` and submitted on `submitted`; approved on
/// `approved` when given.
fn document_of_year(
    town: &mut Town,
    name: &str,
    association: AssociationId,
    document_type: DocumentType,
    school_year: domain::SchoolYear,
    (submitted, approved): (NaiveDate, Option<NaiveDate>),
) -> domain::ids::DocumentId {
    let document = document_id(name);
    let author = town.center_specialist;
    town.fact(
        DocumentOpened {
            document,
            association,
            document_type,
            school_year,
            title: format!("Документ {name}"),
            nomination: None,
        },
        joined_day(),
    )
    .fact(
        DocumentVersionSubmitted {
            document,
            association,
            version: 1,
            author,
            content_hash: hash_of(name),
            network_event: None,
            based_on: None,
        },
        submitted,
    );
    if let Some(on) = approved {
        town.fact(
            DocumentApproved {
                document,
                association,
                version: 1,
            },
            on,
        );
    }
    document
}

/// 002 §5.8, §4.1: the road map is developed on the basis of the technical assignment agreed
/// with the curator. Each version cites the assignment of its own ГМО and school year,
/// approved by the day of the version; the version records it. Without one — none cited,
/// one still with the curator, approved only later, of another year or ГМО, or not an
/// assignment at all — it is refused; a document that needs no basis cites none.
#[test]
fn road_map_developed_on_the_approved_technical_assignment_002_5_8() {
    let (mut town, association, head) = izhevsk_association();
    let other = town.methodical_association("reading-gmo", Level::City);
    let ta = DocumentType::TechnicalAssignment;
    let agreed = document_of_year(
        &mut town,
        "ta",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let pending = document_of_year(
        &mut town,
        "ta-pending",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), None),
    );
    let later = document_of_year(
        &mut town,
        "ta-later",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 20))),
    );
    let last_year = document_of_year(
        &mut town,
        "ta-2023",
        association,
        ta,
        year("2023/24"),
        (date(2023, 9, 5), Some(date(2023, 9, 10))),
    );
    let of_other = document_of_year(
        &mut town,
        "ta-other",
        other,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let analysis = document_of_year(
        &mut town,
        "analysis",
        association,
        DocumentType::AnnualAnalysis,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let road_map = town.document("road-map", association, DocumentType::WorkPlan);
    let on = date(2024, 9, 16);
    let submit = |based_on| {
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion {
                document: road_map,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on,
            },
        )
    };
    let refused = |reason: String| {
        Then::Refused(DomainError::BasisDocumentRequired {
            document: "план работы (дорожная карта)",
            basis: "техническое задание",
            reason,
            clause: clause("002 §5.8, §4.1"),
        })
    };
    check(
        &town,
        submit(None),
        refused("основание не указано (based_on)".into()),
    );
    check(
        &town,
        submit(Some(pending)),
        refused(format!("документ {pending} не утверждён: на согласовании")),
    );
    check(
        &town,
        submit(Some(later)),
        refused(format!(
            "документ {later} утверждён только 2024-09-20, позже 2024-09-16"
        )),
    );
    check(
        &town,
        submit(Some(last_year)),
        refused(format!(
            "документ {last_year} на 2023/24 учебный год, а этот — на 2024/25"
        )),
    );
    check(
        &town,
        submit(Some(of_other)),
        refused(format!("документ {of_other} другого объединения")),
    );
    check(
        &town,
        submit(Some(analysis)),
        refused(format!(
            "документ {analysis} — «анализ работы за учебный год»"
        )),
    );
    check(
        &town,
        submit(Some(agreed)),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document: road_map,
                association,
                version: 1,
                author: head,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on: Some(agreed),
            }
            .into(),
            ApprovalChainAssigned {
                document: road_map,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep {
                        at_meeting: Some(MeetingOf::Own),
                        ..ChainStep::of(StepRole::Curator)
                    },
                    association: Some(association),
                }],
                submit_by: None,
                due: None,
                review_days: 10,
                clause: clause("002 §5.8"),
            }
            .into(),
        ]),
    );
    // The annual analysis needs no basis: citing one is refused.
    let own_analysis = town.document("own-analysis", association, DocumentType::AnnualAnalysis);
    check(
        &town,
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion {
                document: own_analysis,
                content_hash: hash_of("analysis"),
                network_event: None,
                based_on: Some(agreed),
            },
        ),
        Then::RefusedWith("invalid_structure"),
    );
}

/// 000 §10.5: a submitted plan waits for its decision; a second version is not submitted
/// over it.
#[test]
fn second_submission_while_awaiting_decision_refused_000_10_5() {
    let (mut town, association, members) = novokuznetsk_district();
    // The district plan goes to the city head (000 §10.5): the district is linked to its
    // city association.
    let city = town.methodical_association("math-city", Level::City);
    town.link(city, association);
    let document = town.document("plan", association, DocumentType::WorkPlan);
    let submit = |tag: &str| {
        When::by(
            members[0],
            date(2025, 4, 20),
            Command::SubmitDocumentVersion {
                document,
                content_hash: hash_of(tag),
                network_event: None,
                based_on: None,
            },
        )
    };
    accept(&mut town, submit("plan-v1"));
    check(
        &town,
        submit("plan-v2"),
        Then::Refused(DomainError::DocumentAwaitingDecision { version: 1 }),
    );
}

/// 000: the Novokuznetsk regulation has no network-event reports; one is not opened.
#[test]
fn document_not_provided_by_the_profile_refused_000_4_5() {
    let (town, association, members) = novokuznetsk_district();
    check(
        &town,
        When::by(
            members[0],
            date(2024, 10, 1),
            Command::OpenDocument {
                document: document_id("report"),
                association,
                document_type: DocumentType::NetworkEventReport,
                school_year: year_2024(),
                title: "Отчёт о семинаре".into(),
                nomination: None,
            },
        ),
        Then::Refused(DomainError::DocumentNotProvided {
            document: "отчёт о сетевом событии",
            level: "районный",
            clause: clause("000 §4.5, §10.3"),
        }),
    );
    // 004 lists no documentation of an association: the nearest clause (§8) is cited.
    let mut town = Town::pervouralsk();
    let association = town.methodical_association("math-city", Level::City);
    let head = town.person("ivanova", Spec::teacher());
    town.admit(association, &[head]).head(association, head);
    check(
        &town,
        When::by(
            head,
            date(2024, 10, 1),
            Command::OpenDocument {
                document: document_id("plan"),
                association,
                document_type: DocumentType::WorkPlan,
                school_year: year_2024(),
                title: "План работы".into(),
                nomination: None,
            },
        ),
        Then::Refused(DomainError::DocumentNotProvided {
            document: "план работы (дорожная карта)",
            level: "городской (муниципальный)",
            clause: clause("004 §8"),
        }),
    );
}

fn network_event(
    topic: &str,
    goal: &str,
    audience: &str,
    count: u32,
    evidence: usize,
) -> NetworkEventDetails {
    NetworkEventDetails {
        topic: topic.into(),
        held_on: date(2024, 11, 14),
        goal: goal.into(),
        audience: audience.into(),
        programme: None,
        attendees: vec![],
        attendance_count: count,
        attendance_sheet: hash_of("attendance-sheet"),
        evidence: (0..evidence)
            .map(|i| hash_of(&format!("photo-{i}")))
            .collect(),
    }
}

/// 002 §5.11: a network-event report states the topic, date, goal and audience, with the
/// attendance sheet and a photo or screenshot.
#[test]
fn network_event_report_requires_topic_goal_audience_attendance_and_evidence_002_5_11() {
    let (mut town, association, head) = izhevsk_association();
    let document = town.document("seminar", association, DocumentType::NetworkEventReport);
    let submit = |details: Option<NetworkEventDetails>| {
        When::by(
            head,
            date(2024, 11, 15),
            Command::SubmitDocumentVersion {
                document,
                content_hash: hash_of("seminar-report"),
                network_event: details,
                based_on: None,
            },
        )
    };
    check(
        &town,
        submit(None),
        Then::Refused(DomainError::NetworkEventReportIncomplete {
            missing: "сведения о событии (тема, дата, цель, аудитория, лист регистрации, фото)"
                .into(),
        }),
    );
    check(
        &town,
        submit(Some(network_event(" ", "", "", 0, 0))),
        Then::Refused(DomainError::NetworkEventReportIncomplete {
            missing: "тема, цель, целевая аудитория, лист регистрации участников (число \
                      участников), фото или скриншот"
                .into(),
        }),
    );
    check(
        &town,
        submit(Some(network_event(
            " Формирующее оценивание ",
            "Обмен опытом",
            "Учителя математики",
            24,
            2,
        ))),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document,
                association,
                version: 1,
                author: head,
                content_hash: hash_of("seminar-report"),
                network_event: Some(network_event(
                    "Формирующее оценивание",
                    "Обмен опытом",
                    "Учителя математики",
                    24,
                    2,
                )),
                based_on: None,
            }
            .into(),
            // The first submission fixes the chain: reports go to the Center (002 §7.1).
            ApprovalChainAssigned {
                document,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep::of(StepRole::MethodicalCenter),
                    association: None,
                }],
                submit_by: None,
                due: None,
                review_days: 10,
                clause: clause("002 §5.11, §7.1"),
            }
            .into(),
        ]),
    );
}

// ---- member database (000 §4.6, §10.4) --------------------------------------------------

/// 000 §4.6, §10.4: the head or the secretary updates the member database every year; the
/// update records how many members there were that day. An ordinary member may not.
#[test]
fn member_database_updated_by_head_or_secretary_with_member_count_000_4_6() {
    let (town, association, members) = novokuznetsk_district();
    let update = |by: PersonId, school_year| {
        When::by(
            by,
            date(2024, 9, 25),
            Command::UpdateMemberDatabase {
                association,
                school_year,
            },
        )
    };
    for by in [members[0], members[1]] {
        check(
            &town,
            update(by, year_2024()),
            Then::Events(vec![MemberDatabaseUpdated {
                association,
                school_year: year_2024(),
                member_count: 5,
            }
            .into()]),
        );
    }
    check(
        &town,
        update(members[2], year_2024()),
        Then::RefusedWith("not_authorized"),
    );
    check(
        &town,
        update(members[0], year("2023/24")),
        Then::Refused(DomainError::DateOutsideSchoolYear {
            date: date(2024, 9, 25),
            year: "2023/24".into(),
        }),
    );
}

// ---- effectiveness indicators (001 §4.1.2–4.1.3) ---------------------------------------

/// 001 §4.1.2–4.1.3: the association records its members' steps of professional growth that
/// the indicators count — the operator from the records or its head; once per member, step
/// and year; only for a member on the day; a route (ИОМ) is completed only after it was
/// developed; and only where the regulation has such indicators (000 has none).
#[test]
fn development_recorded_for_members_where_the_profile_counts_it_001_4_1() {
    let mut town = Town::kuznetsk();
    let association = town.methodical_association("math-mmo", Level::City);
    let people = town.teachers(&["ivanova", "petrova", "sidorova"]);
    town.admit(association, &people[..2])
        .head(association, people[0]);
    let on = date(2024, 10, 10);
    let record = |person, milestone| Command::RecordDevelopment {
        association,
        person,
        school_year: year_2024(),
        milestone,
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
            Command::RecordDevelopment {
                association: district,
                person: members[1],
                school_year: year_2024(),
                milestone: DevelopmentMilestone::Diagnostics,
            },
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
            Command::RecordDevelopment {
                association,
                person: members[1],
                school_year: year_2024(),
                milestone: DevelopmentMilestone::RegionalMethodist,
            },
        ),
        Then::Refused(DomainError::IndicatorNotProvided {
            milestone: "получил статус регионального методиста".into(),
            clause: clause("003 §VI"),
        }),
    );
}

// ---- personal data (152-FZ) and the registry --------------------------------------------

fn register(person: PersonId, organization: OrganizationId) -> Command {
    Command::RegisterPerson {
        person,
        municipality: domain::ids::MunicipalityId::derived(NS, "novosibirsk"),
        organization,
        position_kind: PositionKind::Teacher,
        full_name: "Иванова Анна Сергеевна".into(),
        birth_date: date(1985, 4, 12),
        position_title: "учитель математики".into(),
        category: category(CategoryLevel::First, date(2021, 12, 20)),
        specialty_since: date(2008, 9, 1),
        subjects: vec![subject("Математика")],
    }
}

/// 152-FZ: a person's name, birth date and position title are written only as the vault
/// sealed them.
#[test]
fn person_registered_with_sealed_personal_fields_152_fz() {
    let town = Town::novosibirsk();
    let person = person_id("new-teacher");
    check(
        &town,
        When::operator(registry_day(), register(person, town.school)).sealed(sealed_fields(person)),
        Then::Events(vec![PersonRegistered {
            person,
            municipality: town.municipality,
            organization: town.school,
            position_kind: PositionKind::Teacher,
            full_name: sealed(person, "full_name"),
            birth_date: sealed(person, "birth_date"),
            position_title: sealed(person, "position_title"),
            category: category(CategoryLevel::First, date(2021, 12, 20)),
            specialty_since: date(2008, 9, 1),
            subjects: vec![subject("математика")],
        }
        .into()]),
    );
}

/// 152-FZ: clear text in a personal field, or a field the vault did not seal, is refused.
#[test]
fn clear_personal_data_refused_152_fz() {
    let town = Town::novosibirsk();
    let person = person_id("new-teacher");
    let clear = SealedPersonalFields {
        full_name: Some(Sealed(json!("Иванова Анна Сергеевна"))),
        ..sealed_fields(person)
    };
    let no_ciphertext = SealedPersonalFields {
        birth_date: Some(Sealed(
            json!({"sealed": {"person": person.to_string(), "field": "birth_date"}}),
        )),
        ..sealed_fields(person)
    };
    let missing = SealedPersonalFields {
        position_title: None,
        ..sealed_fields(person)
    };
    for sealed in [clear, no_ciphertext, missing] {
        check(
            &town,
            When::operator(registry_day(), register(person, town.school)).sealed(sealed),
            Then::Refused(DomainError::PersonalDataNotSealed),
        );
    }
    let teacher = person_id("school-director");
    check(
        &town,
        When::operator(
            date(2024, 9, 1),
            Command::TransferPerson {
                person: teacher,
                organization: town.north_school,
                position_kind: PositionKind::DeputyHead,
                position_title: "заместитель директора".into(),
            },
        )
        .sealed(SealedPersonalFields {
            position_title: Some(Sealed(json!("заместитель директора"))),
            ..SealedPersonalFields::default()
        }),
        Then::Refused(DomainError::PersonalDataNotSealed),
    );
}

fn issue(on: NaiveDate, issuer: domain::ids::BodyId) -> Command {
    Command::IssueOrder {
        order: order_id("new-order"),
        municipality: domain::ids::MunicipalityId::derived(NS, "novokuznetsk"),
        issuer,
        kind: OrderKind::Order,
        number: "3246".into(),
        date: on,
        title: "Об утверждении руководителей ГПМО".into(),
        decides: vec![],
        signed_by: None,
    }
}

/// 000 §4.2: orders are signed by the chief or a deputy chief of the body; a specialist does
/// not sign, and a council reviews but does not issue orders.
#[test]
fn orders_signed_by_chief_or_deputy_and_not_issued_by_councils_000_4_2() {
    let town = Town::novokuznetsk();
    let on = date(2024, 9, 10);
    check(
        &town,
        When::by(town.department_chief, on, issue(on, town.department)),
        Then::Events(vec![OrderIssued {
            order: order_id("new-order"),
            municipality: town.municipality,
            issuer: town.department,
            issuer_kind: domain::values::BodyKind::Department,
            kind: OrderKind::Order,
            number: "3246".into(),
            date: on,
            title: "Об утверждении руководителей ГПМО".into(),
            decides: vec![],
            signed_by: Some(town.department_chief),
        }
        .into()]),
    );
    check(
        &town,
        When::by(town.department_specialist, on, issue(on, town.department)),
        Then::Refused(DomainError::OrderSignerNotAuthorized),
    );
    check(
        &town,
        When::operator(on, issue(on, town.coordination_council)),
        Then::Refused(DomainError::InvalidStructure {
            reason: "совет («Координационный совет ММС») не издаёт приказов: он рассматривает, \
                     решение принимает орган"
                .into(),
        }),
    );
}

// ---- rules added after review -----------------------------------------------------------

/// 003 §7.4: the members present who vote are every member who attended; leaving some out
/// of the count cannot turn a minority into a majority.
#[test]
fn vote_must_count_every_member_present_003_7_4() {
    let (mut town, association, members) = novosibirsk_association();
    let meeting = town.meeting_held(association, "election", meeting_day(), &members);
    // Two "for" out of the three listed would be a majority of those three, not of the five
    // who attended.
    check(
        &town,
        elect_head(
            members[0],
            meeting_day(),
            association,
            members[2],
            vote(meeting, &members[..3], 2, 1, 0),
        ),
        Then::RefusedWith("vote_meeting_invalid"),
    );
}

/// 002 §5.2: membership on an application is for its period; after 31 May there is nothing
/// left to admit on it.
#[test]
fn admission_after_the_application_period_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    town.fact(
        MembershipApplicationApproved {
            application,
            association,
        },
        date(2024, 9, 6),
    );
    check(
        &town,
        When::by(
            town.center_specialist,
            date(2025, 6, 2),
            Command::AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            },
        ),
        Then::Refused(DomainError::ApplicationPeriodOver {
            to: date(2025, 5, 31),
            clause: clause("002 §5.2, прил. 1, прил. 2"),
        }),
    );
}

/// 003 §I.5: after liquidation nobody holds a role or membership in the association.
#[test]
fn liquidation_ends_roles_and_memberships_003_i_5() {
    use domain::state::AssociationState;
    use domain::values::AssociationRole;
    use domain::Aggregate;
    let (mut town, association, members) = novosibirsk_association();
    town.head(association, members[0]);
    let liquidated_on = date(2025, 1, 10);
    let order = town.order(
        "liquidation",
        town.body_of_kind(domain::values::BodyKind::Department),
        liquidated_on,
    );
    town.fact(AssociationLiquidated { association, order }, liquidated_on);
    let facts: Vec<domain::Fact> = town
        .facts()
        .iter()
        .filter(|(event, _)| stream_of(event) == domain::Ref::Association(association))
        .map(|(event, on)| domain::Fact {
            event: event.clone(),
            effective: *on,
        })
        .collect();
    let state = AssociationState::from_facts(&facts);
    assert_eq!(
        state.holder(AssociationRole::Head, date(2025, 1, 9)),
        Some(members[0])
    );
    assert_eq!(state.holder(AssociationRole::Head, liquidated_on), None);
    assert_eq!(state.member_count_on(liquidated_on), 0);
}

/// 003 §7.6: a draft may be redone until the head signs it; the last draft is what is signed.
#[test]
fn protocol_redrafted_before_signing_003_7_6() {
    let (mut town, association, members, meeting) = novosibirsk_with_meeting();
    let (head, secretary) = (members[0], members[1]);
    town.protocol_drafted(meeting, association, secretary, date(2024, 9, 11));
    let redraft = accept(&mut town, draft(secretary, meeting, "protocol-1b"));
    assert_eq!(redraft.events.len(), 1);
    check(
        &town,
        sign(head, meeting),
        Then::Events(vec![ProtocolSigned {
            meeting,
            association,
            signed_by: head,
            content_hash: hash_of("protocol-1b"),
        }
        .into()]),
    );
}

/// 002 §5.2: membership on an application approved in August starts on 1 Sep, the first day
/// of its period, not on the day of admission.
#[test]
fn membership_on_an_application_starts_with_its_period_002_5_2() {
    use domain::state::AssociationState;
    use domain::Aggregate;
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    let application = town.application("application", association, petrova);
    town.fact(
        MembershipApplicationApproved {
            application,
            association,
        },
        date(2024, 8, 20),
    );
    let specialist = town.center_specialist;
    let decision = accept(
        &mut town,
        When::by(
            specialist,
            date(2024, 8, 25),
            Command::AdmitMember {
                association,
                member: Member::Person(petrova),
                basis: AdmissionBasis::Application(application),
                district_association: None,
            },
        ),
    );
    let Event::MemberAdmitted(admitted) = &decision.events[0] else {
        panic!("{decision:?}");
    };
    assert_eq!(admitted.from, Some(date(2024, 9, 1)));
    let facts: Vec<domain::Fact> = town
        .facts()
        .iter()
        .filter(|(event, _)| stream_of(event) == domain::Ref::Association(association))
        .map(|(event, on)| domain::Fact {
            event: event.clone(),
            effective: *on,
        })
        .collect();
    let state = AssociationState::from_facts(&facts);
    assert!(!state.is_member(Member::Person(petrova), date(2024, 8, 31)));
    assert!(state.is_member(Member::Person(petrova), date(2024, 9, 1)));
    assert!(!state.is_member(Member::Person(petrova), date(2025, 6, 1)));
}

/// 002 §5.2: an application is for the school year under way or the coming one.
#[test]
fn application_for_a_past_school_year_refused_002_5_2() {
    let (mut town, association, _) = izhevsk_association();
    let petrova = town.person("petrova", Spec::teacher());
    check(
        &town,
        When::by(
            petrova,
            date(2024, 9, 3),
            Command::SubmitMembershipApplication {
                application: application_id("old"),
                association,
                form: ApplicationForm::Teacher,
                applicant: Member::Person(petrova),
                theme: "Функциональная грамотность".into(),
                school_year: year("2022/23"),
                period_from: date(2022, 9, 1),
                period_to: date(2023, 5, 31),
            },
        ),
        Then::RefusedWith("date_outside_school_year"),
    );
}
