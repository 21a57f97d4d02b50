//! Documents of associations (002 §5.7, §5.8, §5.11, §5.13; 000 §10.5): who writes which, on
//! what basis, and one submission awaiting a decision at a time.

use super::*;
use domain::commands::{OpenDocument, SubmitDocumentVersion};

/// 002 §5.7: the technical assignment is written by the Center; the head of the association
/// may not open one.
#[test]
fn technical_assignment_written_by_the_methodical_center_002_5_7() {
    let (town, association, head) = izhevsk_association();
    let open = |by: PersonId| {
        When::by(
            by,
            date(2024, 9, 3),
            Command::OpenDocument(OpenDocument {
                document: document_id("assignment"),
                association,
                document_type: DocumentType::TechnicalAssignment,
                school_year: year_2024(),
                title: "Техническое задание ГМО".into(),
                nomination: None,
            }),
        )
    };
    check(
        &town,
        open(head),
        Then::Refused(DomainError::DocumentAuthorMismatch {
            document: "техническое задание",
            authors: "методический центр".into(),
            clause: clause("002 §5.7, §4.1"),
        }),
    );
    let decision = check(
        &town,
        open(town.center_director),
        Then::Events(vec![DocumentOpened {
            document: document_id("assignment"),
            association,
            document_type: DocumentType::TechnicalAssignment,
            school_year: year_2024(),
            title: "Техническое задание ГМО".into(),
            nomination: None,
        }
        .into()]),
    )
    .expect("a decision");
    assert_eq!(decision.acted_as.to_string(), "methodical_center");
}

/// 002 §5.13: the curator's yearly report is the curator's; the head may not submit it.
#[test]
fn curator_yearly_report_written_by_the_curator_002_5_13() {
    let (mut town, association, head) = izhevsk_association();
    let document = town.document("report", association, DocumentType::CuratorYearlyReport);
    let submit = |by: PersonId| {
        When::by(
            by,
            date(2025, 5, 30),
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: hash_of("report"),
                network_event: None,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }),
        )
    };
    check(
        &town,
        submit(head),
        Then::Refused(DomainError::DocumentAuthorMismatch {
            document: "отчёт куратора за год",
            authors: "куратор".into(),
            clause: clause("002 §5.13, §7.1"),
        }),
    );
    check(
        &town,
        submit(town.center_specialist),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document,
                association,
                version: 1,
                author: town.center_specialist,
                content_hash: hash_of("report"),
                network_event: None,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }
            .into(),
            // The Center, which controls the ГМО (002 §7.1), receives the report.
            ApprovalChainAssigned {
                document,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep::of(StepRole::MethodicalCenter),
                    association: None,
                }],
                submit_by: None,
                due: None,
                local_review_days: None,
                former_review_days: None,
                clause: clause("002 §5.13, §7.1"),
            }
            .into(),
        ]),
    );
}

/// A document opened on the joining day for `year` and submitted on `submitted`; approved on
/// `approved` when given.
fn document_of_year(
    town: &mut Town,
    name: &str,
    association: AssociationId,
    document_type: DocumentType,
    school_year: domain::SchoolYear,
    (submitted, approved): (NaiveDate, Option<NaiveDate>),
) -> domain::ids::DocumentId {
    let document = document_id(name);
    let author = town.center_specialist;
    town.fact(
        DocumentOpened {
            document,
            association,
            document_type,
            school_year,
            title: format!("Документ {name}"),
            nomination: None,
        },
        joined_day(),
    )
    .fact(
        DocumentVersionSubmitted {
            document,
            association,
            version: 1,
            author,
            content_hash: hash_of(name),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        },
        submitted,
    );
    if let Some(on) = approved {
        town.fact(
            DocumentApproved {
                document,
                association,
                version: 1,
            },
            on,
        );
    }
    document
}

/// 002 §5.8, §4.1: the road map is developed on the basis of the technical assignment agreed
/// with the curator. Each version cites the assignment of its own ГМО and school year,
/// approved by the day of the version; the version records it. Without one — none cited,
/// one still with the curator, approved only later, of another year or ГМО, or not an
/// assignment at all — it is refused; a document that needs no basis cites none.
#[test]
fn road_map_developed_on_the_approved_technical_assignment_002_5_8() {
    let (mut town, association, head) = izhevsk_association();
    let other = town.methodical_association("reading-gmo", Level::City);
    let ta = DocumentType::TechnicalAssignment;
    let agreed = document_of_year(
        &mut town,
        "ta",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let pending = document_of_year(
        &mut town,
        "ta-pending",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), None),
    );
    let later = document_of_year(
        &mut town,
        "ta-later",
        association,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 20))),
    );
    let last_year = document_of_year(
        &mut town,
        "ta-2023",
        association,
        ta,
        year("2023/24"),
        (date(2023, 9, 5), Some(date(2023, 9, 10))),
    );
    let of_other = document_of_year(
        &mut town,
        "ta-other",
        other,
        ta,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let analysis = document_of_year(
        &mut town,
        "analysis",
        association,
        DocumentType::AnnualAnalysis,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let road_map = town.document("road-map", association, DocumentType::WorkPlan);
    let on = date(2024, 9, 16);
    let submit = |based_on| {
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document: road_map,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on,
                // What the year holds (002 §5.9).
                planned_meetings: Some(4),
                planned_network_events: Some(3),
            }),
        )
    };
    let refused = |reason: String| {
        Then::Refused(DomainError::BasisDocumentRequired {
            document: "план работы (дорожная карта)",
            basis: "техническое задание",
            reason,
            clause: clause("002 §5.8, §4.1"),
        })
    };
    check(
        &town,
        submit(None),
        refused("основание не указано (based_on)".into()),
    );
    check(
        &town,
        submit(Some(pending)),
        refused(format!("документ {pending} не утверждён: на согласовании")),
    );
    check(
        &town,
        submit(Some(later)),
        refused(format!(
            "документ {later} утверждён только 2024-09-20, позже 2024-09-16"
        )),
    );
    check(
        &town,
        submit(Some(last_year)),
        refused(format!(
            "документ {last_year} на 2023/24 учебный год, а этот — на 2024/25"
        )),
    );
    check(
        &town,
        submit(Some(of_other)),
        refused(format!("документ {of_other} другого объединения")),
    );
    check(
        &town,
        submit(Some(analysis)),
        refused(format!(
            "документ {analysis} — «анализ работы за учебный год»"
        )),
    );
    check(
        &town,
        submit(Some(agreed)),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document: road_map,
                association,
                version: 1,
                author: head,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on: Some(agreed),
                planned_meetings: Some(4),
                planned_network_events: Some(3),
            }
            .into(),
            ApprovalChainAssigned {
                document: road_map,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep {
                        at_meeting: Some(MeetingOf::Own),
                        ..ChainStep::of(StepRole::Curator)
                    },
                    association: Some(association),
                }],
                submit_by: None,
                due: None,
                local_review_days: None,
                former_review_days: None,
                clause: clause("002 §5.8"),
            }
            .into(),
        ]),
    );
    // The annual analysis needs no basis: citing one is refused.
    let own_analysis = town.document("own-analysis", association, DocumentType::AnnualAnalysis);
    check(
        &town,
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document: own_analysis,
                content_hash: hash_of("analysis"),
                network_event: None,
                based_on: Some(agreed),
                planned_meetings: None,
                planned_network_events: None,
            }),
        ),
        Then::RefusedWith("invalid_structure"),
    );
}

/// 002 §5.9: «Периодичность заседаний ГМО и иных сетевых событий определяется дорожной
/// картой». Every version of the road map states how many meetings (at least one) and
/// network events its school year holds, and records them; without either it is refused. No
/// other document gives these numbers: Izhevsk's analysis is refused naming the road map,
/// and Novokuznetsk's plan naming the regulation's own minimum of meetings (000 §4.4,
/// §10.1) — or, for network events, which nothing there plans, the plan's own clause.
#[test]
fn road_map_sets_the_number_of_meetings_and_network_events_002_5_9() {
    let (mut town, association, head, agreed, road_map) = izhevsk_road_map();
    let analysis = town.document("analysis", association, DocumentType::AnnualAnalysis);
    let on = date(2024, 9, 16);
    let submit = |document, based_on, (meetings, events): (Option<u32>, Option<u32>)| {
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on,
                planned_meetings: meetings,
                planned_network_events: events,
            }),
        )
    };
    let road_map_with = |planned| submit(road_map, Some(agreed), planned);
    let required = |what, field, reason: &str| {
        Then::Refused(DomainError::PlannedCountRequired {
            document: "план работы (дорожная карта)",
            what,
            field,
            reason: reason.into(),
            clause: clause("002 §5.9"),
        })
    };
    check(
        &town,
        road_map_with((None, Some(3))),
        required("число заседаний", "planned_meetings", "не указано"),
    );
    check(
        &town,
        road_map_with((Some(4), None)),
        required(
            "число сетевых событий",
            "planned_network_events",
            "не указано",
        ),
    );
    check(
        &town,
        road_map_with((Some(0), Some(3))),
        required(
            "число заседаний",
            "planned_meetings",
            "нужно хотя бы одно заседание",
        ),
    );
    // No network event at all may be planned; the version records both numbers.
    let accepted = accept(&mut town, road_map_with((Some(4), Some(0))));
    let Event::DocumentVersionSubmitted(version) = &accepted.events[0] else {
        panic!("a version: {:?}", accepted.events);
    };
    assert_eq!(
        (version.planned_meetings, version.planned_network_events),
        (Some(4), Some(0))
    );
    assert_eq!(
        town.world()
            .document(road_map)
            .expect("the road map")
            .versions[0]
            .planned_meetings,
        Some(4)
    );
    // The analysis does not set the year's numbers: the road map does.
    check(
        &town,
        submit(analysis, None, (Some(4), None)),
        Then::Refused(DomainError::PlannedCountNotProvided {
            document: "анализ работы за учебный год",
            what: "число заседаний",
            field: "planned_meetings",
            reason: "его устанавливает документ «план работы (дорожная карта)»".into(),
            clause: clause("002 §5.9"),
        }),
    );
    // Novokuznetsk's regulation sets a minimum of meetings; nothing plans network events.
    let (mut town, district, members) = novokuznetsk_district();
    let city = town.methodical_association("math-city", Level::City);
    town.link(city, district);
    let plan = town.document("plan", district, DocumentType::WorkPlan);
    let plan_with = |planned: (Option<u32>, Option<u32>)| {
        When::by(
            members[0],
            date(2025, 4, 20),
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document: plan,
                content_hash: hash_of("plan"),
                network_event: None,
                based_on: None,
                planned_meetings: planned.0,
                planned_network_events: planned.1,
            }),
        )
    };
    let not_provided = |what, field, reason: &str, cited: &str| {
        Then::Refused(DomainError::PlannedCountNotProvided {
            document: "план работы (дорожная карта)",
            what,
            field,
            reason: reason.into(),
            clause: clause(cited),
        })
    };
    check(
        &town,
        plan_with((Some(4), None)),
        not_provided(
            "число заседаний",
            "planned_meetings",
            "положение устанавливает не менее 4 заседаний за учебный год",
            "000 §4.4, §10.1",
        ),
    );
    check(
        &town,
        plan_with((None, Some(2))),
        not_provided(
            "число сетевых событий",
            "planned_network_events",
            "профиль не связывает его ни с каким документом",
            "000 §10.5",
        ),
    );
    accept(&mut town, plan_with((None, None)));
}

/// 000 §10.5: a submitted plan waits for its decision; a second version is not submitted
/// over it.
#[test]
fn second_submission_while_awaiting_decision_refused_000_10_5() {
    let (mut town, association, members) = novokuznetsk_district();
    // The district plan goes to the city head (000 §10.5): the district is linked to its
    // city association.
    let city = town.methodical_association("math-city", Level::City);
    town.link(city, association);
    let document = town.document("plan", association, DocumentType::WorkPlan);
    let submit = |tag: &str| {
        When::by(
            members[0],
            date(2025, 4, 20),
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: hash_of(tag),
                network_event: None,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }),
        )
    };
    accept(&mut town, submit("plan-v1"));
    check(
        &town,
        submit("plan-v2"),
        Then::Refused(DomainError::DocumentAwaitingDecision { version: 1 }),
    );
}

fn network_event(
    topic: &str,
    goal: &str,
    audience: &str,
    count: u32,
    evidence: usize,
) -> NetworkEventDetails {
    NetworkEventDetails {
        topic: topic.into(),
        held_on: date(2024, 11, 14),
        goal: goal.into(),
        audience: audience.into(),
        programme: None,
        attendees: vec![],
        attendance_count: count,
        attendance_sheet: hash_of("attendance-sheet"),
        evidence: (0..evidence)
            .map(|i| hash_of(&format!("photo-{i}")))
            .collect(),
    }
}

/// 002 §5.11: a network-event report states the topic, date, goal and audience, with the
/// attendance sheet and a photo or screenshot.
#[test]
fn network_event_report_requires_topic_goal_audience_attendance_and_evidence_002_5_11() {
    let (mut town, association, head) = izhevsk_association();
    let document = town.document("seminar", association, DocumentType::NetworkEventReport);
    let submit = |details: Option<NetworkEventDetails>| {
        When::by(
            head,
            date(2024, 11, 15),
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: hash_of("seminar-report"),
                network_event: details,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }),
        )
    };
    check(
        &town,
        submit(None),
        Then::Refused(DomainError::NetworkEventReportIncomplete {
            missing: "сведения о событии (тема, дата, цель, аудитория, лист регистрации, фото)"
                .into(),
        }),
    );
    check(
        &town,
        submit(Some(network_event(" ", "", "", 0, 0))),
        Then::Refused(DomainError::NetworkEventReportIncomplete {
            missing: "тема, цель, целевая аудитория, лист регистрации участников (число \
                      участников), фото или скриншот"
                .into(),
        }),
    );
    check(
        &town,
        submit(Some(network_event(
            " Формирующее оценивание ",
            "Обмен опытом",
            "Учителя математики",
            24,
            2,
        ))),
        Then::Events(vec![
            DocumentVersionSubmitted {
                document,
                association,
                version: 1,
                author: head,
                content_hash: hash_of("seminar-report"),
                network_event: Some(network_event(
                    "Формирующее оценивание",
                    "Обмен опытом",
                    "Учителя математики",
                    24,
                    2,
                )),
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }
            .into(),
            // The first submission fixes the chain: reports go to the Center (002 §7.1).
            ApprovalChainAssigned {
                document,
                association,
                steps: vec![AssignedStep {
                    step: ChainStep::of(StepRole::MethodicalCenter),
                    association: None,
                }],
                submit_by: None,
                due: None,
                local_review_days: None,
                former_review_days: None,
                clause: clause("002 §5.11, §7.1"),
            }
            .into(),
        ]),
    );
}

/// 002 §5.8, §5.9: the road map returned for rework is reworked in its text. Given a road map
/// on the technical assignment planning 4 meetings and 3 network events, returned by the
/// curator, when its author resubmits the text alone («Мои задачи» sends nothing else), then
/// version 2 keeps the assignment and the numbers of version 1; numbers given anew replace
/// them.
#[test]
fn a_resubmitted_road_map_keeps_its_assignment_and_planned_numbers_002_5_8_5_9() {
    let (mut town, association, head, agreed, road_map) = izhevsk_road_map();
    let submit = |on, based_on, planned: (Option<u32>, Option<u32>)| {
        When::by(
            head,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document: road_map,
                content_hash: hash_of("road-map"),
                network_event: None,
                based_on,
                planned_meetings: planned.0,
                planned_network_events: planned.1,
            }),
        )
    };
    accept(
        &mut town,
        submit(date(2024, 9, 16), Some(agreed), (Some(4), Some(3))),
    );
    let curator = town.center_specialist;
    town.fact(
        DocumentReturned {
            document: road_map,
            version: 1,
            step: 1,
            by: curator,
            comment: "Уточнить темы заседаний".into(),
        },
        date(2024, 9, 18),
    );
    let version_2 = |based_on, planned: (Option<u32>, Option<u32>)| {
        Then::Events(vec![DocumentVersionSubmitted {
            document: road_map,
            association,
            version: 2,
            author: head,
            content_hash: hash_of("road-map"),
            network_event: None,
            based_on,
            planned_meetings: planned.0,
            planned_network_events: planned.1,
        }
        .into()])
    };
    check(
        &town,
        submit(date(2024, 9, 20), None, (None, None)),
        version_2(Some(agreed), (Some(4), Some(3))),
    );
    check(
        &town,
        submit(date(2024, 9, 20), None, (Some(5), None)),
        version_2(Some(agreed), (Some(5), Some(3))),
    );
}

/// Izhevsk's ГМО (002) with its technical assignment for 2024/25 agreed on 10 Sep and a road
/// map opened: the town, the association, its head, the assignment, the road map.
fn izhevsk_road_map() -> (
    Town,
    AssociationId,
    PersonId,
    domain::ids::DocumentId,
    domain::ids::DocumentId,
) {
    let (mut town, association, head) = izhevsk_association();
    let agreed = document_of_year(
        &mut town,
        "ta",
        association,
        DocumentType::TechnicalAssignment,
        year_2024(),
        (date(2024, 9, 5), Some(date(2024, 9, 10))),
    );
    let road_map = town.document("road-map", association, DocumentType::WorkPlan);
    (town, association, head, agreed, road_map)
}
