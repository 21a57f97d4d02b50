//! The documents' events as schema 1 wrote them, and how each is read today (upcast on
//! decode; the log is never rewritten). Schema 2 told a deadline's source apart: at schema 1
//! every step had a review period (metod's default of 10 days when the profile was silent)
//! and its lapse cited the document's clause, though no seed sets a review period.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::SchoolYear;
use crate::ids::{AssociationId, DocumentId};
use crate::values::{Clause, DocumentType};

use super::events::{
    ApprovalChainAssigned, AssignedStep, DeadlineKind, DeadlineMissed, DeadlineSource, Holder,
};

/// `ApprovalChainAssigned` at schema 1: `review_days` was always written.
#[derive(Deserialize)]
pub(crate) struct ApprovalChainAssignedV1 {
    document: DocumentId,
    association: AssociationId,
    steps: Vec<AssignedStep>,
    #[serde(default)]
    submit_by: Option<NaiveDate>,
    #[serde(default)]
    due: Option<NaiveDate>,
    review_days: u32,
    clause: Clause,
}

impl From<ApprovalChainAssignedV1> for ApprovalChainAssigned {
    /// The days recorded stay readable as the former period; none of them is a local setting
    /// the profile stated as such, so none binds a step today.
    fn from(v1: ApprovalChainAssignedV1) -> Self {
        ApprovalChainAssigned {
            document: v1.document,
            association: v1.association,
            steps: v1.steps,
            submit_by: v1.submit_by,
            due: v1.due,
            local_review_days: None,
            former_review_days: Some(v1.review_days),
            clause: v1.clause,
        }
    }
}

/// `DeadlineMissed` at schema 1: one `clause`, the document's for a step's review period.
#[derive(Deserialize)]
pub(crate) struct DeadlineMissedV1 {
    deadline: DeadlineKind,
    due: NaiveDate,
    school_year: SchoolYear,
    #[serde(default)]
    document: Option<DocumentId>,
    association: AssociationId,
    #[serde(default)]
    version: Option<u32>,
    #[serde(default)]
    step: Option<u32>,
    #[serde(default)]
    document_type: Option<DocumentType>,
    holder: Holder,
    clause: Clause,
}

impl From<DeadlineMissedV1> for DeadlineMissed {
    /// A step's review period keeps what it was — the former default, the clause it cited
    /// kept as cited; every other deadline's day is its clause's.
    fn from(v1: DeadlineMissedV1) -> Self {
        let source = match v1.deadline {
            DeadlineKind::StepReview => DeadlineSource::Former { cited: v1.clause },
            _ => DeadlineSource::Clause(v1.clause),
        };
        DeadlineMissed {
            deadline: v1.deadline,
            due: v1.due,
            school_year: v1.school_year,
            document: v1.document,
            association: v1.association,
            version: v1.version,
            step: v1.step,
            document_type: v1.document_type,
            holder: v1.holder,
            source,
        }
    }
}
