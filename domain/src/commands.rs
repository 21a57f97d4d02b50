//! Commands: what someone asks the system to record, imperative (`AppointHead`). They enter
//! as typed values or as JSON (`{"command": "appoint_head", ...}`); `docs/commands.md`
//! documents every form. A command names the stream it writes (its target) and the other
//! aggregates its rules read. Each command's fields are a struct defined in the folder of its
//! area; `Command` gathers them all, and this module re-exports each of them under the path
//! `domain::commands::X`.

use serde::{Deserialize, Serialize};

use crate::events::{AdmissionBasis, Member};
use crate::ids::Ref;

pub use crate::associations::commands::*;
pub use crate::development::commands::*;
pub use crate::documents::commands::*;
pub use crate::meetings::commands::*;
pub use crate::membership::commands::*;
pub use crate::methodical_work::commands::*;
pub use crate::orders::commands::*;
pub use crate::registry::commands::*;
pub use crate::roles::commands::*;

macro_rules! domain_commands {
    ($($name:ident),* $(,)?) => {
        /// Every command of the domain.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(tag = "command", rename_all = "snake_case")]
        pub enum Command {
            $($name($name),)*
        }
    };
}

domain_commands!(
    RegisterMunicipality,
    AddDistrict,
    RegisterOrganization,
    EstablishBody,
    AssignOfficial,
    RelieveOfficial,
    RegisterPerson,
    ChangeCategory,
    TransferPerson,
    DismissPerson,
    IssueOrder,
    CreateAssociation,
    ReorganizeAssociation,
    LiquidateAssociation,
    LinkDistrictAssociation,
    ApproveAssociationList,
    AdmitMember,
    RemoveMember,
    AppointHead,
    ElectHead,
    AppointCurator,
    ElectSecretary,
    UpdateMemberDatabase,
    RecordDevelopment,
    SubmitMembershipApplication,
    ApproveMembershipApplication,
    RejectMembershipApplication,
    ReturnMembershipApplication,
    OpenDocument,
    SubmitDocumentVersion,
    ApproveStep,
    ReturnDocument,
    RejectDocument,
    FinalizeDocument,
    PublishDocument,
    RecordDeadlineMissed,
    DesignateDeputy,
    ScheduleMeeting,
    HoldMeeting,
    DraftProtocol,
    SignProtocol,
    CorrectProtocol,
    RecordIndividualProgramme,
    CoordinateIndividualProgramme,
    RecordEffectivenessMonitoring,
);

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
        match self {
            Command::RegisterMunicipality(RegisterMunicipality { municipality, .. })
            | Command::AddDistrict(AddDistrict { municipality, .. })
            | Command::RegisterOrganization(RegisterOrganization { municipality, .. })
            | Command::EstablishBody(EstablishBody { municipality, .. })
            | Command::AssignOfficial(AssignOfficial { municipality, .. })
            | Command::RelieveOfficial(RelieveOfficial { municipality, .. })
            | Command::ApproveAssociationList(ApproveAssociationList { municipality, .. }) => {
                Ref::Municipality(*municipality)
            }
            Command::RegisterPerson(RegisterPerson { person, .. })
            | Command::ChangeCategory(ChangeCategory { person, .. })
            | Command::TransferPerson(TransferPerson { person, .. })
            | Command::DismissPerson(DismissPerson { person, .. })
            | Command::RecordIndividualProgramme(RecordIndividualProgramme { person, .. })
            | Command::CoordinateIndividualProgramme(CoordinateIndividualProgramme {
                person,
                ..
            }) => Ref::Person(*person),
            Command::RecordEffectivenessMonitoring(RecordEffectivenessMonitoring {
                municipality,
                ..
            }) => Ref::Municipality(*municipality),
            Command::IssueOrder(IssueOrder { order, .. }) => Ref::Order(*order),
            Command::CreateAssociation(CreateAssociation { association, .. })
            | Command::ReorganizeAssociation(ReorganizeAssociation { association, .. })
            | Command::LiquidateAssociation(LiquidateAssociation { association, .. })
            | Command::AdmitMember(AdmitMember { association, .. })
            | Command::RemoveMember(RemoveMember { association, .. })
            | Command::AppointHead(AppointHead { association, .. })
            | Command::ElectHead(ElectHead { association, .. })
            | Command::AppointCurator(AppointCurator { association, .. })
            | Command::ElectSecretary(ElectSecretary { association, .. })
            | Command::UpdateMemberDatabase(UpdateMemberDatabase { association, .. })
            | Command::RecordDevelopment(RecordDevelopment { association, .. }) => {
                Ref::Association(*association)
            }
            Command::LinkDistrictAssociation(LinkDistrictAssociation {
                district_association,
                ..
            }) => Ref::Association(*district_association),
            Command::SubmitMembershipApplication(SubmitMembershipApplication {
                application,
                ..
            })
            | Command::ApproveMembershipApplication(ApproveMembershipApplication {
                application,
                ..
            })
            | Command::RejectMembershipApplication(RejectMembershipApplication {
                application,
                ..
            })
            | Command::ReturnMembershipApplication(ReturnMembershipApplication {
                application,
                ..
            }) => Ref::Application(*application),
            Command::OpenDocument(OpenDocument { document, .. })
            | Command::SubmitDocumentVersion(SubmitDocumentVersion { document, .. })
            | Command::ApproveStep(ApproveStep { document, .. })
            | Command::ReturnDocument(ReturnDocument { document, .. })
            | Command::RejectDocument(RejectDocument { document, .. })
            | Command::FinalizeDocument(FinalizeDocument { document })
            | Command::PublishDocument(PublishDocument { document, .. }) => {
                Ref::Document(*document)
            }
            Command::RecordDeadlineMissed(RecordDeadlineMissed {
                document: Some(document),
                ..
            }) => Ref::Document(*document),
            Command::RecordDeadlineMissed(RecordDeadlineMissed { association, .. })
            | Command::DesignateDeputy(DesignateDeputy { association, .. }) => {
                Ref::Association(*association)
            }
            Command::ScheduleMeeting(ScheduleMeeting { meeting, .. })
            | Command::HoldMeeting(HoldMeeting { meeting, .. })
            | Command::DraftProtocol(DraftProtocol { meeting, .. })
            | Command::SignProtocol(SignProtocol { meeting })
            | Command::CorrectProtocol(CorrectProtocol { meeting, .. }) => Ref::Meeting(*meeting),
        }
    }

    /// The ids named in the command itself that its rules read (besides the target).
    pub fn named_references(&self) -> Vec<Ref> {
        let mut refs = Vec::new();
        match self {
            Command::RegisterMunicipality(_) => {}
            Command::AddDistrict(_)
            | Command::RegisterOrganization(_)
            | Command::EstablishBody(_)
            | Command::RelieveOfficial(_) => {}
            Command::AssignOfficial(AssignOfficial { person, .. }) => {
                refs.push(Ref::Person(*person))
            }
            Command::RegisterPerson(RegisterPerson { municipality, .. }) => {
                refs.push(Ref::Municipality(*municipality))
            }
            Command::ChangeCategory(_) | Command::TransferPerson(_) | Command::DismissPerson(_) => {
            }
            // The recorder's own position is read from their stream, the teacher's
            // municipality is implied.
            Command::RecordIndividualProgramme(_) | Command::CoordinateIndividualProgramme(_) => {}
            Command::RecordEffectivenessMonitoring(RecordEffectivenessMonitoring {
                road_map_order,
                ..
            }) => refs.push(Ref::Order(*road_map_order)),
            Command::IssueOrder(IssueOrder { municipality, .. }) => {
                refs.push(Ref::Municipality(*municipality))
            }
            Command::CreateAssociation(CreateAssociation { order, .. })
            | Command::ReorganizeAssociation(ReorganizeAssociation { order, .. })
            | Command::LiquidateAssociation(LiquidateAssociation { order, .. }) => {
                refs.push(Ref::Order(*order))
            }
            Command::LinkDistrictAssociation(LinkDistrictAssociation {
                city_association, ..
            }) => refs.push(Ref::Association(*city_association)),
            Command::ApproveAssociationList(ApproveAssociationList {
                order,
                associations,
                ..
            }) => {
                refs.push(Ref::Order(*order));
                refs.extend(associations.iter().map(|a| Ref::Association(*a)));
            }
            Command::AdmitMember(AdmitMember {
                member,
                basis,
                district_association,
                ..
            }) => {
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
            Command::RemoveMember(_) | Command::UpdateMemberDatabase(_) => {}
            Command::RecordDevelopment(RecordDevelopment { person, .. }) => {
                refs.push(Ref::Person(*person))
            }
            Command::AppointHead(AppointHead { person, order, .. })
            | Command::AppointCurator(AppointCurator { person, order, .. }) => {
                refs.push(Ref::Person(*person));
                refs.push(Ref::Order(*order));
            }
            Command::ElectHead(ElectHead { person, vote, .. })
            | Command::ElectSecretary(ElectSecretary { person, vote, .. }) => {
                refs.push(Ref::Person(*person));
                refs.push(Ref::Meeting(vote.meeting));
            }
            Command::SubmitMembershipApplication(SubmitMembershipApplication {
                association,
                applicant,
                ..
            }) => {
                refs.push(Ref::Association(*association));
                if let Member::Person(p) = applicant {
                    refs.push(Ref::Person(*p));
                }
            }
            Command::ApproveMembershipApplication(_)
            | Command::RejectMembershipApplication(_)
            | Command::ReturnMembershipApplication(_) => {}
            Command::OpenDocument(OpenDocument {
                association,
                nomination,
                ..
            }) => {
                refs.push(Ref::Association(*association));
                if let Some(n) = nomination {
                    refs.push(Ref::Person(n.person));
                }
            }
            Command::ScheduleMeeting(ScheduleMeeting { association, .. })
            | Command::HoldMeeting(HoldMeeting { association, .. }) => {
                refs.push(Ref::Association(*association))
            }
            Command::ApproveStep(ApproveStep { meeting, order, .. }) => {
                refs.extend(meeting.map(Ref::Meeting));
                refs.extend(order.map(Ref::Order));
            }
            Command::RecordDeadlineMissed(RecordDeadlineMissed { association, .. }) => {
                refs.push(Ref::Association(*association))
            }
            Command::DesignateDeputy(DesignateDeputy { deputy, order, .. }) => {
                refs.push(Ref::Person(*deputy));
                refs.push(Ref::Order(*order));
            }
            Command::ReturnDocument(_)
            | Command::RejectDocument(_)
            | Command::FinalizeDocument(_)
            | Command::PublishDocument(_) => {}
            Command::SubmitDocumentVersion(SubmitDocumentVersion { based_on, .. }) => {
                refs.extend(based_on.map(Ref::Document))
            }
            Command::DraftProtocol(_) | Command::SignProtocol(_) | Command::CorrectProtocol(_) => {}
        }
        refs
    }
}
