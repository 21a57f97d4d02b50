//! `decide`: a command, the states it reads and the profile in force → the events to append,
//! or the rule it breaks. Pure: no clock, no store, no randomness. This module checks the
//! effective date and hands the command to the deciders of its area; the rules themselves are
//! in the area's folder (`registry/decide.rs`, `roles/decide.rs`, …).

use crate::commands::Command;
use crate::decider::{Decider, Ruling};
use crate::error::DomainError;
use crate::events::Event;
use crate::{
    associations, development, documents, meetings, membership, methodical_work, orders, registry,
    roles,
};

pub use crate::decider::{
    acted_as_in_russian, ActedAs, Acting, BasisKindRef, BasisRef, Context, SealedPersonalFields,
    PERSON_BACKDATING_DAYS,
};

/// The outcome of a command: the events, the role the actor acted in, and the legal basis.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub events: Vec<Event>,
    /// The role the actor acted in; the envelope carries it as text (`head`, `operator`,
    /// `official:department:chief`, …).
    pub acted_as: ActedAs,
    pub basis: Option<BasisRef>,
}

/// Decides `command` in `ctx`.
pub fn decide(command: &Command, ctx: &Context) -> Result<Decision, DomainError> {
    check_effective_date(ctx)?;
    let mut d = Decider { ctx, basis: None };
    let Ruling { events, acted_as } = run(&mut d, command)?;
    Ok(Decision {
        events,
        acted_as,
        basis: d.basis,
    })
}

/// Nothing takes effect after the day it is recorded, nor outside the years the calendar
/// knows; a person dates their own actions at most a month back.
fn check_effective_date(ctx: &Context) -> Result<(), DomainError> {
    let effective = ctx.effective;
    if !(1990..=2200).contains(&chrono::Datelike::year(&effective)) {
        return Err(DomainError::EffectiveOutOfRange { effective });
    }
    if effective > ctx.today {
        return Err(DomainError::EffectiveInFuture {
            effective,
            today: ctx.today,
        });
    }
    if let Acting::Person(_) = ctx.acting {
        let earliest = ctx
            .today
            .checked_sub_days(chrono::Days::new(PERSON_BACKDATING_DAYS))
            .unwrap_or(ctx.today);
        if effective < earliest {
            return Err(DomainError::BackdatedTooFar {
                effective,
                earliest,
            });
        }
    }
    Ok(())
}

/// Hands the command to the deciders of the area it belongs to. The match names every command,
/// so a new one does not compile until it has its area.
fn run(d: &mut Decider, command: &Command) -> Result<Ruling, DomainError> {
    match command {
        Command::RegisterMunicipality(_)
        | Command::AddDistrict(_)
        | Command::RegisterOrganization(_)
        | Command::EstablishBody(_)
        | Command::AssignOfficial(_)
        | Command::RelieveOfficial(_)
        | Command::RegisterPerson(_)
        | Command::ChangeCategory(_)
        | Command::TransferPerson(_)
        | Command::DismissPerson(_) => registry::decide::decide(d, command),
        Command::IssueOrder(_) => orders::decide::decide(d, command),
        Command::CreateAssociation(_)
        | Command::ReorganizeAssociation(_)
        | Command::LiquidateAssociation(_)
        | Command::LinkDistrictAssociation(_) => associations::decide::decide(d, command),
        Command::ApproveAssociationList(list) => d.approve_association_list(list),
        Command::AdmitMember(_)
        | Command::RemoveMember(_)
        | Command::UpdateMemberDatabase(_)
        | Command::SubmitMembershipApplication(_)
        | Command::ApproveMembershipApplication(_)
        | Command::RejectMembershipApplication(_)
        | Command::ReturnMembershipApplication(_) => membership::decide::decide(d, command),
        Command::AppointHead(_)
        | Command::AppointCurator(_)
        | Command::ElectHead(_)
        | Command::ElectSecretary(_)
        | Command::DesignateDeputy(_) => roles::decide::decide(d, command),
        Command::OpenDocument(_)
        | Command::SubmitDocumentVersion(_)
        | Command::ApproveStep(_)
        | Command::ReturnDocument(_)
        | Command::RejectDocument(_)
        | Command::FinalizeDocument(_)
        | Command::PublishDocument(_)
        | Command::RecordDeadlineMissed(_) => documents::decide::decide(d, command),
        Command::ScheduleMeeting(_)
        | Command::HoldMeeting(_)
        | Command::DraftProtocol(_)
        | Command::SignProtocol(_)
        | Command::CorrectProtocol(_) => meetings::decide::decide(d, command),
        Command::RecordDevelopment(_) => development::decide::decide(d, command),
        Command::RecordIndividualProgramme(_)
        | Command::CoordinateIndividualProgramme(_)
        | Command::RecordEffectivenessMonitoring(_) => methodical_work::decide::decide(d, command),
    }
}
