//! C2SP signed notes: a UTF-8 text ending in a newline, an empty line, and signature lines
//! `— <key name> <base64(key id ‖ signature)>`, each signature over the text's bytes.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

use crate::error::AuditError;
use crate::keys::{SigningKey, VerifierKey};

/// The start of every signature line: an em dash and a space.
const SIGNATURE_PREFIX: &str = "\u{2014} ";

fn malformed(reason: impl Into<String>) -> AuditError {
    AuditError::NoteMalformed {
        reason: reason.into(),
    }
}

/// The note of `text` signed by `key`. The text must end in a newline and hold no empty line
/// (the empty line separates it from the signatures).
pub fn sign_note(text: &str, key: &SigningKey) -> Result<String, AuditError> {
    check_text(text)?;
    let mut signed = key.verifier().id().to_be_bytes().to_vec();
    signed.extend_from_slice(&key.sign(text.as_bytes()));
    Ok(format!(
        "{text}\n{SIGNATURE_PREFIX}{} {}\n",
        key.name(),
        B64.encode(signed)
    ))
}

fn check_text(text: &str) -> Result<(), AuditError> {
    if !text.ends_with('\n') {
        return Err(malformed("текст не оканчивается переводом строки"));
    }
    if text.starts_with('\n') || text.contains("\n\n") {
        return Err(malformed("в тексте есть пустая строка"));
    }
    Ok(())
}

/// One signature line, parsed.
struct SignatureLine<'a> {
    name: &'a str,
    id: u32,
    signature: Vec<u8>,
}

/// The signature lines of a note.
fn signatures(block: &str) -> Result<Vec<SignatureLine<'_>>, AuditError> {
    let mut out = Vec::new();
    for line in block.split_inclusive('\n') {
        let line = line
            .strip_suffix('\n')
            .ok_or_else(|| malformed("строка подписи не оканчивается переводом строки"))?;
        let rest = line
            .strip_prefix(SIGNATURE_PREFIX)
            .ok_or_else(|| malformed("строка подписи должна начинаться с «— »"))?;
        let (name, encoded) = rest
            .split_once(' ')
            .ok_or_else(|| malformed("в строке подписи нет имени ключа и подписи"))?;
        let raw = B64
            .decode(encoded)
            .map_err(|_| malformed("подпись не в base64"))?;
        if raw.len() < 5 {
            return Err(malformed("подпись короче номера ключа"));
        }
        let id = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        out.push(SignatureLine {
            name,
            id,
            signature: raw[4..].to_vec(),
        });
    }
    if out.is_empty() {
        return Err(malformed("в записке нет подписей"));
    }
    Ok(out)
}

/// The text of `note` if it carries a valid signature by `key`; signatures by other keys are
/// ignored, as the format asks.
pub fn verify_note<'a>(note: &'a str, key: &VerifierKey) -> Result<&'a str, AuditError> {
    let split = note
        .rfind("\n\n")
        .ok_or_else(|| malformed("нет пустой строки перед подписями"))?;
    let (text, block) = (&note[..=split], &note[split + 2..]);
    check_text(text)?;
    let valid = signatures(block)?.into_iter().any(|line| {
        line.name == key.name()
            && line.id == key.id()
            && key.verifies(text.as_bytes(), &line.signature)
    });
    if valid {
        Ok(text)
    } else {
        Err(AuditError::SignatureInvalid {
            key: format!("{}+{:08x}", key.name(), key.id()),
        })
    }
}
