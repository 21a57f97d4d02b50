//! Documents' decisions: a document opened and its versions submitted by the author the
//! profile names for its type and level (a network-event report with what 002 §5.11 requires,
//! a road map on its approved technical assignment, 002 §5.8, with the meetings and network
//! events it plans, 002 §5.9); the first submission fixes the chain. The steps of the chain are decided in `approval.rs`, missed deadlines in
//! `deadlines.rs`.

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{exists, misrouted, not_found, ActedAs, Decider, Ruling};
use crate::error::DomainError;
use crate::events::Event;
use crate::ids::{AssociationId, DocumentId, PersonId};
use crate::profile::Planned;
use crate::values::{required_text, AssociationRole, BodyKind, DocumentType, Level};

use super::commands::*;
use super::events::*;
use super::state::{DocumentState, DocumentStatus};
use crate::associations::state::AssociationState;
use crate::roles::events::Nomination;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::OpenDocument(OpenDocument {
            document,
            association,
            document_type,
            school_year,
            title,
            nomination,
        }) => d.open_document(
            *document,
            *association,
            *document_type,
            *school_year,
            title,
            *nomination,
        ),
        Command::SubmitDocumentVersion(submit) => d.submit_document_version(submit),
        Command::ApproveStep(ApproveStep {
            document,
            step,
            comment,
            meeting,
            order,
            protocol_number,
        }) => d.approve_step(
            *document,
            *step,
            comment.as_deref(),
            *meeting,
            *order,
            protocol_number.as_deref(),
        ),
        Command::ReturnDocument(ReturnDocument {
            document,
            step,
            comment,
        }) => d.return_document(*document, *step, comment),
        Command::RejectDocument(RejectDocument {
            document,
            step,
            reason,
        }) => d.reject_document(*document, *step, reason),
        Command::FinalizeDocument(FinalizeDocument { document }) => d.finalize_document(*document),
        Command::PublishDocument(PublishDocument { document, address }) => {
            d.publish_document(*document, address)
        }
        Command::RecordDeadlineMissed(RecordDeadlineMissed {
            deadline,
            association,
            document,
            due,
            version,
            step,
            document_type,
        }) => d.record_deadline_missed(
            *deadline,
            *association,
            *document,
            *due,
            *version,
            *step,
            *document_type,
        ),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn open_document(
        &mut self,
        document: DocumentId,
        association: AssociationId,
        document_type: DocumentType,
        school_year: SchoolYear,
        title: &str,
        nomination: Option<Nomination>,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        if world.documents.get(&document).is_some_and(|d| d.exists()) {
            return Err(exists("документ", document));
        }
        let state = self.live_association(association)?;
        let (_, acted_as) = self.document_author(state, document_type)?;
        match (document_type, nomination) {
            (DocumentType::Nomination, Some(n)) => {
                world
                    .person(n.person)
                    .ok_or_else(|| not_found("лицо", n.person))?;
                if n.role == AssociationRole::Secretary {
                    return Err(DomainError::InvalidStructure {
                        reason: "секретарь избирается членами, а не назначается по кандидатуре"
                            .into(),
                    });
                }
            }
            (DocumentType::Nomination, None) => {
                return Err(DomainError::InvalidStructure {
                    reason: "в кандидатуре нужно указать лицо и роль (nomination)".into(),
                })
            }
            (_, Some(_)) => {
                return Err(DomainError::InvalidStructure {
                    reason: "лицо и роль указываются только в кандидатуре на назначение".into(),
                })
            }
            (_, None) => {}
        }
        Ok(Ruling::new(
            acted_as,
            vec![DocumentOpened {
                document,
                association,
                document_type,
                school_year,
                title: required_text("название документа", title, 500)?,
                nomination,
            }
            .into()],
        ))
    }

    fn submit_document_version(
        &mut self,
        submit: &SubmitDocumentVersion,
    ) -> Result<Ruling, DomainError> {
        let SubmitDocumentVersion {
            document,
            ref content_hash,
            ref network_event,
            based_on,
            planned_meetings,
            planned_network_events,
        } = *submit;
        let world = self.ctx.world;
        let doc = world
            .document(document)
            .ok_or_else(|| not_found("документ", document))?;
        let association_id = doc
            .association
            .ok_or_else(|| not_found("объединение", "документа"))?;
        let state = self.live_association(association_id)?;
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        let (author, acted_as) = self.document_author(state, document_type)?;
        self.submittable(doc)?;
        let level = state.level.unwrap_or(Level::City);
        let rule = self.document_rule(document_type, level)?;
        // A version after a return keeps what the returned one was based on and planned,
        // unless it says otherwise: the rework is of the text («Мои задачи» resubmits the
        // text alone).
        let returned = matches!(doc.status, DocumentStatus::Returned { .. })
            .then(|| doc.versions.last())
            .flatten();
        let based_on = based_on.or(returned.and_then(|v| v.based_on));
        let planned_meetings = planned_meetings.or(returned.and_then(|v| v.planned_meetings));
        let planned_network_events =
            planned_network_events.or(returned.and_then(|v| v.planned_network_events));
        let based_on = self.basis_document(doc, rule, based_on)?;
        let planned_meetings =
            self.planned_count(document_type, rule, Planned::Meetings, planned_meetings)?;
        let planned_network_events = self.planned_count(
            document_type,
            rule,
            Planned::NetworkEvents,
            planned_network_events,
        )?;
        let network_event = match (document_type, network_event.as_ref()) {
            (DocumentType::NetworkEventReport, Some(details)) => {
                Some(check_network_event(details)?)
            }
            (DocumentType::NetworkEventReport, None) => {
                return Err(DomainError::NetworkEventReportIncomplete {
                    missing:
                        "сведения о событии (тема, дата, цель, аудитория, лист регистрации, фото)"
                            .into(),
                })
            }
            (_, Some(_)) => return Err(DomainError::InvalidStructure {
                reason:
                    "сведения о сетевом событии прикладываются только к отчёту о сетевом событии"
                        .into(),
            }),
            (_, None) => None,
        };
        let mut events: Vec<Event> = vec![DocumentVersionSubmitted {
            document,
            association: association_id,
            version: doc.last_version() + 1,
            author,
            content_hash: content_hash.clone(),
            network_event,
            based_on,
            planned_meetings,
            planned_network_events,
        }
        .into()];
        if !doc.chain_assigned {
            events.push(self.assign_chain(doc, state)?.into());
        }
        Ok(Ruling::new(acted_as, events))
    }

    /// The profile's rule for a document of this type at this level; refused, citing the
    /// regulation's list of documentation, where the profile provides none.
    pub(crate) fn document_rule(
        &self,
        document_type: DocumentType,
        level: Level,
    ) -> Result<&'a crate::profile::DocumentRule, DomainError> {
        self.profile()
            .document_rule(document_type, level)
            .ok_or_else(|| DomainError::DocumentNotProvided {
                document: document_type.in_russian(),
                level: level.in_russian(),
                clause: self.profile().documentation_clause(level),
            })
    }

    /// The document a version cites as its basis, where its rule `requires` one (002 §5.8,
    /// §4.1: the road map is developed on the technical assignment agreed with the curator).
    /// The command names it, so the handler loads it with the document: the association's
    /// own stream does not know its documents, and a cited id is also what the version
    /// records. It must be of the required type, of the same association and school year, and
    /// approved (or, where its chain is empty, recorded) by the day of the version.
    fn basis_document(
        &self,
        doc: &DocumentState,
        rule: &crate::profile::DocumentRule,
        cited: Option<crate::ids::DocumentId>,
    ) -> Result<Option<crate::ids::DocumentId>, DomainError> {
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        let (Some(required), Some(clause)) = (rule.requires, rule.requires_clause.as_ref()) else {
            return match cited {
                None => Ok(None),
                Some(_) => Err(DomainError::InvalidStructure {
                    reason: format!(
                        "документ «{}» не разрабатывается на основе другого: основание (based_on) не указывается",
                        document_type.in_russian()
                    ),
                }),
            };
        };
        let refused = |reason: String| DomainError::BasisDocumentRequired {
            document: document_type.in_russian(),
            basis: required.in_russian(),
            reason,
            clause: clause.clone(),
        };
        let Some(id) = cited else {
            return Err(refused("основание не указано (based_on)".into()));
        };
        let Some(basis) = self.ctx.world.document(id) else {
            return Err(refused(format!("документ {id} не найден")));
        };
        if basis.document_type != Some(required) {
            return Err(refused(format!(
                "документ {id} — «{}»",
                basis
                    .document_type
                    .map(DocumentType::in_russian)
                    .unwrap_or("?")
            )));
        }
        if basis.association != doc.association {
            return Err(refused(format!("документ {id} другого объединения")));
        }
        if basis.school_year != doc.school_year {
            return Err(refused(format!(
                "документ {id} на {} учебный год, а этот — на {}",
                basis.school_year.map(|y| y.to_string()).unwrap_or_default(),
                doc.school_year.map(|y| y.to_string()).unwrap_or_default()
            )));
        }
        let on = self.date();
        let since = match basis.status {
            DocumentStatus::Approved => basis.closed_on,
            DocumentStatus::Recorded => basis.first_submitted_on(),
            _ => None,
        };
        match since {
            Some(since) if since <= on => Ok(Some(id)),
            Some(since) => Err(refused(format!(
                "документ {id} утверждён только {since}, позже {on}"
            ))),
            None => Err(refused(format!(
                "документ {id} не утверждён: {}",
                basis.status.in_russian()
            ))),
        }
    }

    /// The number of meetings or network events a version plans for its school year (002
    /// §5.9: «Периодичность заседаний ГМО и иных сетевых событий определяется дорожной
    /// картой»). Where the profile has this document set it (`planned_by`), every version
    /// gives it — at least one meeting — or is refused citing that clause; any other
    /// document giving it is refused citing what does set the number: the document that
    /// plans it, or the regulation's minimum of meetings.
    fn planned_count(
        &self,
        document_type: DocumentType,
        rule: &crate::profile::DocumentRule,
        what: Planned,
        given: Option<u32>,
    ) -> Result<Option<u32>, DomainError> {
        let profile = self.profile();
        let document = document_type.in_russian();
        let (field, what_ru) = (what.field(), what.in_russian());
        let planned_by = profile.planned_by(what);
        if let Some((_, clause)) = planned_by.filter(|(by, _)| *by == document_type) {
            let refused = |reason: &str| DomainError::PlannedCountRequired {
                document,
                what: what_ru,
                field,
                reason: reason.into(),
                clause: clause.clone(),
            };
            return match given {
                None => Err(refused("не указано")),
                Some(0) if what == Planned::Meetings => {
                    Err(refused("нужно хотя бы одно заседание"))
                }
                Some(n) => Ok(Some(n)),
            };
        }
        if given.is_none() {
            return Ok(None);
        }
        let unrelated = "профиль не связывает его ни с каким документом";
        let (reason, clause) = match (what, planned_by) {
            (_, Some((by, clause))) => (
                format!("его устанавливает документ «{}»", by.in_russian()),
                clause.clone(),
            ),
            (Planned::Meetings, None) => (
                match profile.meetings.min_per_school_year {
                    Some(n) => {
                        format!("положение устанавливает не менее {n} заседаний за учебный год")
                    }
                    None => unrelated.to_string(),
                },
                profile.meetings.min_clause.clone(),
            ),
            (Planned::NetworkEvents, None) => (unrelated.to_string(), rule.clause.clone()),
        };
        Err(DomainError::PlannedCountNotProvided {
            document,
            what: what_ru,
            field,
            reason,
            clause,
        })
    }

    /// The actor may author a document of this type for this association: the author, as who
    /// of the authors the profile names.
    pub(crate) fn document_author(
        &mut self,
        state: &AssociationState,
        document_type: DocumentType,
    ) -> Result<(PersonId, ActedAs), DomainError> {
        let level = state.level.unwrap_or(Level::City);
        let rule = self.document_rule(document_type, level)?;
        let person = self.person_id();
        let on = self.date();
        for author in &rule.authors {
            let ok = match (author, person) {
                (crate::profile::DocumentAuthor::Head, Some(p)) => {
                    state.holder(AssociationRole::Head, on) == Some(p)
                }
                (crate::profile::DocumentAuthor::Curator, Some(p)) => {
                    state.holder(AssociationRole::Curator, on) == Some(p)
                }
                (crate::profile::DocumentAuthor::MethodicalCenter, Some(p)) => self
                    .municipality()
                    .is_ok_and(|m| m.is_official_of_kind(p, BodyKind::MethodicalCenter, on)),
                (_, None) => false,
            };
            if ok {
                let person = person.ok_or(DomainError::PersonalDataNotSealed)?;
                return Ok((person, ActedAs::Author(*author)));
            }
        }
        Err(DomainError::DocumentAuthorMismatch {
            document: document_type.in_russian(),
            authors: rule
                .authors
                .iter()
                .map(|a| a.in_russian())
                .collect::<Vec<_>>()
                .join(" или "),
            clause: rule.clause.clone(),
        })
    }
}

/// 002 §5.11: topic, date, goal, audience, attendance list and photo/screenshot are required.
fn check_network_event(details: &NetworkEventDetails) -> Result<NetworkEventDetails, DomainError> {
    let mut missing = Vec::new();
    if details.topic.trim().is_empty() {
        missing.push("тема");
    }
    if details.goal.trim().is_empty() {
        missing.push("цель");
    }
    if details.audience.trim().is_empty() {
        missing.push("целевая аудитория");
    }
    if details.attendance_count == 0 || details.attendance_count < details.attendees.len() as u32 {
        missing.push("лист регистрации участников (число участников)");
    }
    if details.evidence.is_empty() {
        missing.push("фото или скриншот");
    }
    if !missing.is_empty() {
        return Err(DomainError::NetworkEventReportIncomplete {
            missing: missing.join(", "),
        });
    }
    let mut clean = details.clone();
    clean.topic = details.topic.trim().to_string();
    clean.goal = details.goal.trim().to_string();
    clean.audience = details.audience.trim().to_string();
    Ok(clean)
}
