//! 000 Novokuznetsk: district plans agreed by the city head at a city meeting (000 §10.5),
//! city plans reviewed by the council and agreed by the department's deputy chief (000 §4.7),
//! returns, rejections, missed periods and 5 May, deputies by order, crashes.

use super::*;
use domain::commands::{AdmitMember, AppointHead, DesignateDeputy, UpdateMemberDatabase};

/// Two district associations linked to the city association of their subject, whose head
/// (b1) is Zavodskoy's head; a second city association (physics, head p1); KOiN with its
/// deputy chair and a specialist; the organizational-methodical council with a member. Every
/// head appointed by 15 Sep and every member database updated by 1 Oct, so that the only
/// deadlines the workflow finds are the chains'.
struct Novokuznetsk {
    town: Town,
    city: AssociationId,
    central: AssociationId,
}

async fn novokuznetsk(backend: Backend) -> Novokuznetsk {
    let mut town = Town::novokuznetsk(backend).await;
    town.body_of(
        "omc",
        BodyKind::OrganizationalMethodicalCouncil,
        "Организационно-методический совет ММС",
        None,
        None,
    )
    .await;
    town.people(&["deputy", "specialist", "omc", "a1", "a2", "b1", "b2", "p1"])
        .await;
    let review = |town: &Town, number: &str, on: NaiveDate| CouncilReview {
        council: town.body("coordination"),
        protocol_number: number.into(),
        date: on,
    };
    let MathAssociations {
        list,
        city,
        central,
        zavodskoy,
    } = town.math_associations().await;
    // A second city association, on the same list after the same review (000 §1.4).
    town.creation_review = Some(review(&town, "1", date(2024, 8, 20)));
    let physics = town
        .association(
            "physics-city",
            "ГПМО учителей физики",
            "физика",
            Level::City,
            None,
            None,
            list,
        )
        .await;
    // District heads by 15 Sep (000 §7.4).
    for (association, department, number, head, member) in [
        (central, "rono-central", "45", "a1", "a2"),
        (zavodskoy, "rono-zavodskoy", "78", "b1", "b2"),
    ] {
        let order = town
            .order(
                department,
                number,
                date(2024, 9, 5),
                "О составе и руководителе РПМО",
            )
            .await;
        town.admit_by_order(association, &[head, member], order, date(2024, 9, 5))
            .await;
        town.op(
            date(2024, 9, 5),
            Command::AppointHead(AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order,
                review: None,
            }),
        )
        .await;
    }
    // City heads: the Coordination council, then KOiN's order (000 §4.2). The city
    // association is made of the district heads (000 §4.1).
    let heads = town
        .order(
            "koin",
            "1302",
            date(2024, 9, 12),
            "О руководителях и составе ГПМО",
        )
        .await;
    for (association, head) in [(city, "b1"), (physics, "p1")] {
        town.op(
            date(2024, 9, 12),
            Command::AppointHead(AppointHead {
                association,
                person: town.person(head),
                school_year: year("2024/25"),
                order: heads,
                review: Some(review(&town, "3", date(2024, 9, 10))),
            }),
        )
        .await;
    }
    for (head, district) in [("a1", central), ("b1", zavodskoy)] {
        town.op(
            date(2024, 9, 12),
            Command::AdmitMember(AdmitMember {
                association: city,
                member: Member::Person(town.person(head)),
                basis: AdmissionBasis::Order(heads),
                district_association: Some(district),
            }),
        )
        .await;
    }
    // Member databases by 1 Oct (000 §4.6, §10.4).
    for (association, head) in [
        (central, "a1"),
        (zavodskoy, "b1"),
        (city, "b1"),
        (physics, "p1"),
    ] {
        town.by(
            head,
            date(2024, 9, 20),
            Command::UpdateMemberDatabase(UpdateMemberDatabase {
                association,
                school_year: year("2024/25"),
            }),
        )
        .await;
    }
    Novokuznetsk {
        town,
        city,
        central,
    }
}

impl Novokuznetsk {
    /// Central's plan for 2025/26, written and submitted by its head.
    async fn district_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let central = self.central;
        write(
            &mut self.town,
            "a1",
            on,
            plan,
            central,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы РПМО учителей математики Центрального района на 2025/26",
        )
        .await;
        plan
    }

    /// The city association's plan for 2025/26, by its head.
    async fn city_plan(&mut self, key: &str, on: NaiveDate) -> DocumentId {
        let plan = document(key);
        let city = self.city;
        write(
            &mut self.town,
            "b1",
            on,
            plan,
            city,
            DocumentType::WorkPlan,
            "2025/26",
            "План работы ГПМО учителей математики на 2025/26",
        )
        .await;
        plan
    }

    /// A meeting of the city association, held by its head, that reviews a district plan.
    async fn city_meeting(&mut self, key: &str, on: NaiveDate) -> MeetingId {
        let city = self.city;
        self.town
            .hold_meeting(
                "b1",
                key,
                city,
                on,
                &["a1", "b1"],
                vec![decided(
                    "О плане работы РПМО Центрального района",
                    "Согласовать",
                )],
            )
            .await
    }
}

async fn district_plan_agreed_by_city_head_at_city_meeting_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    // A meeting of the city association before the plan exists cannot have reviewed it.
    let earlier = nk.city_meeting("city-early", date(2025, 4, 10)).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let (city, central) = (nk.city, nk.central);
    let town = &mut nk.town;

    // The chain, fixed at the first submission: the city head, at the city meeting, by 5 May.
    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(chain.len(), 1);
    let chain = &chain[0];
    assert_eq!(
        chain["steps"],
        json!([{"step": {"role": "city_head", "at_meeting": "city"}, "association": city.to_string()}])
    );
    assert_eq!(chain["due"], "2025-05-05");
    assert_eq!(
        chain["local_review_days"],
        Value::Null,
        "000 §10.5 sets no review period"
    );
    assert_eq!(chain["clause"], "000 §10.5");
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 1 }
    );

    // Only at a meeting of the city association held since the plan reached it.
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve(plan, 1),
        "step_meeting_required",
    )
    .await;
    let district_meeting = town
        .hold_meeting(
            "a1",
            "central-april",
            central,
            date(2025, 4, 15),
            &["a1", "a2"],
            vec![decided("О плане работы на 2025/26", "Направить в ГПМО")],
        )
        .await;
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve_at(plan, 1, district_meeting),
        "step_meeting_required",
    )
    .await;
    town.refused_by(
        "b1",
        date(2025, 4, 15),
        approve_at(plan, 1, earlier),
        "step_meeting_required",
    )
    .await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 18)).await;
    let town = &mut nk.town;
    let agreed = town
        .by("b1", date(2025, 4, 18), approve_at(plan, 1, meeting))
        .await;
    let step = payload(&agreed.events[0]);
    assert_eq!(step["step"], 1);
    assert_eq!(step["final_step"], true);
    assert_eq!(step["by"], town.person("b1").to_string());
    assert_eq!(step["meeting"], meeting.to_string());
    assert_eq!(agreed.events[0].actor.role, "city_head");
    assert_eq!(
        agreed.events[0].basis.as_ref().map(|b| b.kind),
        Some(BasisKind::Protocol)
    );
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::StepsApproved
    );

    approved_once(town, plan, 1).await;
    assert_eq!(
        payloads_of(town, plan, "DocumentApproved").await[0]["association"],
        central.to_string()
    );
    town.check_log().await;
}

async fn city_plan_reviewed_by_council_and_agreed_by_department_deputy_chief_000_4_7(
    backend: Backend,
) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([
            {"step": {"role": "council", "council": "organizational_methodical_council"}},
            {"step": {"role": "department", "offices": ["deputy_chief"]}}
        ])
    );
    assert_eq!(chain[0]["due"], "2025-05-15");
    assert_eq!(chain[0]["clause"], "000 §4.7");

    // The council decides at its sitting: an approval without its protocol is refused.
    let error = town
        .refused_by(
            "omc",
            date(2025, 4, 16),
            approve(plan, 1),
            "decision_text_required",
        )
        .await;
    assert!(
        error
            .to_string()
            .contains("номер протокола заседания совета"),
        "{error}"
    );
    // The council reviews it (its member records the council's protocol).
    let reviewed = town
        .by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    let step = payload(&reviewed.events[0]);
    assert_eq!(step["final_step"], false);
    assert_eq!(step["protocol_number"], "7");
    assert_eq!(
        reviewed.events[0].actor.role,
        "council:organizational_methodical_council"
    );
    // The council's protocol is the decision's legal basis, shown in the trail.
    let basis = reviewed.events[0].basis.clone().expect("basis");
    assert_eq!(
        (basis.kind, basis.number.as_str(), basis.date),
        (BasisKind::Protocol, "7", date(2025, 4, 16))
    );
    assert_eq!(basis.issuer, "организационно-методический совет");
    // KOiN's deputy chair agrees it; KOiN's specialist may not (000 §4.7).
    town.refused_by(
        "specialist",
        date(2025, 4, 17),
        approve(plan, 2),
        "not_authorized",
    )
    .await;
    let agreed = town.by("deputy", date(2025, 4, 17), approve(plan, 2)).await;
    let step = payload(&agreed.events[0]);
    assert_eq!(
        (step["step"].clone(), step["final_step"].clone()),
        (json!(2), json!(true))
    );
    assert_eq!(agreed.events[0].actor.role, "official:department");

    approved_once(town, plan, 1).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2)]);
    town.check_log().await;
}

async fn city_plan_returned_by_deputy_chief_resumes_at_that_step_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;

    // A return says what to rework.
    for silent in ["", "   "] {
        town.refused_by(
            "deputy",
            date(2025, 4, 16),
            send_back(plan, 2, silent),
            "decision_text_required",
        )
        .await;
    }
    let returned = town
        .by(
            "deputy",
            date(2025, 4, 16),
            send_back(plan, 2, "Уточнить сроки и ответственных за мероприятия"),
        )
        .await;
    let back = payload(&returned.events[0]);
    assert_eq!(
        (back["version"].clone(), back["step"].clone()),
        (json!(1), json!(2))
    );
    assert_eq!(back["by"], town.person("deputy").to_string());
    assert_eq!(
        back["comment"],
        "Уточнить сроки и ответственных за мероприятия"
    );
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::Returned { step: 2 }
    );
    // Nothing to decide until the author resubmits.
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        approve(plan, 2),
        "document_state",
    )
    .await;

    // Version 2 resumes at the step that returned it; the council does not review it again.
    resubmit(town, "b1", date(2025, 4, 18), plan, 2).await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 2 }
    );
    town.refused_by(
        "omc",
        date(2025, 4, 18),
        approve_by_council(plan, 1, "8"),
        "step_not_current",
    )
    .await;
    let agreed = town.by("deputy", date(2025, 4, 21), approve(plan, 2)).await;
    let step = payload(&agreed.events[0]);
    assert_eq!(
        (
            step["version"].clone(),
            step["step"].clone(),
            step["final_step"].clone()
        ),
        (json!(2), json!(2), json!(true))
    );

    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (2, 2)]);
    assert_eq!(
        payloads_of(town, plan, "ApprovalChainAssigned").await.len(),
        1
    );
    town.check_log().await;
}

async fn district_plan_rejected_by_city_head_is_closed_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 17)).await;
    let town = &mut nk.town;

    town.refused_by(
        "b1",
        date(2025, 4, 17),
        reject(plan, 1, " "),
        "decision_text_required",
    )
    .await;
    let rejected = town
        .by(
            "b1",
            date(2025, 4, 17),
            reject(plan, 1, "План не учитывает городские мероприятия"),
        )
        .await;
    let decision = payload(&rejected.events[0]);
    assert_eq!(
        (decision["version"].clone(), decision["step"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        decision["reason"],
        "План не учитывает городские мероприятия"
    );
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);

    // Closed: no new version, no decision.
    town.refused_by("a1", date(2025, 4, 18), submit(plan, 2), "document_closed")
        .await;
    town.refused_by(
        "b1",
        date(2025, 4, 18),
        approve_at(plan, 1, meeting),
        "step_not_current",
    )
    .await;
    // The workflow approves nothing, and a rejected plan misses no deadline — not even 5 May.
    today(town, date(2025, 5, 10));
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0, "{report:?}");
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert!(events_of(town, plan, "DeadlineMissed").await.is_empty());
    town.check_log().await;
}

/// 000 §10.5 names one day — 5 May — and no period for the city head: the plan at the city
/// head misses nothing until 5 May passes, and then that day, citing its clause, once.
async fn city_head_has_no_review_period_only_5_may_is_missed_once_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let city = nk.city;
    let town = &mut nk.town;
    let b1 = town.person("b1");
    let city_head = "руководитель городского объединения, на заседании городского объединения";

    // Ten days on (the period metod once invented): nothing is missed.
    today(town, date(2025, 4, 25));
    assert_eq!(document_deadlines_in_run(town).await, 0);

    // 5 May passes with the plan still at the city head (000 §10.5): recorded once.
    today(town, date(2025, 5, 5));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2025, 5, 6));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    let approval = &missed[0];
    assert_eq!(approval["deadline"], "approval");
    assert_eq!(approval["due"], "2025-05-05");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(approval["holder"]["role"], city_head);
    assert!(names(&approval["holder"], b1), "{approval}");
    assert_eq!(approval["source"], json!({"clause": "000 §10.5"}));

    // Agreed late: approved, and no deadline recorded again.
    let meeting = town
        .hold_meeting(
            "b1",
            "city-may",
            city,
            date(2025, 5, 12),
            &["a1", "b1"],
            vec![decided("О плане РПМО", "Согласовать")],
        )
        .await;
    town.by("b1", date(2025, 5, 12), approve_at(plan, 1, meeting))
        .await;
    approved_once(town, plan, 1).await;
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 1);
    assert_eq!(on_documents(in_log(town, "DeadlineMissed").await), 1);
    town.check_log().await;
}

async fn district_analysis_never_submitted_misses_5_may_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let central = nk.central;
    let analysis = document("analysis");
    let town = &mut nk.town;
    open(
        town,
        "a1",
        date(2025, 4, 14),
        analysis,
        central,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РПМО за 2024/25",
    )
    .await;
    // Never submitted: on 6 May the agreement day has passed, with the author.
    today(town, date(2025, 5, 6));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = payloads_of(town, analysis, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0]["deadline"], "approval");
    assert_eq!(missed[0]["due"], "2025-05-05");
    assert_eq!(
        missed[0]["holder"]["role"],
        "руководитель объединения (автор документа)"
    );
    assert!(names(&missed[0]["holder"], town.person("a1")));
    assert_eq!(missed[0]["source"]["clause"], "000 §10.5");
    town.check_log().await;
}

async fn district_plan_and_analysis_nobody_opened_miss_5_may_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let central = nk.central;
    let town = &mut nk.town;
    // Central opened neither its analysis of 2024/25 nor its plan for 2025/26: on 6 May both
    // agreement days (000 §10.5) have passed, with its head, and are recorded once each.
    today(town, date(2025, 5, 5));
    run_workflow(town).await;
    let unopened = |events: Vec<RecordedEvent>| -> Vec<Value> {
        events
            .iter()
            .map(payload)
            // A document's day, not the association's own (its list of 15 Sep, 000 §7.4).
            .filter(|p| {
                p["document"].is_null()
                    && !p["document_type"].is_null()
                    && p["association"] == central.to_string()
            })
            .collect()
    };
    assert!(unopened(in_log(town, "DeadlineMissed").await).is_empty());
    today(town, date(2025, 5, 6));
    run_workflow(town).await;
    run_workflow(town).await;
    let mut missed = unopened(in_log(town, "DeadlineMissed").await);
    missed.sort_by_key(|p| p["document_type"].to_string());
    assert_eq!(missed.len(), 2, "{missed:?}");
    for (payload, document_type, school_year) in [
        (&missed[0], "annual_analysis", "2024/25"),
        (&missed[1], "work_plan", "2025/26"),
    ] {
        assert_eq!(payload["deadline"], "approval");
        assert_eq!(payload["document_type"], document_type);
        assert_eq!(payload["school_year"], school_year);
        assert_eq!(payload["due"], "2025-05-05");
        assert!(names(&payload["holder"], town.person("a1")), "{payload}");
        assert_eq!(payload["source"]["clause"], "000 §10.5");
    }
    // The plan opened and agreed late is not recorded as missed a second time.
    let plan = document("late-plan");
    write(
        town,
        "a1",
        date(2025, 5, 7),
        plan,
        central,
        DocumentType::WorkPlan,
        "2025/26",
        "План работы РПМО на 2025/26",
    )
    .await;
    today(town, date(2025, 5, 30));
    run_workflow(town).await;
    assert!(!payloads_of(town, plan, "DeadlineMissed")
        .await
        .iter()
        .any(|p| p["deadline"] == "approval"));
    assert_eq!(unopened(in_log(town, "DeadlineMissed").await).len(), 2);
    town.check_log().await;
}

async fn only_the_city_head_agrees_a_district_plan_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let meeting = nk.city_meeting("city-april", date(2025, 4, 16)).await;
    let town = &mut nk.town;
    let on = date(2025, 4, 16);

    // The author (Central's head), the head of another city association, a member of the
    // city's district, KOiN's deputy chair: none of them holds the step.
    for who in ["a1", "p1", "b2", "deputy", "omc"] {
        town.refused_by(who, on, approve_at(plan, 1, meeting), "not_authorized")
            .await;
    }
    town.refused_by("p1", on, send_back(plan, 1, "Переделать"), "not_authorized")
        .await;
    town.refused_by("a1", on, reject(plan, 1, "Отозвать"), "not_authorized")
        .await;
    // Nor the operator: a step is decided by the official in person.
    let error = town
        .refused(
            Acting::Operator,
            on,
            approve_at(plan, 1, meeting),
            "not_authorized",
        )
        .await;
    assert!(error.to_string().contains("не оператор"), "{error}");

    town.by("b1", on, approve_at(plan, 1, meeting)).await;
    approved_once(town, plan, 1).await;
    let decided: Vec<Value> = payloads_of(town, plan, "StepApproved").await;
    assert_eq!(decided.len(), 1);
    assert_eq!(decided[0]["by"], town.person("b1").to_string());
    town.check_log().await;
}

async fn a_step_is_decided_once_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    // Step 1 again: it is no longer the current step.
    town.refused_by(
        "omc",
        date(2025, 4, 15),
        approve_by_council(plan, 1, "7"),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "omc",
        date(2025, 4, 15),
        send_back(plan, 1, "Ещё раз"),
        "step_not_current",
    )
    .await;
    town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    // Step 2 again: before the workflow records the approval, and after.
    town.refused_by(
        "deputy",
        date(2025, 4, 16),
        approve(plan, 2),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 16),
        send_back(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    approved_once(town, plan, 1).await;
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        approve(plan, 2),
        "step_not_current",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 17),
        reject(plan, 2, "Передумал"),
        "step_not_current",
    )
    .await;
    assert_eq!(events_of(town, plan, "StepApproved").await.len(), 2);
    assert_eq!(events_of(town, plan, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

async fn a_step_is_not_decided_before_the_document_reaches_it_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;

    // Submitted on 14 April: a review dated 10 April would hide the review period.
    let error = town
        .refused_by(
            "omc",
            date(2025, 4, 10),
            approve_by_council(plan, 1, "7"),
            "date_too_early",
        )
        .await;
    assert!(error.to_string().contains("2025-04-14"), "{error}");
    town.refused_by(
        "omc",
        date(2025, 4, 13),
        send_back(plan, 1, "Доработать"),
        "date_too_early",
    )
    .await;
    town.by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    // Step 2 was reached on 16 April: the deputy chair decides on that day or later.
    town.refused_by(
        "deputy",
        date(2025, 4, 15),
        approve(plan, 2),
        "date_too_early",
    )
    .await;
    town.refused_by(
        "deputy",
        date(2025, 4, 15),
        reject(plan, 2, "Не соответствует"),
        "date_too_early",
    )
    .await;
    // Returned on 20 April: the new version is not dated before the return.
    town.by(
        "deputy",
        date(2025, 4, 20),
        send_back(plan, 2, "Уточнить сроки"),
    )
    .await;
    town.refused_by("b1", date(2025, 4, 19), submit(plan, 2), "date_too_early")
        .await;
    resubmit(town, "b1", date(2025, 4, 21), plan, 2).await;
    town.refused_by(
        "deputy",
        date(2025, 4, 20),
        approve(plan, 2),
        "date_too_early",
    )
    .await;
    town.by("deputy", date(2025, 4, 22), approve(plan, 2)).await;
    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (1, 2), (2, 2)]);
    town.check_log().await;
}

async fn final_step_recorded_before_a_crash_is_approved_on_restart_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    let runner = WorkflowRunner::new(town.handler.clone());
    let report = runner.run_once().await.expect("the workflow runs");
    assert_eq!(report.reactions, 0);
    // The final step is recorded; the process dies before its runner sees it.
    let final_step = town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    drop(runner);
    let checkpoint = town
        .store
        .checkpoint(PROCESS_MANAGERS)
        .await
        .expect("checkpoint");
    assert!(checkpoint < final_step.events[0].position);
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::StepsApproved
    );
    // The restarted runner picks it up from its checkpoint.
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 1, "{report:?}");
    approved_once(town, plan, 1).await;
    let approved = &events_of(town, plan, "DocumentApproved").await[0];
    assert_eq!(approved.causation_id, Some(final_step.events[0].command_id));
    assert_eq!(approved.correlation_id, final_step.events[0].correlation_id);
    assert_eq!(approved.effective, date(2025, 4, 16));
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_000_4_7(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    town.by("omc", date(2025, 4, 15), approve_by_council(plan, 1, "7"))
        .await;
    run_workflow(town).await;
    let final_step = town.by("deputy", date(2025, 4, 16), approve(plan, 2)).await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    assert_eq!(in_log(town, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

async fn city_plan_not_agreed_by_15_may_misses_its_approval_deadline_once_000_4_7(
    backend: Backend,
) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.city_plan("city-plan", date(2025, 4, 14)).await;
    let town = &mut nk.town;
    let (deputy, specialist) = (town.person("deputy"), town.person("specialist"));
    // The council reviews it in time; KOiN's deputy chair still holds it on 15 May.
    town.by("omc", date(2025, 4, 16), approve_by_council(plan, 1, "7"))
        .await;
    today(town, date(2025, 5, 15));
    run_workflow(town).await;
    assert!(
        approval_missed(town, plan).await.is_empty(),
        "not before 16 May"
    );

    // 16 May: the agreement day (000 §4.7) has passed, recorded once, naming the holder.
    today(town, date(2025, 5, 16));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = approval_missed(town, plan).await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].effective, date(2025, 5, 16));
    assert_eq!(missed[0].actor.id, "workflow");
    let approval = payload(&missed[0]);
    assert_eq!(approval["due"], "2025-05-15");
    assert_eq!(approval["school_year"], "2025/26");
    assert_eq!(approval["source"]["clause"], "000 §4.7");
    assert_eq!(approval["holder"]["body"], town.body("koin").to_string());
    assert!(names(&approval["holder"], deputy), "{approval}");
    assert!(
        !names(&approval["holder"], specialist),
        "only the deputy chair agrees it: {approval}"
    );

    // The trail names the holder as the vault knows her, and once erased as erased.
    let row = |trail: &workflows::Trail| {
        trail
            .entries
            .iter()
            .find(|e| e.position == missed[0].position)
            .cloned()
            .expect("the missed deadline's row")
    };
    let trail = workflows::trail(town.store.as_ref(), plan)
        .await
        .expect("trail");
    let entry = row(&trail);
    assert!(
        entry.what.contains("Соколова Анна Петровна"),
        "{}",
        entry.what
    );
    let holder = entry.holder.expect("the holder");
    assert_eq!(holder.persons.len(), 1);
    assert_eq!(holder.persons[0].person, deputy);
    assert_eq!(
        holder.persons[0].name.as_deref(),
        Some("Соколова Анна Петровна")
    );

    // Agreed late: approved, and the approval deadline is not recorded again.
    town.by("deputy", date(2025, 5, 20), approve(plan, 2)).await;
    approved_once(town, plan, 1).await;
    assert_eq!(approval_missed(town, plan).await.len(), 1);

    town.store
        .shred(
            &deputy.to_string(),
            store::Erasure {
                actor: store::Actor::new("operator", "operator"),
                basis: None,
                grounds: "отзыв согласия на обработку персональных данных".into(),
                effective: date(2025, 5, 20),
            },
            store::CommandId::random(),
        )
        .await
        .expect("the deputy's data is erased");
    let trail = workflows::trail(town.store.as_ref(), plan)
        .await
        .expect("trail");
    let entry = row(&trail);
    assert!(entry.what.contains(store::ERASED_TEXT), "{}", entry.what);
    assert!(!entry.what.contains("Соколова"), "{}", entry.what);
    assert_eq!(
        entry.holder.expect("the holder").persons[0].name.as_deref(),
        Some(store::ERASED_TEXT)
    );
    town.check_log().await;
}

async fn deputy_by_order_agrees_for_city_head_within_its_term_only_000_10_5(backend: Backend) {
    let mut nk = novokuznetsk(backend).await;
    let plan = nk.district_plan("plan", date(2025, 4, 14)).await;
    let (city, central) = (nk.city, nk.central);
    let town = &mut nk.town;

    // KOiN, which appoints city heads (000 §4.2), designates the deputy; a district
    // department may not.
    let order = town
        .order(
            "koin",
            "1450",
            date(2025, 4, 15),
            "О временном исполнении обязанностей руководителя ГПМО",
        )
        .await;
    let district_order = town
        .order(
            "rono-central",
            "52",
            date(2025, 4, 15),
            "О временном исполнении обязанностей",
        )
        .await;
    let designate = |order| {
        Command::DesignateDeputy(DesignateDeputy {
            association: city,
            role: AssociationRole::Head,
            deputy: town.person("b2"),
            until: date(2025, 4, 20),
            order,
        })
    };
    let wrong = designate(district_order);
    let right = designate(order);
    town.refused(
        Acting::Operator,
        date(2025, 4, 15),
        wrong,
        "wrong_order_issuer",
    )
    .await;
    town.op(date(2025, 4, 15), right).await;

    // Within the term the deputy agrees the plan at the city meeting, as the deputy.
    let meeting = nk.city_meeting("city-april", date(2025, 4, 16)).await;
    let town = &mut nk.town;
    let agreed = town
        .by("b2", date(2025, 4, 16), approve_at(plan, 1, meeting))
        .await;
    assert_eq!(agreed.events[0].actor.role, "deputy:city_head");
    assert_eq!(
        payload(&agreed.events[0])["by"],
        town.person("b2").to_string()
    );
    approved_once(town, plan, 1).await;

    // After the term (20 Apr) the deputy no longer does; the head does.
    let analysis = document("analysis");
    write(
        town,
        "a1",
        date(2025, 4, 21),
        analysis,
        central,
        DocumentType::AnnualAnalysis,
        "2024/25",
        "Анализ работы РПМО за 2024/25",
    )
    .await;
    let meeting = nk.city_meeting("city-late-april", date(2025, 4, 22)).await;
    let town = &mut nk.town;
    town.refused_by(
        "b2",
        date(2025, 4, 22),
        approve_at(analysis, 1, meeting),
        "not_authorized",
    )
    .await;
    let agreed = town
        .by("b1", date(2025, 4, 22), approve_at(analysis, 1, meeting))
        .await;
    assert_eq!(agreed.events[0].actor.role, "city_head");
    approved_once(town, analysis, 1).await;
    town.check_log().await;
}

store::on_every_backend!(
    district_plan_agreed_by_city_head_at_city_meeting_000_10_5,
    city_plan_reviewed_by_council_and_agreed_by_department_deputy_chief_000_4_7,
    city_plan_returned_by_deputy_chief_resumes_at_that_step_000_4_7,
    district_plan_rejected_by_city_head_is_closed_000_10_5,
    city_head_has_no_review_period_only_5_may_is_missed_once_000_10_5,
    district_analysis_never_submitted_misses_5_may_000_10_5,
    district_plan_and_analysis_nobody_opened_miss_5_may_000_10_5,
    only_the_city_head_agrees_a_district_plan_000_10_5,
    a_step_is_decided_once_000_4_7,
    a_step_is_not_decided_before_the_document_reaches_it_000_4_7,
    final_step_recorded_before_a_crash_is_approved_on_restart_000_4_7,
    reaction_recorded_before_its_checkpoint_is_not_repeated_000_4_7,
    city_plan_not_agreed_by_15_may_misses_its_approval_deadline_once_000_4_7,
    deputy_by_order_agrees_for_city_head_within_its_term_only_000_10_5,
);
