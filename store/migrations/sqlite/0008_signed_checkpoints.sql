-- The checkpoints of the log signed for auditors (C2SP tlog-checkpoint in a signed note,
-- crate audit), kept so that they can be listed and a proof made to any of them later. The
-- note is kept byte for byte as signed; size and root repeat what it says, for lookups.
-- The verifier key (public) is kept beside it so that a bundle can name it; no secret is
-- kept here: the signing key lives in a file of its own.
CREATE TABLE signed_checkpoints (
    id              INTEGER PRIMARY KEY,
    tree_size       INTEGER NOT NULL,
    root            BLOB    NOT NULL,
    note            TEXT    NOT NULL,
    verifier_key    TEXT    NOT NULL,
    signed_at       INTEGER NOT NULL               -- microseconds since 1970-01-01 UTC
);
CREATE INDEX signed_checkpoints_by_size ON signed_checkpoints (tree_size);
