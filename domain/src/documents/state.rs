//! A document's state: its versions, its chain and deadlines, where it stands, and every
//! stay of a version at a step.

use chrono::NaiveDate;

use crate::aggregate::Aggregate;
use crate::calendar::SchoolYear;
use crate::documents::events::{AssignedStep, DeadlineKind, NetworkEventDetails};
use crate::events::{Event, Fact};
use crate::ids::{AssociationId, DocumentId, PersonId};
use crate::values::{ContentHash, DocumentType};

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentVersion {
    pub version: u32,
    pub author: PersonId,
    pub content_hash: ContentHash,
    pub submitted_on: NaiveDate,
    pub network_event: Option<NetworkEventDetails>,
    /// The approved document it was developed on (002 §5.8).
    pub based_on: Option<DocumentId>,
    /// The numbers of meetings and network events it plans for its school year, where the
    /// document sets them (002 §5.9: the road map).
    pub planned_meetings: Option<u32>,
    pub planned_network_events: Option<u32>,
}

/// Where a document stands in its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentStatus {
    /// Opened, nothing submitted yet.
    #[default]
    Draft,
    /// Waiting for step `n` (from 1).
    InReview {
        step: u32,
    },
    /// Returned for rework at step `n`; the author resubmits, and it resumes there.
    Returned {
        step: u32,
    },
    /// Every step approved; waiting for the workflow to record the approval.
    StepsApproved,
    Approved,
    Rejected,
    /// Submitted where the profile asks for no approval.
    Recorded,
}

impl DocumentStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            DocumentStatus::Draft => "черновик",
            DocumentStatus::InReview { .. } => "на согласовании",
            DocumentStatus::Returned { .. } => "возвращён на доработку",
            DocumentStatus::StepsApproved => "все шаги согласованы",
            DocumentStatus::Approved => "утверждён",
            DocumentStatus::Rejected => "отклонён",
            DocumentStatus::Recorded => "принят без согласования",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentState {
    pub id: Option<DocumentId>,
    pub association: Option<AssociationId>,
    pub document_type: Option<DocumentType>,
    pub school_year: Option<SchoolYear>,
    pub title: String,
    pub versions: Vec<DocumentVersion>,
    pub chain: Vec<AssignedStep>,
    pub chain_assigned: bool,
    pub submit_by: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    /// The municipality's review period for each step, where its profile set one.
    pub review_days: Option<u32>,
    pub status: DocumentStatus,
    /// The day the document reached its current step (or came back to its author).
    pub since: Option<NaiveDate>,
    /// The day the document was finally approved or rejected.
    pub closed_on: Option<NaiveDate>,
    /// Deadlines already recorded as missed, so a timer fires once.
    pub missed: Vec<(DeadlineKind, Option<u32>, Option<u32>)>,
    /// Every stay of a version at a step: when it arrived and when it was decided (approved,
    /// returned or rejected) — so a review period overrun is known even after the decision.
    pub step_periods: Vec<StepPeriod>,
    /// The version published and the day (001 §1.3), where the profile has it published.
    pub published: Option<(u32, NaiveDate)>,
}

/// One stay of a version at a step of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepPeriod {
    pub version: u32,
    pub step: u32,
    pub arrived: NaiveDate,
    pub decided: Option<NaiveDate>,
}

impl DocumentState {
    fn arrive(&mut self, step: u32, on: NaiveDate) {
        self.step_periods.push(StepPeriod {
            version: self.last_version(),
            step,
            arrived: on,
            decided: None,
        });
    }

    fn decide_current(&mut self, on: NaiveDate) {
        if let Some(period) = self.step_periods.last_mut().filter(|p| p.decided.is_none()) {
            period.decided = Some(on);
        }
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn last_version(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.version)
    }

    /// The first submission's day.
    pub fn first_submitted_on(&self) -> Option<NaiveDate> {
        self.versions.first().map(|v| v.submitted_on)
    }

    /// Whether the last version waits for a decision.
    pub fn awaiting_decision(&self) -> bool {
        matches!(self.status, DocumentStatus::InReview { .. })
    }

    /// The step waiting for a decision, with its number.
    pub fn current_step(&self) -> Option<(u32, &AssignedStep)> {
        match self.status {
            DocumentStatus::InReview { step } => self
                .chain
                .get((step as usize).checked_sub(1)?)
                .map(|assigned| (step, assigned)),
            _ => None,
        }
    }
}

impl Aggregate for DocumentState {
    fn evolve(&mut self, fact: &Fact) {
        let on = fact.effective;
        match &fact.event {
            Event::DocumentOpened(e) => {
                self.id = Some(e.document);
                self.association = Some(e.association);
                self.document_type = Some(e.document_type);
                self.school_year = Some(e.school_year);
                self.title = e.title.clone();
            }
            Event::DocumentVersionSubmitted(e) => {
                self.versions.push(DocumentVersion {
                    version: e.version,
                    author: e.author,
                    content_hash: e.content_hash.clone(),
                    submitted_on: on,
                    network_event: e.network_event.clone(),
                    based_on: e.based_on,
                    planned_meetings: e.planned_meetings,
                    planned_network_events: e.planned_network_events,
                });
                self.status = match self.status {
                    DocumentStatus::Returned { step } => DocumentStatus::InReview { step },
                    _ if self.chain_assigned && self.chain.is_empty() => DocumentStatus::Recorded,
                    _ => DocumentStatus::InReview { step: 1 },
                };
                if let DocumentStatus::InReview { step } = self.status {
                    self.arrive(step, on);
                }
                self.since = Some(on);
            }
            Event::ApprovalChainAssigned(e) => {
                self.chain = e.steps.clone();
                self.chain_assigned = true;
                self.submit_by = e.submit_by;
                self.due = e.due;
                self.review_days = e.local_review_days;
                if self.chain.is_empty() && !self.versions.is_empty() {
                    self.status = DocumentStatus::Recorded;
                    self.step_periods.clear();
                }
            }
            Event::StepApproved(e) => {
                self.decide_current(on);
                self.status = if (e.step as usize) < self.chain.len() {
                    self.arrive(e.step + 1, on);
                    DocumentStatus::InReview { step: e.step + 1 }
                } else {
                    DocumentStatus::StepsApproved
                };
                self.since = Some(on);
            }
            Event::DocumentReturned(e) => {
                self.decide_current(on);
                self.status = DocumentStatus::Returned { step: e.step };
                self.since = Some(on);
            }
            Event::DocumentRejected(_) => {
                self.decide_current(on);
                self.status = DocumentStatus::Rejected;
                self.closed_on = Some(on);
            }
            Event::DocumentApproved(_) => {
                self.status = DocumentStatus::Approved;
                self.closed_on = Some(on);
            }
            Event::DocumentPublished(e) => self.published = Some((e.version, on)),
            Event::DeadlineMissed(e) => self.missed.push((e.deadline, e.version, e.step)),
            _ => {}
        }
    }
}
