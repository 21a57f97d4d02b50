//! The associations' decisions: created by an order of the body the profile names for the
//! level (after a council's review where it asks for one), reorganized and liquidated by that
//! body's order, and a district association linked to the city association of its subject.

use chrono::NaiveDate;

use crate::commands::Command;
use crate::decider::{exists, misrouted, not_found, ActedAs, Decider, Ruling};
use crate::error::DomainError;
use crate::ids::{AssociationId, OrderId};
use crate::values::{required_text, AssociationKind, BodyKind, Clause, Level, Subject};

use super::commands::*;
use super::events::*;
use super::state::AssociationState;
use crate::orders::state::OrderState;
use crate::roles::events::CouncilReview;

pub(crate) fn decide(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::CreateAssociation(CreateAssociation {
            association,
            title,
            subject,
            level,
            kind,
            group_membership,
            district,
            organization,
            order,
            review,
            curating_organization,
            ends_on,
            task,
        }) => d.create_association(
            *association,
            title,
            subject,
            *level,
            *kind,
            (*group_membership, *district, *organization),
            *order,
            review.clone(),
            *curating_organization,
            (*ends_on, task.as_deref()),
        ),
        Command::ReorganizeAssociation(ReorganizeAssociation {
            association,
            title,
            subject,
            kind,
            order,
        }) => d.reorganize_association(
            *association,
            title.as_deref(),
            subject.as_ref(),
            *kind,
            *order,
        ),
        Command::LiquidateAssociation(LiquidateAssociation { association, order }) => {
            d.liquidate_association(*association, *order)
        }
        Command::LinkDistrictAssociation(LinkDistrictAssociation {
            city_association,
            district_association,
        }) => d.link_district_association(*city_association, *district_association),
        other => Err(misrouted(other)),
    }
}

impl<'a> Decider<'a> {
    #[allow(clippy::too_many_arguments)]
    fn create_association(
        &mut self,
        association: AssociationId,
        title: &str,
        subject: &crate::values::Subject,
        level: Level,
        kind: crate::values::AssociationKind,
        (group_membership, district, organization): (
            Option<crate::values::GroupMembership>,
            Option<crate::ids::DistrictId>,
            Option<crate::ids::OrganizationId>,
        ),
        order: OrderId,
        review: Option<CouncilReview>,
        curating_organization: Option<crate::ids::OrganizationId>,
        term: (Option<NaiveDate>, Option<&str>),
    ) -> Result<Ruling, DomainError> {
        if self
            .ctx
            .world
            .associations
            .get(&association)
            .is_some_and(|a| a.exists())
        {
            return Err(exists("объединение", association));
        }
        let s = &self.profile().structure;
        if !s.levels.contains(&level) {
            return Err(DomainError::LevelNotProvided {
                level: level.in_russian(),
                clause: s.levels_clause.clone(),
            });
        }
        self.kind_provided(kind)?;
        let creation = s.creation_for(level);
        let (order_state, acted_as) = self.scoped_order(
            order,
            creation.issuer,
            creation.review_by,
            review.as_ref(),
            district,
            organization,
            creation.clause,
        )?;
        let municipality = self.municipality()?;
        if order_state.municipality != municipality.id {
            return Err(DomainError::InvalidStructure {
                reason: "приказ издан в другом муниципалитете".into(),
            });
        }
        match (level, district, organization) {
            (Level::District, None, _) => {
                return Err(DomainError::InvalidStructure {
                    reason: "у районного объединения должен быть указан район".into(),
                })
            }
            (Level::School, _, None) => {
                return Err(DomainError::InvalidStructure {
                    reason: "у школьного объединения должна быть указана организация".into(),
                })
            }
            _ => {}
        }
        if let Some(d) = district {
            if !municipality.districts.contains_key(&d) {
                return Err(not_found("район", d));
            }
        }
        if let Some(o) = organization {
            if !municipality.organizations.contains_key(&o) {
                return Err(not_found("организация", o));
            }
        }
        if let Some(o) = curating_organization {
            if !municipality.organizations.contains_key(&o) {
                return Err(not_found("курирующая организация", o));
            }
        }
        let (ends_on, task) = self.kind_rule_holds(kind, organization, term)?;
        if group_membership.is_some() && kind != crate::values::AssociationKind::WorkingGroup {
            return Err(DomainError::InvalidStructure {
                reason: "постоянный или сменный состав указывается только для рабочих (проблемных) групп (003 §IV)".into(),
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![AssociationCreated {
                association,
                municipality: municipality
                    .id
                    .ok_or_else(|| not_found("муниципалитет", "?"))?,
                title: required_text("название объединения", title, 500)?,
                subject: subject.clone(),
                level,
                kind,
                group_membership,
                district,
                organization,
                order,
                review,
                curating_organization,
                ends_on,
                task,
            }
            .into()],
        ))
    }

    /// What the profile says an association of `kind` is (004 §8): of one organization —
    /// created for one; temporary — created with the last day of its term and its task.
    /// Returns the term and the task to record.
    fn kind_rule_holds(
        &self,
        kind: AssociationKind,
        organization: Option<crate::ids::OrganizationId>,
        (ends_on, task): (Option<NaiveDate>, Option<&str>),
    ) -> Result<(Option<NaiveDate>, Option<String>), DomainError> {
        let s = &self.profile().structure;
        let rule = s.kind_rule(kind);
        if rule.is_some_and(|r| r.one_organization) && organization.is_none() {
            return Err(DomainError::OneOrganizationRequired {
                kind: kind.in_russian(),
                clause: rule.map_or_else(|| s.kinds_clause.clone(), |r| r.clause.clone()),
            });
        }
        match rule.filter(|r| r.temporary) {
            Some(rule) => {
                let task = task.map(str::trim).filter(|t| !t.is_empty());
                match (ends_on, task) {
                    (Some(ends_on), Some(task)) if ends_on >= self.date() => Ok((
                        Some(ends_on),
                        Some(required_text("задача временного объединения", task, 1000)?),
                    )),
                    _ => Err(DomainError::TermRequired {
                        kind: kind.in_russian(),
                        clause: rule.clause.clone(),
                    }),
                }
            }
            None if ends_on.is_some() || task.is_some() => Err(DomainError::TermNotProvided {
                kind: kind.in_russian(),
                clause: s.kinds_clause.clone(),
            }),
            None => Ok((None, None)),
        }
    }

    fn kind_provided(&self, kind: crate::values::AssociationKind) -> Result<(), DomainError> {
        let s = &self.profile().structure;
        if !s.kinds.contains(&kind) {
            return Err(DomainError::KindNotProvided {
                kind: kind.in_russian(),
                clause: s.kinds_clause.clone(),
            });
        }
        Ok(())
    }

    fn reorganize_association(
        &mut self,
        association: AssociationId,
        title: Option<&str>,
        subject: Option<&Subject>,
        kind: Option<AssociationKind>,
        order: OrderId,
    ) -> Result<Ruling, DomainError> {
        let state = self.live_association(association)?;
        let (_, acted_as) = self.creating_body_order(order, state, None)?;
        if let Some(k) = kind {
            self.kind_provided(k)?;
            // A kind of one organization needs one; a temporary one is created with its
            // term, not made so by reorganization (004 §8).
            if let Some(rule) = self.profile().structure.kind_rule(k) {
                if rule.one_organization && state.organization.is_none() {
                    return Err(DomainError::OneOrganizationRequired {
                        kind: k.in_russian(),
                        clause: rule.clause.clone(),
                    });
                }
                if rule.temporary && state.ends_on.is_none() {
                    return Err(DomainError::TermRequired {
                        kind: k.in_russian(),
                        clause: rule.clause.clone(),
                    });
                }
            }
        }
        // A district association stays of its city association's subject while they
        // are linked (000 §1.5, §4.1, §7.5; 003 §7.1): the link is the chain its
        // documents travel and the city association its head belongs to.
        let changes_subject = subject.is_some_and(|s| Some(s) != state.subject.as_ref());
        if let (true, Some(city)) = (changes_subject, state.city_association) {
            return Err(DomainError::CityLinkMismatch {
                reason: format!(
                    "«{}» связано с городским объединением {city} своего предмета, и предмет районного объединения, пока связь есть, не меняется",
                    state.title
                ),
                clause: self.city_link_clause(),
            });
        }
        if title.is_none() && subject.is_none() && kind.is_none() {
            return Err(DomainError::InvalidStructure {
                reason: "реорганизация должна что-то менять: название, предмет или вид".into(),
            });
        }
        Ok(Ruling::new(
            acted_as,
            vec![AssociationReorganized {
                association,
                title: title
                    .map(|t| required_text("название объединения", t, 500))
                    .transpose()?,
                subject: subject.cloned(),
                kind,
                order,
            }
            .into()],
        ))
    }

    fn liquidate_association(
        &mut self,
        association: AssociationId,
        order: OrderId,
    ) -> Result<Ruling, DomainError> {
        let state = self.live_association(association)?;
        let (_, acted_as) = self.creating_body_order(order, state, None)?;
        Ok(Ruling::new(
            acted_as,
            vec![AssociationLiquidated { association, order }.into()],
        ))
    }

    fn link_district_association(
        &mut self,
        city_association: AssociationId,
        district_association: AssociationId,
    ) -> Result<Ruling, DomainError> {
        let city = self.live_association(city_association)?;
        let district = self.live_association(district_association)?;
        let clause = self.city_link_clause();
        let acted_as = self.operator_or_official(
            &[BodyKind::Department, BodyKind::MethodicalCenter],
            "связь районного объединения с городским",
        )?;
        if city.level != Some(Level::City) {
            return Err(DomainError::CityLinkMismatch {
                reason: format!("«{}» не городское объединение", city.title),
                clause: clause.clone(),
            });
        }
        if district.level != Some(Level::District) {
            return Err(DomainError::CityLinkMismatch {
                reason: format!("«{}» не районное объединение", district.title),
                clause: clause.clone(),
            });
        }
        if city.subject != district.subject {
            return Err(DomainError::CityLinkMismatch {
                reason: format!(
                    "предмет «{}» не совпадает с «{}»",
                    district.subject.as_ref().map(|s| s.as_str()).unwrap_or(""),
                    city.subject.as_ref().map(|s| s.as_str()).unwrap_or("")
                ),
                clause: clause.clone(),
            });
        }
        if let Some(linked) = district.city_association {
            return Err(exists("связь районного объединения с городским", linked));
        }
        Ok(Ruling::new(
            acted_as,
            vec![DistrictAssociationLinked {
                city_association,
                district_association,
            }
            .into()],
        ))
    }

    /// The clause that makes a city association of the district heads of its subject: the
    /// profile's, or the digest's where the profile has none.
    pub(crate) fn city_link_clause(&self) -> Clause {
        self.profile()
            .structure
            .city_members_are_district_heads
            .clone()
            .unwrap_or_else(|| Clause::parse("000 §1.5, §4.1; 003 §7.1").expect("a valid clause"))
    }

    /// An order of the body that creates associations of this one's level (the profile's
    /// `creation` rule, or `created_by`), within its own district or school; refusals cite
    /// `clause`, or the creation rule's own.
    pub(crate) fn creating_body_order(
        &mut self,
        order: OrderId,
        state: &AssociationState,
        clause: Option<Clause>,
    ) -> Result<(&'a OrderState, ActedAs), DomainError> {
        let creation = self
            .profile()
            .structure
            .creation_for(state.level.unwrap_or(Level::City));
        let clause = clause.unwrap_or_else(|| creation.clause.clone());
        self.scoped_order(
            order,
            creation.issuer,
            None,
            None,
            state.district,
            state.organization,
            &clause,
        )
    }
}
