//! 002: Izhevsk — applications (forms 1 and 2), curator by order, technical assignment,
//! road map, network-event reports, the curator's yearly report.

use super::*;
use domain::commands::{
    AdmitMember, AppointCurator, AppointHead, ApproveMembershipApplication, ApproveStep,
    FinalizeDocument, OpenDocument, RejectMembershipApplication, SubmitDocumentVersion,
    SubmitMembershipApplication, UpdateMemberDatabase,
};

/// The whole school year under this profile.
pub(super) async fn izhevsk_school_year(backend: Backend) {
    let mut town = Town::izhevsk(backend).await;
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
            Command::AppointCurator(AppointCurator {
                association: gmo,
                person: town.person("first-cat"),
                school_year: year("2024/25"),
                order: curator_order,
            }),
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
        Command::AppointCurator(AppointCurator {
            association: gmo,
            person: town.person("specialist"),
            school_year: year("2024/25"),
            order: curator_order,
        }),
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
        Command::AppointHead(AppointHead {
            association: gmo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order: head_order,
            review: None,
        }),
    )
    .await;

    // Applications to the Center: form 1 on a teacher, form 2 on an organization (002 §5.2).
    let form_1 = ApplicationId::derived("iz", "t1");
    let wrong_period = Command::SubmitMembershipApplication(SubmitMembershipApplication {
        application: form_1,
        association: gmo,
        form: ApplicationForm::Teacher,
        applicant: Member::Person(town.person("t1")),
        theme: "Естественно-научная грамотность".into(),
        school_year: year("2024/25"),
        period_from: date(2024, 9, 1),
        period_to: date(2025, 6, 30),
    });
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
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: form_1,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("t1")),
            theme: "Естественно-научная грамотность".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }),
    )
    .await;
    let form_2 = ApplicationId::derived("iz", "school-90");
    let organization = Member::Organization(town.organization("school-90"));
    town.refused_by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: organization,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }),
        "not_authorized",
    )
    .await;
    town.by(
        "director-90",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: organization,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }),
    )
    .await;
    // Admission needs an approved application.
    let admit_t1 = Command::AdmitMember(AdmitMember {
        association: gmo,
        member: Member::Person(town.person("t1")),
        basis: AdmissionBasis::Application(form_1),
        district_association: None,
    });
    town.refused(
        Acting::Operator,
        date(2024, 9, 4),
        admit_t1.clone(),
        "application_not_approved",
    )
    .await;
    // The Center's Methodical council decides the applications at its sitting of 5 Sep, and
    // the specialist records its protocol (002 §5.1).
    let sitting = Some(CouncilReview {
        council: town.body("council"),
        protocol_number: "2".into(),
        date: date(2024, 9, 5),
    });
    town.refused_by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application: form_1,
            review: None,
        }),
        "council_decision_required",
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application: form_1,
            review: sitting.clone(),
        }),
    )
    .await;
    town.refused_by(
        "specialist",
        date(2024, 9, 5),
        Command::RejectMembershipApplication(RejectMembershipApplication {
            application: form_1,
            reason: "поздно".into(),
            review: sitting.clone(),
        }),
        "application_already_decided",
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application: form_2,
            review: sitting.clone(),
        }),
    )
    .await;
    town.by("specialist", date(2024, 9, 6), admit_t1).await;
    town.by(
        "specialist",
        date(2024, 9, 6),
        Command::AdmitMember(AdmitMember {
            association: gmo,
            member: organization,
            basis: AdmissionBasis::Application(form_2),
            district_association: None,
        }),
    )
    .await;
    let head_member = ApplicationId::derived("iz", "head");
    town.by(
        "head",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: head_member,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("head")),
            theme: "Руководство ГМО".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }),
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application: head_member,
            review: sitting.clone(),
        }),
    )
    .await;
    town.by(
        "specialist",
        date(2024, 9, 6),
        Command::AdmitMember(AdmitMember {
            association: gmo,
            member: Member::Person(town.person("head")),
            basis: AdmissionBasis::Application(head_member),
            district_association: None,
        }),
    )
    .await;

    // The Center writes the technical assignment (002 §5.7); the head may not.
    let assignment = DocumentId::derived("iz", "assignment");
    let open_assignment = Command::OpenDocument(OpenDocument {
        document: assignment,
        association: gmo,
        document_type: DocumentType::TechnicalAssignment,
        school_year: year("2024/25"),
        title: "Техническое задание ГМО на 2024/25".into(),
        nomination: None,
    });
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
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: assignment,
            content_hash: hash_of("ТЗ"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    // The road map by the participants with the curator (002 §5.8), on the basis of the
    // technical assignment agreed with the curator (§5.8, §4.1): not before it is agreed.
    let road_map = DocumentId::derived("iz", "road-map");
    town.by(
        "head",
        date(2024, 9, 16),
        Command::OpenDocument(OpenDocument {
            document: road_map,
            association: gmo,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "Дорожная карта ГМО на 2024/25".into(),
            nomination: None,
        }),
    )
    .await;
    let submit_road_map = |based_on| {
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: road_map,
            content_hash: hash_of("дорожная карта"),
            network_event: None,
            based_on,
            // How many meetings and network events the year holds (002 §5.9).
            planned_meetings: Some(4),
            planned_network_events: Some(3),
        })
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
        Command::ApproveStep(ApproveStep {
            document: assignment,
            step: 1,
            comment: None,
            meeting: None,
            order: None,
            protocol_number: None,
        }),
    )
    .await;
    town.op(
        date(2024, 9, 16),
        Command::FinalizeDocument(FinalizeDocument {
            document: assignment,
        }),
    )
    .await;
    let submitted = town
        .by("head", date(2024, 9, 16), submit_road_map(Some(assignment)))
        .await;
    let payload: serde_json::Value =
        serde_json::from_str(&submitted.events[0].payload).expect("json");
    assert_eq!(payload["based_on"], assignment.to_string());
    assert_eq!(
        (
            &payload["planned_meetings"],
            &payload["planned_network_events"]
        ),
        (&serde_json::json!(4), &serde_json::json!(3))
    );

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
        Command::OpenDocument(OpenDocument {
            document: report,
            association: gmo,
            document_type: DocumentType::NetworkEventReport,
            school_year: year("2024/25"),
            title: "Отчёт о сетевом событии «Фестиваль опытов»".into(),
            nomination: None,
        }),
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
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: report,
            content_hash: hash_of("отчёт"),
            network_event: Some(details.clone()),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
        "network_event_report_incomplete",
    )
    .await;
    details.evidence.push(hash_of("фото 1"));
    town.by(
        "head",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: report,
            content_hash: hash_of("отчёт"),
            network_event: Some(details),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;

    // The curator's yearly report (002 §5.13).
    let yearly = DocumentId::derived("iz", "curator-report");
    town.refused_by(
        "head",
        date(2025, 5, 25),
        Command::OpenDocument(OpenDocument {
            document: yearly,
            association: gmo,
            document_type: DocumentType::CuratorYearlyReport,
            school_year: year("2024/25"),
            title: "Отчёт о деятельности ГМО за 2024/25".into(),
            nomination: None,
        }),
        "document_author_mismatch",
    )
    .await;
    town.by(
        "specialist",
        date(2025, 5, 25),
        Command::OpenDocument(OpenDocument {
            document: yearly,
            association: gmo,
            document_type: DocumentType::CuratorYearlyReport,
            school_year: year("2024/25"),
            title: "Отчёт о деятельности ГМО за 2024/25".into(),
            nomination: None,
        }),
    )
    .await;
    town.by(
        "specialist",
        date(2025, 5, 26),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: yearly,
            content_hash: hash_of("отчёт куратора"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;

    // The member database, updated by 1 Oct.
    let update = town
        .by(
            "head",
            date(2024, 9, 27),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association: gmo,
                school_year: year("2024/25"),
            }),
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
