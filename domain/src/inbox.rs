//! What waits for a person: the inbox item and its order, shared by the two ways of
//! answering — from the read models (`metod inbox`) and from a fold of the log (the
//! reference the tests hold the read models to).

use chrono::NaiveDate;
use serde::Serialize;

use crate::documents::events::{review_setting, DeadlineSource};
use crate::ids::{AssociationId, DocumentId};
use crate::profile::RegulationProfile;
use crate::values::{DocumentType, Level};

/// Why a document is in the inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum InboxReason {
    /// Step `step` waits for this person's decision; `at_meeting` names the association
    /// whose held meeting the decision must cite, where the step is decided at one.
    Decide {
        step: u32,
        role: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_meeting: Option<AssociationId>,
    },
    /// Returned for rework at step `step`; this person resubmits.
    Rework { step: u32 },
    /// Opened, not submitted yet; this person submits.
    Submit,
}

impl InboxReason {
    pub fn in_russian(&self) -> String {
        match self {
            InboxReason::Decide { step, role, .. } => format!("решение на шаге {step} ({role})"),
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
    /// Days past due on the day asked about (0 when not overdue).
    pub overdue_days: i64,
    /// Where the due day comes from: the regulation's clause, or the municipality's setting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_source: Option<DueSource>,
}

impl DueFrom {
    /// Which deadline set the due day of a step: the step's review period where the
    /// municipality set one and it falls first, else the document's own day.
    pub fn of_step(
        due: Option<NaiveDate>,
        document_due: Option<NaiveDate>,
        review_days: Option<u32>,
    ) -> Self {
        match review_days {
            Some(days) if due != document_due => DueFrom::Step { days },
            _ => DueFrom::Document,
        }
    }
}

/// Where a due day comes from: which kind of deadline it is, and the words that say so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueSource {
    /// `regulation` (a clause names the day) or `municipality` (a setting in its profile).
    pub set_by: &'static str,
    /// In Russian, with the clause or the setting.
    pub text: String,
}

/// Which deadline set a due day: the document's own (a day of the school year the
/// regulation names), or the review period of the step it waits at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFrom {
    Document,
    Step { days: u32 },
}

/// Where a due day comes from: the document's own deadline with its clause and action, or a
/// step's review period — a setting of the municipality, since the regulations set no such
/// period.
pub fn due_source(
    profile: Option<&RegulationProfile>,
    document_type: DocumentType,
    level: Level,
    from: DueFrom,
) -> Option<DueSource> {
    let (source, action) = match from {
        DueFrom::Document => {
            let rule = profile?.document_rule(document_type, level)?;
            (
                DeadlineSource::Clause(rule.clause.clone()),
                rule.due_action.as_deref().unwrap_or("срок документа"),
            )
        }
        DueFrom::Step { days } => (
            DeadlineSource::Local {
                setting: review_setting(days),
            },
            "рассмотрение на шаге",
        ),
    };
    Some(DueSource {
        set_by: source.kind(),
        text: format!("{action}: {}", source.in_russian()),
    })
}

impl InboxItem {
    /// Days past `due` on `today`, 0 when not overdue or without a due date.
    pub fn overdue(due: Option<NaiveDate>, today: NaiveDate) -> i64 {
        due.map_or(0, |d| (today - d).num_days().max(0))
    }
}

/// The inbox order: overdue first (most overdue first), then by due date (undated last),
/// then by title and document.
pub fn sort_inbox(items: &mut [InboxItem]) {
    items.sort_by(|a, b| {
        b.overdue_days
            .cmp(&a.overdue_days)
            .then(a.due.is_none().cmp(&b.due.is_none()))
            .then(a.due.cmp(&b.due))
            .then(a.title.cmp(&b.title))
            .then(a.document.cmp(&b.document))
    });
}
