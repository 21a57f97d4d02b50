//! Too few meetings: associations that held fewer in the school year than the profile asks —
//! a fixed minimum (000 §4.4, §10.1; 003 §7.6), or the number the association's approved plan
//! sets (002 §5.9: the road map), with its network events.

use std::collections::HashMap;

use serde_json::json;

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use domain::values::DocumentType;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::{DocumentFact, DocumentPhase};
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// Associations that held fewer meetings in the school year of the date than the profile
/// requires (000 §4.4, §10.1: 4; 003 §7.6: 3), counting meetings held up to the date; where
/// a document sets the number (002 §5.9), against the number it plans.
pub async fn meetings(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    if let Some(plan) = profile.meetings.planned_by {
        return against_plan(store, question, plan).await;
    }
    let year = SchoolYear::containing(question.at.as_of);
    let rules = vec![RuleApplied {
        clause: profile.meetings.min_clause.to_string(),
        rule: match profile.meetings.min_per_school_year {
            Some(n) => format!("не менее {n} заседаний в учебном году"),
            None => "число заседаний определяет план работы".into(),
        },
    }];
    let mut rows = Vec::new();
    if let Some(required) = profile.meetings.min_per_school_year {
        let needs = Needs::default();
        let snapshot = year_snapshot(store, question, needs, year).await?;
        let held = held_in(&snapshot, year);
        let year_over = question.at.as_of >= year.last_day();
        for association in question.associations(&snapshot) {
            let count = held.get(&association.association).copied().unwrap_or(0);
            if count < required {
                rows.push(row(vec![
                    ("association", json!(association.association)),
                    ("title", json!(association.title)),
                    ("level", json!(association.level.in_russian())),
                    (
                        "district",
                        json!(snapshot.district_title(snapshot.district_of(association))),
                    ),
                    ("school_year", json!(year.to_string())),
                    ("held", json!(count)),
                    ("required", json!(required)),
                    ("shortfall", json!(required - count)),
                    ("year_over", json!(year_over)),
                    ("clause", json!(profile.meetings.min_clause.to_string())),
                ]));
            }
        }
    }
    Ok(report(
        QueryKind::Meetings,
        "Объединения, проведшие меньше заседаний, чем требует положение",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("level", "Уровень"),
            ("district", "Район"),
            ("school_year", "Учебный год"),
            ("held", "Проведено"),
            ("required", "Требуется"),
            ("shortfall", "Не хватает"),
            ("year_over", "Год завершён"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

/// The facts at the question's point, with the meetings of `year`.
async fn year_snapshot(
    store: &dyn MetodStore,
    question: &Question<'_>,
    needs: Needs,
    year: SchoolYear,
) -> Result<Snapshot, ProjectionError> {
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    snapshot.load_organizations_placing(store).await?;
    // A meeting of the year began (was scheduled or held) within it.
    snapshot
        .load_meetings_since(store, year.first_day())
        .await?;
    Ok(snapshot)
}

/// The meetings each association held in `year`, up to the snapshot's date.
fn held_in(snapshot: &Snapshot, year: SchoolYear) -> HashMap<AssociationId, u32> {
    let mut held: HashMap<AssociationId, u32> = HashMap::new();
    for meeting in &snapshot.meetings {
        if meeting.held() && meeting.school_year == Some(year) {
            *held.entry(meeting.association).or_default() += 1;
        }
    }
    held
}

/// A document in force: approved, or recorded where its chain is empty.
fn in_force(document: &DocumentFact) -> bool {
    matches!(
        document.phase,
        DocumentPhase::Approved | DocumentPhase::Recorded
    )
}

/// 002 §5.9: «Периодичность заседаний ГМО и иных сетевых событий определяется дорожной
/// картой». Each association's meetings held in the school year of the date are compared
/// with the number its plan of that year (`plan`: the road map) sets — the plan in force on
/// the date, as known then; of several, the one that came into force last — and, where the
/// plan sets them too, its network events, counted by their reports (002 §5.11) submitted and
/// not rejected. Listed: those that held fewer than planned of either, and those with no plan
/// in force, or a plan that gives no number (recorded before plans gave one).
async fn against_plan(
    store: &dyn MetodStore,
    question: &Question<'_>,
    plan: DocumentType,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let clause = profile.meetings.min_clause.to_string();
    let with_events = profile.meetings.planned_network_events;
    let year = SchoolYear::containing(question.at.as_of);
    let needs = Needs {
        documents: true,
        ..Needs::default()
    };
    let snapshot = year_snapshot(store, question, needs, year).await?;
    let held = held_in(&snapshot, year);
    let mut plans: HashMap<AssociationId, &DocumentFact> = HashMap::new();
    let mut drafts: HashMap<AssociationId, &DocumentFact> = HashMap::new();
    let mut reported: HashMap<AssociationId, u32> = HashMap::new();
    for document in &snapshot.documents {
        if document.school_year != year {
            continue;
        }
        if document.document_type == plan {
            let slot = if in_force(document) {
                &mut plans
            } else {
                &mut drafts
            };
            let kept = slot.entry(document.association).or_insert(document);
            let key = |d: &DocumentFact| (d.since, d.version, d.document);
            if key(document) > key(kept) {
                *kept = document;
            }
        }
        if document.document_type == DocumentType::NetworkEventReport
            && document.version > 0
            && document.phase != DocumentPhase::Rejected
        {
            *reported.entry(document.association).or_default() += 1;
        }
    }
    let year_over = question.at.as_of >= year.last_day();
    let mut rows = Vec::new();
    for association in question.associations(&snapshot) {
        let id = association.association;
        let count = held.get(&id).copied().unwrap_or(0);
        let events = reported.get(&id).copied().unwrap_or(0);
        let adopted = plans.get(&id).copied();
        let planned = adopted.and_then(|d| d.planned_meetings);
        let events_planned = adopted
            .and_then(|d| d.planned_network_events)
            .filter(|_| with_events);
        let short = |done: u32, planned: Option<u32>| planned.map(|n| n.saturating_sub(done));
        let (shortfall, events_shortfall) = (short(count, planned), short(events, events_planned));
        let state = match (adopted, drafts.get(&id)) {
            (Some(d), _) if planned.is_none() => format!(
                "{}, версия {}; число заседаний в нём не указано",
                d.phase.in_russian(),
                d.version
            ),
            (Some(d), _) => format!("{}, версия {}", d.phase.in_russian(), d.version),
            (None, Some(d)) => format!("не утверждён: {}", d.phase.in_russian()),
            (None, None) => "нет".to_string(),
        };
        let behind = shortfall.is_none_or(|n| n > 0) || events_shortfall.is_some_and(|n| n > 0);
        if !behind {
            continue;
        }
        let mut cells = vec![
            ("association", json!(id)),
            ("title", json!(association.title)),
            ("level", json!(association.level.in_russian())),
            (
                "district",
                json!(snapshot.district_title(snapshot.district_of(association))),
            ),
            ("school_year", json!(year.to_string())),
            ("plan", json!(adopted.map(|d| d.document))),
            ("plan_state", json!(state)),
            ("held", json!(count)),
            ("planned", json!(planned)),
            ("shortfall", json!(shortfall)),
        ];
        if with_events {
            cells.extend([
                ("network_events", json!(events)),
                ("network_events_planned", json!(events_planned)),
                ("network_events_shortfall", json!(events_shortfall)),
            ]);
        }
        cells.extend([("year_over", json!(year_over)), ("clause", json!(clause))]);
        rows.push(row(cells));
    }
    let what = if with_events {
        "число заседаний и сетевых событий"
    } else {
        "число заседаний"
    };
    let rules = vec![RuleApplied {
        clause: clause.clone(),
        rule: format!(
            "{what} за учебный год устанавливает документ «{}»: проведённые сравниваются с числом в утверждённой версии",
            plan.in_russian()
        ),
    }];
    let mut list = vec![
        ("title", "Объединение"),
        ("level", "Уровень"),
        ("district", "Район"),
        ("school_year", "Учебный год"),
        ("plan_state", "План на год"),
        ("held", "Заседаний проведено"),
        ("planned", "Заседаний запланировано"),
        ("shortfall", "Заседаний не хватает"),
    ];
    if with_events {
        list.extend([
            ("network_events", "Сетевых событий (отчётов)"),
            ("network_events_planned", "Сетевых событий запланировано"),
            ("network_events_shortfall", "Сетевых событий не хватает"),
        ]);
    }
    list.extend([("year_over", "Год завершён"), ("clause", "Пункт")]);
    Ok(report(
        QueryKind::Meetings,
        &format!(
            "Объединения, проведшие меньше заседаний{}, чем запланировано в утверждённом документе «{}», и объединения без него",
            if with_events { " и сетевых событий" } else { "" },
            plan.in_russian()
        ),
        question,
        rules,
        columns(&list),
        rows,
    ))
}
