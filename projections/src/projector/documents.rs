//! Documents projected: each document's approval state and its open copy, which holds while
//! the document is on its way; and the deadlines the timers recorded as missed.

use chrono::NaiveDate;

use domain::events::{
    ApprovalChainAssigned, DeadlineMissed, DocumentApproved, DocumentOpened, DocumentPublished,
    DocumentRejected, DocumentReturned, DocumentVersionSubmitted, StepApproved,
};

use crate::facts::{kind, DocumentFact, DocumentPhase, FactBody};

use super::{Moment, Projector};

impl Projector {
    pub(super) fn document_opened(&mut self, e: &DocumentOpened, at: Moment) -> Result<(), String> {
        let on = at.effective;
        let document = DocumentFact {
            document: e.document,
            association: e.association,
            document_type: e.document_type,
            school_year: e.school_year,
            title: e.title.clone(),
            phase: DocumentPhase::Draft,
            version: 0,
            since: on,
            chain: Vec::new(),
            chain_clause: None,
            submit_by: None,
            due: None,
            review_days: None,
            first_submitted: None,
            author: None,
            published_on: None,
            planned_meetings: None,
            planned_network_events: None,
        };
        let (key, scope) = (e.document.to_string(), e.association.to_string());
        self.start(
            at,
            key.clone(),
            document.waits_on().scope(),
            on,
            None,
            FactBody::OpenDocument(Box::new(document.clone())),
        )?;
        self.start(
            at,
            key,
            scope,
            on,
            None,
            FactBody::Document(Box::new(document)),
        )
    }

    pub(super) fn document_version_submitted(
        &mut self,
        e: &DocumentVersionSubmitted,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change_document(at, &e.document.to_string(), |d| {
            d.version = e.version;
            d.author = Some(e.author);
            d.planned_meetings = e.planned_meetings;
            d.planned_network_events = e.planned_network_events;
            d.first_submitted.get_or_insert(on);
            d.phase = match d.phase {
                DocumentPhase::Returned { step } => DocumentPhase::InReview { step },
                _ if d.chain_clause.is_some() && d.chain.is_empty() => DocumentPhase::Recorded,
                _ => DocumentPhase::InReview { step: 1 },
            };
        })
    }

    pub(super) fn approval_chain_assigned(
        &mut self,
        e: &ApprovalChainAssigned,
        at: Moment,
    ) -> Result<(), String> {
        self.change_document(at, &e.document.to_string(), |d| {
            d.chain = e.steps.clone();
            d.chain_clause = Some(e.clause.clone());
            d.submit_by = e.submit_by;
            d.due = e.due;
            d.review_days = e.local_review_days;
            if e.steps.is_empty() && d.version > 0 {
                d.phase = DocumentPhase::Recorded;
            }
        })
    }

    pub(super) fn step_approved(&mut self, e: &StepApproved, at: Moment) -> Result<(), String> {
        self.change_document(at, &e.document.to_string(), |d| {
            d.phase = if (e.step as usize) < d.chain.len() {
                DocumentPhase::InReview { step: e.step + 1 }
            } else {
                DocumentPhase::StepsApproved
            };
        })
    }

    pub(super) fn document_returned(
        &mut self,
        e: &DocumentReturned,
        at: Moment,
    ) -> Result<(), String> {
        self.change_document(at, &e.document.to_string(), |d| {
            d.phase = DocumentPhase::Returned { step: e.step };
        })
    }

    pub(super) fn document_rejected(
        &mut self,
        e: &DocumentRejected,
        at: Moment,
    ) -> Result<(), String> {
        self.change_document(at, &e.document.to_string(), |d| {
            d.phase = DocumentPhase::Rejected;
        })
    }

    pub(super) fn document_approved(
        &mut self,
        e: &DocumentApproved,
        at: Moment,
    ) -> Result<(), String> {
        self.change_document(at, &e.document.to_string(), |d| {
            d.phase = DocumentPhase::Approved;
        })
    }

    pub(super) fn document_published(
        &mut self,
        e: &DocumentPublished,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.change_document(at, &e.document.to_string(), |d| {
            d.published_on = Some(on);
        })
    }

    pub(super) fn deadline_missed(&mut self, e: &DeadlineMissed, at: Moment) -> Result<(), String> {
        let on = at.effective;
        let mut key = format!(
            "{}:{:?}:{}:{}:{}:{}",
            e.association,
            e.deadline,
            e.school_year,
            e.document.map(|d| d.to_string()).unwrap_or_default(),
            e.version.unwrap_or(0),
            e.step.unwrap_or(0)
        );
        if let Some(document_type) = e.document_type {
            key += &format!(":{document_type:?}");
        }
        self.start(
            at,
            key,
            e.association.to_string(),
            on,
            None,
            FactBody::DeadlineMissed(Box::new(e.clone())),
        )
    }

    /// A change of a document on the event's date; its open copy follows.
    fn change_document(
        &mut self,
        at: Moment,
        key: &str,
        update: impl Fn(&mut DocumentFact),
    ) -> Result<(), String> {
        let on = at.effective;
        let changed = self.change_on(at, kind::DOCUMENT, key, on, |body| {
            if let FactBody::Document(d) = body {
                update(d);
                d.since = on;
            }
        })?;
        if let Some(from) = changed {
            self.follow_document(at, key, from);
        }
        Ok(())
    }

    /// The open copy of a document from `from` on is the document on the days it is on its
    /// way (draft, in review, returned), and nothing once it is finished. Each copy is kept
    /// under the scope of whom it waits on (`WaitsOn::scope`), for the inbox.
    fn follow_document(&mut self, at: Moment, key: &str, from: NaiveDate) {
        let copies: Vec<(String, NaiveDate, Option<NaiveDate>, FactBody)> = self
            .segments(&(kind::DOCUMENT, key.to_string()))
            .map(|segments| {
                let first = segments.partition_point(|s| s.valid_from < from);
                segments[first..]
                    .iter()
                    .filter_map(|s| match &s.body {
                        FactBody::Document(d) if d.phase.open() => Some((
                            d.waits_on().scope(),
                            s.valid_from,
                            s.valid_to,
                            FactBody::OpenDocument(d.clone()),
                        )),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let key = (kind::OPEN_DOCUMENT, key.to_string());
        let create = !copies.is_empty();
        self.edit(at, &key, create, |fact| {
            fact.truncate(from);
            for (scope, valid_from, valid_to, body) in copies {
                let index = fact.segments.len();
                let scope = fact.scopes.of(&scope);
                fact.write(index, scope, valid_from, valid_to, body);
            }
        });
    }
}
