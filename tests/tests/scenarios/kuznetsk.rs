//! 001: Kuznetsk — one municipal association per subject, head appointed by order.

use super::*;
use domain::commands::{
    AdmitMember, AppointHead, CreateAssociation, ElectHead, ElectSecretary, HoldMeeting,
    OpenDocument, SubmitDocumentVersion, UpdateMemberDatabase,
};

/// The whole school year under this profile.
pub(super) async fn kuznetsk_school_year(backend: Backend) {
    let mut town = Town::kuznetsk(backend).await;
    // The ММО unites the city's teachers of its subject, by the registry (001 §1.3).
    for (key, name, category, since) in [
        (
            "head",
            "Борисова Людмила Алексеевна",
            Some((CategoryLevel::First, date(2019, 4, 1))),
            date(2010, 9, 1),
        ),
        ("t1", "Фадеев Сергей Андреевич", None, date(2020, 9, 1)),
        ("t2", "Алексеева Нина Олеговна", None, date(2022, 9, 1)),
    ] {
        town.teacher_of(key, name, "история", category, since).await;
    }
    let order = town
        .order(
            "uo",
            "157",
            date(2024, 9, 9),
            "Об утверждении Положения и состава ММО",
        )
        .await;
    // Only the municipal level exists here (001 §1.3).
    let district = Command::CreateAssociation(CreateAssociation {
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
        ends_on: None,
        task: None,
    });
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
    // Nobody is admitted: the teachers of history are its members.
    let admit = Command::AdmitMember(AdmitMember {
        association: mmo,
        member: Member::Person(town.person("t1")),
        basis: AdmissionBasis::Order(order),
        district_association: None,
    });
    town.refused(
        Acting::Operator,
        date(2024, 9, 9),
        admit,
        "membership_follows_from_registry",
    )
    .await;
    town.op(
        date(2024, 9, 10),
        Command::AppointHead(AppointHead {
            association: mmo,
            person: town.person("head"),
            school_year: year("2024/25"),
            order,
            review: None,
        }),
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
    let elect = Command::ElectHead(ElectHead {
        association: mmo,
        person: town.person("t1"),
        school_year: year("2024/25"),
        vote: town.vote(meeting, &["head", "t1", "t2"], 3, 0, 0),
    });
    town.refused_by("head", date(2024, 9, 20), elect, "wrong_fill_method")
        .await;
    let secretary = Command::ElectSecretary(ElectSecretary {
        association: mmo,
        person: town.person("t1"),
        school_year: year("2024/25"),
        vote: town.vote(meeting, &["head", "t1", "t2"], 3, 0, 0),
    });
    town.refused_by("head", date(2024, 9, 20), secretary, "no_role_rule")
        .await;
    town.protocol("head", "head", meeting, "1", date(2024, 9, 20))
        .await;
    let plan = DocumentId::derived("kz", "plan");
    town.by(
        "head",
        date(2024, 9, 21),
        Command::OpenDocument(OpenDocument {
            document: plan,
            association: mmo,
            document_type: DocumentType::WorkPlan,
            school_year: year("2024/25"),
            title: "План работы ММО («дорожная карта») на 2024/25".into(),
            nomination: None,
        }),
    )
    .await;
    town.by(
        "head",
        date(2024, 9, 21),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: plan,
            content_hash: hash_of("дорожная карта"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    // Nothing takes effect after the day it is recorded; a person dates their own acts at
    // most a month back — older paper is entered by the operator.
    town.recording_day = Some(date(2024, 12, 20));
    let meeting_x = Command::HoldMeeting(HoldMeeting {
        meeting: town.meeting_id("history-x"),
        association: mmo,
        attendance: vec![town.person("head")],
        questions: vec![decided("Итоги олимпиады", "Принять к сведению")],
        recommendations: vec![],
    });
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
    // No member database of its own: the registry is it (001 §1.3).
    let update = Command::UpdateMemberDatabase(UpdateMemberDatabase {
        association: mmo,
        school_year: year("2024/25"),
    });
    town.refused_by(
        "head",
        date(2024, 9, 30),
        update,
        "membership_follows_from_registry",
    )
    .await;
    let counts = town.counts().await;
    assert_eq!(counts["HeadAppointed"], 1);
    assert_eq!(counts["ProtocolSigned"], 1);
    assert_eq!(counts["DocumentVersionSubmitted"], 1);
}
