//! `metod inbox --as <person>`: what waits for this person — steps they decide, documents
//! returned to them for rework, documents they have still to submit — with due dates,
//! overdue first.

use chrono::NaiveDate;
use commands::ProfileSet;
use domain::approval::{author_holder, document_deadline, step_due, step_holder};
use domain::ids::{AssociationId, DocumentId, PersonId};
use domain::state::DocumentStatus;
use domain::values::{DocumentType, Level};
use serde::Serialize;

use crate::log_view::LogView;

/// Why a document is in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboxReason {
    /// Step `step` waits for this person's decision.
    Decide { step: u32, role: String },
    /// Returned for rework at step `step`; this person resubmits.
    Rework { step: u32 },
    /// Opened, not submitted yet; this person submits.
    Submit,
}

impl InboxReason {
    pub fn in_russian(&self) -> String {
        match self {
            InboxReason::Decide { step, role } => format!("решение на шаге {step} ({role})"),
            InboxReason::Rework { step } => {
                format!("доработка после возврата на шаге {step}, повторная подача")
            }
            InboxReason::Submit => "подача документа".into(),
        }
    }
}

/// One thing waiting for the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InboxItem {
    pub document: DocumentId,
    pub title: String,
    pub document_type: DocumentType,
    pub association: AssociationId,
    pub association_title: String,
    pub reason: InboxReason,
    /// Since when it waits.
    pub since: Option<NaiveDate>,
    /// By when it is due (the step's review period, or the document's own deadline).
    pub due: Option<NaiveDate>,
    /// Days past due on `today` (0 when not overdue).
    pub overdue_days: i64,
}

/// What waits for `person` on `today`, overdue first, then by due date.
pub fn inbox(
    view: &mut LogView,
    profiles: &ProfileSet,
    person: PersonId,
    today: NaiveDate,
) -> Vec<InboxItem> {
    let municipalities = view.municipalities();
    let mut items = Vec::new();
    for (municipality, profile_name) in municipalities {
        let profile = profiles.get(&profile_name).ok();
        let world = view.world_of(municipality);
        for (id, doc) in &world.documents {
            let Some(association_id) = doc.association else {
                continue;
            };
            let Some(association) = world.association(association_id) else {
                continue;
            };
            if association.municipality != Some(municipality) {
                continue;
            }
            let chain_due = doc.due.or(doc.submit_by);
            let reason_and_due = match doc.status {
                DocumentStatus::InReview { .. } => {
                    doc.current_step().and_then(|(step, assigned)| {
                        let holder = step_holder(world, association_id, assigned, today);
                        holder.persons.contains(&person).then(|| {
                            let due = [step_due(doc), doc.due].into_iter().flatten().min();
                            (
                                InboxReason::Decide {
                                    step,
                                    role: assigned.step.in_russian(),
                                },
                                due,
                            )
                        })
                    })
                }
                DocumentStatus::Returned { step } => author_holder(world, association_id, today)
                    .persons
                    .contains(&person)
                    .then_some((InboxReason::Rework { step }, chain_due)),
                DocumentStatus::Draft => {
                    // Before the first submission the deadlines come from the profile.
                    let level = association.level.unwrap_or(Level::City);
                    let own_due = profile
                        .zip(doc.document_type)
                        .zip(doc.school_year)
                        .and_then(|((profile, t), y)| {
                            let rule = profile.document_rule(t, level)?;
                            rule.submit_by
                                .or(rule.due)
                                .map(|d| document_deadline(t, y, d))
                        });
                    author_holder(world, association_id, today)
                        .persons
                        .contains(&person)
                        .then_some((InboxReason::Submit, own_due))
                }
                _ => None,
            };
            if let Some((reason, due)) = reason_and_due {
                items.push(InboxItem {
                    document: *id,
                    title: doc.title.clone(),
                    document_type: doc.document_type.unwrap_or(DocumentType::WorkPlan),
                    association: association_id,
                    association_title: association.title.clone(),
                    reason,
                    since: doc.since,
                    due,
                    overdue_days: due.map_or(0, |d| (today - d).num_days().max(0)),
                });
            }
        }
    }
    items.sort_by(|a, b| {
        b.overdue_days
            .cmp(&a.overdue_days)
            .then(a.due.is_none().cmp(&b.due.is_none()))
            .then(a.due.cmp(&b.due))
            .then(a.title.cmp(&b.title))
    });
    items
}
