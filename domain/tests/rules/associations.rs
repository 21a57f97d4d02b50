//! Who creates associations and in which structure (000 §1.4, §7.4; 003 §I.5, §IV, §7.1):
//! orders and reviews, linked district associations, liquidation.

use super::*;
use domain::commands::{
    AdmitMember, ApproveAssociationList, CreateAssociation, LiquidateAssociation,
    ReorganizeAssociation, ScheduleMeeting,
};

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
    if let Command::CreateAssociation(CreateAssociation { review: r, .. }) = &mut when.command {
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
            ends_on: None,
            task: None,
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
            ends_on: None,
            task: None,
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

pub(super) fn create(
    on: NaiveDate,
    name: &str,
    level: Level,
    kind: AssociationKind,
    district: Option<domain::ids::DistrictId>,
    order: domain::ids::OrderId,
) -> When {
    When::operator(
        on,
        Command::CreateAssociation(CreateAssociation {
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
            ends_on: None,
            task: None,
        }),
    )
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
            ends_on: None,
            task: None,
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
            Command::ReorganizeAssociation(ReorganizeAssociation {
                association,
                title: title.map(str::to_string),
                subject: subject_name.map(subject),
                kind: None,
                order,
            }),
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
        When::operator(
            on,
            Command::LiquidateAssociation(LiquidateAssociation { association, order }),
        ),
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
            Command::AdmitMember(AdmitMember {
                association,
                member: Member::Person(newcomer),
                basis: AdmissionBasis::Order(admission),
                district_association: None,
            }),
        ),
        Then::Refused(refused.clone()),
    );
    check(
        &town,
        When::by(
            members[0],
            later,
            Command::ScheduleMeeting(ScheduleMeeting {
                meeting: meeting_id("after"),
                association,
                date: date(2025, 6, 20),
                agenda: vec!["Итоги года".into()],
            }),
        ),
        Then::Refused(refused.clone()),
    );
    check(
        &town,
        When::operator(
            later,
            Command::LiquidateAssociation(LiquidateAssociation { association, order }),
        ),
        Then::Refused(refused),
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

/// 004 §8: Pervouralsk provides creative labs (Izhevsk does not: the row
/// `izhevsk_has_no_creative_labs_002_1_1` of `not_provided`).
#[test]
fn creative_lab_provided_by_pervouralsk_004_8() {
    let (town, when) = super::not_provided::creative_lab_created("pervouralsk");
    let order = order_id("create");
    check(
        &town,
        when,
        Then::Events(vec![AssociationCreated {
            association: association_id("lab"),
            municipality: town.municipality,
            title: "Объединение lab".into(),
            subject: subject("математика"),
            level: Level::City,
            kind: AssociationKind::CreativeLab,
            group_membership: None,
            district: None,
            organization: Some(town.school),
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }
        .into()]),
    );
}

/// 000 §7.4: «Перечень РПМО (в соответствии с перечнем городских профессиональных
/// методических объединений) … утверждаются районными отделами образования до 15 сентября».
/// Given Novokuznetsk's district association of mathematics in the central district, linked
/// to the city one, when the central district's department approves the list for 2024/25 by
/// its order, then the list is recorded; the order of another district's department, an
/// association linked to no city one, a list for a past school year and a profile that sets
/// no list (001) are refused, each naming the rule.
#[test]
fn the_district_department_approves_the_list_of_district_associations_000_7_4() {
    let (mut town, district, _) = novokuznetsk_district();
    let city = town.methodical_association("math-city", Level::City);
    let unlinked = town.methodical_association("physics-central", Level::District);
    town.link(city, district);
    let on = date(2024, 9, 10);
    let central = town.central_department;
    let north = town.north_department;
    let order = town.order("list-central", central, on);
    let foreign = town.order("list-north", north, on);
    let approve = |order, associations: Vec<AssociationId>, year: &str| {
        When::operator(
            on,
            Command::ApproveAssociationList(ApproveAssociationList {
                municipality: town.municipality,
                district: town.central,
                school_year: year.parse().expect("a school year"),
                order,
                associations,
            }),
        )
    };
    check(
        &town,
        approve(order, vec![district], "2024/25"),
        Then::Events(vec![AssociationListApproved {
            municipality: town.municipality,
            district: town.central,
            school_year: year_2024(),
            order,
            associations: vec![district],
        }
        .into()]),
    );
    check(
        &town,
        approve(foreign, vec![district], "2024/25"),
        Then::RefusedWith("wrong_order_issuer"),
    );
    check(
        &town,
        approve(order, vec![district, unlinked], "2024/25"),
        Then::Refused(DomainError::AssociationListInvalid {
            association: unlinked.to_string(),
            reason: "не соотнесено с городским объединением из перечня городских".into(),
            clause: clause("000 §7.4"),
        }),
    );
    check(
        &town,
        approve(order, vec![district], "2023/24"),
        Then::RefusedWith("date_outside_school_year"),
    );
    let mut kuznetsk = Town::kuznetsk();
    let mmo = kuznetsk.methodical_association("math-mmo", Level::City);
    let department = kuznetsk.department;
    let kuznetsk_order = kuznetsk.order("list", department, on);
    check(
        &kuznetsk,
        When::operator(
            on,
            Command::ApproveAssociationList(ApproveAssociationList {
                municipality: kuznetsk.municipality,
                district: kuznetsk.central,
                school_year: year_2024(),
                order: kuznetsk_order,
                associations: vec![mmo],
            }),
        ),
        Then::Refused(DomainError::AssociationListNotProvided {
            clause: clause("001 §2.2"),
        }),
    );
}
