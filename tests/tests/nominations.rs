//! Appointments that need an order run through a chain too (000 §4.2): the methodical
//! service puts a city head's candidacy forward, the Coordination council reviews it, KOiN
//! approves it by order, and the workflow appoints the candidate on that order with the
//! council's review — once, however often it runs. On SQLite and PostgreSQL.

mod scenario_support;

use domain::commands::{ApproveStep, OpenDocument, SubmitDocumentVersion};
use domain::events::Nomination;
use domain::ids::DocumentId;
use domain::values::{
    AssociationRole, BodyKind, CategoryLevel, DocumentType, Level, Office, OrganizationKind,
    PositionKind,
};
use domain::Command;
use scenario_support::*;
use store::{Backend, StreamId};
use workflows::WorkflowRunner;

async fn city_head_nominated_reviewed_by_council_and_appointed_by_order_000_4_2(backend: Backend) {
    let mut town = Town::new(backend, "novokuznetsk", "Новокузнецкий городской округ").await;
    town.district("central", "Центральный район").await;
    town.organization_in(
        "nmc",
        "МАОУ ДПО ИПК",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "school-1",
        "МБОУ «СОШ № 1»",
        OrganizationKind::School,
        Some("central"),
    )
    .await;
    town.body_of("koin", BodyKind::Department, "КОиН", None, None)
        .await;
    town.body_of(
        "mms",
        BodyKind::MethodicalCenter,
        "Муниципальная методическая служба",
        None,
        Some("nmc"),
    )
    .await;
    town.body_of(
        "coordination",
        BodyKind::CoordinationCouncil,
        "Координационный совет ММС",
        None,
        None,
    )
    .await;
    let highest = Some((CategoryLevel::Highest, date(2018, 1, 1)));
    town.teacher(
        "methodist",
        "Орлова Анна Игоревна",
        "nmc",
        PositionKind::Methodist,
        None,
        date(2010, 9, 1),
    )
    .await;
    town.official("methodist", "mms", Office::Specialist).await;
    town.teacher(
        "council",
        "Фролов Пётр Ильич",
        "nmc",
        PositionKind::Methodist,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("council", "coordination", Office::CouncilMember)
        .await;
    town.teacher(
        "deputy",
        "Соколова Анна Петровна",
        "nmc",
        PositionKind::Official,
        None,
        date(2000, 9, 1),
    )
    .await;
    town.official("deputy", "koin", Office::DeputyChief).await;
    town.teacher(
        "candidate",
        "Иванова Мария Сергеевна",
        "school-1",
        PositionKind::Teacher,
        highest,
        date(2005, 9, 1),
    )
    .await;

    town.creation_review = Some(domain::events::CouncilReview {
        council: town.body("coordination"),
        protocol_number: "1".into(),
        date: date(2024, 8, 20),
    });
    let list = town
        .order(
            "koin",
            "1201",
            date(2024, 8, 26),
            "Об утверждении перечня ГПМО",
        )
        .await;
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

    // The methodical service puts the candidacy forward.
    let nomination = DocumentId::derived("nk", "city-head-2024");
    let open = Command::OpenDocument(OpenDocument {
        document: nomination,
        association: city,
        document_type: DocumentType::Nomination,
        school_year: year("2024/25"),
        title: "Кандидатура руководителя ГПМО учителей математики на 2024/25".into(),
        nomination: Some(Nomination {
            role: AssociationRole::Head,
            person: town.person("candidate"),
        }),
    });
    town.refused_by(
        "candidate",
        date(2024, 9, 2),
        open.clone(),
        "document_author_mismatch",
    )
    .await;
    town.by("methodist", date(2024, 9, 2), open).await;
    town.by(
        "methodist",
        date(2024, 9, 2),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: nomination,
            content_hash: hash_of("представление"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    // The Coordination council reviews it (step 1), recording its protocol.
    let approve = |step: u32, order, protocol_number: Option<&str>| {
        Command::ApproveStep(ApproveStep {
            document: nomination,
            step,
            comment: None,
            meeting: None,
            order,
            protocol_number: protocol_number.map(str::to_string),
        })
    };
    town.refused_by(
        "deputy",
        date(2024, 9, 5),
        approve(1, None, Some("4")),
        "not_authorized",
    )
    .await;
    town.by("council", date(2024, 9, 5), approve(1, None, Some("4")))
        .await;
    // KOiN approves it by order (step 2): without the order it is refused.
    town.refused_by(
        "deputy",
        date(2024, 9, 10),
        approve(2, None, None),
        "order_required",
    )
    .await;
    let order = town
        .order("koin", "1302", date(2024, 9, 10), "О руководителях ГПМО")
        .await;
    town.by("deputy", date(2024, 9, 10), approve(2, Some(order), None))
        .await;

    // The workflow approves the nomination and appoints on the order — once.
    let runner = WorkflowRunner::new(town.handler.clone());
    let first = runner.run_once().await.expect("workflow runs");
    assert_eq!(first.reactions, 2, "{first:?}");
    let second = runner.run_once().await.expect("workflow runs again");
    assert_eq!(second.reactions, 0, "{second:?}");
    let stream = StreamId::parse(city.stream()).expect("stream");
    let appointed: Vec<_> = town
        .store
        .read_stream(&stream, 1, 100)
        .await
        .expect("read")
        .into_iter()
        .filter(|e| e.event_type == "HeadAppointed")
        .collect();
    assert_eq!(appointed.len(), 1);
    let payload: serde_json::Value = serde_json::from_str(&appointed[0].payload).expect("json");
    assert_eq!(payload["person"], town.person("candidate").to_string());
    assert_eq!(payload["order"], order.to_string());
    assert_eq!(payload["review"]["protocol_number"], "4");
    assert_eq!(payload["review"]["date"], "2024-09-05");
    assert_eq!(appointed[0].actor.id, "workflow");
    assert_eq!(
        appointed[0].basis.as_ref().map(|b| b.number.as_str()),
        Some("1302")
    );
    town.check_log().await;
}

store::on_every_backend!(city_head_nominated_reviewed_by_council_and_appointed_by_order_000_4_2);
