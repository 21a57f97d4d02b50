-- The event log (DESIGN.md §2). Positions are assigned by the writer while it holds the
-- append advisory lock, so they are gapless and commit in order: a reader can never pass a
-- position that a slower transaction fills later.
CREATE TABLE events (
    position        BIGINT      PRIMARY KEY,
    stream          TEXT        NOT NULL,
    version         BIGINT      NOT NULL,
    event_type      TEXT        NOT NULL,
    schema_version  BIGINT      NOT NULL,
    payload         TEXT        NOT NULL,        -- canonical JSON, hashed as stored
    recorded_at     TIMESTAMPTZ NOT NULL,        -- transaction time
    effective       DATE        NOT NULL,        -- valid time
    actor_id        TEXT        NOT NULL,
    actor_role      TEXT        NOT NULL,
    basis           TEXT,                        -- JSON of the legal basis, or NULL
    command_id      UUID        NOT NULL,
    correlation_id  UUID        NOT NULL,
    causation_id    UUID,
    prev_hash       BYTEA       NOT NULL,
    hash            BYTEA       NOT NULL,
    UNIQUE (stream, version)
);

CREATE TABLE commands (
    command_id      UUID        PRIMARY KEY,
    stream          TEXT        NOT NULL,
    first_position  BIGINT      NOT NULL,
    last_position   BIGINT      NOT NULL,
    last_version    BIGINT      NOT NULL
);

CREATE TABLE log_head (
    id              INTEGER     PRIMARY KEY CHECK (id = 1),
    position        BIGINT      NOT NULL,
    hash            BYTEA       NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE person_keys (
    person_id       TEXT        PRIMARY KEY,
    key             BYTEA,
    created_at      TIMESTAMPTZ NOT NULL,
    shredded_at     TIMESTAMPTZ
);
