//! The texts of documents' versions kept by their SHA-256 beside the log: read back as kept,
//! kept once, and a text altered in the table afterwards refused rather than shown.

use store::testing::TestDatabase;
use store::{text_hash, Backend};

async fn a_version_text_is_kept_by_its_hash(backend: Backend) {
    let db = TestDatabase::new(backend).await;
    let store = db.open().await;
    let text = "План работы на 2026/27\nРаздел 1. Заседания: сентябрь, ноябрь, март.";
    let hash = store.keep_text(text).await.expect("kept");
    assert_eq!(hash, text_hash(text));
    assert_eq!(hash, sha2_of(text), "the SHA-256 of the text's UTF-8 bytes");
    assert_eq!(
        store.text(&hash).await.expect("read").as_deref(),
        Some(text)
    );
    // again: nothing changes, no error
    assert_eq!(store.keep_text(text).await.expect("kept again"), hash);
    assert_eq!(store.text(&[7u8; 32]).await.expect("read"), None);
    // altered in the table: refused, not shown
    let hex_hash = hex::encode(hash);
    let literal = match backend {
        Backend::Sqlite => format!("X'{hex_hash}'"),
        Backend::Postgres => format!("'\\x{hex_hash}'::bytea"),
    };
    db.execute_raw(&format!(
        "UPDATE document_texts SET text = 'подменённый текст' WHERE content_hash = {literal}"
    ))
    .await;
    let refused = store
        .text(&hash)
        .await
        .expect_err("a text that no longer hashes to its key");
    assert_eq!(refused.code(), "corrupt_row");
}

fn sha2_of(text: &str) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes()).into()
}

store::on_every_backend!(a_version_text_is_kept_by_its_hash);
