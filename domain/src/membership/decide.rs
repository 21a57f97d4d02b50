//! Membership's decisions: a member admitted on an approved application, by order or by a
//! meeting's decision, as the profile provides; a member leaving or removed; the yearly update
//! of the member database. The applications themselves are decided in `applications.rs`.

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{misrouted, not_found, ActedAs, Acting, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::AssociationId;
use crate::values::{required_text, AssociationRole, BodyKind, Level};

use super::commands::*;
use super::events::*;
use super::state::ApplicationStatus;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::AdmitMember(AdmitMember {
            association,
            member,
            basis,
            district_association,
        }) => d.admit_member(*association, *member, *basis, *district_association),
        Command::RemoveMember(RemoveMember {
            association,
            member,
            reason,
        }) => d.remove_member(*association, *member, reason),
        Command::UpdateMemberDatabase(UpdateMemberDatabase {
            association,
            school_year,
        }) => d.update_member_database(*association, *school_year),
        Command::SubmitMembershipApplication(SubmitMembershipApplication {
            application,
            association,
            form,
            applicant,
            theme,
            school_year,
            period_from,
            period_to,
        }) => d.submit_application(
            *application,
            *association,
            *form,
            *applicant,
            theme,
            *school_year,
            *period_from,
            *period_to,
        ),
        Command::ApproveMembershipApplication(ApproveMembershipApplication {
            application,
            review,
        }) => d.approve_application(*application, review.as_ref()),
        Command::RejectMembershipApplication(RejectMembershipApplication {
            application,
            reason,
            review,
        }) => d.reject_application(*application, reason, review.as_ref()),
        Command::ReturnMembershipApplication(ReturnMembershipApplication {
            application,
            comment,
            review,
        }) => d.return_application(*application, comment, review.as_ref()),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    fn admit_member(
        &mut self,
        association: AssociationId,
        member: Member,
        basis: AdmissionBasis,
        district_association: Option<AssociationId>,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let state = self.live_association(association)?;
        self.not_by_registry(state)?;
        if let Some(existing) = state.membership_of(member, on) {
            return Err(DomainError::AlreadyMember {
                member: member.to_string(),
                since: existing.term.from,
            });
        }
        let membership = &self.profile().membership;
        let (mut school_year, mut until, mut from) = (None, None, None);
        let acted_as = match basis {
            AdmissionBasis::Application(id) => {
                let application = world
                    .application(id)
                    .ok_or_else(|| not_found("заявка", id))?;
                if application.status != ApplicationStatus::Approved
                    || application.association != Some(association)
                    || application.applicant != Some(member)
                {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                let acted_as = self.operator_or_official(
                    &[
                        membership.receiver.unwrap_or(BodyKind::MethodicalCenter),
                        BodyKind::Department,
                    ],
                    "включение в состав по заявке",
                )?;
                if application.period_to.is_some_and(|to| to < on) {
                    return Err(DomainError::ApplicationPeriodOver {
                        to: application.period_to.unwrap_or(on),
                        clause: membership.clause.clone(),
                    });
                }
                school_year = application.school_year;
                until = application.period_to;
                from = application.period_from.filter(|from| *from > on);
                acted_as
            }
            AdmissionBasis::Order(order) => {
                if membership.applications {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                // The composition is set by the body that creates associations of this level,
                // within its own district or school (003 §I.4; 000 §7.4).
                self.creating_body_order(order, state, Some(membership.clause.clone()))?
                    .1
            }
            AdmissionBasis::Meeting(meeting) => {
                if membership.applications {
                    return Err(DomainError::ApplicationNotApproved {
                        clause: membership.clause.clone(),
                    });
                }
                let m = world
                    .meeting(meeting)
                    .ok_or_else(|| not_found("заседание", meeting))?;
                if m.association != Some(association) || !m.is_held() {
                    return Err(DomainError::MembershipBasisRequired {
                        clause: membership.clause.clone(),
                    });
                }
                let (_, acted_as) = self.role_holder(
                    state,
                    &[AssociationRole::Head, AssociationRole::Secretary],
                    "включение в состав по решению заседания",
                )?;
                self.protocol_basis(m, state);
                acted_as
            }
        };
        if let Member::Person(p) = member {
            let person = world.person(p).ok_or_else(|| not_found("лицо", p))?;
            if let (Some(Level::District), Some(district)) = (state.level, state.district) {
                let works_in = person
                    .position_on(on)
                    .and_then(|(org, _)| self.municipality().ok()?.organizations.get(&org))
                    .and_then(|o| o.district);
                if works_in != Some(district) {
                    return Err(DomainError::NotOfTheDistrict {
                        person: p.to_string(),
                        clause: membership.clause.clone(),
                    });
                }
            }
            teaches_the_subject(membership, state, p, &person.subjects)?;
            // 000 §4.1: a city association is made of the district heads of its subject.
            if let (Some(Level::City), Some(rule)) = (
                state.level,
                &self.profile().structure.city_members_are_district_heads,
            ) {
                let heads_a_district = district_association.is_some_and(|d| {
                    world.association(d).is_some_and(|d| {
                        d.city_association == Some(association)
                            && d.holder(AssociationRole::Head, on) == Some(p)
                    })
                });
                if !heads_a_district {
                    return Err(DomainError::NotADistrictHead {
                        person: p.to_string(),
                        date: on,
                        clause: rule.clone(),
                    });
                }
                // Membership lasts as long as the district headship it comes from.
                until = district_association
                    .and_then(|d| world.association(d))
                    .and_then(|d| {
                        d.roles
                            .iter()
                            .filter(|r| {
                                r.role == AssociationRole::Head
                                    && r.person == p
                                    && r.term.covers(on)
                            })
                            .filter_map(|r| r.term.to)
                            .max()
                    });
            }
        }
        let until = self.within_the_kind(state, member, until)?;
        Ok(Ruling::new(
            acted_as,
            vec![MemberAdmitted {
                association,
                member,
                school_year,
                until,
                from,
                basis,
            }
            .into()],
        ))
    }

    /// What the association's kind allows (004 §8): a member of one organization's lab, and a
    /// term that ends no later than a temporary association's last day, which it returns.
    fn within_the_kind(
        &self,
        state: &crate::associations::state::AssociationState,
        member: Member,
        until: Option<chrono::NaiveDate>,
    ) -> Result<Option<chrono::NaiveDate>, DomainError> {
        self.of_the_organization(state, member)?;
        Ok(match (until, state.ends_on) {
            (Some(until), Some(last)) => Some(until.min(last)),
            (until, last) => until.or(last),
        })
    }

    /// Where the profile makes the association's kind one organization's (004 §8: a
    /// creative laboratory), a member works there on the day (or is that organization).
    fn of_the_organization(
        &self,
        state: &crate::associations::state::AssociationState,
        member: Member,
    ) -> Result<(), DomainError> {
        let structure = &self.profile().structure;
        let Some(rule) = state
            .kind
            .and_then(|k| structure.kind_rule(k))
            .filter(|r| r.one_organization)
        else {
            return Ok(());
        };
        let organization = match member {
            Member::Person(p) => self
                .ctx
                .world
                .person(p)
                .and_then(|s| s.position_on(self.date()))
                .map(|(organization, _)| organization),
            Member::Organization(o) => Some(o),
        };
        if organization.is_none() || organization != state.organization {
            return Err(DomainError::NotOfTheOrganization {
                member: member.to_string(),
                clause: rule.clause.clone(),
            });
        }
        Ok(())
    }

    fn remove_member(
        &mut self,
        association: AssociationId,
        member: Member,
        reason: &str,
    ) -> Result<Ruling, DomainError> {
        let on = self.date();
        let state = self.live_association(association)?;
        self.not_by_registry(state)?;
        if !state.is_member(member, on) {
            return Err(DomainError::NotAMember {
                member: member.to_string(),
                date: on,
                clause: self.profile().membership.clause.clone(),
            });
        }
        let acted_as = match self.ctx.acting {
            Acting::Operator => ActedAs::Operator,
            Acting::Person(p) if Member::Person(p) == member => ActedAs::Member,
            Acting::Person(_) => {
                self.role_holder(
                    state,
                    &[AssociationRole::Head, AssociationRole::Secretary],
                    "исключение из состава",
                )?
                .1
            }
        };
        Ok(Ruling::new(
            acted_as,
            vec![MemberLeft {
                association,
                member,
                reason: required_text("причина выхода", reason, 1000)?,
            }
            .into()],
        ))
    }

    /// 001 §1.3: where membership follows from the registry, nobody is admitted or removed
    /// by a decision.
    fn not_by_registry(
        &self,
        state: &crate::associations::state::AssociationState,
    ) -> Result<(), DomainError> {
        let membership = &self.profile().membership;
        if !membership.from_registry {
            return Ok(());
        }
        Err(DomainError::MembershipFollowsFromRegistry {
            subject: state
                .subject
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
            clause: membership.clause.clone(),
        })
    }

    fn update_member_database(
        &mut self,
        association: AssociationId,
        school_year: SchoolYear,
    ) -> Result<Ruling, DomainError> {
        let on = self.date();
        let state = self.live_association(association)?;
        // The registry is the member database where membership follows from it.
        self.not_by_registry(state)?;
        let (_, acted_as) = self.role_holder(
            state,
            &[AssociationRole::Head, AssociationRole::Secretary],
            "актуализация банка данных членов",
        )?;
        if !school_year.contains(on) {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: school_year.to_string(),
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![MemberDatabaseUpdated {
                association,
                school_year,
                member_count: state.member_count_on(on),
            }
            .into()],
        ))
    }
}

/// 000 §7.5: at the levels the profile names, a member teaches the association's subject, as
/// the registry lists the person's subjects.
fn teaches_the_subject(
    membership: &crate::profile::MembershipRules,
    state: &crate::associations::state::AssociationState,
    person: crate::ids::PersonId,
    subjects: &[crate::values::Subject],
) -> Result<(), DomainError> {
    let rule = state
        .level
        .filter(|l| membership.subject_teachers_at.contains(l))
        .and(membership.subject_teachers_clause.as_ref())
        .zip(state.subject.as_ref());
    match rule {
        Some((clause, subject)) if !subjects.contains(subject) => {
            Err(DomainError::NotATeacherOfTheSubject {
                person: person.to_string(),
                subject: subject.to_string(),
                clause: clause.clone(),
            })
        }
        _ => Ok(()),
    }
}
