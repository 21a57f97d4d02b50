//! A town to walk a school year in: a real store (SQLite file or PostgreSQL database), the
//! real command handler with the built-in profiles, and helpers that keep scenarios short.
//! Every command goes through `CommandHandler::handle`; refusals are checked to write nothing.
//! The towns the scenarios share (their registries and people) are in `towns.rs`; the values
//! every test writes (dates, years, hashes, votes) come from the domain's test support, so
//! that both write them the same way.

#![allow(dead_code)]

#[path = "../../../domain/tests/support/values.rs"]
mod values;

mod towns;

// Not every scenario walks Novokuznetsk's associations.
#[allow(unused_imports)]
pub use towns::MathAssociations;
pub use values::*;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use commands::{CommandError, CommandHandler, Handled, ProfileSet, Submission};
use domain::commands::{
    AddDistrict, AdmitMember, AssignOfficial, CreateAssociation, DraftProtocol, EstablishBody,
    HoldMeeting, IssueOrder, RegisterMunicipality, RegisterOrganization, RegisterPerson,
    SignProtocol,
};
use domain::events::{AdmissionBasis, Member, QuestionDecision, Vote};
use domain::ids::*;
use domain::values::{
    BodyKind, Category, CategoryLevel, Level, Office, OrderKind, OrganizationKind, PositionKind,
};
use domain::{Acting, Command};
use std::sync::Arc;
use store::testing::TestDatabase;

use store::{Backend, CommandId, FixedClock, SharedStore, Verification};

pub fn noon(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    day.and_hms_opt(12, 0, 0).expect("noon").and_utc()
}

/// A teacher of the town: id and the clear personal data that must never be stored in clear.
#[derive(Debug, Clone)]
pub struct Teacher {
    pub id: PersonId,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub position_title: String,
}

pub struct Town {
    pub db: TestDatabase,
    pub store: SharedStore,
    pub handler: CommandHandler,
    pub municipality: MunicipalityId,
    /// The name of the municipality's regulation profile.
    pub profile: String,
    pub bodies: BTreeMap<&'static str, BodyId>,
    pub districts: BTreeMap<&'static str, DistrictId>,
    pub organizations: BTreeMap<&'static str, OrganizationId>,
    /// The organizations' titles, for the position titles of their staff.
    pub organization_titles: BTreeMap<&'static str, String>,
    pub people: BTreeMap<&'static str, Teacher>,
    /// The clock of the store and the handler; `run` sets it to the effective date unless
    /// `recording_day` fixes the day of recording.
    pub clock: Arc<FixedClock>,
    pub recording_day: Option<NaiveDate>,
    pub order_dates: BTreeMap<OrderId, NaiveDate>,
    /// The council review the next `association` call cites (000 §1.4).
    pub creation_review: Option<domain::events::CouncilReview>,
    /// The curating institution the next `association` call names (003 §I.4).
    pub creation_curating: Option<OrganizationId>,
    seq: u32,
}

impl Town {
    /// A fresh store on `backend` with the municipality of `profile` registered.
    pub async fn new(backend: Backend, profile: &str, title: &str) -> Town {
        let db = TestDatabase::new(backend).await;
        // One clock for the store and the handler: each command is recorded on the day it
        // takes effect (so that persons act within their month), unless a test moves it.
        let clock = Arc::new(FixedClock::new(noon(date(2024, 8, 1))));
        let store = db.open_with(clock.clone()).await;
        // The scenarios run with the state cache the data generator uses; the CLI tests run
        // without it.
        let handler = CommandHandler::with_clock(
            store.clone(),
            ProfileSet::built_in().expect("built-in profiles load"),
            clock.clone(),
        )
        .with_state_cache(10_000);
        let municipality = MunicipalityId::derived("town", profile);
        let mut town = Town {
            db,
            store,
            handler,
            clock,
            recording_day: None,
            municipality,
            profile: profile.into(),
            bodies: BTreeMap::new(),
            districts: BTreeMap::new(),
            organizations: BTreeMap::new(),
            organization_titles: BTreeMap::new(),
            people: BTreeMap::new(),
            order_dates: BTreeMap::new(),
            creation_review: None,
            creation_curating: None,
            seq: 0,
        };
        town.op(
            date(2024, 8, 1),
            Command::RegisterMunicipality(RegisterMunicipality {
                municipality,
                title: title.into(),
                profile: profile.into(),
            }),
        )
        .await;
        town
    }

    /// From now on the municipality's profile gives every step of every document `days` to
    /// decide: a local setting, as a municipality may write in its profile file (no seed sets
    /// a review period). Chains assigned before keep what they were assigned.
    pub fn set_local_review_days(&mut self, days: u32) {
        self.amend_profile(|profile| {
            for rule in &mut profile.documents {
                rule.review_days = Some(days);
            }
        });
    }

    /// From now on the town's profile is its current one changed by `change`, as a
    /// municipality may write its own profile file (a local step, a local period).
    pub fn amend_profile(&mut self, change: impl FnOnce(&mut domain::RegulationProfile)) {
        let mut profiles: ProfileSet = self.handler.profiles().clone();
        let mut profile = profiles
            .get(&self.profile)
            .expect("the town's profile")
            .clone();
        change(&mut profile);
        profiles.insert(profile);
        self.handler = CommandHandler::with_clock(self.store.clone(), profiles, self.clock.clone())
            .with_state_cache(10_000);
    }

    fn next_command_id(&mut self) -> CommandId {
        self.seq += 1;
        CommandId::derived("scenario", &format!("{}-{}", self.municipality, self.seq))
    }

    /// Runs a command that must succeed.
    pub async fn run(&mut self, acting: Acting, effective: NaiveDate, command: Command) -> Handled {
        let name = command.name();
        self.record_on(effective);
        let id = self.next_command_id();
        match self
            .handler
            .handle(Submission::new(command, acting, effective, id))
            .await
        {
            Ok(handled) => handled,
            Err(e) => panic!("{name} on {effective} refused: {}: {e}", e.code()),
        }
    }

    pub async fn op(&mut self, effective: NaiveDate, command: Command) -> Handled {
        self.run(Acting::Operator, effective, command).await
    }

    pub async fn by(&mut self, who: &str, effective: NaiveDate, command: Command) -> Handled {
        let acting = Acting::Person(self.person(who));
        self.run(acting, effective, command).await
    }

    /// Runs a command that must be refused with `code`; checks that nothing was written.
    pub async fn refused(
        &mut self,
        acting: Acting,
        effective: NaiveDate,
        command: Command,
        code: &str,
    ) -> CommandError {
        self.record_on(effective);
        let before = self.store.last_position().await.expect("last position");
        let id = self.next_command_id();
        let error = self
            .handler
            .handle(Submission::new(command.clone(), acting, effective, id))
            .await
            .expect_err(&format!("{} must be refused with {code}", command.name()));
        assert_eq!(error.code(), code, "{}: {error}", command.name());
        let after = self.store.last_position().await.expect("last position");
        assert_eq!(before, after, "a refused command writes nothing");
        error
    }

    pub async fn refused_by(
        &mut self,
        who: &str,
        effective: NaiveDate,
        command: Command,
        code: &str,
    ) -> CommandError {
        let acting = Acting::Person(self.person(who));
        self.refused(acting, effective, command, code).await
    }

    /// Sets the clock to the day of recording: the fixed one, or the effective date.
    fn record_on(&self, effective: NaiveDate) {
        self.clock
            .set(noon(self.recording_day.unwrap_or(effective)));
    }

    pub fn person(&self, who: &str) -> PersonId {
        self.people
            .get(who)
            .unwrap_or_else(|| panic!("no person {who} in the town"))
            .id
    }

    pub fn body(&self, name: &str) -> BodyId {
        *self
            .bodies
            .get(name)
            .unwrap_or_else(|| panic!("no body {name}"))
    }

    pub fn organization(&self, name: &str) -> OrganizationId {
        *self
            .organizations
            .get(name)
            .unwrap_or_else(|| panic!("no organization {name}"))
    }

    pub async fn district(&mut self, key: &'static str, title: &str) -> DistrictId {
        let district = DistrictId::derived(&self.municipality.to_string(), key);
        let municipality = self.municipality;
        self.op(
            date(2024, 8, 1),
            Command::AddDistrict(AddDistrict {
                municipality,
                district,
                title: title.into(),
            }),
        )
        .await;
        self.districts.insert(key, district);
        district
    }

    pub async fn organization_in(
        &mut self,
        key: &'static str,
        title: &str,
        kind: OrganizationKind,
        district: Option<&str>,
    ) -> OrganizationId {
        let organization = OrganizationId::derived(&self.municipality.to_string(), key);
        let municipality = self.municipality;
        let district = district.map(|d| self.districts[d]);
        self.op(
            date(2024, 8, 1),
            Command::RegisterOrganization(RegisterOrganization {
                municipality,
                organization,
                title: title.into(),
                kind,
                district,
            }),
        )
        .await;
        self.organizations.insert(key, organization);
        self.organization_titles.insert(key, title.to_string());
        organization
    }

    pub async fn body_of(
        &mut self,
        key: &'static str,
        kind: BodyKind,
        title: &str,
        district: Option<&str>,
        organization: Option<&str>,
    ) -> BodyId {
        let body = BodyId::derived(&self.municipality.to_string(), key);
        let municipality = self.municipality;
        let district = district.map(|d| self.districts[d]);
        let organization = organization.map(|o| self.organizations[o]);
        self.op(
            date(2024, 8, 1),
            Command::EstablishBody(EstablishBody {
                municipality,
                body,
                kind,
                title: title.into(),
                district,
                organization,
            }),
        )
        .await;
        self.bodies.insert(key, body);
        body
    }

    /// Registers a person with a category granted on `category_granted` (none if `None`),
    /// born on 14 March of a year from 1970 to 1994.
    #[allow(clippy::too_many_arguments)]
    pub async fn teacher(
        &mut self,
        key: &'static str,
        full_name: &str,
        organization: &str,
        position_kind: PositionKind,
        category: Option<(CategoryLevel, NaiveDate)>,
        specialty_since: NaiveDate,
    ) -> PersonId {
        let birth_date = date(1970 + (self.people.len() as i32 % 25), 3, 14);
        self.teacher_born(
            key,
            full_name,
            organization,
            position_kind,
            category,
            specialty_since,
            birth_date,
        )
        .await
    }

    /// [`Town::teacher`] born on `birth_date`.
    #[allow(clippy::too_many_arguments)]
    pub async fn teacher_born(
        &mut self,
        key: &'static str,
        full_name: &str,
        organization: &str,
        position_kind: PositionKind,
        category: Option<(CategoryLevel, NaiveDate)>,
        specialty_since: NaiveDate,
        birth_date: NaiveDate,
    ) -> PersonId {
        // The towns' associations are of mathematics: a teacher teaches it, as the registry
        // lists (000 §7.5: district members teach the subject).
        let subjects = match position_kind {
            PositionKind::Teacher => vec![subject("математика")],
            _ => vec![],
        };
        let spec = (position_kind, category, specialty_since, birth_date);
        self.register(key, full_name, organization, spec, subjects)
            .await
    }

    /// [`Town::teacher`] of `subject_title` at Kuznetsk's school № 5 (001 §1.3: a member of
    /// the ММО of the subject by the registry).
    pub async fn teacher_of(
        &mut self,
        key: &'static str,
        full_name: &str,
        subject_title: &str,
        category: Option<(CategoryLevel, NaiveDate)>,
        specialty_since: NaiveDate,
    ) -> PersonId {
        let birth_date = date(1970 + (self.people.len() as i32 % 25), 3, 14);
        self.teacher_of_born(
            key,
            full_name,
            subject_title,
            category,
            specialty_since,
            birth_date,
        )
        .await
    }

    /// [`Town::teacher_of`] born on `birth_date`.
    pub async fn teacher_of_born(
        &mut self,
        key: &'static str,
        full_name: &str,
        subject_title: &str,
        category: Option<(CategoryLevel, NaiveDate)>,
        specialty_since: NaiveDate,
        birth_date: NaiveDate,
    ) -> PersonId {
        let spec = (PositionKind::Teacher, category, specialty_since, birth_date);
        self.register(
            key,
            full_name,
            "school-5",
            spec,
            vec![subject(subject_title)],
        )
        .await
    }

    /// Registers a person: position, category, specialty start and birth date as `spec`.
    async fn register(
        &mut self,
        key: &'static str,
        full_name: &str,
        organization: &str,
        spec: (
            PositionKind,
            Option<(CategoryLevel, NaiveDate)>,
            NaiveDate,
            NaiveDate,
        ),
        subjects: Vec<domain::values::Subject>,
    ) -> PersonId {
        let (position_kind, category, specialty_since, birth_date) = spec;
        let person = PersonId::derived(&self.municipality.to_string(), key);
        // As an application names it: the position and the organization («должность,
        // наименование учреждения», 002 appendix 1) — a string that can only come from this
        // person's record.
        let position_title = format!(
            "{} {}",
            match position_kind {
                PositionKind::Teacher => "учитель",
                PositionKind::Methodist => "методист",
                PositionKind::CenterSpecialist => "специалист методического центра",
                PositionKind::HeadOfUnit => "руководитель отдела",
                PositionKind::DeputyHead => "заместитель директора по учебно-методической работе",
                PositionKind::Director => "директор",
                PositionKind::Official => "начальник управления",
            },
            self.organization_titles[organization]
        );
        let category = match category {
            Some((level, on)) => Category::granted(level, on).expect("category"),
            None => Category::none(),
        };
        let municipality = self.municipality;
        let organization = self.organizations[organization];
        self.op(
            date(2024, 8, 1),
            Command::RegisterPerson(RegisterPerson {
                person,
                municipality,
                organization,
                position_kind,
                full_name: full_name.into(),
                birth_date,
                position_title: position_title.clone(),
                category,
                specialty_since,
                subjects,
            }),
        )
        .await;
        self.people.insert(
            key,
            Teacher {
                id: person,
                full_name: full_name.into(),
                birth_date,
                position_title,
            },
        );
        person
    }

    pub async fn official(&mut self, person: &str, body: &str, office: Office) {
        let municipality = self.municipality;
        let (body, person) = (self.body(body), self.person(person));
        self.op(
            date(2024, 8, 1),
            Command::AssignOfficial(AssignOfficial {
                municipality,
                body,
                person,
                office,
            }),
        )
        .await;
    }

    /// An order of `issuer`, entered by the operator, taking effect on its date.
    pub async fn order(
        &mut self,
        issuer: &str,
        number: &str,
        on: NaiveDate,
        title: &str,
    ) -> OrderId {
        let order = OrderId::derived(
            &self.municipality.to_string(),
            &format!("{issuer}-{number}"),
        );
        let municipality = self.municipality;
        let issuer = self.body(issuer);
        self.op(
            on,
            Command::IssueOrder(IssueOrder {
                order,
                municipality,
                issuer,
                kind: OrderKind::Order,
                number: number.into(),
                date: on,
                title: title.into(),
                decides: vec![title.into()],
                signed_by: None,
            }),
        )
        .await;
        self.order_dates.insert(order, on);
        order
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn association(
        &mut self,
        key: &str,
        title: &str,
        subject_name: &str,
        level: Level,
        district: Option<&str>,
        organization: Option<&str>,
        order: OrderId,
    ) -> AssociationId {
        let association = AssociationId::derived(&self.municipality.to_string(), key);
        let district = district.map(|d| self.districts[d]);
        let organization = organization.map(|o| self.organizations[o]);
        // Created on the day of the order that creates it.
        let on = self.order_dates[&order];
        let review = self.creation_review.take();
        let curating_organization = self.creation_curating.take();
        self.op(
            on,
            Command::CreateAssociation(CreateAssociation {
                association,
                title: title.into(),
                subject: subject(subject_name),
                level,
                kind: domain::values::AssociationKind::MethodicalAssociation,
                group_membership: None,
                district,
                organization,
                order,
                review,
                curating_organization,
                ends_on: None,
                task: None,
            }),
        )
        .await;
        association
    }

    /// Admits people by an order (the regulations without applications).
    pub async fn admit_by_order(
        &mut self,
        association: AssociationId,
        people: &[&str],
        order: OrderId,
        on: NaiveDate,
    ) {
        for who in people {
            let member = Member::Person(self.person(who));
            self.op(
                on,
                Command::AdmitMember(AdmitMember {
                    association,
                    member,
                    basis: AdmissionBasis::Order(order),
                    district_association: None,
                }),
            )
            .await;
        }
    }

    pub fn meeting_id(&self, key: &str) -> MeetingId {
        MeetingId::derived(&self.municipality.to_string(), key)
    }

    /// Holds a meeting recorded by `recorder` with everyone in `present` attending.
    pub async fn hold_meeting(
        &mut self,
        recorder: &str,
        key: &str,
        association: AssociationId,
        on: NaiveDate,
        present: &[&str],
        questions: Vec<QuestionDecision>,
    ) -> MeetingId {
        let meeting = self.meeting_id(key);
        let attendance = present.iter().map(|p| self.person(p)).collect();
        self.by(
            recorder,
            on,
            Command::HoldMeeting(HoldMeeting {
                meeting,
                association,
                attendance,
                questions,
                recommendations: vec![],
            }),
        )
        .await;
        meeting
    }

    /// The secretary (or whoever the profile says) drafts; the head signs.
    pub async fn protocol(
        &mut self,
        drafter: &str,
        signer: &str,
        meeting: MeetingId,
        number: &str,
        on: NaiveDate,
    ) {
        self.by(
            drafter,
            on,
            Command::DraftProtocol(DraftProtocol {
                meeting,
                number: number.into(),
                content_hash: hash_of(&format!("protocol {number}")),
            }),
        )
        .await;
        self.by(signer, on, Command::SignProtocol(SignProtocol { meeting }))
            .await;
    }

    pub fn vote(
        &self,
        meeting: MeetingId,
        present: &[&str],
        votes_for: u32,
        against: u32,
        abstained: u32,
    ) -> Vote {
        let present: Vec<PersonId> = present.iter().map(|p| self.person(p)).collect();
        vote(meeting, &present, votes_for, against, abstained)
    }

    /// The whole log, checked: the chain verifies, and no personal field of any person — name,
    /// birth date, position (DOMAIN.md §7) — is in any payload in clear. The kind of position
    /// (`teacher`, `deputy_head`, …) is in clear by design: the rules read it (003 §7.2, 002
    /// §5.3, who signs an application); the position as the person's record words it is
    /// sealed. Returns the event types in log order.
    pub async fn check_log(&self) -> Vec<String> {
        match store::verify(self.store.as_ref())
            .await
            .expect("verify runs")
        {
            Verification::Intact { .. } => {}
            broken => panic!("the chain must verify: {broken:?}"),
        }
        let events = self.store.read_all(1, usize::MAX >> 1).await.expect("read");
        for event in &events {
            for teacher in self.people.values() {
                for clear in [
                    teacher.full_name.as_str(),
                    &teacher.birth_date.to_string(),
                    &teacher.birth_date.format("%d.%m.%Y").to_string(),
                    teacher.position_title.as_str(),
                ] {
                    assert!(
                        !event.payload.contains(clear),
                        "personal data «{clear}» in clear at position {}: {}",
                        event.position,
                        event.payload
                    );
                }
            }
        }
        events.into_iter().map(|e| e.event_type).collect()
    }

    /// How many events of each type the log holds.
    pub async fn counts(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for t in self.check_log().await {
            *counts.entry(t).or_insert(0) += 1;
        }
        counts
    }
}
