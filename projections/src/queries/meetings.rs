//! Too few meetings: associations that held fewer in the school year than the profile asks.

use std::collections::HashMap;

use serde_json::json;

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// Associations that held fewer meetings in the school year of the date than the profile
/// requires (000 §4.4, §10.1: 4; 003 §7.6: 3), counting meetings held up to the date.
pub async fn meetings(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
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
        let needs = Needs {
            registry: true,
            ..Needs::default()
        };
        let mut snapshot = Snapshot::load(store, question.at, needs).await?;
        // A meeting of the year began (was scheduled or held) within it.
        snapshot
            .load_meetings_since(store, year.first_day())
            .await?;
        let mut held: HashMap<AssociationId, u32> = HashMap::new();
        for meeting in &snapshot.meetings {
            if meeting.held() && meeting.school_year == Some(year) {
                *held.entry(meeting.association).or_default() += 1;
            }
        }
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
