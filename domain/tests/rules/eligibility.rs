//! Who may hold a role: heads (003 §7.3) and curators (003 §7.2; 002 §5.3), by category,
//! years in the specialty and position, counted on the effective date.

use super::*;
use domain::commands::AppointCurator;

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

pub(super) fn appoint_curator(
    on: NaiveDate,
    association: AssociationId,
    person: PersonId,
    order: domain::ids::OrderId,
) -> When {
    When::operator(
        on,
        Command::AppointCurator(AppointCurator {
            association,
            person,
            school_year: year_2024(),
            order,
        }),
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
