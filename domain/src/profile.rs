//! Regulation profiles: the rules of one municipality's regulation as data
//! (`profiles/*.toml`), every rule with the clause it comes from. Adding a municipality is
//! writing one file; nothing here knows any municipality by name.

use serde::{Deserialize, Serialize};

use crate::calendar::{MonthDay, SchoolYear};
use crate::error::DomainError;
use crate::values::{
    AssociationKind, AssociationRole, BodyKind, CategoryLevel, Clause, DocumentType, Level, Office,
    PositionKind,
};

/// One municipality's regulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulationProfile {
    /// Machine name, `[a-z0-9_-]+` (e.g. `novokuznetsk`); the file is `<name>.toml`.
    pub name: String,
    /// The municipality, in Russian.
    pub title: String,
    /// The seed document this profile encodes (e.g. `000`).
    pub seed: String,
    /// The regulation itself: its title and the order that approved it.
    pub source: String,
    /// The clause that lists the documentation an association keeps (000 §4.5, §10.3; 002
    /// §8.1; 003 §7.10), or the nearest one where the regulation has no such list: a document
    /// the profile does not provide is refused citing it.
    #[serde(default)]
    pub documentation_clause: Option<Clause>,
    /// The clause on effectiveness indicators (001 §4.1), or the nearest one where the
    /// regulation sets none: an indicator the profile does not track is refused citing it.
    #[serde(default)]
    pub indicators_clause: Option<Clause>,
    pub structure: StructureRules,
    #[serde(default)]
    pub roles: Vec<RoleRule>,
    #[serde(default)]
    pub eligibility: Vec<EligibilityRule>,
    pub membership: MembershipRules,
    pub meetings: MeetingRules,
    #[serde(default)]
    pub documents: Vec<DocumentRule>,
    #[serde(default)]
    pub member_database: Option<DeadlineRule>,
    #[serde(default)]
    pub retention: Option<RetentionRule>,
    #[serde(default)]
    pub indicators: Vec<IndicatorRule>,
    /// Teachers' individual programmes of professional education (004 §8–§9), where the
    /// regulation has them.
    #[serde(default)]
    pub programmes: Option<ProgrammeRules>,
    /// The monitoring of the effectiveness of methodical work (004 §10), where the regulation
    /// has one.
    #[serde(default)]
    pub monitoring: Option<MonitoringRule>,
}

/// Individual programmes of continuous professional education (004 §8; §9): recorded by the
/// administration of the teacher's organization (its director or a deputy head), coordinated
/// by an official of `coordinated_by`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeRules {
    pub clause: Clause,
    pub coordinated_by: BodyKind,
    pub coordination_clause: Clause,
}

/// The monitoring of the effectiveness of methodical work (004 §10): carried out under the
/// municipal road map, by an official of one of `carried_out_by`; no deadline, no indicators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonitoringRule {
    pub carried_out_by: Vec<BodyKind>,
    pub clause: Clause,
}

/// Levels, kinds, and who creates associations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StructureRules {
    pub levels: Vec<Level>,
    pub levels_clause: Clause,
    pub kinds: Vec<AssociationKind>,
    pub kinds_clause: Clause,
    /// The body whose order creates, reorganizes and liquidates associations.
    pub created_by: BodyKind,
    pub created_by_clause: Clause,
    /// A council that determines the list of associations before the order (000 §1.4).
    #[serde(default)]
    pub list_reviewed_by: Option<BodyKind>,
    /// Members of a city association are the heads of the district associations of the same
    /// subject (000 §1.5, §4.1; 003 §7.1).
    #[serde(default)]
    pub city_members_are_district_heads: Option<Clause>,
    /// Levels whose associations another body creates (000 §7.4: district departments approve
    /// the list of district associations).
    #[serde(default)]
    pub creation: Vec<CreationRule>,
    /// What some kinds of association are (004 §8: a creative laboratory is of one
    /// organization's teachers; a working group is temporary).
    #[serde(default)]
    pub kind_rules: Vec<KindRule>,
}

/// What a kind of association is, where the regulation says (004 §8).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    pub kind: AssociationKind,
    /// Unites the teachers of one organization (004 §8: «форма организации совместной
    /// деятельности педагогов образовательной организации»): created for one organization,
    /// and only persons working there are admitted.
    #[serde(default)]
    pub one_organization: bool,
    /// Temporary (004 §8: «временные объединения педагогов, которые создаются для выполнения
    /// общих заданий»): created with the last day of its term and its task; after that day
    /// it admits no one, holds no meeting, and the read models show it ended.
    #[serde(default)]
    pub temporary: bool,
    pub clause: Clause,
}

/// Who creates the associations of some levels, when it is not `created_by`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreationRule {
    pub levels: Vec<Level>,
    pub issuer: BodyKind,
    #[serde(default)]
    pub review_by: Option<BodyKind>,
    pub clause: Clause,
    /// The day of each school year by which `issuer` approves the list of the associations
    /// of these levels for the year (000 §7.4: «Перечень РПМО … утверждаются районными
    /// отделами образования до 15 сентября текущего года»), each of them linked to a city
    /// association («в соответствии с перечнем городских ПМО»).
    #[serde(default)]
    pub list_due: Option<MonthDay>,
}

/// Who creates an association of one level, after which council, under which clause.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Creation<'a> {
    pub issuer: BodyKind,
    pub review_by: Option<BodyKind>,
    pub clause: &'a Clause,
}

impl StructureRules {
    /// The rule that sets a day for approving the list of associations of `level`, if any
    /// (000 §7.4).
    pub fn list_rule_for(&self, level: Level) -> Option<&CreationRule> {
        self.creation
            .iter()
            .find(|r| r.levels.contains(&level) && r.list_due.is_some())
    }

    /// The rule for associations of `kind`, if the profile has one.
    pub fn kind_rule(&self, kind: AssociationKind) -> Option<&KindRule> {
        self.kind_rules.iter().find(|r| r.kind == kind)
    }

    /// The rule for creating (reorganizing, liquidating) an association of `level`.
    pub fn creation_for(&self, level: Level) -> Creation<'_> {
        match self.creation.iter().find(|r| r.levels.contains(&level)) {
            Some(rule) => Creation {
                issuer: rule.issuer,
                review_by: rule.review_by,
                clause: &rule.clause,
            },
            None => Creation {
                issuer: self.created_by,
                review_by: self.list_reviewed_by,
                clause: &self.created_by_clause,
            },
        }
    }
}

/// How a role is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FillMethod {
    /// Appointed by an order of `issuer`.
    Order,
    /// Elected by open vote of the members.
    Election,
}

/// What a majority is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Majority {
    /// More than half of all members of the association («большинством членов»).
    OfAllMembers,
    /// More than half of the members present at the meeting.
    OfMembersPresent,
}

impl Majority {
    pub fn in_russian(self) -> &'static str {
        match self {
            Majority::OfAllMembers => "большинство от общего числа членов",
            Majority::OfMembersPresent => "большинство присутствующих членов",
        }
    }
}

/// Who fills a role, how, by when (000 §4.2, §4.3, §7.4; 002 §5.3; 003 §7.2, §7.4, §7.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    pub role: AssociationRole,
    /// The levels the rule is for; empty means every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    pub method: FillMethod,
    /// For `order`: the body whose order appoints.
    #[serde(default)]
    pub issuer: Option<BodyKind>,
    /// A council that reviews the candidate before the order (000 §4.2).
    #[serde(default)]
    pub review_by: Option<BodyKind>,
    /// For `election`: what the majority is counted against.
    #[serde(default)]
    pub majority: Option<Majority>,
    /// The day of the school year it must be done by (e.g. `09-15`).
    #[serde(default)]
    pub deadline: Option<MonthDay>,
    /// Filled anew every school year.
    #[serde(default)]
    pub yearly: bool,
    pub clause: Clause,
}

impl RoleRule {
    pub fn applies_to(&self, role: AssociationRole, level: Level) -> bool {
        self.role == role && (self.levels.is_empty() || self.levels.contains(&level))
    }
}

/// Who may hold a role: a category and years in the specialty, with positions that qualify
/// by themselves (003 §7.2: a deputy head or a head of a unit; 002 §5.3: a Center specialist),
/// and where the person must work (004 §7: at the school level the organization's own head or
/// deputy head, at the municipal level the methodical center).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRule {
    pub role: AssociationRole,
    /// The levels the rule is for; empty means every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Categories that qualify (with the years below); empty: no route by category, only the
    /// qualifying positions (or, without those, the workplace alone).
    #[serde(default)]
    pub categories: Vec<CategoryLevel>,
    #[serde(default)]
    pub min_years_in_specialty: u32,
    /// If not empty, the category route is open only to these positions.
    #[serde(default)]
    pub category_route_positions: Vec<PositionKind>,
    /// Positions that qualify whatever the category and years.
    #[serde(default)]
    pub qualifying_positions: Vec<PositionKind>,
    /// If not empty, the person must work at an organization of one of these kinds (003 §7.2:
    /// a specialist of a municipal institution under the department).
    #[serde(default)]
    pub organization_kinds: Vec<crate::values::OrganizationKind>,
    /// If set, the person must work, on the day, at this place (004 §7).
    #[serde(default)]
    pub works_at: Option<WorkPlace>,
    pub clause: Clause,
}

impl EligibilityRule {
    pub fn applies_to(&self, role: AssociationRole, level: Level) -> bool {
        self.role == role && (self.levels.is_empty() || self.levels.contains(&level))
    }
}

/// Where a role's holder must work (004 §7: «методическое сопровождение на школьном уровне
/// осуществляет руководитель образовательной организации, заместитель руководителя …, на
/// муниципальном уровне — отдел … МКУ «ЦХЭМО»»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkPlace {
    /// The association's own organization (a school association's school).
    OwnOrganization,
    /// The organization of the municipality's methodical center (the body's institution).
    MethodicalCenter,
}

impl WorkPlace {
    pub fn in_russian(self) -> &'static str {
        match self {
            WorkPlace::OwnOrganization => "работать в образовательной организации объединения",
            WorkPlace::MethodicalCenter => "работать в методическом центре (его учреждении)",
        }
    }
}

/// Membership applications (002 §5.2 and its appendices).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipRules {
    /// Whether members join by application; otherwise they are admitted on an order or a
    /// protocol.
    pub applications: bool,
    /// The forms accepted: a teacher (form 1), an organization (form 2).
    #[serde(default)]
    pub forms: Vec<ApplicationForm>,
    /// The body that receives applications.
    #[serde(default)]
    pub receiver: Option<BodyKind>,
    /// The period an application is for, within the school year.
    #[serde(default)]
    pub period_from: Option<MonthDay>,
    #[serde(default)]
    pub period_to: Option<MonthDay>,
    pub clause: Clause,
    /// The council whose sitting decides an application (002 §5.1: the Center's Methodical
    /// council determines each association's composition): every decision cites its protocol,
    /// and no official of the receiving body decides alone.
    #[serde(default)]
    pub decided_by: Option<BodyKind>,
    #[serde(default)]
    pub decided_by_clause: Option<Clause>,
    /// The levels whose members teach the association's subject (000 §7.5: «педагоги
    /// образовательных организаций района соответствующей предметной направленности»): a
    /// person is admitted only where the registry lists that subject among theirs.
    #[serde(default)]
    pub subject_teachers_at: Vec<Level>,
    #[serde(default)]
    pub subject_teachers_clause: Option<Clause>,
    /// Membership follows from the registry (001 §1.3: the ММО «объединяет … всех
    /// педагогов», teaching the subject): every person whose registry subjects include the
    /// association's, working at an educational organization of the municipality, is a member
    /// of each of its associations of that subject from the day both hold, without an
    /// admission; nobody is admitted or removed by a decision. Cited by `clause`.
    #[serde(default)]
    pub from_registry: bool,
}

/// The two application forms of 002 (appendices 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationForm {
    /// Приложение 1: on a teacher.
    Teacher,
    /// Приложение 2: on an organization.
    Organization,
}

/// Meetings and their protocols.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingRules {
    /// The least number of meetings per school year; none where the plan decides (002 §5.9).
    #[serde(default)]
    pub min_per_school_year: Option<u32>,
    /// Instead of a minimum: the document whose every version states the number of meetings
    /// its school year holds (002 §5.9: «Периодичность заседаний ГМО … определяется дорожной
    /// картой» — the road map, `work_plan`). `metod query meetings` compares the meetings
    /// held with the number in the approved version; `min_clause` is the clause.
    #[serde(default)]
    pub planned_by: Option<DocumentType>,
    /// With `planned_by`: the same document states the number of network events too (002
    /// §5.9: «и иных сетевых событий»), counted by their reports (002 §5.11).
    #[serde(default)]
    pub planned_network_events: bool,
    /// The clause of the number of meetings: the minimum's or the plan's.
    pub min_clause: Clause,
    /// Every question discussed gets a decision (000 §4.4).
    pub every_question_decided: bool,
    pub decisions_clause: Clause,
    /// Who drafts the protocol and who signs it.
    pub protocol_drafted_by: AssociationRole,
    pub protocol_signed_by: AssociationRole,
    pub protocol_clause: Clause,
}

/// Who writes a document and by when it is due.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentRule {
    #[serde(rename = "type")]
    pub document_type: DocumentType,
    /// The levels the rule is for; empty means every level.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Who may write and submit it.
    pub authors: Vec<DocumentAuthor>,
    /// The day of the school year it is due (e.g. `05-15`).
    #[serde(default)]
    pub due: Option<MonthDay>,
    /// What must happen by then, in Russian (e.g. «согласование руководителем ГПМО»).
    #[serde(default)]
    pub due_action: Option<String>,
    /// The day it must be submitted by (003 §7.8: to the curator by 15 May), when that is a
    /// deadline of its own.
    #[serde(default)]
    pub submit_by: Option<MonthDay>,
    /// Who receives it when it is submitted, without deciding on it (003 §7.8: the head
    /// «предоставляет … куратору»): named where the profile is shown, never a step.
    #[serde(default)]
    pub submitted_to: Option<StepRole>,
    /// The approval chain: the steps in order. Absent: the default chain (district head →
    /// city head → department; a city association's document starts at the city head).
    /// Empty: recorded without approval.
    #[serde(default)]
    pub chain: Option<Vec<ChainStep>>,
    /// Days each step has to decide, once the document reaches it: a setting of the
    /// municipality, not of its regulation — no seed sets a review period, so the built-in
    /// profiles leave it out and a step is bound only by the document's own days. Shown and
    /// recorded as «срок, установленный муниципалитетом», never with a clause.
    #[serde(default)]
    pub review_days: Option<u32>,
    /// A document this one is developed on the basis of (002 §5.8, §4.1: the road map on the
    /// technical assignment agreed with the curator): every version cites one of that type,
    /// of its association and school year, approved by the day the version is submitted.
    #[serde(default)]
    pub requires: Option<DocumentType>,
    /// The clause of `requires`.
    #[serde(default)]
    pub requires_clause: Option<Clause>,
    /// Where the final document is published, in Russian (001 §1.3: «на сайте управления
    /// образования … (раздел «Муниципальная методическая служба»)»): the publication is an
    /// action of its own (`PublishDocument`), and oversight lists documents not published.
    #[serde(default)]
    pub publish_on: Option<String>,
    #[serde(default)]
    pub publish_clause: Option<Clause>,
    pub clause: Clause,
}

impl DocumentRule {
    pub fn applies_to(&self, document_type: DocumentType, level: Level) -> bool {
        self.document_type == document_type
            && (self.levels.is_empty() || self.levels.contains(&level))
    }

    /// The chain this document travels at `level`.
    pub fn chain_at(&self, level: Level) -> Vec<ChainStep> {
        match &self.chain {
            Some(steps) => steps.clone(),
            None => default_chain(level),
        }
    }
}

/// What a document may set the number of for its school year (002 §5.9: «Периодичность
/// заседаний ГМО и иных сетевых событий определяется дорожной картой»).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Planned {
    /// The association's meetings (`HoldMeeting`).
    Meetings,
    /// Its network events, each with its report (`network_event_report`, 002 §5.11).
    NetworkEvents,
}

impl Planned {
    pub fn in_russian(self) -> &'static str {
        match self {
            Planned::Meetings => "число заседаний",
            Planned::NetworkEvents => "число сетевых событий",
        }
    }

    /// The field of `submit_document_version` that gives the number.
    pub fn field(self) -> &'static str {
        match self {
            Planned::Meetings => "planned_meetings",
            Planned::NetworkEvents => "planned_network_events",
        }
    }
}

/// The words a deadline set by the municipality (not its regulation) is shown with.
pub const LOCAL_DEADLINE: &str = "срок, установленный муниципалитетом";

/// The default chain (DOMAIN.md §3): a district association's document goes district head →
/// city head of the same subject → department (deputy chair or the responsible
/// specialist); a city association's starts at the city head.
pub fn default_chain(level: Level) -> Vec<ChainStep> {
    let department = ChainStep {
        role: StepRole::Department,
        offices: vec![Office::DeputyChief, Office::Specialist],
        ..ChainStep::of(StepRole::Department)
    };
    match level {
        Level::District => vec![
            ChainStep::of(StepRole::AssociationHead),
            ChainStep::of(StepRole::CityHead),
            department,
        ],
        Level::City | Level::School => vec![ChainStep::of(StepRole::AssociationHead), department],
    }
}

/// Who decides a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepRole {
    /// The head of the document's own association (for a city association: the city head).
    AssociationHead,
    /// The head of the city association the document's district association belongs to.
    CityHead,
    /// The curator of the document's association.
    Curator,
    /// An official of the department (by default its deputy chair or a specialist).
    Department,
    /// An official of the methodical center.
    MethodicalCenter,
    /// A council reviews (its members or officials): `council` names its kind.
    Council,
}

impl StepRole {
    pub fn in_russian(self) -> &'static str {
        match self {
            StepRole::AssociationHead => "руководитель объединения",
            StepRole::CityHead => "руководитель городского объединения",
            StepRole::Curator => "куратор",
            StepRole::Department => "орган управления образованием",
            StepRole::MethodicalCenter => "методический центр",
            StepRole::Council => "совет",
        }
    }
}

/// Whose meeting a step's decision is taken at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingOf {
    /// The document's own association (003 §7.9: the plan approved at the first meeting).
    Own,
    /// The city association (000 §10.5: reviewed at the city association's meeting).
    City,
}

/// One step of an approval chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainStep {
    pub role: StepRole,
    /// For `council`: which council.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council: Option<BodyKind>,
    /// For `department` and `methodical_center`: the offices that may decide (empty: any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub offices: Vec<Office>,
    /// The decision is taken at a meeting, which it cites.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_meeting: Option<MeetingOf>,
    /// The decision is an order, which it cites (000 §4.2: «утверждаются приказом»).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_order: bool,
    /// With `at_meeting`: the meeting is the first of the document's school year (003 §7.9:
    /// «утверждается на первом заседании»).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_meeting_of_year: bool,
    /// A step the municipality adds that its regulation does not have: shown as local by
    /// `metod profile show` and in the chain's description, never as the clause's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub local: bool,
}

impl ChainStep {
    pub fn of(role: StepRole) -> Self {
        Self {
            role,
            council: None,
            offices: Vec::new(),
            at_meeting: None,
            by_order: false,
            first_meeting_of_year: false,
            local: false,
        }
    }

    /// The step in words, e.g. «руководитель городского объединения (на заседании
    /// городского объединения)».
    pub fn in_russian(&self) -> String {
        let mut text = match (self.role, self.council) {
            (StepRole::Council, Some(council)) => council.in_russian().to_string(),
            (role, _) => role.in_russian().to_string(),
        };
        if !self.offices.is_empty() {
            text += &format!(
                " ({})",
                self.offices
                    .iter()
                    .map(|o| o.in_russian())
                    .collect::<Vec<_>>()
                    .join(" или ")
            );
        }
        match self.at_meeting {
            Some(MeetingOf::Own) => text += ", на заседании объединения",
            Some(MeetingOf::City) => text += ", на заседании городского объединения",
            None => {}
        }
        if self.first_meeting_of_year {
            text += " — первом в учебном году документа";
        }
        if self.by_order {
            text += ", приказом";
        }
        if self.local {
            text += " [местный шаг муниципалитета, не по положению]";
        }
        text
    }
}

/// Who may author a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentAuthor {
    Head,
    Curator,
    /// An official of the methodical center (002 §5.7: the technical assignment).
    MethodicalCenter,
}

impl DocumentAuthor {
    pub fn in_russian(self) -> &'static str {
        match self {
            DocumentAuthor::Head => "руководитель объединения",
            DocumentAuthor::Curator => "куратор",
            DocumentAuthor::MethodicalCenter => "методический центр",
        }
    }
}

/// A yearly deadline (the member database by 1 Oct: 000 §4.6, §10.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    pub due: MonthDay,
    pub clause: Clause,
}

/// How long documentation is kept (000 §4.8, §10.6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    pub years: u32,
    pub clause: Clause,
}

/// An effectiveness indicator (001 §4.1; 003 §VI). Either `metod query indicators` computes
/// it from the log — its `code` is one of [`IndicatorRule::COMPUTED`] and it has a `measure`
/// — or the regulation tracks it but the log does not hold what it needs: then it has no
/// measure and `not_computable` says why, and the answer lists it with that reason and no
/// figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorRule {
    /// Stable machine code, e.g. `diagnostics_share`.
    pub code: String,
    /// The indicator as the regulation words it.
    pub title: String,
    /// What kind of number it is; absent exactly when it is not computable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<IndicatorMeasure>,
    /// Why the log cannot give this indicator (Russian, shown after «не вычисляется по
    /// журналу:»), e.g. that the log records no pupils' results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_computable: Option<String>,
    pub clause: Clause,
}

impl IndicatorRule {
    /// The codes `metod query indicators` computes (`projections/src/queries/indicators.rs`
    /// counts each): 001 §4.1.1–4.1.3, and 003 §6.2, §6.5, §6.6. An indicator with any other
    /// code must say why it is `not_computable`.
    pub const COMPUTED: [&'static str; 11] = [
        "road_map_implemented",
        "diagnostics_share",
        "federal_register_training_share",
        "individual_route_share",
        "regional_methodist_share",
        "teachers_per_regional_methodist",
        "individual_route_completed_share",
        "young_teachers_supported_share",
        "stable_structure_share",
        "meeting_attendance_share",
        "required_meetings_held_share",
    ];

    /// The measure, where the indicator is computed from the log.
    pub fn computed(&self) -> Option<IndicatorMeasure> {
        self.measure.filter(|_| self.not_computable.is_none())
    }
}

/// What kind of number an indicator is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorMeasure {
    /// A share: numerator over denominator.
    Share,
    /// A ratio of two counts (teachers per regional methodist).
    Ratio,
    /// Whether something exists (a road map is developed and implemented).
    Presence,
}

/// One line of `metod profile show`: what the rule says, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleLine {
    pub topic: &'static str,
    pub rule: String,
    pub clause: String,
}

impl RegulationProfile {
    /// Parses and checks a profile; `origin` names the file in errors.
    pub fn from_toml(origin: &str, text: &str) -> Result<Self, DomainError> {
        let profile: Self = toml::from_str(text).map_err(|e| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason: crate::parse_errors::in_russian(e.message())
                + &e.span()
                    .map(|span| format!(" (строка {})", line_of(text, span.start)))
                    .unwrap_or_default(),
        })?;
        profile.validate(origin)?;
        Ok(profile)
    }

    fn validate(&self, origin: &str) -> Result<(), DomainError> {
        let invalid = |reason: String| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason,
        };
        if self.name.is_empty()
            || !self
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        {
            return Err(invalid(format!(
                "имя профиля «{}»: нужны строчные латинские буквы, цифры, - и _",
                self.name
            )));
        }
        if self.structure.levels.is_empty() {
            return Err(invalid("не указан ни один уровень объединений".into()));
        }
        if self.structure.kinds.is_empty() {
            return Err(invalid("не указан ни один вид объединений".into()));
        }
        for rule in &self.roles {
            match rule.method {
                FillMethod::Order if rule.issuer.is_none() => {
                    return Err(invalid(format!(
                    "правило ({}) назначения «{}» приказом: не указан издатель приказа (issuer)",
                    rule.clause,
                    rule.role.in_russian()
                )))
                }
                FillMethod::Election if rule.majority.is_none() => {
                    return Err(invalid(format!(
                    "правило ({}) избрания «{}»: не указано, как считается большинство (majority)",
                    rule.clause,
                    rule.role.in_russian()
                )))
                }
                _ => {}
            }
        }
        for level in &self.structure.levels {
            let heads = self
                .roles
                .iter()
                .filter(|r| r.applies_to(AssociationRole::Head, *level))
                .count();
            if heads > 1 {
                return Err(invalid(format!(
                    "для уровня «{}» задано несколько правил назначения руководителя",
                    level.in_russian()
                )));
            }
        }
        self.validate_membership(origin)?;
        for rule in &self.documents {
            if rule.publish_on.is_some() != rule.publish_clause.is_some() {
                return Err(invalid(format!(
                    "правило ({}) о документе «{}»: publish_on — вместе с пунктом publish_clause",
                    rule.clause,
                    rule.document_type.in_russian()
                )));
            }
        }
        for rule in &self.documents {
            for step in rule.chain.iter().flatten() {
                if step.role == StepRole::Council && !step.council.is_some_and(BodyKind::is_council)
                {
                    return Err(invalid(format!(
                        "правило ({}) о документе «{}»: у шага «совет» не указан совет (council)",
                        rule.clause,
                        rule.document_type.in_russian()
                    )));
                }
                if step.first_meeting_of_year && step.at_meeting.is_none() {
                    return Err(invalid(format!(
                        "правило ({}) о документе «{}»: first_meeting_of_year — только у шага на заседании (at_meeting)",
                        rule.clause,
                        rule.document_type.in_russian()
                    )));
                }
            }
            if rule.authors.is_empty() {
                return Err(invalid(format!(
                    "правило ({}) о документе «{}»: не указан автор",
                    rule.clause,
                    rule.document_type.in_russian()
                )));
            }
            match (rule.requires, &rule.requires_clause) {
                (Some(_), None) | (None, Some(_)) => {
                    return Err(invalid(format!(
                    "правило ({}) о документе «{}»: requires и requires_clause указываются вместе",
                    rule.clause,
                    rule.document_type.in_russian()
                )))
                }
                (Some(required), Some(_)) => {
                    let levels = if rule.levels.is_empty() {
                        &self.structure.levels
                    } else {
                        &rule.levels
                    };
                    let provided = levels
                        .iter()
                        .all(|level| self.document_rule(required, *level).is_some());
                    if required == rule.document_type || !provided {
                        return Err(invalid(format!(
                            "правило ({}) о документе «{}»: основа (requires) — «{}» — должна быть другим документом, предусмотренным профилем на тех же уровнях",
                            rule.clause,
                            rule.document_type.in_russian(),
                            required.in_russian()
                        )));
                    }
                }
                (None, None) => {}
            }
        }
        self.validate_kinds_and_roles(origin)?;
        self.validate_plans(origin)?;
        self.validate_indicators(origin)
    }

    /// Applications need their forms, receiver and period; a composition by the registry
    /// (001 §1.3) goes with neither applications nor elections; a rule of subject teachers or
    /// of a deciding council names its clause.
    fn validate_membership(&self, origin: &str) -> Result<(), DomainError> {
        let invalid = |reason: String| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason,
        };
        let membership = &self.membership;
        if membership.applications
            && (membership.forms.is_empty()
                || membership.receiver.is_none()
                || membership.period_from.is_none()
                || membership.period_to.is_none())
        {
            return Err(invalid(format!(
                "правило ({}) о заявках: нужны формы (forms), получатель (receiver) и период (period_from, period_to)",
                membership.clause
            )));
        }
        if membership.from_registry && self.roles.iter().any(|r| r.method == FillMethod::Election) {
            return Err(invalid(format!(
                "правило ({}) о членстве: состав по реестру (from_registry) не сочетается с выборами — голоса считаются по составу объединения",
                membership.clause
            )));
        }
        if membership.from_registry && membership.applications {
            return Err(invalid(format!(
                "правило ({}) о членстве: состав по реестру (from_registry) исключает заявки (applications)",
                membership.clause
            )));
        }
        if !membership.subject_teachers_at.is_empty()
            && membership.subject_teachers_clause.is_none()
        {
            return Err(invalid(format!(
                "правило ({}) о членстве: subject_teachers_at — с пунктом subject_teachers_clause",
                membership.clause
            )));
        }
        if let Some(council) = membership.decided_by {
            if !council.is_council() || membership.decided_by_clause.is_none() {
                return Err(invalid(format!(
                    "правило ({}) о заявках: decided_by — совет ({}), с пунктом decided_by_clause",
                    membership.clause,
                    council.in_russian()
                )));
            }
        }
        Ok(())
    }

    /// A kind's rule is for a kind the profile has and requires something; an eligibility rule
    /// names a category, a position or a workplace; a monitoring names who carries it out.
    fn validate_kinds_and_roles(&self, origin: &str) -> Result<(), DomainError> {
        let invalid = |reason: String| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason,
        };
        for rule in &self.structure.kind_rules {
            if !self.structure.kinds.contains(&rule.kind)
                || !(rule.one_organization || rule.temporary)
            {
                return Err(invalid(format!(
                    "правило ({}) о виде «{}»: вид должен быть в kinds, а правило — что-то требовать (one_organization, temporary)",
                    rule.clause,
                    rule.kind.in_russian()
                )));
            }
        }
        for rule in &self.eligibility {
            if rule.categories.is_empty()
                && rule.qualifying_positions.is_empty()
                && rule.works_at.is_none()
            {
                return Err(invalid(format!(
                    "правило ({}) о требованиях к роли «{}»: нужны категории (categories), должности (qualifying_positions) или место работы (works_at)",
                    rule.clause,
                    rule.role.in_russian()
                )));
            }
        }
        if self
            .monitoring
            .as_ref()
            .is_some_and(|m| m.carried_out_by.is_empty())
        {
            return Err(invalid(
                "правило о мониторинге: укажите, кто его проводит (carried_out_by)".into(),
            ));
        }
        Ok(())
    }

    /// A document that sets the number of meetings (`planned_by`, 002 §5.9) is one the
    /// profile provides at every level, and replaces a fixed minimum rather than adding to it;
    /// it sets the number of network events only with it, where their reports are provided
    /// (002 §5.11), for those are what is counted.
    fn validate_plans(&self, origin: &str) -> Result<(), DomainError> {
        let meetings = &self.meetings;
        let invalid = |problem: String| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason: format!(
                "правило ({}) о числе заседаний: {problem}",
                meetings.min_clause
            ),
        };
        let provided = |document_type: DocumentType| {
            self.structure
                .levels
                .iter()
                .all(|level| self.document_rule(document_type, *level).is_some())
        };
        match meetings.planned_by {
            Some(_) if meetings.min_per_school_year.is_some() => Err(invalid(
                "число заседаний задаёт либо положение (min_per_school_year), либо документ (planned_by), не оба".into(),
            )),
            Some(document_type) if !provided(document_type) => Err(invalid(format!(
                "документ planned_by — «{}» — должен быть предусмотрен профилем на каждом уровне",
                document_type.in_russian()
            ))),
            None if meetings.planned_network_events => Err(invalid(
                "planned_network_events — только вместе с planned_by".into(),
            )),
            Some(_)
                if meetings.planned_network_events
                    && !provided(DocumentType::NetworkEventReport) =>
            {
                Err(invalid(
                    "сетевые события считаются по отчётам о них: профиль должен предусматривать отчёт о сетевом событии на каждом уровне".into(),
                ))
            }
            _ => Ok(()),
        }
    }

    /// Each indicator has a distinct `snake_case` code and is either computed (a code the
    /// query computes, with a measure) or not computable (no measure, and the reason why).
    fn validate_indicators(&self, origin: &str) -> Result<(), DomainError> {
        let invalid = |rule: &IndicatorRule, problem: &str| DomainError::InvalidProfile {
            origin: origin.to_string(),
            reason: format!("показатель «{}» ({}): {problem}", rule.code, rule.clause),
        };
        for (index, rule) in self.indicators.iter().enumerate() {
            if rule.code.is_empty()
                || !rule
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(invalid(rule, "код — строчные латинские буквы, цифры и _"));
            }
            if self.indicators[..index].iter().any(|r| r.code == rule.code) {
                return Err(invalid(rule, "код повторяется"));
            }
            match (&rule.measure, &rule.not_computable) {
                (Some(_), Some(_)) => {
                    return Err(invalid(
                        rule,
                        "у невычисляемого показателя (not_computable) не бывает меры (measure)",
                    ))
                }
                (None, None) => {
                    return Err(invalid(
                        rule,
                        "нужна мера (measure) или причина, по которой он не вычисляется (not_computable)",
                    ))
                }
                (None, Some(reason)) if reason.trim().is_empty() => {
                    return Err(invalid(rule, "причина (not_computable) пуста"))
                }
                (Some(_), None) if !IndicatorRule::COMPUTED.contains(&rule.code.as_str()) => {
                    return Err(invalid(
                        rule,
                        "система не вычисляет показатель с таким кодом: укажите причину (not_computable)",
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The rule for filling `role` at `level`, if the profile has one.
    pub fn role_rule(&self, role: AssociationRole, level: Level) -> Option<&RoleRule> {
        self.roles.iter().find(|r| r.applies_to(role, level))
    }

    /// The roles the profile fills at `level`, and the clauses that say so (the levels'
    /// clause where it fills none): what a refusal of any other role cites.
    pub fn roles_at(&self, level: Level) -> (Vec<AssociationRole>, Clause) {
        let rules: Vec<&RoleRule> = self
            .roles
            .iter()
            .filter(|r| r.levels.is_empty() || r.levels.contains(&level))
            .collect();
        let mut roles: Vec<AssociationRole> = Vec::new();
        for rule in &rules {
            if !roles.contains(&rule.role) {
                roles.push(rule.role);
            }
        }
        let clause = Clause::join(rules.iter().map(|r| &r.clause))
            .unwrap_or_else(|| self.structure.levels_clause.clone());
        (roles, clause)
    }

    /// What a refusal of a document the profile does not provide at `level` cites: the
    /// regulation's list of documentation, or else the clauses of the documents it does
    /// provide there, or else its levels.
    pub fn documentation_clause(&self, level: Level) -> Clause {
        self.documentation_clause
            .clone()
            .or_else(|| {
                Clause::join(
                    self.documents
                        .iter()
                        .filter(|r| r.levels.is_empty() || r.levels.contains(&level))
                        .map(|r| &r.clause),
                )
            })
            .unwrap_or_else(|| self.structure.levels_clause.clone())
    }

    /// What a refusal of an indicator the profile does not track cites: the regulation's
    /// clause on indicators, or else the clauses of the indicators it has, or else its
    /// documentation (where the regulation says what an association reports).
    pub fn indicators_clause(&self) -> Clause {
        self.indicators_clause
            .clone()
            .or_else(|| Clause::join(self.indicators.iter().map(|r| &r.clause)))
            .unwrap_or_else(|| self.documentation_clause(Level::City))
    }

    /// The rule for who may hold `role` at `level`, if the profile has one.
    pub fn eligibility_rule(
        &self,
        role: AssociationRole,
        level: Level,
    ) -> Option<&EligibilityRule> {
        self.eligibility.iter().find(|r| r.applies_to(role, level))
    }

    pub fn document_rule(
        &self,
        document_type: DocumentType,
        level: Level,
    ) -> Option<&DocumentRule> {
        self.documents
            .iter()
            .find(|r| r.applies_to(document_type, level))
    }

    /// The document whose versions state the number of `what` for their school year (002
    /// §5.9: the road map), where the profile has one, with the clause that says so.
    pub fn planned_by(&self, what: Planned) -> Option<(DocumentType, &Clause)> {
        let meetings = &self.meetings;
        let document = meetings.planned_by?;
        match what {
            Planned::Meetings => Some((document, &meetings.min_clause)),
            Planned::NetworkEvents => meetings
                .planned_network_events
                .then_some((document, &meetings.min_clause)),
        }
    }

    /// The application period of a school year, if applications are used.
    pub fn application_period(
        &self,
        year: SchoolYear,
    ) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let from = self.membership.period_from?;
        let to = self.membership.period_to?;
        Some((year.date_of(from), year.date_of(to)))
    }

    /// Every rule of the profile, one line each, with its clause.
    pub fn rule_lines(&self) -> Vec<RuleLine> {
        let mut lines = Vec::new();
        self.structure_lines(&mut lines);
        self.role_lines(&mut lines);
        self.membership_and_meeting_lines(&mut lines);
        self.document_lines(&mut lines);
        self.record_lines(&mut lines);
        lines
    }

    /// The structure: levels, kinds, who creates associations.
    fn structure_lines(&self, lines: &mut Vec<RuleLine>) {
        let mut push = |topic: &'static str, rule: String, clause: &Clause| {
            lines.push(RuleLine {
                topic,
                rule,
                clause: clause.to_string(),
            })
        };
        let s = &self.structure;
        push(
            "структура",
            format!(
                "уровни объединений: {}",
                join(s.levels.iter().map(|l| l.in_russian()))
            ),
            &s.levels_clause,
        );
        push(
            "структура",
            format!(
                "виды объединений: {}",
                join(s.kinds.iter().map(|k| k.in_russian()))
            ),
            &s.kinds_clause,
        );
        let reviewed = s
            .list_reviewed_by
            .map(|c| format!(" после рассмотрения перечня: {}", c.in_russian()))
            .unwrap_or_default();
        push(
            "структура",
            format!(
                "создание, реорганизация и ликвидация объединений — приказом: {}{reviewed}",
                s.created_by.in_russian()
            ),
            &s.created_by_clause,
        );
        for rule in &s.creation {
            let reviewed = rule
                .review_by
                .map(|c| format!(" после рассмотрения: {}", c.in_russian()))
                .unwrap_or_default();
            push(
                "структура",
                format!(
                    "объединения уровня «{}» создаются приказом: {}{reviewed}",
                    join(rule.levels.iter().map(|l| l.in_russian())),
                    rule.issuer.in_russian()
                ),
                &rule.clause,
            );
            if let Some(day) = rule.list_due {
                push(
                    "структура",
                    format!(
                        "перечень объединений уровня «{}» на учебный год (каждое — в соответствии с перечнем городских) утверждает {} до {}",
                        join(rule.levels.iter().map(|l| l.in_russian())),
                        rule.issuer.in_russian(),
                        day.in_russian()
                    ),
                    &rule.clause,
                );
            }
        }
        for rule in &s.kind_rules {
            let mut says = Vec::new();
            if rule.one_organization {
                says.push("объединяет педагогов одной образовательной организации");
            }
            if rule.temporary {
                says.push(
                    "временное: создаётся со сроком и задачей, по истечении срока не принимает членов и не проводит заседаний",
                );
            }
            push(
                "структура",
                format!("{}: {}", rule.kind.in_russian(), says.join("; ")),
                &rule.clause,
            );
        }
        if let Some(clause) = &s.city_members_are_district_heads {
            push(
                "структура",
                "членами городского объединения являются руководители районных объединений того же предмета".into(),
                clause,
            );
        }
    }

    /// Who fills each role and how, and who is eligible.
    fn role_lines(&self, lines: &mut Vec<RuleLine>) {
        let mut push = |topic: &'static str, rule: String, clause: &Clause| {
            lines.push(RuleLine {
                topic,
                rule,
                clause: clause.to_string(),
            })
        };
        for rule in &self.roles {
            let levels = if rule.levels.is_empty() {
                "все уровни".to_string()
            } else {
                join(rule.levels.iter().map(|l| l.in_russian()))
            };
            let how = match rule.method {
                FillMethod::Order => format!(
                    "назначается приказом: {}",
                    rule.issuer.map(|i| i.in_russian()).unwrap_or("?")
                ),
                FillMethod::Election => format!(
                    "избирается открытым голосованием ({})",
                    rule.majority.map(|m| m.in_russian()).unwrap_or("?")
                ),
            };
            let review = rule
                .review_by
                .map(|c| format!(", после рассмотрения: {}", c.in_russian()))
                .unwrap_or_default();
            let deadline = rule
                .deadline
                .map(|d| format!(", до {}", d.in_russian()))
                .unwrap_or_default();
            let yearly = if rule.yearly {
                ", ежегодно"
            } else {
                ""
            };
            push(
                "роли",
                format!(
                    "{} ({levels}): {how}{review}{deadline}{yearly}",
                    rule.role.in_russian()
                ),
                &rule.clause,
            );
        }
        for rule in &self.eligibility {
            let levels = if rule.levels.is_empty() {
                String::new()
            } else {
                format!(" ({})", join(rule.levels.iter().map(|l| l.in_russian())))
            };
            let mut text = if rule.categories.is_empty() {
                format!("{}{levels}:", rule.role.in_russian())
            } else {
                format!(
                    "{}{levels}: категория {} и стаж работы по специальности не менее {} лет",
                    rule.role.in_russian(),
                    join(rule.categories.iter().map(|c| c.in_russian())),
                    rule.min_years_in_specialty
                )
            };
            if !rule.category_route_positions.is_empty() {
                text += &format!(
                    " (для должностей: {})",
                    join(rule.category_route_positions.iter().map(|p| p.in_russian()))
                );
            }
            if !rule.qualifying_positions.is_empty() {
                text += &format!(
                    "{} должность: {}",
                    if rule.categories.is_empty() {
                        ""
                    } else {
                        "; либо"
                    },
                    join(rule.qualifying_positions.iter().map(|p| p.in_russian()))
                );
            }
            if let Some(place) = rule.works_at {
                text += &format!("; {}", place.in_russian());
            }
            push("требования", text, &rule.clause);
        }
    }

    /// How members join, and how meetings and protocols go.
    fn membership_and_meeting_lines(&self, lines: &mut Vec<RuleLine>) {
        let mut push = |topic: &'static str, rule: String, clause: &Clause| {
            lines.push(RuleLine {
                topic,
                rule,
                clause: clause.to_string(),
            })
        };
        let m = &self.membership;
        let membership = if m.applications {
            format!(
                "вступление по заявке ({}) в {}, на период {} – {}",
                join(m.forms.iter().map(|f| match f {
                    ApplicationForm::Teacher => "форма 1 — на педагога",
                    ApplicationForm::Organization => "форма 2 — на организацию",
                })),
                m.receiver.map(|r| r.in_russian()).unwrap_or("?"),
                m.period_from.map(|d| d.in_russian()).unwrap_or_default(),
                m.period_to.map(|d| d.in_russian()).unwrap_or_default()
            )
        } else if m.from_registry {
            "в объединение входят все педагоги его предмета в образовательных организациях \
             муниципалитета по реестру, со дня, когда это так; без заявок и решений о включении"
                .into()
        } else {
            "состав определяется приказом или решением заседания, без заявок".into()
        };
        push("членство", membership, &m.clause);
        if let Some(clause) = &m.subject_teachers_clause {
            push(
                "членство",
                format!(
                    "в объединение ({}) входят педагоги, ведущие его предмет по реестру",
                    join(m.subject_teachers_at.iter().map(|l| l.in_russian()))
                ),
                clause,
            );
        }
        if let (Some(council), Some(clause)) = (m.decided_by, &m.decided_by_clause) {
            push(
                "членство",
                format!(
                    "решение по заявке принимает {}, с протоколом заседания",
                    council.in_russian()
                ),
                clause,
            );
        }
        let meetings = &self.meetings;
        push(
            "заседания",
            match (meetings.min_per_school_year, meetings.planned_by) {
                (Some(n), _) => format!("не менее {n} заседаний за учебный год"),
                (None, Some(plan)) => format!(
                    "{} за учебный год устанавливает документ «{}»: каждая версия их указывает",
                    if meetings.planned_network_events {
                        "число заседаний и сетевых событий"
                    } else {
                        "число заседаний"
                    },
                    plan.in_russian()
                ),
                (None, None) => "минимальное число заседаний положением не установлено".into(),
            },
            &meetings.min_clause,
        );
        if meetings.every_question_decided {
            push(
                "заседания",
                "по каждому вопросу заседания принимается решение".into(),
                &meetings.decisions_clause,
            );
        }
        push(
            "заседания",
            format!(
                "протокол оформляет {}, подписывает {}",
                meetings.protocol_drafted_by.in_russian(),
                meetings.protocol_signed_by.in_russian()
            ),
            &meetings.protocol_clause,
        );
    }

    /// Each document, its basis and its chain at every level, and the list of documentation.
    fn document_lines(&self, lines: &mut Vec<RuleLine>) {
        let mut push = |topic: &'static str, rule: String, clause: &Clause| {
            lines.push(RuleLine {
                topic,
                rule,
                clause: clause.to_string(),
            })
        };
        let s = &self.structure;
        for rule in &self.documents {
            let levels = if rule.levels.is_empty() {
                String::new()
            } else {
                format!(" ({})", join(rule.levels.iter().map(|l| l.in_russian())))
            };
            let due = match (&rule.due, &rule.due_action) {
                (Some(due), Some(action)) => format!("; {action} до {}", due.in_russian()),
                (Some(due), None) => format!("; срок — {}", due.in_russian()),
                _ => String::new(),
            };
            push(
                "документы",
                format!(
                    "{}{levels}: составляет {}{due}",
                    rule.document_type.in_russian(),
                    join(rule.authors.iter().map(|a| a.in_russian()))
                ),
                &rule.clause,
            );
            if let (Some(required), Some(clause)) = (rule.requires, &rule.requires_clause) {
                push(
                    "документы",
                    format!(
                        "{}{levels}: разрабатывается на основе документа «{}» того же объединения и учебного года, утверждённого до подачи",
                        rule.document_type.in_russian(),
                        required.in_russian()
                    ),
                    clause,
                );
            }
            if let (Some(place), Some(clause)) = (&rule.publish_on, &rule.publish_clause) {
                push(
                    "документы",
                    format!(
                        "{}: размещается — {place} (день и адрес размещения записываются)",
                        rule.document_type.in_russian()
                    ),
                    clause,
                );
            }
            let chains: Vec<(String, Vec<ChainStep>)> = if rule.levels.is_empty() {
                s.levels
                    .iter()
                    .map(|l| (l.in_russian().to_string(), rule.chain_at(*l)))
                    .collect()
            } else {
                rule.levels
                    .iter()
                    .map(|l| (l.in_russian().to_string(), rule.chain_at(*l)))
                    .collect()
            };
            for (level, chain) in chains {
                let route = if chain.is_empty() {
                    "без согласования".to_string()
                } else {
                    chain
                        .iter()
                        .map(ChainStep::in_russian)
                        .collect::<Vec<_>>()
                        .join(" → ")
                };
                let origin = if rule.chain.is_some() {
                    ""
                } else {
                    " (цепочка по умолчанию)"
                };
                let to = rule
                    .submitted_to
                    .map(|r| format!(" ({}, без права решения)", r.in_russian()))
                    .unwrap_or_default();
                let submit = match rule.submit_by {
                    Some(d) => format!("; подаётся{to} до {}", d.in_russian()),
                    None if !to.is_empty() => format!("; подаётся{to}"),
                    None => String::new(),
                };
                let review = match rule.review_days {
                    Some(days) => {
                        format!("; на шаг — {days} дн. ({LOCAL_DEADLINE}, не пункт положения)")
                    }
                    None => "; срок на шаг положением не установлен".into(),
                };
                push(
                    "согласование",
                    format!(
                        "{} ({level}): {route}{origin}{submit}{review}",
                        rule.document_type.in_russian(),
                    ),
                    &rule.clause,
                );
            }
        }
        if let Some(clause) = &self.documentation_clause {
            let mut types: Vec<&str> = Vec::new();
            // A nomination is the procedure of an appointment, not a document the
            // association keeps.
            for rule in self
                .documents
                .iter()
                .filter(|r| r.document_type != DocumentType::Nomination)
            {
                let name = rule.document_type.in_russian();
                if !types.contains(&name) {
                    types.push(name);
                }
            }
            push(
                "документы",
                if types.is_empty() {
                    "документы объединения положением не установлены".to_string()
                } else {
                    format!(
                        "документы объединения: {}; иные не предусмотрены",
                        types.join(", ")
                    )
                },
                clause,
            );
        }
    }

    /// The member database, retention and the indicators.
    fn record_lines(&self, lines: &mut Vec<RuleLine>) {
        let mut push = |topic: &'static str, rule: String, clause: &Clause| {
            lines.push(RuleLine {
                topic,
                rule,
                clause: clause.to_string(),
            })
        };
        if let Some(rule) = &self.member_database {
            push(
                "банк данных",
                format!(
                    "банк данных членов актуализируется ежегодно до {}",
                    rule.due.in_russian()
                ),
                &rule.clause,
            );
        }
        if let Some(rule) = &self.retention {
            push(
                "хранение",
                format!(
                    "документация хранится {} {}",
                    rule.years,
                    match (rule.years % 10, rule.years % 100) {
                        (1, n) if n != 11 => "год",
                        (2..=4, n) if !(12..=14).contains(&n) => "года",
                        _ => "лет",
                    }
                ),
                &rule.clause,
            );
        }
        for rule in &self.indicators {
            let line = match &rule.not_computable {
                Some(reason) => format!(
                    "{} [{}] — не вычисляется по журналу: {reason}",
                    rule.title, rule.code
                ),
                None => format!("{} [{}]", rule.title, rule.code),
            };
            push("показатели", line, &rule.clause);
        }
        if let Some(rule) = &self.programmes {
            push(
                "методическая работа",
                "индивидуальные программы профессионального развития педагогов записывает администрация их организации (руководитель или заместитель)".into(),
                &rule.clause,
            );
            push(
                "методическая работа",
                format!(
                    "реализацию индивидуальных программ координирует: {}",
                    rule.coordinated_by.in_russian()
                ),
                &rule.coordination_clause,
            );
        }
        if let Some(rule) = &self.monitoring {
            push(
                "методическая работа",
                format!(
                    "мониторинг эффективности методической работы — по дорожной карте муниципальной системы оценки качества образования; проводит: {}; сроки и показатели положением не установлены",
                    join(rule.carried_out_by.iter().map(|b| b.in_russian()))
                ),
                &rule.clause,
            );
        }
        if self.indicators.is_empty() {
            push(
                "показатели",
                "показатели эффективности, которые записываются по членам объединения, положением не установлены".into(),
                &self.indicators_clause(),
            );
        }
    }
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}
