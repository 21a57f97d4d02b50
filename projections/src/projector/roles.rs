//! Roles projected: heads, curators and secretaries by school year, and the deputies
//! designated for them.

use chrono::NaiveDate;

use domain::calendar::SchoolYear;
use domain::events::{
    CuratorAppointed, DeputyDesignated, HeadAppointed, HeadElected, SecretaryElected,
};
use domain::ids::{AssociationId, PersonId};
use domain::values::AssociationRole;

use crate::facts::{kind, DeputyFact, FactBody, RoleFact, SealedText};

use super::{Moment, Projector};

impl Projector {
    pub(super) fn head_appointed(&mut self, e: &HeadAppointed, at: Moment) -> Result<(), String> {
        self.assign_role(
            at,
            e.association,
            AssociationRole::Head,
            e.person,
            e.school_year,
            e.until,
        )
    }

    pub(super) fn head_elected(&mut self, e: &HeadElected, at: Moment) -> Result<(), String> {
        self.assign_role(
            at,
            e.association,
            AssociationRole::Head,
            e.person,
            e.school_year,
            e.until,
        )
    }

    pub(super) fn curator_appointed(
        &mut self,
        e: &CuratorAppointed,
        at: Moment,
    ) -> Result<(), String> {
        self.assign_role(
            at,
            e.association,
            AssociationRole::Curator,
            e.person,
            e.school_year,
            e.until,
        )
    }

    pub(super) fn secretary_elected(
        &mut self,
        e: &SecretaryElected,
        at: Moment,
    ) -> Result<(), String> {
        self.assign_role(
            at,
            e.association,
            AssociationRole::Secretary,
            e.person,
            e.school_year,
            e.until,
        )
    }

    pub(super) fn deputy_designated(
        &mut self,
        e: &DeputyDesignated,
        at: Moment,
    ) -> Result<(), String> {
        let on = at.effective;
        self.start(
            at,
            format!("{}:{}:{}", e.association, role_key(e.role), e.deputy),
            e.deputy.to_string(),
            on,
            e.until.succ_opt(),
            FactBody::Deputy(DeputyFact {
                association: e.association,
                role: e.role,
                deputy: e.deputy,
            }),
        )
    }

    fn assign_role(
        &mut self,
        at: Moment,
        association: AssociationId,
        role: AssociationRole,
        person: PersonId,
        school_year: SchoolYear,
        until: Option<NaiveDate>,
    ) -> Result<(), String> {
        // As in the domain: an appointment made before its year takes effect when it begins.
        let from = at.effective.max(school_year.first_day());
        let holder_name = self.sealed_name(person);
        self.start(
            at,
            role_fact_key(association, role),
            person.to_string(),
            from,
            until.and_then(|u| u.succ_opt()),
            FactBody::Role(RoleFact {
                association,
                role,
                person,
                school_year,
                holder_name,
            }),
        )
    }
}

/// How a role is named in its fact's key (`{association}:{role}`).
impl Projector {
    /// The person's sealed full name, as registered.
    pub(super) fn sealed_name(&mut self, person: PersonId) -> Option<SealedText> {
        match self.last_body(kind::PERSON, &person.to_string()) {
            Some(FactBody::Person(p)) => Some(p.full_name.clone()),
            _ => None,
        }
    }
}

/// The key of a role's fact: its association, then the role. The projector writes it, and
/// the answers about one association or one document read a role by it.
pub fn role_fact_key(association: AssociationId, role: AssociationRole) -> String {
    format!("{association}:{}", role_key(role))
}

pub fn role_key(role: AssociationRole) -> &'static str {
    match role {
        AssociationRole::Head => "head",
        AssociationRole::Secretary => "secretary",
        AssociationRole::Curator => "curator",
    }
}
