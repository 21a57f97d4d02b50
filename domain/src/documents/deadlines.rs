//! Missed deadlines, recorded by the workflow's timers (as operator) on the document's stream —
//! a step's review period, the day of submission, the day of approval — or on the
//! association's: no head by the day the profile sets (000 §4.2, §7.4), the member database not
//! updated (000 §4.6, §10.4), a document nobody opened. Refused when the deadline has not
//! passed, was met, or was already recorded, so a timer fires once.

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::decider::{exists, not_found, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, DocumentId};
use crate::profile::{FillMethod, RoleRule};
use crate::values::{AssociationRole, BodyKind, DocumentType, Level};

use super::approval::*;
use super::events::*;
use super::state::{DocumentState, DocumentStatus};
use crate::associations::state::AssociationState;
use crate::calendar::MonthDay;
use crate::registry::state::MunicipalityState;

impl<'a> Decider<'a> {
    /// The days a document must be submitted and approved by: fixed with its chain at the
    /// first submission; before it, the profile's (as the timers compute them) — a document
    /// never submitted misses them too.
    fn document_deadlines(&self, doc: &DocumentState) -> (Option<NaiveDate>, Option<NaiveDate>) {
        if doc.chain_assigned {
            return (doc.submit_by, doc.due);
        }
        let level = doc
            .association
            .and_then(|a| self.ctx.world.association(a))
            .and_then(|a| a.level)
            .unwrap_or(Level::City);
        let (Some(document_type), Some(year)) = (doc.document_type, doc.school_year) else {
            return (None, None);
        };
        let Some(rule) = self.profile().document_rule(document_type, level) else {
            return (None, None);
        };
        let day = |d: MonthDay| document_deadline(document_type, year, d);
        (rule.submit_by.map(day), rule.due.map(day))
    }

    /// Records a deadline that passed (the workflow's timers, as operator). Refused when the
    /// deadline has not passed, was met, or was already recorded — so a timer fires once.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn record_deadline_missed(
        &mut self,
        deadline: DeadlineKind,
        association: AssociationId,
        document: Option<DocumentId>,
        due: NaiveDate,
        version: Option<u32>,
        step: Option<u32>,
        document_type: Option<DocumentType>,
    ) -> Result<Ruling, DomainError> {
        let acted_as = self.operator_only("запись о пропущенном сроке")?;
        let world = self.ctx.world;
        let on = self.date();
        if on <= due {
            return Err(not_missed(format!("срок {due} ещё не прошёл на {on}")));
        }
        let state = world
            .association(association)
            .ok_or_else(|| not_found("объединение", association))?;
        let missed = match document {
            Some(document) => self.document_deadline_missed(
                deadline,
                (association, state),
                document,
                due,
                (version, step),
            )?,
            None => self.association_deadline_missed(
                deadline,
                (association, state),
                due,
                document_type,
            )?,
        };
        Ok(Ruling::new(acted_as, vec![missed.into()]))
    }

    /// A deadline of a document: its step's review period, its submission or its approval.
    fn document_deadline_missed(
        &self,
        deadline: DeadlineKind,
        (association, state): (AssociationId, &AssociationState),
        document: DocumentId,
        due: NaiveDate,
        (version, step): (Option<u32>, Option<u32>),
    ) -> Result<DeadlineMissed, DomainError> {
        let world = self.ctx.world;
        let doc = world
            .document(document)
            .ok_or_else(|| not_found("документ", document))?;
        if doc.association != Some(association) {
            return Err(not_found("документ объединения", document));
        }
        if doc.missed.contains(&(deadline, version, step)) {
            return Err(exists(
                "запись о пропущенном сроке",
                format!("{document} {deadline:?}"),
            ));
        }
        let year = doc
            .school_year
            .unwrap_or_else(|| SchoolYear::containing(due));
        let (submit_by, approve_by) = self.document_deadlines(doc);
        let source = match (deadline, doc.review_days) {
            (DeadlineKind::StepReview, Some(days)) => DeadlineSource::Local {
                setting: review_setting(days),
            },
            (DeadlineKind::StepReview, None) => {
                return Err(not_missed(
                    "у шагов этого документа нет срока рассмотрения: положение его не \
                     устанавливает, профиль муниципалитета — тоже"
                        .into(),
                ))
            }
            _ => DeadlineSource::Clause(self.chain_clause(doc)),
        };
        let holder = match deadline {
            DeadlineKind::StepReview => {
                // The stay of that version at that step, decided late or not at all.
                let period = doc
                    .step_periods
                    .iter()
                    .find(|p| Some(p.version) == version && Some(p.step) == step)
                    .filter(|p| period_due(doc, p) == Some(due))
                    .filter(|p| p.decided.is_none_or(|d| d > due))
                    .ok_or_else(|| {
                        not_missed(format!(
                            "шаг {step:?} версии {version:?} решён в срок или срок другой"
                        ))
                    })?;
                let assigned = doc
                    .chain
                    .get((period.step as usize).saturating_sub(1))
                    .ok_or_else(|| not_found("шаг цепочки", period.step))?;
                step_holder(world, association, assigned, due)
            }
            DeadlineKind::Submission => {
                if submit_by != Some(due) || doc.first_submitted_on().is_some_and(|d| d <= due) {
                    return Err(not_missed(
                        "документ подан в срок или срок подачи другой".into(),
                    ));
                }
                author_holder(world, association, due)
            }
            DeadlineKind::Approval => {
                if approve_by != Some(due)
                    || doc.status == DocumentStatus::Approved
                        && doc.closed_on.is_some_and(|d| d <= due)
                {
                    return Err(not_missed(
                        "документ утверждён в срок или срок другой".into(),
                    ));
                }
                if doc.status == DocumentStatus::Rejected {
                    return Err(not_missed("документ отклонён".into()));
                }
                document_holder(world, doc, due)
                    .unwrap_or_else(|| author_holder(world, association, due))
            }
            DeadlineKind::HeadAppointment
            | DeadlineKind::MemberDatabase
            | DeadlineKind::SecretaryElection
            | DeadlineKind::AssociationList => {
                return Err(not_missed(
                    "этот срок относится к объединению, а не к документу".into(),
                ))
            }
        };
        // Recorded already while nobody had opened the document.
        if state.missed.contains(&(deadline, year, doc.document_type)) {
            return Err(exists(
                "запись о пропущенном сроке",
                format!("{association} {deadline:?} {year}"),
            ));
        }
        Ok(DeadlineMissed {
            deadline,
            due,
            school_year: year,
            document: Some(document),
            association,
            version,
            step,
            document_type: None,
            holder,
            source,
        })
    }

    /// A deadline of the association: its head, its member database, or a document of a type
    /// nobody opened by its day.
    fn association_deadline_missed(
        &self,
        deadline: DeadlineKind,
        (association, state): (AssociationId, &AssociationState),
        due: NaiveDate,
        document_type: Option<DocumentType>,
    ) -> Result<DeadlineMissed, DomainError> {
        let world = self.ctx.world;
        let level = state.level.unwrap_or(Level::City);
        // A document nobody opened by its day: the rule of the profile that sets the day, and
        // the school year the document is for (a plan falls due before its year starts).
        let expected = match (deadline, document_type) {
            (DeadlineKind::Submission | DeadlineKind::Approval, Some(document_type)) => {
                let rule = self.profile().document_rule(document_type, level);
                let day = rule.and_then(|r| match deadline {
                    DeadlineKind::Submission => r.submit_by,
                    _ => r.due,
                });
                let year = day.and_then(|day| {
                    let containing = SchoolYear::containing(due);
                    [containing, containing.next()]
                        .into_iter()
                        .find(|y| document_deadline(document_type, *y, day) == due)
                });
                match (rule, year) {
                    (Some(rule), Some(year)) => Some((rule.clause.clone(), year)),
                    _ => {
                        return Err(not_missed(format!(
                            "у документа «{}» на уровне «{}» нет срока {due}",
                            document_type.in_russian(),
                            level.in_russian()
                        )))
                    }
                }
            }
            (DeadlineKind::Submission | DeadlineKind::Approval, None) => {
                return Err(not_missed(
                    "срок документа записывается по документу или по его виду".into(),
                ))
            }
            _ => None,
        };
        let year = expected
            .as_ref()
            .map_or_else(|| SchoolYear::containing(due), |(_, year)| *year);
        if state.missed.contains(&(deadline, year, document_type)) {
            return Err(exists(
                "запись о пропущенном сроке",
                format!("{association} {deadline:?} {year}"),
            ));
        }
        let municipality = self.municipality()?;
        let (holder, clause) = match deadline {
            DeadlineKind::HeadAppointment => {
                let rule = self
                    .profile()
                    .role_rule(AssociationRole::Head, level)
                    .filter(|r| r.deadline.is_some_and(|d| year.date_of(d) == due))
                    .ok_or_else(|| {
                        not_missed(format!(
                            "у руководителя на уровне «{}» нет срока {due}",
                            level.in_russian()
                        ))
                    })?;
                if state.holder(AssociationRole::Head, due).is_some() {
                    return Err(not_missed("руководитель на этот день был".into()));
                }
                (
                    appointing_body(municipality, state, rule.method, rule.issuer),
                    rule.clause.clone(),
                )
            }
            DeadlineKind::MemberDatabase => {
                let rule = self
                    .profile()
                    .member_database
                    .as_ref()
                    .filter(|r| year.date_of(r.due) == due)
                    .ok_or_else(|| {
                        not_missed(format!("срок актуализации банка данных не {due}"))
                    })?;
                if state
                    .member_database_updates
                    .iter()
                    .any(|(y, d)| *y == year && *d <= due)
                {
                    return Err(not_missed("банк данных актуализирован в срок".into()));
                }
                (author_holder(world, association, due), rule.clause.clone())
            }
            DeadlineKind::SecretaryElection => {
                // Owed for each school year the association was there from its first day.
                let owed = state.created_on.is_some_and(|c| c <= year.first_day());
                let rule = self
                    .profile()
                    .role_rule(AssociationRole::Secretary, level)
                    .filter(|r| owed && r.yearly && secretary_election_due(r, year) == due)
                    .ok_or_else(|| {
                        not_missed(format!(
                            "у секретаря на уровне «{}» нет ежегодного срока {due}",
                            level.in_russian()
                        ))
                    })?;
                let elected = state.filled_for(AssociationRole::Secretary, year);
                if elected {
                    return Err(not_missed(format!("секретарь на {year} избран")));
                }
                (
                    Holder {
                        role: "члены объединения (избрание секретаря)".into(),
                        persons: Vec::new(),
                        body: None,
                    },
                    rule.clause.clone(),
                )
            }
            DeadlineKind::AssociationList => {
                self.association_list_missed((association, state), year, due)?
            }
            // That no document of this type and year was opened is the runner's finding: it
            // folds the whole log, while a command loads only the streams it names.
            DeadlineKind::Submission | DeadlineKind::Approval => {
                let (clause, _) = expected.ok_or_else(|| not_missed("нет правила".into()))?;
                (author_holder(world, association, due), clause)
            }
            DeadlineKind::StepReview => {
                return Err(not_missed("этот срок относится к документу".into()))
            }
        };
        if state.liquidated_on.is_some_and(|d| d <= due) {
            return Err(not_missed("объединение ликвидировано".into()));
        }
        Ok(DeadlineMissed {
            deadline,
            due,
            school_year: year,
            document: None,
            association,
            version: None,
            step: None,
            document_type,
            holder: Holder {
                role: holder.role,
                persons: holder.persons,
                body: holder.body,
            },
            source: DeadlineSource::Clause(clause),
        })
    }
}

/// Who had to appoint a head: the body of the profile's rule, or the members (an election).
pub(crate) fn appointing_body(
    municipality: &MunicipalityState,
    state: &AssociationState,
    method: FillMethod,
    issuer: Option<BodyKind>,
) -> Holder {
    match (method, issuer) {
        (FillMethod::Order, Some(kind)) => {
            let body = municipality
                .bodies
                .iter()
                .find(|(_, b)| {
                    b.kind == kind
                        && (kind != BodyKind::DistrictDepartment || b.district == state.district)
                        && (kind != BodyKind::OrganizationAdministration
                            || b.organization == state.organization)
                })
                .map(|(id, _)| *id);
            Holder {
                role: kind.in_russian().to_string(),
                persons: Vec::new(),
                body,
            }
        }
        _ => Holder {
            role: "члены объединения (избрание руководителя)".into(),
            persons: Vec::new(),
            body: None,
        },
    }
}

/// The refusal of a deadline that was not missed (or not on that day).
pub(crate) fn not_missed(reason: String) -> DomainError {
    DomainError::DeadlineNotMissed { reason }
}

/// The last day a yearly secretary's election for `year` can be held: the rule's own day where
/// it names one, else the school year's last day — «ежегодно» (000 §4.3) asks for one election
/// in each school year and names no earlier day.
pub fn secretary_election_due(rule: &RoleRule, year: SchoolYear) -> NaiveDate {
    rule.deadline
        .map_or_else(|| year.last_day(), |day| year.date_of(day))
}
