//! Late or stuck documents: an open document past a step's review period, its chain's day or
//! its submission day, and a document the timers found not opened by its day. The steps:
//! find the late ones, find who holds them, render one row each, most overdue first.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::{json, Value};

use domain::approval::{document_deadline, review_due, AUTHOR_SIDE_ROLE};
use domain::calendar::SchoolYear;
use domain::events::{review_setting, DeadlineMissed, DeadlineSource};
use domain::ids::PersonId;
use domain::profile::RegulationProfile;
use domain::values::{AssociationRole, DocumentType};
use store::MetodStore;

use crate::error::ProjectionError;
use crate::facts::{kind, AssociationFact, DocumentFact, DocumentPhase, FactBody};
use crate::snapshot::{body_of, Needs, Snapshot};

use super::holders::{document_holder, role_holders};
use super::{columns, report, row, Names, QueryKind, Question, Report, Row, RuleApplied};

/// An open document late on the date: its place among the snapshot's open documents, the
/// reason that speaks for it, the day it was due and what set that day.
struct Late {
    document: usize,
    reason: &'static str,
    due: NaiveDate,
    source: DeadlineSource,
}

/// Documents late or stuck on the date: a step past its review period, a chain past its
/// day, a document not submitted by its day — at whose step, since when, how many days over.
pub async fn late(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    // Without document rules there are no documents, so nothing to look up.
    let has_rule = QueryKind::Late.profile_has_rule(question.profile);
    let needs = Needs {
        registry: has_rule,
        roles: has_rule,
        open_documents: has_rule,
        ..Needs::default()
    };
    let mut snapshot = Snapshot::load(store, question.at, needs).await?;
    let today = question.at.as_of;
    let found = late_documents(question, &snapshot);
    let unopened = if has_rule {
        unopened_documents(store, question, &snapshot).await?
    } else {
        Vec::new()
    };
    let mut persons: Vec<PersonId> = Vec::new();
    let holders: Vec<(String, Vec<PersonId>)> = found
        .iter()
        .map(|l| document_holder(&snapshot, &snapshot.open_documents[l.document]))
        .collect();
    let unopened_holders: Vec<Vec<PersonId>> = unopened
        .iter()
        .map(|m| role_holders(&snapshot, m.association, AssociationRole::Head))
        .collect();
    for list in holders.iter().map(|(_, l)| l).chain(&unopened_holders) {
        persons.extend(list.iter().copied());
    }
    snapshot.load_persons(store, &persons).await?;
    let names = Names::load(store, &snapshot, persons.iter().copied()).await?;
    let mut rows: Vec<(NaiveDate, Row)> = found
        .iter()
        .zip(holders)
        .map(|(item, (role, persons))| late_row(&snapshot, &names, today, item, &role, persons))
        .collect();
    rows.extend(
        unopened
            .iter()
            .zip(unopened_holders)
            .map(|(missed, persons)| unopened_row(&snapshot, &names, today, missed, persons)),
    );
    // Most overdue first, whether opened or not.
    rows.sort_by_key(|(due, _)| *due);
    let rows = rows.into_iter().map(|(_, r)| r).collect();
    let answer = report(
        QueryKind::Late,
        "Просроченные и застрявшие документы",
        question,
        rules(question.profile),
        columns(&[
            ("title", "Документ"),
            ("type", "Вид"),
            ("association", "Объединение"),
            ("phase", "Состояние"),
            ("holder_role", "У кого"),
            ("holders", "Кто"),
            ("since", "С"),
            ("due", "Срок"),
            ("days_overdue", "Дней просрочки"),
            ("reason", "Что нарушено"),
            ("set_by", "Чей срок"),
            ("clause", "Пункт или настройка"),
        ]),
        rows,
    );
    Ok(answer.opened_by(&names))
}

/// The open documents of the associations asked about that are late on the date, by the day
/// they were due, then by document.
fn late_documents(question: &Question<'_>, snapshot: &Snapshot) -> Vec<Late> {
    let mut found = Vec::new();
    for (index, document) in snapshot.open_documents.iter().enumerate() {
        if !document.phase.open() {
            continue;
        }
        let Some(association) = snapshot.associations.get(&document.association) else {
            continue;
        };
        if !question.keeps(snapshot, association) {
            continue;
        }
        if let Some((reason, due, source)) = most_overdue(question, association, document) {
            found.push(Late {
                document: index,
                reason,
                due,
                source,
            });
        }
    }
    found.sort_by_key(|l| (l.due, snapshot.open_documents[l.document].document));
    found
}

/// Why an open document is late on the date, if it is: of the days it had to meet (a step's
/// review period where the municipality set one, its chain's day, its submission day) the
/// earliest one already past, with its reason and what set that day.
fn most_overdue(
    question: &Question<'_>,
    association: &AssociationFact,
    document: &DocumentFact,
) -> Option<(&'static str, NaiveDate, DeadlineSource)> {
    let today = question.at.as_of;
    // The chain's days are its clause's (set at the first submission, with the chain).
    let chain_clause = document.chain_clause.clone().map(DeadlineSource::Clause);
    let mut candidates = Vec::new();
    if let Some((review_ends, days)) = document
        .current_step()
        .and_then(|(_, assigned)| review_due(&assigned.step, document.since, document.review_days))
        .zip(document.review_days)
    {
        let setting = review_setting(days);
        candidates.push((
            "срок рассмотрения на шаге истёк",
            review_ends,
            DeadlineSource::Local { setting },
        ));
    }
    if let Some((due, clause)) = document.due.zip(chain_clause.clone()) {
        candidates.push(("срок согласования истёк", due, clause));
    }
    if document.phase == DocumentPhase::Draft {
        if let Some((due, clause)) = document.submit_by.zip(chain_clause) {
            candidates.push(("документ не подан в срок", due, clause));
        }
        // Before its first submission no chain is assigned: the profile's days apply.
        if document.chain_clause.is_none() {
            if let Some(rule) = question
                .profile
                .document_rule(document.document_type, association.level)
            {
                let day = |d| document_deadline(document.document_type, document.school_year, d);
                let clause = DeadlineSource::Clause(rule.clause.clone());
                if let Some(submit_by) = rule.submit_by {
                    candidates.push(("документ не подан в срок", day(submit_by), clause.clone()));
                }
                if let Some(due) = rule.due {
                    candidates.push(("срок согласования истёк", day(due), clause));
                }
            }
        }
    }
    // The most overdue reason speaks for the document.
    candidates
        .into_iter()
        .filter(|(_, due, _)| *due < today)
        .min_by_key(|(_, due, _)| *due)
}

/// A late document's row, with the day it is ordered by.
fn late_row(
    snapshot: &Snapshot,
    names: &Names,
    today: NaiveDate,
    item: &Late,
    role: &str,
    holders: Vec<PersonId>,
) -> (NaiveDate, Row) {
    let document = &snapshot.open_documents[item.document];
    let association = &snapshot.associations[&document.association];
    let holder_names = holders.into_iter().map(|p| names.of(Some(p))).collect();
    (
        item.due,
        row(vec![
            ("document", json!(document.document)),
            ("title", json!(document.title)),
            ("type", json!(document.document_type.in_russian())),
            ("association", json!(association.title)),
            ("phase", json!(document.phase.in_russian())),
            ("holder_role", json!(role)),
            ("holders", Value::Array(holder_names)),
            ("since", json!(document.since)),
            ("due", json!(item.due)),
            ("days_overdue", json!((today - item.due).num_days())),
            ("reason", json!(item.reason)),
            ("set_by", json!(item.source.set_by_in_russian())),
            ("clause", json!(item.source.reference())),
        ]),
    )
}

/// The row of a document nobody opened by its day, with the day it is ordered by: it waits
/// on the association's head.
fn unopened_row(
    snapshot: &Snapshot,
    names: &Names,
    today: NaiveDate,
    missed: &DeadlineMissed,
    holders: Vec<PersonId>,
) -> (NaiveDate, Row) {
    let association = &snapshot.associations[&missed.association];
    let document_type = missed.document_type.map(DocumentType::in_russian);
    let holder_names = holders.into_iter().map(|p| names.of(Some(p))).collect();
    (
        missed.due,
        row(vec![
            ("document", Value::Null),
            (
                "title",
                json!(format!(
                    "{} — {}",
                    document_type.unwrap_or_default(),
                    missed.school_year
                )),
            ),
            ("type", json!(document_type)),
            ("association", json!(association.title)),
            ("phase", json!("не открыт")),
            ("holder_role", json!(AUTHOR_SIDE_ROLE)),
            ("holders", Value::Array(holder_names)),
            ("since", Value::Null),
            ("due", json!(missed.due)),
            ("days_overdue", json!((today - missed.due).num_days())),
            ("reason", json!("документ не открыт и не подан в срок")),
            ("set_by", json!(missed.source.set_by_in_russian())),
            ("clause", json!(missed.source.reference())),
        ]),
    )
}

/// The profile's rules for documents: their days and chains, each clause once in a row.
fn rules(profile: &RegulationProfile) -> Vec<RuleApplied> {
    let mut rules: Vec<RuleApplied> = profile
        .documents
        .iter()
        .map(|d| RuleApplied {
            clause: d.clause.to_string(),
            rule: format!("сроки и цепочка: {}", d.document_type.in_russian()),
        })
        .collect();
    rules.dedup();
    rules
}

/// Documents nobody opened by their day, as the timers recorded them (`DeadlineMissed` with a
/// document type and no document): those of the question's school year, and those whose day
/// fell in it; a document of that type and year opened since takes the miss off the list
/// (while open it is listed on its own terms; once decided it is no longer late).
async fn unopened_documents(
    store: &dyn MetodStore,
    question: &Question<'_>,
    snapshot: &Snapshot,
) -> Result<Vec<DeadlineMissed>, ProjectionError> {
    let today = question.at.as_of;
    let current = SchoolYear::containing(today);
    let previous_start = current.previous().first_day();
    let mut unopened = Vec::new();
    for row in store
        .facts_since(kind::DEADLINE_MISSED, previous_start, question.at)
        .await?
    {
        let FactBody::DeadlineMissed(missed) = body_of(&row)? else {
            continue;
        };
        let wanted = missed.document.is_none()
            && missed.document_type.is_some()
            && missed.due < today
            && (missed.due >= current.first_day() || missed.school_year == current)
            && snapshot
                .associations
                .get(&missed.association)
                .is_some_and(|a| question.keeps(snapshot, a));
        if wanted {
            unopened.push(*missed);
        }
    }
    if unopened.is_empty() {
        return Ok(unopened);
    }
    // A document of that year is opened at the earliest in the school year before it.
    let earliest = unopened
        .iter()
        .map(|m| m.school_year.previous().first_day())
        .min()
        .unwrap_or(previous_start);
    let mut opened = HashSet::new();
    for row in store
        .facts_since(kind::DOCUMENT, earliest, question.at)
        .await?
    {
        if let FactBody::Document(d) = body_of(&row)? {
            opened.insert((d.association, d.document_type, d.school_year));
        }
    }
    unopened.retain(|m| {
        m.document_type
            .is_some_and(|t| !opened.contains(&(m.association, t, m.school_year)))
    });
    unopened.sort_by_key(|m| (m.due, m.association));
    Ok(unopened)
}
