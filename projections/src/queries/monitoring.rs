//! Monitorings of the effectiveness of methodical work (004 §10), per school year from the
//! one the municipality was registered in to the date's: each monitoring recorded, with the
//! road map it followed and its findings, and the school years with none. The seed sets no
//! deadline and no indicators: a year without one is said to have none, not to be late.

use serde_json::json;

use domain::calendar::SchoolYear;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::kind;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// The monitorings by school year, and the school years without one.
pub async fn monitoring(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    if let Some(rule) = &profile.monitoring {
        rules.push(RuleApplied {
            clause: rule.clause.to_string(),
            rule: format!(
                "мониторинг эффективности методической работы — в соответствии с дорожной картой муниципальной системы оценки качества образования; проводит: {}; сроки и показатели не установлены",
                rule.carried_out_by
                    .iter()
                    .map(|b| b.in_russian())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        let needs = Needs {
            methodical_work: true,
            ..Needs::default()
        };
        let snapshot = Snapshot::load(store, question.at, needs).await?;
        let registered = store
            .facts_at(&[kind::MUNICIPALITY], question.at)
            .await?
            .iter()
            .map(|r| r.valid_from)
            .min();
        let last = SchoolYear::containing(question.at.as_of);
        let mut year = registered.map_or(last, SchoolYear::containing);
        let clause = rule.clause.to_string();
        while year <= last {
            let mut of_year: Vec<_> = snapshot
                .monitorings
                .iter()
                .filter(|m| m.school_year == year)
                .collect();
            of_year.sort_by_key(|m| (m.recorded_on, m.road_map_number.clone()));
            if of_year.is_empty() {
                rows.push(row(vec![
                    ("school_year", json!(year.to_string())),
                    ("status", json!("мониторинг не записан")),
                    ("recorded_on", json!(null)),
                    ("road_map", json!(null)),
                    ("findings", json!(null)),
                    ("clause", json!(clause)),
                ]));
            }
            for m in of_year {
                rows.push(row(vec![
                    ("school_year", json!(year.to_string())),
                    ("status", json!("проведён")),
                    ("recorded_on", json!(m.recorded_on)),
                    (
                        "road_map",
                        json!(format!(
                            "№ {} от {}",
                            m.road_map_number,
                            m.road_map_date.format("%d.%m.%Y")
                        )),
                    ),
                    ("findings", json!(m.findings)),
                    ("clause", json!(clause)),
                ]));
            }
            year = year.next();
        }
    }
    Ok(report(
        QueryKind::Monitoring,
        "Мониторинг эффективности методической работы",
        question,
        rules,
        columns(&[
            ("school_year", "Учебный год"),
            ("status", "Мониторинг"),
            ("recorded_on", "Записан"),
            ("road_map", "Дорожная карта (приказ)"),
            ("findings", "Выводы"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}
