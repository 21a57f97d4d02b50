//! The envelope every stored event carries (DESIGN.md §2), and the values an append takes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreError;

/// A SHA-256 digest of the hash chain.
pub type Hash = [u8; 32];

/// The `prev_hash` of the first event in the log.
pub const GENESIS_HASH: Hash = [0u8; 32];

/// The name of one stream, e.g. `association-3f2a…`. Non-empty, at most 200 characters,
/// letters, digits and `-_.:` only, so that it is safe in URLs, file names and logs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(String);

impl StreamId {
    pub fn parse(name: impl Into<String>) -> Result<Self, StoreError> {
        let name = name.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':');
        if name.is_empty() || name.len() > 200 || !name.chars().all(allowed) {
            return Err(StoreError::InvalidStreamName { name });
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StreamId {
    type Error = StoreError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<StreamId> for String {
    fn from(value: StreamId) -> Self {
        value.0
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who did it: a person or account id and the role in which they acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub role: String,
}

impl Actor {
    pub fn new(id: impl Into<String>, role: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            role: role.into(),
        }
    }
}

/// Which kind of document an event rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BasisKind {
    /// An order (приказ / распоряжение) with a number, a date and an issuer.
    Order,
    /// The protocol of the meeting that voted.
    Protocol,
}

impl BasisKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BasisKind::Order => "order",
            BasisKind::Protocol => "protocol",
        }
    }
}

/// The legal basis of an event: the order or protocol it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LegalBasis {
    pub kind: BasisKind,
    /// The order's number or the protocol's number.
    pub number: String,
    pub date: NaiveDate,
    /// Who issued the order, or which body's meeting voted.
    pub issuer: String,
}

/// One event handed to `append`. The store adds position, version, time, command id and hashes.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Stable wire name, never renamed once shipped.
    pub event_type: String,
    /// Schema version of the payload, from 1.
    pub schema: u32,
    pub payload: serde_json::Value,
    /// Valid time: the date it took effect.
    pub effective: NaiveDate,
    pub actor: Actor,
    pub basis: Option<LegalBasis>,
    /// The chain of work this event belongs to; defaults to the command id when absent.
    pub correlation_id: Option<Uuid>,
    /// The event or command that caused this one.
    pub causation_id: Option<Uuid>,
}

impl NewEvent {
    /// An event with schema 1, no basis and no correlation; set the rest with the builder methods.
    pub fn new(
        event_type: impl Into<String>,
        payload: serde_json::Value,
        effective: NaiveDate,
        actor: Actor,
    ) -> Self {
        Self {
            event_type: event_type.into(),
            schema: 1,
            payload,
            effective,
            actor,
            basis: None,
            correlation_id: None,
            causation_id: None,
        }
    }

    pub fn with_basis(mut self, basis: LegalBasis) -> Self {
        self.basis = Some(basis);
        self
    }

    pub fn with_schema(mut self, schema: u32) -> Self {
        self.schema = schema;
        self
    }

    pub fn caused_by(mut self, correlation_id: Uuid, causation_id: Uuid) -> Self {
        self.correlation_id = Some(correlation_id);
        self.causation_id = Some(causation_id);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), StoreError> {
        let name_ok = !self.event_type.is_empty()
            && self.event_type.len() <= 100
            && self
                .event_type
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !name_ok {
            return Err(StoreError::InvalidEvent {
                reason: format!("недопустимое имя типа события «{}»", self.event_type),
            });
        }
        if self.schema == 0 {
            return Err(StoreError::InvalidEvent {
                reason: format!(
                    "версия схемы события {} должна быть не меньше 1",
                    self.event_type
                ),
            });
        }
        if self.actor.id.is_empty() || self.actor.role.is_empty() {
            return Err(StoreError::InvalidEvent {
                reason: format!("у события {} не указан автор или его роль", self.event_type),
            });
        }
        Ok(())
    }
}

/// The identity of one command: appending twice with the same id stores the events once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommandId(pub Uuid);

impl CommandId {
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }

    /// A command id derived from a name, e.g. the id of the event a reaction answers,
    /// so that a repeated reaction is a no-op.
    pub fn derived(namespace: &str, name: &str) -> Self {
        let ns = Uuid::new_v5(&Uuid::NAMESPACE_OID, namespace.as_bytes());
        Self(Uuid::new_v5(&ns, name.as_bytes()))
    }
}

impl std::fmt::Display for CommandId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// An event as stored, with the whole envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub position: u64,
    pub stream: StreamId,
    pub version: u64,
    pub event_type: String,
    pub schema: u32,
    /// The payload exactly as stored (canonical JSON text); the hash covers these bytes.
    pub payload: String,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
    pub actor: Actor,
    pub basis: Option<LegalBasis>,
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    #[serde(with = "hex_hash")]
    pub prev_hash: Hash,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
}

impl RecordedEvent {
    /// The payload as a JSON value.
    pub fn payload_value(&self) -> Result<serde_json::Value, StoreError> {
        serde_json::from_str(&self.payload).map_err(|e| StoreError::CorruptRow {
            position: self.position,
            reason: format!("полезная нагрузка не является JSON: {e}"),
        })
    }

    /// A stable id of this event, for causation links and derived command ids.
    pub fn event_id(&self) -> String {
        format!("{}@{}", self.stream, self.version)
    }
}

/// What a read model needs of a stored event: its place in the log, what it says, when it
/// was recorded and when it took effect. Read without the rest of the envelope
/// (`EventStore::read_contents`): a rebuild reads six columns instead of sixteen and parses
/// each payload once, in its own decoder, which names the position of a payload it cannot
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventContent {
    pub position: u64,
    pub event_type: String,
    pub schema: u32,
    /// The payload exactly as stored; not checked on reading.
    pub payload: String,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
}

impl RecordedEvent {
    /// The part of this event a read model needs.
    pub fn content(&self) -> EventContent {
        EventContent {
            position: self.position,
            event_type: self.event_type.clone(),
            schema: self.schema,
            payload: self.payload.clone(),
            recorded_at: self.recorded_at,
            effective: self.effective,
        }
    }
}

/// Where the log ends: the last position and its hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogHead {
    pub position: u64,
    pub hash: Hash,
    pub recorded_at: DateTime<Utc>,
}

/// What an append wrote (or, for a repeated command id, what the first append wrote).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendResult {
    pub stream: StreamId,
    pub first_position: u64,
    pub last_position: u64,
    /// The stream's version after the append.
    pub next_version: u64,
    /// True when the command id had been appended before and nothing new was written.
    pub deduplicated: bool,
}

impl AppendResult {
    pub fn positions(&self) -> std::ops::RangeInclusive<u64> {
        self.first_position..=self.last_position
    }
}

pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(hash: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(hash))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(&text).map_err(serde::de::Error::custom)?;
        bytes
            .try_into()
            .map_err(|_| serde::de::Error::custom("a hash is 32 bytes"))
    }
}
