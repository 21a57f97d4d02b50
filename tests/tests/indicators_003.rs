//! Novosibirsk's effectiveness indicators (003 §VI) through `query indicators`, on a real
//! store (SQLite file and PostgreSQL). The three the log holds what they need for — a stable
//! structure (§6.2), the members' activity at meetings (§6.5), the regularity of the year's
//! meetings (§6.6) — are worked out here from what the town recorded; the seven it does not
//! are listed with the reason and no figure.
//!
//! The town (Lenin district): chemistry, created before the school year 2024/25 began, with
//! its head and secretary elected on 10 Sep and its curator appointed by order of 12 Sep
//! (entered on 20 Sep), meeting four times; biology, created on 1 Oct, with its head,
//! secretary and curator from October, meeting twice. The meetings and who was present at each are the
//! tables below, from which both the town and the expected figures are made.

mod scenario_support;

use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};

use domain::commands::{AppointCurator, ElectHead, ElectSecretary, ReorganizeAssociation};
use domain::ids::AssociationId;
use domain::values::{AssociationKind, CategoryLevel, Level, PositionKind};
use domain::Command;
use projections::queries::{self, Filters, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

/// A meeting: its key, its day, who was present. The first one elects the head and the
/// secretary.
type Meeting = (&'static str, (i32, u32, u32), &'static [&'static str]);

const CHEMISTRY_MEMBERS: [&str; 3] = ["h", "m1", "m2"];
const CHEMISTRY_MEETINGS: [Meeting; 4] = [
    ("chem-1", (2024, 9, 10), &["h", "m1", "m2"]),
    ("chem-2", (2024, 11, 20), &["h", "m1"]),
    ("chem-3", (2025, 2, 20), &["h", "m1", "m2"]),
    ("chem-4", (2025, 3, 15), &["h"]),
];
const BIOLOGY_MEMBERS: [&str; 4] = ["b1", "b2", "b3", "b4"];
const BIOLOGY_MEETINGS: [Meeting; 2] = [
    ("bio-1", (2024, 10, 10), &["b1", "b2", "b3"]),
    ("bio-2", (2024, 12, 12), &["b1", "b2"]),
];

/// The day the answers are asked about, after every meeting above.
fn spring() -> NaiveDate {
    date(2025, 4, 1)
}

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    date(y, m, d)
}

/// A share as the answer gives it: in percent, to a tenth.
fn percent(numerator: u64, denominator: u64) -> Value {
    json!((numerator as f64 / denominator as f64 * 1000.0).round() / 10.0)
}

struct Lenin {
    town: Town,
    chemistry: AssociationId,
}

/// Holds `meetings` of `association` (the first by a member present, who then records the
/// head's election; the head records the rest) and elects `head` and `secretary` at the first.
async fn meet(
    town: &mut Town,
    association: AssociationId,
    meetings: &[Meeting],
    (head, secretary): (&str, &str),
) {
    let (key, on, present) = meetings[0];
    let on = day(on);
    let recorder = present
        .iter()
        .find(|p| **p != head)
        .expect("a member present");
    let first = town
        .hold_meeting(
            recorder,
            key,
            association,
            on,
            present,
            vec![decided("Выборы руководителя и секретаря", "Избрать")],
        )
        .await;
    let votes = present.len() as u32;
    let vote = town.vote(first, present, votes, 0, 0);
    let person = town.person(head);
    town.by(
        recorder,
        on,
        Command::ElectHead(ElectHead {
            association,
            person,
            school_year: year("2024/25"),
            vote: vote.clone(),
        }),
    )
    .await;
    let person = town.person(secretary);
    town.by(
        head,
        on,
        Command::ElectSecretary(ElectSecretary {
            association,
            person,
            school_year: year("2024/25"),
            vote,
        }),
    )
    .await;
    for (key, on, present) in &meetings[1..] {
        town.hold_meeting(
            head,
            key,
            association,
            day(*on),
            present,
            vec![decided("О ходе работы", "Принять к сведению")],
        )
        .await;
    }
}

/// The town described at the top, with the read models caught up.
async fn lenin(backend: Backend) -> Lenin {
    let mut town = Town::novosibirsk(backend).await;
    town.teacher(
        "methodist",
        "Склянова Наталья Андреевна",
        "niso",
        PositionKind::Methodist,
        Some((CategoryLevel::First, date(2016, 5, 1))),
        date(2012, 9, 1),
    )
    .await;
    let highest = Some((CategoryLevel::Highest, date(2015, 3, 1)));
    for (key, name, category) in [
        ("h", "Кащенко Елена Юрьевна", highest),
        ("m1", "Гусев Артём Романович", None),
        ("m2", "Полякова Вера Степановна", None),
        ("b1", "Дроздова Ирина Павловна", highest),
        ("b2", "Лаптев Семён Ильич", None),
        ("b3", "Рябова Ольга Николаевна", None),
        ("b4", "Зуев Максим Андреевич", None),
    ] {
        town.teacher(
            key,
            name,
            "gymnasium",
            PositionKind::Teacher,
            category,
            date(2006, 9, 1),
        )
        .await;
    }
    // Chemistry: created on 26 Aug, before the school year.
    let list = town
        .order(
            "department",
            "0615-од",
            date(2024, 8, 26),
            "О перечне и составе",
        )
        .await;
    town.creation_curating = Some(town.organization("niso"));
    let chemistry = town
        .association(
            "chem-lenin",
            "Районное МО учителей химии Ленинского района",
            "химия",
            Level::District,
            Some("lenin"),
            None,
            list,
        )
        .await;
    town.admit_by_order(chemistry, &CHEMISTRY_MEMBERS, list, date(2024, 9, 2))
        .await;
    meet(&mut town, chemistry, &CHEMISTRY_MEETINGS, ("h", "m1")).await;
    // Its curator by the order of 12 Sep, entered on 20 Sep.
    let curators = town
        .order("niso", "88", date(2024, 9, 12), "О кураторах")
        .await;
    town.recording_day = Some(date(2024, 9, 20));
    let methodist = town.person("methodist");
    town.op(
        date(2024, 9, 12),
        Command::AppointCurator(AppointCurator {
            association: chemistry,
            person: methodist,
            school_year: year("2024/25"),
            order: curators,
        }),
    )
    .await;
    town.recording_day = None;
    // Biology: created on 1 Oct, a month into the year; the same curator from 3 Oct.
    let order = town
        .order(
            "department",
            "0700-од",
            date(2024, 10, 1),
            "О создании объединения",
        )
        .await;
    town.creation_curating = Some(town.organization("niso"));
    let biology = town
        .association(
            "bio-lenin",
            "Районное МО учителей биологии Ленинского района",
            "биология",
            Level::District,
            Some("lenin"),
            None,
            order,
        )
        .await;
    town.admit_by_order(biology, &BIOLOGY_MEMBERS, order, date(2024, 10, 2))
        .await;
    meet(&mut town, biology, &BIOLOGY_MEETINGS, ("b1", "b2")).await;
    let curators = town
        .order("niso", "90", date(2024, 10, 3), "О кураторах")
        .await;
    town.op(
        date(2024, 10, 3),
        Command::AppointCurator(AppointCurator {
            association: biology,
            person: methodist,
            school_year: year("2024/25"),
            order: curators,
        }),
    )
    .await;
    catch_up(&town).await;
    Lenin { town, chemistry }
}

async fn catch_up(town: &Town) {
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
}

/// `query indicators` on `as_of`, as known at 23:00 of `known_at` (None: now).
async fn indicators(town: &Town, as_of: NaiveDate, known_at: Option<NaiveDate>) -> Report {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novosibirsk").expect("profile");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: known_at
                .map(|d| Utc.from_utc_datetime(&d.and_hms_opt(23, 0, 0).expect("hour"))),
        },
        profile,
        filters: Filters::default(),
    };
    queries::indicators(town.store.as_ref(), &question)
        .await
        .expect("the query runs")
}

/// The rows of `code`: scope, name, numerator, denominator, value, clause.
fn rows_of(report: &Report, code: &str) -> Vec<Vec<Value>> {
    report
        .rows
        .iter()
        .filter(|row| row["indicator"] == code)
        .map(|row| {
            [
                "scope",
                "name",
                "numerator",
                "denominator",
                "value",
                "clause",
            ]
            .iter()
            .map(|k| row.get(k).cloned().unwrap_or(Value::Null))
            .collect()
        })
        .collect()
}

/// The expected rows of an indicator of `clause` from its counts for chemistry and biology
/// (`None`: not there on the date): theirs, Lenin district's sum, and the municipality's —
/// the same sum, Lenin being its only district.
fn expected(
    clause: &str,
    chemistry: Option<(u64, u64)>,
    biology: Option<(u64, u64)>,
) -> Vec<Vec<Value>> {
    let row = |scope: &str, name: &str, (n, d): (u64, u64)| {
        vec![
            json!(scope),
            json!(name),
            json!(n),
            json!(d),
            percent(n, d),
            json!(clause),
        ]
    };
    let mut rows = Vec::new();
    // Biology before chemistry: the answer orders associations by subject.
    if let Some(count) = biology {
        rows.push(row(
            "объединение",
            "Районное МО учителей биологии Ленинского района",
            count,
        ));
    }
    if let Some(count) = chemistry {
        rows.push(row(
            "объединение",
            "Районное МО учителей химии Ленинского района",
            count,
        ));
    }
    let sum = [chemistry, biology]
        .into_iter()
        .flatten()
        .fold((0, 0), |(n, d), (cn, cd)| (n + cn, d + cd));
    rows.push(row("район", "Ленинский район", sum));
    rows.push(row("муниципалитет", "муниципалитет в целом", sum));
    rows
}

/// 003 §6.2 «Наличие устойчивой структуры профессиональных объединений»: an association counts
/// as one of one when it stood on the school year's first day with the subject and kind it
/// has on the date and, on the date, every role the profile fills (head §7.4, secretary §7.5,
/// curator §7.2) is held.
async fn indicator_6_2_stable_structure_share_003_6_2(backend: Backend) {
    // Given Lenin's chemistry (since 26 Aug) and biology (since 1 Oct), each with its head,
    // secretary and curator by 1 Apr.
    let Lenin {
        mut town,
        chemistry,
    } = lenin(backend).await;
    const CODE: &str = "stable_structure_share";
    // When asked on 1 Apr: chemistry is stable; biology, with every role held, began after
    // the year did.
    assert_eq!(
        rows_of(&indicators(&town, spring(), None).await, CODE),
        expected("003 §6.2", Some((1, 1)), Some((0, 1)))
    );
    // On 15 Sep the curator of 12 Sep holds office as known now, but not as known on 15 Sep:
    // her order was entered on 20 Sep.
    let september = date(2024, 9, 15);
    assert_eq!(
        rows_of(&indicators(&town, september, None).await, CODE),
        expected("003 §6.2", Some((1, 1)), None)
    );
    assert_eq!(
        rows_of(&indicators(&town, september, Some(september)).await, CODE),
        expected("003 §6.2", Some((0, 1)), None)
    );
    // When chemistry becomes a professional association (another kind) on 10 Apr, it no
    // longer has the structure it began the year with.
    let order = town
        .order(
            "department",
            "0801-од",
            date(2025, 4, 10),
            "О реорганизации",
        )
        .await;
    town.op(
        date(2025, 4, 10),
        Command::ReorganizeAssociation(ReorganizeAssociation {
            association: chemistry,
            title: None,
            subject: None,
            kind: Some(AssociationKind::ProfessionalAssociation),
            order,
        }),
    )
    .await;
    catch_up(&town).await;
    assert_eq!(
        rows_of(&indicators(&town, date(2025, 4, 15), None).await, CODE),
        expected("003 §6.2", Some((0, 1)), Some((0, 1)))
    );
}

/// 003 §6.5 «Активность педагогических работников и управленческих кадров в деятельности
/// профессионального объединения»: those present at the association's meetings held in the
/// school year up to the date, over its members on the date times those meetings.
async fn indicator_6_5_meeting_attendance_share_003_6_5(backend: Backend) {
    // Given the meetings of the tables above.
    let Lenin { town, .. } = lenin(backend).await;
    let attendance = |members: usize, meetings: &[Meeting], until: NaiveDate| {
        let held: Vec<&Meeting> = meetings.iter().filter(|m| day(m.1) <= until).collect();
        let present: usize = held.iter().map(|m| m.2.len()).sum();
        (present as u64, (members * held.len()) as u64)
    };
    // When asked on 1 Apr: chemistry 3+2+3+1 of 3×4, biology 3+2 of 4×2.
    let chemistry = attendance(CHEMISTRY_MEMBERS.len(), &CHEMISTRY_MEETINGS, spring());
    let biology = attendance(BIOLOGY_MEMBERS.len(), &BIOLOGY_MEETINGS, spring());
    assert_eq!((chemistry, biology), ((9, 12), (5, 8)));
    assert_eq!(
        rows_of(
            &indicators(&town, spring(), None).await,
            "meeting_attendance_share"
        ),
        expected("003 §6.5", Some(chemistry), Some(biology))
    );
    // On 1 Dec only the meetings held by then count: chemistry's two, biology's first.
    let december = date(2024, 12, 1);
    let chemistry = attendance(CHEMISTRY_MEMBERS.len(), &CHEMISTRY_MEETINGS, december);
    let biology = attendance(BIOLOGY_MEMBERS.len(), &BIOLOGY_MEETINGS, december);
    assert_eq!((chemistry, biology), ((5, 6), (3, 4)));
    assert_eq!(
        rows_of(
            &indicators(&town, december, None).await,
            "meeting_attendance_share"
        ),
        expected("003 §6.5", Some(chemistry), Some(biology))
    );
}

/// 003 §6.6 «Системность и регулярность проведения методических мероприятий в течение
/// учебного года»: the meetings held in the school year up to the date, at most the year's
/// minimum of §7.6 counted, over that minimum.
async fn indicator_6_6_required_meetings_held_share_003_6_6(backend: Backend) {
    // Given the meetings of the tables above, against the minimum of 3 (§7.6).
    let Lenin { town, .. } = lenin(backend).await;
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let minimum = u64::from(
        profiles
            .get("novosibirsk")
            .expect("profile")
            .meetings
            .min_per_school_year
            .expect("003 §7.6"),
    );
    assert_eq!(minimum, 3);
    let regularity = |meetings: &[Meeting], until: NaiveDate| {
        let held = meetings.iter().filter(|m| day(m.1) <= until).count() as u64;
        (held.min(minimum), minimum)
    };
    // When asked on 1 Apr: chemistry held four (three count), biology two.
    let chemistry = regularity(&CHEMISTRY_MEETINGS, spring());
    let biology = regularity(&BIOLOGY_MEETINGS, spring());
    assert_eq!((chemistry, biology), ((3, 3), (2, 3)));
    assert_eq!(
        rows_of(
            &indicators(&town, spring(), None).await,
            "required_meetings_held_share"
        ),
        expected("003 §6.6", Some(chemistry), Some(biology))
    );
    // On 1 Nov: one meeting each so far.
    let november = date(2024, 11, 1);
    let chemistry = regularity(&CHEMISTRY_MEETINGS, november);
    let biology = regularity(&BIOLOGY_MEETINGS, november);
    assert_eq!((chemistry, biology), ((1, 3), (1, 3)));
    assert_eq!(
        rows_of(
            &indicators(&town, november, None).await,
            "required_meetings_held_share"
        ),
        expected("003 §6.6", Some(chemistry), Some(biology))
    );
}

/// 003 §VI: every indicator 6.1–6.10 is in the answer — with figures where the log holds what
/// it needs, else in one row «не вычисляется по журналу» with the reason and no figure — and
/// the answer names each one's clause among its rules.
async fn every_indicator_of_section_vi_is_answered_with_figures_or_why_not_003_vi(
    backend: Backend,
) {
    let Lenin { town, .. } = lenin(backend).await;
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("novosibirsk").expect("profile");
    let report = indicators(&town, spring(), None).await;
    assert!(report.profile_has_rule);
    assert!(report.columns.iter().any(|c| c.key == "note"));
    let clauses: Vec<String> = (1..=10).map(|n| format!("003 §6.{n}")).collect();
    assert_eq!(
        report
            .rules
            .iter()
            .map(|r| r.clause.clone())
            .collect::<Vec<_>>(),
        clauses
    );
    let mut computed = Vec::new();
    for clause in &clauses {
        let indicator = profile
            .indicators
            .iter()
            .find(|i| i.clause.as_str() == clause)
            .unwrap_or_else(|| panic!("{clause}: not in the profile"));
        let rows: Vec<_> = report
            .rows
            .iter()
            .filter(|r| r["clause"] == clause.as_str())
            .collect();
        assert!(rows
            .iter()
            .all(|r| r["indicator"] == indicator.code.as_str()));
        match &indicator.not_computable {
            Some(reason) => {
                assert_eq!(rows.len(), 1, "{clause}: one row");
                let row = rows[0];
                assert_eq!(row["scope"], "показатель", "{clause}");
                assert_eq!(row["name"], indicator.title.as_str(), "{clause}");
                for figure in ["numerator", "denominator", "value"] {
                    assert_eq!(row[figure], Value::Null, "{clause}: {figure}");
                }
                assert_eq!(
                    row["note"],
                    json!(format!("не вычисляется по журналу: {reason}")),
                    "{clause}"
                );
            }
            None => {
                // Two associations, Lenin district, the municipality.
                assert_eq!(rows.len(), 4, "{clause}");
                assert!(
                    rows.iter()
                        .all(|r| r["value"].is_number() && r.get("note").is_none()),
                    "{clause}"
                );
                computed.push(clause.as_str());
            }
        }
    }
    assert_eq!(computed, ["003 §6.2", "003 §6.5", "003 §6.6"]);
    // Every row is one of the ten.
    assert!(report
        .rows
        .iter()
        .all(|r| clauses.iter().any(|c| r["clause"] == c.as_str())));
    // A district's answer still lists what the log cannot give, and no municipality row.
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let question = Question {
        at: TimePoint {
            as_of: spring(),
            known_at: None,
        },
        profile: profiles.get("novosibirsk").expect("profile"),
        filters: Filters {
            district: Some("Ленинский район".into()),
            subject: None,
        },
    };
    let lenin = queries::run(
        town.store.as_ref(),
        queries::QueryKind::Indicators,
        &question,
    )
    .await
    .expect("the query runs");
    assert!(lenin.rows.iter().all(|r| r["scope"] != "муниципалитет"));
    assert_eq!(
        lenin
            .rows
            .iter()
            .filter(|r| r["scope"] == "показатель")
            .count(),
        7
    );
}

store::on_every_backend!(
    indicator_6_2_stable_structure_share_003_6_2,
    indicator_6_5_meeting_attendance_share_003_6_5,
    indicator_6_6_required_meetings_held_share_003_6_6,
    every_indicator_of_section_vi_is_answered_with_figures_or_why_not_003_vi,
);
