//! The C2SP tlog-checkpoint: the origin of the log, the size of its tree and the root hash,
//! three lines, signed as a note.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use tlog::Hash;

use crate::error::AuditError;
use crate::keys::{SigningKey, VerifierKey};
use crate::note::{sign_note, verify_note};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    /// Which log: `metod/<profile id>`.
    pub origin: String,
    pub size: u64,
    pub root: Hash,
}

fn malformed(reason: impl Into<String>) -> AuditError {
    AuditError::CheckpointMalformed {
        reason: reason.into(),
    }
}

impl Checkpoint {
    /// The note's text: origin, size, base64 root, each ending in a newline.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        )
    }

    /// The signed note of this checkpoint. The key's name must be the origin.
    pub fn sign(&self, key: &SigningKey) -> Result<String, AuditError> {
        if key.name() != self.origin {
            return Err(AuditError::OriginMismatch {
                expected: key.name().to_string(),
                found: self.origin.clone(),
            });
        }
        sign_note(&self.body(), key)
    }

    /// The checkpoint a note signed by `key` carries; its origin must be the key's name.
    pub fn open(note: &str, key: &VerifierKey) -> Result<Self, AuditError> {
        let checkpoint = Self::parse_body(verify_note(note, key)?)?;
        if checkpoint.origin != key.name() {
            return Err(AuditError::OriginMismatch {
                expected: key.name().to_string(),
                found: checkpoint.origin,
            });
        }
        Ok(checkpoint)
    }

    /// The checkpoint of a note's text, unverified (to show what a file claims).
    pub fn parse_body(text: &str) -> Result<Self, AuditError> {
        let lines: Vec<&str> = text.split_terminator('\n').collect();
        // metod signs no extension lines, so a note with more is not one of its checkpoints.
        let [origin, size, root] = lines.as_slice() else {
            return Err(malformed("нужны ровно три строки: журнал, размер, корень"));
        };
        if origin.is_empty() {
            return Err(malformed("пустое имя журнала"));
        }
        let digits = !size.is_empty() && size.bytes().all(|b| b.is_ascii_digit());
        let size: u64 = match size.parse() {
            Ok(n) if digits && (size.len() == 1 || !size.starts_with('0')) => n,
            _ => return Err(malformed(format!("размер «{size}» не десятичное число"))),
        };
        let root: Hash = B64
            .decode(root)
            .ok()
            .and_then(|raw| raw.try_into().ok())
            .ok_or_else(|| malformed("корень не 32 байта в base64"))?;
        Ok(Self {
            origin: origin.to_string(),
            size,
            root,
        })
    }
}
