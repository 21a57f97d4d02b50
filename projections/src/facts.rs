//! What the read models know: one body per kind of fact, stored as JSON in the store's fact
//! table with its validity on both time axes. A kind's wire name is stable once shipped, as
//! an event's is; a change of shape needs a rebuild, which the runner does by itself when
//! `READ_MODELS` (the checkpoint's name, `runner.rs`) changes.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

use domain::calendar::SchoolYear;
use domain::events::{AdmissionBasis, AssignedStep, DeadlineMissed, Member};
use domain::ids::{
    AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId, OrganizationId,
    PersonId,
};
use domain::values::{
    AssociationKind, AssociationRole, BodyKind, Category, Clause, DevelopmentMilestone,
    DocumentType, Level, Office, OrganizationKind, PositionKind, Sealed, Subject,
};

/// A sealed personal field kept as the JSON text the event carried (the same text in the
/// stored body as a parsed value would write): every version of a person shares one copy
/// (a clone is a count), and a region's 470,000 current person versions no longer hold
/// two parsed JSON trees each in the projector's memory. Opened only through the vault.
#[derive(Debug, Clone)]
pub struct SealedText(Arc<RawValue>);

impl SealedText {
    /// The event's sealed value, as its JSON text.
    pub fn of(sealed: &Sealed) -> Result<Self, String> {
        serde_json::value::to_raw_value(&sealed.0)
            .map(|raw| SealedText(Arc::from(raw)))
            .map_err(|e| format!("зашифрованное поле не записать: {e}"))
    }

    /// The field for the vault to open; None where the text is not a sealed field.
    pub fn field<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_str(self.0.get()).ok()
    }
}

impl PartialEq for SealedText {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

impl Serialize for SealedText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for SealedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(|raw| SealedText(Arc::from(raw)))
    }
}

/// Whether a shared list is empty: what a body leaves out of its JSON.
fn none_listed<T>(list: &Arc<[T]>) -> bool {
    list.is_empty()
}

/// How many members (persons and organizations) an association has: the sum of its
/// memberships that hold, kept by the projector beside them over the same days and moments,
/// so a count per association on a date reads one row of each association rather than
/// every membership. Zero once every member has left.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberCountFact {
    pub association: AssociationId,
    pub members: u64,
}

/// The documentation one association keeps of one school year (000 §4.8, §10.6): its
/// documents other than nominations, and the protocols drafted at its meetings. Kept by the
/// projector beside the documents and meetings over the same days and moments, so the
/// keeping of documentation reads one row per association and year (about 12,000 in a
/// region) rather than every document and meeting ever kept (73,958 pieces). A year whose
/// every piece has gone keeps its row, with none listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptDocumentationFact {
    pub association: AssociationId,
    pub school_year: SchoolYear,
    /// In their order (`KeptPiece`'s); a piece listed twice is kept twice.
    pub pieces: Vec<KeptPiece>,
}

/// One piece of documentation an association keeps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeptPiece {
    /// A document, by its type and title. The title is shared by the copies of a year's row
    /// the projector holds, one per change of the year's pieces (a region's rebuild holds
    /// 73,949 current rows of kept documentation).
    Document {
        document_type: DocumentType,
        title: Arc<str>,
    },
    /// The protocol drafted at a meeting: its number (None: «б/н») and the meeting's day.
    Protocol {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<String>,
        #[serde(deserialize_with = "day_read_fast")]
        date: NaiveDate,
    },
}

impl KeptDocumentationFact {
    /// `count` more copies of `piece` (fewer, if negative; never fewer than none). A copy
    /// taken away is found wherever it lies: rows written under another order of the pieces
    /// (a kind of document added to the domain) still lose what they list.
    pub fn count(&mut self, piece: &KeptPiece, count: i64) {
        if count > 0 {
            let at = self.pieces.partition_point(|p| p < piece);
            let copies = std::iter::repeat_n(piece.clone(), count as usize);
            self.pieces.splice(at..at, copies);
        } else {
            for _ in 0..count.unsigned_abs() {
                match self.pieces.iter().position(|p| p == piece) {
                    Some(at) => {
                        self.pieces.remove(at);
                    }
                    None => break,
                }
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MunicipalityFact {
    pub municipality: MunicipalityId,
    pub title: String,
    pub profile: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DistrictFact {
    pub district: DistrictId,
    pub municipality: MunicipalityId,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationFact {
    pub organization: OrganizationId,
    pub municipality: MunicipalityId,
    pub title: String,
    pub kind: OrganizationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
}

/// A body that acts: the department, a district department, the methodical center, a council.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyFact {
    pub body: BodyId,
    pub kind: BodyKind,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
    /// The organization the body belongs to (a school's administration, the methodical
    /// center's institution): where a role's holder must work under 004 §7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationId>,
}

/// A person holding an office in a body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficialFact {
    pub body: BodyId,
    pub body_kind: BodyKind,
    pub person: PersonId,
    pub office: Office,
}

/// What the rules about a person read: where they work, as what, their category and since
/// when they work in the specialty. The name and the birth date stay sealed; only the vault
/// opens them (the birth date only inside the query that counts by age, 001 §4.1.3).
///
/// Each of the two things that change keeps the day it counts from, as the domain's
/// `PersonState` does: a change entered late applies from its day on only where no change
/// dated later already holds (a transfer of 12 May entered before a category of 8 May keeps
/// its organization when the category is entered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonFact {
    pub person: PersonId,
    pub organization: OrganizationId,
    pub position_kind: PositionKind,
    /// Since when the person works at `organization` as `position_kind`.
    pub position_since: NaiveDate,
    pub category: Category,
    /// Since when `category` counts: the day it was granted, or the day a category was
    /// removed (a removal has no grant date).
    pub category_since: NaiveDate,
    pub specialty_since: NaiveDate,
    pub full_name: SealedText,
    pub birth_date: SealedText,
    /// What the person teaches, as registered: shared, as the sealed fields are, by every
    /// version of the person.
    #[serde(default, skip_serializing_if = "none_listed")]
    pub subjects: Arc<[Subject]>,
    /// Dismissed (no longer working in the municipality's education system) since the
    /// segment's day, until a later transfer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dismissed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssociationFact {
    pub association: AssociationId,
    pub municipality: MunicipalityId,
    pub title: String,
    pub subject: Subject,
    pub level: Level,
    pub kind: AssociationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<OrganizationId>,
    /// For a district association: the city association of its subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_association: Option<AssociationId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipFact {
    pub association: AssociationId,
    pub member: Member,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYear>,
    pub basis: AdmissionBasis,
    /// The member's sealed full name as registered, as on [`RoleFact::holder_name`]: an
    /// association's page names its members without reading each member's person facts,
    /// which lie scattered over a region's log. Opened only through the vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_name: Option<SealedText>,
}

/// Who holds a role of an association (one fact per association and role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleFact {
    pub association: AssociationId,
    pub role: AssociationRole,
    pub person: PersonId,
    pub school_year: SchoolYear,
    /// The holder's sealed full name as registered (a name is never changed once
    /// registered): an answer that names every holder of a region opens them without
    /// reading each holder's person facts. Opened only through the vault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<SealedText>,
}

/// A deputy designated by order to act for a head or curator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeputyFact {
    pub association: AssociationId,
    pub role: AssociationRole,
    pub deputy: PersonId,
}

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "phase")]
pub enum DocumentPhase {
    /// Opened, nothing submitted yet.
    Draft,
    /// Waiting for step `step` (from 1).
    InReview {
        step: u32,
    },
    /// Returned for rework at `step`; waits for its author.
    Returned {
        step: u32,
    },
    /// Every step approved; the workflow records the approval next.
    StepsApproved,
    Approved,
    Rejected,
    /// Submitted where no approval is needed.
    Recorded,
}

impl DocumentPhase {
    pub fn in_russian(self) -> String {
        match self {
            DocumentPhase::Draft => "не подан".into(),
            DocumentPhase::InReview { step } => format!("на шаге {step}"),
            DocumentPhase::Returned { step } => format!("возвращён на доработку с шага {step}"),
            DocumentPhase::StepsApproved => "все шаги согласованы".into(),
            DocumentPhase::Approved => "утверждён".into(),
            DocumentPhase::Rejected => "отклонён".into(),
            DocumentPhase::Recorded => "принят без согласования".into(),
        }
    }

    /// Still on its way: waiting for a step or for its author.
    pub fn open(self) -> bool {
        matches!(
            self,
            DocumentPhase::Draft
                | DocumentPhase::InReview { .. }
                | DocumentPhase::Returned { .. }
                | DocumentPhase::StepsApproved
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentFact {
    pub document: DocumentId,
    pub association: AssociationId,
    pub document_type: DocumentType,
    pub school_year: SchoolYear,
    pub title: String,
    pub phase: DocumentPhase,
    /// The last version submitted (0: none yet).
    pub version: u32,
    /// Since when it is in this phase.
    pub since: NaiveDate,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<AssignedStep>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_clause: Option<Clause>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submit_by: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The municipality's review period for each step, where its profile set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_submitted: Option<NaiveDate>,
    /// Who submitted the last version: a returned document waits for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<PersonId>,
    /// The day the final version was published, where the profile has it published
    /// (001 §1.3). A new field: rows written before it read as not published, as no
    /// publication was recorded then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_on: Option<NaiveDate>,
    /// The numbers of meetings and network events the last version plans for its school
    /// year, where the profile has this document set them (002 §5.9: the road map). New
    /// fields: rows written before them come from versions that carried none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_meetings: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_network_events: Option<u32>,
}

/// Whom a document on its way waits on: a role of an association (its holder and the
/// deputies designated for it), the officials of a kind of body (of the step's offices), or
/// one person (the author a returned version goes back to, DOMAIN.md §3). Who holds the role
/// or the office is a question of the date, answered by the snapshot (`queries::holders`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WaitsOn {
    Role(AssociationId, AssociationRole),
    Body(BodyKind),
    Person(PersonId),
}

impl WaitsOn {
    /// The scope the open copy of a document waiting on this is kept under, so a person's
    /// inbox reads the documents waiting on their roles, offices and authorship alone.
    pub fn scope(self) -> String {
        match self {
            WaitsOn::Role(association, role) => format!("role:{association}:{}", wire(role)),
            WaitsOn::Body(kind) => format!("body:{}", wire(kind)),
            WaitsOn::Person(person) => format!("person:{person}"),
        }
    }
}

/// A value's name on the wire (its serde name).
fn wire<T: Serialize>(value: T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

impl DocumentFact {
    /// Whom it waits on: the current step's role; with no step, the author of a returned
    /// version, or else the head of its association (to submit).
    pub fn waits_on(&self) -> WaitsOn {
        use domain::profile::StepRole;
        match self.current_step() {
            Some((_, assigned)) => {
                let step = &assigned.step;
                let scope = assigned.association.unwrap_or(self.association);
                match step.role {
                    StepRole::AssociationHead | StepRole::CityHead => {
                        WaitsOn::Role(scope, AssociationRole::Head)
                    }
                    StepRole::Curator => WaitsOn::Role(scope, AssociationRole::Curator),
                    StepRole::Department => WaitsOn::Body(BodyKind::Department),
                    StepRole::MethodicalCenter => WaitsOn::Body(BodyKind::MethodicalCenter),
                    StepRole::Council => {
                        WaitsOn::Body(step.council.unwrap_or(BodyKind::CoordinationCouncil))
                    }
                }
            }
            None => match (self.phase, self.author) {
                (DocumentPhase::Returned { .. }, Some(author)) => WaitsOn::Person(author),
                _ => WaitsOn::Role(self.association, AssociationRole::Head),
            },
        }
    }

    /// The step waiting for a decision.
    pub fn current_step(&self) -> Option<(u32, &AssignedStep)> {
        match self.phase {
            DocumentPhase::InReview { step } => self
                .chain
                .get((step as usize).checked_sub(1)?)
                .map(|assigned| (step, assigned)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingPhase {
    Scheduled,
    Held,
    ProtocolDrafted,
    ProtocolSigned,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingFact {
    pub meeting: MeetingId,
    pub association: AssociationId,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_year: Option<SchoolYear>,
    pub phase: MeetingPhase,
    #[serde(default)]
    pub attendance: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_number: Option<String>,
    #[serde(default)]
    pub corrections: u32,
}

/// A day as a kept protocol reads it: `YYYY-MM-DD` read digit by digit, anything else as
/// chrono reads it. chrono's reading took 6M of the city retention answer's 123M
/// instructions (session 28, when that answer read every meeting's day).
fn day_read_fast<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    struct Day;
    impl serde::de::Visitor<'_> for Day {
        type Value = NaiveDate;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a date, YYYY-MM-DD")
        }

        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            let digits = |range: std::ops::Range<usize>| {
                text.as_bytes()[range].iter().try_fold(0u32, |n, b| {
                    b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
                })
            };
            // Bytes, not slices of the text: a slice inside a letter of two bytes would panic.
            let bytes = text.as_bytes();
            let plain = bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-';
            if plain {
                if let (Some(year), Some(month), Some(day)) =
                    (digits(0..4), digits(5..7), digits(8..10))
                {
                    if let Some(date) = NaiveDate::from_ymd_opt(year as i32, month, day) {
                        return Ok(date);
                    }
                }
            }
            text.parse().map_err(E::custom)
        }
    }
    deserializer.deserialize_str(Day)
}

impl MeetingFact {
    pub fn held(&self) -> bool {
        self.phase != MeetingPhase::Scheduled
    }
}

/// One update of an association's member database (000 §4.6, §10.4): a fact per update, so
/// that a second update in the year does not hide the first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberDatabaseFact {
    pub association: AssociationId,
    pub school_year: SchoolYear,
    pub member_count: u32,
    pub updated_on: NaiveDate,
}

/// A member's step of professional growth (001 §4.1.2–4.1.3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DevelopmentFact {
    pub association: AssociationId,
    pub person: PersonId,
    pub school_year: SchoolYear,
    pub milestone: DevelopmentMilestone,
}

/// A teacher's individual programme of a school year (004 §8–§9): recorded by the
/// administration of `organization`, coordinated by the methodical service from
/// `coordinated_on`. One fact per teacher and school year, kept under the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgrammeFact {
    pub person: PersonId,
    pub organization: OrganizationId,
    pub school_year: SchoolYear,
    pub title: String,
    pub recorded_on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinated_on: Option<NaiveDate>,
}

/// A monitoring of the effectiveness of methodical work (004 §10): a fact per record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoringFact {
    pub school_year: SchoolYear,
    pub recorded_on: NaiveDate,
    pub road_map_number: String,
    pub road_map_date: NaiveDate,
    pub findings: String,
}

/// One fact of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum FactBody {
    Municipality(MunicipalityFact),
    District(DistrictFact),
    Organization(OrganizationFact),
    Body(BodyFact),
    Official(OfficialFact),
    Person(Box<PersonFact>),
    /// Boxed, as the person and the document are: the largest body, held by a region's
    /// 1,220 facts, would otherwise set the size of every one of its million segments.
    Association(Box<AssociationFact>),
    Membership(MembershipFact),
    Role(RoleFact),
    Deputy(DeputyFact),
    Document(Box<DocumentFact>),
    Meeting(MeetingFact),
    MemberDatabase(MemberDatabaseFact),
    DeadlineMissed(Box<DeadlineMissed>),
    Development(DevelopmentFact),
    Programme(ProgrammeFact),
    Monitoring(MonitoringFact),
    /// The same document while it is on its way (draft, in review, returned): what the
    /// late and stuck question reads, without every document ever finished.
    OpenDocument(Box<DocumentFact>),
    MemberCount(MemberCountFact),
    KeptDocumentation(KeptDocumentationFact),
}

/// The stored names of the kinds.
pub mod kind {
    pub const MUNICIPALITY: &str = "municipality";
    pub const DISTRICT: &str = "district";
    pub const ORGANIZATION: &str = "organization";
    pub const BODY: &str = "body";
    pub const OFFICIAL: &str = "official";
    pub const PERSON: &str = "person";
    pub const ASSOCIATION: &str = "association";
    pub const MEMBERSHIP: &str = "membership";
    pub const ROLE: &str = "role";
    pub const DEPUTY: &str = "deputy";
    pub const DOCUMENT: &str = "document";
    pub const MEETING: &str = "meeting";
    pub const MEMBER_DATABASE: &str = "member_database";
    pub const DEADLINE_MISSED: &str = "deadline_missed";
    pub const DEVELOPMENT: &str = "development";
    pub const OPEN_DOCUMENT: &str = "open_document";
    pub const PROGRAMME: &str = "programme";
    pub const MONITORING: &str = "monitoring";
    pub const MEMBER_COUNT: &str = "member_count";
    pub const KEPT_DOCUMENTATION: &str = "kept_documentation";
}

impl FactBody {
    pub fn kind(&self) -> &'static str {
        match self {
            FactBody::Municipality(_) => kind::MUNICIPALITY,
            FactBody::District(_) => kind::DISTRICT,
            FactBody::Organization(_) => kind::ORGANIZATION,
            FactBody::Body(_) => kind::BODY,
            FactBody::Official(_) => kind::OFFICIAL,
            FactBody::Person(_) => kind::PERSON,
            FactBody::Association(_) => kind::ASSOCIATION,
            FactBody::Membership(_) => kind::MEMBERSHIP,
            FactBody::Role(_) => kind::ROLE,
            FactBody::Deputy(_) => kind::DEPUTY,
            FactBody::Document(_) => kind::DOCUMENT,
            FactBody::Meeting(_) => kind::MEETING,
            FactBody::MemberDatabase(_) => kind::MEMBER_DATABASE,
            FactBody::DeadlineMissed(_) => kind::DEADLINE_MISSED,
            FactBody::Development(_) => kind::DEVELOPMENT,
            FactBody::OpenDocument(_) => kind::OPEN_DOCUMENT,
            FactBody::Programme(_) => kind::PROGRAMME,
            FactBody::Monitoring(_) => kind::MONITORING,
            FactBody::MemberCount(_) => kind::MEMBER_COUNT,
            FactBody::KeptDocumentation(_) => kind::KEPT_DOCUMENTATION,
        }
    }

    /// The association a membership, role or deputy belongs to: what its liquidation ends.
    pub fn owning_association(&self) -> Option<AssociationId> {
        match self {
            FactBody::Membership(m) => Some(m.association),
            FactBody::Role(r) => Some(r.association),
            FactBody::Deputy(d) => Some(d.association),
            _ => None,
        }
    }

    /// The stored JSON.
    pub fn to_json(&self) -> String {
        let text = match self {
            FactBody::Municipality(f) => serde_json::to_string(f),
            FactBody::District(f) => serde_json::to_string(f),
            FactBody::Organization(f) => serde_json::to_string(f),
            FactBody::Body(f) => serde_json::to_string(f),
            FactBody::Official(f) => serde_json::to_string(f),
            FactBody::Person(f) => serde_json::to_string(f),
            FactBody::Association(f) => serde_json::to_string(f),
            FactBody::Membership(f) => serde_json::to_string(f),
            FactBody::Role(f) => serde_json::to_string(f),
            FactBody::Deputy(f) => serde_json::to_string(f),
            FactBody::Document(f) => serde_json::to_string(f),
            FactBody::Meeting(f) => serde_json::to_string(f),
            FactBody::MemberDatabase(f) => serde_json::to_string(f),
            FactBody::DeadlineMissed(f) => serde_json::to_string(f),
            FactBody::Development(f) => serde_json::to_string(f),
            FactBody::OpenDocument(f) => serde_json::to_string(f),
            FactBody::Programme(f) => serde_json::to_string(f),
            FactBody::Monitoring(f) => serde_json::to_string(f),
            FactBody::MemberCount(f) => serde_json::to_string(f),
            FactBody::KeptDocumentation(f) => serde_json::to_string(f),
        };
        // Plain structs of strings, numbers and dates always serialize.
        text.unwrap_or_default()
    }

    /// Reads a stored body back.
    pub fn parse(kind: &str, body: &str) -> Result<Self, String> {
        fn read<T: serde::de::DeserializeOwned>(body: &str) -> Result<T, String> {
            serde_json::from_str(body).map_err(|e| e.to_string())
        }
        Ok(match kind {
            kind::MUNICIPALITY => FactBody::Municipality(read(body)?),
            kind::DISTRICT => FactBody::District(read(body)?),
            kind::ORGANIZATION => FactBody::Organization(read(body)?),
            kind::BODY => FactBody::Body(read(body)?),
            kind::OFFICIAL => FactBody::Official(read(body)?),
            kind::PERSON => FactBody::Person(read(body)?),
            kind::ASSOCIATION => FactBody::Association(read(body)?),
            kind::MEMBERSHIP => FactBody::Membership(read(body)?),
            kind::ROLE => FactBody::Role(read(body)?),
            kind::DEPUTY => FactBody::Deputy(read(body)?),
            kind::DOCUMENT => FactBody::Document(read(body)?),
            kind::MEETING => FactBody::Meeting(read(body)?),
            kind::MEMBER_DATABASE => FactBody::MemberDatabase(read(body)?),
            kind::DEADLINE_MISSED => FactBody::DeadlineMissed(read(body)?),
            kind::DEVELOPMENT => FactBody::Development(read(body)?),
            kind::OPEN_DOCUMENT => FactBody::OpenDocument(read(body)?),
            kind::PROGRAMME => FactBody::Programme(read(body)?),
            kind::MONITORING => FactBody::Monitoring(read(body)?),
            kind::MEMBER_COUNT => FactBody::MemberCount(read(body)?),
            kind::KEPT_DOCUMENTATION => FactBody::KeptDocumentation(read(body)?),
            other => return Err(format!("неизвестный вид факта «{other}»")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORED_PERSON: &str = r#"{"person":"0430de63-69d4-5ffb-9589-6dfa5482f4a5","organization":"0f7df114-0068-52df-9d53-e2e62e7d553a","position_kind":"teacher","position_since":"2016-08-16","category":{"level":"first","granted":"2016-04-01"},"category_since":"2016-04-01","specialty_since":"1997-09-01","full_name":{"sealed":{"ciphertext":"MdSyQeqnFrNX8mfyAVtgzIiZM5nL5/6uwZ0zd9CTVL3x+dove8VD31FOKCdpVzvHwv6NRiV2H2u0lkIl4+0=","field":"full_name","nonce":"JOlvLiNpvKKtVEgBpa8UpnPAjR8AMaoo","person":"0430de63-69d4-5ffb-9589-6dfa5482f4a5"}},"birth_date":{"sealed":{"ciphertext":"8cXaNbKdDDUlBGykz3wq3mtFMmE8b1cTuqk=","field":"birth_date","nonce":"9ByWvmz1W3FjaBYeezIG5zwPNT0dmvtO","person":"0430de63-69d4-5ffb-9589-6dfa5482f4a5"}},"subjects":["математика"]}"#;

    #[test]
    fn a_stored_person_is_written_back_byte_for_byte_with_its_sealed_fields_as_text() {
        let body = FactBody::parse(kind::PERSON, STORED_PERSON).expect("a stored person");
        assert_eq!(body.to_json(), STORED_PERSON);
        let FactBody::Person(person) = body else {
            panic!("a person");
        };
        let field: serde_json::Value = person.full_name.field().expect("a sealed field");
        assert_eq!(field["sealed"]["field"], "full_name");
    }

    /// A kept protocol reads its day as chrono does: the same date where chrono reads one, a
    /// refusal where chrono refuses.
    #[test]
    fn a_kept_protocol_reads_its_day_as_chrono_does() {
        let outline_day = |text: &str| {
            let body = format!(r#"{{"protocol":{{"number":"1","date":"{text}"}}}}"#);
            match serde_json::from_str::<KeptPiece>(&body) {
                Ok(KeptPiece::Protocol { date, .. }) => Some(date),
                _ => None,
            }
        };
        for text in [
            "2018-09-25",
            "2024-02-29",
            "0001-01-01",
            "9999-12-31",
            "+12024-01-05",
            "2018-9-25",
            "2023-02-29",
            "2018-13-01",
            "2018-00-10",
            "2018-09-32",
            "2018-09-2a",
            "2018/09/25",
            "20180925xx",
            "201é-09-2",
            "2018-0é-2",
            "",
        ] {
            assert_eq!(
                outline_day(text),
                text.parse::<NaiveDate>().ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn an_events_sealed_value_is_kept_as_the_text_the_value_writes() {
        let value = serde_json::json!({"sealed": {"person": "p", "nonce": "n", "field": "birth_date", "ciphertext": "c"}});
        let kept = SealedText::of(&Sealed(value.clone())).expect("sealed text");
        assert_eq!(
            serde_json::to_string(&kept).expect("JSON"),
            serde_json::to_string(&value).expect("JSON")
        );
        assert_eq!(kept, SealedText::of(&Sealed(value)).expect("sealed text"));
    }
}
