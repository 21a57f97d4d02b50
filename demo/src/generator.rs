//! The generator: a town and its school years, planned day by day and recorded through the
//! real command handler and workflow runner on a stepping clock — nothing is inserted
//! directly. Each school year is planned in full (who joins, who heads, who meets when, which
//! plan is returned or late), then its commands run in the order the department would have
//! entered them: most on the day they take effect, a few days or weeks late.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, Utc};
use commands::{CommandError, CommandHandler, ProfileSet, Submission};
use domain::commands::{
    AddDistrict, AdmitMember, AppointCurator, AppointHead, ApproveAssociationList, ApproveStep,
    AssignOfficial, ChangeCategory, CorrectProtocol, CreateAssociation, DraftProtocol, ElectHead,
    ElectSecretary, EstablishBody, HoldMeeting, IssueOrder, LinkDistrictAssociation, OpenDocument,
    RegisterMunicipality, RegisterOrganization, RegisterPerson, RejectDocument, RemoveMember,
    ReturnDocument, ScheduleMeeting, SignProtocol, SubmitDocumentVersion, TransferPerson,
    UpdateMemberDatabase,
};
use domain::events::{AdmissionBasis, CouncilReview, Member, QuestionDecision, Vote};
use domain::ids::{
    AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId, OrderId,
    OrganizationId, PersonId,
};
use domain::values::{
    AssociationKind, BodyKind, Category, CategoryLevel, ContentHash, DocumentType, Level, Office,
    OrderKind, OrganizationKind, PositionKind, Subject,
};
use domain::{Acting, Command, RegulationProfile, SchoolYear};
use sha2::{Digest, Sha256};
use store::{CommandId, SharedStore, SteppingClock};
use workflows::{WorkflowError, WorkflowRunner};

use crate::names;
use crate::rng::Rng;

mod one_level;

/// How big a town.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// A town for tests: two districts, six schools, about 120 teachers, four subjects.
    Small,
    /// A large city: six districts, about 200 organizations, 15,000 teachers, 20 subjects.
    City,
    /// Ten cities' worth: sixty districts, about 2,000 organizations, 150,000 teachers.
    Region,
}

impl Scale {
    /// The scale as the command line and the kept histories' names spell it.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Small => "small",
            Scale::City => "city",
            Scale::Region => "region",
        }
    }

    fn districts(self) -> usize {
        match self {
            Scale::Small => 2,
            Scale::City => 6,
            Scale::Region => 60,
        }
    }

    fn schools_per_district(self) -> usize {
        match self {
            Scale::Small => 3,
            Scale::City | Scale::Region => 33,
        }
    }

    fn teachers(self) -> usize {
        match self {
            Scale::Small => 120,
            Scale::City => 15_000,
            Scale::Region => 150_000,
        }
    }

    fn subjects(self) -> usize {
        match self {
            Scale::Small => 4,
            Scale::City | Scale::Region => SUBJECTS.len(),
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoSpec {
    pub profile: String,
    pub scale: Scale,
    /// School years, the last of them 2025/26.
    pub years: u32,
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemoReport {
    pub first_year: String,
    pub last_year: String,
    pub commands: u64,
    pub events: u64,
    /// Commands entered after the day they took effect.
    pub late_recorded: u64,
    /// Corrections of signed protocols.
    pub corrections: u64,
    pub teachers: u64,
    pub organizations: u64,
    pub associations: u64,
    /// What the workflow recorded: reactions and missed deadlines.
    pub reactions: u64,
    pub deadlines_missed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("генератор данных умеет профили novokuznetsk, novosibirsk, kuznetsk, izhevsk и pervouralsk и схожие с ними; профиль «{profile}» устроен иначе")]
    UnsupportedProfile { profile: String },

    #[error("нужно от 1 до 30 учебных лет, указано {years}")]
    InvalidYears { years: u32 },

    #[error("команда {command} на {effective} отклонена правилами ({code}): {message}; {details}")]
    Refused {
        command: String,
        effective: NaiveDate,
        code: &'static str,
        message: String,
        details: String,
    },

    #[error(transparent)]
    Command(#[from] CommandError),

    #[error(transparent)]
    Workflow(#[from] WorkflowError),
}

impl DemoError {
    pub fn code(&self) -> &'static str {
        match self {
            DemoError::UnsupportedProfile { .. } => "demo_profile_unsupported",
            DemoError::InvalidYears { .. } => "demo_invalid_years",
            DemoError::Refused { .. } => "demo_command_refused",
            DemoError::Command(e) => e.code(),
            DemoError::Workflow(e) => e.code(),
        }
    }
}

/// The subjects of the city methodical associations of Novokuznetsk.
const SUBJECTS: &[&str] = &[
    "математика",
    "русский язык и литература",
    "начальные классы",
    "английский язык",
    "история и обществознание",
    "физика",
    "химия",
    "биология",
    "география",
    "информатика",
    "физическая культура",
    "основы безопасности жизнедеятельности",
    "музыка",
    "изобразительное искусство",
    "технология",
    "немецкий язык",
    "педагоги-психологи",
    "социальные педагоги",
    "учителя-логопеды",
    "педагоги-библиотекари",
];

const DISTRICTS: &[&str] = &[
    "Центральный",
    "Куйбышевский",
    "Кузнецкий",
    "Орджоникидзевский",
    "Заводской",
    "Новоильинский",
];

fn subject_name(index: usize) -> &'static str {
    SUBJECTS.get(index).copied().unwrap_or("математика")
}

/// The last school year generated begins in this year (2025/26).
const LAST_START_YEAR: i32 = 2025;

/// The first school year of a history of `years` school years (the last one 2025/26).
pub fn first_school_year(years: u32) -> SchoolYear {
    let first = LAST_START_YEAR - years.min(30) as i32 + 1;
    SchoolYear::containing(day(first, 9, 1))
}

fn day(year: i32, month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, d).unwrap_or(NaiveDate::MIN)
}

fn plus(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(date)
}

fn content(label: &str) -> ContentHash {
    let digest = Sha256::digest(label.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    ContentHash::parse(&hex).unwrap_or_else(|_| unreachable_hash())
}

fn unreachable_hash() -> ContentHash {
    // 64 hex digits always parse; this only satisfies the type.
    ContentHash::parse(&"0".repeat(64)).expect("64 hex digits")
}

/// A step approved without a comment, order or protocol number (at `meeting` where the step
/// is decided at one).
fn approval(document: DocumentId, step: u32, meeting: Option<MeetingId>) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step,
        comment: None,
        meeting,
        order: None,
        protocol_number: None,
    })
}

/// A council's step approved at its sitting, citing the sitting's protocol.
fn council_approval(document: DocumentId, step: u32, protocol_number: String) -> Command {
    Command::ApproveStep(ApproveStep {
        document,
        step,
        comment: None,
        meeting: None,
        order: None,
        protocol_number: Some(protocol_number),
    })
}

/// A vote at `meeting` where everyone present voted for.
fn unanimous(meeting: MeetingId, present: &[PersonId]) -> Vote {
    Vote {
        meeting,
        present: present.to_vec(),
        votes_for: present.len() as u32,
        against: 0,
        abstained: 0,
    }
}

fn decided(question: &str, decision: &str) -> QuestionDecision {
    QuestionDecision {
        question: question.into(),
        decision: decision.into(),
    }
}

/// One command planned: when it is entered, when it takes effect, who acts.
#[derive(Debug, Clone)]
struct Action {
    record_on: NaiveDate,
    effective: NaiveDate,
    acting: Acting,
    command: Command,
    seq: u64,
}

/// What becomes of a teacher over the summer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    Stays,
    /// Leaves the profession.
    Leaves,
    /// Moves to this school.
    Moves(usize),
}

#[derive(Debug, Clone)]
struct Teacher {
    id: PersonId,
    school: usize,
    subject: usize,
    category: CategoryLevel,
    /// The day the category was granted (a category is held for five years, then attested
    /// again); `None` without one.
    granted: Option<NaiveDate>,
    since: NaiveDate,
    active: bool,
}

#[derive(Debug, Clone)]
struct School {
    id: OrganizationId,
    district: usize,
}

#[derive(Debug, Clone, Default)]
struct Association {
    id: Option<AssociationId>,
    /// Members and the day each joined.
    members: BTreeMap<usize, NaiveDate>,
    head: Option<usize>,
    secretary: Option<usize>,
    /// The curator: an index into the methodists.
    curator: Option<usize>,
}

impl Association {
    /// `teacher` no longer holds its offices (they left, or moved away).
    fn vacate(&mut self, teacher: usize) {
        if self.head == Some(teacher) {
            self.head = None;
        }
        if self.secretary == Some(teacher) {
            self.secretary = None;
        }
    }

    /// `teacher` heads the association, and so is no longer its secretary.
    fn make_head(&mut self, teacher: usize) {
        self.head = Some(teacher);
        if self.secretary == Some(teacher) {
            self.secretary = None;
        }
    }

    fn id(&self) -> AssociationId {
        self.id
            .unwrap_or_else(|| AssociationId::derived("demo", "none"))
    }
}

/// The town being generated and the plan of the year under way.
struct Generator {
    handler: CommandHandler,
    runner: WorkflowRunner,
    clock: Arc<SteppingClock>,
    rng: Rng,
    style: Style,
    curating_organization: OrganizationId,
    curating_body: BodyId,
    /// The curating institution's methodists and their categories.
    methodists: Vec<(PersonId, CategoryLevel)>,
    /// City plans for the next year waiting for its first meeting (003 §7.9), by subject.
    pending_city_plans: BTreeMap<usize, DocumentId>,
    /// The teachers whose category changed at this year's attestation (no other change of
    /// theirs is planned in the same year, so the generator's view stays the log's).
    attested: BTreeSet<usize>,
    spec: DemoSpec,
    namespace: String,
    municipality: MunicipalityId,
    department: BodyId,
    council: BodyId,
    planning_council: BodyId,
    district_departments: Vec<BodyId>,
    districts: Vec<DistrictId>,
    schools: Vec<School>,
    teachers: Vec<Teacher>,
    deputy_chief: PersonId,
    council_chair: PersonId,
    city: Vec<Association>,
    district: Vec<Vec<Association>>,
    plan: Vec<Action>,
    seq: u64,
    orders: u64,
    meetings: u64,
    report: DemoReport,
    /// The profiles with one municipal level (001, 002, 004): their style and their state.
    one: one_level::OneLevel,
}

/// How the profile's year goes, as far as the generator needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Style {
    /// Heads elected by the members at the first meeting (003 §7.4), not appointed by order.
    heads_elected: bool,
    /// Curators appointed by the curating institution's order (003 §7.2).
    curators: bool,
    /// District associations and their heads by the district departments' orders (000 §7.4).
    district_departments: bool,
    /// The list of city associations reviewed by a council before the order (000 §1.4).
    list_reviewed: bool,
    /// The council that reviews the city associations' documents (000 §4.7; 003 §7.8).
    council: BodyKind,
    /// District heads serve a school year (000 §7.4), and so their city membership does.
    yearly_heads: bool,
    /// The district departments approve the list of their associations every year by a
    /// day (000 §7.4: 15 Sep).
    district_lists: bool,
}

impl Style {
    /// The two-level style is not used where there is one municipal level; its council is
    /// the one that reviews the list of associations (002 §5.1).
    fn one_level() -> Self {
        Style {
            heads_elected: false,
            curators: false,
            district_departments: false,
            list_reviewed: false,
            council: BodyKind::MethodicalCouncil,
            yearly_heads: false,
            district_lists: false,
        }
    }
}

/// The style of the profile's year, if the generator knows how to walk it: district and city
/// levels, members by order, city associations made of the district heads, secretaries
/// elected, heads appointed by order (000) or elected (003).
fn style_of(profile: &RegulationProfile) -> Option<Style> {
    use domain::profile::{FillMethod, StepRole};
    use domain::values::AssociationRole;
    let levels = &profile.structure.levels;
    let method = |role| {
        profile
            .roles
            .iter()
            .filter(|r| r.role == role)
            .map(|r| r.method)
            .collect::<Vec<_>>()
    };
    let heads = method(AssociationRole::Head);
    let heads_elected = heads.iter().all(|m| *m == FillMethod::Election);
    let heads_by_order = heads.iter().all(|m| *m == FillMethod::Order);
    let shaped = levels.contains(&Level::District)
        && levels.contains(&Level::City)
        && !profile.membership.applications
        && (heads_elected || heads_by_order)
        && method(AssociationRole::Secretary) == vec![FillMethod::Election]
        && profile.structure.city_members_are_district_heads.is_some();
    if !shaped {
        return None;
    }
    let council = profile
        .documents
        .iter()
        .flat_map(|d| d.chain.iter().flatten())
        .filter(|step| step.role == StepRole::Council)
        .filter_map(|step| step.council)
        .find(|kind| *kind != BodyKind::CoordinationCouncil)
        .unwrap_or(BodyKind::OrganizationalMethodicalCouncil);
    Some(Style {
        heads_elected,
        curators: method(AssociationRole::Curator) == vec![FillMethod::Order],
        district_departments: profile
            .structure
            .creation
            .iter()
            .any(|rule| rule.levels.contains(&Level::District)),
        list_reviewed: profile.structure.list_reviewed_by.is_some(),
        council,
        yearly_heads: profile
            .roles
            .iter()
            .any(|r| r.role == AssociationRole::Head && r.yearly),
        district_lists: profile.structure.list_rule_for(Level::District).is_some(),
    })
}

/// Whether `spec` can be generated (a known profile whose year the generator can walk, 1 to
/// 30 school years) — asked before anything is written.
pub fn check(profiles: &ProfileSet, spec: &DemoSpec) -> Result<(), DemoError> {
    walk_of(profiles, spec).map(|_| ())
}

/// The profile of `spec` and how the generator walks its year.
fn walk_of(
    profiles: &ProfileSet,
    spec: &DemoSpec,
) -> Result<(RegulationProfile, Style, one_level::OneLevel), DemoError> {
    let profile = profiles.get(&spec.profile)?.clone();
    let (style, one) = match (style_of(&profile), one_level::OneLevel::of(&profile)) {
        (Some(style), _) => (style, one_level::OneLevel::default()),
        (None, Some(one)) => (Style::one_level(), one),
        (None, None) => {
            return Err(DemoError::UnsupportedProfile {
                profile: spec.profile.clone(),
            })
        }
    };
    if spec.years == 0 || spec.years > 30 {
        return Err(DemoError::InvalidYears { years: spec.years });
    }
    Ok((profile, style, one))
}

/// Generates the history of `spec` into the store behind `handler`, whose store and handler
/// share `clock`. `progress` hears (school years done, school years).
pub async fn generate(
    store: SharedStore,
    profiles: ProfileSet,
    clock: Arc<SteppingClock>,
    spec: DemoSpec,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<DemoReport, DemoError> {
    let (profile, style, one) = walk_of(&profiles, &spec)?;
    let handler = CommandHandler::with_clock(store.clone(), profiles, clock.clone())
        .with_state_cache(1_000_000);
    let runner = WorkflowRunner::new(handler.clone());
    let namespace = format!("metod-demo-{}-{}", spec.profile, spec.seed);
    let municipality = MunicipalityId::derived(&namespace, "municipality");
    let mut generator = Generator {
        handler,
        runner,
        clock,
        rng: Rng::new(spec.seed),
        style,
        curating_organization: OrganizationId::derived(&namespace, "curating-institution"),
        curating_body: BodyId::derived(&namespace, "curating-institution"),
        methodists: Vec::new(),
        pending_city_plans: BTreeMap::new(),
        attested: BTreeSet::new(),
        municipality,
        department: BodyId::derived(&namespace, "department"),
        council: BodyId::derived(&namespace, "coordination-council"),
        planning_council: BodyId::derived(&namespace, "organizational-methodical-council"),
        district_departments: Vec::new(),
        districts: Vec::new(),
        schools: Vec::new(),
        teachers: Vec::new(),
        deputy_chief: PersonId::derived(&namespace, "deputy-chief"),
        council_chair: PersonId::derived(&namespace, "council-chair"),
        city: Vec::new(),
        district: Vec::new(),
        plan: Vec::new(),
        seq: 0,
        orders: 0,
        meetings: 0,
        report: DemoReport::default(),
        one,
        namespace,
        spec: spec.clone(),
    };
    let first = LAST_START_YEAR - spec.years as i32 + 1;
    generator.report.first_year = first_school_year(spec.years).to_string();
    generator.report.last_year = SchoolYear::containing(day(LAST_START_YEAR, 9, 1)).to_string();
    let one_level = generator.one.is_some();
    if one_level {
        generator.plan_one_level_registry(first, &profile);
    } else {
        generator.plan_registry(first, &profile);
    }
    generator.run_plan(&[]).await?;
    for (index, start) in (first..=LAST_START_YEAR).enumerate() {
        if one_level {
            generator.plan_one_level_year(start, start == first);
        } else {
            generator.plan_year(start, start == first);
        }
        let checks = [
            day(start, 9, 16),
            day(start, 10, 2),
            day(start + 1, 5, 6),
            day(start + 1, 5, 16),
            day(start + 1, 8, 31),
        ];
        generator.run_plan(&checks).await?;
        progress(index as u64 + 1, u64::from(spec.years));
    }
    generator.report.events = store.last_position().await.map_err(CommandError::from)?;
    generator.report.teachers = generator.teachers.len() as u64;
    generator.report.organizations = generator.schools.len() as u64 + 2;
    generator.report.associations = (generator.city.len()
        + generator.district.iter().map(Vec::len).sum::<usize>()
        + generator.one.schools.iter().map(Vec::len).sum::<usize>())
        as u64;
    Ok(generator.report)
}

impl Generator {
    // ---- planning ---------------------------------------------------------------------

    fn push(
        &mut self,
        record_on: NaiveDate,
        effective: NaiveDate,
        acting: Acting,
        command: Command,
    ) {
        self.seq += 1;
        if record_on > effective {
            self.report.late_recorded += 1;
        }
        self.plan.push(Action {
            record_on,
            effective,
            acting,
            command,
            seq: self.seq,
        });
    }

    fn op(&mut self, on: NaiveDate, command: Command) {
        self.push(on, on, Acting::Operator, command);
    }

    fn by(&mut self, person: PersonId, on: NaiveDate, command: Command) {
        self.push(on, on, Acting::Person(person), command);
    }

    /// Entered `percent` in 100 times a few days to three weeks after it took effect.
    fn maybe_late(&mut self, percent: u32, on: NaiveDate) -> NaiveDate {
        self.maybe_late_within(percent, 20, on)
    }

    /// Entered `percent` in 100 times two to `max_days` days after it took effect.
    fn maybe_late_within(&mut self, percent: u32, max_days: u32, on: NaiveDate) -> NaiveDate {
        if self.rng.percent(percent) {
            plus(on, self.rng.between(2, max_days.max(2)))
        } else {
            on
        }
    }

    fn order(
        &mut self,
        issuer: BodyId,
        issuer_kind: BodyKind,
        on: NaiveDate,
        title: &str,
    ) -> OrderId {
        self.orders += 1;
        let order = OrderId::derived(&self.namespace, &format!("order-{}", self.orders));
        let municipality = self.municipality;
        let number = match issuer_kind {
            BodyKind::Department => format!("{}-од", 1000 + self.orders),
            _ => format!("{}", 100 + self.orders),
        };
        self.op(
            on,
            Command::IssueOrder(IssueOrder {
                order,
                municipality,
                issuer,
                kind: OrderKind::Order,
                number,
                date: on,
                title: title.into(),
                decides: vec![title.into()],
                signed_by: None,
            }),
        );
        order
    }

    fn subject(&self, index: usize) -> Subject {
        Subject::parse(subject_name(index))
            .unwrap_or_else(|_| Subject::parse("математика").expect("a subject name parses"))
    }

    fn new_teacher(&mut self, on: NaiveDate, school: usize, subject: usize, young: bool) -> usize {
        let index = self.teachers.len();
        let id = PersonId::derived(&self.namespace, &format!("teacher-{index}"));
        let full_name = names::full_name(&mut self.rng);
        let (category, since) = if young {
            (CategoryLevel::None, day(on.year(), 8, 15))
        } else {
            let since = day(on.year() - self.rng.between(1, 35) as i32, 9, 1);
            let category = match self.rng.below(100) {
                0..=34 => CategoryLevel::None,
                35..=69 => CategoryLevel::First,
                _ => CategoryLevel::Highest,
            };
            (category, since)
        };
        let birth = day(
            since.year() - self.rng.between(21, 26) as i32,
            self.rng.between(1, 12),
            self.rng.between(1, 28),
        );
        let granted = day(on.year() - self.rng.between(0, 4) as i32, 4, 1);
        let category_value = match category {
            CategoryLevel::None => Category::none(),
            level => Category::granted(level, granted).unwrap_or_else(|_| Category::none()),
        };
        let municipality = self.municipality;
        let organization = self.schools[school].id;
        let title = format!("учитель ({})", subject_name(subject));
        let subject_value = self.subject(subject);
        self.op(
            on,
            Command::RegisterPerson(RegisterPerson {
                person: id,
                municipality,
                organization,
                position_kind: PositionKind::Teacher,
                full_name,
                birth_date: birth,
                position_title: title,
                category: category_value,
                specialty_since: since,
                subjects: vec![subject_value],
            }),
        );
        self.teachers.push(Teacher {
            id,
            school,
            subject,
            category,
            granted: (category != CategoryLevel::None).then_some(granted),
            since,
            active: true,
        });
        index
    }

    /// The municipality under its profile.
    fn register_municipality(&mut self, on: NaiveDate, profile: &RegulationProfile) {
        let municipality = self.municipality;
        self.op(
            on,
            Command::RegisterMunicipality(RegisterMunicipality {
                municipality,
                title: format!("{} (демонстрационные данные)", profile.title),
                profile: profile.name.clone(),
            }),
        );
    }

    fn register_organization(
        &mut self,
        on: NaiveDate,
        organization: OrganizationId,
        title: &str,
        kind: OrganizationKind,
        district: Option<DistrictId>,
    ) {
        let municipality = self.municipality;
        self.op(
            on,
            Command::RegisterOrganization(RegisterOrganization {
                municipality,
                organization,
                title: title.into(),
                kind,
                district,
            }),
        );
    }

    /// A municipal institution and the body it is: registered and established on `on`.
    fn institution(
        &mut self,
        on: NaiveDate,
        (organization, body): (OrganizationId, BodyId),
        kind: BodyKind,
        title: &str,
    ) {
        self.register_organization(
            on,
            organization,
            title,
            OrganizationKind::MunicipalInstitution,
            None,
        );
        self.establish(on, body, kind, title, Some(organization));
    }

    fn establish(
        &mut self,
        on: NaiveDate,
        body: BodyId,
        kind: BodyKind,
        title: &str,
        organization: Option<OrganizationId>,
    ) {
        let municipality = self.municipality;
        self.op(
            on,
            Command::EstablishBody(EstablishBody {
                municipality,
                body,
                kind,
                title: title.into(),
                district: None,
                organization,
            }),
        );
    }

    /// The schools and kindergartens: in the districts where there are districts, else in
    /// the town as a whole.
    fn register_schools(&mut self, on: NaiveDate) {
        let scale = self.spec.scale;
        for district in 0..scale.districts() {
            for n in 0..scale.schools_per_district() {
                let index = self.schools.len();
                let id = OrganizationId::derived(&self.namespace, &format!("school-{index}"));
                let title = format!("МБОУ «СОШ № {}»", index + 1);
                let kind = if n % 11 == 10 {
                    OrganizationKind::Kindergarten
                } else {
                    OrganizationKind::School
                };
                let district_id = self.districts.get(district).copied();
                self.register_organization(on, id, &title, kind, district_id);
                self.schools.push(School { id, district });
            }
        }
    }

    /// A person of the registry (not a teacher) who holds `office` in `body`, if any.
    #[allow(clippy::too_many_arguments)]
    fn register_staff(
        &mut self,
        on: NaiveDate,
        person: PersonId,
        organization: OrganizationId,
        position_kind: PositionKind,
        title: &str,
        (category, specialty_since): (Category, NaiveDate),
        office: Option<(BodyId, Office)>,
    ) {
        let municipality = self.municipality;
        let full_name = names::full_name(&mut self.rng);
        let birth_date = day(
            specialty_since.year() - self.rng.between(22, 25) as i32,
            self.rng.between(1, 12),
            self.rng.between(1, 28),
        );
        self.op(
            on,
            Command::RegisterPerson(RegisterPerson {
                person,
                municipality,
                organization,
                position_kind,
                full_name,
                birth_date,
                position_title: title.into(),
                category,
                specialty_since,
                subjects: vec![],
            }),
        );
        if let Some((body, office)) = office {
            self.op(
                on,
                Command::AssignOfficial(AssignOfficial {
                    municipality,
                    body,
                    person,
                    office,
                }),
            );
        }
    }

    /// The teachers, each at a school and with a subject, on 16 Aug of the first year.
    fn register_teachers(&mut self, first: i32) {
        let register_on = day(first, 8, 16);
        for _ in 0..self.spec.scale.teachers() {
            let school = self.rng.below(self.schools.len());
            let subject = self.rng.below(self.spec.scale.subjects());
            self.new_teacher(register_on, school, subject, false);
        }
    }

    /// The municipality, its districts, organizations, bodies, officials and teachers.
    fn plan_registry(&mut self, first: i32, profile: &RegulationProfile) {
        let on = day(first, 8, 15);
        let municipality = self.municipality;
        let scale = self.spec.scale;
        self.register_municipality(on, profile);
        for index in 0..scale.districts() {
            let district = DistrictId::derived(&self.namespace, &format!("district-{index}"));
            let title = match DISTRICTS.get(index) {
                Some(name) if scale != Scale::Region => format!("{name} район"),
                _ => format!(
                    "{} район № {}",
                    DISTRICTS[index % DISTRICTS.len()],
                    index / DISTRICTS.len() + 1
                ),
            };
            self.op(
                on,
                Command::AddDistrict(AddDistrict {
                    municipality,
                    district,
                    title,
                }),
            );
            self.districts.push(district);
        }
        let koin = OrganizationId::derived(&self.namespace, "koin");
        let center = OrganizationId::derived(&self.namespace, "methodical-center");
        for (organization, title) in [
            (koin, "Комитет образования и науки"),
            (center, "Муниципальный методический центр"),
        ] {
            self.register_organization(
                on,
                organization,
                title,
                OrganizationKind::MunicipalInstitution,
                None,
            );
        }
        self.register_schools(on);
        let council_title = match self.style.council {
            BodyKind::ScientificMethodicalCouncil => "Городской научно-методический совет",
            _ => "Организационно-методический совет",
        };
        for (body, kind, title, organization) in [
            (
                self.department,
                BodyKind::Department,
                "Комитет образования и науки",
                Some(koin),
            ),
            (
                self.council,
                BodyKind::CoordinationCouncil,
                "Координационный совет муниципальной методической службы",
                None,
            ),
            (
                self.planning_council,
                self.style.council,
                council_title,
                None,
            ),
        ] {
            self.establish(on, body, kind, title, organization);
        }
        for (index, district) in self.districts.clone().into_iter().enumerate() {
            let body = BodyId::derived(&self.namespace, &format!("district-department-{index}"));
            self.op(
                on,
                Command::EstablishBody(EstablishBody {
                    municipality,
                    body,
                    kind: BodyKind::DistrictDepartment,
                    title: format!("Районный отдел образования № {}", index + 1),
                    district: Some(district),
                    organization: None,
                }),
            );
            self.district_departments.push(body);
        }
        for (person, organization, title, body, office) in [
            (
                self.deputy_chief,
                koin,
                "заместитель председателя КОиН",
                self.department,
                Office::DeputyChief,
            ),
            (
                self.council_chair,
                center,
                "председатель организационно-методического совета",
                self.planning_council,
                Office::Chief,
            ),
        ] {
            self.register_staff(
                on,
                person,
                organization,
                PositionKind::Official,
                title,
                (Category::none(), day(2000, 9, 1)),
                Some((body, office)),
            );
        }
        if self.style.curators {
            self.plan_curating_institution(on);
        }
        self.register_teachers(first);
        self.city = vec![Association::default(); scale.subjects()];
        self.district = vec![vec![Association::default(); scale.subjects()]; scale.districts()];
    }

    /// The institution that curates the associations (003 §I.4, §7.2) and its methodists.
    fn plan_curating_institution(&mut self, on: NaiveDate) {
        let organization = self.curating_organization;
        let body = self.curating_body;
        let title = "МАУ ДПО «Городской центр сопровождения педагогов»";
        self.institution(
            on,
            (organization, body),
            BodyKind::CuratingInstitution,
            title,
        );
        let count = (self.spec.scale.subjects() * (self.spec.scale.districts() + 1)).div_ceil(6);
        self.register_methodists(
            on,
            organization,
            (PositionKind::Methodist, "методист"),
            count.max(2),
            None,
        );
    }

    /// The methodists (or specialists) of an institution, a third of them of the highest
    /// category, the rest of the first; officials of `body` where given.
    fn register_methodists(
        &mut self,
        on: NaiveDate,
        organization: OrganizationId,
        (position_kind, title): (PositionKind, &str),
        count: usize,
        body: Option<BodyId>,
    ) {
        for index in 0..count {
            let person = PersonId::derived(&self.namespace, &format!("methodist-{index}"));
            let level = if index % 3 == 0 {
                CategoryLevel::Highest
            } else {
                CategoryLevel::First
            };
            let category = Category::granted(level, day(on.year() - 2, 3, 1))
                .unwrap_or_else(|_| Category::none());
            let since = day(on.year() - 10 - (index % 15) as i32, 9, 1);
            self.register_staff(
                on,
                person,
                organization,
                position_kind,
                title,
                (category, since),
                body.map(|b| (b, Office::Specialist)),
            );
            self.methodists.push((person, level));
        }
    }

    /// The associations: the city list after the Coordination council, then each district
    /// department's list (000 §1.4, §7.4), and the links between them.
    fn plan_associations(&mut self, start: i32) {
        let review = CouncilReview {
            council: self.council,
            protocol_number: format!("{}", start % 100),
            date: day(start, 8, 22),
        };
        let list = self.order(
            self.department,
            BodyKind::Department,
            day(start, 8, 26),
            "Об утверждении перечня городских профессиональных методических объединений",
        );
        let municipality = self.municipality;
        for subject in 0..self.spec.scale.subjects() {
            let association = AssociationId::derived(&self.namespace, &format!("city-{subject}"));
            let subject_value = self.subject(subject);
            self.op(
                day(start, 8, 26),
                Command::CreateAssociation(CreateAssociation {
                    association,
                    title: format!("ГПМО: {}", subject_name(subject)),
                    subject: subject_value,
                    level: Level::City,
                    kind: AssociationKind::MethodicalAssociation,
                    group_membership: None,
                    district: None,
                    organization: None,
                    order: list,
                    review: self.style.list_reviewed.then(|| review.clone()),
                    curating_organization: self
                        .style
                        .curators
                        .then_some(self.curating_organization),
                    ends_on: None,
                    task: None,
                }),
            );
            self.city[subject].id = Some(association);
        }
        let _ = municipality;
        for district in 0..self.districts.len() {
            let (body, kind) = self.district_issuer(district);
            let list = self.order(
                body,
                kind,
                day(start, 8, 28),
                "Об утверждении перечня районных профессиональных методических объединений",
            );
            for subject in 0..self.spec.scale.subjects() {
                let association = AssociationId::derived(
                    &self.namespace,
                    &format!("district-{district}-{subject}"),
                );
                let subject_value = self.subject(subject);
                let district_id = self.districts[district];
                self.op(
                    day(start, 8, 28),
                    Command::CreateAssociation(CreateAssociation {
                        association,
                        title: format!("РПМО района № {}: {}", district + 1, subject_name(subject)),
                        subject: subject_value,
                        level: Level::District,
                        kind: AssociationKind::MethodicalAssociation,
                        group_membership: None,
                        district: Some(district_id),
                        organization: None,
                        order: list,
                        review: None,
                        curating_organization: self
                            .style
                            .curators
                            .then_some(self.curating_organization),
                        ends_on: None,
                        task: None,
                    }),
                );
                let city = self.city[subject].id();
                self.op(
                    day(start, 8, 28),
                    Command::LinkDistrictAssociation(LinkDistrictAssociation {
                        city_association: city,
                        district_association: association,
                    }),
                );
                self.district[district][subject].id = Some(association);
            }
        }
    }

    /// Teachers who leave, arrive or move before the year begins.
    fn plan_turnover(&mut self, start: i32) {
        let on = day(start, 8, 20);
        let active: Vec<usize> = (0..self.teachers.len())
            .filter(|t| self.teachers[*t].active)
            .collect();
        for teacher in active {
            let turn = self.turn(teacher);
            if turn == Turn::Leaves {
                // Leaves the profession: out of the district association and, as a head, the city one.
                self.teachers[teacher].active = false;
                let (district, subject) = self.place(teacher);
                if self.district[district][subject]
                    .members
                    .remove(&teacher)
                    .is_some()
                {
                    let association = self.district[district][subject].id();
                    let id = self.teachers[teacher].id;
                    // The school reports a departure when it gets to it: one in ten is
                    // entered up to three weeks late.
                    let record_on = self.maybe_late_within(10, 21, on);
                    self.push(
                        record_on,
                        on,
                        Acting::Operator,
                        Command::RemoveMember(RemoveMember {
                            association,
                            member: Member::Person(id),
                            reason: "увольнение".into(),
                        }),
                    );
                }
                if self.city[subject].members.remove(&teacher).is_some() {
                    let association = self.city[subject].id();
                    let id = self.teachers[teacher].id;
                    self.op(
                        on,
                        Command::RemoveMember(RemoveMember {
                            association,
                            member: Member::Person(id),
                            reason: "увольнение".into(),
                        }),
                    );
                }
                for association in [
                    &mut self.district[district][subject],
                    &mut self.city[subject],
                ] {
                    association.vacate(teacher);
                }
            } else if let Turn::Moves(school) = turn {
                // Moves to another school, maybe in another district.
                let (old_district, subject) = self.place(teacher);
                let new_district = self.schools[school].district;
                let id = self.teachers[teacher].id;
                let organization = self.schools[school].id;
                // A move within the district may be entered late; a move to another district
                // is entered before the new district's composition order admits the teacher.
                let record_on = if old_district == new_district {
                    self.maybe_late(20, on)
                } else {
                    on
                };
                self.push(
                    record_on,
                    on,
                    Acting::Operator,
                    Command::TransferPerson(TransferPerson {
                        person: id,
                        organization,
                        position_kind: PositionKind::Teacher,
                        position_title: format!("учитель ({})", subject_name(subject)),
                    }),
                );
                self.teachers[teacher].school = school;
                if old_district != new_district {
                    let leaving = &mut self.district[old_district][subject];
                    if leaving.members.remove(&teacher).is_some() {
                        leaving.vacate(teacher);
                        let association = leaving.id();
                        self.push(
                            record_on,
                            on,
                            Acting::Operator,
                            Command::RemoveMember(RemoveMember {
                                association,
                                member: Member::Person(id),
                                reason: "перевод в организацию другого района".into(),
                            }),
                        );
                    }
                    if self.city[subject].members.remove(&teacher).is_some() {
                        let association = self.city[subject].id();
                        self.city[subject].vacate(teacher);
                        self.push(
                            record_on,
                            on,
                            Acting::Operator,
                            Command::RemoveMember(RemoveMember {
                                association,
                                member: Member::Person(id),
                                reason: "не является руководителем РПМО".into(),
                            }),
                        );
                    }
                }
            }
        }
        self.arrivals(start);
    }

    /// Four in a hundred leave the profession over the summer, two move to another school.
    fn turn(&mut self, teacher: usize) -> Turn {
        let roll = self.rng.below(1000);
        if roll < 40 {
            return Turn::Leaves;
        }
        if roll < 60 {
            let school = self.rng.below(self.schools.len());
            if school != self.teachers[teacher].school {
                return Turn::Moves(school);
            }
        }
        Turn::Stays
    }

    /// Young teachers who arrive for the new year, as many as four in a hundred.
    fn arrivals(&mut self, start: i32) {
        let arrivals = self.spec.scale.teachers() * 4 / 100;
        for _ in 0..arrivals.max(1) {
            let school = self.rng.below(self.schools.len());
            let subject = self.rng.below(self.spec.scale.subjects());
            self.new_teacher(day(start, 8, 22), school, subject, true);
        }
    }

    /// The list of the district's associations for the year, approved by its department's
    /// order (000 §7.4): mostly in the first fortnight of September; one district in four,
    /// taking turns over the years, only after 15 Sep — a missed day the timer records.
    fn plan_district_list(&mut self, district: usize, start: i32, year: SchoolYear) {
        let (body, kind) = self.district_issuer(district);
        let on = if (district + start as usize) % 4 == 0 {
            day(start, 9, self.rng.between(17, 30))
        } else {
            day(start, 9, self.rng.between(2, 15))
        };
        let order = self.order(
            body,
            kind,
            on,
            &format!("Об утверждении перечня районных профессиональных методических объединений на {year} учебный год"),
        );
        let associations = (0..self.spec.scale.subjects())
            .map(|subject| self.district[district][subject].id())
            .collect();
        let municipality = self.municipality;
        let district_id = self.districts[district];
        self.op(
            on,
            Command::ApproveAssociationList(ApproveAssociationList {
                municipality,
                district: district_id,
                school_year: year,
                order,
                associations,
            }),
        );
    }

    /// Who orders for a district's associations: its district department (000 §7.4) or the
    /// department.
    fn district_issuer(&self, district: usize) -> (BodyId, BodyKind) {
        if self.style.district_departments {
            (
                self.district_departments[district],
                BodyKind::DistrictDepartment,
            )
        } else {
            (self.department, BodyKind::Department)
        }
    }

    fn place(&self, teacher: usize) -> (usize, usize) {
        let t = &self.teachers[teacher];
        (self.schools[t.school].district, t.subject)
    }

    /// One school year of the whole town.
    fn plan_year(&mut self, start: i32, first: bool) {
        if first {
            self.plan_associations(start);
        } else {
            self.plan_turnover(start);
        }
        let year = SchoolYear::containing(day(start, 9, 1));
        // Composition: each district department's order admits the teachers of the district.
        let mut head_days: BTreeMap<(usize, usize), NaiveDate> = BTreeMap::new();
        for district in 0..self.districts.len() {
            let (body, body_kind) = self.district_issuer(district);
            let composition_on = day(start, 9, 2 + (district % 2) as u32);
            let order = self.order(
                body,
                body_kind,
                composition_on,
                "О составе районных профессиональных методических объединений",
            );
            let newcomers: Vec<usize> = (0..self.teachers.len())
                .filter(|t| {
                    let teacher = &self.teachers[*t];
                    teacher.active
                        && self.schools[teacher.school].district == district
                        && !self.district[district][teacher.subject]
                            .members
                            .contains_key(t)
                })
                .collect();
            for teacher in newcomers {
                let subject = self.teachers[teacher].subject;
                let association = self.district[district][subject].id();
                let id = self.teachers[teacher].id;
                // Entered late at most within the week, before the first meetings — where
                // the first meetings elect the heads right after the order, in time.
                let record_on = if self.style.heads_elected {
                    composition_on
                } else {
                    self.maybe_late_within(3, 6, composition_on)
                };
                self.push(
                    record_on,
                    composition_on,
                    Acting::Operator,
                    Command::AdmitMember(AdmitMember {
                        association,
                        member: Member::Person(id),
                        basis: AdmissionBasis::Order(order),
                        district_association: None,
                    }),
                );
                self.district[district][subject]
                    .members
                    .insert(teacher, composition_on);
            }
            if self.style.district_lists {
                self.plan_district_list(district, start, year);
            }
            if self.style.heads_elected {
                continue;
            }
            // Heads by the district department's order by 15 Sep (000 §7.4): most in time,
            // some late, a few not before October.
            let heads_on = day(start, 9, 9 + (district % 4) as u32);
            let heads_order = self.order(
                body,
                BodyKind::DistrictDepartment,
                heads_on,
                "О руководителях районных профессиональных методических объединений",
            );
            let late_order_on = day(start, 9, 22);
            let mut late_order = None;
            for subject in 0..self.spec.scale.subjects() {
                let members: Vec<usize> = self.district[district][subject]
                    .members
                    .keys()
                    .copied()
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let keep = self.district[district][subject]
                    .head
                    .filter(|h| members.contains(h) && self.rng.percent(80));
                let head = keep.unwrap_or_else(|| {
                    let best = members
                        .iter()
                        .copied()
                        .max_by_key(|t| (self.teachers[*t].category as u8, std::cmp::Reverse(*t)));
                    best.unwrap_or(members[0])
                });
                let roll = self.rng.below(100);
                let (on, order) = if roll < 90 {
                    (heads_on, heads_order)
                } else {
                    let order = match late_order {
                        Some(order) => order,
                        None => {
                            let order = self.order(
                                body,
                                BodyKind::DistrictDepartment,
                                late_order_on,
                                "О руководителях районных профессиональных методических объединений (дополнительно)",
                            );
                            late_order = Some(order);
                            order
                        }
                    };
                    (late_order_on, order)
                };
                let association = self.district[district][subject].id();
                let person = self.teachers[head].id;
                let record_on = self.maybe_late(5, on);
                self.push(
                    record_on,
                    on,
                    Acting::Operator,
                    Command::AppointHead(AppointHead {
                        association,
                        person,
                        school_year: year,
                        order,
                        review: None,
                    }),
                );
                self.district[district][subject].make_head(head);
                head_days.insert((district, subject), record_on.max(on));
            }
        }
        if self.style.curators {
            self.plan_curators(start, year);
        }
        let mut spring_meetings: BTreeMap<usize, (MeetingId, MeetingId)> = BTreeMap::new();
        if self.style.heads_elected {
            // The district associations elect their heads at their first meetings (003 §7.4);
            // the district heads make up the city association (003 §7.1), which then elects
            // its own head.
            for district in 0..self.districts.len() {
                for subject in 0..self.spec.scale.subjects() {
                    let first_day = day(start, 9, 4 + ((district + subject) % 6) as u32);
                    self.plan_association_year(Some(district), subject, start, year, first_day);
                }
            }
            self.plan_city_heads(start, year, &head_days);
            for subject in 0..self.spec.scale.subjects() {
                let first_day = day(start, 9, 12 + (subject % 6) as u32);
                if let Some(meetings) =
                    self.plan_association_year(None, subject, start, year, first_day)
                {
                    spring_meetings.insert(subject, meetings);
                }
            }
            self.plan_documents_elected(start, year);
        } else {
            self.plan_city_heads(start, year, &head_days);
            // Each association's year: the first meeting elects the secretary, the member
            // database, more meetings, protocols.
            for subject in 0..self.spec.scale.subjects() {
                let first_day = day(start, 9, 17);
                if let Some(meetings) =
                    self.plan_association_year(None, subject, start, year, first_day)
                {
                    spring_meetings.insert(subject, meetings);
                }
            }
            for district in 0..self.districts.len() {
                for subject in 0..self.spec.scale.subjects() {
                    let first_day = head_days
                        .get(&(district, subject))
                        .map_or(day(start, 9, 20), |d| plus(*d, 3).max(day(start, 9, 18)));
                    self.plan_association_year(Some(district), subject, start, year, first_day);
                }
            }
            self.plan_documents(start, year, &spring_meetings);
        }
        self.plan_category_changes(start);
        self.plan_attestation(start);
    }

    /// Whether a teacher meets the usual rule for a head on `on`: the highest or first
    /// category and five years in the specialty (003 §7.3).
    fn eligible(&self, teacher: usize, on: NaiveDate) -> bool {
        let t = &self.teachers[teacher];
        t.category != CategoryLevel::None && on.years_since(t.since).is_some_and(|years| years >= 5)
    }

    /// Curators by the curating institution's order (003 §7.2): for associations without one,
    /// or whose curator no longer meets the rule.
    fn plan_curators(&mut self, start: i32, year: SchoolYear) {
        let on = day(start, 9, 2);
        let mut order = None;
        let mut next = self.rng.below(self.methodists.len());
        let mut keys: Vec<Option<usize>> = vec![None];
        keys.extend((0..self.districts.len()).map(Some));
        for district in keys {
            for subject in 0..self.spec.scale.subjects() {
                let current = self.association_mut(district, subject).curator;
                let keep = current.filter(|m| {
                    self.methodists[*m].1 != CategoryLevel::None && !self.rng.percent(5)
                });
                if keep.is_some() {
                    continue;
                }
                let Some(methodist) = (0..self.methodists.len())
                    .map(|i| (next + i) % self.methodists.len())
                    .find(|m| self.methodists[*m].1 != CategoryLevel::None)
                else {
                    continue;
                };
                next = methodist + 1;
                let order = *order.get_or_insert_with(|| {
                    self.order(
                        self.curating_body,
                        BodyKind::CuratingInstitution,
                        on,
                        "О кураторах профессиональных объединений",
                    )
                });
                let association = self.association_mut(district, subject).id();
                let person = self.methodists[methodist].0;
                self.op(
                    on,
                    Command::AppointCurator(AppointCurator {
                        association,
                        person,
                        school_year: year,
                        order,
                    }),
                );
                self.association_mut(district, subject).curator = Some(methodist);
            }
        }
    }

    /// Categories that lapse during the year: a few heads and curators stop meeting their
    /// rule until replaced (the eligibility question finds them).
    fn plan_attestation(&mut self, start: i32) {
        if !self.style.heads_elected {
            return;
        }
        let heads: Vec<usize> = self
            .district
            .iter()
            .flatten()
            .chain(self.city.iter())
            .filter_map(|a| a.head)
            .collect();
        for head in heads {
            if self.teachers[head].category == CategoryLevel::None
                || self.attested.contains(&head)
                || !self.rng.percent(8)
            {
                continue;
            }
            let on = day(start + 1, self.rng.between(1, 4), self.rng.between(1, 28));
            let person = self.teachers[head].id;
            self.op(
                on,
                Command::ChangeCategory(ChangeCategory {
                    person,
                    category: Category::none(),
                }),
            );
            self.teachers[head].category = CategoryLevel::None;
            self.teachers[head].granted = None;
        }
        for index in 0..self.methodists.len() {
            if self.methodists[index].1 == CategoryLevel::None || !self.rng.percent(15) {
                continue;
            }
            let on = day(start + 1, self.rng.between(1, 4), self.rng.between(1, 28));
            let person = self.methodists[index].0;
            self.op(
                on,
                Command::ChangeCategory(ChangeCategory {
                    person,
                    category: Category::none(),
                }),
            );
            self.methodists[index].1 = CategoryLevel::None;
        }
    }

    /// Spring where heads are elected (003 §7.8–7.9): the city association's analysis and
    /// next plan are given to the curator by 15 May (who receives them and decides nothing);
    /// the analysis is reviewed by the scientific-methodical council, the plan approved at the
    /// first meeting of the new year. 003 provides no documents of district associations.
    fn plan_documents_elected(&mut self, start: i32, year: SchoolYear) {
        let next = SchoolYear::containing(day(start + 1, 9, 1));
        let keys: Vec<Option<usize>> = vec![None];
        for district in keys {
            for subject in 0..self.spec.scale.subjects() {
                let state = self.association_mut(district, subject).clone();
                let Some(head) = state.head else { continue };
                if !state.members.contains_key(&head) {
                    continue;
                }
                let head_id = self.teachers[head].id;
                let association = state.id();
                let level = if district.is_some() {
                    "РМО"
                } else {
                    "ГМО"
                };
                for (document_type, school_year, title) in [
                    (
                        DocumentType::AnnualAnalysis,
                        year,
                        format!("Анализ работы {level} за {year}"),
                    ),
                    (
                        DocumentType::WorkPlan,
                        next,
                        format!("План работы {level} на {next}"),
                    ),
                ] {
                    let document = DocumentId::derived(
                        &self.namespace,
                        &format!("doc-{district:?}-{subject}-{start}-{title}"),
                    );
                    // Mostly by 15 May; now and then late.
                    let submitted = if self.rng.percent(92) {
                        day(start + 1, 5, self.rng.between(4, 14))
                    } else {
                        day(start + 1, 5, self.rng.between(18, 28))
                    };
                    self.write_document(
                        head_id,
                        submitted,
                        (document, association),
                        (document_type, school_year),
                        title,
                        None,
                    );
                    // Given to the curator, who decides nothing; the plan waits for the first
                    // meeting, the analysis goes to the council.
                    let decided_on = plus(submitted, self.rng.between(2, 6));
                    if document_type == DocumentType::WorkPlan {
                        self.pending_city_plans.insert(subject, document);
                    } else {
                        let chair = self.council_chair;
                        let council_on = plus(decided_on, self.rng.between(2, 10));
                        self.by(
                            chair,
                            council_on,
                            Command::ApproveStep(ApproveStep {
                                document,
                                step: 1,
                                comment: None,
                                meeting: None,
                                order: None,
                                protocol_number: Some(format!("{}", start % 100 + 1)),
                            }),
                        );
                    }
                }
            }
        }
    }

    /// The city heads after the Coordination council's review (000 §4.2), and the city
    /// associations made of the district heads (000 §1.5, §4.1).
    fn plan_city_heads(
        &mut self,
        start: i32,
        year: SchoolYear,
        head_days: &BTreeMap<(usize, usize), NaiveDate>,
    ) {
        // Where the heads are elected, the department's order only sets the city associations'
        // composition, before their first meetings.
        let order_on = if self.style.heads_elected {
            day(start, 9, 10)
        } else {
            day(start, 9, 14)
        };
        let order = self.order(
            self.department,
            BodyKind::Department,
            order_on,
            if self.style.heads_elected {
                "О составе городских профессиональных объединений"
            } else {
                "О руководителях городских профессиональных методических объединений"
            },
        );
        let review = CouncilReview {
            council: self.council,
            protocol_number: format!("{}", 3 + start % 10),
            date: day(start, 9, 12),
        };
        for subject in 0..self.spec.scale.subjects() {
            let city = self.city[subject].id();
            // Membership as a district head lasts the school year (000 §1.5, §4.1): every
            // September the district heads of the year are admitted again.
            let heads: BTreeMap<usize, usize> = (0..self.districts.len())
                .filter_map(|d| self.district[d][subject].head.map(|h| (h, d)))
                .collect();
            if self.style.yearly_heads {
                self.city[subject].members.clear();
            } else {
                // Former district heads leave; their membership had no end of its own.
                let former: Vec<usize> = self.city[subject]
                    .members
                    .keys()
                    .copied()
                    .filter(|m| !heads.contains_key(m))
                    .collect();
                for teacher in former {
                    self.city[subject].members.remove(&teacher);
                    let id = self.teachers[teacher].id;
                    self.op(
                        order_on,
                        Command::RemoveMember(RemoveMember {
                            association: city,
                            member: Member::Person(id),
                            reason: "не является руководителем районного объединения".into(),
                        }),
                    );
                    self.city[subject].vacate(teacher);
                }
            }
            for (&head, &district) in &heads {
                if self.city[subject].members.contains_key(&head) {
                    continue;
                }
                let appointed = head_days
                    .get(&(district, subject))
                    .copied()
                    .unwrap_or(order_on);
                let on = appointed.max(order_on);
                let id = self.teachers[head].id;
                let district_association = self.district[district][subject].id;
                self.op(
                    on,
                    Command::AdmitMember(AdmitMember {
                        association: city,
                        member: Member::Person(id),
                        basis: AdmissionBasis::Order(order),
                        district_association,
                    }),
                );
                self.city[subject].members.insert(head, on);
            }
            if self.style.heads_elected {
                continue;
            }
            // The city head: a district head appointed in time.
            let in_time: Vec<usize> = heads
                .iter()
                .filter(|(_, d)| {
                    head_days
                        .get(&(**d, subject))
                        .is_some_and(|on| *on <= order_on)
                })
                .map(|(h, _)| *h)
                .collect();
            if in_time.is_empty() {
                // No city head this year: where heads serve a school year, last year's term
                // has ended and nobody may act as head until one is appointed.
                if self.style.yearly_heads {
                    self.city[subject].head = None;
                }
                continue;
            }
            let keep = self.city[subject]
                .head
                .filter(|h| in_time.contains(h) && self.rng.percent(75));
            let head = keep.unwrap_or_else(|| *self.rng.pick(&in_time));
            let person = self.teachers[head].id;
            self.op(
                order_on,
                Command::AppointHead(AppointHead {
                    association: city,
                    person,
                    school_year: year,
                    order,
                    review: Some(review.clone()),
                }),
            );
            self.city[subject].make_head(head);
        }
    }

    fn association_mut(&mut self, district: Option<usize>, subject: usize) -> &mut Association {
        match district {
            Some(d) => &mut self.district[d][subject],
            None => &mut self.city[subject],
        }
    }

    /// The days of a year's meetings after the first: three more with `odds[0]` percent,
    /// four up to `odds[1]`, two up to `odds[2]`, else one — in mid-November, late January,
    /// March and February, in that order of need; days of the month from `days` (late
    /// January from `january`).
    fn further_meetings(
        &mut self,
        start: i32,
        odds: [usize; 3],
        days: (u32, u32),
        january: (u32, u32),
    ) -> Vec<NaiveDate> {
        let roll = self.rng.below(100);
        let more = if roll < odds[0] {
            3
        } else if roll < odds[1] {
            4
        } else if roll < odds[2] {
            2
        } else {
            1
        };
        let slots = [
            day(start, 11, self.rng.between(days.0, days.1)),
            day(start + 1, 1, self.rng.between(january.0, january.1)),
            day(start + 1, 3, self.rng.between(days.0, days.1)),
            day(start + 1, 2, self.rng.between(days.0, days.1)),
        ];
        slots.into_iter().take(more).collect()
    }

    fn meeting_id(&mut self) -> MeetingId {
        self.meetings += 1;
        MeetingId::derived(&self.namespace, &format!("meeting-{}", self.meetings))
    }

    /// A meeting held with most members present, its protocol drafted by the secretary and
    /// signed by the head; now and then corrected.
    fn plan_meeting(
        &mut self,
        association: AssociationId,
        members: &[usize],
        head: PersonId,
        on: NaiveDate,
        record_on: NaiveDate,
        questions: Vec<QuestionDecision>,
    ) -> (MeetingId, Vec<PersonId>) {
        let meeting = self.meeting_id();
        self.hold(
            meeting,
            (association, members, head),
            on,
            record_on,
            questions,
        )
    }

    /// A meeting announced with its agenda by the head a week or two before (the head held
    /// office by then), then held as `plan_meeting` holds one.
    fn plan_announced_meeting(
        &mut self,
        association: AssociationId,
        members: &[usize],
        head: PersonId,
        (on, record_on): (NaiveDate, NaiveDate),
        questions: Vec<QuestionDecision>,
    ) -> (MeetingId, Vec<PersonId>) {
        let meeting = self.meeting_id();
        let announced = on - Days::new(u64::from(self.rng.between(7, 14)));
        let head_id = head;
        self.by(
            head_id,
            announced,
            Command::ScheduleMeeting(ScheduleMeeting {
                meeting,
                association,
                date: on,
                agenda: questions.iter().map(|q| q.question.clone()).collect(),
            }),
        );
        self.hold(
            meeting,
            (association, members, head),
            on,
            record_on,
            questions,
        )
    }

    fn hold(
        &mut self,
        meeting: MeetingId,
        (association, members, head): (AssociationId, &[usize], PersonId),
        on: NaiveDate,
        record_on: NaiveDate,
        questions: Vec<QuestionDecision>,
    ) -> (MeetingId, Vec<PersonId>) {
        let mut present: Vec<usize> = Vec::new();
        for m in members.iter().copied() {
            if self.teachers[m].id == head || self.rng.percent(85) {
                present.push(m);
            }
        }
        if present.len() * 2 <= members.len() {
            present = members.to_vec();
        }
        let attendance: Vec<PersonId> = present.iter().map(|t| self.teachers[*t].id).collect();
        let head_id = head;
        self.push(
            record_on,
            on,
            Acting::Person(head_id),
            Command::HoldMeeting(HoldMeeting {
                meeting,
                association,
                attendance: attendance.clone(),
                questions,
                recommendations: vec![],
            }),
        );
        (meeting, attendance)
    }

    fn plan_protocol(
        &mut self,
        meeting: MeetingId,
        head: PersonId,
        secretary: PersonId,
        on: NaiveDate,
        record_on: NaiveDate,
        number: u32,
    ) {
        let secretary_id = secretary;
        let head_id = head;
        let signed_on = plus(on, self.rng.between(0, 3));
        let entered = record_on.max(signed_on);
        self.push(
            entered,
            signed_on,
            Acting::Person(secretary_id),
            Command::DraftProtocol(DraftProtocol {
                meeting,
                number: number.to_string(),
                content_hash: content(&format!("{meeting} protocol")),
            }),
        );
        self.push(
            entered,
            signed_on,
            Acting::Person(head_id),
            Command::SignProtocol(SignProtocol { meeting }),
        );
        if self.rng.percent(3) {
            self.report.corrections += 1;
            let corrected_on = plus(entered, self.rng.between(3, 10));
            self.by(
                head_id,
                corrected_on,
                Command::CorrectProtocol(CorrectProtocol {
                    meeting,
                    content_hash: content(&format!("{meeting} protocol corrected")),
                    reason: "Исправлена опечатка в списке присутствующих".into(),
                }),
            );
        }
    }

    /// One association's year. Returns the city association's two spring meetings, where
    /// the district plans are decided (000 §10.5).
    fn plan_association_year(
        &mut self,
        district: Option<usize>,
        subject: usize,
        start: i32,
        year: SchoolYear,
        first_day: NaiveDate,
    ) -> Option<(MeetingId, MeetingId)> {
        let state = self.association_mut(district, subject).clone();
        let members_on = |on: NaiveDate| -> Vec<usize> {
            state
                .members
                .iter()
                .filter(|(_, joined)| **joined <= on)
                .map(|(m, _)| *m)
                .collect()
        };
        let members = members_on(first_day);
        let sitting = state.head.filter(|h| members.contains(h));
        let association = state.id();
        // Where heads are elected (003 §7.4) the first meeting elects one when there is none,
        // when the head no longer meets the rule, or now and then anew.
        let elect = self.style.heads_elected
            && !members.is_empty()
            && (sitting.is_none_or(|h| !self.eligible(h, first_day)) || self.rng.percent(10));
        if !elect && sitting.is_none() {
            return None;
        }
        // Who records the meeting: the head, else the secretary, else a member present
        // (before anyone holds office, 003 §7.4).
        // A head or secretary keeps the office (and may record) after their membership of the
        // year ended, until someone else is chosen.
        let recorder = state.head.or(state.secretary).unwrap_or(members[0]);
        let mut questions = vec![
            decided(
                "Выборы секретаря",
                "Избрать секретаря открытым голосованием",
            ),
            decided("План работы на учебный год", "Принять к исполнению"),
        ];
        if elect {
            questions.insert(0, decided("Выборы руководителя", "Избрать руководителя"));
        }
        // The first meeting elects the secretary by a majority of all members (000 §10.2).
        let recorder_id = self.teachers[recorder].id;
        let (first, attendance) = self.plan_meeting(
            association,
            &members,
            recorder_id,
            first_day,
            first_day,
            questions,
        );
        let head = if elect {
            let present: Vec<usize> = members
                .iter()
                .copied()
                .filter(|m| attendance.contains(&self.teachers[*m].id))
                .filter(|m| self.eligible(*m, first_day))
                .collect();
            match (present.is_empty(), sitting) {
                (true, Some(h)) => h,
                (true, None) => return None,
                (false, _) => {
                    let chosen = *self.rng.pick(&present);
                    // The vote is recorded by a member present (003 §7.4).
                    let voter = attendance[0];
                    let person = self.teachers[chosen].id;
                    self.by(
                        voter,
                        first_day,
                        Command::ElectHead(ElectHead {
                            association,
                            person,
                            school_year: year,
                            vote: unanimous(first, &attendance),
                        }),
                    );
                    let model = self.association_mut(district, subject);
                    model.make_head(chosen);
                    chosen
                }
            }
        } else {
            sitting?
        };
        // The city plan for this year, given to the curator in May, is approved at the first
        // meeting (003 §7.9).
        if district.is_none() && self.style.heads_elected {
            if let Some(document) = self.pending_city_plans.remove(&subject) {
                let head_id = self.teachers[head].id;
                self.by(head_id, first_day, approval(document, 1, Some(first)));
            }
        }
        let candidates: Vec<usize> = members.iter().copied().filter(|m| *m != head).collect();
        let secretary = if candidates.is_empty() {
            None
        } else {
            let keep = state
                .secretary
                .filter(|s| candidates.contains(s) && self.rng.percent(70));
            Some(keep.unwrap_or_else(|| *self.rng.pick(&candidates)))
        };
        let head_id = self.teachers[head].id;
        if let Some(secretary) = secretary {
            let person = self.teachers[secretary].id;
            self.by(
                head_id,
                first_day,
                Command::ElectSecretary(ElectSecretary {
                    association,
                    person,
                    school_year: year,
                    vote: unanimous(first, &attendance),
                }),
            );
            self.association_mut(district, subject).secretary = Some(secretary);
            let (head_id, secretary_id) = (self.teachers[head].id, self.teachers[secretary].id);
            self.plan_protocol(first, head_id, secretary_id, first_day, first_day, 1);
        }
        // The member database by 1 Oct (000 §4.6, §10.4): mostly in time.
        let updater = secretary.unwrap_or(head);
        let updater_id = self.teachers[updater].id;
        let roll = self.rng.below(100);
        if roll < 88 {
            let on = plus(first_day, self.rng.between(1, 6))
                .min(day(start, 9, 30))
                .max(first_day);
            let record_on = self.maybe_late_within(15, 12, on);
            self.push(
                record_on,
                on,
                Acting::Person(updater_id),
                Command::UpdateMemberDatabase(UpdateMemberDatabase {
                    association,
                    school_year: year,
                }),
            );
        } else if roll < 96 {
            // Late, but never before the first meeting: a secretary new this year holds the
            // office from the election there.
            let on = day(start, 10, self.rng.between(3, 20)).max(first_day);
            self.by(
                updater_id,
                on,
                Command::UpdateMemberDatabase(UpdateMemberDatabase {
                    association,
                    school_year: year,
                }),
            );
        }
        // More meetings: four or five a year mostly (000 §4.4, §10.1), too few now and then.
        let mut dates = self.further_meetings(start, [60, 85, 95], (10, 20), (20, 30));
        let mut spring = None;
        if district.is_none() {
            // The city association meets in spring to review the district plans.
            let review_day = day(start + 1, 4, 27);
            let late_day = day(start + 1, 5, 18);
            dates.retain(|d| d.month() != 3);
            dates.push(review_day);
            dates.push(late_day);
        }
        dates.sort();
        let mut spring_ids = Vec::new();
        for (number, on) in (2..).zip(dates) {
            let questions = vec![decided(
                "Обмен опытом и методические рекомендации",
                "Рекомендовать практику к распространению",
            )];
            let present = members_on(on);
            // The city's spring meetings decide plans the same day; other records of
            // meetings are now and then entered a week or so late.
            let spring_meeting = district.is_none() && on.month() >= 4 && on.year() == start + 1;
            let record_on = if spring_meeting {
                on
            } else {
                self.maybe_late_within(8, 10, on)
            };
            let head_id = self.teachers[head].id;
            let (meeting, _) = self.plan_announced_meeting(
                association,
                &present,
                head_id,
                (on, record_on),
                questions,
            );
            if let Some(secretary) = secretary {
                let secretary_id = self.teachers[secretary].id;
                self.plan_protocol(meeting, head_id, secretary_id, on, record_on, number);
            }
            if district.is_none() && on.month() >= 4 && on.year() == start + 1 {
                spring_ids.push(meeting);
            }
        }
        if let [review, late] = spring_ids[..] {
            spring = Some((review, late));
        }
        spring
    }

    /// Spring: the district plans and analyses to the city head at the city meeting by 5 May
    /// (000 §10.5); the city ones to the organizational-methodical council and the deputy
    /// chair by 15 May (000 §4.7). Some returned and resubmitted, some rejected, some late.
    fn plan_documents(
        &mut self,
        start: i32,
        year: SchoolYear,
        spring: &BTreeMap<usize, (MeetingId, MeetingId)>,
    ) {
        let next = SchoolYear::containing(day(start + 1, 9, 1));
        for subject in 0..self.spec.scale.subjects() {
            let Some(&(review_meeting, late_meeting)) = spring.get(&subject) else {
                continue;
            };
            let Some(city_head) = self.city[subject].head else {
                continue;
            };
            let city_head_id = self.teachers[city_head].id;
            for district in 0..self.districts.len() {
                let state = self.district[district][subject].clone();
                let Some(head) = state.head else { continue };
                if !state.members.contains_key(&head) {
                    continue;
                }
                let head_id = self.teachers[head].id;
                let association = state.id();
                for (document_type, school_year, title) in [
                    (
                        DocumentType::WorkPlan,
                        next,
                        format!("План работы РПМО на {next}"),
                    ),
                    (
                        DocumentType::AnnualAnalysis,
                        year,
                        format!("Анализ работы РПМО за {year}"),
                    ),
                ] {
                    let document = DocumentId::derived(
                        &self.namespace,
                        &format!("doc-{district}-{subject}-{start}-{title}"),
                    );
                    let submitted = day(start + 1, 4, self.rng.between(18, 24));
                    self.write_document(
                        head_id,
                        submitted,
                        (document, association),
                        (document_type, school_year),
                        title.clone(),
                        None,
                    );
                    let review_day = day(start + 1, 4, 27);
                    let late_day = day(start + 1, 5, 18);
                    let approve = |meeting| approval(document, 1, Some(meeting));
                    match self.rng.below(100) {
                        0..=77 => self.by(city_head_id, review_day, approve(review_meeting)),
                        78..=87 => {
                            self.send_back(
                                city_head_id,
                                review_day,
                                (document, 1),
                                "Доработать раздел о работе с молодыми педагогами",
                            );
                            self.resubmit(head_id, day(start + 1, 5, 4), (document, 2), None);
                            self.by(city_head_id, late_day, approve(late_meeting));
                        }
                        88..=91 => self.by(
                            city_head_id,
                            review_day,
                            Command::RejectDocument(RejectDocument {
                                document,
                                step: 1,
                                reason: "Не соответствует плану работы ГПМО".into(),
                            }),
                        ),
                        // Stuck until the May meeting, past 5 May.
                        _ => self.by(city_head_id, late_day, approve(late_meeting)),
                    }
                }
            }
            // The city association's plan and analysis (000 §4.7).
            let association = self.city[subject].id();
            for (document_type, school_year, title) in [
                (
                    DocumentType::WorkPlan,
                    next,
                    format!("План работы ГПМО на {next}"),
                ),
                (
                    DocumentType::AnnualAnalysis,
                    year,
                    format!("Анализ работы ГПМО за {year}"),
                ),
            ] {
                let document = DocumentId::derived(
                    &self.namespace,
                    &format!("doc-city-{subject}-{start}-{title}"),
                );
                let submitted = day(start + 1, 4, self.rng.between(20, 28));
                self.write_document(
                    city_head_id,
                    submitted,
                    (document, association),
                    (document_type, school_year),
                    title,
                    None,
                );
                let approve = |step| approval(document, step, None);
                // The organizational-methodical council's spring sittings are numbered
                // from its first of the school year.
                let sitting = |on: NaiveDate| {
                    council_approval(document, 1, format!("{}", (on.month() + 4) % 12))
                };
                let council_chair = self.council_chair;
                let deputy = self.deputy_chief;
                let council_day = plus(submitted, self.rng.between(2, 6));
                if self.rng.percent(10) {
                    self.send_back(
                        council_chair,
                        council_day,
                        (document, 1),
                        "Уточнить показатели результативности",
                    );
                    let again = plus(council_day, 3);
                    self.resubmit(city_head_id, again, (document, 2), None);
                    let decided = plus(again, self.rng.between(2, 12));
                    self.by(council_chair, decided, sitting(decided));
                    self.by(deputy, plus(decided, 2), approve(2));
                } else {
                    self.by(council_chair, council_day, sitting(council_day));
                    let deputy_day = plus(council_day, self.rng.between(1, 8));
                    self.by(deputy, deputy_day, approve(2));
                }
            }
        }
    }

    /// Attestation (a category is held for five years): the teachers whose five years run
    /// out in the school year are attested again — most keep their category, some rise to the
    /// highest, a few let it lapse; teachers without one and with two years' work apply for
    /// the first now and then. Entered by the operator from the commission's orders, some
    /// late.
    fn plan_category_changes(&mut self, start: i32) {
        self.attested.clear();
        let year_start = day(start, 9, 1);
        let year_end = day(start + 1, 8, 31);
        for teacher in 0..self.teachers.len() {
            let t = &self.teachers[teacher];
            if !t.active {
                continue;
            }
            let (current, granted, since) = (t.category, t.granted, t.since);
            let level = match current {
                CategoryLevel::None => {
                    let years = year_start.years_since(since).unwrap_or(0);
                    if years < 2 || !self.rng.percent(14) {
                        continue;
                    }
                    CategoryLevel::First
                }
                level => {
                    let due = granted
                        .and_then(|g| g.checked_add_months(chrono::Months::new(60)))
                        .is_none_or(|expires| expires <= year_end);
                    if !due {
                        continue;
                    }
                    match self.rng.below(100) {
                        0..=71 => level,
                        72..=91 => CategoryLevel::Highest,
                        _ => CategoryLevel::None,
                    }
                }
            };
            let on = day(start + 1, self.rng.between(1, 4), self.rng.between(1, 28));
            let category = match level {
                CategoryLevel::None => Category::none(),
                level => Category::granted(level, on).unwrap_or_else(|_| Category::none()),
            };
            let person = self.teachers[teacher].id;
            let record_on = self.maybe_late(12, on);
            self.push(
                record_on,
                on,
                Acting::Operator,
                Command::ChangeCategory(ChangeCategory { person, category }),
            );
            self.teachers[teacher].category = level;
            self.teachers[teacher].granted = (level != CategoryLevel::None).then_some(on);
            self.attested.insert(teacher);
        }
    }

    /// A document opened and its first version submitted by `author` on `on`.
    fn write_document(
        &mut self,
        author: PersonId,
        on: NaiveDate,
        (document, association): (DocumentId, AssociationId),
        (document_type, school_year): (DocumentType, SchoolYear),
        title: String,
        network_event: Option<domain::events::NetworkEventDetails>,
    ) {
        self.by(
            author,
            on,
            Command::OpenDocument(OpenDocument {
                document,
                association,
                document_type,
                school_year,
                title,
                nomination: None,
            }),
        );
        self.by(
            author,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: content(&format!("{document} v1")),
                network_event,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }),
        );
    }

    /// Version `version` of a returned document, submitted again by its author.
    /// A network-event report carries its event's details in every version (002 §5.11).
    fn resubmit(
        &mut self,
        author: PersonId,
        on: NaiveDate,
        (document, version): (DocumentId, u32),
        network_event: Option<domain::events::NetworkEventDetails>,
    ) {
        self.by(
            author,
            on,
            Command::SubmitDocumentVersion(SubmitDocumentVersion {
                document,
                content_hash: content(&format!("{document} v{version}")),
                network_event,
                based_on: None,
                planned_meetings: None,
                planned_network_events: None,
            }),
        );
    }

    /// A document returned to its author at `step` with `comment`.
    fn send_back(
        &mut self,
        by: PersonId,
        on: NaiveDate,
        (document, step): (DocumentId, u32),
        comment: &str,
    ) {
        self.by(
            by,
            on,
            Command::ReturnDocument(ReturnDocument {
                document,
                step,
                comment: comment.into(),
            }),
        );
    }

    // ---- recording ----------------------------------------------------------------------

    fn set_clock(&self, on: NaiveDate) {
        let at: DateTime<Utc> = on.and_hms_opt(8, 0, 0).unwrap_or_default().and_utc();
        self.clock.jump_to(at);
    }

    /// Records the plan day by day, running the workflow after each day and on `checks`.
    async fn run_plan(&mut self, checks: &[NaiveDate]) -> Result<(), DemoError> {
        let mut plan = std::mem::take(&mut self.plan);
        plan.sort_by_key(|a| (a.record_on, a.effective, a.seq));
        let mut days: BTreeSet<NaiveDate> = plan.iter().map(|a| a.record_on).collect();
        days.extend(checks.iter().copied());
        let mut actions = plan.into_iter().peekable();
        for on in days {
            self.set_clock(on);
            while let Some(action) = actions.next_if(|a| a.record_on == on) {
                self.record(action).await?;
            }
            let report = self.runner.run_once().await?;
            self.report.reactions += report.reactions as u64;
            self.report.deadlines_missed += report.deadlines as u64;
            if let Some(refusal) = report.refused.first() {
                return Err(DemoError::Refused {
                    command: format!("{} ({})", refusal.record.command, refusal.about),
                    effective: on,
                    code: "workflow_refused",
                    message: format!("{}: {}", refusal.record.code, refusal.record.message),
                    details: String::new(),
                });
            }
        }
        Ok(())
    }

    async fn record(&mut self, action: Action) -> Result<(), DemoError> {
        self.report.commands += 1;
        let id = CommandId::derived(&self.namespace, &format!("command-{}", action.seq));
        // The command is kept to name it should the rules refuse it (rarely: only then is it
        // written out as JSON).
        let command = action.command.clone();
        let submission = Submission::new(action.command, action.acting, action.effective, id);
        match self.handler.handle(submission).await {
            Ok(_) => Ok(()),
            Err(CommandError::Domain(e)) => Err(DemoError::Refused {
                command: command.name(),
                effective: action.effective,
                code: e.code(),
                message: e.to_string(),
                details: format!(
                    "{} от {:?}",
                    serde_json::to_string(&command).unwrap_or_default(),
                    action.acting
                ),
            }),
            Err(e) => Err(e.into()),
        }
    }
}

/// The clock the generator steps: it starts on the first day and each reading moves it on.
pub fn demo_clock() -> Arc<SteppingClock> {
    let start = day(2000, 1, 1)
        .and_hms_opt(8, 0, 0)
        .unwrap_or_default()
        .and_utc();
    Arc::new(SteppingClock::new(start, Duration::milliseconds(20)))
}
