//! What waits for a person — steps they decide, documents returned to them for rework,
//! documents they have still to submit — from a fold of the log. `metod inbox` answers from
//! the read models; this fold is the reference the tests hold those answers to.

use chrono::NaiveDate;
use commands::ProfileSet;
use domain::approval::{author_holder, document_deadline, returned_holder, step_due, step_holder};
use domain::ids::PersonId;
use domain::inbox::{due_source, sort_inbox, DueFrom, InboxItem, InboxReason};
use domain::state::DocumentStatus;
use domain::values::{DocumentType, Level};

use crate::log_view::LogView;

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
                            let from = DueFrom::of_step(due, doc.due, doc.review_days);
                            (
                                InboxReason::Decide {
                                    step,
                                    role: assigned.step.in_russian(),
                                    at_meeting: assigned.step.at_meeting.and(assigned.association),
                                },
                                due,
                                from,
                            )
                        })
                    })
                }
                DocumentStatus::Returned { step } => returned_holder(world, doc, today)
                    .is_some_and(|h| h.persons.contains(&person))
                    .then_some((InboxReason::Rework { step }, chain_due, DueFrom::Document)),
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
                        .then_some((InboxReason::Submit, own_due, DueFrom::Document))
                }
                _ => None,
            };
            if let Some((reason, due, from)) = reason_and_due {
                let level = association.level.unwrap_or(Level::City);
                let due_source = due
                    .and(doc.document_type)
                    .and_then(|document_type| due_source(profile, document_type, level, from));
                items.push(InboxItem {
                    document: *id,
                    title: doc.title.clone(),
                    document_type: doc.document_type.unwrap_or(DocumentType::WorkPlan),
                    association: association_id,
                    association_title: association.title.clone(),
                    reason,
                    since: doc.since,
                    due,
                    overdue_days: InboxItem::overdue(due, today),
                    due_source,
                });
            }
        }
    }
    sort_inbox(&mut items);
    items
}
