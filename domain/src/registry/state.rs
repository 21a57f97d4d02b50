//! The registry's states: a municipality with its districts, organizations, bodies and the
//! terms of its officials; a person with their positions and categories over time.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::aggregate::{Aggregate, Term};
use crate::calendar::full_years_between;
use crate::events::{Event, Fact};
use crate::ids::{BodyId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use crate::values::{BodyKind, Category, Office, OrganizationKind, PositionKind, Subject};

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub kind: BodyKind,
    pub title: String,
    pub district: Option<DistrictId>,
    pub organization: Option<OrganizationId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub title: String,
    pub kind: OrganizationKind,
    pub district: Option<DistrictId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfficeTerm {
    pub body: BodyId,
    pub person: PersonId,
    pub office: Office,
    pub term: Term,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MunicipalityState {
    pub id: Option<MunicipalityId>,
    pub title: String,
    pub profile: String,
    pub districts: BTreeMap<DistrictId, String>,
    pub organizations: BTreeMap<OrganizationId, Organization>,
    pub bodies: BTreeMap<BodyId, Body>,
    pub officials: Vec<OfficeTerm>,
    /// The lists of associations approved for a school year (000 §7.4), in the order recorded.
    pub association_lists: Vec<ApprovedList>,
}

/// A list of associations a body approved for a school year, on its day (000 §7.4).
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovedList {
    pub district: DistrictId,
    pub school_year: crate::calendar::SchoolYear,
    pub approved_on: NaiveDate,
    pub associations: Vec<crate::ids::AssociationId>,
}

impl MunicipalityState {
    /// Whether `association` of `district` is on a list approved for `year` by `due`.
    pub fn listed_by(
        &self,
        association: crate::ids::AssociationId,
        district: DistrictId,
        year: crate::calendar::SchoolYear,
        due: NaiveDate,
    ) -> bool {
        self.association_lists.iter().any(|l| {
            l.district == district
                && l.school_year == year
                && l.approved_on <= due
                && l.associations.contains(&association)
        })
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    /// The offices `person` holds on `date`, with their bodies.
    pub fn offices_of(
        &self,
        person: PersonId,
        date: NaiveDate,
    ) -> impl Iterator<Item = (&Body, BodyId, Office)> {
        self.officials
            .iter()
            .filter(move |t| t.person == person && t.term.covers(date))
            .filter_map(|t| self.bodies.get(&t.body).map(|b| (b, t.body, t.office)))
    }

    /// Whether `person` holds an office in a body of `kind` on `date`.
    pub fn is_official_of_kind(&self, person: PersonId, kind: BodyKind, date: NaiveDate) -> bool {
        self.offices_of(person, date)
            .any(|(b, _, _)| b.kind == kind)
    }

    pub fn is_official_of(
        &self,
        person: PersonId,
        body: BodyId,
        date: NaiveDate,
    ) -> Option<Office> {
        self.offices_of(person, date)
            .find(|(_, id, _)| *id == body)
            .map(|(_, _, office)| office)
    }
}

impl Aggregate for MunicipalityState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::MunicipalityRegistered(e) => {
                self.id = Some(e.municipality);
                self.title = e.title.clone();
                self.profile = e.profile.clone();
            }
            Event::AssociationListApproved(e) => self.association_lists.push(ApprovedList {
                district: e.district,
                school_year: e.school_year,
                approved_on: fact.effective,
                associations: e.associations.clone(),
            }),
            Event::DistrictAdded(e) => {
                self.districts.insert(e.district, e.title.clone());
            }
            Event::OrganizationRegistered(e) => {
                self.organizations.insert(
                    e.organization,
                    Organization {
                        title: e.title.clone(),
                        kind: e.kind,
                        district: e.district,
                    },
                );
            }
            Event::BodyEstablished(e) => {
                self.bodies.insert(
                    e.body,
                    Body {
                        kind: e.kind,
                        title: e.title.clone(),
                        district: e.district,
                        organization: e.organization,
                    },
                );
            }
            Event::OfficialAssigned(e) => self.officials.push(OfficeTerm {
                body: e.body,
                person: e.person,
                office: e.office,
                term: Term {
                    from: fact.effective,
                    to: None,
                },
            }),
            Event::OfficialRelieved(e) => {
                for term in self
                    .officials
                    .iter_mut()
                    .filter(|t| t.body == e.body && t.person == e.person && t.term.to.is_none())
                {
                    term.term.to = fact.effective.pred_opt();
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonState {
    pub id: Option<PersonId>,
    pub municipality: Option<MunicipalityId>,
    /// (from, organization, position kind), in effective order.
    pub positions: Vec<(NaiveDate, OrganizationId, PositionKind)>,
    /// The days the person left the municipality's education system; a position that
    /// begins on or after one employs them again.
    pub dismissals: Vec<NaiveDate>,
    /// (from, category), in effective order.
    pub categories: Vec<(NaiveDate, Category)>,
    pub specialty_since: Option<NaiveDate>,
    pub subjects: Vec<Subject>,
    /// Individual programmes of professional education (004 §8–§9), one per school year.
    pub programmes: Vec<Programme>,
}

/// A teacher's individual programme of a school year (004 §8–§9).
#[derive(Debug, Clone, PartialEq)]
pub struct Programme {
    pub school_year: crate::calendar::SchoolYear,
    pub organization: OrganizationId,
    pub recorded_on: NaiveDate,
    pub coordinated_on: Option<NaiveDate>,
}

impl PersonState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    fn latest_before<T: Copy>(items: &[(NaiveDate, T)], date: NaiveDate) -> Option<T> {
        items
            .iter()
            .filter(|(from, _)| *from <= date)
            .max_by_key(|(from, _)| *from)
            .map(|(_, v)| *v)
    }

    /// The category in force on `date`.
    pub fn category_on(&self, date: NaiveDate) -> Category {
        Self::latest_before(&self.categories, date).unwrap_or_else(Category::none)
    }

    /// The organization and position on `date`; none before registration or after a
    /// dismissal that no later position followed.
    pub fn position_on(&self, date: NaiveDate) -> Option<(OrganizationId, PositionKind)> {
        let dismissed = self.dismissals.iter().filter(|d| **d <= date).max();
        let (from, organization, kind) = self
            .positions
            .iter()
            .filter(|(from, _, _)| *from <= date)
            .max_by_key(|(from, _, _)| *from)?;
        match dismissed {
            Some(left) if left > from => None,
            _ => Some((*organization, *kind)),
        }
    }

    /// Whole years in the specialty on `date`.
    pub fn years_in_specialty_on(&self, date: NaiveDate) -> u32 {
        self.specialty_since
            .map_or(0, |since| full_years_between(since, date))
    }
}

impl Aggregate for PersonState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::PersonRegistered(e) => {
                self.id = Some(e.person);
                self.municipality = Some(e.municipality);
                self.positions
                    .push((fact.effective, e.organization, e.position_kind));
                // The category counts from the day it was granted, not from registration.
                let from = e.category.granted.unwrap_or(fact.effective);
                self.categories.push((from, e.category));
                self.specialty_since = Some(e.specialty_since);
                self.subjects = e.subjects.clone();
            }
            Event::CategoryChanged(e) => {
                // As at registration: a category counts from the day it was granted (an
                // attestation entered later still dates from its order); a removal from the
                // effective date.
                let from = e.category.granted.unwrap_or(fact.effective);
                self.categories.push((from, e.category));
            }
            Event::PersonTransferred(e) => {
                self.positions
                    .push((fact.effective, e.organization, e.position_kind));
            }
            Event::PersonDismissed(_) => self.dismissals.push(fact.effective),
            Event::IndividualProgrammeRecorded(e) => self.programmes.push(Programme {
                school_year: e.school_year,
                organization: e.organization,
                recorded_on: fact.effective,
                coordinated_on: None,
            }),
            Event::IndividualProgrammeCoordinated(e) => {
                for programme in self
                    .programmes
                    .iter_mut()
                    .filter(|p| p.school_year == e.school_year)
                {
                    programme.coordinated_on = Some(fact.effective);
                }
            }
            _ => {}
        }
    }
}
