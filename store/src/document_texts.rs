//! The texts of documents' versions, kept by their SHA-256 beside the log (migration 0011):
//! the log records the hash of what was submitted; the text is kept here so a page can show
//! it and the difference between two versions. A text is checked against its hash before it
//! is kept, kept once, and never changed.

use async_trait::async_trait;
use sha2::{Digest, Sha256};

use crate::envelope::Hash;
use crate::error::{StoreError, StoreResult};

#[async_trait]
pub trait DocumentTexts: Send + Sync {
    /// Keeps `text` under its SHA-256 (again: nothing); returns the hash.
    async fn keep_text(&self, text: &str) -> StoreResult<Hash>;

    /// The text kept under `hash`, if one is.
    async fn text(&self, hash: &Hash) -> StoreResult<Option<String>>;
}

/// The SHA-256 of a version's text, as the log records it.
pub fn text_hash(text: &str) -> Hash {
    Sha256::digest(text.as_bytes()).into()
}

/// A kept text that no longer hashes to its key: the table was altered.
pub(crate) fn check_kept(hash: &Hash, text: String) -> StoreResult<String> {
    if text_hash(&text) == *hash {
        Ok(text)
    } else {
        Err(StoreError::CorruptRow {
            position: 0,
            reason: format!(
                "текст версии документа с хешем {} изменён после сохранения",
                hex::encode(hash)
            ),
        })
    }
}
