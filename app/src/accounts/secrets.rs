//! The secrets of accounts and how they are kept: passwords hashed with Argon2id (the
//! maintained `argon2` crate, its default parameters, a random salt, the PHC string), and
//! session ids, access tokens and one-time passwords drawn from the operating system's random
//! generator. A secret is shown once and kept only as a hash.

use std::sync::OnceLock;

use argon2::password_hash::SaltString;
use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::{Digest, Sha256};
use store::SecretHash;

use crate::error::{AccountError, AppError};

/// The shortest password accepted: twelve characters, as long as a one-time password's
/// letters give no less than 60 bits.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The longest: hashing stays cheap, and nobody types more.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// What an access token starts with, so a leaked one is recognizable in a scan of a
/// repository or a log.
const ACCESS_TOKEN_PREFIX: &str = "metod_pat_";

/// The letters of a one-time password: no 0/o, 1/l/i, which read alike.
const ONE_TIME_ALPHABET: &[u8; 31] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Refuses a password outside the length rule.
pub fn check_password(password: &str) -> Result<(), AccountError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort {
            min: MIN_PASSWORD_CHARS,
        });
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooLong {
            max: MAX_PASSWORD_CHARS,
        });
    }
    Ok(())
}

/// A password for the operator to hand over: 20 letters and digits from the OS generator in
/// groups of five (99 bits).
pub fn one_time_password() -> String {
    // A byte is used only below the largest multiple of the alphabet's size, so that every
    // letter is equally likely.
    let limit = (256 / ONE_TIME_ALPHABET.len() * ONE_TIME_ALPHABET.len()) as u8;
    let mut letters = Vec::with_capacity(20);
    while letters.len() < 20 {
        let mut byte = [0u8; 1];
        OsRng.fill_bytes(&mut byte);
        if byte[0] < limit {
            let index = usize::from(byte[0]) % ONE_TIME_ALPHABET.len();
            letters.push(char::from(ONE_TIME_ALPHABET[index]));
        }
    }
    letters
        .chunks(5)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The Argon2id PHC string of `password`, computed off the async threads: it takes tens of
/// milliseconds and 19 MiB on purpose.
pub async fn hash_password(password: String) -> Result<String, AppError> {
    blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| hashing_failed(e.to_string()))
    })
    .await
}

/// Whether `password` is the one `stored` hashes. Without an account (`stored` None) a hash
/// is still checked, against a password nobody knows, so that an unknown login takes as long
/// to refuse as a wrong password.
pub async fn verify_password(password: String, stored: Option<String>) -> Result<bool, AppError> {
    let stored = match stored {
        Some(stored) => stored,
        None => decoy_hash()?,
    };
    blocking(move || {
        let parsed = PasswordHash::new(&stored).map_err(|e| hashing_failed(e.to_string()))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
}

/// The hash an unknown login is checked against, made once per process.
fn decoy_hash() -> Result<String, AppError> {
    static DECOY: OnceLock<String> = OnceLock::new();
    if let Some(hash) = DECOY.get() {
        return Ok(hash.clone());
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(one_time_password().as_bytes(), &salt)
        .map_err(|e| hashing_failed(e.to_string()))?
        .to_string();
    Ok(DECOY.get_or_init(|| hash).clone())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| hashing_failed(e.to_string()))?
}

fn hashing_failed(reason: String) -> AppError {
    AccountError::Hashing { reason }.into()
}

/// A new session id: 32 random bytes, base64url without padding (43 characters).
pub fn new_session_id() -> String {
    random_text()
}

/// A new personal access token.
pub fn new_access_token() -> String {
    format!("{ACCESS_TOKEN_PREFIX}{}", random_text())
}

fn random_text() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// How a session id or a token is kept and looked up: its SHA-256. The secret has 256 random
/// bits, so a fast hash is enough — nothing to guess from the hash.
pub fn secret_hash(secret: &str) -> SecretHash {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_time_passwords_are_long_random_and_pass_the_rule() {
        let first = one_time_password();
        assert_eq!(first.len(), 23);
        assert!(check_password(&first).is_ok());
        assert_ne!(first, one_time_password());
        assert!(first
            .chars()
            .all(|c| c == '-' || ONE_TIME_ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn the_length_rule_counts_characters() {
        assert_eq!(
            check_password("корот").expect_err("short").code(),
            "password_too_short"
        );
        assert!(check_password("двенадцать_б").is_ok());
        let long = "я".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(
            check_password(&long).expect_err("long").code(),
            "password_too_long"
        );
    }

    #[tokio::test]
    async fn a_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let hash = hash_password("correct horse battery".into())
            .await
            .expect("hashed");
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        let again = hash_password("correct horse battery".into())
            .await
            .expect("hashed");
        assert_ne!(hash, again, "a random salt each time");
        assert!(
            verify_password("correct horse battery".into(), Some(hash.clone()))
                .await
                .expect("checked")
        );
        assert!(!verify_password("correct horse batterY".into(), Some(hash))
            .await
            .expect("checked"));
        assert!(!verify_password("anything".into(), None)
            .await
            .expect("checked"));
    }

    #[test]
    fn session_ids_are_32_random_bytes_and_kept_as_sha256() {
        let id = new_session_id();
        assert_eq!(URL_SAFE_NO_PAD.decode(&id).expect("base64url").len(), 32);
        assert_ne!(id, new_session_id());
        assert_eq!(secret_hash(&id), secret_hash(&id.clone()));
        assert!(new_access_token().starts_with(ACCESS_TOKEN_PREFIX));
    }
}
