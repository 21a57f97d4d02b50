//! Roles' decisions: a head or curator appointed by an order of the body the profile names
//! (after a council's review where it asks for one), a head or secretary elected by an open
//! vote of the members at a held meeting, each checked for eligibility where the profile has a
//! rule; a deputy designated by order to act for the head or curator until a day.

use chrono::NaiveDate;

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{misrouted, not_found, ActedAs, Acting, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, OrderId, PersonId};
use crate::profile::{FillMethod, Majority};
use crate::values::{AssociationRole, BodyKind, Level};

use super::commands::*;
use super::events::*;
use crate::associations::state::AssociationState;
use crate::eligibility;
use crate::meetings::state::MeetingState;
use crate::membership::events::Member;
use crate::profile::RoleRule;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::AppointHead(AppointHead {
            association,
            person,
            school_year,
            order,
            review,
        }) => d.appoint(
            AssociationRole::Head,
            *association,
            *person,
            *school_year,
            *order,
            review.clone(),
        ),
        Command::AppointCurator(AppointCurator {
            association,
            person,
            school_year,
            order,
        }) => d.appoint(
            AssociationRole::Curator,
            *association,
            *person,
            *school_year,
            *order,
            None,
        ),
        Command::ElectHead(ElectHead {
            association,
            person,
            school_year,
            vote,
        }) => d.elect(
            AssociationRole::Head,
            *association,
            *person,
            *school_year,
            vote,
        ),
        Command::ElectSecretary(ElectSecretary {
            association,
            person,
            school_year,
            vote,
        }) => d.elect(
            AssociationRole::Secretary,
            *association,
            *person,
            *school_year,
            vote,
        ),
        Command::DesignateDeputy(DesignateDeputy {
            association,
            role,
            deputy,
            until,
            order,
        }) => d.designate_deputy(*association, *role, *deputy, *until, *order),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    /// The profile's rule for filling `role` in this association, which must be filled the
    /// way `method` says.
    fn fill_rule(
        &self,
        role: AssociationRole,
        state: &AssociationState,
        method: FillMethod,
    ) -> Result<&'a crate::profile::RoleRule, DomainError> {
        let level = state.level.unwrap_or(Level::City);
        let rule = self.profile().role_rule(role, level).ok_or_else(|| {
            let (provided, clause) = self.profile().roles_at(level);
            DomainError::NoRoleRule {
                role: role.in_russian(),
                level: level.in_russian(),
                provided: if provided.is_empty() {
                    "ни одной роли".to_string()
                } else {
                    provided
                        .iter()
                        .map(|r| r.in_russian())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                clause,
            }
        })?;
        if rule.method != method {
            return Err(DomainError::WrongFillMethod {
                role: role.in_russian(),
                level: level.in_russian(),
                how: match rule.method {
                    FillMethod::Election => {
                        "избирается членами открытым голосованием, а не назначается приказом"
                    }
                    FillMethod::Order => "назначается приказом, а не избирается",
                },
                clause: rule.clause.clone(),
            });
        }
        Ok(rule)
    }

    fn appoint(
        &mut self,
        role: AssociationRole,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        order: OrderId,
        review: Option<CouncilReview>,
    ) -> Result<Ruling, DomainError> {
        let state = self.live_association(association)?;
        let rule = self.fill_rule(role, state, FillMethod::Order)?;
        let issuer = rule.issuer.unwrap_or(BodyKind::Department);
        let (order_state, acted_as) = self.scoped_order(
            order,
            issuer,
            rule.review_by,
            review.as_ref(),
            state.district,
            state.organization,
            &rule.clause,
        )?;
        // The curator is appointed by the head of the institution that curates this
        // association (003 §I.4, §7.2), not by any curating institution.
        if let (BodyKind::CuratingInstitution, Some(curating)) =
            (issuer, state.curating_organization)
        {
            let issued_by = order_state
                .issuer
                .and_then(|b| self.municipality().ok()?.bodies.get(&b))
                .and_then(|b| b.organization);
            if issued_by != Some(curating) {
                return Err(DomainError::WrongOrderIssuer {
                    number: order_state.number.clone(),
                    expected: "учреждение, курирующее это объединение",
                    actual: "другое учреждение",
                    clause: rule.clause.clone(),
                });
            }
        }
        if !school_year.contains(self.date()) && school_year.first_day() < self.date() {
            return Err(DomainError::DateOutsideSchoolYear {
                date: self.date(),
                year: school_year.to_string(),
            });
        }
        self.check_eligibility(role, person, state)?;
        let until = term_end(rule, school_year, state);
        Ok(Ruling::new(
            acted_as,
            vec![match role {
                AssociationRole::Head => HeadAppointed {
                    association,
                    person,
                    school_year,
                    until,
                    order,
                    review,
                }
                .into(),
                _ => CuratorAppointed {
                    association,
                    person,
                    school_year,
                    until,
                    order,
                }
                .into(),
            }],
        ))
    }

    /// The profile's rule for who may hold `role` in this association's level (003 §7.2–7.3;
    /// 004 §7: where the person must work), checked on the effective date.
    fn check_eligibility(
        &self,
        role: AssociationRole,
        person: PersonId,
        association: &AssociationState,
    ) -> Result<(), DomainError> {
        let person_state = self
            .ctx
            .world
            .person(person)
            .ok_or_else(|| not_found("лицо", person))?;
        let level = association.level.unwrap_or(Level::City);
        if let Some(rule) = self.profile().eligibility_rule(role, level) {
            let municipality = self.municipality()?;
            let organization_kind = person_state
                .position_on(self.date())
                .and_then(|(org, _)| municipality.organizations.get(&org))
                .map(|o| o.kind);
            let centers = municipality
                .bodies
                .values()
                .filter(|b| b.kind == BodyKind::MethodicalCenter)
                .filter_map(|b| b.organization);
            let required =
                eligibility::required_organizations(rule, association.organization, centers);
            let workplace = eligibility::Workplace {
                organization_kind,
                required: required.as_deref(),
            };
            if let Err(why) = eligibility::check(rule, person_state, workplace, self.date()) {
                return Err(match role {
                    AssociationRole::Curator => DomainError::CuratorNotEligible {
                        requirement: why.requirement,
                        found: why.found,
                        clause: rule.clause.clone(),
                    },
                    _ => DomainError::HeadNotEligible {
                        requirement: why.requirement,
                        found: why.found,
                        clause: rule.clause.clone(),
                    },
                });
            }
        }
        Ok(())
    }

    fn elect(
        &mut self,
        role: AssociationRole,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        vote: &Vote,
    ) -> Result<Ruling, DomainError> {
        let world = self.ctx.world;
        let on = self.date();
        let state = self.live_association(association)?;
        let rule = self.fill_rule(role, state, FillMethod::Election)?;
        let meeting = world
            .meeting(vote.meeting)
            .ok_or_else(|| not_found("заседание", vote.meeting))?;
        if meeting.association != Some(association) || !meeting.is_held() {
            return Err(DomainError::VoteMeetingInvalid {
                reason: "заседание не проведено или проведено другим объединением".into(),
                clause: rule.clause.clone(),
            });
        }
        if meeting.date != Some(on) {
            return Err(DomainError::VoteMeetingInvalid {
                reason: format!("дата избрания {on} не совпадает с датой заседания"),
                clause: rule.clause.clone(),
            });
        }
        // The actor records the vote: a member present at that meeting.
        let acted_as = match self.ctx.acting {
            Acting::Person(p)
                if meeting.attendance.contains(&p)
                    && self.is_member(state, Member::Person(p), on) =>
            {
                ActedAs::Member
            }
            _ => {
                return Err(DomainError::VoteRecorderNotAMember {
                    clause: rule.clause.clone(),
                })
            }
        };
        check_vote(vote, meeting, state, rule, on)?;
        // Elected from the members («руководитель ... избирается ... членов»).
        if !self.is_member(state, Member::Person(person), on) {
            return Err(DomainError::NotAMember {
                member: format!("кандидат {person}"),
                date: on,
                clause: rule.clause.clone(),
            });
        }
        if !school_year.contains(on) {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: school_year.to_string(),
            });
        }
        if role == AssociationRole::Head {
            self.check_eligibility(role, person, state)?;
        }
        self.protocol_basis(meeting, state);
        let vote = vote.clone();
        let until = term_end(rule, school_year, state);
        Ok(Ruling::new(
            acted_as,
            vec![match role {
                AssociationRole::Head => HeadElected {
                    association,
                    person,
                    school_year,
                    until,
                    vote,
                }
                .into(),
                _ => SecretaryElected {
                    association,
                    person,
                    school_year,
                    until,
                    vote,
                }
                .into(),
            }],
        ))
    }

    pub(crate) fn designate_deputy(
        &mut self,
        association: AssociationId,
        role: AssociationRole,
        deputy: PersonId,
        until: NaiveDate,
        order: OrderId,
    ) -> Result<Ruling, DomainError> {
        let state = self.live_association(association)?;
        self.ctx
            .world
            .person(deputy)
            .ok_or_else(|| not_found("лицо", deputy))?;
        if role == AssociationRole::Secretary {
            return Err(DomainError::InvalidStructure {
                reason: "заместитель назначается руководителю или куратору".into(),
            });
        }
        if until < self.date() {
            return Err(DomainError::DateTooEarly {
                what: "срок полномочий заместителя",
                date: until,
                earliest: self.date(),
            });
        }
        let level = state.level.unwrap_or(Level::City);
        let (issuer, clause) = match self.profile().role_rule(role, level) {
            Some(rule) if rule.method == FillMethod::Order => (
                rule.issuer.unwrap_or(BodyKind::Department),
                rule.clause.clone(),
            ),
            Some(rule) => (BodyKind::Department, rule.clause.clone()),
            None => (
                BodyKind::Department,
                self.profile().structure.created_by_clause.clone(),
            ),
        };
        let (_, acted_as) = self.scoped_order(
            order,
            issuer,
            None,
            None,
            state.district,
            state.organization,
            &clause,
        )?;
        Ok(Ruling::new(
            acted_as,
            vec![DeputyDesignated {
                association,
                role,
                deputy,
                until,
                order,
            }
            .into()],
        ))
    }
}

/// The last day of a role's term: the school year's where the profile fills it yearly (000
/// §4.2), and no later than a temporary association's last day (004 §8).
fn term_end(
    rule: &RoleRule,
    school_year: SchoolYear,
    state: &AssociationState,
) -> Option<NaiveDate> {
    let yearly = rule.yearly.then(|| school_year.last_day());
    match (yearly, state.ends_on) {
        (Some(until), Some(last)) => Some(until.min(last)),
        (until, last) => until.or(last),
    }
}

/// An open vote at `meeting` (003 §7.4): every member who attended voted, once, and nobody
/// else; the votes add up; and a majority of the base the profile sets voted for.
fn check_vote(
    vote: &Vote,
    meeting: &MeetingState,
    state: &AssociationState,
    rule: &RoleRule,
    on: NaiveDate,
) -> Result<(), DomainError> {
    let mut seen = std::collections::BTreeSet::new();
    for voter in &vote.present {
        if !seen.insert(voter) {
            return Err(DomainError::VoteMeetingInvalid {
                reason: format!("{voter} указан(а) дважды"),
                clause: rule.clause.clone(),
            });
        }
        if !state.is_member(Member::Person(*voter), on) {
            return Err(DomainError::VoterNotAMember {
                clause: rule.clause.clone(),
                person: voter.to_string(),
                date: on,
            });
        }
        if !meeting.attendance.contains(voter) {
            return Err(DomainError::VoteMeetingInvalid {
                reason: format!("{voter} не присутствовал(а) на заседании"),
                clause: rule.clause.clone(),
            });
        }
    }
    // The members present are everyone of them who attended: leaving someone out of the
    // count would let a minority pass for a majority (003 §7.4).
    let attending_members: std::collections::BTreeSet<&PersonId> = meeting
        .attendance
        .iter()
        .filter(|p| state.is_member(Member::Person(**p), on))
        .collect();
    if seen != attending_members {
        return Err(DomainError::VoteMeetingInvalid {
            reason: format!(
                "в голосовании указаны {} из {} членов, присутствовавших на заседании",
                seen.len(),
                attending_members.len()
            ),
            clause: rule.clause.clone(),
        });
    }
    if !vote_adds_up(vote) {
        return Err(DomainError::VoteCountMismatch {
            clause: rule.clause.clone(),
            votes_for: vote.votes_for,
            against: vote.against,
            abstained: vote.abstained,
            present: vote.present.len() as u32,
        });
    }
    let majority = rule.majority.unwrap_or(Majority::OfAllMembers);
    let base = match majority {
        Majority::OfAllMembers => state
            .memberships
            .iter()
            .filter(|m| m.term.covers(on) && matches!(m.member, Member::Person(_)))
            .count() as u32,
        Majority::OfMembersPresent => vote.present.len() as u32,
    };
    if u64::from(vote.votes_for) * 2 <= u64::from(base) {
        return Err(DomainError::NoMajority {
            votes_for: vote.votes_for,
            base,
            majority: majority.in_russian(),
            clause: rule.clause.clone(),
        });
    }
    Ok(())
}
