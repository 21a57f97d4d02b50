//! Deadline timers, derived from the log: nothing is scheduled anywhere, so nothing is lost
//! on a restart. Each pass folds the log and lists every deadline that has passed and was
//! not met nor recorded yet; recording one is a command with an id derived from the
//! deadline, so a timer fires once however many runners or passes see it.

use std::collections::HashSet;

use chrono::{Days, NaiveDate};
use commands::{ProfileSet, Submission};
use domain::approval::{document_deadline, period_due};
use domain::commands::RecordDeadlineMissed;
use domain::documents::deadlines::secretary_election_due;
use domain::events::DeadlineKind;
use domain::ids::{AssociationId, DocumentId};
use domain::state::{AssociationState, DocumentState, DocumentStatus};
use domain::values::{AssociationRole, DocumentType, Level};
use domain::{Command, SchoolYear};
use store::CommandId;

use crate::actor::workflow_submission;
use crate::log_view::LogView;

/// One deadline that passed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timer {
    pub due: NaiveDate,
    pub deadline: DeadlineKind,
    pub association: AssociationId,
    pub document: Option<DocumentId>,
    pub version: Option<u32>,
    pub step: Option<u32>,
    /// For a document nobody opened by its day: which one was due.
    pub document_type: Option<DocumentType>,
}

impl Timer {
    /// The command that records it, taking effect the day after the deadline.
    pub fn submission(&self) -> Submission {
        let mut key = format!(
            "{:?}:{}:{}:{}:{}:{}",
            self.deadline,
            self.association,
            self.document.map(|d| d.to_string()).unwrap_or_default(),
            self.version.unwrap_or(0),
            self.step.unwrap_or(0),
            self.due
        );
        if let Some(document_type) = self.document_type {
            key += &format!(":{document_type:?}");
        }
        workflow_submission(
            Command::RecordDeadlineMissed(RecordDeadlineMissed {
                deadline: self.deadline,
                association: self.association,
                document: self.document,
                due: self.due,
                version: self.version,
                step: self.step,
                document_type: self.document_type,
            }),
            day_after(self.due),
            CommandId::derived("metod-timer", &key),
        )
    }
}

fn day_after(day: NaiveDate) -> NaiveDate {
    day.checked_add_days(Days::new(1)).unwrap_or(day)
}

/// Every deadline that passed before `today` and is neither met nor recorded.
pub fn due_timers(view: &mut LogView, profiles: &ProfileSet, today: NaiveDate) -> Vec<Timer> {
    let mut timers = Vec::new();
    let municipalities = view.municipalities();
    for (municipality, profile_name) in municipalities {
        let Ok(profile) = profiles.get(&profile_name) else {
            continue;
        };
        let world = view.world_of(municipality);
        // The documents each association has opened, by type and school year.
        let opened: HashSet<(AssociationId, DocumentType, SchoolYear)> = world
            .documents
            .values()
            .filter_map(|d| Some((d.association?, d.document_type?, d.school_year?)))
            .collect();
        for (id, doc) in &world.documents {
            let Some(association) = doc.association.and_then(|a| world.association(a)) else {
                continue;
            };
            if association.municipality != Some(municipality) {
                continue;
            }
            document_timers(*id, doc, association, profile, today, &mut timers);
        }
        for (id, association) in &world.associations {
            if association.municipality != Some(municipality) || !association.exists() {
                continue;
            }
            association_timers(*id, association, profile, &opened, today, &mut timers);
            if let Some(municipality) = world.municipalities.get(&municipality) {
                list_timers(*id, association, profile, municipality, today, &mut timers);
            }
        }
    }
    timers.sort();
    timers
}

fn document_timers(
    id: DocumentId,
    doc: &DocumentState,
    association: &AssociationState,
    profile: &domain::RegulationProfile,
    today: NaiveDate,
    timers: &mut Vec<Timer>,
) {
    let (Some(association_id), Some(document_type), Some(year)) =
        (doc.association, doc.document_type, doc.school_year)
    else {
        return;
    };
    let level = association.level.unwrap_or(Level::City);
    let rule = profile.document_rule(document_type, level);
    // Recorded on the document, or on its association while nobody had opened it.
    let recorded = |kind: DeadlineKind, version: Option<u32>, step: Option<u32>| {
        doc.missed.contains(&(kind, version, step))
            || association
                .missed
                .contains(&(kind, year, Some(document_type)))
    };
    let mut push = |deadline, due, version, step| {
        timers.push(Timer {
            due,
            deadline,
            association: association_id,
            document: Some(id),
            version,
            step,
            document_type: None,
        })
    };
    // Each stay at a step: decided within its review period, or recorded as missed (also
    // when the decision came late, before any timer ran).
    for period in &doc.step_periods {
        let Some(due) = period_due(doc, period) else {
            continue;
        };
        let late = period.decided.map_or(due < today, |d| d > due);
        let (version, step) = (Some(period.version), Some(period.step));
        if late && due < today && !recorded(DeadlineKind::StepReview, version, step) {
            push(DeadlineKind::StepReview, due, version, step);
        }
    }
    // Submission by its day (the chain's, or the profile's before the first submission).
    let submit_by = if doc.chain_assigned {
        doc.submit_by
    } else {
        rule.and_then(|r| r.submit_by)
            .map(|d| document_deadline(document_type, year, d))
    };
    if let Some(due) = submit_by {
        let late = doc.first_submitted_on().is_none_or(|d| d > due);
        if due < today && late && !recorded(DeadlineKind::Submission, None, None) {
            push(DeadlineKind::Submission, due, None, None);
        }
    }
    // Through the chain by its day.
    let approve_by = if doc.chain_assigned {
        doc.due
    } else {
        rule.and_then(|r| r.due)
            .map(|d| document_deadline(document_type, year, d))
    };
    if let Some(due) = approve_by {
        let met = doc.status == DocumentStatus::Approved && doc.closed_on.is_some_and(|d| d <= due);
        let rejected = doc.status == DocumentStatus::Rejected;
        if due < today && !met && !rejected && !recorded(DeadlineKind::Approval, None, None) {
            push(DeadlineKind::Approval, due, None, None);
        }
    }
}

/// 000 §7.4: each school year a district association is on its district's list approved by
/// the day the profile sets (15 Sep), once it exists on that day.
fn list_timers(
    id: AssociationId,
    association: &AssociationState,
    profile: &domain::RegulationProfile,
    municipality: &domain::state::MunicipalityState,
    today: NaiveDate,
    timers: &mut Vec<Timer>,
) {
    let (Some(created), Some(level), Some(district)) = (
        association.created_on,
        association.level,
        association.district,
    ) else {
        return;
    };
    let Some(day) = profile
        .structure
        .list_rule_for(level)
        .and_then(|r| r.list_due)
    else {
        return;
    };
    let mut year = SchoolYear::containing(created);
    while year <= SchoolYear::containing(today) {
        let due = year.date_of(day);
        let alive = due >= created && association.liquidated_on.is_none_or(|d| d > due);
        if due < today
            && alive
            && !municipality.listed_by(id, district, year, due)
            && !association
                .missed
                .contains(&(DeadlineKind::AssociationList, year, None))
        {
            timers.push(Timer {
                due,
                deadline: DeadlineKind::AssociationList,
                association: id,
                document: None,
                version: None,
                step: None,
                document_type: None,
            });
        }
        year = year.next();
    }
}

fn association_timers(
    id: AssociationId,
    association: &AssociationState,
    profile: &domain::RegulationProfile,
    opened: &HashSet<(AssociationId, DocumentType, SchoolYear)>,
    today: NaiveDate,
    timers: &mut Vec<Timer>,
) {
    let Some(created) = association.created_on else {
        return;
    };
    let level = association.level.unwrap_or(Level::City);
    let first_year = SchoolYear::containing(created);
    let last_year = SchoolYear::containing(today);
    let mut year = first_year;
    while year <= last_year {
        let alive =
            |due: NaiveDate| due >= created && association.liquidated_on.is_none_or(|d| d > due);
        if let Some(deadline) = profile
            .role_rule(AssociationRole::Head, level)
            .and_then(|r| r.deadline)
        {
            let due = year.date_of(deadline);
            if due < today
                && alive(due)
                && association.holder(AssociationRole::Head, due).is_none()
                && !association
                    .missed
                    .contains(&(DeadlineKind::HeadAppointment, year, None))
            {
                timers.push(Timer {
                    due,
                    deadline: DeadlineKind::HeadAppointment,
                    association: id,
                    document: None,
                    version: None,
                    step: None,
                    document_type: None,
                });
            }
        }
        // The secretary elected every year (000 §4.3): an election in each school year the
        // association was there from its first day.
        if let Some(rule) = profile
            .role_rule(AssociationRole::Secretary, level)
            .filter(|r| r.yearly && created <= year.first_day())
        {
            let due = secretary_election_due(rule, year);
            let elected = association.filled_for(AssociationRole::Secretary, year);
            if due < today
                && alive(due)
                && !elected
                && !association
                    .missed
                    .contains(&(DeadlineKind::SecretaryElection, year, None))
            {
                timers.push(Timer {
                    due,
                    deadline: DeadlineKind::SecretaryElection,
                    association: id,
                    document: None,
                    version: None,
                    step: None,
                    document_type: None,
                });
            }
        }
        if let Some(rule) = &profile.member_database {
            let due = year.date_of(rule.due);
            let updated = association
                .member_database_updates
                .iter()
                .any(|(y, d)| *y == year && *d <= due);
            if due < today
                && alive(due)
                && !updated
                && !association
                    .missed
                    .contains(&(DeadlineKind::MemberDatabase, year, None))
            {
                timers.push(Timer {
                    due,
                    deadline: DeadlineKind::MemberDatabase,
                    association: id,
                    document: None,
                    version: None,
                    step: None,
                    document_type: None,
                });
            }
        }
        // The yearly documents with a day (plans, analyses) that nobody opened by it: their
        // holder is the author's side. A plan falls due before its year starts, so next
        // year's plan may be due already.
        for document_year in [year, year.next()] {
            for rule in profile.documents.iter().filter(|r| {
                r.applies_to(r.document_type, level) && r.document_type != DocumentType::Nomination
            }) {
                if opened.contains(&(id, rule.document_type, document_year)) {
                    continue;
                }
                for (deadline, day) in [
                    (DeadlineKind::Submission, rule.submit_by),
                    (DeadlineKind::Approval, rule.due),
                ] {
                    let Some(day) = day else { continue };
                    let due = document_deadline(rule.document_type, document_year, day);
                    let recorded = association.missed.contains(&(
                        deadline,
                        document_year,
                        Some(rule.document_type),
                    ));
                    // Each due day is looked at in the pass over the school year it falls in.
                    if SchoolYear::containing(due) == year && due < today && alive(due) && !recorded
                    {
                        timers.push(Timer {
                            due,
                            deadline,
                            association: id,
                            document: None,
                            version: None,
                            step: None,
                            document_type: Some(rule.document_type),
                        });
                    }
                }
            }
        }
        year = year.next();
    }
}
