//! Final documents the profile has published that were not (001 §1.3: the ММО places its plan
//! for the school year on the Управление's site): every document of a type the profile
//! publishes, accepted or approved by the date, with no publication recorded by it — since
//! when it could have been, and where it goes. The seed sets no day, so nothing is «late»:
//! the answer is what is not there yet.

use serde_json::json;

use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::DocumentPhase;
use crate::snapshot::{Needs, Snapshot};

use super::{columns, report, row, QueryKind, Question, Report, RuleApplied};

/// The final documents not published on the date, oldest first.
pub async fn unpublished(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let profile = question.profile;
    let rules: Vec<RuleApplied> = profile
        .documents
        .iter()
        .filter_map(|r| {
            let (place, clause) = r.publish_on.as_ref().zip(r.publish_clause.as_ref())?;
            Some(RuleApplied {
                clause: clause.to_string(),
                rule: format!("{} размещается {place}", r.document_type.in_russian()),
            })
        })
        .collect();
    let mut rows = Vec::new();
    if !rules.is_empty() {
        let needs = Needs {
            documents: true,
            ..Needs::default()
        };
        let mut snapshot = Snapshot::load(store, question.at, needs).await?;
        // A school association stands in its school's district (the `--district` filter).
        snapshot.load_organizations_placing(store).await?;
        let mut waiting: Vec<_> = snapshot
            .documents
            .iter()
            .filter(|d| matches!(d.phase, DocumentPhase::Recorded | DocumentPhase::Approved))
            .filter(|d| d.published_on.is_none())
            .filter_map(|d| {
                let association = snapshot.associations.get(&d.association)?;
                let rule = profile.document_rule(d.document_type, association.level)?;
                let place = rule.publish_on.as_ref()?;
                let clause = rule.publish_clause.as_ref()?;
                question
                    .keeps(&snapshot, association)
                    .then_some((d, association, place, clause))
            })
            .collect();
        waiting.sort_by_key(|(d, a, _, _)| (d.since, a.title.clone(), d.document));
        for (document, association, place, clause) in waiting {
            rows.push(row(vec![
                ("document", json!(document.document)),
                ("title", json!(document.title)),
                ("type", json!(document.document_type.in_russian())),
                ("association", json!(association.title)),
                ("school_year", json!(document.school_year.to_string())),
                ("phase", json!(document.phase.in_russian())),
                ("final_since", json!(document.since)),
                ("place", json!(place)),
                ("clause", json!(clause.to_string())),
            ]));
        }
    }
    Ok(report(
        QueryKind::Unpublished,
        "Документы, не размещённые на сайте",
        question,
        rules,
        columns(&[
            ("title", "Документ"),
            ("type", "Вид"),
            ("association", "Объединение"),
            ("school_year", "Учебный год"),
            ("phase", "Состояние"),
            ("final_since", "Принят (утверждён)"),
            ("place", "Где размещается"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}
