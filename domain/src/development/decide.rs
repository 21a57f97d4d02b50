//! The development record's decision: a member's step of professional growth, entered by the
//! operator from the records or by the association's head, where the profile has the indicator.

use crate::calendar::SchoolYear;
use crate::commands::Command;
use crate::decider::{misrouted, ActedAs, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, PersonId};
use crate::values::{AssociationRole, DevelopmentMilestone};

use super::commands::*;
use super::events::*;
use crate::membership::events::Member;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::RecordDevelopment(RecordDevelopment {
            association,
            person,
            school_year,
            milestone,
        }) => d.record_development(*association, *person, *school_year, *milestone),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    /// A member's step of professional growth for the indicators (001 §4.1.2–4.1.3): the
    /// operator enters it from the records, or the association's head; only where the profile
    /// has the indicator, only for a member on the day, once per year; a route is completed
    /// only after it was developed.
    fn record_development(
        &mut self,
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        milestone: DevelopmentMilestone,
    ) -> Result<Ruling, DomainError> {
        let state = self.live_association(association)?;
        let acted_as = if self.person_id().is_some() {
            let (_, acted_as) = self.role_holder(
                state,
                &[AssociationRole::Head],
                "запись показателей эффективности",
            )?;
            acted_as
        } else {
            ActedAs::Operator
        };
        let Some(indicator) = self
            .profile()
            .indicators
            .iter()
            .find(|i| i.code == milestone.indicator_code())
        else {
            return Err(DomainError::IndicatorNotProvided {
                milestone: milestone.in_russian().into(),
                clause: self.profile().indicators_clause(),
            });
        };
        let on = self.date();
        if !school_year.contains(on) {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: school_year.to_string(),
            });
        }
        if !self.is_member(state, Member::Person(person), on) {
            return Err(DomainError::NotAMember {
                member: Member::Person(person).to_string(),
                date: on,
                clause: indicator.clause.clone(),
            });
        }
        if state
            .developments
            .iter()
            .any(|(p, m, y)| *p == person && *m == milestone && *y == school_year)
        {
            return Err(DomainError::DevelopmentAlreadyRecorded {
                milestone: milestone.in_russian().into(),
                person: person.to_string(),
                year: school_year.to_string(),
            });
        }
        if milestone == DevelopmentMilestone::IndividualRouteCompleted
            && !state.developments.iter().any(|(p, m, _)| {
                *p == person && *m == DevelopmentMilestone::IndividualRouteDeveloped
            })
        {
            return Err(DomainError::IndividualRouteNotDeveloped {
                person: person.to_string(),
                clause: indicator.clause.clone(),
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![DevelopmentRecorded {
                association,
                person,
                school_year,
                milestone,
            }
            .into()],
        ))
    }
}
