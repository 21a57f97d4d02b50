-- Who may log in to `metod serve` (issue 19): accounts, their sessions and personal access
-- tokens, the failed logins that throttle guessing, and the journal of every opening of a
-- person's sealed data (152-FZ). No secret is kept: a password only as its Argon2id PHC
-- string, a session id or a token only as its SHA-256. Opening, disabling and enabling an
-- account and resetting its password are also events of the log (stream account-<id>),
-- written in the same transaction as the row here.
CREATE TABLE accounts (
    id              BLOB    PRIMARY KEY,           -- uuid
    login           TEXT    NOT NULL,              -- as given
    login_key       TEXT    NOT NULL,              -- lower-cased: one login whatever its case
    kind            TEXT    NOT NULL,
    person_id       TEXT,                          -- only for kind 'person'
    password_hash   TEXT    NOT NULL,              -- Argon2id, PHC string
    disabled_at     INTEGER,                       -- microseconds since 1970-01-01 UTC; NULL: enabled
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (kind IN ('person', 'operator', 'auditor')),
    CHECK ((kind = 'person') = (person_id IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_by_login ON accounts (login_key);

-- A session of a logged-in account, found by the SHA-256 of the id its cookie carries.
CREATE TABLE sessions (
    id_hash         BLOB    PRIMARY KEY,
    account_id      BLOB    NOT NULL REFERENCES accounts (id),
    client          TEXT    NOT NULL,              -- the address it logged in from
    created_at      INTEGER NOT NULL,
    last_seen_at    INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,              -- the absolute end, whatever the activity
    ended_at        INTEGER                        -- logout, a disabled account, a new password
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Personal access tokens of API clients: one live token of a name per account.
CREATE TABLE access_tokens (
    token_hash      BLOB    PRIMARY KEY,
    account_id      BLOB    NOT NULL REFERENCES accounts (id),
    name            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    revoked_at      INTEGER
) WITHOUT ROWID;
CREATE UNIQUE INDEX access_tokens_live_name ON access_tokens (account_id, name) WHERE revoked_at IS NULL;

-- Every failed login, by the login tried (lower-cased, known or not) and the client address;
-- a success clears the login's count, never the address's.
CREATE TABLE login_failures (
    id              INTEGER PRIMARY KEY,
    login_key       TEXT    NOT NULL,
    client          TEXT    NOT NULL,
    failed_at       INTEGER NOT NULL,
    cleared_at      INTEGER
);
CREATE INDEX login_failures_by_login ON login_failures (login_key, failed_at);
CREATE INDEX login_failures_by_client ON login_failures (client, failed_at);

-- The access journal (152-FZ): who opened whose sealed personal data, when, through what.
CREATE TABLE access_journal (
    id              INTEGER PRIMARY KEY,
    accessed_at     INTEGER NOT NULL,
    account_id      BLOB    NOT NULL REFERENCES accounts (id),
    person_id       TEXT    NOT NULL,              -- whose data was opened
    endpoint        TEXT    NOT NULL
);
CREATE INDEX access_journal_by_person ON access_journal (person_id, id);
