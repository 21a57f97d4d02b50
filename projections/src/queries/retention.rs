//! The documentation an association keeps for the profile's number of years (000 §4.8,
//! §10.6: «хранится в течение трех лет»): every document of the associations asked about and
//! every protocol drafted at their meetings, with the day its keeping period ends and whether
//! that day has passed on the date asked about.
//!
//! The seed does not say from when the years count. A document belongs to a school year and
//! its documentation is complete when that year ends, so the period is read as counted from
//! the last day of the document's school year (a plan for 2024/25 is kept to 31 Aug 2028) —
//! the reading that never shortens the keeping. Nominations are the procedure of an
//! appointment, not documentation an association keeps, and are left out.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde_json::{json, Value};

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use domain::values::DocumentType;
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::{AssociationFact, MeetingPhase};
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// The last day a piece of documentation of `year` is kept, when it is kept `years` years.
pub fn kept_until(year: SchoolYear, years: u32) -> NaiveDate {
    let end = year.last_day();
    end.checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(end)
}

/// One piece of documentation: its association, what it is, its school year.
struct Kept<'s> {
    association: &'s AssociationFact,
    what: &'static str,
    title: Cow<'s, str>,
    year: SchoolYear,
}

impl Kept<'_> {
    /// The order of the answer: by school year, then association, kind and title.
    fn order(&self) -> (SchoolYear, &str, &str, &str) {
        (self.year, &self.association.title, self.what, &self.title)
    }
}

/// The documentation within and past its keeping period on the date, most overdue first.
pub async fn retention(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let today = question.at.as_of;
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    if let Some(rule) = &question.profile.retention {
        rules.push(RuleApplied {
            clause: rule.clause.to_string(),
            rule: format!(
                "документация хранится {} г. — считая с конца учебного года, к которому относится",
                rule.years
            ),
        });
        let needs = Needs {
            documents: true,
            ..Needs::default()
        };
        let mut snapshot = Snapshot::load(store, question.at, needs).await?;
        snapshot.load_every_meeting(store).await?;
        // A school association stands in its school's district.
        snapshot.load_organizations_placing(store).await?;
        let kept_by = |association| {
            snapshot
                .associations
                .get(&association)
                .filter(|a| question.keeps(&snapshot, a))
        };
        let mut kept: Vec<Kept> = Vec::new();
        for document in &snapshot.documents {
            if document.document_type == DocumentType::Nomination {
                continue;
            }
            if let Some(association) = kept_by(document.association) {
                kept.push(Kept {
                    association,
                    what: document.document_type.in_russian(),
                    title: Cow::Borrowed(&document.title),
                    year: document.school_year,
                });
            }
        }
        for meeting in &snapshot.meetings {
            let drafted = matches!(
                meeting.phase,
                MeetingPhase::ProtocolDrafted | MeetingPhase::ProtocolSigned
            );
            if !drafted {
                continue;
            }
            if let Some(association) = kept_by(meeting.association) {
                let number = meeting.protocol_number.as_deref().unwrap_or("б/н");
                kept.push(Kept {
                    association,
                    what: "протокол заседания",
                    title: Cow::Owned(format!("Протокол № {number} от {}", meeting.date)),
                    year: meeting
                        .school_year
                        .unwrap_or_else(|| SchoolYear::containing(meeting.date)),
                });
            }
        }
        // A stable sort: pieces alike in all four stay in the order they were loaded.
        kept.sort_by(|a, b| a.order().cmp(&b.order()));
        // What the rows of one school year or one association share is worked out once.
        let clause = json!(rule.clause.to_string());
        let mut of_year: Option<(SchoolYear, [Value; 3])> = None;
        let mut of_association: HashMap<AssociationId, [Value; 3]> = HashMap::new();
        for k in kept {
            let year = match &of_year {
                Some((year, values)) if *year == k.year => values,
                _ => {
                    let until = kept_until(k.year, rule.years);
                    let state = if today > until {
                        "срок хранения истёк"
                    } else {
                        "хранится"
                    };
                    let values = [json!(k.year.to_string()), json!(until), json!(state)];
                    &of_year.insert((k.year, values)).1
                }
            };
            let association = of_association
                .entry(k.association.association)
                .or_insert_with(|| {
                    [
                        json!(k.association.association),
                        json!(k.association.title),
                        json!(snapshot.district_title(snapshot.district_of(k.association))),
                    ]
                });
            let [school_year, until, state] = year.clone();
            let [id, title, district] = association.clone();
            rows.push(row(vec![
                ("association", id),
                ("association_title", title),
                ("district", district),
                ("what", json!(k.what)),
                ("title", json!(k.title)),
                ("school_year", school_year),
                ("kept_until", until),
                ("state", state),
                ("clause", clause.clone()),
            ]));
        }
    }
    Ok(report(
        QueryKind::Retention,
        "Сроки хранения документации",
        question,
        rules,
        columns(&[
            ("association_title", "Объединение"),
            ("district", "Район"),
            ("what", "Вид"),
            ("title", "Документ"),
            ("school_year", "Учебный год"),
            ("kept_until", "Хранится до"),
            ("state", "Состояние"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_year_is_kept_to_the_same_day_three_years_after_it_ends() {
        let year = SchoolYear::parse("2024/25").expect("a school year");
        assert_eq!(
            kept_until(year, 3),
            NaiveDate::from_ymd_opt(2028, 8, 31).expect("a date")
        );
    }
}
