//! 003: Novosibirsk — heads and secretaries elected, curators by the curating institution's
//! order, at least 3 meetings, analysis and next plan by 15 May.

use super::*;
use domain::commands::{
    AdmitMember, AppointCurator, AppointHead, ApproveStep, DraftProtocol, ElectHead,
    ElectSecretary, FinalizeDocument, LinkDistrictAssociation, LiquidateAssociation, OpenDocument,
    SubmitDocumentVersion, UpdateMemberDatabase,
};

/// The whole school year under this profile.
pub(super) async fn novosibirsk_school_year(backend: Backend) {
    let mut town = Town::novosibirsk(backend).await;
    town.teacher(
        "methodist",
        "Склянова Наталья Андреевна",
        "niso",
        PositionKind::Methodist,
        Some((CategoryLevel::First, date(2016, 5, 1))),
        date(2012, 9, 1),
    )
    .await;
    town.teacher(
        "young-methodist",
        "Давыдов Максим Евгеньевич",
        "niso",
        PositionKind::Methodist,
        Some((CategoryLevel::First, date(2023, 5, 1))),
        date(2021, 9, 1),
    )
    .await;
    town.teacher(
        "deputy",
        "Тарасова Ирина Ивановна",
        "niso",
        PositionKind::DeputyHead,
        None,
        date(2022, 9, 1),
    )
    .await;
    town.teacher(
        "school-deputy",
        "Ершова Алла Борисовна",
        "gymnasium",
        PositionKind::DeputyHead,
        None,
        date(2022, 9, 1),
    )
    .await;
    town.teacher(
        "h",
        "Кащенко Елена Юрьевна",
        "gymnasium",
        PositionKind::Teacher,
        Some((CategoryLevel::Highest, date(2015, 3, 1))),
        date(2006, 9, 1),
    )
    .await;
    town.teacher(
        "novice",
        "Белова Дарья Игоревна",
        "gymnasium",
        PositionKind::Teacher,
        Some((CategoryLevel::First, date(2023, 3, 1))),
        date(2021, 9, 1),
    )
    .await;
    town.teacher(
        "m1",
        "Гусев Артём Романович",
        "gymnasium",
        PositionKind::Teacher,
        None,
        date(2017, 9, 1),
    )
    .await;
    town.teacher(
        "m2",
        "Полякова Вера Степановна",
        "gymnasium",
        PositionKind::Teacher,
        None,
        date(2011, 9, 1),
    )
    .await;
    // The city scientific-methodical council, which reviews the analyses (003 §7.8).
    town.body_of(
        "nms",
        BodyKind::ScientificMethodicalCouncil,
        "Городской научно-методический совет",
        None,
        None,
    )
    .await;
    town.teacher(
        "nms-chair",
        "Орлова Марина Викторовна",
        "niso",
        PositionKind::HeadOfUnit,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("nms-chair", "nms", Office::Chief).await;

    // Created by the department's order, which also sets the composition (003 §I.4–5).
    let order = town
        .order(
            "department",
            "0615-од",
            date(2024, 8, 26),
            "О перечне и составе профессиональных объединений",
        )
        .await;
    // The order names the curating institution (003 §I.4).
    town.creation_curating = Some(town.organization("niso"));
    let district = town
        .association(
            "chem-lenin",
            "Районное МО учителей химии Ленинского района",
            "химия",
            Level::District,
            Some("lenin"),
            None,
            order,
        )
        .await;
    town.admit_by_order(
        district,
        &["h", "novice", "m1", "m2"],
        order,
        date(2024, 9, 2),
    )
    .await;

    // The first meeting elects the head «большинством голосов членов» (003 §7.4), which the
    // profile counts against all the members, not those present: here all four attend, so
    // three votes elect and two do not. The head must have the highest or first category and
    // 5 years (003 §7.3).
    let first = town
        .hold_meeting(
            "m1",
            "lenin-1",
            district,
            date(2024, 9, 10),
            &["h", "novice", "m1", "m2"],
            vec![decided("Выборы руководителя и секретаря", "Избрать")],
        )
        .await;
    let present = ["h", "novice", "m1", "m2"];
    let error = town
        .refused_by(
            "m1",
            date(2024, 9, 10),
            Command::ElectHead(ElectHead {
                association: district,
                person: town.person("novice"),
                school_year: year("2024/25"),
                vote: town.vote(first, &present, 4, 0, 0),
            }),
            "head_not_eligible",
        )
        .await;
    assert!(error.to_string().starts_with("руководитель должен иметь высшую или первую квалификационную категорию и стаж работы по специальности не менее 5 лет (003 §7.3)") || error.to_string().starts_with("руководитель должен иметь первую или высшую квалификационную категорию и стаж работы по специальности не менее 5 лет (003 §7.3)"), "{error}");
    town.refused_by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead(ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 2, 1, 1),
        }),
        "no_majority",
    )
    .await;
    town.refused_by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead(ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 0, 0),
        }),
        "vote_count_mismatch",
    )
    .await;
    town.refused_by(
        "methodist",
        date(2024, 9, 10),
        Command::ElectHead(ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 1, 0),
        }),
        "not_authorized",
    )
    .await;
    town.by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead(ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 1, 0),
        }),
    )
    .await;
    town.by(
        "m1",
        date(2024, 9, 10),
        Command::ElectSecretary(ElectSecretary {
            association: district,
            person: town.person("m1"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 4, 0, 0),
        }),
    )
    .await;
    // An order cannot appoint a head here (election, 003 §7.4).
    town.refused(
        Acting::Operator,
        date(2024, 9, 11),
        Command::AppointHead(AppointHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            order,
            review: None,
        }),
        "wrong_fill_method",
    )
    .await;
    // The secretary drafts the protocol (003 §7.6), the head signs.
    town.refused_by(
        "h",
        date(2024, 9, 11),
        Command::DraftProtocol(DraftProtocol {
            meeting: first,
            number: "1".into(),
            content_hash: hash_of("протокол 1"),
        }),
        "protocol_drafter_mismatch",
    )
    .await;
    town.protocol("m1", "h", first, "1", date(2024, 9, 11))
        .await;

    // The curator: the curating institution's order (003 §7.2).
    let curator_order = town
        .order(
            "niso",
            "88",
            date(2024, 9, 12),
            "О кураторах профессиональных объединений",
        )
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: district,
            person: town.person("young-methodist"),
            school_year: year("2024/25"),
            order: curator_order,
        }),
        "curator_not_eligible",
    )
    .await;
    let wrong_issuer = town
        .order("department", "0700-од", date(2024, 9, 12), "О кураторах")
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: wrong_issuer,
        }),
        "wrong_order_issuer",
    )
    .await;
    // Another curating institution's order does not appoint this association's curator.
    town.organization_in(
        "magistr",
        "МКУ ДПО «ГЦОиЗ «Магистр»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.body_of(
        "magistr",
        BodyKind::CuratingInstitution,
        "МКУ ДПО «ГЦОиЗ «Магистр»",
        None,
        Some("magistr"),
    )
    .await;
    let foreign = town
        .order("magistr", "12", date(2024, 9, 12), "О кураторах")
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: foreign,
        }),
        "wrong_order_issuer",
    )
    .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: curator_order,
        }),
    )
    .await;
    // A deputy head of the curating institution qualifies whatever the category (003 §7.2)…
    let city_order = town
        .order(
            "department",
            "0616-од",
            date(2024, 9, 12),
            "О городском профессиональном объединении",
        )
        .await;
    let city = town
        .association(
            "chem-city",
            "Городское МО учителей химии",
            "химия",
            Level::City,
            None,
            None,
            city_order,
        )
        .await;
    // …but a deputy head of a school is not a specialist of a municipal institution.
    let school_deputy = Command::AppointCurator(AppointCurator {
        association: city,
        person: town.person("school-deputy"),
        school_year: year("2024/25"),
        order: curator_order,
    });
    let error = town
        .refused(
            Acting::Operator,
            date(2024, 9, 13),
            school_deputy,
            "curator_not_eligible",
        )
        .await;
    assert!(
        error.to_string().contains("муниципального учреждения"),
        "{error}"
    );
    town.op(
        date(2024, 9, 13),
        Command::AppointCurator(AppointCurator {
            association: city,
            person: town.person("deputy"),
            school_year: year("2024/25"),
            order: curator_order,
        }),
    )
    .await;
    // The city association is made of district heads (003 §7.1).
    town.op(
        date(2024, 9, 13),
        Command::LinkDistrictAssociation(LinkDistrictAssociation {
            city_association: city,
            district_association: district,
        }),
    )
    .await;
    town.op(
        date(2024, 9, 13),
        Command::AdmitMember(AdmitMember {
            association: city,
            member: Member::Person(town.person("h")),
            basis: AdmissionBasis::Order(city_order),
            district_association: Some(district),
        }),
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 13),
        Command::AdmitMember(AdmitMember {
            association: city,
            member: Member::Person(town.person("m2")),
            basis: AdmissionBasis::Order(city_order),
            district_association: Some(district),
        }),
        "not_a_district_head",
    )
    .await;

    // 003 provides no documents of a district association (its §7.7–7.10 are the city
    // association's): a district plan is refused, naming the documentation clause; meetings 2
    // and 3 (003 §7.6).
    let plan = DocumentId::derived("ns", "plan-2024");
    town.refused_by(
        "h",
        date(2024, 9, 11),
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: district,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "План работы на 2024/25".into(),
            nomination: None,
        }),
        "document_not_provided",
    )
    .await;
    for (n, on) in [(2, date(2024, 12, 10)), (3, date(2025, 3, 12))] {
        let meeting = town
            .hold_meeting(
                "h",
                &format!("lenin-{n}"),
                district,
                on,
                &["h", "m1", "m2"],
                vec![decided(
                    "Функциональная грамотность",
                    "Провести открытые уроки",
                )],
            )
            .await;
        town.protocol("m1", "h", meeting, &n.to_string(), on).await;
    }
    // The city association (003 §7.1) elects its head from its members, the district heads
    // (003 §7.4); its analysis and next year's plan go to the curator by 15 May (003 §7.8),
    // the analysis on to the city scientific-methodical council, the plan to its first
    // meeting of the new school year, by 15 Sep (003 §7.9).
    let city_first = town
        .hold_meeting(
            "h",
            "city-1",
            city,
            date(2024, 9, 20),
            &["h"],
            vec![decided("Выборы руководителя", "Избрать")],
        )
        .await;
    town.by(
        "h",
        date(2024, 9, 20),
        Command::ElectHead(ElectHead {
            association: city,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(city_first, &["h"], 1, 0, 0),
        }),
    )
    .await;
    let city_analysis = DocumentId::derived("ns", "city-analysis-2024");
    let city_plan = DocumentId::derived("ns", "city-plan-2025");
    for (document, document_type, school_year, title) in [
        (
            city_analysis,
            DocumentType::AnnualAnalysis,
            "2024/25",
            "Анализ работы городского МО за 2024/25",
        ),
        (
            city_plan,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы городского МО на 2025/26",
        ),
    ] {
        town.by(
            "h",
            date(2025, 5, 12),
            Command::OpenDocument(OpenDocument {
                document,
                association: city,
                document_type,
                school_year: year(school_year),
                title: title.into(),
                nomination: None,
            }),
        )
        .await;
        let handled = town
            .by(
                "h",
                date(2025, 5, 12),
                Command::SubmitDocumentVersion(SubmitDocumentVersion {
                    document,
                    content_hash: hash_of(title),
                    network_event: None,
                    based_on: None,
                    planned_meetings: None,
                    planned_network_events: None,
                }),
            )
            .await;
        let chain: serde_json::Value =
            serde_json::from_str(&handled.events[1].payload).expect("json");
        assert_eq!(chain["submit_by"], "2025-05-15", "{chain}");
        // Given to the curator, who receives it and decides nothing (003 §7.8): the curator
        // is no step of either chain.
        assert_ne!(chain["steps"][0]["step"]["role"], "curator", "{chain}");
        town.refused_by(
            "deputy",
            date(2025, 5, 14),
            Command::ApproveStep(ApproveStep {
                document,
                step: 1,
                comment: None,
                meeting: None,
                order: None,
                protocol_number: None,
            }),
            "not_authorized",
        )
        .await;
    }
    // The analysis is reviewed by the city scientific-methodical council (003 §7.8), which
    // cites the protocol of its sitting.
    town.by(
        "nms-chair",
        date(2025, 5, 20),
        Command::ApproveStep(ApproveStep {
            document: city_analysis,
            step: 1,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: Some("4".into()),
        }),
    )
    .await;
    // Its last step approved, the workflow records the approval (here by hand).
    town.op(
        date(2025, 5, 20),
        Command::FinalizeDocument(FinalizeDocument {
            document: city_analysis,
        }),
    )
    .await;
    // The plan is approved at the first meeting of its own school year (003 §7.9): a meeting
    // of the city association held in May, after the plan reached the step, is of 2024/25.
    let may = town
        .hold_meeting(
            "h",
            "city-2",
            city,
            date(2025, 5, 20),
            &["h"],
            vec![decided("Итоги года", "Принять к сведению")],
        )
        .await;
    let approve_plan = |meeting| {
        Command::ApproveStep(ApproveStep {
            document: city_plan,
            step: 1,
            comment: None,
            meeting: Some(meeting),
            order: None,
            protocol_number: None,
        })
    };
    let error = town
        .refused_by(
            "h",
            date(2025, 5, 20),
            approve_plan(may),
            "step_meeting_required",
        )
        .await;
    assert!(error.to_string().contains("(003 §7.9, §7.8)"), "{error}");
    let september = town
        .hold_meeting(
            "h",
            "city-2025-1",
            city,
            date(2025, 9, 10),
            &["h"],
            vec![decided("План работы на 2025/26", "Утвердить")],
        )
        .await;
    let approved = town
        .by("h", date(2025, 9, 10), approve_plan(september))
        .await;
    assert_eq!(approved.events[0].actor.role, "association_head");
    town.op(
        date(2025, 9, 10),
        Command::FinalizeDocument(FinalizeDocument {
            document: city_plan,
        }),
    )
    .await;

    // Liquidation by the department's order; afterwards nothing more is recorded (003 §I.5).
    let liquidation = town
        .order("department", "0801-од", date(2025, 10, 1), "О ликвидации")
        .await;
    town.op(
        date(2025, 10, 1),
        Command::LiquidateAssociation(LiquidateAssociation {
            association: city,
            order: liquidation,
        }),
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2025, 10, 2),
        Command::AppointCurator(AppointCurator {
            association: city,
            person: town.person("methodist"),
            school_year: year("2025/26"),
            order: curator_order,
        }),
        "association_liquidated",
    )
    .await;

    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "m1",
            date(2024, 9, 25),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association: district,
                school_year: year("2024/25"),
            }),
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 4);
    let counts = town.counts().await;
    assert_eq!(counts["HeadElected"], 2);
    assert_eq!(counts["SecretaryElected"], 1);
    assert_eq!(counts["CuratorAppointed"], 2);
    assert_eq!(counts["MeetingHeld"], 6);
    assert_eq!(counts["ProtocolSigned"], 3);
    assert_eq!(counts["DocumentApproved"], 2);
    assert_eq!(counts["AssociationLiquidated"], 1);
}
