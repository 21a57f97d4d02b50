//! Kuznetsk's ММО unites all the teachers of its subject in the city (001 §1.3: «ММО
//! объединяет на территории города Кузнецка всех педагогов … преподающих один предмет»), on a
//! real store (SQLite file and PostgreSQL): nobody is admitted, the registry makes the
//! composition, and the answers — the hierarchy's member count, the indicators' denominators
//! (§4.1.2–4.1.3) — count every teacher of the subject at an educational organization of the
//! city on the date asked, as known at the moment asked.
//!
//! The town: an ММО of history created on 9 Sep 2024; four teachers of history and one of
//! mathematics at school № 5, registered on 1 Aug 2024. One teacher of history is dismissed
//! on 1 Nov 2024, entered on 15 Nov; another moves to the Управление (a municipal institution,
//! not an educational organization) on 10 Jan 2025.

mod scenario_support;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use domain::commands::{DismissPerson, RecordDevelopment, TransferPerson};
use domain::ids::AssociationId;
use domain::values::{DevelopmentMilestone, Level, PositionKind};
use domain::Command;
use projections::queries::{self, Filters, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

struct History {
    town: Town,
    mmo: AssociationId,
}

/// The town described at the top, with the read models caught up.
async fn history(backend: Backend) -> History {
    let mut town = Town::kuznetsk(backend).await;
    for (key, name) in [
        ("stays", "Борисова Людмила Алексеевна"),
        ("diagnosed", "Фадеев Сергей Андреевич"),
        ("dismissed", "Алексеева Нина Олеговна"),
        ("moves", "Гусев Артём Романович"),
    ] {
        town.teacher_of(key, name, "история", None, date(2015, 9, 1))
            .await;
    }
    town.teacher_of(
        "maths",
        "Зуев Максим Андреевич",
        "математика",
        None,
        date(2015, 9, 1),
    )
    .await;
    let order = town
        .order("uo", "157", date(2024, 9, 9), "О создании ММО")
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
    // A member by the registry: a step of growth is recorded, no admission before it.
    let diagnosed = town.person("diagnosed");
    town.op(
        date(2024, 10, 10),
        Command::RecordDevelopment(RecordDevelopment {
            association: mmo,
            person: diagnosed,
            school_year: year("2024/25"),
            milestone: DevelopmentMilestone::Diagnostics,
        }),
    )
    .await;
    town.recording_day = Some(date(2024, 11, 15));
    let dismissed = town.person("dismissed");
    town.op(
        date(2024, 11, 1),
        Command::DismissPerson(DismissPerson {
            person: dismissed,
            reason: "увольнение по собственному желанию".into(),
        }),
    )
    .await;
    town.recording_day = None;
    let moves = town.person("moves");
    let uo = town.organization("uo");
    town.op(
        date(2025, 1, 10),
        Command::TransferPerson(TransferPerson {
            person: moves,
            organization: uo,
            position_kind: PositionKind::Official,
            position_title: "специалист управления образования".into(),
        }),
    )
    .await;
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
    History { town, mmo }
}

/// `query name` of Kuznetsk on `as_of`, as known at 23:00 of `known_at` (None: now).
async fn ask(town: &Town, name: &str, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Report {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("kuznetsk").expect("profile");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: known_at
                .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
        },
        profile,
        filters: Filters::default(),
    };
    queries::run(
        town.store.as_ref(),
        name.parse().expect("a query"),
        &question,
    )
    .await
    .expect("the query runs")
}

/// The ММО's member count in the hierarchy.
async fn members(history: &History, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Value {
    let report = ask(&history.town, "hierarchy", as_of, known_at).await;
    report
        .rows
        .iter()
        .find(|row| row["association"] == json!(history.mmo))
        .map(|row| row["members"].clone())
        .expect("the ММО's row")
}

/// The diagnostics share (001 §4.1.2) of the ММО: numerator, denominator.
async fn diagnostics(history: &History, as_of: NaiveDate) -> (Value, Value) {
    let report = ask(&history.town, "indicators", as_of, None).await;
    report
        .rows
        .iter()
        .find(|row| row["indicator"] == "diagnostics_share" && row["scope"] == "объединение")
        .map(|row| (row["numerator"].clone(), row["denominator"].clone()))
        .expect("the ММО's diagnostics row")
}

/// Given the town, when the hierarchy is asked on 1 Oct, then the ММО has the four teachers
/// of history — none of them admitted — and not the teacher of mathematics.
async fn the_mmo_has_every_teacher_of_its_subject_without_admission_001_1_3(backend: Backend) {
    let history = history(backend).await;
    assert_eq!(members(&history, date(2024, 10, 1), None).await, json!(4));
    let admissions = history.town.counts().await;
    assert_eq!(admissions.get("MemberAdmitted"), None);
    // Before the ММО was created it had no members: it did not exist.
    let before = ask(&history.town, "hierarchy", date(2024, 9, 1), None).await;
    assert!(before
        .rows
        .iter()
        .all(|row| row["association"] != json!(history.mmo)));
}

/// When a teacher is dismissed (1 Nov) and another leaves for the Управление (10 Jan), then
/// each stops being a member that day; asked as known before the dismissal was entered
/// (10 Nov), the count is the one the department knew then.
async fn a_dismissed_or_transferred_teacher_is_a_member_no_more_001_1_3(backend: Backend) {
    let history = history(backend).await;
    assert_eq!(members(&history, date(2024, 10, 31), None).await, json!(4));
    assert_eq!(members(&history, date(2024, 11, 1), None).await, json!(3));
    assert_eq!(
        members(&history, date(2024, 11, 5), Some(date(2024, 11, 10))).await,
        json!(4)
    );
    assert_eq!(members(&history, date(2025, 1, 9), None).await, json!(3));
    assert_eq!(members(&history, date(2025, 1, 10), None).await, json!(2));
}

/// When the indicators are asked, then the shares of §4.1.2 are over all the teachers of the
/// subject on the date: 1 diagnosed of 4 in October, of 3 after the dismissal, of 2 after
/// the move.
async fn the_indicators_count_over_all_teachers_of_the_subject_001_1_3(backend: Backend) {
    let history = history(backend).await;
    assert_eq!(
        diagnostics(&history, date(2024, 10, 15)).await,
        (json!(1), json!(4))
    );
    assert_eq!(
        diagnostics(&history, date(2024, 12, 1)).await,
        (json!(1), json!(3))
    );
    assert_eq!(
        diagnostics(&history, date(2025, 2, 1)).await,
        (json!(1), json!(2))
    );
}

store::on_every_backend!(
    the_mmo_has_every_teacher_of_its_subject_without_admission_001_1_3,
    a_dismissed_or_transferred_teacher_is_a_member_no_more_001_1_3,
    the_indicators_count_over_all_teachers_of_the_subject_001_1_3,
);
