//! Applications for membership (002 §5.2, forms 1 and 2): submitted by the teacher, the head of
//! their organization or the operator, for the school year under way or the next, for the
//! period the profile sets; approved, rejected or returned for rework by the body that receives
//! them.

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::decider::{exists, not_found, ActedAs, Acting, BasisKindRef, BasisRef, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{ApplicationId, AssociationId};
use crate::profile::ApplicationForm;
use crate::registry::state::MunicipalityState;
use crate::roles::events::CouncilReview;
use crate::values::{required_text, BodyKind, Clause};

use super::events::*;
use super::state::ApplicationStatus;

impl<'a> Decider<'a> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn submit_application(
        &mut self,
        application: crate::ids::ApplicationId,
        association: AssociationId,
        form: ApplicationForm,
        applicant: Member,
        theme: &str,
        school_year: SchoolYear,
        period_from: NaiveDate,
        period_to: NaiveDate,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        // A returned application comes back under its own id, for the same applicant and
        // association; any other application id is new.
        if let Some(earlier) = world.applications.get(&application).filter(|a| a.exists()) {
            if earlier.status != ApplicationStatus::Returned {
                return Err(exists("заявка", application));
            }
            if earlier.association != Some(association)
                || earlier.applicant != Some(applicant)
                || earlier.form != Some(form)
            {
                return Err(DomainError::InvalidStructure {
                    reason: "доработанная заявка подаётся тем же заявителем, по той же форме и в то же объединение".into(),
                });
            }
        }
        let rules = &self.profile().membership;
        if !rules.applications {
            return Err(DomainError::ApplicationsNotProvided {
                clause: rules.clause.clone(),
            });
        }
        if !rules.forms.contains(&form) {
            return Err(DomainError::ApplicationFormNotProvided {
                form: match form {
                    ApplicationForm::Teacher => "на педагогического работника (форма 1)",
                    ApplicationForm::Organization => "на образовательное учреждение (форма 2)",
                },
                clause: rules.clause.clone(),
            });
        }
        let state = self.live_association(association)?;
        let municipality = self.municipality()?;
        let acted_as = self.applicant_acts(form, applicant, municipality)?;
        // An application is for the school year under way or the coming one.
        let current = SchoolYear::containing(self.date());
        if school_year != current && school_year != current.next() {
            return Err(DomainError::DateOutsideSchoolYear {
                date: self.date(),
                year: school_year.to_string(),
            });
        }
        if let Some((expected_from, expected_to)) = self.profile().application_period(school_year) {
            if period_from != expected_from || period_to != expected_to {
                return Err(DomainError::ApplicationPeriodMismatch {
                    from: period_from,
                    to: period_to,
                    expected_from,
                    expected_to,
                    clause: rules.clause.clone(),
                });
            }
        }
        let _ = state;
        Ok(Ruling::new(
            acted_as,
            vec![MembershipApplicationSubmitted {
                application,
                association,
                form,
                applicant,
                theme: required_text("тема", theme, 1000)?,
                school_year,
                period_from,
                period_to,
            }
            .into()],
        ))
    }

    pub(super) fn approve_application(
        &mut self,
        application: ApplicationId,
        review: Option<&CouncilReview>,
    ) -> Result<Ruling, DomainError> {
        let (association, acted_as, review) = self.decidable_application(application, review)?;
        Ok(Ruling::new(
            acted_as,
            vec![MembershipApplicationApproved {
                application,
                association,
                review,
            }
            .into()],
        ))
    }

    pub(super) fn reject_application(
        &mut self,
        application: ApplicationId,
        reason: &str,
        review: Option<&CouncilReview>,
    ) -> Result<Ruling, DomainError> {
        let (association, acted_as, review) = self.decidable_application(application, review)?;
        Ok(Ruling::new(
            acted_as,
            vec![MembershipApplicationRejected {
                application,
                association,
                reason: required_text("причина отказа", reason, 2000)?,
                review,
            }
            .into()],
        ))
    }

    pub(super) fn return_application(
        &mut self,
        application: ApplicationId,
        comment: &str,
        review: Option<&CouncilReview>,
    ) -> Result<Ruling, DomainError> {
        let (association, acted_as, review) = self.decidable_application(application, review)?;
        if comment.trim().is_empty() {
            return Err(DomainError::DecisionTextRequired {
                action: "возврат заявки на доработку",
                what: "комментарий: что доработать",
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![MembershipApplicationReturned {
                application,
                association,
                comment: required_text("комментарий к возврату", comment, 2000)?,
                review,
            }
            .into()],
        ))
    }

    /// Who may submit an application of this form: the teacher (form 1), the director of their
    /// organization or of the applying one (form 2), or the operator.
    fn applicant_acts(
        &self,
        form: ApplicationForm,
        applicant: Member,
        municipality: &MunicipalityState,
    ) -> Result<ActedAs, DomainError> {
        let world = self.ctx.world;
        match (form, applicant) {
            (ApplicationForm::Teacher, Member::Person(p)) => {
                world.person(p).ok_or_else(|| not_found("лицо", p))?;
                match self.ctx.acting {
                    Acting::Operator => Ok(ActedAs::Operator),
                    Acting::Person(actor) if actor == p => Ok(ActedAs::Applicant),
                    Acting::Person(actor) => {
                        // The head of the teacher's organization signs form 1 (М.П.).
                        let org = world
                            .person(p)
                            .and_then(|s| s.position_on(self.date()))
                            .map(|(o, _)| o);
                        let signer = world.person(actor).and_then(|s| s.position_on(self.date()));
                        if !(signer.is_some_and(|(o, k)| {
                            Some(o) == org && k == crate::values::PositionKind::Director
                        })) {
                            return Err(DomainError::NotAuthorized {
                                reason: "заявку по форме 1 подаёт сам педагог или руководитель его организации".into(),
                            });
                        }
                        Ok(ActedAs::Director)
                    }
                }
            }
            (ApplicationForm::Organization, Member::Organization(o)) => {
                if !municipality.organizations.contains_key(&o) {
                    return Err(not_found("организация", o));
                }
                match self.ctx.acting {
                    Acting::Operator => Ok(ActedAs::Operator),
                    Acting::Person(actor) => {
                        let signer = world.person(actor).and_then(|s| s.position_on(self.date()));
                        if !signer.is_some_and(|(org, k)| {
                            org == o && k == crate::values::PositionKind::Director
                        }) {
                            return Err(DomainError::NotAuthorized {
                                reason: "заявку по форме 2 подаёт руководитель образовательного учреждения".into(),
                            });
                        }
                        Ok(ActedAs::Director)
                    }
                }
            }
            _ => Err(DomainError::InvalidStructure {
                reason:
                    "форма 1 подаётся на педагога, форма 2 — на организацию (002, приложения 1 и 2)"
                        .into(),
            }),
        }
    }

    /// A submitted application, the role of who records the decision — the operator, or an
    /// official of the receiving body or of the deciding council — and the council's sitting
    /// that decided, where the profile has a council decide (002 §5.1): its protocol is then
    /// the decision's basis, and without it nobody decides.
    fn decidable_application(
        &mut self,
        id: ApplicationId,
        review: Option<&CouncilReview>,
    ) -> Result<(AssociationId, ActedAs, Option<CouncilReview>), DomainError> {
        let state = self
            .ctx
            .world
            .application(id)
            .ok_or_else(|| not_found("заявка", id))?;
        if state.status != ApplicationStatus::Submitted {
            return Err(DomainError::ApplicationAlreadyDecided {
                clause: self.profile().membership.clause.clone(),
                state: state.status.in_russian(),
            });
        }
        if let Some(association) = state.association {
            self.live_association(association)?;
        }
        let receiver = self
            .profile()
            .membership
            .receiver
            .unwrap_or(BodyKind::MethodicalCenter);
        let membership = &self.profile().membership;
        let (decided_by, decided_by_clause) =
            (membership.decided_by, membership.decided_by_clause.clone());
        let acted_as = match decided_by {
            Some(council) => {
                self.operator_or_official(&[receiver, council], "решение по заявке")?
            }
            None => self.operator_or_official(&[receiver], "решение по заявке")?,
        };
        let association = state
            .association
            .ok_or_else(|| not_found("объединение", "заявки"))?;
        let review = match (decided_by, decided_by_clause) {
            (Some(council), Some(clause)) => {
                Some(self.council_decision(review, council, state.submitted_on, clause)?)
            }
            _ => None,
        };
        Ok((association, acted_as, review))
    }

    /// The sitting of `council` that decided an application submitted on `submitted`: a
    /// council of the municipality of that kind, sitting between the submission and the day
    /// of the decision, with its protocol's number. The protocol becomes the decision's basis.
    fn council_decision(
        &mut self,
        review: Option<&CouncilReview>,
        council: BodyKind,
        submitted: Option<NaiveDate>,
        clause: Clause,
    ) -> Result<CouncilReview, DomainError> {
        let required = || DomainError::CouncilDecisionRequired {
            council: council.in_russian(),
            clause: clause.clone(),
        };
        let review = review.ok_or_else(required)?;
        let of_that_council = self
            .municipality()?
            .bodies
            .get(&review.council)
            .is_some_and(|b| b.kind == council);
        let sat_in_time = review.date <= self.date() && submitted.is_none_or(|s| s <= review.date);
        if !of_that_council || !sat_in_time {
            return Err(required());
        }
        let number = required_text("номер протокола", &review.protocol_number, 50)?;
        self.basis = Some(BasisRef {
            kind: BasisKindRef::Protocol,
            number: number.clone(),
            date: review.date,
            issuer: council.in_russian().to_string(),
        });
        Ok(CouncilReview {
            council: review.council,
            protocol_number: number,
            date: review.date,
        })
    }
}
