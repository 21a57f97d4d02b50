//! The read models at one point of both time axes: the facts that held on a date, as known
//! at a moment, loaded by kind and typed. Every query starts from one.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use domain::ids::{AssociationId, BodyId, DistrictId, MunicipalityId, OrganizationId, PersonId};
use domain::membership::by_registry::teaches_there;
use domain::profile::RegulationProfile;
use domain::values::{AssociationRole, Subject};
use store::{HeldFact, MetodStore, TimePoint};

use crate::error::ProjectionError;
use crate::facts::{
    kind, AssociationFact, BodyFact, DeputyFact, DevelopmentFact, DistrictFact, DocumentFact,
    FactBody, MeetingFact, MemberDatabaseFact, MonitoringFact, MunicipalityFact, OfficialFact,
    OrganizationFact, PersonFact, ProgrammeFact, RoleFact, SealedText,
};

/// Facts that held at one point, by kind.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub at: Option<TimePoint>,
    pub municipalities: Vec<MunicipalityFact>,
    pub districts: BTreeMap<DistrictId, DistrictFact>,
    pub organizations: HashMap<OrganizationId, OrganizationFact>,
    pub bodies: HashMap<BodyId, BodyFact>,
    pub officials: Vec<OfficialFact>,
    /// Persons with the day their current facts began.
    pub persons: HashMap<PersonId, (NaiveDate, PersonFact)>,
    pub associations: BTreeMap<AssociationId, AssociationFact>,
    pub roles: HashMap<(AssociationId, AssociationRole), RoleFact>,
    pub deputies: Vec<DeputyFact>,
    pub documents: Vec<DocumentFact>,
    /// Documents on their way (loaded on request).
    pub open_documents: Vec<DocumentFact>,
    pub meetings: Vec<MeetingFact>,
    pub member_databases: Vec<MemberDatabaseFact>,
    pub member_counts: HashMap<AssociationId, u64>,
    /// The persons who are members, by association (loaded on request).
    pub members: HashMap<AssociationId, Vec<PersonId>>,
    /// The sealed names the loaded memberships carry, by member.
    pub member_names: HashMap<PersonId, SealedText>,
    pub developments: Vec<DevelopmentFact>,
    /// Teachers' individual programmes (004 §8–§9), loaded on request.
    pub programmes: Vec<ProgrammeFact>,
    /// Monitorings of the effectiveness of methodical work (004 §10), loaded on request.
    pub monitorings: Vec<MonitoringFact>,
    /// Whether every organization is loaded (not only those an answer named).
    every_organization: bool,
}

/// What a query needs loaded.
#[derive(Debug, Clone, Copy, Default)]
pub struct Needs {
    /// Every organization (where a school association's district is found), the bodies and
    /// their officials. An answer that only places its associations loads the organizations
    /// that do instead (`load_organizations_placing`).
    pub registry: bool,
    /// Who holds each role, and the deputies designated to act for a head or curator.
    pub roles: bool,
    pub member_counts: bool,
    pub documents: bool,
    /// Only the documents on their way.
    pub open_documents: bool,
    /// Every membership (not only the counts) and the members' development records.
    pub memberships: bool,
    /// The teachers' individual programmes and the monitorings (004 §8–§10).
    pub methodical_work: bool,
}

/// The typed body of a stored row; an unreadable one names the row.
pub fn body_of(row: &HeldFact) -> Result<FactBody, ProjectionError> {
    FactBody::parse(&row.kind, &row.body).map_err(|e| unreadable(row, e))
}

/// A stored row's body, read into `T` (a [`crate::facts::KeptDocumentationFact`], say);
/// an unreadable one names the row.
pub fn outline_of<'b, T: serde::Deserialize<'b>>(row: &'b HeldFact) -> Result<T, ProjectionError> {
    serde_json::from_str(&row.body).map_err(|e| unreadable(row, e.to_string()))
}

fn unreadable(row: &HeldFact, reason: String) -> ProjectionError {
    ProjectionError::UnreadableReadModel {
        reason: format!("строка {} ({}): {reason}", row.id, row.kind),
    }
}

impl Snapshot {
    /// Loads what `needs` asks for at `at`. Associations, districts and the municipality are
    /// always loaded.
    pub async fn load(
        store: &dyn MetodStore,
        at: TimePoint,
        needs: Needs,
    ) -> Result<Self, ProjectionError> {
        let mut kinds = vec![kind::MUNICIPALITY, kind::DISTRICT, kind::ASSOCIATION];
        if needs.registry {
            kinds.extend([kind::ORGANIZATION, kind::BODY, kind::OFFICIAL]);
        }
        let every_organization = needs.registry;
        if needs.roles {
            kinds.extend([kind::ROLE, kind::DEPUTY]);
        }
        if needs.documents {
            kinds.push(kind::DOCUMENT);
        }
        if needs.open_documents {
            kinds.push(kind::OPEN_DOCUMENT);
        }
        if needs.memberships {
            kinds.extend([kind::MEMBERSHIP, kind::DEVELOPMENT]);
        }
        if needs.methodical_work {
            kinds.extend([kind::PROGRAMME, kind::MONITORING]);
        }
        if needs.member_counts {
            kinds.push(kind::MEMBER_COUNT);
        }
        let mut snapshot = Snapshot::empty(at);
        snapshot.every_organization = every_organization;
        for row in store.facts_at(&kinds, at).await? {
            snapshot.add(&row)?;
        }
        Ok(snapshot)
    }

    /// Loads the meetings that began on or after `since` (a school year's first day).
    pub async fn load_meetings_since(
        &mut self,
        store: &dyn MetodStore,
        since: NaiveDate,
    ) -> Result<(), ProjectionError> {
        self.load_since(store, kind::MEETING, since).await
    }

    /// Loads the updates of member databases made from `since` (a school year's first day) to
    /// the snapshot's date. An update is valid from the day it was made, and that day lies
    /// within the school year it is for (the rules refuse an update dated outside it): these
    /// are that year's updates, not those of every year kept.
    pub async fn load_member_databases_since(
        &mut self,
        store: &dyn MetodStore,
        since: NaiveDate,
    ) -> Result<(), ProjectionError> {
        self.load_since(store, kind::MEMBER_DATABASE, since).await
    }

    /// Loads the facts of `kind` held at the snapshot's time point that began on or after
    /// `since`.
    async fn load_since(
        &mut self,
        store: &dyn MetodStore,
        kind: &str,
        since: NaiveDate,
    ) -> Result<(), ProjectionError> {
        let Some(at) = self.at else {
            return Ok(());
        };
        for row in store.facts_since(kind, since, at).await? {
            self.add(&row)?;
        }
        Ok(())
    }

    /// Loads every fact of `kind` held at the snapshot's time point: meant for the kinds that
    /// are few whatever the size of the municipality (officials, deputies).
    pub async fn load_every(
        &mut self,
        store: &dyn MetodStore,
        kind: &str,
    ) -> Result<(), ProjectionError> {
        let Some(at) = self.at else {
            return Ok(());
        };
        for row in store.facts_at(&[kind], at).await? {
            self.add(&row)?;
        }
        Ok(())
    }

    /// A snapshot at `at` with nothing loaded yet, for answers that load only what concerns
    /// their subject (`load_in_scopes`, `load_keys`).
    pub fn empty(at: TimePoint) -> Self {
        Snapshot {
            at: Some(at),
            ..Snapshot::default()
        }
    }

    /// Loads the facts of `kinds` kept under `scopes`: a person's roles, deputyships and
    /// offices under their id, documents on their way under whom they wait on
    /// (`WaitsOn::scope`), an association's memberships, meetings and documents under its id.
    /// Returns how many rows it loaded.
    pub async fn load_in_scopes(
        &mut self,
        store: &dyn MetodStore,
        kinds: &[&str],
        scopes: &[String],
    ) -> Result<u64, ProjectionError> {
        let mut loaded = 0;
        for kind in kinds {
            loaded += self
                .load_in_scopes_since(store, kind, scopes, NaiveDate::MIN)
                .await?;
        }
        Ok(loaded)
    }

    /// Loads the facts of `kind` kept under `scopes` that began on or after `since`: one
    /// association's meetings of a school year. Returns how many rows it loaded.
    pub async fn load_in_scopes_since(
        &mut self,
        store: &dyn MetodStore,
        kind: &str,
        scopes: &[String],
        since: NaiveDate,
    ) -> Result<u64, ProjectionError> {
        let Some(at) = self.at else {
            return Ok(0);
        };
        let mut loaded = 0;
        for row in store.facts_in_scopes(kind, scopes, at).await? {
            if row.valid_from >= since {
                self.add(&row)?;
                loaded += 1;
            }
        }
        Ok(loaded)
    }

    /// Loads the facts of `kind` about `keys` (for associations: their ids).
    pub async fn load_keys(
        &mut self,
        store: &dyn MetodStore,
        kind: &str,
        keys: &[String],
    ) -> Result<(), ProjectionError> {
        let Some(at) = self.at else {
            return Ok(());
        };
        let mut keys = keys.to_vec();
        keys.sort();
        keys.dedup();
        for row in store.facts_for_keys(kind, &keys, at).await? {
            self.add(&row)?;
        }
        Ok(())
    }

    /// Where the profile says membership follows from the registry (001 §1.3), the members of
    /// each association of its municipalities are every person working at an educational
    /// organization of the municipality with the association's subject among theirs, at the
    /// snapshot's point (the domain's `membership::by_registry`): they replace whatever the
    /// admission facts say, in `members` and `member_counts`, for the associations loaded.
    /// Loads the municipalities, the organizations and every person; does nothing under any
    /// other profile.
    pub async fn members_from_registry(
        &mut self,
        store: &dyn MetodStore,
        profile: &RegulationProfile,
    ) -> Result<(), ProjectionError> {
        if !profile.membership.from_registry {
            return Ok(());
        }
        let Some(at) = self.at else {
            return Ok(());
        };
        if self.municipalities.is_empty() {
            for row in store.facts_at(&[kind::MUNICIPALITY], at).await? {
                self.add(&row)?;
            }
        }
        let municipalities: HashSet<MunicipalityId> = self
            .municipalities
            .iter()
            .filter(|m| m.profile == profile.name)
            .map(|m| m.municipality)
            .collect();
        if !self.every_organization {
            self.organizations.clear();
            for row in store.facts_at(&[kind::ORGANIZATION], at).await? {
                self.add(&row)?;
            }
            self.every_organization = true;
        }
        self.load_all_persons(store).await?;
        let mut of_subject: HashMap<(MunicipalityId, &Subject), Vec<AssociationId>> =
            HashMap::new();
        for association in self.associations.values() {
            if municipalities.contains(&association.municipality) {
                of_subject
                    .entry((association.municipality, &association.subject))
                    .or_default()
                    .push(association.association);
            }
        }
        let mut members: HashMap<AssociationId, Vec<PersonId>> = of_subject
            .values()
            .flatten()
            .map(|a| (*a, Vec::new()))
            .collect();
        for (_, person) in self.persons.values() {
            let Some(organization) = self.organizations.get(&person.organization) else {
                continue;
            };
            if person.dismissed {
                continue;
            }
            for subject in person.subjects.iter() {
                if !teaches_there(subject, &person.subjects, organization.kind) {
                    continue;
                }
                for association in of_subject
                    .get(&(organization.municipality, subject))
                    .into_iter()
                    .flatten()
                {
                    members.entry(*association).or_default().push(person.person);
                }
            }
        }
        for (association, mut persons) in members {
            persons.sort();
            persons.dedup();
            self.member_counts.insert(association, persons.len() as u64);
            self.members.insert(association, persons);
        }
        Ok(())
    }

    /// Loads the organizations that place the loaded associations: those of the associations
    /// kept by an organization, whose district is the organization's (`district_of`). An
    /// answer that shows only where its associations are reads these instead of every
    /// organization.
    pub async fn load_organizations_placing(
        &mut self,
        store: &dyn MetodStore,
    ) -> Result<(), ProjectionError> {
        let keys: Vec<String> = self
            .associations
            .values()
            .filter(|a| a.district.is_none())
            .filter_map(|a| a.organization)
            .map(|o| o.to_string())
            .collect();
        self.load_keys(store, kind::ORGANIZATION, &keys).await
    }

    /// Loads every person registered at the snapshot's point (the forms that name one).
    pub async fn load_all_persons(
        &mut self,
        store: &dyn MetodStore,
    ) -> Result<(), ProjectionError> {
        self.load_every(store, kind::PERSON).await
    }

    /// Loads the persons who hold roles (and officials), for names and eligibility.
    pub async fn load_persons(
        &mut self,
        store: &dyn MetodStore,
        persons: &[PersonId],
    ) -> Result<(), ProjectionError> {
        let keys: Vec<String> = persons.iter().map(|p| p.to_string()).collect();
        self.load_keys(store, kind::PERSON, &keys).await
    }

    /// The sealed names the loaded facts carry besides the persons' own: on the roles their
    /// holders hold and on the members' memberships (a name never changes once registered).
    pub fn carried_names(&self) -> HashMap<PersonId, &SealedText> {
        let mut names: HashMap<PersonId, &SealedText> = self
            .member_names
            .iter()
            .map(|(person, name)| (*person, name))
            .collect();
        for role in self.roles.values() {
            if let Some(name) = &role.holder_name {
                names.insert(role.person, name);
            }
        }
        names
    }

    fn add(&mut self, row: &HeldFact) -> Result<(), ProjectionError> {
        match body_of(row)? {
            FactBody::Municipality(f) => self.municipalities.push(f),
            FactBody::District(f) => {
                self.districts.insert(f.district, f);
            }
            FactBody::Organization(f) => {
                self.organizations.insert(f.organization, f);
            }
            FactBody::Body(f) => {
                self.bodies.insert(f.body, f);
            }
            FactBody::Official(f) => self.officials.push(f),
            FactBody::Person(f) => {
                self.persons.insert(f.person, (row.valid_from, *f));
            }
            FactBody::Association(f) => {
                self.associations.insert(f.association, *f);
            }
            FactBody::Role(f) => {
                self.roles.insert((f.association, f.role), f);
            }
            FactBody::Deputy(f) => self.deputies.push(f),
            FactBody::Document(f) => self.documents.push(*f),
            FactBody::Meeting(f) => self.meetings.push(f),
            FactBody::MemberDatabase(f) => self.member_databases.push(f),
            FactBody::Membership(f) => {
                if let domain::events::Member::Person(person) = f.member {
                    self.members.entry(f.association).or_default().push(person);
                    if let Some(name) = f.member_name {
                        self.member_names.insert(person, name);
                    }
                }
            }
            FactBody::Development(f) => self.developments.push(f),
            FactBody::OpenDocument(f) => self.open_documents.push(*f),
            FactBody::Programme(f) => self.programmes.push(f),
            FactBody::Monitoring(f) => self.monitorings.push(f),
            // an association none of whose memberships holds has no count, as when counted
            FactBody::MemberCount(f) => {
                if f.members > 0 {
                    self.member_counts.insert(f.association, f.members);
                }
            }
            FactBody::DeadlineMissed(_) => {}
            // read by the keeping of documentation itself, never into a snapshot
            FactBody::KeptDocumentation(_) => {}
        }
        Ok(())
    }

    /// The holder of a role of an association.
    pub fn holder(&self, association: AssociationId, role: AssociationRole) -> Option<PersonId> {
        self.roles.get(&(association, role)).map(|r| r.person)
    }

    /// The district an association belongs to: its own, or its organization's.
    pub fn district_of(&self, association: &AssociationFact) -> Option<DistrictId> {
        association.district.or_else(|| {
            association
                .organization
                .and_then(|o| self.organizations.get(&o))
                .and_then(|o| o.district)
        })
    }

    /// The district's title.
    pub fn district_title(&self, district: Option<DistrictId>) -> String {
        district
            .and_then(|d| self.districts.get(&d))
            .map(|d| d.title.clone())
            .unwrap_or_default()
    }
}
