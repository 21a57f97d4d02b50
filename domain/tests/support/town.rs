//! The town the rules are decided in, written as facts: a municipality under one regulation
//! profile with its registry (every kind of body, two districts with a school each, the
//! methodical center, a curating institution and their officials), and builders for what
//! happens in it (orders, associations, members, heads, meetings, documents, applications).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use domain::calendar::SchoolYear;
use domain::events::*;
use domain::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId,
};
use domain::profile::ApplicationForm;
use domain::values::{
    AssociationKind, BodyKind, Category, CategoryLevel, DocumentType, Level, Office, OrderKind,
    OrganizationKind, PositionKind, Subject,
};
use domain::{Decision, Event, RegulationProfile, World};

use super::*;

/// What a person is when registered: position, organization, category, specialty start.
#[derive(Debug, Clone)]
pub struct Spec {
    pub position: PositionKind,
    pub organization: Option<OrganizationId>,
    pub category: Category,
    pub since: NaiveDate,
    pub subjects: Vec<Subject>,
}

impl Spec {
    /// A teacher with the highest category (since 2015) and 14 years in the specialty by 2024.
    pub fn teacher() -> Self {
        Self {
            position: PositionKind::Teacher,
            organization: None,
            category: category(CategoryLevel::Highest, date(2015, 3, 1)),
            since: date(2010, 9, 1),
            subjects: vec![subject("математика")],
        }
    }

    pub fn position(mut self, position: PositionKind) -> Self {
        self.position = position;
        self
    }

    pub fn at(mut self, organization: OrganizationId) -> Self {
        self.organization = Some(organization);
        self
    }

    pub fn category(mut self, level: CategoryLevel, granted: NaiveDate) -> Self {
        self.category = category(level, granted);
        self
    }

    pub fn no_category(mut self) -> Self {
        self.category = Category::none();
        self
    }

    /// Work in the specialty began on this day.
    pub fn since(mut self, since: NaiveDate) -> Self {
        self.since = since;
        self
    }
}

/// A municipality under one regulation profile, with its registry, written as facts.
pub struct Town {
    pub profile: RegulationProfile,
    pub municipality: MunicipalityId,
    /// Департамент / комитет / управление образования.
    pub department: BodyId,
    pub coordination_council: BodyId,
    pub organizational_methodical_council: BodyId,
    pub methodical_council: BodyId,
    /// The methodical center (body) and the institution itself.
    pub center: BodyId,
    pub center_organization: OrganizationId,
    /// The institution that curates associations (003 §7.2).
    pub curating_institution: BodyId,
    pub curating_organization: OrganizationId,
    pub central: DistrictId,
    pub north: DistrictId,
    pub central_department: BodyId,
    pub north_department: BodyId,
    /// A school in the central district, and one in the north.
    pub school: OrganizationId,
    pub north_school: OrganizationId,
    /// Officials.
    pub department_chief: PersonId,
    pub department_specialist: PersonId,
    pub center_director: PersonId,
    pub center_specialist: PersonId,
    pub curating_director: PersonId,
    pub central_chief: PersonId,
    pub north_chief: PersonId,
    pub school_director: PersonId,
    bodies: BTreeMap<BodyId, BodyKind>,
    facts: Vec<(Event, NaiveDate)>,
}

impl Town {
    pub fn novokuznetsk() -> Self {
        Self::new("novokuznetsk")
    }

    pub fn kuznetsk() -> Self {
        Self::new("kuznetsk")
    }

    pub fn izhevsk() -> Self {
        Self::new("izhevsk")
    }

    pub fn novosibirsk() -> Self {
        Self::new("novosibirsk")
    }

    pub fn pervouralsk() -> Self {
        Self::new("pervouralsk")
    }

    /// A town under `profiles/<name>.toml`: every kind of body, two districts, a school in
    /// each, the methodical center and a curating institution, and their officials.
    pub fn new(name: &str) -> Self {
        let profile = profile(name);
        let municipality = MunicipalityId::derived(NS, name);
        let body = |n: &str| BodyId::derived(NS, n);
        let org = |n: &str| OrganizationId::derived(NS, n);
        let district = |n: &str| DistrictId::derived(NS, n);
        let mut town = Self {
            profile,
            municipality,
            department: body("department"),
            coordination_council: body("coordination-council"),
            organizational_methodical_council: body("organizational-methodical-council"),
            methodical_council: body("methodical-council"),
            center: body("center"),
            center_organization: org("center"),
            curating_institution: body("curating-institution"),
            curating_organization: org("curating-institution"),
            central: district("central"),
            north: district("north"),
            central_department: body("central-department"),
            north_department: body("north-department"),
            school: org("school-1"),
            north_school: org("school-2"),
            department_chief: person_id("department-chief"),
            department_specialist: person_id("department-specialist"),
            center_director: person_id("center-director"),
            center_specialist: person_id("center-specialist"),
            curating_director: person_id("curating-director"),
            central_chief: person_id("central-chief"),
            north_chief: person_id("north-chief"),
            school_director: person_id("school-director"),
            bodies: BTreeMap::new(),
            facts: Vec::new(),
        };
        let on = registry_day();
        let title = town.profile.title.clone();
        let profile_name = town.profile.name.clone();
        town.fact(
            MunicipalityRegistered {
                municipality,
                title,
                profile: profile_name,
            },
            on,
        );
        for (id, title) in [
            (town.central, "Центральный район"),
            (town.north, "Северный район"),
        ] {
            town.fact(
                DistrictAdded {
                    municipality,
                    district: id,
                    title: title.into(),
                },
                on,
            );
        }
        let organizations = [
            (
                town.center_organization,
                "Методический центр",
                OrganizationKind::MunicipalInstitution,
                None,
            ),
            (
                town.curating_organization,
                "Курирующее учреждение",
                OrganizationKind::MunicipalInstitution,
                None,
            ),
            (
                town.school,
                "Школа № 1",
                OrganizationKind::School,
                Some(town.central),
            ),
            (
                town.north_school,
                "Школа № 2",
                OrganizationKind::School,
                Some(town.north),
            ),
        ];
        for (id, title, kind, district) in organizations {
            town.fact(
                OrganizationRegistered {
                    municipality,
                    organization: id,
                    title: title.into(),
                    kind,
                    district,
                },
                on,
            );
        }
        let bodies = [
            (
                town.department,
                BodyKind::Department,
                "Департамент образования",
                None,
                None,
            ),
            (
                town.coordination_council,
                BodyKind::CoordinationCouncil,
                "Координационный совет ММС",
                None,
                None,
            ),
            (
                town.organizational_methodical_council,
                BodyKind::OrganizationalMethodicalCouncil,
                "Организационно-методический совет",
                None,
                None,
            ),
            (
                town.methodical_council,
                BodyKind::MethodicalCouncil,
                "Методический совет Центра",
                None,
                None,
            ),
            (
                town.center,
                BodyKind::MethodicalCenter,
                "Методический центр",
                None,
                Some(town.center_organization),
            ),
            (
                town.curating_institution,
                BodyKind::CuratingInstitution,
                "Курирующее учреждение",
                None,
                Some(town.curating_organization),
            ),
            (
                town.central_department,
                BodyKind::DistrictDepartment,
                "Отдел образования Центрального района",
                Some(town.central),
                None,
            ),
            (
                town.north_department,
                BodyKind::DistrictDepartment,
                "Отдел образования Северного района",
                Some(town.north),
                None,
            ),
        ];
        for (id, kind, title, district, organization) in bodies {
            town.bodies.insert(id, kind);
            town.fact(
                BodyEstablished {
                    municipality,
                    body: id,
                    kind,
                    title: title.into(),
                    district,
                    organization,
                },
                on,
            );
        }
        let center = town.center_organization;
        let officials = [
            ("department-chief", town.department, Office::Chief),
            ("department-specialist", town.department, Office::Specialist),
            ("center-director", town.center, Office::Chief),
            ("center-specialist", town.center, Office::Specialist),
            (
                "curating-director",
                town.curating_institution,
                Office::Chief,
            ),
            ("central-chief", town.central_department, Office::Chief),
            ("north-chief", town.north_department, Office::Chief),
        ];
        for (name, body, office) in officials {
            let position = if body == town.center {
                PositionKind::CenterSpecialist
            } else {
                PositionKind::Official
            };
            let person = town.person(name, Spec::teacher().position(position).at(center));
            town.fact(
                OfficialAssigned {
                    municipality,
                    body,
                    person,
                    office,
                },
                on,
            );
        }
        let school = town.school;
        town.person(
            "school-director",
            Spec::teacher().position(PositionKind::Director).at(school),
        );
        town
    }

    /// Adds a fact.
    pub fn fact(&mut self, event: impl Into<Event>, on: NaiveDate) -> &mut Self {
        self.facts.push((event.into(), on));
        self
    }

    /// Adds the events of a decision as facts, as the store would append them.
    pub fn apply(&mut self, decision: &Decision, on: NaiveDate) -> &mut Self {
        for event in &decision.events {
            self.facts.push((event.clone(), on));
        }
        self
    }

    pub fn facts(&self) -> &[(Event, NaiveDate)] {
        &self.facts
    }

    /// The states folded from the facts so far.
    pub fn world(&self) -> World {
        given(&self.facts)
    }

    pub fn body_kind(&self, body: BodyId) -> BodyKind {
        self.bodies[&body]
    }

    /// The first body of `kind`.
    pub fn body_of_kind(&self, kind: BodyKind) -> BodyId {
        [
            self.department,
            self.center,
            self.curating_institution,
            self.central_department,
            self.coordination_council,
            self.organizational_methodical_council,
            self.methodical_council,
        ]
        .into_iter()
        .find(|b| self.bodies[b] == kind)
        .expect("the town has a body of every kind")
    }

    /// Establishes one more body on the registry day (the administration of a school, a
    /// second council), of `district` or `organization` where it belongs to one.
    pub fn body(
        &mut self,
        name: &str,
        kind: BodyKind,
        title: &str,
        district: Option<DistrictId>,
        organization: Option<OrganizationId>,
    ) -> BodyId {
        let body = BodyId::derived(NS, name);
        self.bodies.insert(body, kind);
        let municipality = self.municipality;
        self.fact(
            BodyEstablished {
                municipality,
                body,
                kind,
                title: title.into(),
                district,
                organization,
            },
            registry_day(),
        );
        body
    }

    /// Registers a person (on the registry day) at the school unless `spec` says otherwise.
    pub fn person(&mut self, name: &str, spec: Spec) -> PersonId {
        let person = person_id(name);
        self.person_on(person, spec, registry_day());
        person
    }

    pub fn person_on(&mut self, person: PersonId, spec: Spec, on: NaiveDate) {
        let organization = spec.organization.unwrap_or(self.school);
        self.fact(
            PersonRegistered {
                person,
                municipality: self.municipality,
                organization,
                position_kind: spec.position,
                full_name: sealed(person, "full_name"),
                birth_date: sealed(person, "birth_date"),
                position_title: sealed(person, "position_title"),
                category: spec.category,
                specialty_since: spec.since,
                subjects: spec.subjects,
            },
            on,
        );
    }

    /// Several eligible teachers at the school, by name.
    pub fn teachers(&mut self, names: &[&str]) -> Vec<PersonId> {
        names
            .iter()
            .map(|n| self.person(n, Spec::teacher()))
            .collect()
    }

    /// An order of `issuer` with the given date.
    pub fn order(&mut self, name: &str, issuer: BodyId, date: NaiveDate) -> OrderId {
        let order = order_id(name);
        let issuer_kind = self.body_kind(issuer);
        self.fact(
            OrderIssued {
                order,
                municipality: self.municipality,
                issuer,
                issuer_kind,
                kind: OrderKind::Order,
                number: format!("{name}-од"),
                date,
                title: format!("Приказ {name}"),
                decides: Vec::new(),
                signed_by: None,
            },
            date,
        );
        order
    }

    /// An association created by an order of the profile's creating body, in the central
    /// district (district level) or at the school (school level).
    pub fn association(
        &mut self,
        name: &str,
        level: Level,
        kind: AssociationKind,
        subject_name: &str,
    ) -> AssociationId {
        let association = association_id(name);
        let creator = self.body_of_kind(self.profile.structure.created_by);
        let order = self.order(&format!("create-{name}"), creator, creation_order_day());
        let (district, organization) = match level {
            Level::District => (Some(self.central), None),
            Level::School => (None, Some(self.school)),
            Level::City => (None, None),
        };
        self.fact(
            AssociationCreated {
                association,
                municipality: self.municipality,
                title: format!("МО {name}"),
                subject: subject(subject_name),
                level,
                kind,
                group_membership: None,
                district,
                organization,
                order,
                review: None,
                curating_organization: None,
                ends_on: None,
                task: None,
            },
            created_day(),
        );
        association
    }

    /// A methodical association of mathematics at `level`.
    pub fn methodical_association(&mut self, name: &str, level: Level) -> AssociationId {
        self.association(
            name,
            level,
            AssociationKind::MethodicalAssociation,
            "математика",
        )
    }

    pub fn link(&mut self, city: AssociationId, district: AssociationId) -> &mut Self {
        self.fact(
            DistrictAssociationLinked {
                city_association: city,
                district_association: district,
            },
            created_day(),
        )
    }

    /// Admits members on the joining day, on an order.
    pub fn admit(&mut self, association: AssociationId, members: &[PersonId]) -> &mut Self {
        for person in members {
            self.fact(
                MemberAdmitted {
                    association,
                    member: Member::Person(*person),
                    school_year: None,
                    until: None,
                    basis: AdmissionBasis::Order(order_id("composition")),
                    from: None,
                },
                joined_day(),
            );
        }
        self
    }

    /// `person` heads `association` for 2024/25 from the joining day.
    pub fn head(&mut self, association: AssociationId, person: PersonId) -> &mut Self {
        self.fact(
            HeadAppointed {
                association,
                person,
                school_year: year_2024(),
                until: None,
                order: order_id("heads"),
                review: None,
            },
            joined_day(),
        )
    }

    /// `person` is the secretary of `association` for 2024/25 from the joining day.
    pub fn secretary(&mut self, association: AssociationId, person: PersonId) -> &mut Self {
        self.fact(
            SecretaryElected {
                association,
                person,
                school_year: year_2024(),
                until: None,
                vote: vote(meeting_id("constituent"), &[person], 1, 0, 0),
            },
            joined_day(),
        )
    }

    pub fn curator(&mut self, association: AssociationId, person: PersonId) -> &mut Self {
        self.fact(
            CuratorAppointed {
                association,
                person,
                school_year: year_2024(),
                until: None,
                order: order_id("curators"),
            },
            joined_day(),
        )
    }

    /// A meeting held on `on`, attended by `attendance`, with one decided question.
    pub fn meeting_held(
        &mut self,
        association: AssociationId,
        name: &str,
        on: NaiveDate,
        attendance: &[PersonId],
    ) -> MeetingId {
        let meeting = meeting_id(name);
        self.fact(
            MeetingHeld {
                meeting,
                association,
                date: on,
                school_year: SchoolYear::containing(on),
                attendance: attendance.to_vec(),
                questions: vec![decided("О плане работы", "Утвердить план работы")],
                recommendations: Vec::new(),
            },
            on,
        );
        meeting
    }

    pub fn protocol_drafted(
        &mut self,
        meeting: MeetingId,
        association: AssociationId,
        by: PersonId,
        on: NaiveDate,
    ) -> &mut Self {
        self.fact(
            ProtocolDrafted {
                meeting,
                association,
                number: "1".into(),
                drafted_by: by,
                content_hash: hash_of("protocol-1"),
            },
            on,
        )
    }

    pub fn protocol_signed(
        &mut self,
        meeting: MeetingId,
        association: AssociationId,
        by: PersonId,
        on: NaiveDate,
    ) -> &mut Self {
        self.fact(
            ProtocolSigned {
                meeting,
                association,
                signed_by: by,
                content_hash: hash_of("protocol-1"),
            },
            on,
        )
    }

    /// A document of `association` opened on the joining day.
    pub fn document(
        &mut self,
        name: &str,
        association: AssociationId,
        document_type: DocumentType,
    ) -> DocumentId {
        let document = document_id(name);
        self.fact(
            DocumentOpened {
                document,
                association,
                document_type,
                school_year: year_2024(),
                title: format!("Документ {name}"),
                nomination: None,
            },
            joined_day(),
        );
        document
    }

    /// A form-1 application for `person` to `association` for 2024/25, submitted on the
    /// joining day.
    pub fn application(
        &mut self,
        name: &str,
        association: AssociationId,
        person: PersonId,
    ) -> ApplicationId {
        let application = application_id(name);
        self.fact(
            MembershipApplicationSubmitted {
                application,
                association,
                form: ApplicationForm::Teacher,
                applicant: Member::Person(person),
                theme: "Функциональная грамотность".into(),
                school_year: year_2024(),
                period_from: date(2024, 9, 1),
                period_to: date(2025, 5, 31),
            },
            joined_day(),
        );
        application
    }
}
