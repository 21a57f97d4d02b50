//! Pervouralsk's system of methodical work (seed 004 §7–§10) on a real store (SQLite file and
//! PostgreSQL), through the real handlers and the oversight questions:
//!
//! - §7: school associations are created by their own organization's administration and
//!   headed by its director or a deputy head; city associations are created by the methodical
//!   center and headed by someone working there;
//! - §8: a creative laboratory unites the teachers of one organization; a working group is
//!   temporary — it ends with its term;
//! - §8–§9: teachers' individual programmes, recorded by their organization's administration
//!   and coordinated by the methodical center (`query programmes`);
//! - §10: the monitoring of the effectiveness of methodical work under the municipal road map
//!   (`query monitoring`).
//!
//! The town: МКУ «ЦХЭМО» with its department (the methodical center) and its specialist
//! Соколова; two schools, № 7 and № 9, each with its administration; at № 7 the director
//! Морозов, the deputy head Ахахлина, the teachers Гильманова and Орлова; at № 9 the deputy
//! head Белова and the teacher Зайцев; the Управление образования, whose order of 30 Aug 2024
//! № 412 approved the road map of the municipal system of quality assessment.

mod scenario_support;

use chrono::NaiveDate;
use serde_json::Value;

use commands::ProfileSet;
use domain::commands::{
    AdmitMember, AppointHead, CoordinateIndividualProgramme, CreateAssociation, HoldMeeting,
    RecordEffectivenessMonitoring, RecordIndividualProgramme, TransferPerson,
};
use domain::error::Clause;
use domain::events::{AdmissionBasis, Member};
use domain::ids::{AssociationId, OrderId};
use domain::profile::RetentionRule;
use domain::values::{AssociationKind, BodyKind, Level, Office, OrganizationKind, PositionKind};
use domain::{Acting, Command};
use projections::queries::{self, Filters, QueryKind, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

/// The town described at the top.
async fn pervouralsk(backend: Backend) -> Town {
    let mut town = Town::new(backend, "pervouralsk", "Городской округ Первоуральск").await;
    town.organization_in(
        "center",
        "МКУ «ЦХЭМО»",
        OrganizationKind::MunicipalInstitution,
        None,
    )
    .await;
    town.organization_in(
        "uo",
        "Управление образования",
        OrganizationKind::MunicipalInstitution,
        None,
    )
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
        "uo",
        BodyKind::Department,
        "Управление образования городского округа Первоуральск",
        None,
        Some("uo"),
    )
    .await;
    for (key, title) in [("school-7", "МАОУ СОШ № 7"), ("school-9", "МАОУ СОШ № 9")]
    {
        town.organization_in(key, title, OrganizationKind::School, None)
            .await;
        let body = if key == "school-7" {
            "admin-7"
        } else {
            "admin-9"
        };
        town.body_of(
            body,
            BodyKind::OrganizationAdministration,
            &format!("Администрация {title}"),
            None,
            Some(key),
        )
        .await;
    }
    let people: [(&'static str, &str, &str, PositionKind); 7] = [
        (
            "sokolova",
            "Соколова Анна Петровна",
            "center",
            PositionKind::CenterSpecialist,
        ),
        (
            "morozov",
            "Морозов Илья Сергеевич",
            "school-7",
            PositionKind::Director,
        ),
        (
            "akhakhlina",
            "Ахахлина Галина Евгеньевна",
            "school-7",
            PositionKind::DeputyHead,
        ),
        (
            "gilmanova",
            "Гильманова Ирина Валерьевна",
            "school-7",
            PositionKind::Teacher,
        ),
        (
            "orlova",
            "Орлова Мария Андреевна",
            "school-7",
            PositionKind::Teacher,
        ),
        (
            "belova",
            "Белова Ольга Николаевна",
            "school-9",
            PositionKind::DeputyHead,
        ),
        (
            "zaitsev",
            "Зайцев Пётр Ильич",
            "school-9",
            PositionKind::Teacher,
        ),
    ];
    for (key, name, organization, position) in people {
        town.teacher(key, name, organization, position, None, date(2010, 9, 1))
            .await;
    }
    town.official("sokolova", "center", Office::Specialist)
        .await;
    town
}

async fn caught_up(town: &Town) {
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
}

async fn answer(town: &Town, kind: QueryKind, as_of: NaiveDate) -> Report {
    let profiles = ProfileSet::built_in().expect("profiles");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: None,
        },
        profile: profiles.get(&town.profile).expect("profile"),
        filters: Filters::default(),
    };
    queries::run(town.store.as_ref(), kind, &question)
        .await
        .expect("the query runs")
}

fn cell<'r>(report: &'r Report, key: &str) -> Vec<&'r Value> {
    report.rows.iter().map(|r| &r[key]).collect()
}

fn create(
    town: &Town,
    key: &str,
    (level, kind): (Level, AssociationKind),
    organization: Option<&str>,
    order: OrderId,
) -> CreateAssociation {
    CreateAssociation {
        association: AssociationId::derived(&town.municipality.to_string(), key),
        title: format!("Объединение {key}"),
        subject: subject("математика"),
        level,
        kind,
        group_membership: None,
        district: None,
        organization: organization.map(|o| town.organization(o)),
        order,
        review: None,
        curating_organization: None,
        ends_on: None,
        task: None,
    }
}

fn admit(association: AssociationId, member: Member, order: OrderId) -> Command {
    Command::AdmitMember(AdmitMember {
        association,
        member,
        basis: AdmissionBasis::Order(order),
        district_association: None,
    })
}

fn appoint(association: AssociationId, person: domain::ids::PersonId, order: OrderId) -> Command {
    Command::AppointHead(AppointHead {
        association,
        person,
        school_year: year("2024/25"),
        order,
        review: None,
    })
}

/// 004 §7: at the school level methodical support is the organization's own administration's
/// — a school association is created by its order, not the methodical center's nor another
/// school's; at the municipal level it is the methodical center's, whose order creates a
/// city association.
async fn a_school_association_is_created_by_its_own_administration_004_7(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    let on = date(2024, 8, 28);
    let center = town
        .order("center", "31", on, "О методических объединениях")
        .await;
    let own = town.order("admin-7", "100", on, "О ШМО").await;
    let other = town.order("admin-9", "200", on, "О ШМО").await;
    let school = (Level::School, AssociationKind::MethodicalAssociation);
    for order in [center, other] {
        let command = create(&town, "shmo-7", school, Some("school-7"), order);
        town.refused(
            Acting::Operator,
            on,
            Command::CreateAssociation(command),
            "wrong_order_issuer",
        )
        .await;
    }
    let command = create(&town, "shmo-7", school, Some("school-7"), own);
    town.op(on, Command::CreateAssociation(command)).await;
    let city = (Level::City, AssociationKind::MethodicalAssociation);
    let command = create(&town, "gmo", city, None, own);
    town.refused(
        Acting::Operator,
        on,
        Command::CreateAssociation(command),
        "wrong_order_issuer",
    )
    .await;
    let command = create(&town, "gmo", city, None, center);
    town.op(on, Command::CreateAssociation(command)).await;
    caught_up(&town).await;
    let hierarchy = answer(&town, QueryKind::Hierarchy, date(2024, 9, 1)).await;
    assert_eq!(hierarchy.rows.len(), 2);
    assert!(hierarchy
        .rules
        .iter()
        .any(|r| r.clause == "004 §7" && r.rule.contains("приказом")));
}

/// 004 §7: the head of a school association is, on the day of the order, the director or a
/// deputy head of that same organization, appointed by its administration; the head of a
/// city association works at the methodical center. `query eligibility` applies the same rule
/// later: a deputy head moved to a teacher's post is listed from that day.
async fn school_head_is_its_directors_or_deputys_and_city_head_the_centers_004_7(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    let on = date(2024, 8, 28);
    let center = town
        .order("center", "31", on, "О методических объединениях")
        .await;
    let own = town.order("admin-7", "100", on, "О ШМО").await;
    let school = (Level::School, AssociationKind::MethodicalAssociation);
    let shmo = create(&town, "shmo-7", school, Some("school-7"), own);
    let shmo_id = shmo.association;
    town.op(on, Command::CreateAssociation(shmo)).await;
    let city = (Level::City, AssociationKind::MethodicalAssociation);
    let gmo = create(&town, "gmo", city, None, center);
    let gmo_id = gmo.association;
    town.op(on, Command::CreateAssociation(gmo)).await;
    let day = date(2024, 9, 2);
    let heads = town
        .order("admin-7", "101", day, "О руководителе ШМО")
        .await;
    let center_heads = town.order("center", "32", day, "О руководителях ГМО").await;
    let refusal = town
        .refused(
            Acting::Operator,
            day,
            appoint(shmo_id, town.person("gilmanova"), heads),
            "head_not_eligible",
        )
        .await;
    assert!(refusal.to_string().contains("004 §7"), "{refusal}");
    assert!(
        refusal.to_string().contains("заместитель руководителя"),
        "{refusal}"
    );
    town.refused(
        Acting::Operator,
        day,
        appoint(shmo_id, town.person("belova"), heads),
        "head_not_eligible",
    )
    .await;
    town.refused(
        Acting::Operator,
        day,
        appoint(gmo_id, town.person("akhakhlina"), center_heads),
        "head_not_eligible",
    )
    .await;
    town.op(day, appoint(shmo_id, town.person("akhakhlina"), heads))
        .await;
    town.op(day, appoint(gmo_id, town.person("sokolova"), center_heads))
        .await;
    // From 1 Dec the deputy head teaches again: no longer eligible from that day.
    let person = town.person("akhakhlina");
    let organization = town.organization("school-7");
    town.op(
        date(2024, 12, 1),
        Command::TransferPerson(TransferPerson {
            person,
            organization,
            position_kind: PositionKind::Teacher,
            position_title: "учитель математики".into(),
        }),
    )
    .await;
    caught_up(&town).await;
    let before = answer(&town, QueryKind::Eligibility, date(2024, 11, 30)).await;
    assert!(before.rows.is_empty(), "{:?}", before.rows);
    assert_eq!(before.rules.len(), 2);
    let after = answer(&town, QueryKind::Eligibility, date(2024, 12, 2)).await;
    assert_eq!(
        cell(&after, "person"),
        [&Value::from("Ахахлина Галина Евгеньевна")]
    );
    assert_eq!(cell(&after, "clause"), [&Value::from("004 §7")]);
    assert_eq!(
        cell(&after, "found"),
        [&Value::from(
            "на 2024-12-02: должность — педагогический работник"
        )]
    );
}

/// 004 §8: «муниципальная творческая лаборатория – это форма организации совместной
/// деятельности педагогов образовательной организации» — created for one organization, it
/// admits that organization's teachers only.
async fn a_creative_lab_unites_the_teachers_of_one_organization_004_8(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    let on = date(2024, 8, 28);
    let center = town
        .order("center", "31", on, "О творческой лаборатории")
        .await;
    let lab = (Level::City, AssociationKind::CreativeLab);
    let refusal = town
        .refused(
            Acting::Operator,
            on,
            Command::CreateAssociation(create(&town, "lab", lab, None, center)),
            "one_organization_required",
        )
        .await;
    assert!(refusal.to_string().contains("004 §8"), "{refusal}");
    let command = create(&town, "lab", lab, Some("school-7"), center);
    let lab_id = command.association;
    town.op(on, Command::CreateAssociation(command)).await;
    let day = date(2024, 9, 2);
    let zaitsev = Member::Person(town.person("zaitsev"));
    let refusal = town
        .refused(
            Acting::Operator,
            day,
            admit(lab_id, zaitsev, center),
            "not_of_the_organization",
        )
        .await;
    assert!(refusal.to_string().contains("004 §8"), "{refusal}");
    let school_9 = Member::Organization(town.organization("school-9"));
    town.refused(
        Acting::Operator,
        day,
        admit(lab_id, school_9, center),
        "not_of_the_organization",
    )
    .await;
    town.admit_by_order(lab_id, &["gilmanova", "orlova"], center, day)
        .await;
    caught_up(&town).await;
    let hierarchy = answer(&town, QueryKind::Hierarchy, day).await;
    assert_eq!(cell(&hierarchy, "members"), [&Value::from(2)]);
}

/// 004 §8: «рабочие группы педагогов – это временные объединения педагогов, которые
/// создаются для выполнения общих заданий» — created with the last day of its term and its
/// task; after that day it admits no one and holds no meeting; its members and head serve
/// until then, and the structure as of any later date shows it ended (as of earlier dates,
/// as it was).
async fn a_working_group_ends_with_its_term_004_8(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    let on = date(2024, 9, 2);
    let center = town.order("center", "40", on, "О рабочей группе").await;
    let group = (Level::City, AssociationKind::WorkingGroup);
    let refusal = town
        .refused(
            Acting::Operator,
            on,
            Command::CreateAssociation(create(&town, "group", group, None, center)),
            "term_required",
        )
        .await;
    assert!(refusal.to_string().contains("004 §8"), "{refusal}");
    // A methodical association is not temporary: no term is given to it.
    let mut standing = create(
        &town,
        "gmo",
        (Level::City, AssociationKind::MethodicalAssociation),
        None,
        center,
    );
    standing.ends_on = Some(date(2024, 12, 20));
    town.refused(
        Acting::Operator,
        on,
        Command::CreateAssociation(standing),
        "term_not_provided",
    )
    .await;
    let mut command = create(&town, "group", group, None, center);
    command.ends_on = Some(date(2024, 12, 20));
    command.task = Some("Подготовить задания муниципального конкурса «Педагог года»".into());
    let group_id = command.association;
    town.op(on, Command::CreateAssociation(command)).await;
    town.admit_by_order(group_id, &["gilmanova", "zaitsev"], center, on)
        .await;
    town.op(on, appoint(group_id, town.person("sokolova"), center))
        .await;
    town.hold_meeting(
        "sokolova",
        "group-1",
        group_id,
        date(2024, 12, 20),
        &["gilmanova", "zaitsev"],
        vec![decided(
            "Итоги работы группы",
            "Задания переданы в Управление",
        )],
    )
    .await;
    let after = date(2024, 12, 21);
    let orlova = Member::Person(town.person("orlova"));
    let refusal = town
        .refused(
            Acting::Operator,
            after,
            admit(group_id, orlova, center),
            "association_term_ended",
        )
        .await;
    assert!(refusal.to_string().contains("004 §8"), "{refusal}");
    let attendance = vec![town.person("gilmanova"), town.person("zaitsev")];
    town.refused_by(
        "sokolova",
        after,
        Command::HoldMeeting(HoldMeeting {
            meeting: town.meeting_id("group-2"),
            association: group_id,
            attendance,
            questions: vec![decided("Ещё вопрос", "Решено")],
            recommendations: vec![],
        }),
        "association_term_ended",
    )
    .await;
    caught_up(&town).await;
    let during = answer(&town, QueryKind::Hierarchy, date(2024, 12, 20)).await;
    assert_eq!(cell(&during, "members"), [&Value::from(2)]);
    assert_eq!(
        cell(&during, "head"),
        [&Value::from("Соколова Анна Петровна")]
    );
    let ended = answer(&town, QueryKind::Hierarchy, after).await;
    assert!(ended.rows.is_empty(), "{:?}", ended.rows);
}

/// 004 §8–§9: a teacher's individual programme is recorded by the administration of the
/// organization they work at (its director or a deputy head) — not by the teacher, nor by
/// another school's deputy — once a school year; the methodical center's official coordinates
/// it, no one else. `query programmes` lists every teacher with their programme and whether
/// and when it was coordinated, as of any date.
async fn individual_programmes_are_recorded_by_the_school_and_coordinated_by_the_center_004_8_9(
    backend: Backend,
) {
    let mut town = pervouralsk(backend).await;
    let year_2024 = year("2024/25");
    let record = |town: &Town, who: &str, title: &str| {
        Command::RecordIndividualProgramme(RecordIndividualProgramme {
            person: town.person(who),
            school_year: year_2024,
            title: title.into(),
        })
    };
    let title = "Формирующее оценивание на уроках математики";
    let day = date(2024, 9, 20);
    let own = record(&town, "gilmanova", title);
    let refusal = town
        .refused_by(
            "gilmanova",
            day,
            own.clone(),
            "programme_recorder_not_authorized",
        )
        .await;
    assert!(refusal.to_string().contains("004 §8, §9"), "{refusal}");
    town.refused_by(
        "belova",
        day,
        own.clone(),
        "programme_recorder_not_authorized",
    )
    .await;
    let recorded = town.by("akhakhlina", day, own.clone()).await;
    assert!(recorded.events[0]
        .payload
        .contains(&town.organization("school-7").to_string()));
    town.refused_by("morozov", day, own, "already_exists").await;
    town.by(
        "belova",
        day,
        record(&town, "zaitsev", "Проектная деятельность на уроках физики"),
    )
    .await;
    let coordinate = |town: &Town, who: &str| {
        Command::CoordinateIndividualProgramme(CoordinateIndividualProgramme {
            person: town.person(who),
            school_year: year_2024,
            note: None,
        })
    };
    let later = date(2024, 10, 5);
    town.refused_by(
        "akhakhlina",
        later,
        coordinate(&town, "gilmanova"),
        "not_authorized",
    )
    .await;
    town.refused_by(
        "sokolova",
        later,
        coordinate(&town, "orlova"),
        "programme_not_recorded",
    )
    .await;
    town.by("sokolova", later, coordinate(&town, "gilmanova"))
        .await;
    town.refused_by(
        "sokolova",
        later,
        coordinate(&town, "gilmanova"),
        "already_exists",
    )
    .await;
    caught_up(&town).await;
    let before = answer(&town, QueryKind::Programmes, date(2024, 10, 1)).await;
    assert!(before.profile_has_rule);
    assert_eq!(
        cell(&before, "person"),
        [
            &Value::from("Гильманова Ирина Валерьевна"),
            &Value::from("Орлова Мария Андреевна"),
            &Value::from("Зайцев Пётр Ильич"),
        ]
    );
    assert_eq!(
        cell(&before, "status"),
        [
            &Value::from("не согласована"),
            &Value::from("нет программы"),
            &Value::from("не согласована"),
        ]
    );
    let after = answer(&town, QueryKind::Programmes, date(2024, 10, 6)).await;
    assert_eq!(cell(&after, "status")[0], &Value::from("согласована"));
    assert_eq!(
        cell(&after, "coordinated_on")[0],
        &Value::from("2024-10-05")
    );
    assert_eq!(cell(&after, "title")[0], &Value::from(title));
    assert_eq!(
        cell(&after, "organization"),
        [
            &Value::from("МАОУ СОШ № 7"),
            &Value::from("МАОУ СОШ № 7"),
            &Value::from("МАОУ СОШ № 9"),
        ]
    );
    // The next school year's programmes are its own: nobody has one yet.
    let next = answer(&town, QueryKind::Programmes, date(2025, 9, 2)).await;
    assert!(cell(&next, "status")
        .iter()
        .all(|s| *s == &Value::from("нет программы")));
}

/// 004 §10: the monitoring of the effectiveness of methodical work under the road map of the
/// municipal system of quality assessment — recorded for a school year by the methodical
/// center (or the Управление), citing the order that approved the road map, with findings;
/// no deadline and no indicators. `query monitoring` lists them per school year, and the
/// school years with none.
async fn a_monitoring_is_recorded_under_the_road_map_004_10(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    let road_map = town
        .order(
            "uo",
            "412",
            date(2024, 8, 30),
            "Об утверждении дорожной карты по развитию муниципальной системы оценки качества образования",
        )
        .await;
    let municipality = town.municipality;
    let monitoring = |findings: &str| {
        Command::RecordEffectivenessMonitoring(RecordEffectivenessMonitoring {
            municipality,
            school_year: year("2024/25"),
            road_map_order: road_map,
            findings: findings.into(),
        })
    };
    let day = date(2025, 6, 10);
    let findings = "Во всех школах действуют ШМО; программы согласованы у 80 % педагогов";
    town.refused_by("akhakhlina", day, monitoring(findings), "not_authorized")
        .await;
    town.refused_by("sokolova", day, monitoring(" "), "invalid_text")
        .await;
    let recorded = town.by("sokolova", day, monitoring(findings)).await;
    assert!(recorded.events[0]
        .payload
        .contains("\"road_map_number\":\"412\""));
    caught_up(&town).await;
    // From the school year the municipality was registered in (on 1 Aug 2024: 2023/24).
    let report = answer(&town, QueryKind::Monitoring, date(2025, 9, 15)).await;
    assert_eq!(
        cell(&report, "school_year"),
        [
            &Value::from("2023/24"),
            &Value::from("2024/25"),
            &Value::from("2025/26")
        ]
    );
    assert_eq!(
        cell(&report, "status"),
        [
            &Value::from("мониторинг не записан"),
            &Value::from("проведён"),
            &Value::from("мониторинг не записан")
        ]
    );
    assert_eq!(
        cell(&report, "road_map")[1],
        &Value::from("№ 412 от 30.08.2024")
    );
    assert_eq!(cell(&report, "findings")[1], &Value::from(findings));
    assert_eq!(cell(&report, "clause")[1], &Value::from("004 §10"));
    // Before it was recorded the year had none.
    let earlier = answer(&town, QueryKind::Monitoring, date(2025, 6, 1)).await;
    assert_eq!(
        cell(&earlier, "status"),
        [
            &Value::from("мониторинг не записан"),
            &Value::from("мониторинг не записан")
        ]
    );
}

/// Only Pervouralsk's profile has programmes and a monitoring: elsewhere the commands are
/// refused citing the profile, and the questions answer that the profile has no rule.
async fn other_profiles_have_no_programmes_nor_monitoring_004_8_10(backend: Backend) {
    let mut town = Town::new(backend, "novosibirsk", "г. Новосибирск").await;
    town.organization_in("school", "МБОУ СОШ № 1", OrganizationKind::School, None)
        .await;
    town.teacher(
        "teacher",
        "Иванова Анна Ивановна",
        "school",
        PositionKind::Teacher,
        None,
        date(2010, 9, 1),
    )
    .await;
    let person = town.person("teacher");
    let refusal = town
        .refused(
            Acting::Operator,
            date(2024, 9, 20),
            Command::RecordIndividualProgramme(RecordIndividualProgramme {
                person,
                school_year: year("2024/25"),
                title: "Программа".into(),
            }),
            "programmes_not_provided",
        )
        .await;
    assert!(refusal.to_string().contains("novosibirsk"), "{refusal}");
    let municipality = town.municipality;
    town.refused(
        Acting::Operator,
        date(2025, 6, 10),
        Command::RecordEffectivenessMonitoring(RecordEffectivenessMonitoring {
            municipality,
            school_year: year("2024/25"),
            road_map_order: OrderId::derived("nowhere", "1"),
            findings: "Выводы".into(),
        }),
        "monitoring_not_provided",
    )
    .await;
    caught_up(&town).await;
    for kind in [QueryKind::Programmes, QueryKind::Monitoring] {
        let report = answer(&town, kind, date(2025, 6, 10)).await;
        assert!(!report.profile_has_rule, "{kind}");
        assert!(report.rows.is_empty(), "{kind}");
    }
}

/// A school association stands where its school stands: its district is its school's. A
/// municipality that keeps its documentation for a period (here Pervouralsk's profile with
/// Novokuznetsk's three years written in, as a municipality may write its own profile)
/// finds a school association's protocol under the school's district, and by it.
async fn a_school_associations_documentation_is_found_by_its_schools_district(backend: Backend) {
    let mut town = pervouralsk(backend).await;
    town.district("north", "Северный район").await;
    town.organization_in(
        "school-12",
        "МАОУ СОШ № 12",
        OrganizationKind::School,
        Some("north"),
    )
    .await;
    town.body_of(
        "admin-12",
        BodyKind::OrganizationAdministration,
        "Администрация МАОУ СОШ № 12",
        None,
        Some("school-12"),
    )
    .await;
    town.teacher(
        "lebedeva",
        "Лебедева Нина Павловна",
        "school-12",
        PositionKind::DeputyHead,
        None,
        date(2010, 9, 1),
    )
    .await;
    let on = date(2024, 8, 28);
    let own = town.order("admin-12", "7", on, "О ШМО").await;
    let school = (Level::School, AssociationKind::MethodicalAssociation);
    let shmo = create(&town, "shmo-12", school, Some("school-12"), own);
    let shmo_id = shmo.association;
    town.op(on, Command::CreateAssociation(shmo)).await;
    let day = date(2024, 9, 2);
    let heads = town.order("admin-12", "8", day, "О руководителе ШМО").await;
    town.admit_by_order(shmo_id, &["lebedeva"], own, day).await;
    town.op(day, appoint(shmo_id, town.person("lebedeva"), heads))
        .await;
    let held = date(2024, 10, 15);
    let meeting = town
        .hold_meeting(
            "lebedeva",
            "shmo-12-1",
            shmo_id,
            held,
            &["lebedeva"],
            vec![decided("План работы ШМО", "Утвердить")],
        )
        .await;
    town.protocol("lebedeva", "lebedeva", meeting, "1", held)
        .await;
    caught_up(&town).await;
    let mut profile = ProfileSet::built_in()
        .expect("profiles")
        .get("pervouralsk")
        .expect("profile")
        .clone();
    profile.retention = Some(RetentionRule {
        years: 3,
        clause: Clause::parse("000 §4.8, §10.6").expect("a clause"),
    });
    let ask = |district: Option<&str>| {
        let question = Question {
            at: TimePoint {
                as_of: date(2024, 11, 1),
                known_at: None,
            },
            profile: &profile,
            filters: Filters {
                district: district.map(str::to_string),
                subject: None,
            },
        };
        let store = town.store.clone();
        async move {
            queries::run(store.as_ref(), QueryKind::Retention, &question)
                .await
                .expect("the query runs")
        }
    };
    let all = ask(None).await;
    assert_eq!(
        cell(&all, "title"),
        [&Value::from("Протокол № 1 от 2024-10-15")]
    );
    assert_eq!(cell(&all, "district"), [&Value::from("Северный район")]);
    let north = ask(Some("Северный район")).await;
    assert_eq!(north.rows, all.rows);
}

store::on_every_backend!(
    a_school_association_is_created_by_its_own_administration_004_7,
    school_head_is_its_directors_or_deputys_and_city_head_the_centers_004_7,
    a_creative_lab_unites_the_teachers_of_one_organization_004_8,
    a_working_group_ends_with_its_term_004_8,
    individual_programmes_are_recorded_by_the_school_and_coordinated_by_the_center_004_8_9,
    a_monitoring_is_recorded_under_the_road_map_004_10,
    other_profiles_have_no_programmes_nor_monitoring_004_8_10,
    a_school_associations_documentation_is_found_by_its_schools_district,
);
