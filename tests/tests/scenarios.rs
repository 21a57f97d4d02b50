//! One school year per regulation profile, walked through the real command handlers on a
//! real SQLite file and on PostgreSQL: the hierarchy by orders, membership (by order or by
//! application), heads appointed or elected, secretaries elected, meetings and protocols,
//! documents submitted, the member database updated — and the rules refusing what the
//! regulation forbids, each refusal writing nothing. At the end the log verifies and holds no
//! personal field in clear.

mod scenario_support;

use domain::events::{AdmissionBasis, CouncilReview, Member, NetworkEventDetails};
use domain::ids::{ApplicationId, AssociationId, DocumentId};
use domain::profile::ApplicationForm;
use domain::values::{
    AssociationRole, BodyKind, CategoryLevel, DocumentType, Level, Office, OrganizationKind,
    PositionKind,
};
use domain::{Acting, Command};
use scenario_support::*;
use store::{Backend, BasisKind, StreamId};

/// 000: Novokuznetsk — district (РПМО) and city (ГПМО) associations.
async fn novokuznetsk_school_year(backend: Backend) {
    let mut town = Town::novokuznetsk(backend).await;
    town.teacher(
        "deputy",
        "Соколова Анна Петровна",
        "koin",
        PositionKind::Official,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("deputy", "koin", Office::DeputyChief).await;
    let highest = Some((CategoryLevel::Highest, date(2020, 12, 1)));
    town.teacher(
        "a1",
        "Иванова Мария Сергеевна",
        "school-1",
        PositionKind::Teacher,
        highest,
        date(2005, 9, 1),
    )
    .await;
    town.teacher(
        "a2",
        "Петров Олег Иванович",
        "school-1",
        PositionKind::Teacher,
        None,
        date(2018, 9, 1),
    )
    .await;
    town.teacher(
        "a3",
        "Кузнецова Елена Викторовна",
        "school-1",
        PositionKind::Teacher,
        None,
        date(2021, 9, 1),
    )
    .await;
    town.teacher(
        "b1",
        "Смирнов Павел Андреевич",
        "school-2",
        PositionKind::Teacher,
        highest,
        date(2003, 9, 1),
    )
    .await;
    town.teacher(
        "b2",
        "Орлова Ирина Николаевна",
        "school-2",
        PositionKind::Teacher,
        None,
        date(2015, 9, 1),
    )
    .await;

    // The list of associations: KOiN's order after the Coordination council (000 §1.4).
    // The list of city associations: the Coordination council, then KOiN's order (000 §1.4).
    let list = town
        .order(
            "koin",
            "1201",
            date(2024, 8, 26),
            "Об утверждении перечня ГПМО",
        )
        .await;
    let unreviewed = Command::CreateAssociation {
        association: domain::ids::AssociationId::derived("nk", "unreviewed"),
        title: "ГПМО учителей физики".into(),
        subject: subject("физика"),
        level: Level::City,
        kind: domain::values::AssociationKind::MethodicalAssociation,
        group_membership: None,
        district: None,
        organization: None,
        order: list,
        review: None,
        curating_organization: None,
    };
    town.refused(
        Acting::Operator,
        date(2024, 8, 26),
        unreviewed,
        "council_review_required",
    )
    .await;
    town.creation_review = Some(CouncilReview {
        council: town.body("coordination"),
        protocol_number: "2".into(),
        date: date(2024, 8, 22),
    });
    let city = town
        .association(
            "math-city",
            "ГПМО учителей математики",
            "математика",
            Level::City,
            None,
            None,
            list,
        )
        .await;
    // District associations: each district department's order (000 §7.4); KOiN's order
    // does not create them, nor does another district's department.
    let central_list = town
        .order(
            "rono-central",
            "40",
            date(2024, 8, 28),
            "Об утверждении перечня РПМО",
        )
        .await;
    let by_koin = Command::CreateAssociation {
        association: domain::ids::AssociationId::derived("nk", "by-koin"),
        title: "РПМО учителей физики".into(),
        subject: subject("физика"),
        level: Level::District,
        kind: domain::values::AssociationKind::MethodicalAssociation,
        group_membership: None,
        district: Some(town.districts["central"]),
        organization: None,
        order: list,
        review: None,
        curating_organization: None,
    };
    town.refused(
        Acting::Operator,
        date(2024, 8, 28),
        by_koin,
        "wrong_order_issuer",
    )
    .await;
    let central = town
        .association(
            "math-central",
            "РПМО учителей математики Центрального района",
            "математика",
            Level::District,
            Some("central"),
            None,
            central_list,
        )
        .await;
    let zavodskoy_list = town
        .order(
            "rono-zavodskoy",
            "61",
            date(2024, 8, 28),
            "Об утверждении перечня РПМО",
        )
        .await;
    let zavodskoy = town
        .association(
            "math-zavodskoy",
            "РПМО учителей математики Заводского района",
            "математика",
            Level::District,
            Some("zavodskoy"),
            None,
            zavodskoy_list,
        )
        .await;
    for district in [central, zavodskoy] {
        town.op(
            date(2024, 8, 27),
            Command::LinkDistrictAssociation {
                city_association: city,
                district_association: district,
            },
        )
        .await;
    }

    // District heads: the district department's order by 15 Sep (000 §7.4, §1.5).
    let central_order = town
        .order(
            "rono-central",
            "45",
            date(2024, 9, 5),
            "О составе и руководителе РПМО",
        )
        .await;
    town.admit_by_order(
        central,
        &["a1", "a2", "a3"],
        central_order,
        date(2024, 9, 5),
    )
    .await;
    let appoint_a1 = Command::AppointHead {
        association: central,
        person: town.person("a1"),
        school_year: year("2024/25"),
        order: central_order,
        review: None,
    };
    // Another district's department cannot appoint here.
    let foreign = town
        .order(
            "rono-zavodskoy",
            "77",
            date(2024, 9, 5),
            "О руководителе РПМО",
        )
        .await;
    let mut wrong = appoint_a1.clone();
    if let Command::AppointHead { order, .. } = &mut wrong {
        *order = foreign;
    }
    town.refused(
        Acting::Operator,
        date(2024, 9, 5),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    let appointed = town.op(date(2024, 9, 5), appoint_a1).await;
    let basis = appointed.events[0]
        .basis
        .clone()
        .expect("an appointment cites its order");
    assert_eq!(
        (basis.kind, basis.number.as_str()),
        (BasisKind::Order, "45")
    );
    let zavodskoy_order = town
        .order(
            "rono-zavodskoy",
            "78",
            date(2024, 9, 6),
            "О составе и руководителе РПМО",
        )
        .await;
    town.admit_by_order(zavodskoy, &["b1", "b2"], zavodskoy_order, date(2024, 9, 6))
        .await;
    town.op(
        date(2024, 9, 6),
        Command::AppointHead {
            association: zavodskoy,
            person: town.person("b1"),
            school_year: year("2024/25"),
            order: zavodskoy_order,
            review: None,
        },
    )
    .await;

    // The city head: Coordination council review, then KOiN's order (000 §4.2).
    let city_order = town
        .order(
            "koin",
            "1302",
            date(2024, 9, 12),
            "О руководителях и составе ГПМО",
        )
        .await;
    let without_review = Command::AppointHead {
        association: city,
        person: town.person("a1"),
        school_year: year("2024/25"),
        order: city_order,
        review: None,
    };
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        without_review,
        "council_review_required",
    )
    .await;
    let review = CouncilReview {
        council: town.body("coordination"),
        protocol_number: "3".into(),
        date: date(2024, 9, 10),
    };
    town.op(
        date(2024, 9, 12),
        Command::AppointHead {
            association: city,
            person: town.person("a1"),
            school_year: year("2024/25"),
            order: city_order,
            review: Some(review),
        },
    )
    .await;
    // The city association is made of the district heads (000 §4.1).
    for (head, district) in [("a1", central), ("b1", zavodskoy)] {
        town.op(
            date(2024, 9, 12),
            Command::AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(city_order),
                district_association: Some(district),
            },
        )
        .await;
    }
    let a2_in_city = Command::AdmitMember {
        association: city,
        member: Member::Person(town.person("a2")),
        basis: AdmissionBasis::Order(city_order),
        district_association: Some(central),
    };
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        a2_in_city,
        "not_a_district_head",
    )
    .await;
    // No applications in this regulation.
    let application = Command::SubmitMembershipApplication {
        application: ApplicationId::derived("nk", "a3"),
        association: central,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(town.person("a3")),
        theme: "Функциональная грамотность".into(),
        school_year: year("2024/25"),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    };
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        application,
        "applications_not_provided",
    )
    .await;

    // The first district meeting elects the secretary by a majority of all members (000 §10.2).
    let first = town
        .hold_meeting(
            "a1",
            "central-1",
            central,
            date(2024, 9, 20),
            &["a1", "a2", "a3"],
            vec![
                decided("Выборы секретаря РПМО", "Избрать секретарём Петрова О. И."),
                decided("План работы на 2024/25", "Принять к исполнению"),
            ],
        )
        .await;
    let one_of_three = town.vote(first, &["a1", "a2", "a3"], 1, 1, 1);
    town.refused_by(
        "a1",
        date(2024, 9, 20),
        Command::ElectSecretary {
            association: central,
            person: town.person("a2"),
            school_year: year("2024/25"),
            vote: one_of_three,
        },
        "no_majority",
    )
    .await;
    let two_of_three = town.vote(first, &["a1", "a2", "a3"], 2, 0, 1);
    let elected = town
        .by(
            "a1",
            date(2024, 9, 20),
            Command::ElectSecretary {
                association: central,
                person: town.person("a2"),
                school_year: year("2024/25"),
                vote: two_of_three,
            },
        )
        .await;
    assert_eq!(
        elected.events[0].basis.as_ref().map(|b| b.kind),
        Some(BasisKind::Protocol)
    );
    // The secretary drafts, only the head signs (000 §4.3; protocol rules of the profile).
    town.by(
        "a2",
        date(2024, 9, 21),
        Command::DraftProtocol {
            meeting: first,
            number: "1".into(),
            content_hash: hash_of("протокол 1"),
        },
    )
    .await;
    town.refused_by(
        "a2",
        date(2024, 9, 21),
        Command::SignProtocol { meeting: first },
        "protocol_signer_mismatch",
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 21),
        Command::SignProtocol { meeting: first },
        "protocol_signer_mismatch",
    )
    .await;
    town.by(
        "a1",
        date(2024, 9, 21),
        Command::SignProtocol { meeting: first },
    )
    .await;
    town.refused_by(
        "a1",
        date(2024, 9, 22),
        Command::SignProtocol { meeting: first },
        "protocol_already_signed",
    )
    .await;
    town.by(
        "a1",
        date(2024, 9, 23),
        Command::CorrectProtocol {
            meeting: first,
            content_hash: hash_of("протокол 1, исправленный"),
            reason: "Опечатка в фамилии".into(),
        },
    )
    .await;

    // The member database by 1 Oct (000 §10.4).
    let update = town
        .by(
            "a2",
            date(2024, 9, 27),
            Command::UpdateMemberDatabase {
                association: central,
                school_year: year("2024/25"),
            },
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 3);

    // Three more meetings (at least 4 a year, 000 §10.1); a question without a decision is refused.
    let undecided = Command::HoldMeeting {
        meeting: town.meeting_id("central-x"),
        association: central,
        attendance: vec![town.person("a1")],
        questions: vec![decided("Итоги олимпиады", " ")],
        recommendations: vec![],
    };
    town.refused_by(
        "a1",
        date(2024, 11, 15),
        undecided,
        "question_without_decision",
    )
    .await;
    for (n, on) in [
        (2, date(2024, 11, 15)),
        (3, date(2025, 2, 14)),
        (4, date(2025, 4, 18)),
    ] {
        let meeting = town
            .hold_meeting(
                "a2",
                &format!("central-{n}"),
                central,
                on,
                &["a1", "a2"],
                vec![decided(
                    "Обмен опытом",
                    "Рекомендовать практику к распространению",
                )],
            )
            .await;
        town.protocol("a2", "a1", meeting, &n.to_string(), on).await;
    }

    // The district plan and analysis for next year, written by the head (000 §10.5).
    let plan = DocumentId::derived("nk", "central-plan-2025");
    town.refused_by(
        "a2",
        date(2025, 4, 20),
        Command::OpenDocument {
            document: plan,
            association: central,
            document_type: DocumentType::WorkPlan,
            school_year: year("2025/26"),
            title: "План работы РПМО на 2025/26".into(),
            nomination: None,
        },
        "document_author_mismatch",
    )
    .await;
    town.by(
        "a1",
        date(2025, 4, 20),
        Command::OpenDocument {
            document: plan,
            association: central,
            document_type: DocumentType::WorkPlan,
            school_year: year("2025/26"),
            title: "План работы РПМО на 2025/26".into(),
            nomination: None,
        },
    )
    .await;
    town.by(
        "a1",
        date(2025, 4, 21),
        Command::SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план v1"),
            network_event: None,
            based_on: None,
        },
    )
    .await;
    town.refused_by(
        "a1",
        date(2025, 4, 22),
        Command::SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план v2"),
            network_event: None,
            based_on: None,
        },
        "document_awaiting_decision",
    )
    .await;

    let counts = town.counts().await;
    assert_eq!(counts["MeetingHeld"], 4);
    assert_eq!(counts["ProtocolSigned"], 4);
    assert_eq!(counts["HeadAppointed"], 3);
    assert_eq!(counts["SecretaryElected"], 1);
    assert_eq!(counts["MemberAdmitted"], 7);
    assert_eq!(counts["ProtocolCorrected"], 1);
    assert_eq!(counts["DocumentVersionSubmitted"], 1);

    // Personal data is readable through the vault only.
    let person_stream = StreamId::parse(town.person("a1").stream()).expect("stream");
    let registered = town
        .store
        .read_stream(&person_stream, 1, 1)
        .await
        .expect("read");
    let payload: serde_json::Value = serde_json::from_str(&registered[0].payload).expect("json");
    let revealed = town.store.reveal_payload(&payload).await.expect("reveal");
    assert_eq!(revealed["full_name"], "Иванова Мария Сергеевна");
}

/// 001: Kuznetsk — one municipal association per subject, head appointed by order.
async fn kuznetsk_school_year(backend: Backend) {
    let mut town = Town::new(backend, "kuznetsk", "Город Кузнецк").await;
    town.organization_in(
        "uo",
        "Управление образования города Кузнецка",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in("school-5", "МБОУ СОШ № 5", OrganizationKind::School, None)
        .await;
    town.body_of(
        "uo",
        BodyKind::Department,
        "Управление образования города Кузнецка",
        None,
        None,
    )
    .await;
    town.teacher(
        "head",
        "Борисова Людмила Алексеевна",
        "school-5",
        PositionKind::Teacher,
        Some((CategoryLevel::First, date(2019, 4, 1))),
        date(2010, 9, 1),
    )
    .await;
    town.teacher(
        "t1",
        "Фадеев Сергей Андреевич",
        "school-5",
        PositionKind::Teacher,
        None,
        date(2020, 9, 1),
    )
    .await;
    town.teacher(
        "t2",
        "Алексеева Нина Олеговна",
        "school-5",
        PositionKind::Teacher,
        None,
        date(2022, 9, 1),
    )
    .await;
    let order = town
        .order(
            "uo",
            "157",
            date(2024, 9, 9),
            "Об утверждении Положения и состава ММО",
        )
        .await;
    // Only the municipal level exists here (001 §1.3).
    let district = Command::CreateAssociation {
        association: AssociationId::derived("kz", "district"),
        title: "Районное МО".into(),
        subject: subject("история"),
        level: Level::District,
        kind: domain::values::AssociationKind::MethodicalAssociation,
        group_membership: None,
        district: None,
        organization: None,
        order,
        review: None,
        curating_organization: None,
    };
    town.refused(
        Acting::Operator,
        date(2024, 9, 9),
        district,
        "level_not_provided",
    )
    .await;
    let mmo = town
        .association(
            "history",
            "ММО учителей истории и обществознания",
            "история",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    town.admit_by_order(mmo, &["head", "t1", "t2"], order, date(2024, 9, 9))
        .await;
    town.op(
        date(2024, 9, 10),
        Command::AppointHead {
            association: mmo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order,
            review: None,
        },
    )
    .await;
    // Heads are appointed here, not elected; there is no secretary in this regulation.
    let meeting = town
        .hold_meeting(
            "head",
            "history-1",
            mmo,
            date(2024, 9, 20),
            &["head", "t1", "t2"],
            vec![decided(
                "План работы",
                "Утвердить и разместить на сайте управления",
            )],
        )
        .await;
    let elect = Command::ElectHead {
        association: mmo,
        person: town.person("t1"),
        school_year: year("2024/25"),
        vote: town.vote(meeting, &["head", "t1", "t2"], 3, 0, 0),
    };
    town.refused_by("head", date(2024, 9, 20), elect, "wrong_fill_method")
        .await;
    let secretary = Command::ElectSecretary {
        association: mmo,
        person: town.person("t1"),
        school_year: year("2024/25"),
        vote: town.vote(meeting, &["head", "t1", "t2"], 3, 0, 0),
    };
    town.refused_by("head", date(2024, 9, 20), secretary, "no_role_rule")
        .await;
    town.protocol("head", "head", meeting, "1", date(2024, 9, 20))
        .await;
    let plan = DocumentId::derived("kz", "plan");
    town.by(
        "head",
        date(2024, 9, 21),
        Command::OpenDocument {
            document: plan,
            association: mmo,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "План работы ММО («дорожная карта») на 2024/25".into(),
            nomination: None,
        },
    )
    .await;
    town.by(
        "head",
        date(2024, 9, 21),
        Command::SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("дорожная карта"),
            network_event: None,
            based_on: None,
        },
    )
    .await;
    // Nothing takes effect after the day it is recorded; a person dates their own acts at
    // most a month back — older paper is entered by the operator.
    town.recording_day = Some(date(2024, 12, 20));
    let meeting_x = Command::HoldMeeting {
        meeting: town.meeting_id("history-x"),
        association: mmo,
        attendance: vec![town.person("head")],
        questions: vec![decided("Итоги олимпиады", "Принять к сведению")],
        recommendations: vec![],
    };
    town.refused_by(
        "head",
        date(2024, 12, 21),
        meeting_x.clone(),
        "effective_in_future",
    )
    .await;
    town.refused_by("head", date(2024, 11, 1), meeting_x, "backdated_too_far")
        .await;
    town.recording_day = None;
    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "head",
            date(2024, 9, 30),
            Command::UpdateMemberDatabase {
                association: mmo,
                school_year: year("2024/25"),
            },
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 3);
    let counts = town.counts().await;
    assert_eq!(counts["HeadAppointed"], 1);
    assert_eq!(counts["ProtocolSigned"], 1);
    assert_eq!(counts["DocumentVersionSubmitted"], 1);
}

/// 002: Izhevsk — applications (forms 1 and 2), curator by order, technical assignment,
/// road map, network-event reports, the curator's yearly report.
async fn izhevsk_school_year(backend: Backend) {
    let mut town = Town::new(backend, "izhevsk", "Город Ижевск").await;
    town.organization_in(
        "alternativa",
        "МАУ ИМЦ «Альтернатива»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "uo",
        "Управление образования Администрации г. Ижевска",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "lyceum",
        "МБОУ «Лицей № 29»",
        OrganizationKind::School,
        None,
    )
    .await;
    town.organization_in(
        "school-90",
        "МБОУ «СОШ № 90»",
        OrganizationKind::School,
        None,
    )
    .await;
    town.body_of(
        "uo",
        BodyKind::Department,
        "Управление образования Администрации города Ижевска",
        None,
        None,
    )
    .await;
    town.body_of(
        "center",
        BodyKind::MethodicalCenter,
        "МАУ ИМЦ «Альтернатива»",
        None,
        Some("alternativa"),
    )
    .await;
    town.body_of(
        "council",
        BodyKind::MethodicalCouncil,
        "Методический совет Центра",
        None,
        None,
    )
    .await;
    town.teacher(
        "davydova",
        "Давыдова Светлана Михайловна",
        "alternativa",
        PositionKind::Director,
        None,
        date(1995, 9, 1),
    )
    .await;
    town.official("davydova", "center", Office::Chief).await;
    town.teacher(
        "specialist",
        "Волкова Татьяна Юрьевна",
        "alternativa",
        PositionKind::CenterSpecialist,
        None,
        date(2021, 9, 1),
    )
    .await;
    town.official("specialist", "center", Office::Specialist)
        .await;
    town.teacher(
        "first-cat",
        "Зайцев Игорь Петрович",
        "lyceum",
        PositionKind::Teacher,
        Some((CategoryLevel::First, date(2018, 1, 1))),
        date(2008, 9, 1),
    )
    .await;
    town.teacher(
        "head",
        "Лебедева Ольга Викторовна",
        "lyceum",
        PositionKind::Teacher,
        Some((CategoryLevel::Highest, date(2017, 1, 1))),
        date(2004, 9, 1),
    )
    .await;
    town.teacher(
        "t1",
        "Морозов Денис Александрович",
        "lyceum",
        PositionKind::Teacher,
        None,
        date(2019, 9, 1),
    )
    .await;
    town.teacher(
        "director-90",
        "Никитина Галина Павловна",
        "school-90",
        PositionKind::Director,
        None,
        date(1990, 9, 1),
    )
    .await;

    let creation = town
        .order(
            "center",
            "12-од",
            date(2024, 8, 26),
            "О создании ГМО по решению методического совета",
        )
        .await;
    // The Center's council decides the associations before the Center's order (002 §5.1).
    town.creation_review = Some(CouncilReview {
        council: town.body("council"),
        protocol_number: "1".into(),
        date: date(2024, 8, 23),
    });
    let gmo = town
        .association(
            "stem",
            "ГМО «Естественно-научная грамотность»",
            "естественно-научная грамотность",
            Level::City,
            None,
            None,
            creation,
        )
        .await;
    // Curator: the Управление's order; highest category and 5 years, or a Center specialist (002 §5.3).
    let curator_order = town
        .order("uo", "845", date(2024, 9, 2), "О назначении кураторов ГМО")
        .await;
    let error = town
        .refused(
            Acting::Operator,
            date(2024, 9, 2),
            Command::AppointCurator {
                association: gmo,
                person: town.person("first-cat"),
                school_year: year("2024/25"),
                order: curator_order,
            },
            "curator_not_eligible",
        )
        .await;
    assert!(
        error.to_string().contains(
            "высшую квалификационную категорию и стаж работы по специальности не менее 5 лет"
        ),
        "{error}"
    );
    assert!(error.to_string().contains("002 §5.3"), "{error}");
    town.op(
        date(2024, 9, 2),
        Command::AppointCurator {
            association: gmo,
            person: town.person("specialist"),
            school_year: year("2024/25"),
            order: curator_order,
        },
    )
    .await;
    let head_order = town
        .order(
            "uo",
            "846",
            date(2024, 9, 2),
            "О назначении руководителей ГМО",
        )
        .await;
    town.op(
        date(2024, 9, 2),
        Command::AppointHead {
            association: gmo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: head_order,
            review: None,
        },
    )
    .await;

    // Applications to the Center: form 1 on a teacher, form 2 on an organization (002 §5.2).
    let form_1 = ApplicationId::derived("iz", "t1");
    let wrong_period = Command::SubmitMembershipApplication {
        application: form_1,
        association: gmo,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(town.person("t1")),
        theme: "Естественно-научная грамотность".into(),
        school_year: year("2024/25"),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 6, 30),
    };
    town.refused_by(
        "t1",
        date(2024, 9, 3),
        wrong_period,
        "application_period_mismatch",
    )
    .await;
    town.by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application: form_1,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("t1")),
            theme: "Естественно-научная грамотность".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    let form_2 = ApplicationId::derived("iz", "school-90");
    let organization = Member::Organization(town.organization("school-90"));
    town.refused_by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: organization,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
        "not_authorized",
    )
    .await;
    town.by(
        "director-90",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: organization,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    // Admission needs an approved application.
    let admit_t1 = Command::AdmitMember {
        association: gmo,
        member: Member::Person(town.person("t1")),
        basis: AdmissionBasis::Application(form_1),
        district_association: None,
    };
    town.refused(
        Acting::Operator,
        date(2024, 9, 4),
        admit_t1.clone(),
        "application_not_approved",
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication {
            application: form_1,
        },
    )
    .await;
    town.refused_by(
        "specialist",
        date(2024, 9, 5),
        Command::RejectMembershipApplication {
            application: form_1,
            reason: "поздно".into(),
        },
        "application_already_decided",
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication {
            application: form_2,
        },
    )
    .await;
    town.by("specialist", date(2024, 9, 6), admit_t1).await;
    town.by(
        "specialist",
        date(2024, 9, 6),
        Command::AdmitMember {
            association: gmo,
            member: organization,
            basis: AdmissionBasis::Application(form_2),
            district_association: None,
        },
    )
    .await;
    let head_member = ApplicationId::derived("iz", "head");
    town.by(
        "head",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication {
            application: head_member,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("head")),
            theme: "Руководство ГМО".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        },
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication {
            application: head_member,
        },
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 6),
        Command::AdmitMember {
            association: gmo,
            member: Member::Person(town.person("head")),
            basis: AdmissionBasis::Application(head_member),
            district_association: None,
        },
    )
    .await;

    // The Center writes the technical assignment (002 §5.7); the head may not.
    let assignment = DocumentId::derived("iz", "assignment");
    let open_assignment = Command::OpenDocument {
        document: assignment,
        association: gmo,
        document_type: DocumentType::TechnicalAssignment,
        school_year: year("2024/25"),
        title: "Техническое задание ГМО на 2024/25".into(),
        nomination: None,
    };
    town.refused_by(
        "head",
        date(2024, 9, 9),
        open_assignment.clone(),
        "document_author_mismatch",
    )
    .await;
    town.by("specialist", date(2024, 9, 9), open_assignment)
        .await;
    town.by(
        "specialist",
        date(2024, 9, 9),
        Command::SubmitDocumentVersion {
            document: assignment,
            content_hash: hash_of("ТЗ"),
            network_event: None,
            based_on: None,
        },
    )
    .await;
    // The road map by the participants with the curator (002 §5.8), on the basis of the
    // technical assignment agreed with the curator (§5.8, §4.1): not before it is agreed.
    let road_map = DocumentId::derived("iz", "road-map");
    town.by(
        "head",
        date(2024, 9, 16),
        Command::OpenDocument {
            document: road_map,
            association: gmo,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "Дорожная карта ГМО на 2024/25".into(),
            nomination: None,
        },
    )
    .await;
    let submit_road_map = |based_on| Command::SubmitDocumentVersion {
        document: road_map,
        content_hash: hash_of("дорожная карта"),
        network_event: None,
        based_on,
    };
    for based_on in [None, Some(assignment)] {
        let error = town
            .refused_by(
                "head",
                date(2024, 9, 16),
                submit_road_map(based_on),
                "basis_document_required",
            )
            .await;
        assert!(error.to_string().ends_with("(002 §5.8, §4.1)"), "{error}");
    }
    // The curator agrees the assignment; the workflow records its approval (here by hand).
    town.by(
        "specialist",
        date(2024, 9, 16),
        Command::ApproveStep {
            document: assignment,
            step: 1,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: None,
        },
    )
    .await;
    town.op(
        date(2024, 9, 16),
        Command::FinalizeDocument {
            document: assignment,
        },
    )
    .await;
    let submitted = town
        .by("head", date(2024, 9, 16), submit_road_map(Some(assignment)))
        .await;
    let payload: serde_json::Value =
        serde_json::from_str(&submitted.events[0].payload).expect("json");
    assert_eq!(payload["based_on"], assignment.to_string());

    // A meeting with its protocol (002 §5.10).
    let meeting = town
        .hold_meeting(
            "head",
            "stem-1",
            gmo,
            date(2024, 9, 20),
            &["head", "t1", "specialist"],
            vec![decided(
                "Рассмотрение дорожной карты",
                "Одобрить, направить куратору на утверждение",
            )],
        )
        .await;
    town.protocol("head", "head", meeting, "1", date(2024, 9, 20))
        .await;

    // A network-event report: topic, date, goal, audience, attendance sheet, photo (002 §5.11).
    let report = DocumentId::derived("iz", "network-event-1");
    town.by(
        "head",
        date(2024, 11, 20),
        Command::OpenDocument {
            document: report,
            association: gmo,
            document_type: DocumentType::NetworkEventReport,
            school_year: year("2024/25"),
            title: "Отчёт о сетевом событии «Фестиваль опытов»".into(),
            nomination: None,
        },
    )
    .await;
    let mut details = NetworkEventDetails {
        topic: "Фестиваль опытов".into(),
        held_on: date(2024, 11, 15),
        goal: "Обмен практиками".into(),
        audience: "Учителя физики и химии".into(),
        programme: Some("Мастер-классы".into()),
        attendees: vec![town.person("t1")],
        attendance_count: 34,
        attendance_sheet: hash_of("лист регистрации"),
        evidence: vec![],
    };
    town.refused_by(
        "head",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion {
            document: report,
            content_hash: hash_of("отчёт"),
            network_event: Some(details.clone()),
            based_on: None,
        },
        "network_event_report_incomplete",
    )
    .await;
    details.evidence.push(hash_of("фото 1"));
    town.by(
        "head",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion {
            document: report,
            content_hash: hash_of("отчёт"),
            network_event: Some(details),
            based_on: None,
        },
    )
    .await;

    // The curator's yearly report (002 §5.13).
    let yearly = DocumentId::derived("iz", "curator-report");
    town.refused_by(
        "head",
        date(2025, 5, 25),
        Command::OpenDocument {
            document: yearly,
            association: gmo,
            document_type: DocumentType::CuratorYearlyReport,
            school_year: year("2024/25"),
            title: "Отчёт о деятельности ГМО за 2024/25".into(),
            nomination: None,
        },
        "document_author_mismatch",
    )
    .await;
    town.by(
        "specialist",
        date(2025, 5, 25),
        Command::OpenDocument {
            document: yearly,
            association: gmo,
            document_type: DocumentType::CuratorYearlyReport,
            school_year: year("2024/25"),
            title: "Отчёт о деятельности ГМО за 2024/25".into(),
            nomination: None,
        },
    )
    .await;
    town.by(
        "specialist",
        date(2025, 5, 26),
        Command::SubmitDocumentVersion {
            document: yearly,
            content_hash: hash_of("отчёт куратора"),
            network_event: None,
            based_on: None,
        },
    )
    .await;

    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "head",
            date(2024, 9, 27),
            Command::UpdateMemberDatabase {
                association: gmo,
                school_year: year("2024/25"),
            },
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 3);
    let counts = town.counts().await;
    assert_eq!(counts["MembershipApplicationSubmitted"], 3);
    assert_eq!(counts["MembershipApplicationApproved"], 3);
    assert_eq!(counts["MemberAdmitted"], 3);
    assert_eq!(counts["CuratorAppointed"], 1);
    assert_eq!(counts["DocumentVersionSubmitted"], 4);
    assert_eq!(counts["DocumentApproved"], 1);
    // Membership under an application ends on 31 May (002 §5.2).
    let stream = StreamId::parse(gmo.stream()).expect("stream");
    let admitted: Vec<_> = town
        .store
        .read_stream(&stream, 1, 100)
        .await
        .expect("read")
        .into_iter()
        .filter(|e| e.event_type == "MemberAdmitted")
        .collect();
    assert!(
        admitted
            .iter()
            .all(|e| e.payload.contains("\"until\":\"2025-05-31\"")),
        "{admitted:?}"
    );
}

/// 003: Novosibirsk — heads and secretaries elected, curators by the curating institution's
/// order, at least 3 meetings, analysis and next plan by 15 May.
async fn novosibirsk_school_year(backend: Backend) {
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
            Command::ElectHead {
                association: district,
                person: town.person("novice"),
                school_year: year("2024/25"),
                vote: town.vote(first, &present, 4, 0, 0),
            },
            "head_not_eligible",
        )
        .await;
    assert!(error.to_string().starts_with("руководитель должен иметь высшую или первую квалификационную категорию и стаж работы по специальности не менее 5 лет (003 §7.3)") || error.to_string().starts_with("руководитель должен иметь первую или высшую квалификационную категорию и стаж работы по специальности не менее 5 лет (003 §7.3)"), "{error}");
    town.refused_by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 2, 1, 1),
        },
        "no_majority",
    )
    .await;
    town.refused_by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 0, 0),
        },
        "vote_count_mismatch",
    )
    .await;
    town.refused_by(
        "methodist",
        date(2024, 9, 10),
        Command::ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 1, 0),
        },
        "not_authorized",
    )
    .await;
    town.by(
        "m1",
        date(2024, 9, 10),
        Command::ElectHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 3, 1, 0),
        },
    )
    .await;
    town.by(
        "m1",
        date(2024, 9, 10),
        Command::ElectSecretary {
            association: district,
            person: town.person("m1"),
            school_year: year("2024/25"),
            vote: town.vote(first, &present, 4, 0, 0),
        },
    )
    .await;
    // An order cannot appoint a head here (election, 003 §7.4).
    town.refused(
        Acting::Operator,
        date(2024, 9, 11),
        Command::AppointHead {
            association: district,
            person: town.person("h"),
            school_year: year("2024/25"),
            order,
            review: None,
        },
        "wrong_fill_method",
    )
    .await;
    // The secretary drafts the protocol (003 §7.6), the head signs.
    town.refused_by(
        "h",
        date(2024, 9, 11),
        Command::DraftProtocol {
            meeting: first,
            number: "1".into(),
            content_hash: hash_of("протокол 1"),
        },
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
        Command::AppointCurator {
            association: district,
            person: town.person("young-methodist"),
            school_year: year("2024/25"),
            order: curator_order,
        },
        "curator_not_eligible",
    )
    .await;
    let wrong_issuer = town
        .order("department", "0700-од", date(2024, 9, 12), "О кураторах")
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        Command::AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: wrong_issuer,
        },
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
        Command::AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: foreign,
        },
        "wrong_order_issuer",
    )
    .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator {
            association: district,
            person: town.person("methodist"),
            school_year: year("2024/25"),
            order: curator_order,
        },
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
    let school_deputy = Command::AppointCurator {
        association: city,
        person: town.person("school-deputy"),
        school_year: year("2024/25"),
        order: curator_order,
    };
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
        Command::AppointCurator {
            association: city,
            person: town.person("deputy"),
            school_year: year("2024/25"),
            order: curator_order,
        },
    )
    .await;
    // The city association is made of district heads (003 §7.1).
    town.op(
        date(2024, 9, 13),
        Command::LinkDistrictAssociation {
            city_association: city,
            district_association: district,
        },
    )
    .await;
    town.op(
        date(2024, 9, 13),
        Command::AdmitMember {
            association: city,
            member: Member::Person(town.person("h")),
            basis: AdmissionBasis::Order(city_order),
            district_association: Some(district),
        },
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 13),
        Command::AdmitMember {
            association: city,
            member: Member::Person(town.person("m2")),
            basis: AdmissionBasis::Order(city_order),
            district_association: Some(district),
        },
        "not_a_district_head",
    )
    .await;

    // The plan approved at the first meeting by 15 Sep (003 §7.9); meetings 2 and 3 (003 §7.6).
    let plan = DocumentId::derived("ns", "plan-2024");
    town.by(
        "h",
        date(2024, 9, 11),
        Command::OpenDocument {
            document: plan,
            association: district,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "План работы на 2024/25".into(),
            nomination: None,
        },
    )
    .await;
    town.by(
        "h",
        date(2024, 9, 11),
        Command::SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план 2024/25"),
            network_event: None,
            based_on: None,
        },
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
    // Analysis and next year's plan to the curator by 15 May (003 §7.8).
    let analysis = DocumentId::derived("ns", "analysis-2024");
    town.by(
        "h",
        date(2025, 5, 12),
        Command::OpenDocument {
            document: analysis,
            association: district,
            document_type: DocumentType::AnnualAnalysis,
            school_year: year("2024/25"),
            title: "Анализ работы за 2024/25".into(),
            nomination: None,
        },
    )
    .await;
    town.by(
        "h",
        date(2025, 5, 12),
        Command::SubmitDocumentVersion {
            document: analysis,
            content_hash: hash_of("анализ"),
            network_event: None,
            based_on: None,
        },
    )
    .await;

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
        Command::ElectHead {
            association: city,
            person: town.person("h"),
            school_year: year("2024/25"),
            vote: town.vote(city_first, &["h"], 1, 0, 0),
        },
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
            Command::OpenDocument {
                document,
                association: city,
                document_type,
                school_year: year(school_year),
                title: title.into(),
                nomination: None,
            },
        )
        .await;
        let handled = town
            .by(
                "h",
                date(2025, 5, 12),
                Command::SubmitDocumentVersion {
                    document,
                    content_hash: hash_of(title),
                    network_event: None,
                    based_on: None,
                },
            )
            .await;
        let chain: serde_json::Value =
            serde_json::from_str(&handled.events[1].payload).expect("json");
        assert_eq!(chain["submit_by"], "2025-05-15", "{chain}");
        assert_eq!(chain["steps"][0]["step"]["role"], "curator", "{chain}");
        // Both reach the curator first: the city association's curator decides.
        town.by(
            "deputy",
            date(2025, 5, 14),
            Command::ApproveStep {
                document,
                step: 1,
                comment: None,
                meeting: None,
                order: None,
                protocol_number: None,
            },
        )
        .await;
    }
    // The analysis is reviewed by the city scientific-methodical council (003 §7.8), which
    // cites the protocol of its sitting.
    town.by(
        "nms-chair",
        date(2025, 5, 20),
        Command::ApproveStep {
            document: city_analysis,
            step: 2,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: Some("4".into()),
        },
    )
    .await;
    // Its last step approved, the workflow records the approval (here by hand).
    town.op(
        date(2025, 5, 20),
        Command::FinalizeDocument {
            document: city_analysis,
        },
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
    let approve_plan = |meeting| Command::ApproveStep {
        document: city_plan,
        step: 2,
        comment: None,
        meeting: Some(meeting),
        order: None,
        protocol_number: None,
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
        Command::FinalizeDocument {
            document: city_plan,
        },
    )
    .await;

    // Liquidation by the department's order; afterwards nothing more is recorded (003 §I.5).
    let liquidation = town
        .order("department", "0801-од", date(2025, 10, 1), "О ликвидации")
        .await;
    town.op(
        date(2025, 10, 1),
        Command::LiquidateAssociation {
            association: city,
            order: liquidation,
        },
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2025, 10, 2),
        Command::AppointCurator {
            association: city,
            person: town.person("methodist"),
            school_year: year("2025/26"),
            order: curator_order,
        },
        "association_liquidated",
    )
    .await;

    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "m1",
            date(2024, 9, 25),
            Command::UpdateMemberDatabase {
                association: district,
                school_year: year("2024/25"),
            },
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

/// 004: Pervouralsk — school and municipal levels, several kinds.
async fn pervouralsk_school_year(backend: Backend) {
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
    town.teacher(
        "head",
        "Ахахлина Галина Евгеньевна",
        "school-7",
        PositionKind::Teacher,
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
    let school_mo = town
        .association(
            "school-7-math",
            "ШМО учителей математики СОШ № 7",
            "математика",
            Level::School,
            None,
            Some("school-7"),
            order,
        )
        .await;
    // A district level does not exist here (004 §6).
    town.refused(
        Acting::Operator,
        date(2024, 8, 28),
        Command::CreateAssociation {
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
        },
        "level_not_provided",
    )
    .await;
    // A creative lab at the municipal level (004 §8).
    let lab = AssociationId::derived("pv", "lab");
    town.op(
        date(2024, 8, 28),
        Command::CreateAssociation {
            association: lab,
            title: "Муниципальная творческая лаборатория «Цифровой урок»".into(),
            subject: subject("цифровая дидактика"),
            level: Level::City,
            kind: domain::values::AssociationKind::CreativeLab,
            group_membership: None,
            district: None,
            organization: None,
            order,
            review: None,
            curating_organization: None,
        },
    )
    .await;
    town.admit_by_order(school_mo, &["head", "t1"], order, date(2024, 9, 2))
        .await;
    // The school's own administration appoints the school association's head (004 §7).
    let wrong = town
        .order("center", "32", date(2024, 9, 2), "О руководителе ШМО")
        .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 2),
        Command::AppointHead {
            association: school_mo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: wrong,
            review: None,
        },
        "wrong_order_issuer",
    )
    .await;
    let school_order = town
        .order("school-7", "101", date(2024, 9, 2), "О руководителе ШМО")
        .await;
    town.op(
        date(2024, 9, 2),
        Command::AppointHead {
            association: school_mo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: school_order,
            review: None,
        },
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
        Command::SignProtocol { meeting },
        "meeting_state",
    )
    .await;
    town.protocol("head", "head", meeting, "1", date(2024, 9, 25))
        .await;
    town.by(
        "t1",
        date(2025, 6, 1),
        Command::RemoveMember {
            association: school_mo,
            member: Member::Person(town.person("t1")),
            reason: "Перевод в другую организацию".into(),
        },
    )
    .await;
    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "head",
            date(2024, 9, 26),
            Command::UpdateMemberDatabase {
                association: school_mo,
                school_year: year("2024/25"),
            },
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

store::on_every_backend!(
    novokuznetsk_school_year,
    kuznetsk_school_year,
    izhevsk_school_year,
    novosibirsk_school_year,
    pervouralsk_school_year,
);
