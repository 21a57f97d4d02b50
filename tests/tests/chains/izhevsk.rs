//! 002 Izhevsk: road maps, technical assignments and reports through the curator and the
//! methodical center (002 §5.7, §5.8, §5.11, §5.13), deputies by order (002 §5.3), and
//! applications approved, returned and resubmitted (002 §5.2).

use super::*;
use domain::commands::{
    AppointCurator, AppointHead, ApproveMembershipApplication, DesignateDeputy,
    ReturnMembershipApplication, SubmitDocumentVersion, SubmitMembershipApplication,
};

/// Two ГМО created by the Center's order after its council; the curator of the first a
/// Center specialist appointed by the Управление, not an official of the Center; the Center
/// with its director and a methodist; heads by the Управление's order.
struct Izhevsk {
    town: Town,
    gmo: AssociationId,
    reading: AssociationId,
    /// The technical assignment of 2024/25 agreed by the curator, once a road map needs it.
    agreed: Option<DocumentId>,
}

async fn izhevsk(backend: Backend) -> Izhevsk {
    let mut town = Town::izhevsk(backend).await;
    let highest = |y| Some((CategoryLevel::Highest, date(y, 1, 1)));
    for (key, name, organization, kind, category, since) in [
        (
            "davydova",
            "Давыдова Светлана Михайловна",
            "alternativa",
            PositionKind::Director,
            None,
            date(1995, 9, 1),
        ),
        (
            "methodist",
            "Волкова Татьяна Юрьевна",
            "alternativa",
            PositionKind::Methodist,
            None,
            date(2012, 9, 1),
        ),
        (
            "curator",
            "Егорова Марина Андреевна",
            "alternativa",
            PositionKind::CenterSpecialist,
            None,
            date(2021, 9, 1),
        ),
        (
            "reserve",
            "Сорокин Антон Павлович",
            "alternativa",
            PositionKind::CenterSpecialist,
            None,
            date(2020, 9, 1),
        ),
        (
            "head",
            "Лебедева Ольга Викторовна",
            "lyceum",
            PositionKind::Teacher,
            highest(2017),
            date(2004, 9, 1),
        ),
        (
            "t1",
            "Морозов Денис Александрович",
            "lyceum",
            PositionKind::Teacher,
            None,
            date(2019, 9, 1),
        ),
        (
            "other-head",
            "Яковлева Наталья Сергеевна",
            "school-90",
            PositionKind::Teacher,
            highest(2016),
            date(2003, 9, 1),
        ),
        (
            "director-90",
            "Никитина Галина Павловна",
            "school-90",
            PositionKind::Director,
            None,
            date(1990, 9, 1),
        ),
    ] {
        town.teacher(key, name, organization, kind, category, since)
            .await;
    }
    town.official("davydova", "center", Office::Chief).await;
    town.official("methodist", "center", Office::Specialist)
        .await;

    // The Center's council, then the Center's order (002 §5.1).
    let creation = town
        .order(
            "center",
            "12-од",
            date(2024, 8, 26),
            "О создании ГМО по решению методического совета",
        )
        .await;
    let mut associations = Vec::new();
    for (key, title, subject) in [
        (
            "stem",
            "ГМО «Естественно-научная грамотность»",
            "естественно-научная грамотность",
        ),
        (
            "reading",
            "ГМО «Читательская грамотность»",
            "читательская грамотность",
        ),
    ] {
        town.creation_review = Some(CouncilReview {
            council: town.body("council"),
            protocol_number: "1".into(),
            date: date(2024, 8, 23),
        });
        associations.push(
            town.association(key, title, subject, Level::City, None, None, creation)
                .await,
        );
    }
    let (gmo, reading) = (associations[0], associations[1]);
    // The curator and the heads: the Управление's orders (002 §5.3, §8.1).
    let curators = town
        .order("uo", "845", date(2024, 9, 2), "О назначении кураторов ГМО")
        .await;
    town.op(
        date(2024, 9, 2),
        Command::AppointCurator(AppointCurator {
            association: gmo,
            person: town.person("curator"),
            school_year: year("2024/25"),
            order: curators,
        }),
    )
    .await;
    let heads = town
        .order(
            "uo",
            "846",
            date(2024, 9, 2),
            "О назначении руководителей ГМО",
        )
        .await;
    for (association, head) in [(gmo, "head"), (reading, "other-head")] {
        town.op(
            date(2024, 9, 2),
            Command::AppointHead(AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order: heads,
                review: None,
            }),
        )
        .await;
    }
    Izhevsk {
        town,
        gmo,
        reading,
        agreed: None,
    }
}

impl Izhevsk {
    /// The road map, developed on the technical assignment agreed with the curator (002
    /// §5.8, §4.1): the Center's methodist writes it on 9 Sep, the curator agrees on 10 Sep,
    /// the workflow records the approval.
    async fn road_map(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let agreed = match self.agreed {
            Some(agreed) => agreed,
            None => {
                let agreed = self.assignment("agreed-assignment", date(2024, 9, 9)).await;
                self.town
                    .by("curator", date(2024, 9, 10), approve(agreed, 1))
                    .await;
                run_workflow(&self.town).await;
                self.agreed = Some(agreed);
                agreed
            }
        };
        let road_map = document(key);
        let gmo = self.gmo;
        open(
            &mut self.town,
            "head",
            on,
            road_map,
            gmo,
            DocumentType::WorkPlan,
            "2024/25",
            "Дорожная карта ГМО на 2024/25",
        )
        .await;
        road_map_version(&mut self.town, on, road_map, 1, Some(agreed)).await;
        road_map
    }

    /// The technical assignment, written by the Center's methodist (002 §5.7).
    async fn assignment(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let assignment = document(key);
        let gmo = self.gmo;
        write(
            &mut self.town,
            "methodist",
            on,
            assignment,
            gmo,
            DocumentType::TechnicalAssignment,
            "2024/25",
            "Техническое задание ГМО на 2024/25",
        )
        .await;
        assignment
    }

    /// The curator's yearly report (002 §5.13).
    async fn curator_report(&mut self, on: NaiveDate) -> DocumentId {
        let report = document("curator-report");
        let gmo = self.gmo;
        write(
            &mut self.town,
            "curator",
            on,
            report,
            gmo,
            DocumentType::CuratorYearlyReport,
            "2024/25",
            "Отчёт куратора о деятельности ГМО за 2024/25",
        )
        .await;
        report
    }

    /// A meeting of the ГМО, held by its head with the curator present.
    async fn meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let gmo = self.gmo;
        self.town
            .hold_meeting(
                "head",
                key,
                gmo,
                on,
                &["head", "curator"],
                vec![decided(
                    "Рассмотрение дорожной карты",
                    "Одобрить, направить куратору на утверждение",
                )],
            )
            .await
    }
}

async fn road_map_reviewed_at_own_meeting_and_approved_by_curator_002_5_8(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let earlier = iz.meeting("stem-early", date(2024, 9, 12)).await;
    let road_map = iz.road_map("road-map", date(2024, 9, 16)).await;
    let (gmo, reading) = (iz.gmo, iz.reading);
    let town = &mut iz.town;

    let chain = payloads_of(town, road_map, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "curator", "at_meeting": "own"}, "association": gmo.to_string()}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.8");

    // Reviewed at the ГМО's own meeting (002 §5.8): not without one, not at another ГМО's,
    // not at one held before the road map reached the curator.
    let on = date(2024, 9, 17);
    town.refused_by("curator", on, approve(road_map, 1), "step_meeting_required")
        .await;
    let foreign = town
        .hold_meeting(
            "other-head",
            "reading-1",
            reading,
            on,
            &["other-head"],
            vec![decided("План работы", "Принять")],
        )
        .await;
    town.refused_by(
        "curator",
        on,
        approve_at(road_map, 1, foreign),
        "step_meeting_required",
    )
    .await;
    town.refused_by(
        "curator",
        on,
        approve_at(road_map, 1, earlier),
        "step_meeting_required",
    )
    .await;
    let meeting = iz.meeting("stem-1", date(2024, 9, 20)).await;
    let town = &mut iz.town;
    // The head held the meeting, but the curator approves.
    town.refused_by(
        "head",
        date(2024, 9, 20),
        approve_at(road_map, 1, meeting),
        "not_authorized",
    )
    .await;
    let approved = town
        .by(
            "curator",
            date(2024, 9, 20),
            approve_at(road_map, 1, meeting),
        )
        .await;
    assert_eq!(approved.events[0].actor.role, "curator");
    assert_eq!(payload(&approved.events[0])["meeting"], meeting.to_string());
    approved_once(town, road_map, 1).await;
    town.check_log().await;
}

async fn technical_assignment_agreed_by_curator_002_5_7(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let assignment = iz.assignment("assignment", date(2024, 9, 9)).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;

    let chain = payloads_of(town, assignment, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "curator"}, "association": gmo.to_string()}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.7, §4.1");
    // Its author and the Center's director are not the curator; nor is either head.
    let on = date(2024, 9, 11);
    for who in ["methodist", "davydova", "head", "other-head", "reserve"] {
        town.refused_by(who, on, approve(assignment, 1), "not_authorized")
            .await;
    }
    town.refused(
        Acting::Operator,
        on,
        approve(assignment, 1),
        "not_authorized",
    )
    .await;
    let agreed = town.by("curator", on, approve(assignment, 1)).await;
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("curator").to_string()
    );
    town.refused_by("curator", on, approve(assignment, 1), "step_not_current")
        .await;
    approved_once(town, assignment, 1).await;
    town.check_log().await;
}

async fn reports_accepted_by_methodical_center_002_5_11_5_13(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let network = document("network-event");
    let town = &mut iz.town;
    open(
        town,
        "head",
        date(2024, 11, 20),
        network,
        gmo,
        DocumentType::NetworkEventReport,
        "2024/25",
        "Отчёт о сетевом событии «Фестиваль опытов»",
    )
    .await;
    let details = NetworkEventDetails {
        topic: "Фестиваль опытов".into(),
        held_on: date(2024, 11, 15),
        goal: "Обмен практиками".into(),
        audience: "Учителя физики и химии".into(),
        programme: Some("Мастер-классы".into()),
        attendees: vec![town.person("t1")],
        attendance_count: 34,
        attendance_sheet: hash_of("лист регистрации"),
        evidence: vec![hash_of("фото 1")],
    };
    town.by(
        "head",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о событии"),
            network_event: Some(details),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    let chain = payloads_of(town, network, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "methodical_center"}}])
    );
    assert_eq!(chain[0]["clause"], "002 §5.11, §7.1");
    // The Center controls the ГМО (002 §7.1): its officials accept; the curator is not one.
    town.refused_by(
        "curator",
        date(2024, 11, 22),
        approve(network, 1),
        "not_authorized",
    )
    .await;
    let accepted = town
        .by("methodist", date(2024, 11, 22), approve(network, 1))
        .await;
    assert_eq!(accepted.events[0].actor.role, "official:methodical_center");

    // The curator's yearly report: accepted by the Center, not by the curator who wrote it.
    let report = iz.curator_report(date(2025, 5, 25)).await;
    let town = &mut iz.town;
    let chain = payloads_of(town, report, "ApprovalChainAssigned").await;
    assert_eq!(chain[0]["clause"], "002 §5.13, §7.1");
    town.refused_by(
        "curator",
        date(2025, 5, 27),
        approve(report, 1),
        "not_authorized",
    )
    .await;
    town.by("davydova", date(2025, 5, 27), approve(report, 1))
        .await;

    let first = run_workflow(town).await;
    assert_eq!(first.reactions, 2, "{first:?}");
    approved_once(town, network, 1).await;
    approved_once(town, report, 1).await;
    town.check_log().await;
}

async fn road_map_returned_by_curator_resumes_at_curator_002_5_8(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let road_map = iz.road_map("road-map", date(2024, 9, 16)).await;
    let first = iz.meeting("stem-1", date(2024, 9, 18)).await;
    let town = &mut iz.town;

    town.refused_by(
        "curator",
        date(2024, 9, 18),
        send_back(road_map, 1, " "),
        "decision_text_required",
    )
    .await;
    town.by(
        "curator",
        date(2024, 9, 18),
        send_back(road_map, 1, "Согласовать с техническим заданием"),
    )
    .await;
    assert_eq!(
        state(town, road_map).await.status,
        DocumentStatus::Returned { step: 1 }
    );
    let agreed = iz.agreed;
    let town = &mut iz.town;
    road_map_version(town, date(2024, 9, 23), road_map, 2, agreed).await;
    assert_eq!(
        state(town, road_map).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    // Version 2 needs a meeting of its own: the one that reviewed version 1 does not count.
    town.refused_by(
        "curator",
        date(2024, 9, 24),
        approve_at(road_map, 1, first),
        "step_meeting_required",
    )
    .await;
    let second = iz.meeting("stem-2", date(2024, 9, 25)).await;
    let town = &mut iz.town;
    let approved = town
        .by(
            "curator",
            date(2024, 9, 25),
            approve_at(road_map, 1, second),
        )
        .await;
    assert_eq!(payload(&approved.events[0])["version"], 2);
    approved_once(town, road_map, 2).await;
    assert_eq!(stays(town, road_map).await, vec![(1, 1), (2, 1)]);
    town.check_log().await;
}

/// Version `n` of the road map by the head: on the technical assignment agreed with the
/// curator (002 §5.8, §4.1), with the numbers of meetings and network events its year holds
/// (002 §5.9).
async fn road_map_version(
    town: &mut Town,
    on: NaiveDate,
    road_map: DocumentId,
    n: u32,
    agreed: Option<DocumentId>,
) {
    let version = SubmitDocumentVersion {
        based_on: agreed,
        planned_meetings: Some(4),
        planned_network_events: Some(2),
        ..version(road_map, n)
    };
    resubmit_version(town, "head", on, version, n).await;
}

/// Which documents wait in `who`'s inbox for rework on `day`: the log folded through the
/// domain (`workflows::inbox`) and the read models (`projections::inbox`) must agree.
async fn rework_for(town: &Town, who: &str, day: NaiveDate) -> Vec<DocumentId> {
    let person = town.person(who);
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let mut view = workflows::LogView::load_at(town.store.as_ref(), Some(day), None)
        .await
        .expect("fold");
    let folded = workflows::inbox(&mut view, &profiles, person, day);
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");
    let profile = profiles.get("izhevsk").expect("profile");
    let at = store::TimePoint {
        as_of: day,
        known_at: None,
    };
    let projected = projections::inbox::inbox(town.store.as_ref(), at, profile, person)
        .await
        .expect("inbox");
    assert_eq!(projected, folded, "{who} on {day}");
    folded
        .iter()
        .filter(|item| matches!(item.reason, domain::inbox::InboxReason::Rework { .. }))
        .map(|item| item.document)
        .collect()
}

/// DOMAIN.md §3: a return goes back to the author, who resubmits. The curator wrote the
/// network-event report (002 §5.11 names no author; the profile lets the head or the curator
/// write it): the returned report waits in the curator's inbox, not in the head's.
async fn returned_report_waits_for_its_author_002_5_11(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let network = document("network-event-by-curator");
    let town = &mut iz.town;
    open(
        town,
        "curator",
        date(2024, 11, 20),
        network,
        gmo,
        DocumentType::NetworkEventReport,
        "2024/25",
        "Отчёт о сетевом событии «Неделя науки»",
    )
    .await;
    let details = NetworkEventDetails {
        topic: "Неделя науки".into(),
        held_on: date(2024, 11, 15),
        goal: "Обмен практиками".into(),
        audience: "Учителя физики".into(),
        programme: None,
        attendees: vec![town.person("t1")],
        attendance_count: 21,
        attendance_sheet: hash_of("лист регистрации"),
        evidence: vec![hash_of("скриншот")],
    };
    town.by(
        "curator",
        date(2024, 11, 20),
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о неделе науки"),
            network_event: Some(details.clone()),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    town.by(
        "methodist",
        date(2024, 11, 22),
        send_back(network, 1, "Приложите программу события"),
    )
    .await;
    let day = date(2024, 11, 25);
    assert_eq!(rework_for(town, "curator", day).await, vec![network]);
    assert!(rework_for(town, "head", day).await.is_empty());

    town.by(
        "curator",
        day,
        Command::SubmitDocumentVersion(SubmitDocumentVersion {
            document: network,
            content_hash: hash_of("отчёт о неделе науки, с программой"),
            network_event: Some(NetworkEventDetails {
                programme: Some("Открытые уроки, круглый стол".into()),
                ..details
            }),
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        }),
    )
    .await;
    assert_eq!(
        state(town, network).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    assert!(rework_for(town, "curator", day).await.is_empty());
    town.check_log().await;
}

async fn curator_yearly_report_rejected_by_methodical_center_is_closed_002_5_13(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let report = iz.curator_report(date(2025, 5, 25)).await;
    let town = &mut iz.town;
    town.refused_by(
        "davydova",
        date(2025, 5, 27),
        reject(report, 1, "  "),
        "decision_text_required",
    )
    .await;
    town.by(
        "davydova",
        date(2025, 5, 27),
        reject(report, 1, "Отчёт не содержит итогов сетевых событий"),
    )
    .await;
    town.refused_by(
        "curator",
        date(2025, 5, 28),
        submit(report, 2),
        "document_closed",
    )
    .await;
    town.refused_by(
        "methodist",
        date(2025, 5, 28),
        approve(report, 1),
        "step_not_current",
    )
    .await;
    let report_run = run_workflow(town).await;
    assert_eq!(report_run.reactions, 0);
    assert!(events_of(town, report, "DocumentApproved").await.is_empty());
    assert_eq!(state(town, report).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

/// 002 §5.7 and §4.1 set no period for the curator to agree the technical assignment: with
/// the built-in profile the assignment waits at the curator without a deadline of its own.
async fn curator_has_no_review_period_the_seed_does_not_set_002_5_7(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let assignment = iz.assignment("assignment", date(2024, 9, 9)).await;
    let town = &mut iz.town;

    for day in [date(2024, 9, 20), date(2024, 12, 20)] {
        today(town, day);
        assert_eq!(document_deadlines_in_run(town).await, 0, "{day}");
    }
    assert!(events_of(town, assignment, "DeadlineMissed")
        .await
        .is_empty());
    let chain = payloads_of(town, assignment, "ApprovalChainAssigned").await;
    assert_eq!(chain[0]["local_review_days"], Value::Null);
    town.check_log().await;
}

async fn deputy_by_order_approves_for_curator_within_its_term_only_002_5_3(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    // The Управление appoints curators (002 §5.3), so its order designates the deputy; the
    // Center's does not.
    let order = town
        .order(
            "uo",
            "901",
            date(2024, 10, 1),
            "О временном исполнении обязанностей куратора ГМО",
        )
        .await;
    let center_order = town
        .order(
            "center",
            "30-од",
            date(2024, 10, 1),
            "О временном исполнении обязанностей куратора ГМО",
        )
        .await;
    let designate = |order| {
        Command::DesignateDeputy(DesignateDeputy {
            association: gmo,
            role: AssociationRole::Curator,
            deputy: town.person("reserve"),
            until: date(2024, 10, 10),
            order,
        })
    };
    let (wrong, right) = (designate(center_order), designate(order));
    town.refused(
        Acting::Operator,
        date(2024, 10, 1),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2024, 10, 1), right).await;

    let assignment = iz.assignment("assignment", date(2024, 10, 1)).await;
    let town = &mut iz.town;
    let agreed = town
        .by("reserve", date(2024, 10, 3), approve(assignment, 1))
        .await;
    assert_eq!(agreed.events[0].actor.role, "deputy:curator");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("reserve").to_string()
    );
    approved_once(town, assignment, 1).await;

    // After 10 Oct the deputy no longer acts; the curator does.
    let second = document("second-assignment");
    write(
        town,
        "methodist",
        date(2024, 10, 14),
        second,
        gmo,
        DocumentType::TechnicalAssignment,
        "2024/25",
        "Техническое задание ГМО на 2024/25: дополнение",
    )
    .await;
    town.refused_by(
        "reserve",
        date(2024, 10, 15),
        approve(second, 1),
        "not_authorized",
    )
    .await;
    town.by("curator", date(2024, 10, 15), approve(second, 1))
        .await;
    approved_once(town, second, 1).await;
    town.check_log().await;
}

/// 002 §5.12: «В конце учебного года ГМО проводит анализ своей деятельности» — and sends it
/// nowhere. Given the head's analysis of the year, when it is submitted, then it is recorded
/// with no chain, and neither the curator nor the Center has a step to approve, return or
/// reject.
async fn the_analysis_goes_nowhere_the_seed_does_not_send_it_002_5_12(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let analysis = document("analysis");
    write(
        town,
        "head",
        date(2025, 5, 26),
        analysis,
        gmo,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ деятельности ГМО за 2024/25",
    )
    .await;
    assert_eq!(state(town, analysis).await.status, DocumentStatus::Recorded);
    let chain = payloads_of(town, analysis, "ApprovalChainAssigned").await;
    assert!(
        chain.is_empty() || chain[0]["steps"] == json!([]),
        "{chain:?}"
    );
    for who in ["curator", "methodist"] {
        town.refused_by(
            who,
            date(2025, 5, 27),
            approve(analysis, 1),
            "step_not_current",
        )
        .await;
        town.refused_by(
            who,
            date(2025, 5, 27),
            send_back(analysis, 1, "Доработать"),
            "step_not_current",
        )
        .await;
    }
    assert_eq!(run_workflow(town).await.reactions, 0);
    town.check_log().await;
}

/// An application returned by the Center for rework (with its comment) is resubmitted by the
/// teacher under the same id and approved; the workflow admits the member once, from the
/// approval; the application's stream keeps every submission, the return and the decision.
async fn returned_application_resubmitted_and_approved_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "t1-returned");
    let submit = |town: &Town, theme: &str| {
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application,
            association: gmo,
            form: ApplicationForm::Teacher,
            applicant: Member::Person(town.person("t1")),
            theme: theme.into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        })
    };
    let first = submit(town, "Грамотность");
    town.by("t1", date(2024, 9, 3), first).await;
    town.by(
        "methodist",
        date(2024, 9, 4),
        Command::ReturnMembershipApplication(ReturnMembershipApplication {
            application,
            comment: "Раскройте тему работы в ГМО".into(),
            review: sitting(town, date(2024, 9, 4)),
        }),
    )
    .await;
    // Nothing to admit while it is back with the teacher.
    assert_eq!(run_workflow(town).await.reactions, 0);
    town.refused_by(
        "methodist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application,
            review: sitting(town, date(2024, 9, 5)),
        }),
        "application_already_decided",
    )
    .await;
    let second = submit(town, "Естественно-научная грамотность на уроках физики");
    town.by("t1", date(2024, 9, 6), second).await;
    town.by(
        "methodist",
        date(2024, 9, 9),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application,
            review: sitting(town, date(2024, 9, 9)),
        }),
    )
    .await;
    assert_eq!(run_workflow(town).await.reactions, 1);
    assert_eq!(run_workflow(town).await.reactions, 0);
    let stream = StreamId::parse(application.stream()).expect("stream id");
    let history: Vec<(String, NaiveDate)> = town
        .store
        .read_stream(&stream, 1, 100)
        .await
        .expect("the stream reads")
        .iter()
        .map(|e| (e.event_type.to_string(), e.effective))
        .collect();
    assert_eq!(
        history,
        vec![
            (
                "MembershipApplicationSubmitted".to_string(),
                date(2024, 9, 3)
            ),
            (
                "MembershipApplicationReturned".to_string(),
                date(2024, 9, 4)
            ),
            (
                "MembershipApplicationSubmitted".to_string(),
                date(2024, 9, 6)
            ),
            (
                "MembershipApplicationApproved".to_string(),
                date(2024, 9, 9)
            ),
        ]
    );
    let admitted: Vec<RecordedEvent> = in_log(town, "MemberAdmitted")
        .await
        .into_iter()
        .filter(|e| payload(e)["basis"] == json!({"application": application.to_string()}))
        .collect();
    assert_eq!(admitted.len(), 1);
    assert_eq!(admitted[0].effective, date(2024, 9, 9));
    town.check_log().await;
}

async fn approved_application_admits_the_member_once_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "t1");
    town.by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application,
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
    town.by(
        "methodist",
        date(2024, 9, 5),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application,
            review: sitting(town, date(2024, 9, 5)),
        }),
    )
    .await;
    let first = run_workflow(town).await;
    assert_eq!(first.reactions, 1, "{first:?}");
    assert_eq!(run_workflow(town).await.reactions, 0);

    let admitted = |town: &Town| {
        let stream = StreamId::parse(gmo.stream()).expect("stream id");
        let store = town.store.clone();
        async move {
            store
                .read_stream(&stream, 1, 1_000)
                .await
                .expect("the stream reads")
                .into_iter()
                .filter(|e| e.event_type == "MemberAdmitted")
                .collect::<Vec<_>>()
        }
    };
    let members = admitted(town).await;
    assert_eq!(members.len(), 1);
    let member = payload(&members[0]);
    assert_eq!(
        member["basis"],
        json!({"application": application.to_string()})
    );
    assert_eq!(
        member["member"],
        json!({"person": town.person("t1").to_string()})
    );
    assert_eq!(member["until"], "2025-05-31");
    assert_eq!(members[0].actor.id, "workflow");
    assert_eq!(members[0].effective, date(2024, 9, 5));

    // The organization's application (form 2): the runner dies after admitting it, before
    // its checkpoint; the restarted runner admits nobody twice.
    let form_2 = ApplicationId::derived("chains", "school-90");
    let school = Member::Organization(town.organization("school-90"));
    town.by(
        "director-90",
        date(2024, 9, 6),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application: form_2,
            association: gmo,
            form: ApplicationForm::Organization,
            applicant: school,
            theme: "Сетевое взаимодействие".into(),
            school_year: year("2024/25"),
            period_from: date(2024, 9, 1),
            period_to: date(2025, 5, 31),
        }),
    )
    .await;
    let approval = town
        .by(
            "methodist",
            date(2024, 9, 9),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application: form_2,
                review: sitting(town, date(2024, 9, 9)),
            }),
        )
        .await;
    let recorded = &approval.events[0];
    let fact = fact_of(recorded).expect("decodes").expect("a domain event");
    for reaction in workflows::reactions_to(town.store.as_ref(), recorded, &fact.event)
        .await
        .expect("reactions")
    {
        town.handler
            .handle(reaction)
            .await
            .expect("the admission is recorded");
    }
    let last = town.store.last_position().await.expect("last position");
    assert_eq!(run_workflow(town).await.reactions, 0);
    assert_eq!(
        town.store.last_position().await.expect("last position"),
        last
    );
    let members = admitted(town).await;
    assert_eq!(members.len(), 2);
    assert_eq!(
        payload(&members[1])["basis"],
        json!({"application": form_2.to_string()})
    );
    assert_eq!(
        town.store
            .checkpoint(PROCESS_MANAGERS)
            .await
            .expect("checkpoint"),
        last
    );
    town.check_log().await;
}

/// A reaction the rules refuse — an application approved after its period admits nobody
/// (002 §5.2) — is recorded in the log once, on the workflow's own stream, and reported by
/// the pass that records it; the checkpoint moves past it. A runner that died after recording
/// it and before its checkpoint meets it again and records nothing more.
async fn admission_refused_by_the_rules_is_recorded_once_002_5_2(backend: Backend) {
    let mut iz = izhevsk(backend).await;
    let gmo = iz.gmo;
    let town = &mut iz.town;
    let application = ApplicationId::derived("chains", "late");
    town.by(
        "t1",
        date(2024, 9, 3),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application,
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
    let approval = town
        .by(
            "methodist",
            date(2025, 6, 2),
            Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                review: sitting(town, date(2025, 6, 2)),
            }),
        )
        .await;
    let approval = &approval.events[0];

    let first = WorkflowRunner::new(town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert_eq!(first.reactions, 0, "{first:?}");
    assert_eq!(first.refused.len(), 1, "{first:?}");
    assert_eq!(first.refusals_recorded(), 1);
    let refusal = &first.refused[0];
    assert_eq!(refusal.record.command, "admit_member");
    assert_eq!(refusal.record.code, "application_period_over");
    assert_eq!(
        refusal.record.trigger,
        workflows::RefusalTrigger::Event {
            position: approval.position,
            event_type: "MembershipApplicationApproved".into(),
            stream: application.stream(),
        }
    );
    assert_eq!(refusal.record.association, Some(gmo));
    assert_eq!(refusal.record.document, None);
    let line = refusal.describe();
    assert!(
        line.contains(&format!("реакция на событие {}", approval.position))
            && line.contains("application_period_over"),
        "{line}"
    );
    // In the log once, as the workflow with operator authority, caused by the approval.
    let recorded = in_log(town, workflows::REACTION_REFUSED).await;
    assert_eq!(recorded.len(), 1);
    let record = &recorded[0];
    assert_eq!(record.position, refusal.position);
    assert_eq!(record.stream.as_str(), workflows::REFUSALS_STREAM);
    assert_eq!(
        (record.actor.id.as_str(), record.actor.role.as_str()),
        ("workflow", "operator")
    );
    assert_eq!(record.causation_id, Some(approval.command_id));
    assert_eq!(record.correlation_id, approval.correlation_id);
    assert_eq!(record.effective, date(2025, 6, 2));
    assert_eq!(
        workflows::ReactionRefused::decode(record).expect("decodes"),
        refusal.record
    );
    // The checkpoint is past it: the next pass has nothing to react to.
    assert!(
        town.store
            .checkpoint(PROCESS_MANAGERS)
            .await
            .expect("checkpoint")
            >= record.position
    );
    let second = run_workflow(town).await;
    assert_eq!(second.reactions, 0);

    // The runner died after the refusal, before its checkpoint: the page is read again.
    town.db
        .execute_raw(&format!(
            "UPDATE checkpoints SET position = {} WHERE name = '{PROCESS_MANAGERS}'",
            approval.position - 1
        ))
        .await;
    let again = WorkflowRunner::new(town.handler.clone())
        .run_once()
        .await
        .expect("the workflow runs");
    assert_eq!(again.refused.len(), 1, "{again:?}");
    assert_eq!(again.refusals_recorded(), 0, "{again:?}");
    assert_eq!(again.refused[0].position, record.position);
    assert_eq!(in_log(town, workflows::REACTION_REFUSED).await.len(), 1);
    let admitted = in_log(town, "MemberAdmitted")
        .await
        .iter()
        .filter(|e| payload(e)["basis"] == json!({"application": application.to_string()}))
        .count();
    assert_eq!(admitted, 0, "nobody is admitted on it");
    town.check_log().await;
}

store::on_every_backend!(
    the_analysis_goes_nowhere_the_seed_does_not_send_it_002_5_12,
    road_map_reviewed_at_own_meeting_and_approved_by_curator_002_5_8,
    technical_assignment_agreed_by_curator_002_5_7,
    reports_accepted_by_methodical_center_002_5_11_5_13,
    road_map_returned_by_curator_resumes_at_curator_002_5_8,
    returned_report_waits_for_its_author_002_5_11,
    curator_yearly_report_rejected_by_methodical_center_is_closed_002_5_13,
    curator_has_no_review_period_the_seed_does_not_set_002_5_7,
    deputy_by_order_approves_for_curator_within_its_term_only_002_5_3,
    approved_application_admits_the_member_once_002_5_2,
    returned_application_resubmitted_and_approved_002_5_2,
    admission_refused_by_the_rules_is_recorded_once_002_5_2,
);

/// The sitting of the Center's Methodical council on `on` that decides an application
/// (002 §5.1), protocol № 4.
fn sitting(town: &Town, on: NaiveDate) -> Option<CouncilReview> {
    Some(CouncilReview {
        council: town.body("council"),
        protocol_number: "4".into(),
        date: on,
    })
}
