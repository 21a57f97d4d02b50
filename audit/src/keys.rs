//! Ed25519 keys in the C2SP signed-note forms: the verifier key an auditor is given
//! (`name+id+base64(0x01‖public)`) and the signing key kept in a 0600 file
//! (`PRIVATE+KEY+name+id+base64(0x01‖seed)`).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signer, Verifier};
use sha2::{Digest, Sha256};

use crate::error::AuditError;

/// The signature algorithm byte of Ed25519 in signed notes.
const ALG_ED25519: u8 = 0x01;

const PRIVATE_PREFIX: &str = "PRIVATE+KEY+";

fn malformed(reason: impl Into<String>) -> AuditError {
    AuditError::KeyMalformed {
        reason: reason.into(),
    }
}

/// A key name: non-empty, no spaces and no `+` (the separators of the key forms).
fn check_name(name: &str) -> Result<(), AuditError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c == '+') {
        return Err(malformed(format!(
            "имя ключа «{name}» пусто или содержит пробел или «+»"
        )));
    }
    Ok(())
}

/// The key id: the first four bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key).
fn key_id(name: &str, public: &ed25519_dalek::VerifyingKey) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([b'\n', ALG_ED25519]);
    h.update(public.as_bytes());
    let digest = h.finalize();
    u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}

/// `0x01 ‖ 32 bytes` from its base64, or why not.
fn key_bytes(encoded: &str, what: &str) -> Result<[u8; 32], AuditError> {
    let raw = B64
        .decode(encoded)
        .map_err(|_| malformed(format!("{what} не в base64")))?;
    match raw.split_first() {
        Some((&ALG_ED25519, rest)) if rest.len() == 32 => {
            let mut out = [0u8; 32];
            out.copy_from_slice(rest);
            Ok(out)
        }
        Some((&ALG_ED25519, rest)) => {
            Err(malformed(format!("{what}: {} байт вместо 32", rest.len())))
        }
        _ => Err(malformed(format!("{what}: алгоритм не Ed25519"))),
    }
}

/// The id as written in a key: eight hex digits.
fn parse_id(text: &str) -> Result<u32, AuditError> {
    if text.len() != 8 {
        return Err(malformed(
            "номер ключа должен быть 8 шестнадцатеричных цифр",
        ));
    }
    u32::from_str_radix(text, 16)
        .map_err(|_| malformed("номер ключа должен быть 8 шестнадцатеричных цифр"))
}

/// The public half, by which anyone checks a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    id: u32,
    public: ed25519_dalek::VerifyingKey,
}

impl VerifierKey {
    /// Reads `name+id+base64(0x01‖public)` (surrounding whitespace ignored); the id must be
    /// the one the name and key give.
    pub fn parse(line: &str) -> Result<Self, AuditError> {
        let line = line.trim();
        let mut parts = line.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed("ключ проверки должен иметь вид имя+номер+ключ"));
        };
        check_name(name)?;
        let id = parse_id(id)?;
        let public = ed25519_dalek::VerifyingKey::from_bytes(&key_bytes(key, "ключ проверки")?)
            .map_err(|_| malformed("открытый ключ не является точкой Ed25519"))?;
        if key_id(name, &public) != id {
            return Err(malformed("номер ключа не соответствует имени и ключу"));
        }
        Ok(Self {
            name: name.to_string(),
            id,
            public,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn id(&self) -> u32 {
        self.id
    }

    /// Whether `signature` (64 bytes) is this key's over `message`.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else {
            return false;
        };
        self.public.verify(message, &signature).is_ok()
    }
}

impl std::fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut raw = vec![ALG_ED25519];
        raw.extend_from_slice(self.public.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.id, B64.encode(raw))
    }
}

/// The secret half. Its text form is written only to a 0600 file, never to the log, the
/// bundle or the logs; `Debug` does not show it.
pub struct SigningKey {
    name: String,
    id: u32,
    secret: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({}+{:08x})", self.name, self.id)
    }
}

impl SigningKey {
    /// A new key from the operating system's random source.
    pub fn generate(name: &str) -> Result<Self, AuditError> {
        check_name(name)?;
        let secret = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
        Ok(Self::from_secret(name, secret))
    }

    fn from_secret(name: &str, secret: ed25519_dalek::SigningKey) -> Self {
        Self {
            name: name.to_string(),
            id: key_id(name, &secret.verifying_key()),
            secret,
        }
    }

    /// Reads `PRIVATE+KEY+name+id+base64(0x01‖seed)`.
    pub fn parse(text: &str) -> Result<Self, AuditError> {
        let text = text.trim();
        let rest = text
            .strip_prefix(PRIVATE_PREFIX)
            .ok_or_else(|| malformed("ключ подписи должен начинаться с PRIVATE+KEY+"))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(id), Some(key)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(malformed(
                "ключ подписи должен иметь вид PRIVATE+KEY+имя+номер+ключ",
            ));
        };
        check_name(name)?;
        let id = parse_id(id)?;
        let key = Self::from_secret(
            name,
            ed25519_dalek::SigningKey::from_bytes(&key_bytes(key, "ключ подписи")?),
        );
        if key.id != id {
            return Err(malformed("номер ключа не соответствует имени и ключу"));
        }
        Ok(key)
    }

    /// The text of the key file.
    pub fn to_file_text(&self) -> String {
        let mut raw = vec![ALG_ED25519];
        raw.extend_from_slice(self.secret.as_bytes());
        format!(
            "{PRIVATE_PREFIX}{}+{:08x}+{}\n",
            self.name,
            self.id,
            B64.encode(raw)
        )
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            id: self.id,
            public: self.secret.verifying_key(),
        }
    }

    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.secret.sign(message).to_bytes()
    }
}
