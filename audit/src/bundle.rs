//! The offline audit bundle: `bundle.json` (the events' canonical bytes with their inclusion
//! proofs), the signed checkpoint and the verifier key, as three files of one directory.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::AuditError;

/// The `format` of `bundle.json`; a new layout gets a new name.
pub const BUNDLE_FORMAT: &str = "metod-audit-bundle-v1";

pub const BUNDLE_FILE: &str = "bundle.json";
pub const CHECKPOINT_FILE: &str = "checkpoint";
pub const VERIFIER_KEY_FILE: &str = "verifier.key";

/// Why an event is in the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventRole {
    /// An event of the document's own stream.
    Document,
    /// An event a decision of the document cites as its basis (an order, a protocol).
    Basis,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleEvent {
    /// The leaf index: the event's position − 1.
    pub index: u64,
    pub role: EventRole,
    /// Standard base64 of the canonical bytes.
    pub canonical: String,
    /// The audit path from the leaf up, each hash in hex.
    pub inclusion_proof: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bundle {
    pub format: String,
    /// The document's stream, `document-<uuid>`.
    pub document: String,
    pub tree_size: u64,
    pub events: Vec<BundleEvent>,
}

fn io(path: &Path, e: std::io::Error) -> AuditError {
    AuditError::Io(format!("{}: {e}", path.display()))
}

impl Bundle {
    /// Writes the three files into `dir`, creating it.
    pub fn write_dir(&self, dir: &Path, note: &str, verifier_key: &str) -> Result<(), AuditError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let json = serde_json::to_string_pretty(self)
            .map_err(|e| AuditError::Io(format!("bundle.json: {e}")))?;
        for (name, text) in [
            (BUNDLE_FILE, format!("{json}\n")),
            (CHECKPOINT_FILE, note.to_string()),
            (VERIFIER_KEY_FILE, format!("{}\n", verifier_key.trim())),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| io(&path, e))?;
        }
        Ok(())
    }

    /// Reads a bundle directory: the bundle, the checkpoint note, the verifier key's text.
    pub fn read_dir(dir: &Path) -> Result<(Self, String, Option<String>), AuditError> {
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path).map_err(|e| io(&path, e))
        };
        let bundle =
            serde_json::from_str(&read(BUNDLE_FILE)?).map_err(|e| AuditError::BundleMalformed {
                reason: format!("bundle.json: {e}"),
            })?;
        let key = read(VERIFIER_KEY_FILE).ok();
        Ok((bundle, read(CHECKPOINT_FILE)?, key))
    }
}
