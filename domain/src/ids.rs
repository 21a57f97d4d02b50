//! Identifiers: one newtype per kind of thing, so a person id can never be passed where an
//! association id is meant. On the wire they are plain UUID strings; each kind also names its
//! event stream (`association-<uuid>`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $stream_prefix:literal, $label:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// The prefix of this kind's event streams.
            pub const STREAM_PREFIX: &'static str = $stream_prefix;

            pub fn new_random() -> Self {
                Self(Uuid::new_v4())
            }

            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// A stable id derived from a name (for generated data and tests).
            pub fn derived(namespace: &str, name: &str) -> Self {
                let ns = Uuid::new_v5(&Uuid::NAMESPACE_URL, namespace.as_bytes());
                Self(Uuid::new_v5(&ns, name.as_bytes()))
            }

            pub fn parse(text: &str) -> Result<Self, DomainError> {
                Uuid::parse_str(text.trim())
                    .map(Self)
                    .map_err(|_| DomainError::InvalidId {
                        kind: $label,
                        value: text.to_string(),
                    })
            }

            pub fn uuid(&self) -> Uuid {
                self.0
            }

            /// The name of this thing's event stream.
            pub fn stream(&self) -> String {
                format!("{}-{}", $stream_prefix, self.0)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = DomainError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }
    };
}

id_type!(
    /// A municipality (городской округ): the scope of one regulation profile.
    MunicipalityId, "municipality", "муниципалитета"
);
id_type!(
    /// A district of a city (район, округ).
    DistrictId, "district", "района"
);
id_type!(
    /// An educational organization (ОО), or a municipal institution such as a methodical center.
    OrganizationId, "organization", "организации"
);
id_type!(
    /// A body that acts: the department, a district department, the methodical center, a council.
    BodyId, "body", "органа"
);
id_type!(
    /// A person: teacher, head, official.
    PersonId, "person", "лица"
);
id_type!(
    /// An order (приказ / распоряжение).
    OrderId, "order", "приказа"
);
id_type!(
    /// A methodical association or another professional association of teachers.
    AssociationId, "association", "объединения"
);
id_type!(
    /// A membership application (заявка на включение).
    ApplicationId, "application", "заявки"
);
id_type!(
    /// A document: plan, analysis, report, technical assignment.
    DocumentId, "document", "документа"
);
id_type!(
    /// A meeting (заседание) and its protocol.
    MeetingId, "meeting", "заседания"
);

/// A reference to one aggregate (and so to one stream).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ref {
    Municipality(MunicipalityId),
    Person(PersonId),
    Order(OrderId),
    Association(AssociationId),
    Application(ApplicationId),
    Document(DocumentId),
    Meeting(MeetingId),
}

impl Ref {
    pub fn stream(&self) -> String {
        match self {
            Ref::Municipality(id) => id.stream(),
            Ref::Person(id) => id.stream(),
            Ref::Order(id) => id.stream(),
            Ref::Association(id) => id.stream(),
            Ref::Application(id) => id.stream(),
            Ref::Document(id) => id.stream(),
            Ref::Meeting(id) => id.stream(),
        }
    }
}
