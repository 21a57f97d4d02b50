//! Heads appointed by order (000 §7.4, §4.2; 001 §1.3; 002 §8.1; 004 §7): whose order, after
//! which review, dated when, for which term.

use super::*;
use domain::commands::AppointHead;

pub(super) fn appoint_head(
    on: NaiveDate,
    association: AssociationId,
    person: PersonId,
    order: domain::ids::OrderId,
    review: Option<CouncilReview>,
) -> When {
    When::operator(
        on,
        Command::AppointHead(AppointHead {
            association,
            person,
            school_year: year_2024(),
            order,
            review,
        }),
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
            Command::AppointHead(AppointHead {
                association,
                person: petrova,
                school_year: year("2025/26"),
                order,
                review: None,
            }),
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
/// a municipal association (004 §7).
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
    // §7: the deputy head of the school at the school level, a specialist of the
    // methodical center at the municipal level.
    let ivanova = town.person(
        "ivanova",
        Spec::teacher().position(PositionKind::DeputyHead),
    );
    let center_organization = town.center_organization;
    let petrova = town.person(
        "petrova",
        Spec::teacher()
            .position(PositionKind::CenterSpecialist)
            .at(center_organization),
    );
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
        appoint_head(on, city, petrova, center, None),
        Then::Events(vec![HeadAppointed {
            association: city,
            person: petrova,
            school_year: year_2024(),
            until: None,
            order: center,
            review: None,
        }
        .into()]),
    );
    check(
        &town,
        appoint_head(on, city, petrova, own, None),
        Then::Refused(DomainError::WrongOrderIssuer {
            number: "school-heads-од".into(),
            expected: "методический центр",
            actual: "администрация образовательной организации",
            clause: clause("004 §7"),
        }),
    );
}

/// 004 §7: a school association's head is, on the day of the order, the director or a
/// deputy head of that same organization — not a plain teacher, nor the deputy head of
/// another school; a city association's head works at the methodical center's institution,
/// not at a school. Other profiles keep their own rules (003 §7.3 has no workplace).
#[test]
fn school_head_is_its_organizations_director_or_deputy_and_city_head_works_at_the_center_004_7() {
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
    let association = town.methodical_association("math-school", Level::School);
    let city = town.methodical_association("math-city", Level::City);
    let teacher = town.person("teacher", Spec::teacher());
    let director = town.person("director", Spec::teacher().position(PositionKind::Director));
    let north_deputy = town.person(
        "north-deputy",
        Spec::teacher()
            .position(PositionKind::DeputyHead)
            .at(north_school),
    );
    let on = date(2024, 9, 5);
    let own = town.order("school-heads", administration, on);
    let center = town.order("center-heads", town.center, on);
    let school_rule = "занимать должность: руководитель организации, заместитель руководителя — в образовательной организации объединения";
    check(
        &town,
        appoint_head(on, association, teacher, own, None),
        Then::Refused(DomainError::HeadNotEligible {
            requirement: school_rule.into(),
            found: "на 2024-09-05: должность — педагогический работник".into(),
            clause: clause("004 §7"),
        }),
    );
    check(
        &town,
        appoint_head(on, association, north_deputy, own, None),
        Then::Refused(DomainError::HeadNotEligible {
            requirement: school_rule.into(),
            found: "на 2024-09-05: работает не там — не в организации объединения".into(),
            clause: clause("004 §7"),
        }),
    );
    check(
        &town,
        appoint_head(on, association, director, own, None),
        Then::Events(vec![HeadAppointed {
            association,
            person: director,
            school_year: year_2024(),
            until: None,
            order: own,
            review: None,
        }
        .into()]),
    );
    check(
        &town,
        appoint_head(on, city, teacher, center, None),
        Then::Refused(DomainError::HeadNotEligible {
            requirement: "работать в методическом центре (его учреждении)".into(),
            found: "на 2024-09-05: работает не там — не в методическом центре".into(),
            clause: clause("004 §7"),
        }),
    );
    let err = DomainError::HeadNotEligible {
        requirement: school_rule.into(),
        found: String::new(),
        clause: clause("004 §7"),
    };
    assert_eq!(err.code(), "head_not_eligible");
    assert!(err.to_string().contains("(004 §7)"), "{err}");
}
