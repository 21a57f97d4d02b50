-- The event log (DESIGN.md §2). Positions are assigned by the writer under the write lock,
-- so they are gapless and commit in order.
CREATE TABLE events (
    position        INTEGER PRIMARY KEY,
    stream          TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT    NOT NULL,            -- canonical JSON, hashed as stored
    recorded_at     INTEGER NOT NULL,            -- transaction time, microseconds since 1970-01-01 UTC
    effective       TEXT    NOT NULL,            -- valid time, YYYY-MM-DD
    actor_id        TEXT    NOT NULL,
    actor_role      TEXT    NOT NULL,
    basis           TEXT,                        -- JSON of the legal basis, or NULL
    command_id      BLOB    NOT NULL,
    correlation_id  BLOB    NOT NULL,
    causation_id    BLOB,
    prev_hash       BLOB    NOT NULL,
    hash            BLOB    NOT NULL,
    UNIQUE (stream, version)
);

-- One row per append, for idempotency: the same command id returns the first result.
CREATE TABLE commands (
    command_id      BLOB    PRIMARY KEY,
    stream          TEXT    NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL,
    last_version    INTEGER NOT NULL
) WITHOUT ROWID;

-- The head of the log as the last append left it; verify compares the chain with it, so a
-- deleted last event is noticed too.
CREATE TABLE log_head (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    position        INTEGER NOT NULL,
    hash            BLOB    NOT NULL,
    recorded_at     INTEGER NOT NULL
);

-- The personal-data vault: one key per person; a shredded person keeps a row without a key.
CREATE TABLE person_keys (
    person_id       TEXT    PRIMARY KEY,
    key             BLOB,
    created_at      INTEGER NOT NULL,
    shredded_at     INTEGER
);
