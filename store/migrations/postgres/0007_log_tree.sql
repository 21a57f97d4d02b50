-- The Merkle tree over the log (RFC 6962/9162, crate tlog): the leaf of the event at position
-- N is leaf N - 1, the hash of that event's hash. Every complete subtree of 64 leaves or
-- more an append makes is kept (one row per 32 events; a smaller one is hashed from at most
-- 32 events' hashes when a proof needs it), so a root or a proof reads O(log n) rows; the
-- tree's right edge (its frontier, tlog's bytes) is kept beside the head and moves with it.
-- A node is keyed by the last position it covers, then its level: an append's nodes go in
-- together at the end of the table, as its events do, not into one page per level.
-- A store migrated from an older schema has its tree built from the stored hashes when it is
-- opened (the frontier is NULL until then).
CREATE TABLE tree_nodes (
    position        BIGINT      NOT NULL,        -- of the last event the subtree covers
    level           INTEGER     NOT NULL,        -- the subtree covers 2^level events
    hash            BYTEA       NOT NULL,
    PRIMARY KEY (position, level),
    CHECK (level >= 6)
);
ALTER TABLE log_head ADD COLUMN frontier BYTEA;
