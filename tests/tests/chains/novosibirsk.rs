//! 003 Novosibirsk: city plans through the curator to the head at its own meeting (003 §7.9),
//! analyses through the scientific-methodical council (003 §7.8), district plans on the
//! default chain (003 §7.7), missed periods, deputies by order.

use super::*;
use domain::commands::{
    AdmitMember, AppointCurator, DesignateDeputy, ElectHead, LinkDistrictAssociation,
};

/// Who holds the city plan's second step (003 §7.9).
const HOLDER_003_7_9: &str =
    "руководитель объединения, на заседании объединения — первом в учебном году документа";

/// Two district associations (Lenin: head h; Kirov: head k) whose heads form the city
/// association; k elected city head; the city curator a deputy head of the curating
/// institution; the department's deputy chief; a member of the scientific-methodical council.
struct Novosibirsk {
    town: Town,
    lenin: AssociationId,
    city: AssociationId,
}

async fn novosibirsk(backend: Backend) -> Novosibirsk {
    let mut town = Town::novosibirsk(backend).await;
    town.district("kirov", "Кировский район").await;
    town.organization_in(
        "school-kirov",
        "МБОУ «СОШ № 12»",
        OrganizationKind::School,
        Some("kirov"),
    )
    .await;
    town.body_of(
        "nms",
        BodyKind::ScientificMethodicalCouncil,
        "Городской научно-методический совет",
        None,
        None,
    )
    .await;
    let highest = |y| Some((CategoryLevel::Highest, date(y, 3, 1)));
    for (key, name, organization, kind, category, since) in [
        (
            "curator",
            "Тарасова Ирина Ивановна",
            "niso",
            PositionKind::DeputyHead,
            None,
            date(2022, 9, 1),
        ),
        (
            "dep",
            "Шевченко Андрей Николаевич",
            "niso",
            PositionKind::Official,
            None,
            date(1999, 9, 1),
        ),
        (
            "nms",
            "Захарова Елена Борисовна",
            "niso",
            PositionKind::Methodist,
            None,
            date(2005, 9, 1),
        ),
        (
            "h",
            "Кащенко Елена Юрьевна",
            "gymnasium",
            PositionKind::Teacher,
            highest(2015),
            date(2006, 9, 1),
        ),
        (
            "m1",
            "Гусев Артём Романович",
            "gymnasium",
            PositionKind::Teacher,
            None,
            date(2017, 9, 1),
        ),
        (
            "m2",
            "Полякова Вера Степановна",
            "gymnasium",
            PositionKind::Teacher,
            None,
            date(2011, 9, 1),
        ),
        (
            "k",
            "Медведев Роман Олегович",
            "school-kirov",
            PositionKind::Teacher,
            highest(2014),
            date(2004, 9, 1),
        ),
        (
            "k1",
            "Киселёва Ольга Ивановна",
            "school-kirov",
            PositionKind::Teacher,
            None,
            date(2019, 9, 1),
        ),
    ] {
        town.teacher(key, name, organization, kind, category, since)
            .await;
    }
    town.official("dep", "department", Office::DeputyChief)
        .await;
    town.official("nms", "nms", Office::CouncilMember).await;

    let order = town
        .order(
            "department",
            "0615-од",
            date(2024, 8, 26),
            "О перечне и составе профессиональных объединений",
        )
        .await;
    let lenin = town
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
    let kirov = town
        .association(
            "chem-kirov",
            "Районное МО учителей химии Кировского района",
            "химия",
            Level::District,
            Some("kirov"),
            None,
            order,
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
            order,
        )
        .await;
    // The district heads, elected at the first meetings (003 §7.4).
    for (association, key, recorder, present, head) in [
        (lenin, "lenin-1", "m1", &["h", "m1", "m2"][..], "h"),
        (kirov, "kirov-1", "k1", &["k", "k1"][..], "k"),
    ] {
        town.admit_by_order(association, present, order, date(2024, 9, 2))
            .await;
        let meeting = town
            .hold_meeting(
                recorder,
                key,
                association,
                date(2024, 9, 10),
                present,
                vec![decided("Выборы руководителя", "Избрать")],
            )
            .await;
        let vote = town.vote(meeting, present, present.len() as u32, 0, 0);
        town.by(
            recorder,
            date(2024, 9, 10),
            Command::ElectHead(ElectHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                vote,
            }),
        )
        .await;
    }
    // The city association of the district heads (003 §7.1), its curator by the curating
    // institution's order (003 §7.2), its head elected by them.
    for (district, head) in [(lenin, "h"), (kirov, "k")] {
        town.op(
            date(2024, 9, 11),
            Command::LinkDistrictAssociation(LinkDistrictAssociation {
                city_association: city,
                district_association: district,
            }),
        )
        .await;
        town.op(
            date(2024, 9, 11),
            Command::AdmitMember(AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(order),
                district_association: Some(district),
            }),
        )
        .await;
    }
    let curators = town
        .order(
            "niso",
            "88",
            date(2024, 9, 12),
            "О кураторах профессиональных объединений",
        )
        .await;
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: city,
            person: town.person("curator"),
            school_year: year("2024/25"),
            order: curators,
        }),
    )
    .await;
    let first = town
        .hold_meeting(
            "h",
            "city-1",
            city,
            date(2024, 9, 13),
            &["h", "k"],
            vec![decided("Выборы руководителя", "Избрать Медведева Р. О.")],
        )
        .await;
    let vote = town.vote(first, &["h", "k"], 2, 0, 0);
    town.by(
        "h",
        date(2024, 9, 13),
        Command::ElectHead(ElectHead {
            association: city,
            person: town.person("k"),
            school_year: year("2024/25"),
            vote,
        }),
    )
    .await;
    Novosibirsk { town, lenin, city }
}

/// [`novosibirsk`], where the municipality's own profile file adds documents for its district
/// associations — which 003 does not provide — with a local chain: district head → city head
/// → department, so the approval engine can be shown on a three-step chain.
async fn novosibirsk_with_local_district_documents(backend: Backend) -> Novosibirsk {
    use domain::profile::{ChainStep, DocumentAuthor, DocumentRule, StepRole};
    let mut ns = novosibirsk(backend).await;
    ns.town.amend_profile(|profile| {
        let local = |step: ChainStep| ChainStep {
            local: true,
            ..step
        };
        let chain = vec![
            local(ChainStep::of(StepRole::AssociationHead)),
            local(ChainStep::of(StepRole::CityHead)),
            local(ChainStep {
                offices: vec![Office::DeputyChief, Office::Specialist],
                ..ChainStep::of(StepRole::Department)
            }),
        ];
        for document_type in [DocumentType::WorkPlan, DocumentType::AnnualAnalysis] {
            profile.documents.push(DocumentRule {
                document_type,
                levels: vec![Level::District],
                authors: vec![DocumentAuthor::Head],
                due: None,
                due_action: None,
                submit_by: None,
                submitted_to: None,
                chain: Some(chain.clone()),
                review_days: None,
                requires: None,
                requires_clause: None,
                publish_on: None,
                publish_clause: None,
                clause: domain::values::Clause::parse("003 §7.7, §7.1").expect("a clause"),
            });
        }
    });
    ns
}

/// 003 states no documents of a district association (§7.1 only makes the city association of
/// their heads): with the built-in profile a district head's plan is refused, naming the
/// documentation clause.
async fn district_documents_are_not_provided_by_003(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let lenin = ns.lenin;
    let town = &mut ns.town;
    let error = town
        .refused_by(
            "h",
            date(2025, 4, 14),
            Command::OpenDocument(OpenDocument {
                document: document("district-plan"),
                association: lenin,
                document_type: DocumentType::WorkPlan,
                school_year: year("2025/26"),
                title: "План работы РМО на 2025/26".into(),
                nomination: None,
            }),
            "document_not_provided",
        )
        .await;
    assert!(error.to_string().contains("003 §7.10"), "{error}");
    town.check_log().await;
}

impl Novosibirsk {
    /// The city association's plan for 2025/26, by its head (k).
    async fn city_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let city = self.city;
        write(
            &mut self.town,
            "k",
            on,
            plan,
            city,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы городского МО учителей химии на 2025/26",
        )
        .await;
        plan
    }

    /// Lenin's plan for 2025/26, by its head (h): the default chain.
    async fn district_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let lenin = self.lenin;
        write(
            &mut self.town,
            "h",
            on,
            plan,
            lenin,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы РМО учителей химии Ленинского района на 2025/26",
        )
        .await;
        plan
    }

    /// A meeting of the city association, held by its head.
    async fn city_meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let city = self.city;
        self.town
            .hold_meeting(
                "k",
                key,
                city,
                on,
                &["h", "k"],
                vec![decided("Об утверждении плана работы", "Утвердить")],
            )
            .await
    }
}

/// 003 §7.8–7.9: the head gives the plan to the curator by 15 May — the curator receives it
/// and decides nothing — and it is approved at the first meeting of the school year, by
/// 15 Sep, at the association's own meeting: not at a meeting of the spring before, nor at a
/// second meeting of the year (the handler finds every meeting the association held through
/// the store's index).
async fn city_plan_given_to_the_curator_and_approved_at_the_first_meeting_003_7_9(
    backend: Backend,
) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let town = &mut ns.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "association_head", "at_meeting": "own", "first_meeting_of_year": true}, "association": city.to_string()}
        ])
    );
    assert_eq!(chain[0]["submit_by"], "2025-05-15");
    assert_eq!(chain[0]["due"], "2025-09-15");
    assert_eq!(chain[0]["clause"], "003 §7.9, §7.8");

    // The curator receives it (003 §7.8) and has no power over it.
    for command in [
        approve(plan, 1),
        send_back(plan, 1, "Доработать"),
        reject(plan, 1, "Отклонить"),
    ] {
        town.refused_by("curator", date(2025, 4, 15), command, "not_authorized")
            .await;
    }
    // Approved at the association's own meeting (003 §7.9), not without one, not a district's.
    town.refused_by(
        "k",
        date(2025, 4, 16),
        approve(plan, 1),
        "step_meeting_required",
    )
    .await;
    let district_meeting = town
        .hold_meeting(
            "h",
            "lenin-april",
            lenin,
            date(2025, 4, 16),
            &["h", "m1"],
            vec![decided("О плане городского МО", "Принять к сведению")],
        )
        .await;
    town.refused_by(
        "k",
        date(2025, 4, 16),
        approve_at(plan, 1, district_meeting),
        "step_meeting_required",
    )
    .await;
    // A meeting of the spring before is not the first meeting of 2025/26 (003 §7.9).
    let spring = ns.city_meeting("city-april", date(2025, 4, 18)).await;
    let error = ns
        .town
        .refused_by(
            "k",
            date(2025, 4, 18),
            approve_at(plan, 1, spring),
            "step_meeting_required",
        )
        .await;
    assert!(error.to_string().contains("первом заседании"), "{error}");
    let meeting = ns.city_meeting("city-september", date(2025, 9, 4)).await;
    // A later meeting of 2025/26 is not the first (003 §7.9): the association met on 4 Sep.
    let second = ns.city_meeting("city-september-2", date(2025, 9, 10)).await;
    let town = &mut ns.town;
    let error = town
        .refused_by(
            "k",
            date(2025, 9, 10),
            approve_at(plan, 1, second),
            "not_the_first_meeting",
        )
        .await;
    assert!(error.to_string().contains("2025-09-04"), "{error}");
    town.refused_by(
        "curator",
        date(2025, 9, 10),
        approve_at(plan, 1, meeting),
        "not_authorized",
    )
    .await;
    let approved = town
        .by("k", date(2025, 9, 10), approve_at(plan, 1, meeting))
        .await;
    assert_eq!(approved.events[0].actor.role, "association_head");
    assert_eq!(payload(&approved.events[0])["final_step"], true);
    approved_once(town, plan, 1).await;
    // The step waited for the first meeting, not a review period: approved by 15 Sep,
    // nothing was missed.
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    town.check_log().await;
}

/// 003 §7.8: the analysis goes to the curator by 15 May — who receives it and decides nothing
/// — and is reviewed at the city scientific-methodical council, whose protocol is cited.
async fn city_analysis_given_to_the_curator_and_reviewed_by_the_council_003_7_8(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let city = ns.city;
    let analysis = document("analysis");
    let town = &mut ns.town;
    write(
        town,
        "k",
        date(2025, 5, 5),
        analysis,
        city,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы городского МО за 2024/25",
    )
    .await;
    let chain = payloads_of(town, analysis, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "council", "council": "scientific_methodical_council"}}])
    );
    assert_eq!(chain[0]["submit_by"], "2025-05-15");
    assert!(chain[0].get("due").is_none());
    assert_eq!(chain[0]["clause"], "003 §7.8");

    // The council reviews it (003 §7.8); the curator neither agrees it nor sits on it.
    town.refused_by(
        "curator",
        date(2025, 5, 6),
        approve(analysis, 1),
        "not_authorized",
    )
    .await;
    town.refused_by(
        "curator",
        date(2025, 5, 12),
        approve_by_council(analysis, 1, "3"),
        "not_authorized",
    )
    .await;
    let reviewed = town
        .by(
            "nms",
            date(2025, 5, 12),
            approve_by_council(analysis, 1, "3"),
        )
        .await;
    assert_eq!(
        reviewed.events[0].actor.role,
        "council:scientific_methodical_council"
    );
    assert_eq!(payload(&reviewed.events[0])["protocol_number"], "3");
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

async fn district_plan_travels_a_local_chain(backend: Backend) {
    let mut ns = novosibirsk_with_local_district_documents(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let town = &mut ns.town;

    // The municipality's local chain: district head → city head → department (deputy chief
    // or specialist), each step marked local.
    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "association_head", "local": true}, "association": lenin.to_string()},
            {"step": {"role": "city_head", "local": true}, "association": city.to_string()},
            {"step": {"role": "department", "offices": ["deputy_chief", "specialist"], "local": true}}
        ])
    );
    assert_eq!(chain[0]["clause"], "003 §7.7, §7.1");
    assert!(chain[0].get("due").is_none() && chain[0].get("submit_by").is_none());

    for (step, who, role, day) in [
        (1, "h", "association_head", 15),
        (2, "k", "city_head", 16),
        (3, "dep", "official:department", 17),
    ] {
        let decided = town.by(who, date(2025, 4, day), approve(plan, step)).await;
        assert_eq!(decided.events[0].actor.role, role);
        assert_eq!(payload(&decided.events[0])["final_step"], step == 3);
    }
    approved_once(town, plan, 1).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (1, 3)]);
    town.check_log().await;
}

async fn district_plan_returned_at_city_head_resumes_at_city_head_local_chain(backend: Backend) {
    let mut ns = novosibirsk_with_local_district_documents(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;

    town.refused_by(
        "k",
        date(2025, 4, 16),
        send_back(plan, 2, "\n\t "),
        "decision_text_required",
    )
    .await;
    let returned = town
        .by(
            "k",
            date(2025, 4, 16),
            send_back(plan, 2, "Добавить мероприятия к олимпиаде"),
        )
        .await;
    assert_eq!(payload(&returned.events[0])["step"], 2);
    town.refused_by("k", date(2025, 4, 17), approve(plan, 2), "document_state")
        .await;
    // The author resubmits: version 2 goes straight back to the city head.
    resubmit(town, "h", date(2025, 4, 18), plan, 2).await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 2 }
    );
    town.refused_by("h", date(2025, 4, 18), approve(plan, 1), "step_not_current")
        .await;
    let agreed = town.by("k", date(2025, 4, 21), approve(plan, 2)).await;
    assert_eq!(
        (
            payload(&agreed.events[0])["version"].clone(),
            payload(&agreed.events[0])["final_step"].clone()
        ),
        (json!(2), json!(false))
    );
    town.by("dep", date(2025, 4, 22), approve(plan, 3)).await;
    approved_once(town, plan, 2).await;
    assert_eq!(
        stays(town, plan).await,
        vec![(1, 1), (1, 2), (2, 2), (2, 3)]
    );
    town.check_log().await;
}

/// 003 §7.8–7.9: the plan the curator received is not the curator's to reject; the head, who
/// holds its one step, rejects it, and a rejected plan is not approved, nor late.
async fn city_plan_rejected_at_its_step_is_closed_not_by_the_curator_003_7_9(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    town.refused_by(
        "curator",
        date(2025, 4, 15),
        reject(plan, 1, "План не соответствует анализу работы"),
        "not_authorized",
    )
    .await;
    town.refused_by(
        "k",
        date(2025, 4, 15),
        reject(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "k",
        date(2025, 4, 15),
        reject(plan, 1, "План не соответствует анализу работы"),
    )
    .await;
    town.refused_by("k", date(2025, 4, 16), submit(plan, 2), "document_closed")
        .await;
    // Past 15 Sep: a rejected plan is not approved, nor late.
    today(town, date(2025, 9, 20));
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0, "{report:?}");
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

async fn curator_has_no_review_period_15_may_submission_is_missed_once_003_7_8(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let city = ns.city;
    let analysis = document("analysis");
    let town = &mut ns.town;
    open(
        town,
        "k",
        date(2025, 4, 14),
        analysis,
        city,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы городского МО за 2024/25",
    )
    .await;

    // 003 §7.8 gives the curator no period of its own: ten days on, nothing is missed.
    today(town, date(2025, 4, 25));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());

    // The analysis was never submitted to the curator by 15 May (003 §7.8).
    today(town, date(2025, 5, 15));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2025, 5, 16));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, analysis, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "submission");
    assert_eq!(missed[0]["due"], "2025-05-15");
    assert_eq!(
        missed[0]["holder"]["role"],
        "руководитель объединения (автор документа)"
    );
    assert!(names(&missed[0]["holder"], town.person("k")));
    assert_eq!(missed[0]["source"]["clause"], "003 §7.8");

    // Submitted late: recorded once already, nothing more.
    resubmit(town, "k", date(2025, 5, 20), analysis, 1).await;
    assert_eq!(document_deadlines_in_run(town).await, 0);
    assert_eq!(on_documents(in_log(town, "DeadlineMissed").await), 1);
    town.check_log().await;
}

async fn only_the_holder_of_each_step_decides_local_chain(backend: Backend) {
    let mut ns = novosibirsk_with_local_district_documents(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;

    // Step 1, Lenin's head: not the head of Kirov and of the city, not a member, not the
    // curator, not the operator.
    let on = date(2025, 4, 15);
    for who in ["k", "m1", "curator", "dep"] {
        town.refused_by(who, on, approve(plan, 1), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 1), "not_authorized")
        .await;
    town.by("h", on, approve(plan, 1)).await;
    // Step 2, the city head: not the author (Lenin's head, a member of the city association),
    // not Kirov's member, not the curator nor the department.
    let on = date(2025, 4, 16);
    for who in ["h", "k1", "curator", "dep"] {
        town.refused_by(who, on, approve(plan, 2), "not_authorized")
            .await;
        town.refused_by(who, on, send_back(plan, 2, "Доработать"), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 2), "not_authorized")
        .await;
    town.by("k", on, approve(plan, 2)).await;
    // Step 3, the department: not a council's member, not the heads.
    let on = date(2025, 4, 17);
    for who in ["nms", "k", "h", "curator"] {
        town.refused_by(who, on, approve(plan, 3), "not_authorized")
            .await;
        town.refused_by(who, on, reject(plan, 3, "Отклонить"), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 3), "not_authorized")
        .await;
    town.by("dep", on, approve(plan, 3)).await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn a_step_is_decided_once_local_chain(backend: Backend) {
    let mut ns = novosibirsk_with_local_district_documents(backend).await;
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;

    // Nobody decides ahead of the current step.
    town.refused_by("k", date(2025, 4, 14), approve(plan, 2), "step_not_current")
        .await;
    town.refused_by(
        "dep",
        date(2025, 4, 14),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;
    town.refused_by("h", date(2025, 4, 15), approve(plan, 1), "step_not_current")
        .await;
    town.by("k", date(2025, 4, 16), approve(plan, 2)).await;
    town.refused_by("k", date(2025, 4, 16), approve(plan, 2), "step_not_current")
        .await;
    town.refused_by(
        "k",
        date(2025, 4, 16),
        send_back(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    town.by("dep", date(2025, 4, 17), approve(plan, 3)).await;
    town.refused_by(
        "dep",
        date(2025, 4, 17),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    approved_once(town, plan, 1).await;
    town.refused_by(
        "dep",
        date(2025, 4, 18),
        approve(plan, 3),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "dep",
        date(2025, 4, 18),
        reject(plan, 3, "Передумал"),
        "step_not_current",
    )
    .await;
    assert_eq!(events_of(town, plan, "StepApproved").await.len(), 3);
    town.check_log().await;
}

async fn deputy_by_order_approves_for_city_head_within_its_term_only_local_chain(backend: Backend) {
    let mut ns = novosibirsk_with_local_district_documents(backend).await;
    let (city, lenin) = (ns.city, ns.lenin);
    let plan = ns.district_plan("plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    // City heads are elected (003 §7.4); the department's order designates a deputy, the
    // curating institution's does not.
    let order = town
        .order(
            "department",
            "0900-од",
            date(2025, 4, 15),
            "О временном исполнении обязанностей руководителя городского МО",
        )
        .await;
    let niso_order = town
        .order(
            "niso",
            "120",
            date(2025, 4, 15),
            "О временном исполнении обязанностей",
        )
        .await;
    let designate = |order| {
        Command::DesignateDeputy(DesignateDeputy {
            association: city,
            role: AssociationRole::Head,
            deputy: town.person("m2"),
            until: date(2025, 4, 20),
            order,
        })
    };
    let (wrong, right) = (designate(niso_order), designate(order));
    town.refused(
        Acting::Operator,
        date(2025, 4, 15),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2025, 4, 15), right).await;

    town.by("h", date(2025, 4, 15), approve(plan, 1)).await;
    // The deputy acts for the city head within the term, not for Lenin's head.
    let agreed = town.by("m2", date(2025, 4, 17), approve(plan, 2)).await;
    assert_eq!(agreed.events[0].actor.role, "deputy:city_head");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("m2").to_string()
    );
    town.by("dep", date(2025, 4, 18), approve(plan, 3)).await;
    approved_once(town, plan, 1).await;

    // After 20 Apr the deputy no longer does.
    let analysis = document("analysis");
    write(
        town,
        "h",
        date(2025, 4, 21),
        analysis,
        lenin,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РМО за 2024/25",
    )
    .await;
    town.refused_by(
        "m2",
        date(2025, 4, 21),
        approve(analysis, 1),
        "not_authorized",
    )
    .await;
    town.by("h", date(2025, 4, 21), approve(analysis, 1)).await;
    town.refused_by(
        "m2",
        date(2025, 4, 22),
        approve(analysis, 2),
        "not_authorized",
    )
    .await;
    town.by("k", date(2025, 4, 22), approve(analysis, 2)).await;
    town.by("dep", date(2025, 4, 23), approve(analysis, 3))
        .await;
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

async fn city_plan_not_approved_at_first_meeting_by_15_september_misses_it_once_003_7_9(
    backend: Backend,
) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut ns.town;
    // Given to the curator in time; its one step waits for the first meeting of 2025/26
    // (003 §7.9), which has not approved it by 15 Sep.
    today(town, date(2025, 9, 15));
    run_workflow(town).await;
    assert!(
        approval_missed(town, plan).await.is_empty(),
        "not before 16 Sep"
    );

    today(town, date(2025, 9, 16));
    run_workflow(town).await;
    assert_eq!(run_workflow(town).await.deadlines, 0, "recorded once");
    let missed = approval_missed(town, plan).await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].effective, date(2025, 9, 16));
    assert_eq!(missed[0].actor.id, "workflow");
    let approval = payload(&missed[0]);
    assert_eq!(approval["due"], "2025-09-15");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(
        (approval["version"].clone(), approval["step"].clone()),
        (Value::Null, Value::Null)
    );
    assert_eq!(approval["source"]["clause"], "003 §7.9, §7.8");
    assert_eq!(approval["holder"]["role"], HOLDER_003_7_9);
    assert!(names(&approval["holder"], town.person("k")), "{approval}");
    // The step waits for a meeting, not a review period: nothing else about the plan.
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 1);
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_003_7_9(backend: Backend) {
    let mut ns = novosibirsk(backend).await;
    let plan = ns.city_plan("city-plan", date(2025, 4, 14)).await;
    run_workflow(&ns.town).await;
    let meeting = ns.city_meeting("city-september", date(2025, 9, 4)).await;
    let town = &mut ns.town;
    let final_step = town
        .by("k", date(2025, 9, 4), approve_at(plan, 1, meeting))
        .await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    town.check_log().await;
}

store::on_every_backend!(
    city_plan_given_to_the_curator_and_approved_at_the_first_meeting_003_7_9,
    city_analysis_given_to_the_curator_and_reviewed_by_the_council_003_7_8,
    district_documents_are_not_provided_by_003,
    district_plan_travels_a_local_chain,
    district_plan_returned_at_city_head_resumes_at_city_head_local_chain,
    city_plan_rejected_at_its_step_is_closed_not_by_the_curator_003_7_9,
    curator_has_no_review_period_15_may_submission_is_missed_once_003_7_8,
    only_the_holder_of_each_step_decides_local_chain,
    a_step_is_decided_once_local_chain,
    deputy_by_order_approves_for_city_head_within_its_term_only_local_chain,
    reaction_recorded_before_its_checkpoint_is_not_repeated_003_7_9,
    city_plan_not_approved_at_first_meeting_by_15_september_misses_it_once_003_7_9,
);
