//! 000: Novokuznetsk — district (РПМО) and city (ГПМО) associations.

use super::*;
use domain::commands::{
    AdmitMember, AppointHead, CorrectProtocol, CreateAssociation, DraftProtocol, ElectSecretary,
    HoldMeeting, LinkDistrictAssociation, OpenDocument, SignProtocol, SubmitDocumentVersion,
    SubmitMembershipApplication, UpdateMemberDatabase,
};

/// The whole school year under this profile.
pub(super) async fn novokuznetsk_school_year(backend: Backend) {
    let mut town = Town::novokuznetsk(backend).await;
    town.people(&["deputy", "a1", "a2", "a3", "b1", "b2"]).await;

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
    let unreviewed = Command::CreateAssociation(CreateAssociation {
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
        ends_on: None,
        task: None,
    });
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
    let by_koin = Command::CreateAssociation(CreateAssociation {
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
        ends_on: None,
        task: None,
    });
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
            Command::LinkDistrictAssociation(LinkDistrictAssociation {
                city_association: city,
                district_association: district,
            }),
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
    let appoint_a1 = Command::AppointHead(AppointHead {
        association: central,
        person: town.person("a1"),
        school_year: year("2024/25"),
        order: central_order,
        review: None,
    });
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
    if let Command::AppointHead(AppointHead { order, .. }) = &mut wrong {
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
        Command::AppointHead(AppointHead {
            association: zavodskoy,
            person: town.person("b1"),
            school_year: year("2024/25"),
            order: zavodskoy_order,
            review: None,
        }),
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
    let without_review = Command::AppointHead(AppointHead {
        association: city,
        person: town.person("a1"),
        school_year: year("2024/25"),
        order: city_order,
        review: None,
    });
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
        Command::AppointHead(AppointHead {
            association: city,
            person: town.person("a1"),
            school_year: year("2024/25"),
            order: city_order,
            review: Some(review),
        }),
    )
    .await;
    // The city association is made of the district heads (000 §4.1).
    for (head, district) in [("a1", central), ("b1", zavodskoy)] {
        town.op(
            date(2024, 9, 12),
            Command::AdmitMember(AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(city_order),
                district_association: Some(district),
            }),
        )
        .await;
    }
    let a2_in_city = Command::AdmitMember(AdmitMember {
        association: city,
        member: Member::Person(town.person("a2")),
        basis: AdmissionBasis::Order(city_order),
        district_association: Some(central),
    });
    town.refused(
        Acting::Operator,
        date(2024, 9, 12),
        a2_in_city,
        "not_a_district_head",
    )
    .await;
    // No applications in this regulation.
    let application = Command::SubmitMembershipApplication(SubmitMembershipApplication {
        application: ApplicationId::derived("nk", "a3"),
        association: central,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(town.person("a3")),
        theme: "Функциональная грамотность".into(),
        school_year: year("2024/25"),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 5, 31),
    });
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
        Command::ElectSecretary(ElectSecretary {
            association: central,
            person: town.person("a2"),
            school_year: year("2024/25"),
            vote: one_of_three,
        }),
        "no_majority",
    )
    .await;
    let two_of_three = town.vote(first, &["a1", "a2", "a3"], 2, 0, 1);
    let elected = town
        .by(
            "a1",
            date(2024, 9, 20),
            Command::ElectSecretary(ElectSecretary {
                association: central,
                person: town.person("a2"),
                school_year: year("2024/25"),
                vote: two_of_three,
            }),
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
        Command::DraftProtocol(DraftProtocol {
            meeting: first,
            number: "1".into(),
            content_hash: hash_of("протокол 1"),
        }),
    )
    .await;
    town.refused_by(
        "a2",
        date(2024, 9, 21),
        Command::SignProtocol(SignProtocol { meeting: first }),
        "protocol_signer_mismatch",
    )
    .await;
    town.refused(
        Acting::Operator,
        date(2024, 9, 21),
        Command::SignProtocol(SignProtocol { meeting: first }),
        "protocol_signer_mismatch",
    )
    .await;
    town.by(
        "a1",
        date(2024, 9, 21),
        Command::SignProtocol(SignProtocol { meeting: first }),
    )
    .await;
    town.refused_by(
        "a1",
        date(2024, 9, 22),
        Command::SignProtocol(SignProtocol { meeting: first }),
        "protocol_already_signed",
    )
    .await;
    town.by(
        "a1",
        date(2024, 9, 23),
        Command::CorrectProtocol(CorrectProtocol {
            meeting: first,
            content_hash: hash_of("протокол 1, исправленный"),
            reason: "Опечатка в фамилии".into(),
        }),
    )
    .await;

    // The member database by 1 Oct (000 §10.4).
    let update = town
        .by(
            "a2",
            date(2024, 9, 27),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association: central,
                school_year: year("2024/25"),
            }),
        )
        .await;
    let payload: serde_json::Value = serde_json::from_str(&update.events[0].payload).expect("json");
    assert_eq!(payload["member_count"], 3);

    // Three more meetings (at least 4 a year, 000 §10.1); a question without a decision is refused.
    let undecided = Command::HoldMeeting(HoldMeeting {
        meeting: town.meeting_id("central-x"),
        association: central,
        attendance: vec![town.person("a1")],
        questions: vec![decided("Итоги олимпиады", " ")],
        recommendations: vec![],
    });
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
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: central,
            document_type: DocumentType::WorkPlan,
            school_year: year("2025/26"),
            title: "План работы РПМО на 2025/26".into(),
            nomination: None,
        }),
        "document_author_mismatch",
    )
    .await;
    town.by(
        "a1",
        date(2025, 4, 20),
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: central,
            document_type: DocumentType::WorkPlan,
            school_year: year("2025/26"),
            title: "План работы РПМО на 2025/26".into(),
            nomination: None,
        }),
    )
    .await;
    town.by(
        "a1",
        date(2025, 4, 21),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план v1"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    town.refused_by(
        "a1",
        date(2025, 4, 22),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("план v2"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
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
