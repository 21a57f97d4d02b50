-- Where each consumer of the log (process managers, projections) has got to: the last
-- position it has fully handled.
CREATE TABLE checkpoints (
    name        TEXT        PRIMARY KEY,
    position    BIGINT      NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
