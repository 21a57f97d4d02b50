//! Keys, signed notes and checkpoints against the C2SP/Go reference vector and each other.

use audit::{sign_note, verify_note, AuditError, Checkpoint, SigningKey, VerifierKey};

// The example of golang.org/x/mod/sumdb/note (the reference implementation of C2SP
// signed-note): Ed25519 signatures are deterministic, so signing the text again must give the
// same note byte for byte.
const GO_SIGNER: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const GO_VERIFIER: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const GO_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                       then you don't know what your problem is.\n";
const GO_NOTE_SIGNATURE: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

fn go_note() -> String {
    format!("{GO_TEXT}\n{GO_NOTE_SIGNATURE}")
}

#[test]
fn the_reference_key_signs_the_reference_note_byte_for_byte() {
    let signer = SigningKey::parse(GO_SIGNER).expect("the reference signing key");
    assert_eq!(signer.verifier().to_string(), GO_VERIFIER);
    assert_eq!(signer.to_file_text().trim(), GO_SIGNER);
    assert_eq!(sign_note(GO_TEXT, &signer).expect("signed"), go_note());
    let verifier = VerifierKey::parse(GO_VERIFIER).expect("the reference verifier key");
    assert_eq!(
        verify_note(&go_note(), &verifier).expect("verifies"),
        GO_TEXT
    );
}

#[test]
fn an_edited_text_a_flipped_signature_or_another_key_is_refused() {
    let verifier = VerifierKey::parse(GO_VERIFIER).expect("key");
    let edited = go_note().replace("problem is", "problem was");
    assert!(matches!(
        verify_note(&edited, &verifier),
        Err(AuditError::SignatureInvalid { .. })
    ));
    let flipped = go_note().replace("x08go", "x08gp");
    assert!(verify_note(&flipped, &verifier).is_err());
    let other = SigningKey::generate("PeterNeumann").expect("key");
    assert!(matches!(
        verify_note(&go_note(), &other.verifier()),
        Err(AuditError::SignatureInvalid { .. })
    ));
    // a second signature by another key does not hide a valid one, nor make an invalid valid
    let cosigned = format!(
        "{}{}",
        go_note(),
        sign_note(GO_TEXT, &other)
            .expect("signed")
            .split("\n\n")
            .nth(1)
            .expect("signature block")
    );
    assert!(verify_note(&cosigned, &verifier).is_ok());
    assert!(verify_note(&cosigned, &other.verifier()).is_ok());
}

#[test]
fn malformed_keys_are_refused_with_a_reason() {
    for (bad, why) in [
        (
            "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "wrong id",
        ),
        (
            "PeterNeumann+c74f20a3+AhpC2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "wrong alg",
        ),
        ("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegw", "short key"),
        ("PeterNeumann+c74f20a3", "no key"),
        (
            "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "space",
        ),
        (
            "PeterNeumann+zz4f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
            "bad hex",
        ),
    ] {
        let refused = VerifierKey::parse(bad);
        assert!(
            matches!(refused, Err(AuditError::KeyMalformed { .. })),
            "{why}: {refused:?}"
        );
    }
    assert!(SigningKey::parse(GO_VERIFIER).is_err());
}

#[test]
fn a_checkpoint_round_trips_and_names_its_log() {
    let key = SigningKey::generate("metod/novokuznetsk").expect("key");
    let checkpoint = Checkpoint {
        origin: "metod/novokuznetsk".into(),
        size: 121_499,
        root: [7u8; 32],
    };
    let note = checkpoint.sign(&key).expect("signed");
    assert!(note.starts_with("metod/novokuznetsk\n121499\nBwcH"));
    assert_eq!(
        Checkpoint::open(&note, &key.verifier()).expect("opens"),
        checkpoint
    );
    let elsewhere = Checkpoint {
        origin: "metod/izhevsk".into(),
        ..checkpoint.clone()
    };
    assert!(matches!(
        elsewhere.sign(&key),
        Err(AuditError::OriginMismatch { .. })
    ));
    for body in [
        "metod/x\n01\nAAAA\n",
        "metod/x\n-1\n",
        "metod/x\n5\nnot base64\n",
        "\n5\n",
    ] {
        assert!(Checkpoint::parse_body(body).is_err(), "{body:?}");
    }
}
