//! The yearly list of district associations (000 §7.4: «Перечень РПМО (в соответствии с
//! перечнем городских профессиональных методических объединений) … утверждаются районными
//! отделами образования до 15 сентября текущего года»): approved by the order of the district's
//! department, each association on it a live association of that district linked to a city
//! association. The day it is due is a deadline (`DeadlineKind::AssociationList`).

use crate::associations::state::AssociationState;
use crate::calendar::SchoolYear;
use crate::decider::{not_found, Decider, Ruling};
use crate::documents::deadlines::{appointing_body, not_missed};
use crate::error::DomainError;
use crate::events::Holder;
use crate::ids::AssociationId;
use crate::profile::FillMethod;
use crate::values::{BodyKind, Clause, Level};

use super::commands::ApproveAssociationList;
use super::events::AssociationListApproved;

impl<'a> Decider<'a> {
    pub(crate) fn approve_association_list(
        &mut self,
        list: &ApproveAssociationList,
    ) -> Result<Ruling, DomainError> {
        let on = self.date();
        let structure = &self.profile().structure;
        let Some(rule) = structure.list_rule_for(Level::District) else {
            return Err(DomainError::AssociationListNotProvided {
                clause: structure.created_by_clause.clone(),
            });
        };
        let clause = rule.clause.clone();
        // For the school year under way or the coming one (a list is often approved in late
        // August), never for one that has ended.
        let current = crate::calendar::SchoolYear::containing(on);
        if list.school_year != current && list.school_year != current.next() {
            return Err(DomainError::DateOutsideSchoolYear {
                date: on,
                year: list.school_year.to_string(),
            });
        }
        let municipality = self.municipality()?;
        if !municipality.districts.contains_key(&list.district) {
            return Err(not_found("район", list.district));
        }
        let (_, acted_as) = self.scoped_order(
            list.order,
            BodyKind::DistrictDepartment,
            None,
            None,
            Some(list.district),
            None,
            &clause,
        )?;
        if list.associations.is_empty() {
            return Err(DomainError::DecisionTextRequired {
                action: "утверждение перечня объединений",
                what: "хотя бы одно объединение",
            });
        }
        let invalid = |association: &crate::ids::AssociationId, reason: &str| {
            DomainError::AssociationListInvalid {
                association: association.to_string(),
                reason: reason.to_string(),
                clause: clause.clone(),
            }
        };
        for (index, id) in list.associations.iter().enumerate() {
            if list.associations[..index].contains(id) {
                return Err(invalid(id, "указано дважды"));
            }
            let state = self.live_association(*id)?;
            if state.level != Some(Level::District) || state.district != Some(list.district) {
                return Err(invalid(id, "не районное объединение этого района"));
            }
            // «в соответствии с перечнем городских ПМО»: linked to a live city association.
            let linked = state
                .city_association
                .and_then(|c| self.ctx.world.association(c))
                .is_some_and(|c| c.liquidated_on.is_none_or(|d| d > on));
            if !linked {
                return Err(invalid(
                    id,
                    "не соотнесено с городским объединением из перечня городских",
                ));
            }
        }
        Ok(Ruling::new(
            acted_as,
            vec![AssociationListApproved {
                municipality: municipality
                    .id
                    .ok_or_else(|| not_found("муниципалитет", "?"))?,
                district: list.district,
                school_year: list.school_year,
                order: list.order,
                associations: list.associations.clone(),
            }
            .into()],
        ))
    }

    /// Whether `association` missed being on its district's list approved by `due`, the day
    /// the profile sets in `year`: who held the matter (the district department) and the
    /// clause; refused when it did not miss it.
    pub(crate) fn association_list_missed(
        &self,
        (association, state): (AssociationId, &AssociationState),
        year: SchoolYear,
        due: chrono::NaiveDate,
    ) -> Result<(Holder, Clause), DomainError> {
        let level = state.level.unwrap_or(Level::City);
        let rule = self
            .profile()
            .structure
            .list_rule_for(level)
            .filter(|r| r.list_due.is_some_and(|d| year.date_of(d) == due))
            .ok_or_else(|| {
                not_missed(format!(
                    "у перечня объединений уровня «{}» нет срока {due}",
                    level.in_russian()
                ))
            })?;
        let district = state
            .district
            .ok_or_else(|| not_missed("объединение не относится к району".into()))?;
        if state.created_on.is_none_or(|c| c > due) {
            return Err(not_missed("объединения на этот день ещё не было".into()));
        }
        let municipality = self.municipality()?;
        if municipality.listed_by(association, district, year, due) {
            return Err(not_missed(
                "объединение в перечне, утверждённом в срок".into(),
            ));
        }
        Ok((
            appointing_body(municipality, state, FillMethod::Order, Some(rule.issuer)),
            rule.clause.clone(),
        ))
    }
}
