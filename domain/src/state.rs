//! The state of each aggregate, folded from its stream with `evolve`. States keep what the
//! rules need, with dates, so that a rule can be checked as of a command's effective date.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::calendar::{full_years_between, SchoolYear};
use crate::events::{
    AdmissionBasis, AssignedStep, DeadlineKind, Event, Fact, Member, NetworkEventDetails,
    QuestionDecision, Vote,
};
use crate::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId,
};
use crate::profile::ApplicationForm;
use crate::values::{
    AssociationKind, AssociationRole, BodyKind, Category, ContentHash, DevelopmentMilestone,
    DocumentType, Level, Office, OrderKind, OrganizationKind, PositionKind, Subject,
};

/// Folds facts into a state, one at a time.
pub trait Aggregate: Default {
    fn evolve(&mut self, fact: &Fact);

    fn from_facts<'a>(facts: impl IntoIterator<Item = &'a Fact>) -> Self {
        let mut state = Self::default();
        for fact in facts {
            state.evolve(fact);
        }
        state
    }
}

/// A period with a start and an optional end (inclusive), in valid time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Term {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}

// ---- registry ---------------------------------------------------------------------------

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
}

impl MunicipalityState {
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

// ---- persons ----------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonState {
    pub id: Option<PersonId>,
    pub municipality: Option<MunicipalityId>,
    /// (from, organization, position kind), in effective order.
    pub positions: Vec<(NaiveDate, OrganizationId, PositionKind)>,
    /// (from, category), in effective order.
    pub categories: Vec<(NaiveDate, Category)>,
    pub specialty_since: Option<NaiveDate>,
    pub subjects: Vec<Subject>,
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

    pub fn position_on(&self, date: NaiveDate) -> Option<(OrganizationId, PositionKind)> {
        let items: Vec<(NaiveDate, (OrganizationId, PositionKind))> = self
            .positions
            .iter()
            .map(|(from, org, kind)| (*from, (*org, *kind)))
            .collect();
        Self::latest_before(&items, date)
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
            _ => {}
        }
    }
}

// ---- orders -----------------------------------------------------------------------------

#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderState {
    pub id: Option<OrderId>,
    pub municipality: Option<MunicipalityId>,
    pub issuer: Option<BodyId>,
    pub issuer_kind: Option<BodyKind>,
    pub kind: Option<OrderKind>,
    pub number: String,
    pub date: Option<NaiveDate>,
    pub title: String,
}

impl OrderState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }
}

impl Aggregate for OrderState {
    fn evolve(&mut self, fact: &Fact) {
        if let Event::OrderIssued(e) = &fact.event {
            self.id = Some(e.order);
            self.municipality = Some(e.municipality);
            self.issuer = Some(e.issuer);
            self.issuer_kind = Some(e.issuer_kind);
            self.kind = Some(e.kind);
            self.number = e.number.clone();
            self.date = Some(e.date);
            self.title = e.title.clone();
        }
    }
}

// ---- associations -----------------------------------------------------------------------

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

// ---- membership applications ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApplicationStatus {
    #[default]
    None,
    Submitted,
    Approved,
    Rejected,
    /// Back with the applicant for rework.
    Returned,
}

impl ApplicationStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            ApplicationStatus::None => "не подана",
            ApplicationStatus::Submitted => "подана",
            ApplicationStatus::Approved => "одобрена",
            ApplicationStatus::Rejected => "отклонена",
            ApplicationStatus::Returned => "возвращена на доработку",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationState {
    pub id: Option<ApplicationId>,
    pub association: Option<AssociationId>,
    pub form: Option<ApplicationForm>,
    pub applicant: Option<Member>,
    pub school_year: Option<SchoolYear>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub status: ApplicationStatus,
}

impl ApplicationState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }
}

impl Aggregate for ApplicationState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::MembershipApplicationSubmitted(e) => {
                self.id = Some(e.application);
                self.association = Some(e.association);
                self.form = Some(e.form);
                self.applicant = Some(e.applicant);
                self.school_year = Some(e.school_year);
                self.period_from = Some(e.period_from);
                self.period_to = Some(e.period_to);
                self.status = ApplicationStatus::Submitted;
            }
            Event::MembershipApplicationApproved(_) => self.status = ApplicationStatus::Approved,
            Event::MembershipApplicationRejected(_) => self.status = ApplicationStatus::Rejected,
            Event::MembershipApplicationReturned(_) => self.status = ApplicationStatus::Returned,
            _ => {}
        }
    }
}

// ---- documents --------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentVersion {
    pub version: u32,
    pub author: PersonId,
    pub content_hash: ContentHash,
    pub submitted_on: NaiveDate,
    pub network_event: Option<NetworkEventDetails>,
}

/// Where a document stands in its chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentStatus {
    /// Opened, nothing submitted yet.
    #[default]
    Draft,
    /// Waiting for step `n` (from 1).
    InReview {
        step: u32,
    },
    /// Returned for rework at step `n`; the author resubmits, and it resumes there.
    Returned {
        step: u32,
    },
    /// Every step approved; waiting for the workflow to record the approval.
    StepsApproved,
    Approved,
    Rejected,
    /// Submitted where the profile asks for no approval.
    Recorded,
}

impl DocumentStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            DocumentStatus::Draft => "черновик",
            DocumentStatus::InReview { .. } => "на согласовании",
            DocumentStatus::Returned { .. } => "возвращён на доработку",
            DocumentStatus::StepsApproved => "все шаги согласованы",
            DocumentStatus::Approved => "утверждён",
            DocumentStatus::Rejected => "отклонён",
            DocumentStatus::Recorded => "принят без согласования",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentState {
    pub id: Option<DocumentId>,
    pub association: Option<AssociationId>,
    pub document_type: Option<DocumentType>,
    pub school_year: Option<SchoolYear>,
    pub title: String,
    pub versions: Vec<DocumentVersion>,
    pub chain: Vec<AssignedStep>,
    pub chain_assigned: bool,
    pub submit_by: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub review_days: u32,
    pub status: DocumentStatus,
    /// The day the document reached its current step (or came back to its author).
    pub since: Option<NaiveDate>,
    /// The day the document was finally approved or rejected.
    pub closed_on: Option<NaiveDate>,
    /// Deadlines already recorded as missed, so a timer fires once.
    pub missed: Vec<(DeadlineKind, Option<u32>, Option<u32>)>,
    /// Every stay of a version at a step: when it arrived and when it was decided (approved,
    /// returned or rejected) — so a review period overrun is known even after the decision.
    pub step_periods: Vec<StepPeriod>,
}

/// One stay of a version at a step of the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepPeriod {
    pub version: u32,
    pub step: u32,
    pub arrived: NaiveDate,
    pub decided: Option<NaiveDate>,
}

impl DocumentState {
    fn arrive(&mut self, step: u32, on: NaiveDate) {
        self.step_periods.push(StepPeriod {
            version: self.last_version(),
            step,
            arrived: on,
            decided: None,
        });
    }

    fn decide_current(&mut self, on: NaiveDate) {
        if let Some(period) = self.step_periods.last_mut().filter(|p| p.decided.is_none()) {
            period.decided = Some(on);
        }
    }

    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn last_version(&self) -> u32 {
        self.versions.last().map_or(0, |v| v.version)
    }

    /// The first submission's day.
    pub fn first_submitted_on(&self) -> Option<NaiveDate> {
        self.versions.first().map(|v| v.submitted_on)
    }

    /// Whether the last version waits for a decision.
    pub fn awaiting_decision(&self) -> bool {
        matches!(self.status, DocumentStatus::InReview { .. })
    }

    /// The step waiting for a decision, with its number.
    pub fn current_step(&self) -> Option<(u32, &AssignedStep)> {
        match self.status {
            DocumentStatus::InReview { step } => self
                .chain
                .get((step as usize).checked_sub(1)?)
                .map(|assigned| (step, assigned)),
            _ => None,
        }
    }
}

impl Aggregate for DocumentState {
    fn evolve(&mut self, fact: &Fact) {
        let on = fact.effective;
        match &fact.event {
            Event::DocumentOpened(e) => {
                self.id = Some(e.document);
                self.association = Some(e.association);
                self.document_type = Some(e.document_type);
                self.school_year = Some(e.school_year);
                self.title = e.title.clone();
            }
            Event::DocumentVersionSubmitted(e) => {
                self.versions.push(DocumentVersion {
                    version: e.version,
                    author: e.author,
                    content_hash: e.content_hash.clone(),
                    submitted_on: on,
                    network_event: e.network_event.clone(),
                });
                self.status = match self.status {
                    DocumentStatus::Returned { step } => DocumentStatus::InReview { step },
                    _ if self.chain_assigned && self.chain.is_empty() => DocumentStatus::Recorded,
                    _ => DocumentStatus::InReview { step: 1 },
                };
                if let DocumentStatus::InReview { step } = self.status {
                    self.arrive(step, on);
                }
                self.since = Some(on);
            }
            Event::ApprovalChainAssigned(e) => {
                self.chain = e.steps.clone();
                self.chain_assigned = true;
                self.submit_by = e.submit_by;
                self.due = e.due;
                self.review_days = e.review_days;
                if self.chain.is_empty() && !self.versions.is_empty() {
                    self.status = DocumentStatus::Recorded;
                    self.step_periods.clear();
                }
            }
            Event::StepApproved(e) => {
                self.decide_current(on);
                self.status = if (e.step as usize) < self.chain.len() {
                    self.arrive(e.step + 1, on);
                    DocumentStatus::InReview { step: e.step + 1 }
                } else {
                    DocumentStatus::StepsApproved
                };
                self.since = Some(on);
            }
            Event::DocumentReturned(e) => {
                self.decide_current(on);
                self.status = DocumentStatus::Returned { step: e.step };
                self.since = Some(on);
            }
            Event::DocumentRejected(_) => {
                self.decide_current(on);
                self.status = DocumentStatus::Rejected;
                self.closed_on = Some(on);
            }
            Event::DocumentApproved(_) => {
                self.status = DocumentStatus::Approved;
                self.closed_on = Some(on);
            }
            Event::DeadlineMissed(e) => self.missed.push((e.deadline, e.version, e.step)),
            _ => {}
        }
    }
}

// ---- meetings ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MeetingStatus {
    #[default]
    None,
    Scheduled,
    Held,
    ProtocolDrafted,
    ProtocolSigned,
}

impl MeetingStatus {
    pub fn in_russian(self) -> &'static str {
        match self {
            MeetingStatus::None => "не запланировано",
            MeetingStatus::Scheduled => "запланировано",
            MeetingStatus::Held => "проведено, протокол не оформлен",
            MeetingStatus::ProtocolDrafted => "протокол оформлен, не подписан",
            MeetingStatus::ProtocolSigned => "протокол подписан",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeetingState {
    pub id: Option<MeetingId>,
    pub association: Option<AssociationId>,
    pub status: MeetingStatus,
    pub date: Option<NaiveDate>,
    pub school_year: Option<SchoolYear>,
    pub attendance: Vec<PersonId>,
    pub questions: Vec<QuestionDecision>,
    pub protocol_number: Option<String>,
    pub protocol_hash: Option<ContentHash>,
    /// Hashes of corrections, in order.
    pub corrections: Vec<ContentHash>,
}

impl MeetingState {
    pub fn exists(&self) -> bool {
        self.id.is_some()
    }

    pub fn is_held(&self) -> bool {
        matches!(
            self.status,
            MeetingStatus::Held | MeetingStatus::ProtocolDrafted | MeetingStatus::ProtocolSigned
        )
    }
}

impl Aggregate for MeetingState {
    fn evolve(&mut self, fact: &Fact) {
        match &fact.event {
            Event::MeetingScheduled(e) => {
                self.id = Some(e.meeting);
                self.association = Some(e.association);
                self.date = Some(e.date);
                self.status = MeetingStatus::Scheduled;
            }
            Event::MeetingHeld(e) => {
                self.id = Some(e.meeting);
                self.association = Some(e.association);
                self.date = Some(e.date);
                self.school_year = Some(e.school_year);
                self.attendance = e.attendance.clone();
                self.questions = e.questions.clone();
                self.status = MeetingStatus::Held;
            }
            Event::ProtocolDrafted(e) => {
                self.protocol_number = Some(e.number.clone());
                self.protocol_hash = Some(e.content_hash.clone());
                self.status = MeetingStatus::ProtocolDrafted;
            }
            Event::ProtocolSigned(_) => self.status = MeetingStatus::ProtocolSigned,
            Event::ProtocolCorrected(e) => self.corrections.push(e.content_hash.clone()),
            _ => {}
        }
    }
}

/// Checks a vote's arithmetic; the majority rule is the caller's (it depends on the profile).
pub fn vote_adds_up(vote: &Vote) -> bool {
    u64::from(vote.votes_for) + u64::from(vote.against) + u64::from(vote.abstained)
        == vote.present.len() as u64
}
