//! An event read back from its canonical bytes (the encoding of `docs/audit.md`, whose
//! SHA-256 is the event's hash): what a verifier prints of an event comes from the bytes it
//! hashed.

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The tag the canonical bytes start with.
const TAG: &[u8] = b"metod-event-v1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalBasis {
    pub kind: String,
    pub number: String,
    pub date: NaiveDate,
    pub issuer: String,
}

/// The fields of one event, as its hash covers them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CanonicalEvent {
    pub prev_hash: [u8; 32],
    pub position: u64,
    pub stream: String,
    pub version: u64,
    pub event_type: String,
    pub schema: u32,
    pub payload: String,
    pub recorded_at: DateTime<Utc>,
    pub effective: NaiveDate,
    pub actor_id: String,
    pub actor_role: String,
    pub basis: Option<CanonicalBasis>,
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    /// SHA-256 of the bytes it was read from.
    pub hash: [u8; 32],
}

/// Reads the fields in order; each failure names the field.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &str) -> Result<&'a [u8], String> {
        if self.rest.len() < n {
            return Err(format!("байты обрываются в поле {field}"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self, field: &str) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    fn u64(&mut self, field: &str) -> Result<u64, String> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    fn str(&mut self, field: &str) -> Result<String, String> {
        let len = usize::try_from(self.u64(field)?)
            .map_err(|_| format!("длина поля {field} слишком велика"))?;
        let bytes = self.take(len, field)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| format!("поле {field} не в UTF-8"))
    }

    fn date(&mut self, field: &str) -> Result<NaiveDate, String> {
        let days = i32::from_be_bytes(self.array(field)?);
        NaiveDate::from_num_days_from_ce_opt(days).ok_or_else(|| format!("поле {field}: не дата"))
    }

    fn flag(&mut self, field: &str) -> Result<bool, String> {
        match self.array::<1>(field)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(format!("поле {field}: признак {other}, а не 0 или 1")),
        }
    }

    fn uuid(&mut self, field: &str) -> Result<Uuid, String> {
        Ok(Uuid::from_bytes(self.array(field)?))
    }
}

impl CanonicalEvent {
    /// The event of `bytes`, or why they are not canonical bytes of an event.
    pub fn parse(bytes: &[u8]) -> Result<Self, String> {
        let mut r = Reader { rest: bytes };
        if r.take(TAG.len(), "tag")? != TAG {
            return Err("байты не начинаются с metod-event-v1".into());
        }
        let prev_hash = r.array("prev_hash")?;
        let position = r.u64("position")?;
        let stream = r.str("stream")?;
        let version = r.u64("version")?;
        let event_type = r.str("event_type")?;
        let schema = u32::from_be_bytes(r.array("schema")?);
        let payload = r.str("payload")?;
        let micros = i64::from_be_bytes(r.array("recorded_at")?);
        let recorded_at = DateTime::from_timestamp_micros(micros)
            .ok_or_else(|| "поле recorded_at: не момент времени".to_string())?;
        let effective = r.date("effective")?;
        let actor_id = r.str("actor_id")?;
        let actor_role = r.str("actor_role")?;
        let basis = if r.flag("basis")? {
            Some(CanonicalBasis {
                kind: r.str("basis.kind")?,
                number: r.str("basis.number")?,
                date: r.date("basis.date")?,
                issuer: r.str("basis.issuer")?,
            })
        } else {
            None
        };
        let command_id = r.uuid("command_id")?;
        let correlation_id = r.uuid("correlation_id")?;
        let causation_id = if r.flag("causation_id")? {
            Some(r.uuid("causation_id")?)
        } else {
            None
        };
        if !r.rest.is_empty() {
            return Err(format!(
                "после последнего поля лишние {} байт",
                r.rest.len()
            ));
        }
        Ok(Self {
            prev_hash,
            position,
            stream,
            version,
            event_type,
            schema,
            payload,
            recorded_at,
            effective,
            actor_id,
            actor_role,
            basis,
            command_id,
            correlation_id,
            causation_id,
            hash: Sha256::digest(bytes).into(),
        })
    }
}
