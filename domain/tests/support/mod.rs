//! A small given/when/then harness for the rules of the regulations.
//!
//! *Given* is a list of facts (events with their effective dates). [`given`] folds them into
//! a [`World`] with `Aggregate::evolve`, each event into the aggregate it belongs to; [`Town`]
//! is a builder that writes such facts for a typical municipality (the department with its
//! officials, councils, the methodical center, two districts with their departments, schools,
//! teachers with categories and years in the specialty, associations with members, heads and
//! meetings) under one regulation profile.
//!
//! *When* is a command, who acts, on which effective date, and the personal fields the vault
//! sealed ([`When`]). *Then* is either the events the decision appends or the rule it breaks
//! ([`Then`]); [`check`] runs `decide` and compares.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::json;

use domain::calendar::SchoolYear;
use domain::events::*;
use domain::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId,
};
use domain::profile::ApplicationForm;
use domain::values::{
    AssociationKind, BodyKind, Category, CategoryLevel, ContentHash, DocumentType, Level, Office,
    OrderKind, OrganizationKind, PositionKind, Sealed, Subject,
};
use domain::{
    decide, Acting, Aggregate, Command, Context, Decision, DomainError, Event, Fact, Ref,
    RegulationProfile, SealedPersonalFields, World,
};

/// The namespace every test id is derived in.
pub const NS: &str = "test";

pub fn d(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid date")
}

/// The registry (municipality, bodies, organizations, persons) exists from this day.
pub fn registry_day() -> NaiveDate {
    d(2020, 1, 10)
}

/// The order creating the associations is dated this day…
pub fn creation_order_day() -> NaiveDate {
    d(2024, 8, 30)
}

/// …and they exist from this one.
pub fn created_day() -> NaiveDate {
    d(2024, 9, 1)
}

/// Members join on this day.
pub fn joined_day() -> NaiveDate {
    d(2024, 9, 2)
}

/// The first meeting of the school year.
pub fn meeting_day() -> NaiveDate {
    d(2024, 9, 10)
}

pub fn year(text: &str) -> SchoolYear {
    SchoolYear::parse(text).expect("a valid school year")
}

pub fn year_2024() -> SchoolYear {
    year("2024/25")
}

pub fn subject(text: &str) -> Subject {
    Subject::parse(text).expect("a valid subject")
}

pub fn category(level: CategoryLevel, granted: NaiveDate) -> Category {
    Category::granted(level, granted).expect("a valid category")
}

/// A deterministic content hash for a tag (64 hex digits).
pub fn hash(tag: &str) -> ContentHash {
    let hex: String = tag.bytes().map(|b| format!("{b:02x}")).collect();
    let text: String = hex.chars().cycle().take(64).collect();
    ContentHash::parse(&text).expect("64 hex digits")
}

/// A personal field as the vault seals it: `{"sealed": {"person", "field", "nonce",
/// "ciphertext"}}`. The ciphertext is fake; the domain only checks the shape.
pub fn sealed(person: PersonId, field: &str) -> Sealed {
    Sealed(json!({
        "sealed": {
            "person": person.to_string(),
            "field": field,
            "nonce": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "ciphertext": format!("c2VhbGVkOnt{field}"),
        }
    }))
}

/// The three personal fields of `RegisterPerson`, sealed.
pub fn sealed_fields(person: PersonId) -> SealedPersonalFields {
    SealedPersonalFields {
        full_name: Some(sealed(person, "full_name")),
        birth_date: Some(sealed(person, "birth_date")),
        position_title: Some(sealed(person, "position_title")),
    }
}

/// Loads `profiles/<name>.toml` the way the application does.
pub fn profile(name: &str) -> RegulationProfile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../profiles")
        .join(format!("{name}.toml"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    RegulationProfile::from_toml(&path.display().to_string(), &text)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn person_id(name: &str) -> PersonId {
    PersonId::derived(NS, name)
}

pub fn order_id(name: &str) -> OrderId {
    OrderId::derived(NS, name)
}

pub fn association_id(name: &str) -> AssociationId {
    AssociationId::derived(NS, name)
}

pub fn meeting_id(name: &str) -> MeetingId {
    MeetingId::derived(NS, name)
}

pub fn application_id(name: &str) -> ApplicationId {
    ApplicationId::derived(NS, name)
}

pub fn document_id(name: &str) -> DocumentId {
    DocumentId::derived(NS, name)
}

pub fn vote(
    meeting: MeetingId,
    present: &[PersonId],
    votes_for: u32,
    against: u32,
    abstained: u32,
) -> Vote {
    Vote {
        meeting,
        present: present.to_vec(),
        votes_for,
        against,
        abstained,
    }
}

pub fn question(question: &str, decision: &str) -> QuestionDecision {
    QuestionDecision {
        question: question.into(),
        decision: decision.into(),
    }
}

// ---- given ------------------------------------------------------------------------------

/// The aggregate (and so the stream) an event belongs to.
pub fn stream_of(event: &Event) -> Ref {
    event.home()
}

/// Folds facts, in order, into the states of the aggregates they belong to.
pub fn given(facts: &[(Event, NaiveDate)]) -> World {
    let mut world = World::default();
    for (event, effective) in facts {
        let fact = Fact {
            event: event.clone(),
            effective: *effective,
        };
        match stream_of(event) {
            Ref::Municipality(id) => world.municipalities.entry(id).or_default().evolve(&fact),
            Ref::Person(id) => world.persons.entry(id).or_default().evolve(&fact),
            Ref::Order(id) => world.orders.entry(id).or_default().evolve(&fact),
            Ref::Association(id) => world.associations.entry(id).or_default().evolve(&fact),
            Ref::Application(id) => world.applications.entry(id).or_default().evolve(&fact),
            Ref::Document(id) => world.documents.entry(id).or_default().evolve(&fact),
            Ref::Meeting(id) => world.meetings.entry(id).or_default().evolve(&fact),
        }
    }
    world
}

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
            category: category(CategoryLevel::Highest, d(2015, 3, 1)),
            since: d(2010, 9, 1),
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
                questions: vec![question("О плане работы", "Утвердить план работы")],
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
                content_hash: hash("protocol-1"),
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
                content_hash: hash("protocol-1"),
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
                period_from: d(2024, 9, 1),
                period_to: d(2025, 5, 31),
            },
            joined_day(),
        );
        application
    }
}

// ---- when -------------------------------------------------------------------------------

/// A command, who acts, on which effective date, with which sealed personal fields.
#[derive(Debug, Clone)]
pub struct When {
    pub command: Command,
    pub acting: Acting,
    pub on: NaiveDate,
    pub sealed: SealedPersonalFields,
}

impl When {
    /// `person` asks for `command` to take effect `on`.
    pub fn by(person: PersonId, on: NaiveDate, command: Command) -> Self {
        Self {
            command,
            acting: Acting::Person(person),
            on,
            sealed: SealedPersonalFields::default(),
        }
    }

    /// The operator of the methodical service enters `command`, effective `on`.
    pub fn operator(on: NaiveDate, command: Command) -> Self {
        Self {
            command,
            acting: Acting::Operator,
            on,
            sealed: SealedPersonalFields::default(),
        }
    }

    pub fn sealed(mut self, sealed: SealedPersonalFields) -> Self {
        self.sealed = sealed;
        self
    }
}

// ---- then -------------------------------------------------------------------------------

/// The expected outcome.
#[derive(Debug, Clone)]
pub enum Then {
    /// The decision appends exactly these events.
    Events(Vec<Event>),
    /// The command is refused with exactly this error.
    Refused(DomainError),
    /// The command is refused with an error of this code (for messages that carry ids).
    RefusedWith(&'static str),
}

/// Decides `when` against the facts of `given`.
pub fn run(given: &Town, when: &When) -> Result<Decision, DomainError> {
    let world = given.world();
    let ctx = Context {
        profile: &given.profile,
        acting: when.acting,
        effective: when.on,
        today: when.on,
        world: &world,
        sealed: when.sealed.clone(),
    };
    decide(&when.command, &ctx)
}

/// Given the facts of a town, when the command is decided, then the outcome is as expected.
/// Returns the decision when one was expected (to check the basis or apply it).
#[track_caller]
pub fn check(given: &Town, when: When, then: Then) -> Option<Decision> {
    let outcome = run(given, &when);
    match (then, outcome) {
        (Then::Events(expected), Ok(decision)) => {
            assert_eq!(
                decision.events, expected,
                "\nwhen {:?}\nthe events differ",
                when.command
            );
            Some(decision)
        }
        (Then::Events(_), Err(e)) => panic!(
            "\nwhen {:?}\nexpected events, got refused: {e} [{}]",
            when.command,
            e.code()
        ),
        (Then::Refused(expected), Err(e)) => {
            assert_eq!(e, expected, "\nwhen {:?}\nrefused: {e}", when.command);
            None
        }
        (Then::RefusedWith(code), Err(e)) => {
            assert_eq!(e.code(), code, "\nwhen {:?}\nrefused: {e}", when.command);
            None
        }
        (Then::Refused(_) | Then::RefusedWith(_), Ok(decision)) => panic!(
            "\nwhen {:?}\nexpected a refusal, got events {:?}",
            when.command, decision.events
        ),
    }
}

/// Runs `when`, expects it to pass, and adds its events to the town as facts.
#[track_caller]
pub fn accept(town: &mut Town, when: When) -> Decision {
    let on = when.on;
    let decision =
        run(town, &when).unwrap_or_else(|e| panic!("when {:?}: refused: {e}", when.command));
    town.apply(&decision, on);
    decision
}
