-- The texts of documents' versions, kept beside the log by the SHA-256 the log records
-- (`content_hash` of a submitted version): the log proves which text was submitted, this
-- table lets a page show it and the difference between two versions. A text is kept once
-- per hash and never changed.
CREATE TABLE document_texts (
    content_hash    BLOB    PRIMARY KEY,
    text            TEXT    NOT NULL,
    kept_at         INTEGER NOT NULL               -- microseconds since 1970-01-01 UTC
);
