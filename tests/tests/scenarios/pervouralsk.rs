//! 004: Pervouralsk — school and municipal levels, several kinds.

use super::*;
use domain::commands::{
    AppointHead, CreateAssociation, RemoveMember, SignProtocol, UpdateMemberDatabase,
};

/// The whole school year under this profile.
pub(super) async fn pervouralsk_school_year(backend: Backend) {
    let mut town = Town::new(backend, "pervouralsk", "Городской округ Первоуральск").await;
    town.organization_in(
        "center",
        "МКУ «ЦХЭМО»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in("school-7", "МАОУ СОШ № 7", OrganizationKind::School, None)
        .await;
    town.body_of(
        "center",
        BodyKind::MethodicalCenter,
        "Отдел информационно-методической и профилактической работы МКУ «ЦХЭМО»",
        None,
        Some("center"),
    )
    .await;
    town.body_of(
        "school-7",
        BodyKind::OrganizationAdministration,
        "Администрация МАОУ СОШ № 7",
        None,
        Some("school-7"),
    )
    .await;
    // The deputy head for methodical work heads the school's association (004 §7).
    town.teacher(
        "head",
        "Ахахлина Галина Евгеньевна",
        "school-7",
        PositionKind::DeputyHead,
        None,
        date(2012, 9, 1),
    )
    .await;
    town.teacher(
        "t1",
        "Гильманова Ирина Валерьевна",
        "school-7",
        PositionKind::Teacher,
        None,
        date(2016, 9, 1),
    )
    .await;
    let order = town
        .order(
            "center",
            "31",
            date(2024, 8, 28),
            "О методических объединениях",
        )
        .await;
    // A school association is created by its own school's administration, not by the
    // methodical center (004 §7).
    town.refused(
        Acting::Operator,
        date(2024, 8, 28),
        Command::CreateAssociation(CreateAssociation {
            association: AssociationId::derived("pv", "school-7-math"),
            title: "ШМО учителей математики СОШ № 7".into(),
            subject: subject("математика"),
            level: Level::School,
            kind: domain::values::AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: None,
            organization: Some(town.organization("school-7")),
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
        "wrong_order_issuer",
    )
    .await;
    let school_order = town
        .order(
            "school-7",
            "100",
            date(2024, 8, 28),
            "О школьных методических объединениях",
        )
        .await;
    let school_mo = town
        .association(
            "school-7-math",
            "ШМО учителей математики СОШ № 7",
            "математика",
            Level::School,
            None,
            Some("school-7"),
            school_order,
        )
        .await;
    // A district level does not exist here (004 §6).
    town.refused(
        Acting::Operator,
        date(2024, 8, 28),
        Command::CreateAssociation(CreateAssociation {
            association: AssociationId::derived("pv", "district"),
            title: "Районное МО".into(),
            subject: subject("математика"),
            level: Level::District,
            kind: domain::values::AssociationKind::MethodicalAssociation,
            group_membership: None,
            district: None,
            organization: None,
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
        "level_not_provided",
    )
    .await;
    // A creative lab at the municipal level, of the teachers of one organization (004 §8).
    let lab = AssociationId::derived("pv", "lab");
    town.op(
        date(2024, 8, 28),
        Command::CreateAssociation(CreateAssociation {
            association: lab,
            title: "Муниципальная творческая лаборатория «Цифровой урок»".into(),
            subject: subject("цифровая дидактика"),
            level: Level::City,
            kind: domain::values::AssociationKind::CreativeLab,
            group_membership: None,
            district: None,
            organization: Some(town.organization("school-7")),
            order,
            review: None,
            curating_organization: None,
            ends_on: None,
            task: None,
        }),
    )
    .await;
    town.admit_by_order(school_mo, &["head", "t1"], school_order, date(2024, 9, 2))
        .await;
    // The school's own administration appoints the school association's head (004 §7).
    let wrong = town
        .order("center", "32", date(2024, 9, 2), "О руководителе ШМО")
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 2),
        Command::AppointHead(AppointHead {
            association: school_mo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: wrong,
            review: None,
        }),
        "wrong_order_issuer",
    )
    .await;
    let school_order = town
        .order("school-7", "101", date(2024, 9, 2), "О руководителе ШМО")
        .await;
    // A plain teacher is neither the director nor a deputy head (004 §7).
    town.refused(
        Acting::Operator,
        date(2024, 9, 2),
        Command::AppointHead(AppointHead {
            association: school_mo,
            person: town.person("t1"),
            school_year: year("2024/25"),
            order: school_order,
            review: None,
        }),
        "head_not_eligible",
    )
    .await;
    town.op(
        date(2024, 9, 2),
        Command::AppointHead(AppointHead {
            association: school_mo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: school_order,
            review: None,
        }),
    )
    .await;
    let meeting = town
        .hold_meeting(
            "head",
            "school-7-1",
            school_mo,
            date(2024, 9, 25),
            &["head", "t1"],
            vec![decided(
                "Индивидуальные программы профессионального роста",
                "Разработать до 1 ноября",
            )],
        )
        .await;
    town.refused_by(
        "t1",
        date(2024, 9, 25),
        Command::SignProtocol(SignProtocol { meeting }),
        "meeting_state",
    )
    .await;
    town.protocol("head", "head", meeting, "1", date(2024, 9, 25))
        .await;
    town.by(
        "t1",
        date(2025, 6, 1),
        Command::RemoveMember(RemoveMember {
            association: school_mo,
            member: Member::Person(town.person("t1")),
            reason: "Перевод в другую организацию".into(),
        }),
    )
    .await;
    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "head",
            date(2024, 9, 26),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association: school_mo,
                school_year: year("2024/25"),
            }),
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 2);
    let counts = town.counts().await;
    assert_eq!(counts["AssociationCreated"], 2);
    assert_eq!(counts["MemberLeft"], 1);
    assert_eq!(counts["ProtocolSigned"], 1);
    let _ = AssociationRole::Head;
}
