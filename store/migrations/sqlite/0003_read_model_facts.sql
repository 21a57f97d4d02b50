-- The read models' rows: every fact the projections derive from the log, with its
-- validity on both time axes (DESIGN.md §7). A fact is never updated except to close its
-- transaction time (`recorded_to`) when a later event changes what is known about it; the
-- changed version is a new row. Open ends are stored as the largest value so that
-- "as of D, known at T" is two plain range conditions.
CREATE TABLE read_model_facts (
    id             INTEGER PRIMARY KEY,   -- assigned by the projector, in the order it wrote
    kind           TEXT    NOT NULL,      -- e.g. association, membership, role, document
    fact_key       TEXT    NOT NULL,      -- the thing the fact is about, within its kind
    scope          TEXT    NOT NULL,      -- what it belongs to (an association), or ''
    valid_from     INTEGER NOT NULL,      -- days from 0001-01-01 (CE day 1), inclusive
    valid_to       INTEGER NOT NULL,      -- exclusive; 2147483647 while open
    recorded_from  INTEGER NOT NULL,      -- microseconds since 1970-01-01 UTC, inclusive
    recorded_to    INTEGER NOT NULL,      -- exclusive; 9223372036854775807 while current
    position       INTEGER NOT NULL,      -- the event that wrote this row
    body           TEXT    NOT NULL       -- the fact itself, JSON
);

CREATE INDEX read_model_facts_by_kind ON read_model_facts (kind, valid_from);
CREATE INDEX read_model_facts_by_key ON read_model_facts (kind, fact_key);
CREATE INDEX read_model_facts_current ON read_model_facts (recorded_to);
