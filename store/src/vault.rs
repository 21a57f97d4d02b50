//! The personal-data vault (152-FZ): personal fields are encrypted with their person's own
//! key (XChaCha20-Poly1305), kept in a table apart from the log. Shredding deletes the key,
//! leaves a tombstone, and appends an erasure event; the log still verifies (the chain
//! covers the ciphertext) and the fields read as «данные удалены».

use std::collections::HashMap;

use async_trait::async_trait;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use chrono::NaiveDate;
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::envelope::{Actor, AppendResult, CommandId, LegalBasis, NewEvent, StreamId};
use crate::error::{StoreError, StoreResult};

/// The text every erased personal field reads as.
pub const ERASED_TEXT: &str = "данные удалены";

/// The wire name of the event a shred appends.
pub const ERASURE_EVENT_TYPE: &str = "PersonalDataErased";

/// One encrypted personal field, as it appears inside a payload:
/// `{"sealed": {"person": …, "field": …, "nonce": …, "ciphertext": …}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedField {
    pub sealed: SealedParts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SealedParts {
    pub person: String,
    pub field: String,
    /// Base64 of the 24-byte nonce.
    pub nonce: String,
    /// Base64 of the ciphertext with its tag.
    pub ciphertext: String,
}

/// A personal field read back: its text, or the fact that it was erased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revealed {
    Clear(String),
    Erased,
}

impl std::fmt::Display for Revealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Revealed::Clear(text) => f.write_str(text),
            Revealed::Erased => f.write_str(ERASED_TEXT),
        }
    }
}

/// Who orders an erasure and on which grounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub actor: Actor,
    pub basis: Option<LegalBasis>,
    /// Why, in words (e.g. «отзыв согласия на обработку персональных данных»).
    pub grounds: String,
    pub effective: NaiveDate,
}

/// A person's key, or the tombstone left by shredding it. Exposed only for backends.
#[doc(hidden)]
#[derive(Clone)]
pub enum KeySlot {
    Key([u8; 32]),
    Shredded,
}

/// Encryption and erasure of personal fields; implemented by every backend.
#[async_trait]
pub trait PersonalDataVault: Send + Sync {
    /// The person's key, or the tombstone; `None` when the person has none yet.
    #[doc(hidden)]
    async fn key_slot(&self, person: &str) -> StoreResult<Option<KeySlot>>;

    /// The slots of several persons at once (persons without a key are absent).
    #[doc(hidden)]
    async fn key_slots(&self, persons: &[String]) -> StoreResult<HashMap<String, KeySlot>> {
        let mut slots = HashMap::new();
        for person in persons {
            if let Some(slot) = self.key_slot(person).await? {
                slots.insert(person.clone(), slot);
            }
        }
        Ok(slots)
    }

    /// Creates the person's key if there is none (and no tombstone) and returns the slot.
    #[doc(hidden)]
    async fn create_key(&self, person: &str) -> StoreResult<KeySlot>;

    /// Deletes the person's key, leaves a tombstone and appends the erasure event, in one
    /// transaction.
    async fn shred(
        &self,
        person: &str,
        erasure: Erasure,
        command_id: CommandId,
    ) -> StoreResult<AppendResult>;

    /// Encrypts one personal field of `person` (creating the person's key on first use).
    async fn seal(&self, person: &str, field: &str, plaintext: &str) -> StoreResult<SealedField> {
        validate_person(person)?;
        let slot = match self.key_slot(person).await? {
            Some(slot) => slot,
            None => self.create_key(person).await?,
        };
        match slot {
            KeySlot::Key(key) => seal_with(&key, person, field, plaintext),
            KeySlot::Shredded => Err(StoreError::PersonalDataErased {
                person: person.into(),
            }),
        }
    }

    /// Decrypts one field; an erased person's field reads as [`Revealed::Erased`].
    async fn reveal(&self, sealed: &SealedField) -> StoreResult<Revealed> {
        match self.key_slot(&sealed.sealed.person).await? {
            Some(KeySlot::Key(key)) => open_with(&key, &sealed.sealed).map(Revealed::Clear),
            Some(KeySlot::Shredded) => Ok(Revealed::Erased),
            None => Err(StoreError::VaultCrypto {
                person: sealed.sealed.person.clone(),
                reason: "ключ этого лица не найден в хранилище ключей".into(),
            }),
        }
    }

    /// Decrypts many fields with one look-up of their persons' keys.
    async fn reveal_many(&self, sealed: &[SealedField]) -> StoreResult<Vec<Revealed>> {
        let mut persons: Vec<String> = sealed.iter().map(|s| s.sealed.person.clone()).collect();
        persons.sort();
        persons.dedup();
        let slots = self.key_slots(&persons).await?;
        sealed
            .iter()
            .map(|field| match slots.get(&field.sealed.person) {
                Some(KeySlot::Key(key)) => open_with(key, &field.sealed).map(Revealed::Clear),
                Some(KeySlot::Shredded) => Ok(Revealed::Erased),
                None => Err(StoreError::VaultCrypto {
                    person: field.sealed.person.clone(),
                    reason: "ключ этого лица не найден в хранилище ключей".into(),
                }),
            })
            .collect()
    }

    /// Whether the person's data has been erased.
    async fn is_erased(&self, person: &str) -> StoreResult<bool> {
        Ok(matches!(
            self.key_slot(person).await?,
            Some(KeySlot::Shredded)
        ))
    }

    /// A copy of `payload` with every sealed field replaced by its text, or by
    /// «данные удалены» where the person was erased.
    async fn reveal_payload(&self, payload: &serde_json::Value) -> StoreResult<serde_json::Value> {
        let mut out = payload.clone();
        let mut pending = vec![&mut out];
        while let Some(node) = pending.pop() {
            if let Ok(sealed) = serde_json::from_value::<SealedField>(node.clone()) {
                *node = serde_json::Value::String(self.reveal(&sealed).await?.to_string());
                continue;
            }
            match node {
                serde_json::Value::Object(map) => pending.extend(map.values_mut()),
                serde_json::Value::Array(items) => pending.extend(items.iter_mut()),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// The stream that records erasures of one person.
pub fn erasure_stream(person: &str) -> StoreResult<StreamId> {
    StreamId::parse(format!("personal-data-{person}"))
}

pub(crate) fn validate_person(person: &str) -> StoreResult<()> {
    erasure_stream(person).map(|_| ())
}

pub(crate) fn erasure_event(person: &str, erasure: Erasure) -> NewEvent {
    let payload = serde_json::json!({ "person": person, "grounds": erasure.grounds });
    let mut event = NewEvent::new(
        ERASURE_EVENT_TYPE,
        payload,
        erasure.effective,
        erasure.actor,
    );
    event.basis = erasure.basis;
    event
}

pub(crate) fn new_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

fn aad(person: &str, field: &str) -> Vec<u8> {
    // Binds the ciphertext to its person and field: it cannot be moved to another.
    [
        b"metod-pd-v1\0".as_slice(),
        person.as_bytes(),
        b"\0",
        field.as_bytes(),
    ]
    .concat()
}

fn seal_with(
    key: &[u8; 32],
    person: &str,
    field: &str,
    plaintext: &str,
) -> StoreResult<SealedField> {
    let cipher = XChaCha20Poly1305::new(key.into());
    let mut nonce = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext.as_bytes(),
                aad: &aad(person, field),
            },
        )
        .map_err(|_| StoreError::VaultCrypto {
            person: person.into(),
            reason: "шифрование не удалось".into(),
        })?;
    Ok(SealedField {
        sealed: SealedParts {
            person: person.into(),
            field: field.into(),
            nonce: B64.encode(nonce),
            ciphertext: B64.encode(ciphertext),
        },
    })
}

fn open_with(key: &[u8; 32], sealed: &SealedParts) -> StoreResult<String> {
    let fail = |reason: &str| StoreError::VaultCrypto {
        person: sealed.person.clone(),
        reason: reason.into(),
    };
    let nonce = B64
        .decode(&sealed.nonce)
        .map_err(|_| fail("повреждён nonce"))?;
    if nonce.len() != 24 {
        return Err(fail("повреждён nonce"));
    }
    let ciphertext = B64
        .decode(&sealed.ciphertext)
        .map_err(|_| fail("повреждён шифротекст"))?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let clear = cipher
        .decrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: &ciphertext,
                aad: &aad(&sealed.person, &sealed.field),
            },
        )
        .map_err(|_| fail("шифротекст изменён или относится к другому лицу или полю"))?;
    String::from_utf8(clear).map_err(|_| fail("расшифрованный текст не является UTF-8"))
}

pub(crate) fn key_from_bytes(person: &str, bytes: &[u8]) -> StoreResult<[u8; 32]> {
    bytes.try_into().map_err(|_| StoreError::VaultCrypto {
        person: person.into(),
        reason: format!("ключ должен быть 32 байта, в хранилище {}", bytes.len()),
    })
}
