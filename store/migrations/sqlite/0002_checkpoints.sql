-- Where each consumer of the log (process managers, projections) has got to: the last
-- position it has fully handled.
CREATE TABLE checkpoints (
    name        TEXT    PRIMARY KEY,
    position    INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL               -- microseconds since 1970-01-01 UTC
) WITHOUT ROWID;
