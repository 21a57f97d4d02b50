//! Member databases not updated by the profile's day in the school year.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// Associations whose member database was not updated by the profile's day (000 §4.6,
/// §10.4: 1 Oct) in the school year of the date; nothing is due before that day. The year's
/// first update counts, as known at the moment asked.
pub async fn member_db(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let year = SchoolYear::containing(question.at.as_of);
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    if let Some(rule) = &profile.member_database {
        let due = year.date_of(rule.due);
        rules.push(RuleApplied {
            clause: rule.clause.to_string(),
            rule: format!(
                "банк данных членов актуализируется ежегодно до {}",
                rule.due
            ),
        });
        if question.at.as_of > due {
            let mut snapshot = Snapshot::load(store, question.at, Needs::default()).await?;
            // this year's updates, not those of every year kept
            snapshot
                .load_member_databases_since(store, year.first_day())
                .await?;
            snapshot.load_organizations_placing(store).await?;
            // The year's first update counts: a later one does not undo that it was done.
            let mut updated: HashMap<AssociationId, NaiveDate> = HashMap::new();
            for update in &snapshot.member_databases {
                if update.school_year == year {
                    updated
                        .entry(update.association)
                        .and_modify(|on| *on = (*on).min(update.updated_on))
                        .or_insert(update.updated_on);
                }
            }
            for association in question.associations(&snapshot) {
                let on = updated.get(&association.association).copied();
                if on.is_none_or(|on| on > due) {
                    rows.push(row(vec![
                        ("association", json!(association.association)),
                        ("title", json!(association.title)),
                        ("level", json!(association.level.in_russian())),
                        (
                            "district",
                            json!(snapshot.district_title(snapshot.district_of(association))),
                        ),
                        ("school_year", json!(year.to_string())),
                        ("due", json!(due)),
                        ("updated_on", json!(on)),
                        ("clause", json!(rule.clause.to_string())),
                    ]));
                }
            }
        }
    }
    Ok(report(
        QueryKind::MemberDb,
        "Банк данных членов не актуализирован в срок",
        question,
        rules,
        columns(&[
            ("title", "Объединение"),
            ("level", "Уровень"),
            ("district", "Район"),
            ("school_year", "Учебный год"),
            ("due", "Срок"),
            ("updated_on", "Актуализирован"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}
