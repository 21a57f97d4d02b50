//! Approval chains: which steps a document travels (from the profile, fixed at its first
//! submission), who may decide each step on a date (the holder of the role, or a deputy by
//! order), the decisions — approve, return for rework, reject, and the approval when every step
//! approved — and the days each step and document is due by.

use chrono::{Days, NaiveDate};

use crate::calendar::SchoolYear;
use crate::decider::{not_found, ActedAs, Acting, BasisKindRef, BasisRef, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, BodyId, DocumentId, MeetingId, OrderId, PersonId};
use crate::values::{required_text, AssociationRole, BodyKind, DocumentType, Level};
use crate::world::World;

use super::events::*;
use super::state::{DocumentState, DocumentStatus, StepPeriod};
use crate::associations::state::AssociationState;
use crate::calendar::MonthDay;
use crate::meetings::state::MeetingState;
use crate::profile::{ChainStep, MeetingOf, StepRole};

/// The day of a deadline for a document of `school_year`: planning documents (the plan, the
/// technical assignment) fall due before or as their year starts — the plan for 2025/26 is
/// agreed by 5 May 2025 (000 §10.5) and approved by 15 Sep 2025 (003 §7.9); analyses and
/// reports fall due within their own year.
pub fn document_deadline(
    document_type: DocumentType,
    school_year: SchoolYear,
    day: MonthDay,
) -> NaiveDate {
    match document_type {
        DocumentType::WorkPlan | DocumentType::TechnicalAssignment => {
            NaiveDate::from_ymd_opt(school_year.start_year(), day.month(), day.day())
                .unwrap_or_else(|| school_year.date_of(day))
        }
        _ => school_year.date_of(day),
    }
}

/// Who holds a step on `date`: the role in words, the persons, the body.
pub fn step_holder(
    world: &World,
    document_association: AssociationId,
    assigned: &AssignedStep,
    date: NaiveDate,
) -> Holder {
    let step = &assigned.step;
    let scope = assigned.association.unwrap_or(document_association);
    let association = world.association(scope);
    let role_persons = |role: AssociationRole| -> Vec<PersonId> {
        association
            .map(|a| {
                let mut persons: Vec<PersonId> = a.holder(role, date).into_iter().collect();
                persons.extend(
                    a.deputies
                        .iter()
                        .filter(|(r, _, term)| *r == role && term.covers(date))
                        .map(|(_, p, _)| *p),
                );
                persons
            })
            .unwrap_or_default()
    };
    let officials = |kind: BodyKind| -> (Option<BodyId>, Vec<PersonId>) {
        let Some(m) = world.municipality() else {
            return (None, Vec::new());
        };
        let body = m
            .bodies
            .iter()
            .find(|(_, b)| b.kind == kind)
            .map(|(id, _)| *id);
        let persons = m
            .officials
            .iter()
            .filter(|t| t.term.covers(date))
            .filter(|t| m.bodies.get(&t.body).is_some_and(|b| b.kind == kind))
            .filter(|t| step.offices.is_empty() || step.offices.contains(&t.office))
            .map(|t| t.person)
            .collect();
        (body, persons)
    };
    let role = step.in_russian();
    match step.role {
        StepRole::AssociationHead | StepRole::CityHead => Holder {
            role,
            persons: role_persons(AssociationRole::Head),
            body: None,
        },
        StepRole::Curator => Holder {
            role,
            persons: role_persons(AssociationRole::Curator),
            body: None,
        },
        StepRole::Department | StepRole::MethodicalCenter | StepRole::Council => {
            let kind = match step.role {
                StepRole::Department => BodyKind::Department,
                StepRole::MethodicalCenter => BodyKind::MethodicalCenter,
                _ => step.council.unwrap_or(BodyKind::CoordinationCouncil),
            };
            let (body, persons) = officials(kind);
            Holder {
                role,
                persons,
                body,
            }
        }
    }
}

/// The role named for a document's author's side before its first submission.
pub const AUTHOR_SIDE_ROLE: &str = "руководитель объединения (автор документа)";

/// The role named for the author of a returned version, who reworks it.
pub fn returned_version_role(version: u32) -> String {
    format!("автор версии {version} (доработка)")
}

/// Who the author's side is when a document waits for its author (not submitted yet, or
/// returned): the head of its association.
pub fn author_holder(world: &World, association: AssociationId, date: NaiveDate) -> Holder {
    Holder {
        role: AUTHOR_SIDE_ROLE.into(),
        persons: world
            .association(association)
            .and_then(|a| a.holder(AssociationRole::Head, date))
            .into_iter()
            .collect(),
        body: None,
    }
}

/// Who holds a returned document: the author of the version that came back (DOMAIN.md §3:
/// a return goes back to the author, who resubmits) — the association's head when no
/// version was submitted.
pub fn returned_holder(world: &World, doc: &DocumentState, date: NaiveDate) -> Option<Holder> {
    let association = doc.association?;
    Some(match doc.versions.last() {
        Some(version) => Holder {
            role: returned_version_role(version.version),
            persons: vec![version.author],
            body: None,
        },
        None => author_holder(world, association, date),
    })
}

/// Who holds a document on `date`: the current step's holder, the author of a returned
/// version, or (before the first submission) the association's head.
pub fn document_holder(world: &World, doc: &DocumentState, date: NaiveDate) -> Option<Holder> {
    let association = doc.association?;
    match doc.current_step() {
        Some((_, assigned)) => Some(step_holder(world, association, assigned, date)),
        None => match doc.status {
            DocumentStatus::Draft => Some(author_holder(world, association, date)),
            DocumentStatus::Returned { .. } => returned_holder(world, doc, date),
            _ => None,
        },
    }
}

fn add_days(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(date)
}

/// The last day a step reached on `arrived` has to decide: its review period, where the
/// municipality set one — except a step taken at the first meeting of the school year
/// (003 §7.9), which waits for that meeting and is bound by the document's own day (15 Sep)
/// only.
pub fn review_due(
    step: &ChainStep,
    arrived: NaiveDate,
    review_days: Option<u32>,
) -> Option<NaiveDate> {
    let days = review_days?;
    (!step.first_meeting_of_year).then(|| add_days(arrived, days))
}

/// The last day a document's current step has to decide.
pub fn step_due(doc: &DocumentState) -> Option<NaiveDate> {
    let (_, assigned) = doc.current_step()?;
    review_due(&assigned.step, doc.since?, doc.review_days)
}

/// The last day a stay at a step had for its decision.
pub fn period_due(doc: &DocumentState, period: &StepPeriod) -> Option<NaiveDate> {
    let assigned = doc.chain.get((period.step as usize).checked_sub(1)?)?;
    review_due(&assigned.step, period.arrived, doc.review_days)
}

impl<'a> Decider<'a> {
    /// A new version may be submitted when there is none yet, after a return, or where no
    /// approval is needed.
    pub(crate) fn submittable(&self, doc: &DocumentState) -> Result<(), DomainError> {
        match doc.status {
            DocumentStatus::Returned { .. } => match doc.since.filter(|since| self.date() < *since)
            {
                Some(returned) => Err(DomainError::DateTooEarly {
                    what: "новая версия представляется не раньше дня возврата на доработку",
                    date: self.date(),
                    earliest: returned,
                }),
                None => Ok(()),
            },
            DocumentStatus::Draft | DocumentStatus::Recorded => Ok(()),
            DocumentStatus::InReview { .. } | DocumentStatus::StepsApproved => {
                Err(DomainError::DocumentAwaitingDecision {
                    version: doc.last_version(),
                })
            }
            DocumentStatus::Approved | DocumentStatus::Rejected => {
                Err(DomainError::DocumentClosed {
                    state: doc.status.in_russian(),
                })
            }
        }
    }

    /// The chain of the profile for this document, with the associations whose heads,
    /// curators or meetings decide, and its deadlines.
    pub(crate) fn assign_chain(
        &self,
        doc: &DocumentState,
        association: &AssociationState,
    ) -> Result<ApprovalChainAssigned, DomainError> {
        let level = association.level.unwrap_or(Level::City);
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        let rule = self.document_rule(document_type, level)?;
        let own = association
            .id
            .ok_or_else(|| not_found("объединение", "документа"))?;
        let city = || -> Result<AssociationId, DomainError> {
            if level == Level::City {
                return Ok(own);
            }
            association
                .city_association
                .ok_or(DomainError::NoCityAssociation {
                    clause: rule.clause.clone(),
                })
        };
        let mut steps = Vec::new();
        for step in rule.chain_at(level) {
            let scope = match (step.role, step.at_meeting) {
                (StepRole::CityHead, _) | (_, Some(MeetingOf::City)) => Some(city()?),
                (StepRole::AssociationHead | StepRole::Curator, _) | (_, Some(MeetingOf::Own)) => {
                    Some(own)
                }
                _ => None,
            };
            steps.push(AssignedStep {
                step,
                association: scope,
            });
        }
        let year = doc
            .school_year
            .unwrap_or_else(|| SchoolYear::containing(self.date()));
        Ok(ApprovalChainAssigned {
            document: doc.id.ok_or_else(|| not_found("документ", "?"))?,
            association: own,
            steps,
            submit_by: rule
                .submit_by
                .map(|d| document_deadline(document_type, year, d)),
            due: rule.due.map(|d| document_deadline(document_type, year, d)),
            local_review_days: rule.review_days,
            former_review_days: None,
            clause: rule.clause.clone(),
        })
    }

    /// The document, and the current step if it is `step`; the actor must be able to decide it:
    /// the document, the actor, the step and the role they decide it in.
    fn deciding(
        &mut self,
        document: DocumentId,
        step: u32,
        action: &'static str,
    ) -> Result<(&'a DocumentState, PersonId, &'a AssignedStep, ActedAs), DomainError> {
        let world = self.ctx.world;
        let doc = world
            .document(document)
            .ok_or_else(|| not_found("документ", document))?;
        let association = doc
            .association
            .ok_or_else(|| not_found("объединение", "документа"))?;
        self.live_association(association)?;
        let (current, assigned) = match doc.status {
            DocumentStatus::InReview { step: current } => match doc.current_step() {
                Some((_, assigned)) => (current, assigned),
                None => return Err(not_found("шаг цепочки", current)),
            },
            DocumentStatus::Returned { .. } | DocumentStatus::Draft => {
                return Err(DomainError::DocumentState {
                    state: doc.status.in_russian(),
                    action,
                })
            }
            other => {
                return Err(DomainError::StepNotCurrent {
                    step,
                    state: other.in_russian().to_string(),
                })
            }
        };
        if current != step {
            return Err(DomainError::StepNotCurrent {
                step,
                state: format!("на шаге {current} ({})", assigned.step.in_russian()),
            });
        }
        let Acting::Person(person) = self.ctx.acting else {
            return Err(DomainError::NotAuthorized {
                reason: format!(
                    "{action}: решение на шаге принимает должностное лицо лично, не оператор"
                ),
            });
        };
        let on = self.date();
        // A step is decided on or after the day the version reached it: a decision dated
        // earlier would hide the review period and the deadlines it ran against.
        if let Some(arrived) = doc.since.filter(|since| on < *since) {
            return Err(DomainError::DateTooEarly {
                what:
                    "решение на шаге принимается не раньше дня, когда документ поступил на этот шаг",
                date: on,
                earliest: arrived,
            });
        }
        let holder = step_holder(world, association, assigned, on);
        if !holder.persons.contains(&person) {
            return Err(DomainError::NotAuthorized {
                reason: format!(
                    "{action}: шаг {step} решает {} на {on}; {person} эту роль не занимает",
                    assigned.step.in_russian()
                ),
            });
        }
        let acted_as = step_acted_as(world, association, assigned, person, on);
        Ok((doc, person, assigned, acted_as))
    }

    /// The day of a meeting `meeting`'s association held earlier in the same school year,
    /// if the loaded meetings show one (a meeting held the same day is not earlier).
    fn earlier_meeting_of_its_year(&self, meeting: &MeetingState) -> Option<NaiveDate> {
        let date = meeting.date?;
        self.ctx
            .world
            .meetings
            .values()
            .filter(|m| {
                m.is_held()
                    && m.association == meeting.association
                    && m.school_year == meeting.school_year
            })
            .filter_map(|m| m.date)
            .filter(|d| *d < date)
            .min()
    }

    pub(crate) fn approve_step(
        &mut self,
        document: DocumentId,
        step: u32,
        comment: Option<&str>,
        meeting: Option<MeetingId>,
        order: Option<OrderId>,
        protocol_number: Option<&str>,
    ) -> Result<Ruling, DomainError> {
        let (doc, by, assigned, acted_as) = self.deciding(document, step, "согласование")?;
        if assigned.step.by_order && order.is_none() {
            return Err(DomainError::OrderRequired {
                issuer: "органа, принимающего решение на этом шаге",
                clause: self.chain_clause(doc),
            });
        }
        let clause = self.chain_clause(doc);
        if let Some(whose) = assigned.step.at_meeting {
            let expected = assigned.association;
            let held = meeting
                .and_then(|m| self.ctx.world.meeting(m))
                .is_some_and(|m| {
                    m.is_held()
                        && m.association == expected
                        // Held since this version reached the step, and by the decision.
                        && m.date.is_some_and(|d| {
                            d <= self.date() && doc.since.is_none_or(|since| since <= d)
                        })
                });
            // The first meeting of the document's school year (003 §7.9): a meeting of that
            // year, not of the spring before, and none of the association's held before it
            // in that year (the loader brings every meeting it held: `World::lookups`).
            let of_its_year = meeting
                .and_then(|m| self.ctx.world.meeting(m))
                .is_some_and(|m| m.school_year.is_some() && m.school_year == doc.school_year);
            if held && assigned.step.first_meeting_of_year && !of_its_year {
                return Err(DomainError::StepMeetingRequired {
                    whose: "объединения — первом заседании учебного года, на который документ",
                    clause,
                });
            }
            if held && assigned.step.first_meeting_of_year {
                if let Some(earlier) = meeting
                    .and_then(|m| self.ctx.world.meeting(m))
                    .and_then(|m| self.earlier_meeting_of_its_year(m))
                {
                    return Err(DomainError::NotTheFirstMeeting { earlier, clause });
                }
            }
            if !held {
                return Err(DomainError::StepMeetingRequired {
                    whose: match whose {
                        MeetingOf::Own => "объединения",
                        MeetingOf::City => "городского объединения",
                    },
                    clause,
                });
            }
            if let Some(m) = meeting.and_then(|m| self.ctx.world.meeting(m)) {
                if let Some(state) = expected.and_then(|a| self.ctx.world.association(a)) {
                    self.protocol_basis(m, state);
                }
            }
        }
        if let Some(order) = order {
            let issuer = self
                .ctx
                .world
                .order(order)
                .and_then(|o| o.issuer_kind)
                .unwrap_or(BodyKind::Department);
            // The order is the basis; the step's holder is still who acted.
            self.order_basis(order, issuer, &clause)?;
        }
        let comment = comment
            .map(|c| required_text("комментарий", c, 4000))
            .transpose()?;
        let protocol_number = protocol_number
            .map(|n| required_text("номер протокола", n, 50))
            .transpose()?;
        // A council decides collegially, at its sitting: its approval cites the protocol of
        // that sitting, which becomes the decision's legal basis (000 §1.4, §4.2, §4.7).
        if assigned.step.role == StepRole::Council {
            let Some(number) = protocol_number.clone() else {
                return Err(DomainError::DecisionTextRequired {
                    action: "согласование советом",
                    what: "номер протокола заседания совета",
                });
            };
            self.basis = Some(BasisRef {
                kind: BasisKindRef::Protocol,
                number,
                date: self.date(),
                issuer: assigned
                    .step
                    .council
                    .unwrap_or(BodyKind::CoordinationCouncil)
                    .in_russian()
                    .to_string(),
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![StepApproved {
                document,
                version: doc.last_version(),
                step,
                final_step: step as usize == doc.chain.len(),
                by,
                comment,
                meeting,
                order,
                protocol_number,
            }
            .into()],
        ))
    }

    pub(crate) fn return_document(
        &mut self,
        document: DocumentId,
        step: u32,
        comment: &str,
    ) -> Result<Ruling, DomainError> {
        let (doc, by, _, acted_as) = self.deciding(document, step, "возврат на доработку")?;
        if comment.trim().is_empty() {
            return Err(DomainError::DecisionTextRequired {
                action: "возврат на доработку",
                what: "комментарий: что доработать",
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![DocumentReturned {
                document,
                version: doc.last_version(),
                step,
                by,
                comment: required_text("комментарий", comment, 4000)?,
            }
            .into()],
        ))
    }

    pub(crate) fn reject_document(
        &mut self,
        document: DocumentId,
        step: u32,
        reason: &str,
    ) -> Result<Ruling, DomainError> {
        let (doc, by, _, acted_as) = self.deciding(document, step, "отклонение")?;
        if reason.trim().is_empty() {
            return Err(DomainError::DecisionTextRequired {
                action: "отклонение",
                what: "причина отклонения",
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![DocumentRejected {
                document,
                version: doc.last_version(),
                step,
                by,
                reason: required_text("причина", reason, 4000)?,
            }
            .into()],
        ))
    }

    /// Every step approved: the document is approved (run by the workflow as operator).
    pub(crate) fn finalize_document(
        &mut self,
        document: DocumentId,
    ) -> Result<Ruling, DomainError> {
        let acted_as = self.operator_only("утверждение документа по итогам всех шагов")?;
        let doc = self
            .ctx
            .world
            .document(document)
            .ok_or_else(|| not_found("документ", document))?;
        if doc.status != DocumentStatus::StepsApproved {
            return Err(DomainError::DocumentState {
                state: doc.status.in_russian(),
                action: "утверждение по итогам всех шагов",
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![DocumentApproved {
                document,
                association: doc
                    .association
                    .ok_or_else(|| not_found("объединение", "документа"))?,
                version: doc.last_version(),
            }
            .into()],
        ))
    }

    pub(super) fn chain_clause(&self, doc: &DocumentState) -> crate::values::Clause {
        let level = doc
            .association
            .and_then(|a| self.ctx.world.association(a))
            .and_then(|a| a.level)
            .unwrap_or(Level::City);
        let document_type = doc.document_type.unwrap_or(DocumentType::WorkPlan);
        self.profile()
            .document_rule(document_type, level)
            .map(|r| r.clause.clone())
            .unwrap_or_else(|| self.profile().meetings.protocol_clause.clone())
    }
}

/// The role in which `person`, who holds the step on `on`, decides it: its head or curator (or
/// their deputy), an official of its body, or a council.
fn step_acted_as(
    world: &World,
    association: AssociationId,
    assigned: &AssignedStep,
    person: PersonId,
    on: NaiveDate,
) -> ActedAs {
    match assigned.step.role {
        StepRole::AssociationHead | StepRole::CityHead | StepRole::Curator => {
            let held = match assigned.step.role {
                StepRole::Curator => AssociationRole::Curator,
                _ => AssociationRole::Head,
            };
            let scope = assigned.association.unwrap_or(association);
            let deputy = world
                .association(scope)
                .is_some_and(|a| a.holder(held, on) != Some(person));
            ActedAs::StepHolder {
                role: assigned.step.role,
                deputy,
            }
        }
        StepRole::Department => ActedAs::StepOfficial(BodyKind::Department),
        StepRole::MethodicalCenter => ActedAs::StepOfficial(BodyKind::MethodicalCenter),
        StepRole::Council => ActedAs::Council(assigned.step.council),
    }
}
