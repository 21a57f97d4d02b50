//! 001 Kuznetsk: the ММО's plan recorded as its head submits it and published on the
//! Управление's site (001 §1.3, the second) — nobody approves it. And a municipality that adds
//! the department's acceptance as a local step of its own profile: accepted, returned or
//! rejected there, its local review period, a relieved official, crashes.

use super::*;
use domain::commands::{AppointHead, RelieveOfficial};
use domain::profile::{ChainStep, StepRole};

/// One municipal association per subject (history, mathematics), heads appointed by the
/// Управление's order; the Управление with a chief and a specialist.
struct Kuznetsk {
    town: Town,
    history: AssociationId,
}

async fn kuznetsk(backend: Backend) -> Kuznetsk {
    let mut town = Town::kuznetsk(backend).await;
    town.teacher(
        "uo-specialist",
        "Данилова Ольга Викторовна",
        "uo",
        PositionKind::Official,
        None,
        date(2009, 9, 1),
    )
    .await;
    town.official("uo-specialist", "uo", Office::Specialist)
        .await;
    town.teacher(
        "uo-chief",
        "Романов Виктор Степанович",
        "uo",
        PositionKind::Official,
        None,
        date(1998, 9, 1),
    )
    .await;
    town.official("uo-chief", "uo", Office::Chief).await;
    let first = Some((CategoryLevel::First, date(2019, 4, 1)));
    // The ММО's members are the city's teachers of its subject, by the registry (001 §1.3).
    for (key, name, subject, category, since) in [
        (
            "head",
            "Борисова Людмила Алексеевна",
            "история",
            first,
            date(2010, 9, 1),
        ),
        (
            "t1",
            "Фадеев Сергей Андреевич",
            "история",
            None,
            date(2020, 9, 1),
        ),
        (
            "head2",
            "Тихонова Светлана Юрьевна",
            "математика",
            first,
            date(2008, 9, 1),
        ),
    ] {
        town.teacher_of(key, name, subject, category, since).await;
    }
    let order = town
        .order(
            "uo",
            "157",
            date(2024, 9, 9),
            "Об утверждении Положения и состава ММО",
        )
        .await;
    let history = town
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
    let maths = town
        .association(
            "maths",
            "ММО учителей математики",
            "математика",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    for (association, head) in [(history, "head"), (maths, "head2")] {
        town.op(
            date(2024, 9, 10),
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
    Kuznetsk { town, history }
}

/// [`kuznetsk`], where the municipality's own profile file adds the Управление's acceptance of
/// the plan as a local step (001 §1.3 has none), so the approval engine can be shown on it.
async fn kuznetsk_with_local_approval(backend: Backend) -> Kuznetsk {
    let mut kz = kuznetsk(backend).await;
    kz.town.amend_profile(|profile| {
        for rule in &mut profile.documents {
            if rule.document_type == DocumentType::WorkPlan {
                rule.chain = Some(vec![ChainStep {
                    local: true,
                    ..ChainStep::of(StepRole::Department)
                }]);
            }
        }
    });
    kz
}

impl Kuznetsk {
    async fn plan(&mut self, on: NaiveDate) -> DocumentId {
        let plan = document("plan");
        let history = self.history;
        write(
            &mut self.town,
            "head",
            on,
            plan,
            history,
            DocumentType::WorkPlan,
            "2024/25",
            "План работы ММО («дорожная карта») на 2024/25",
        )
        .await;
        plan
    }
}

async fn work_plan_accepted_by_the_department_at_a_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(
        chain[0]["steps"],
        json!([{"step": {"role": "department", "local": true}}])
    );
    assert_eq!(chain[0]["clause"], "001 §1.3 (второй, раздел 2)");
    assert!(chain[0].get("due").is_none() && chain[0].get("submit_by").is_none());

    // Not its author, not the head of another association, not the operator.
    let on = date(2024, 9, 18);
    for who in ["head", "head2", "t1"] {
        town.refused_by(who, on, approve(plan, 1), "not_authorized")
            .await;
    }
    town.refused(Acting::Operator, on, approve(plan, 1), "not_authorized")
        .await;
    let accepted = town.by("uo-specialist", on, approve(plan, 1)).await;
    assert_eq!(payload(&accepted.events[0])["final_step"], true);
    assert_eq!(accepted.events[0].actor.role, "official:department");
    // Decided once: the chief cannot decide it again.
    town.refused_by("uo-chief", on, approve(plan, 1), "step_not_current")
        .await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn work_plan_returned_by_the_department_resumes_there_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    town.refused_by(
        "uo-chief",
        date(2024, 9, 18),
        send_back(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "uo-chief",
        date(2024, 9, 18),
        send_back(plan, 1, "Добавить муниципальные мероприятия"),
    )
    .await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::Returned { step: 1 }
    );
    // The author resubmits the same day another version: it waits at the department again.
    resubmit(town, "head", date(2024, 9, 20), plan, 2).await;
    town.refused_by(
        "head",
        date(2024, 9, 20),
        submit(plan, 3),
        "document_awaiting_decision",
    )
    .await;
    assert_eq!(
        state(town, plan).await.status,
        DocumentStatus::InReview { step: 1 }
    );
    let accepted = town
        .by("uo-specialist", date(2024, 9, 23), approve(plan, 1))
        .await;
    assert_eq!(payload(&accepted.events[0])["version"], 2);
    approved_once(town, plan, 2).await;
    assert_eq!(stays(town, plan).await, vec![(1, 1), (2, 1)]);
    let returned = payloads_of(town, plan, "DocumentReturned").await;
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0]["comment"], "Добавить муниципальные мероприятия");
    town.check_log().await;
}

async fn work_plan_rejected_by_the_department_is_closed_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;

    town.refused_by(
        "uo-chief",
        date(2024, 9, 18),
        reject(plan, 1, ""),
        "decision_text_required",
    )
    .await;
    town.by(
        "uo-chief",
        date(2024, 9, 18),
        reject(plan, 1, "План другого объединения"),
    )
    .await;
    town.refused_by(
        "head",
        date(2024, 9, 19),
        submit(plan, 2),
        "document_closed",
    )
    .await;
    town.refused_by(
        "uo-specialist",
        date(2024, 9, 19),
        approve(plan, 1),
        "step_not_current",
    )
    .await;
    let report = run_workflow(town).await;
    assert_eq!(report.reactions, 0);
    assert!(events_of(town, plan, "DocumentApproved").await.is_empty());
    assert_eq!(state(town, plan).await.status, DocumentStatus::Rejected);
    town.check_log().await;
}

/// 001 §1.3 (the second): «ММО формирует план работы на учебный год, размещает его … на сайте
/// управления образования … (раздел «Муниципальная методическая служба»)». Given the head's
/// plan, when it is submitted, then it is recorded — nobody approves it, the department has no
/// step — and, until the head records its placing on the site, `unpublished` lists it; the
/// placing is recorded once, by the head, with its address, not before the plan was
/// recorded; after it the plan is no longer listed.
async fn the_plan_is_recorded_and_published_on_the_site_not_approved_001_1_3(backend: Backend) {
    use domain::commands::PublishDocument;
    let mut kz = kuznetsk(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    assert_eq!(state(town, plan).await.status, DocumentStatus::Recorded);
    for who in ["uo-specialist", "uo-chief"] {
        town.refused_by(who, date(2024, 9, 18), approve(plan, 1), "step_not_current")
            .await;
    }
    let unpublished = |town: &Town, on: NaiveDate| {
        let store = town.store.clone();
        async move {
            projections::catch_up(store.as_ref(), &|_, _| {})
                .await
                .expect("catch up");
            let profiles = commands::ProfileSet::built_in().expect("profiles");
            let question = projections::queries::Question {
                at: store::TimePoint {
                    as_of: on,
                    known_at: None,
                },
                profile: profiles.get("kuznetsk").expect("kuznetsk"),
                filters: Default::default(),
            };
            projections::queries::run(
                store.as_ref(),
                projections::queries::QueryKind::Unpublished,
                &question,
            )
            .await
            .expect("the answer")
            .rows
            .iter()
            .map(|r| (r["document"].clone(), r["clause"].clone()))
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(
        unpublished(town, date(2024, 9, 20)).await,
        vec![(json!(plan), json!("001 §1.3 (второй, раздел 2)"))]
    );
    let publish = |address: &str| {
        Command::PublishDocument(PublishDocument {
            document: plan,
            address: address.into(),
        })
    };
    let address = "https://uo-kuznetsk.ru/mms/plan-history-2024-25";
    town.refused_by(
        "head",
        date(2024, 9, 15),
        publish(address),
        "date_too_early",
    )
    .await;
    town.refused_by("t1", date(2024, 9, 20), publish(address), "not_authorized")
        .await;
    town.refused_by("head", date(2024, 9, 20), publish("  "), "invalid_text")
        .await;
    let published = town.by("head", date(2024, 9, 20), publish(address)).await;
    assert_eq!(published.events[0].event_type, "DocumentPublished");
    assert_eq!(payload(&published.events[0])["address"], address);
    assert_eq!(payload(&published.events[0])["version"], 1);
    town.refused_by(
        "head",
        date(2024, 9, 21),
        publish(address),
        "already_exists",
    )
    .await;
    assert!(unpublished(town, date(2024, 9, 21)).await.is_empty());
    // As of the day before, it was not placed yet.
    assert_eq!(unpublished(town, date(2024, 9, 19)).await.len(), 1);
    town.check_log().await;
}

/// Given a municipality whose profile file sets 10 days for each step (a local setting),
/// when the department sits on the plan past them, then the lapse is recorded once as the
/// municipality's deadline — with the setting, never a clause of 001.
async fn a_review_period_the_municipality_sets_is_recorded_as_its_own_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    kz.town.set_local_review_days(10);
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    let chain = payloads_of(town, plan, "ApprovalChainAssigned").await;
    assert_eq!(chain[0]["local_review_days"], 10);

    today(town, date(2024, 9, 26));
    assert_eq!(document_deadlines_in_run(town).await, 0);
    today(town, date(2024, 9, 27));
    assert_eq!(document_deadlines_in_run(town).await, 1);
    assert_eq!(document_deadlines_in_run(town).await, 0);
    let missed = events_of(town, plan, "DeadlineMissed").await;
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].schema, 2);
    let missed = payloads_of(town, plan, "DeadlineMissed").await;
    assert_eq!(
        missed[0]["source"],
        json!({"local": {"setting": "10 дн. на шаг согласования — review_days в профиле"}})
    );
    assert_eq!(missed[0]["clause"], Value::Null);
    let holder = &missed[0]["holder"];
    assert_eq!(missed[0]["deadline"], "step_review");
    assert_eq!(missed[0]["due"], "2024-09-26");
    assert_eq!(
        holder["role"],
        "орган управления образованием [местный шаг муниципалитета, не по положению]"
    );
    assert_eq!(holder["body"], town.body("uo").to_string());
    assert!(names(holder, town.person("uo-specialist")), "{holder}");
    assert!(names(holder, town.person("uo-chief")), "{holder}");
    // Decided late: approved, nothing recorded again.
    town.by("uo-chief", date(2024, 10, 1), approve(plan, 1))
        .await;
    approved_once(town, plan, 1).await;
    assert_eq!(events_of(town, plan, "DeadlineMissed").await.len(), 1);
    town.check_log().await;
}

async fn relieved_official_decides_no_more_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    let municipality = town.municipality;
    town.op(
        date(2024, 9, 17),
        Command::RelieveOfficial(RelieveOfficial {
            municipality,
            body: town.body("uo"),
            person: town.person("uo-specialist"),
        }),
    )
    .await;
    town.refused_by(
        "uo-specialist",
        date(2024, 9, 18),
        approve(plan, 1),
        "not_authorized",
    )
    .await;
    town.by("uo-chief", date(2024, 9, 18), approve(plan, 1))
        .await;
    approved_once(town, plan, 1).await;
    town.check_log().await;
}

async fn final_step_recorded_before_a_crash_is_approved_on_restart_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    let runner = WorkflowRunner::new(town.handler.clone());
    let report = runner.run_once().await.expect("the workflow runs");
    assert_eq!(report.reactions, 0);
    // The department's only step is recorded; the process dies before its runner sees it.
    let final_step = town
        .by("uo-specialist", date(2024, 9, 18), approve(plan, 1))
        .await;
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
    assert_eq!(approved.effective, date(2024, 9, 18));
    town.check_log().await;
}

async fn reaction_recorded_before_its_checkpoint_is_not_repeated_local_step(backend: Backend) {
    let mut kz = kuznetsk_with_local_approval(backend).await;
    let plan = kz.plan(date(2024, 9, 16)).await;
    let town = &mut kz.town;
    run_workflow(town).await;
    let final_step = town
        .by("uo-chief", date(2024, 9, 18), approve(plan, 1))
        .await;
    crash_after_the_reaction(town, &final_step.events[0], plan).await;
    assert_eq!(in_log(town, "DocumentApproved").await.len(), 1);
    town.check_log().await;
}

store::on_every_backend!(
    work_plan_accepted_by_the_department_at_a_local_step,
    work_plan_returned_by_the_department_resumes_there_local_step,
    work_plan_rejected_by_the_department_is_closed_local_step,
    the_plan_is_recorded_and_published_on_the_site_not_approved_001_1_3,
    a_review_period_the_municipality_sets_is_recorded_as_its_own_local_step,
    relieved_official_decides_no_more_local_step,
    final_step_recorded_before_a_crash_is_approved_on_restart_local_step,
    reaction_recorded_before_its_checkpoint_is_not_repeated_local_step,
);
