//! Every event of the domain, and its wire format: a stable type name (never renamed once
//! shipped; snapshot tests freeze the JSON) and a JSON payload. Names are past-tense facts.
//! Each event is defined in the folder of the area it belongs to; `Event` gathers them all,
//! and this module also re-exports each of them under its old path (`domain::events::X`).

use chrono::NaiveDate;

use crate::error::DomainError;
use crate::ids::Ref;

pub use crate::associations::events::*;
pub use crate::development::events::*;
pub use crate::documents::events::*;
pub use crate::meetings::events::*;
pub use crate::membership::events::*;
pub use crate::methodical_work::events::*;
pub use crate::orders::events::*;
pub use crate::registry::events::*;
pub use crate::roles::events::*;

/// The schema every event type was first written at; a type whose payload changed since is
/// at a higher one (see [`Event::schema_of`]) and its older payloads are upcast on decode.
pub const FIRST_SCHEMA: u32 = 1;

macro_rules! domain_events {
    ($($name:ident),* $(,)?) => {
        /// Every domain event.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Event {
            $($name($name),)*
        }

        impl Event {
            /// The stable wire name.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Event::$name(_) => stringify!($name),)*
                }
            }

            /// The JSON payload.
            pub fn payload(&self) -> serde_json::Value {
                let result = match self {
                    $(Event::$name(e) => serde_json::to_value(e),)*
                };
                // Serializing these plain structs into a JSON value cannot fail.
                result.unwrap_or(serde_json::Value::Null)
            }

            /// Decodes an event from its wire name, schema and stored payload (JSON text,
            /// read once straight into the event's type).
            pub fn decode(
                event_type: &str,
                schema: u32,
                payload: &str,
            ) -> Result<Self, DomainError> {
                let malformed = |e: serde_json::Error| DomainError::MalformedEvent {
                    event_type: event_type.to_string(),
                    reason: e.to_string(),
                };
                let current = Event::schema_of(event_type);
                if schema < current && schema >= FIRST_SCHEMA {
                    return Event::upcast(event_type, schema, payload)
                        .map_err(malformed)?
                        .ok_or_else(|| DomainError::MalformedEvent {
                            event_type: event_type.to_string(),
                            reason: format!("неизвестная версия схемы {schema}"),
                        });
                }
                if schema != current {
                    return Err(DomainError::MalformedEvent {
                        event_type: event_type.to_string(),
                        reason: format!("неизвестная версия схемы {schema}"),
                    });
                }
                match event_type {
                    $(stringify!($name) => serde_json::from_str::<$name>(payload).map(Event::$name).map_err(malformed),)*
                    other => Err(DomainError::UnknownEventType { event_type: other.to_string() }),
                }
            }

            /// Every wire name, for documentation and snapshot tests.
            pub const TYPES: &'static [&'static str] = &[$(stringify!($name),)*];
        }

        $(impl From<$name> for Event {
            fn from(e: $name) -> Self {
                Event::$name(e)
            }
        })*
    };
}

domain_events!(
    MunicipalityRegistered,
    DistrictAdded,
    OrganizationRegistered,
    BodyEstablished,
    OfficialAssigned,
    OfficialRelieved,
    PersonRegistered,
    CategoryChanged,
    PersonTransferred,
    PersonDismissed,
    OrderIssued,
    AssociationCreated,
    AssociationReorganized,
    AssociationLiquidated,
    DistrictAssociationLinked,
    AssociationListApproved,
    MemberAdmitted,
    MemberLeft,
    HeadAppointed,
    HeadElected,
    CuratorAppointed,
    SecretaryElected,
    MemberDatabaseUpdated,
    DevelopmentRecorded,
    MembershipApplicationSubmitted,
    MembershipApplicationApproved,
    MembershipApplicationRejected,
    MembershipApplicationReturned,
    DocumentOpened,
    DocumentVersionSubmitted,
    ApprovalChainAssigned,
    StepApproved,
    DocumentReturned,
    DocumentRejected,
    DocumentApproved,
    DocumentPublished,
    DeadlineMissed,
    DeputyDesignated,
    MeetingScheduled,
    MeetingHeld,
    ProtocolDrafted,
    ProtocolSigned,
    ProtocolCorrected,
    IndividualProgrammeRecorded,
    IndividualProgrammeCoordinated,
    EffectivenessMonitoringRecorded,
);

impl Event {
    /// The schema an event of this type is written at today.
    pub fn schema_of(event_type: &str) -> u32 {
        match event_type {
            // Schema 2: a deadline carries its source, a chain its local review period.
            "ApprovalChainAssigned" | "DeadlineMissed" => 2,
            _ => FIRST_SCHEMA,
        }
    }

    /// The schema this event is written at.
    pub fn schema(&self) -> u32 {
        Event::schema_of(self.event_type())
    }

    /// An event stored at an older schema, read as today's; `None` when the type never had
    /// that schema.
    fn upcast(
        event_type: &str,
        schema: u32,
        payload: &str,
    ) -> Result<Option<Event>, serde_json::Error> {
        use crate::documents::former::{ApprovalChainAssignedV1, DeadlineMissedV1};
        Ok(match (event_type, schema) {
            ("ApprovalChainAssigned", 1) => Some(Event::ApprovalChainAssigned(
                serde_json::from_str::<ApprovalChainAssignedV1>(payload)?.into(),
            )),
            ("DeadlineMissed", 1) => Some(Event::DeadlineMissed(
                serde_json::from_str::<DeadlineMissedV1>(payload)?.into(),
            )),
            _ => None,
        })
    }

    /// The aggregate (and so the stream) the event belongs to.
    pub fn home(&self) -> Ref {
        use Event::*;
        match self {
            MunicipalityRegistered(e) => Ref::Municipality(e.municipality),
            DistrictAdded(e) => Ref::Municipality(e.municipality),
            OrganizationRegistered(e) => Ref::Municipality(e.municipality),
            BodyEstablished(e) => Ref::Municipality(e.municipality),
            OfficialAssigned(e) => Ref::Municipality(e.municipality),
            OfficialRelieved(e) => Ref::Municipality(e.municipality),
            PersonRegistered(e) => Ref::Person(e.person),
            CategoryChanged(e) => Ref::Person(e.person),
            PersonTransferred(e) => Ref::Person(e.person),
            PersonDismissed(e) => Ref::Person(e.person),
            OrderIssued(e) => Ref::Order(e.order),
            AssociationCreated(e) => Ref::Association(e.association),
            AssociationReorganized(e) => Ref::Association(e.association),
            AssociationLiquidated(e) => Ref::Association(e.association),
            DistrictAssociationLinked(e) => Ref::Association(e.district_association),
            AssociationListApproved(e) => Ref::Municipality(e.municipality),
            MemberAdmitted(e) => Ref::Association(e.association),
            MemberLeft(e) => Ref::Association(e.association),
            HeadAppointed(e) => Ref::Association(e.association),
            HeadElected(e) => Ref::Association(e.association),
            CuratorAppointed(e) => Ref::Association(e.association),
            SecretaryElected(e) => Ref::Association(e.association),
            MemberDatabaseUpdated(e) => Ref::Association(e.association),
            DevelopmentRecorded(e) => Ref::Association(e.association),
            MembershipApplicationSubmitted(e) => Ref::Application(e.application),
            MembershipApplicationApproved(e) => Ref::Application(e.application),
            MembershipApplicationRejected(e) => Ref::Application(e.application),
            MembershipApplicationReturned(e) => Ref::Application(e.application),
            DocumentOpened(e) => Ref::Document(e.document),
            DocumentVersionSubmitted(e) => Ref::Document(e.document),
            MeetingScheduled(e) => Ref::Meeting(e.meeting),
            MeetingHeld(e) => Ref::Meeting(e.meeting),
            ProtocolDrafted(e) => Ref::Meeting(e.meeting),
            ProtocolSigned(e) => Ref::Meeting(e.meeting),
            ProtocolCorrected(e) => Ref::Meeting(e.meeting),
            ApprovalChainAssigned(e) => Ref::Document(e.document),
            StepApproved(e) => Ref::Document(e.document),
            DocumentReturned(e) => Ref::Document(e.document),
            DocumentRejected(e) => Ref::Document(e.document),
            DocumentApproved(e) => Ref::Document(e.document),
            DocumentPublished(e) => Ref::Document(e.document),
            DeadlineMissed(e) => match e.document {
                Some(document) => Ref::Document(document),
                None => Ref::Association(e.association),
            },
            DeputyDesignated(e) => Ref::Association(e.association),
            IndividualProgrammeRecorded(e) => Ref::Person(e.person),
            IndividualProgrammeCoordinated(e) => Ref::Person(e.person),
            EffectivenessMonitoringRecorded(e) => Ref::Municipality(e.municipality),
        }
    }
}

/// An event as the domain receives it back from the log: the fact plus the envelope fields
/// the rules need (the date it took effect).
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub event: Event,
    pub effective: NaiveDate,
}
