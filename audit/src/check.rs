//! The check of a bundle with nothing but the bundle and a trusted verifier key, in the order
//! `docs/audit.md` gives; the first failure is named with its event and leaf.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use tlog::Hash;

use crate::bundle::{Bundle, EventRole, BUNDLE_FORMAT};
use crate::canonical::CanonicalEvent;
use crate::checkpoint::Checkpoint;
use crate::error::AuditError;
use crate::keys::VerifierKey;

/// A bundle that verified: its checkpoint and its events, read from their canonical bytes.
#[derive(Debug, Clone)]
pub struct CheckedBundle {
    pub document: String,
    pub checkpoint: Checkpoint,
    pub events: Vec<(EventRole, CanonicalEvent)>,
}

fn bundle_malformed(reason: impl Into<String>) -> AuditError {
    AuditError::BundleMalformed {
        reason: reason.into(),
    }
}

/// Parses hex hashes of 32 bytes.
pub(crate) fn hashes(hex_hashes: &[String]) -> Result<Vec<Hash>, String> {
    hex_hashes
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let mut hash = [0u8; 32];
            hex::decode_to_slice(h, &mut hash)
                .map(|()| hash)
                .map_err(|_| format!("узел {} доказательства не 32 байта в hex", i + 1))
        })
        .collect()
}

/// Checks every event of `bundle` against the checkpoint `note` signed by `key`.
pub fn check_bundle(
    bundle: &Bundle,
    note: &str,
    key: &VerifierKey,
) -> Result<CheckedBundle, AuditError> {
    let checkpoint = Checkpoint::open(note, key)?;
    if bundle.format != BUNDLE_FORMAT {
        return Err(bundle_malformed(format!(
            "формат «{}», ожидался {BUNDLE_FORMAT}",
            bundle.format
        )));
    }
    if bundle.tree_size != checkpoint.size {
        return Err(bundle_malformed(format!(
            "размер дерева {} не равен размеру контрольной точки {}",
            bundle.tree_size, checkpoint.size
        )));
    }
    let mut events = Vec::with_capacity(bundle.events.len());
    let mut last_index = None;
    for (i, event) in bundle.events.iter().enumerate() {
        let number = i + 1;
        let invalid = |reason: String| AuditError::EventInvalid {
            number,
            index: event.index,
            reason,
        };
        if last_index.is_some_and(|last| event.index <= last) {
            return Err(invalid("события не упорядочены по номеру листа".into()));
        }
        last_index = Some(event.index);
        let bytes = B64
            .decode(&event.canonical)
            .map_err(|_| invalid("канонические байты не в base64".into()))?;
        let parsed = CanonicalEvent::parse(&bytes).map_err(invalid)?;
        if parsed.position != event.index + 1 {
            return Err(invalid(format!(
                "в канонических байтах позиция {}, а по листу должна быть {}",
                parsed.position,
                event.index + 1
            )));
        }
        let proof = hashes(&event.inclusion_proof).map_err(invalid)?;
        tlog::verify_inclusion(
            &tlog::leaf_hash(&parsed.hash),
            event.index,
            checkpoint.size,
            &proof,
            &checkpoint.root,
        )
        .map_err(|source| AuditError::EventNotIncluded {
            number,
            index: event.index,
            source,
        })?;
        if event.role == EventRole::Document && parsed.stream != bundle.document {
            return Err(invalid(format!(
                "событие потока {} названо событием документа {}",
                parsed.stream, bundle.document
            )));
        }
        events.push((event.role, parsed));
    }
    if !events.iter().any(|(role, _)| *role == EventRole::Document) {
        return Err(bundle_malformed("в пакете нет ни одного события документа"));
    }
    Ok(CheckedBundle {
        document: bundle.document.clone(),
        checkpoint,
        events,
    })
}
