//! An association's state, folded from its stream: besides its own facts, the stream carries
//! its members, its role holders and deputies, the updates of its member database, its
//! members' development and the deadlines it missed, so their facts fold here too.

use chrono::NaiveDate;

use crate::aggregate::{Aggregate, Term};
use crate::calendar::SchoolYear;
use crate::documents::events::DeadlineKind;
use crate::events::{Event, Fact};
use crate::ids::{AssociationId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use crate::membership::events::{AdmissionBasis, Member};
use crate::values::{
    AssociationKind, AssociationRole, DevelopmentMilestone, DocumentType, Level, Subject,
};

#[derive(Debug, Clone, PartialEq)]
pub struct RoleTerm {
    pub role: AssociationRole,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub term: Term,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub member: Member,
    pub term: Term,
    pub basis: AdmissionBasis,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssociationState {
    pub id: Option<AssociationId>,
    pub municipality: Option<MunicipalityId>,
    pub title: String,
    pub subject: Option<Subject>,
    pub level: Option<Level>,
    pub kind: Option<AssociationKind>,
    pub district: Option<DistrictId>,
    pub organization: Option<OrganizationId>,
    pub curating_organization: Option<OrganizationId>,
    pub created_on: Option<NaiveDate>,
    pub liquidated_on: Option<NaiveDate>,
    /// A temporary association's last day (004 §8: a working group).
    pub ends_on: Option<NaiveDate>,
    /// The task a temporary association is created for (004 §8).
    pub task: Option<String>,
    /// For a district association: the city association of its subject it belongs to.
    pub city_association: Option<AssociationId>,
    pub memberships: Vec<Membership>,
    pub roles: Vec<RoleTerm>,
    pub member_database_updates: Vec<(SchoolYear, NaiveDate)>,
    /// Members' steps of professional growth recorded for the indicators (001 §4.1.2–4.1.3).
    pub developments: Vec<(PersonId, DevelopmentMilestone, SchoolYear)>,
    /// Deputies designated by order to act for the head or curator.
    pub deputies: Vec<(AssociationRole, PersonId, Term)>,
    /// Deadlines already recorded as missed, so a timer fires once: the kind, the school
    /// year, and for a document nobody opened, its type.
    pub missed: Vec<(DeadlineKind, SchoolYear, Option<DocumentType>)>,
}

impl AssociationState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn is_member(&self, member: Member, date: NaiveDate) -> bool {
        self.memberships
            .iter()
            .any(|m| m.member == member && m.term.covers(date))
    }

    pub fn membership_of(&self, member: Member, date: NaiveDate) -> Option<&Membership> {
        self.memberships
            .iter()
            .find(|m| m.member == member && m.term.covers(date))
    }

    pub fn member_count_on(&self, date: NaiveDate) -> u32 {
        self.memberships
            .iter()
            .filter(|m| m.term.covers(date))
            .count() as u32
    }

    /// Whether `person` holds `role` on `date`, or acts for its holder as a deputy.
    pub fn acts_as(&self, role: AssociationRole, person: PersonId, date: NaiveDate) -> bool {
        self.holder(role, date) == Some(person)
            || self
                .deputies
                .iter()
                .any(|(r, p, term)| *r == role && *p == person && term.covers(date))
    }

    /// Whether someone was chosen for `role` for the school year `year` (000 §4.3: the yearly
    /// secretary), whenever in it.
    pub fn filled_for(&self, role: AssociationRole, year: SchoolYear) -> bool {
        self.roles
            .iter()
            .any(|t| t.role == role && t.school_year == year)
    }

    /// Who holds `role` on `date`.
    pub fn holder(&self, role: AssociationRole, date: NaiveDate) -> Option<PersonId> {
        self.roles
            .iter()
            .filter(|r| r.role == role && r.term.covers(date))
            .max_by_key(|r| r.term.from)
            .map(|r| r.person)
    }

    fn assign(
        &mut self,
        role: AssociationRole,
        person: PersonId,
        year: SchoolYear,
        from: NaiveDate,
        until: Option<NaiveDate>,
    ) {
        // An appointment made before its school year (an order of August for the next year)
        // takes effect when that year begins: the current holder serves out the year.
        let from = from.max(year.first_day());
        // A new holder ends the previous one's term the day before.
        for term in self
            .roles
            .iter_mut()
            .filter(|r| r.role == role && r.term.covers(from))
        {
            term.term.to = from.pred_opt();
        }
        self.roles.push(RoleTerm {
            role,
            person,
            school_year: year,
            term: Term { from, to: until },
        });
    }
}

impl Aggregate for AssociationState {
    fn evolve(&mut self, fact: &Fact) {
        let on = fact.effective;
        match &fact.event {
            Event::AssociationCreated(e) => {
                self.id = Some(e.association);
                self.created_on = Some(on);
                self.municipality = Some(e.municipality);
                self.title = e.title.clone();
                self.subject = Some(e.subject.clone());
                self.level = Some(e.level);
                self.kind = Some(e.kind);
                self.district = e.district;
                self.organization = e.organization;
                self.curating_organization = e.curating_organization;
                self.ends_on = e.ends_on;
                self.task = e.task.clone();
            }
            Event::AssociationReorganized(e) => {
                if let Some(title) = &e.title {
                    self.title = title.clone();
                }
                if let Some(subject) = &e.subject {
                    self.subject = Some(subject.clone());
                }
                if let Some(kind) = e.kind {
                    self.kind = Some(kind);
                }
            }
            Event::AssociationLiquidated(_) => {
                self.liquidated_on = Some(on);
                // Liquidation ends every membership and every role still running.
                for m in self
                    .memberships
                    .iter_mut()
                    .filter(|m| m.term.to.is_none_or(|to| to >= on))
                {
                    m.term.to = on.pred_opt();
                }
                for r in self
                    .roles
                    .iter_mut()
                    .filter(|r| r.term.to.is_none_or(|to| to >= on))
                {
                    r.term.to = on.pred_opt();
                }
            }
            Event::DistrictAssociationLinked(e) => {
                self.city_association = Some(e.city_association);
            }
            Event::MemberAdmitted(e) => self.memberships.push(Membership {
                member: e.member,
                term: Term {
                    from: e.from.map_or(on, |from| from.max(on)),
                    to: e.until,
                },
                basis: e.basis,
            }),
            Event::MemberLeft(e) => {
                for m in self
                    .memberships
                    .iter_mut()
                    .filter(|m| m.member == e.member && m.term.covers(on))
                {
                    m.term.to = on.pred_opt();
                }
                // A member who leaves no longer serves as its secretary or elected head.
                if let Member::Person(person) = e.member {
                    for r in self.roles.iter_mut().filter(|r| {
                        r.person == person
                            && r.role != AssociationRole::Curator
                            && r.term.to.is_none_or(|to| to >= on)
                            && r.term.from <= on
                    }) {
                        r.term.to = on.pred_opt();
                    }
                }
            }
            Event::HeadAppointed(e) => {
                self.assign(AssociationRole::Head, e.person, e.school_year, on, e.until)
            }
            Event::HeadElected(e) => {
                self.assign(AssociationRole::Head, e.person, e.school_year, on, e.until)
            }
            Event::CuratorAppointed(e) => self.assign(
                AssociationRole::Curator,
                e.person,
                e.school_year,
                on,
                e.until,
            ),
            Event::SecretaryElected(e) => self.assign(
                AssociationRole::Secretary,
                e.person,
                e.school_year,
                on,
                e.until,
            ),
            Event::MemberDatabaseUpdated(e) => {
                self.member_database_updates.push((e.school_year, on));
            }
            Event::DevelopmentRecorded(e) => {
                self.developments
                    .push((e.person, e.milestone, e.school_year));
            }
            Event::DeputyDesignated(e) => self.deputies.push((
                e.role,
                e.deputy,
                Term {
                    from: on,
                    to: Some(e.until),
                },
            )),
            Event::DeadlineMissed(e) if e.document.is_none() => {
                self.missed
                    .push((e.deadline, e.school_year, e.document_type));
            }
            _ => {}
        }
    }
}
