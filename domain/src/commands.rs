//! Commands: what someone asks the system to record, imperative (`AppointHead`). They enter
//! as typed values or as JSON (`{"command": "appoint_head", ...}`); `docs/commands.md`
//! documents every form. A command names the stream it writes (its target) and the other
//! aggregates its rules read.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::SchoolYear;
use crate::events::{
    AdmissionBasis, CouncilReview, DeadlineKind, Member, NetworkEventDetails, Nomination,
    QuestionDecision, Vote,
};
use crate::ids::{
    ApplicationId, AssociationId, BodyId, DistrictId, DocumentId, MeetingId, MunicipalityId,
    OrderId, OrganizationId, PersonId, Ref,
};
use crate::profile::ApplicationForm;
use crate::values::{
    AssociationKind, AssociationRole, BodyKind, Category, ContentHash, DevelopmentMilestone,
    DocumentType, GroupMembership, Level, Office, OrderKind, OrganizationKind, PositionKind,
    Subject,
};

/// Every command of the domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    // registry
    RegisterMunicipality {
        municipality: MunicipalityId,
        title: String,
        profile: String,
    },
    AddDistrict {
        municipality: MunicipalityId,
        district: DistrictId,
        title: String,
    },
    RegisterOrganization {
        municipality: MunicipalityId,
        organization: OrganizationId,
        title: String,
        kind: OrganizationKind,
        #[serde(default)]
        district: Option<DistrictId>,
    },
    EstablishBody {
        municipality: MunicipalityId,
        body: BodyId,
        kind: BodyKind,
        title: String,
        #[serde(default)]
        district: Option<DistrictId>,
        #[serde(default)]
        organization: Option<OrganizationId>,
    },
    AssignOfficial {
        municipality: MunicipalityId,
        body: BodyId,
        person: PersonId,
        office: Office,
    },
    RelieveOfficial {
        municipality: MunicipalityId,
        body: BodyId,
        person: PersonId,
    },
    // persons
    RegisterPerson {
        person: PersonId,
        municipality: MunicipalityId,
        organization: OrganizationId,
        position_kind: PositionKind,
        /// Clear text in the command; sealed by the vault before anything is written.
        full_name: String,
        birth_date: NaiveDate,
        position_title: String,
        category: Category,
        specialty_since: NaiveDate,
        #[serde(default)]
        subjects: Vec<Subject>,
    },
    ChangeCategory {
        person: PersonId,
        category: Category,
    },
    TransferPerson {
        person: PersonId,
        organization: OrganizationId,
        position_kind: PositionKind,
        position_title: String,
    },
    // orders
    IssueOrder {
        order: OrderId,
        municipality: MunicipalityId,
        issuer: BodyId,
        kind: OrderKind,
        number: String,
        date: NaiveDate,
        title: String,
        #[serde(default)]
        decides: Vec<String>,
        #[serde(default)]
        signed_by: Option<PersonId>,
    },
    // associations
    CreateAssociation {
        association: AssociationId,
        title: String,
        subject: Subject,
        level: Level,
        kind: AssociationKind,
        #[serde(default)]
        group_membership: Option<GroupMembership>,
        #[serde(default)]
        district: Option<DistrictId>,
        #[serde(default)]
        organization: Option<OrganizationId>,
        order: OrderId,
        /// The council's review before the order, where the profile asks for one (000 §1.4).
        #[serde(default)]
        review: Option<CouncilReview>,
        /// The municipal institution that curates it (003 §I.4).
        #[serde(default)]
        curating_organization: Option<OrganizationId>,
    },
    ReorganizeAssociation {
        association: AssociationId,
        #[serde(default)]
        title: Option<String>,
        #[serde(default)]
        subject: Option<Subject>,
        #[serde(default)]
        kind: Option<AssociationKind>,
        order: OrderId,
    },
    LiquidateAssociation {
        association: AssociationId,
        order: OrderId,
    },
    LinkDistrictAssociation {
        city_association: AssociationId,
        district_association: AssociationId,
    },
    AdmitMember {
        association: AssociationId,
        member: Member,
        basis: AdmissionBasis,
        /// For a city association made of district heads (000 §4.1; 003 §7.1): the district
        /// association the admitted person heads.
        #[serde(default)]
        district_association: Option<AssociationId>,
    },
    RemoveMember {
        association: AssociationId,
        member: Member,
        reason: String,
    },
    AppointHead {
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        order: OrderId,
        #[serde(default)]
        review: Option<CouncilReview>,
    },
    ElectHead {
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        vote: Vote,
    },
    AppointCurator {
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        order: OrderId,
    },
    ElectSecretary {
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        vote: Vote,
    },
    UpdateMemberDatabase {
        association: AssociationId,
        school_year: SchoolYear,
    },
    /// A member's step of professional growth, for the indicators (001 §4.1.2–4.1.3).
    RecordDevelopment {
        association: AssociationId,
        person: PersonId,
        school_year: SchoolYear,
        milestone: DevelopmentMilestone,
    },
    // membership applications
    SubmitMembershipApplication {
        application: ApplicationId,
        association: AssociationId,
        form: ApplicationForm,
        applicant: Member,
        theme: String,
        school_year: SchoolYear,
        period_from: NaiveDate,
        period_to: NaiveDate,
    },
    ApproveMembershipApplication {
        application: ApplicationId,
    },
    RejectMembershipApplication {
        application: ApplicationId,
        reason: String,
    },
    /// Back to the applicant for rework, with a comment; a resubmission (the same
    /// application id) comes back to the receiver.
    ReturnMembershipApplication {
        application: ApplicationId,
        comment: String,
    },
    // documents
    OpenDocument {
        document: DocumentId,
        association: AssociationId,
        document_type: DocumentType,
        school_year: SchoolYear,
        title: String,
        /// For a nomination (document_type `nomination`): the candidate and the role.
        #[serde(default)]
        nomination: Option<Nomination>,
    },
    SubmitDocumentVersion {
        document: DocumentId,
        content_hash: ContentHash,
        #[serde(default)]
        network_event: Option<NetworkEventDetails>,
        /// The approved document this version is developed on, where the profile's rule
        /// `requires` one (002 §5.8: the road map on the technical assignment).
        #[serde(default)]
        based_on: Option<DocumentId>,
    },
    // approval chains
    /// Approves step `step` (from 1) of the document's current version.
    ApproveStep {
        document: DocumentId,
        step: u32,
        #[serde(default)]
        comment: Option<String>,
        /// The meeting the decision was taken at, where the step is decided at one.
        #[serde(default)]
        meeting: Option<MeetingId>,
        /// The order that approves, where there is one.
        #[serde(default)]
        order: Option<OrderId>,
        /// The protocol number of the council or meeting that decided.
        #[serde(default)]
        protocol_number: Option<String>,
    },
    /// Returns the document to its author for rework; a comment is required.
    ReturnDocument {
        document: DocumentId,
        step: u32,
        comment: String,
    },
    /// Rejects the document; a reason is required.
    RejectDocument {
        document: DocumentId,
        step: u32,
        reason: String,
    },
    /// Records that every step approved the current version (a workflow reaction).
    FinalizeDocument {
        document: DocumentId,
    },
    /// Records a missed deadline (the workflow's timers).
    RecordDeadlineMissed {
        deadline: DeadlineKind,
        association: AssociationId,
        #[serde(default)]
        document: Option<DocumentId>,
        due: NaiveDate,
        #[serde(default)]
        version: Option<u32>,
        #[serde(default)]
        step: Option<u32>,
        /// For a document never opened: which document of the profile was due.
        #[serde(default)]
        document_type: Option<DocumentType>,
    },
    /// A deputy acts for the head or curator until a day, by order.
    DesignateDeputy {
        association: AssociationId,
        role: AssociationRole,
        deputy: PersonId,
        until: NaiveDate,
        order: OrderId,
    },
    // meetings
    ScheduleMeeting {
        meeting: MeetingId,
        association: AssociationId,
        date: NaiveDate,
        agenda: Vec<String>,
    },
    /// Records a meeting that took place on the command's effective date.
    HoldMeeting {
        meeting: MeetingId,
        association: AssociationId,
        attendance: Vec<PersonId>,
        questions: Vec<QuestionDecision>,
        #[serde(default)]
        recommendations: Vec<String>,
    },
    DraftProtocol {
        meeting: MeetingId,
        number: String,
        content_hash: ContentHash,
    },
    SignProtocol {
        meeting: MeetingId,
    },
    CorrectProtocol {
        meeting: MeetingId,
        content_hash: ContentHash,
        reason: String,
    },
}

impl Command {
    /// The snake_case name, as in JSON.
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| {
                v.get("command")
                    .and_then(|c| c.as_str())
                    .map(str::to_string)
            })
            .unwrap_or_default()
    }

    /// The aggregate this command writes to.
    pub fn target(&self) -> Ref {
        use Command::*;
        match self {
            RegisterMunicipality { municipality, .. }
            | AddDistrict { municipality, .. }
            | RegisterOrganization { municipality, .. }
            | EstablishBody { municipality, .. }
            | AssignOfficial { municipality, .. }
            | RelieveOfficial { municipality, .. } => Ref::Municipality(*municipality),
            RegisterPerson { person, .. }
            | ChangeCategory { person, .. }
            | TransferPerson { person, .. } => Ref::Person(*person),
            IssueOrder { order, .. } => Ref::Order(*order),
            CreateAssociation { association, .. }
            | ReorganizeAssociation { association, .. }
            | LiquidateAssociation { association, .. }
            | AdmitMember { association, .. }
            | RemoveMember { association, .. }
            | AppointHead { association, .. }
            | ElectHead { association, .. }
            | AppointCurator { association, .. }
            | ElectSecretary { association, .. }
            | UpdateMemberDatabase { association, .. }
            | RecordDevelopment { association, .. } => Ref::Association(*association),
            LinkDistrictAssociation {
                district_association,
                ..
            } => Ref::Association(*district_association),
            SubmitMembershipApplication { application, .. }
            | ApproveMembershipApplication { application }
            | RejectMembershipApplication { application, .. }
            | ReturnMembershipApplication { application, .. } => Ref::Application(*application),
            OpenDocument { document, .. }
            | SubmitDocumentVersion { document, .. }
            | ApproveStep { document, .. }
            | ReturnDocument { document, .. }
            | RejectDocument { document, .. }
            | FinalizeDocument { document } => Ref::Document(*document),
            RecordDeadlineMissed {
                document: Some(document),
                ..
            } => Ref::Document(*document),
            RecordDeadlineMissed { association, .. } | DesignateDeputy { association, .. } => {
                Ref::Association(*association)
            }
            ScheduleMeeting { meeting, .. }
            | HoldMeeting { meeting, .. }
            | DraftProtocol { meeting, .. }
            | SignProtocol { meeting }
            | CorrectProtocol { meeting, .. } => Ref::Meeting(*meeting),
        }
    }

    /// The ids named in the command itself that its rules read (besides the target).
    pub fn named_references(&self) -> Vec<Ref> {
        use Command::*;
        let mut refs = Vec::new();
        match self {
            RegisterMunicipality { .. } => {}
            AddDistrict { .. }
            | RegisterOrganization { .. }
            | EstablishBody { .. }
            | RelieveOfficial { .. } => {}
            AssignOfficial { person, .. } => refs.push(Ref::Person(*person)),
            RegisterPerson { municipality, .. } => refs.push(Ref::Municipality(*municipality)),
            ChangeCategory { .. } | TransferPerson { .. } => {}
            IssueOrder { municipality, .. } => refs.push(Ref::Municipality(*municipality)),
            CreateAssociation { order, .. }
            | ReorganizeAssociation { order, .. }
            | LiquidateAssociation { order, .. } => refs.push(Ref::Order(*order)),
            LinkDistrictAssociation {
                city_association, ..
            } => refs.push(Ref::Association(*city_association)),
            AdmitMember {
                member,
                basis,
                district_association,
                ..
            } => {
                if let Member::Person(p) = member {
                    refs.push(Ref::Person(*p));
                }
                if let Some(d) = district_association {
                    refs.push(Ref::Association(*d));
                }
                match basis {
                    AdmissionBasis::Application(a) => refs.push(Ref::Application(*a)),
                    AdmissionBasis::Order(o) => refs.push(Ref::Order(*o)),
                    AdmissionBasis::Meeting(m) => refs.push(Ref::Meeting(*m)),
                }
            }
            RemoveMember { .. } | UpdateMemberDatabase { .. } => {}
            RecordDevelopment { person, .. } => refs.push(Ref::Person(*person)),
            AppointHead { person, order, .. } | AppointCurator { person, order, .. } => {
                refs.push(Ref::Person(*person));
                refs.push(Ref::Order(*order));
            }
            ElectHead { person, vote, .. } | ElectSecretary { person, vote, .. } => {
                refs.push(Ref::Person(*person));
                refs.push(Ref::Meeting(vote.meeting));
            }
            SubmitMembershipApplication {
                association,
                applicant,
                ..
            } => {
                refs.push(Ref::Association(*association));
                if let Member::Person(p) = applicant {
                    refs.push(Ref::Person(*p));
                }
            }
            ApproveMembershipApplication { .. }
            | RejectMembershipApplication { .. }
            | ReturnMembershipApplication { .. } => {}
            OpenDocument {
                association,
                nomination,
                ..
            } => {
                refs.push(Ref::Association(*association));
                if let Some(n) = nomination {
                    refs.push(Ref::Person(n.person));
                }
            }
            ScheduleMeeting { association, .. } | HoldMeeting { association, .. } => {
                refs.push(Ref::Association(*association))
            }
            ApproveStep { meeting, order, .. } => {
                refs.extend(meeting.map(Ref::Meeting));
                refs.extend(order.map(Ref::Order));
            }
            RecordDeadlineMissed { association, .. } => refs.push(Ref::Association(*association)),
            DesignateDeputy { deputy, order, .. } => {
                refs.push(Ref::Person(*deputy));
                refs.push(Ref::Order(*order));
            }
            ReturnDocument { .. } | RejectDocument { .. } | FinalizeDocument { .. } => {}
            SubmitDocumentVersion { based_on, .. } => refs.extend(based_on.map(Ref::Document)),
            DraftProtocol { .. } | SignProtocol { .. } | CorrectProtocol { .. } => {}
        }
        refs
    }
}
