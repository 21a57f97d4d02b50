-- One command's append in one round trip (issue 22). The writer computes the rows (positions,
-- versions, the hash chain, the tree's nodes and frontier) after the head it saw last, and
-- hands them over in one call. Under the same advisory lock as every append, the function
-- checks that nothing moved since: the command id is new, the stream is at the version the
-- rows continue, the head is the one they chain to. Then it writes the events, the nodes, the
-- command and the head, as the append of several statements does, and returns TRUE.
-- Otherwise it writes nothing and returns FALSE, and the writer appends the usual way (which
-- reports a conflict or an earlier command as such). A VOLATILE function reads with a new
-- snapshot at each statement, so the reads after the lock see every append committed before it.
CREATE FUNCTION metod_append_after(
    lock_key        BIGINT,
    after_position  BIGINT,         -- the head the rows chain to; 0 for the empty log
    after_hash      BYTEA,
    new_command     UUID,
    stream_name     TEXT,
    after_version   BIGINT,         -- the stream's version the rows continue
    e_position      BIGINT[],
    e_stream        TEXT[],
    e_version       BIGINT[],
    e_type          TEXT[],
    e_schema        BIGINT[],
    e_payload       TEXT[],
    e_recorded_at   TIMESTAMPTZ[],
    e_effective     DATE[],
    e_actor_id      TEXT[],
    e_actor_role    TEXT[],
    e_basis         TEXT[],
    e_command_id    UUID[],
    e_correlation   UUID[],
    e_causation     UUID[],
    e_prev_hash     BYTEA[],
    e_hash          BYTEA[],
    n_position      BIGINT[],
    n_level         INTEGER[],
    n_hash          BYTEA[],
    new_frontier    BYTEA
) RETURNS BOOLEAN
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    final_row INTEGER := cardinality(e_position);
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    -- One expression, one statement: the command is new, the stream at the version, the head
    -- the one the rows chain to (no head at all for the empty log).
    IF EXISTS (SELECT 1 FROM commands WHERE command_id = new_command)
        OR (SELECT COALESCE(MAX(version), 0) FROM events WHERE stream = stream_name)
            <> after_version
        OR NOT COALESCE((SELECT position = after_position AND hash = after_hash
                         FROM log_head WHERE id = 1), after_position = 0) THEN
        RETURN FALSE;
    END IF;
    -- One statement writes it all: every part of it or, on any error, none.
    WITH written AS (
        INSERT INTO events (position, stream, version, event_type, schema_version, payload,
                            recorded_at, effective, actor_id, actor_role, basis, command_id,
                            correlation_id, causation_id, prev_hash, hash)
            SELECT * FROM UNNEST(e_position, e_stream, e_version, e_type, e_schema, e_payload,
                                 e_recorded_at, e_effective, e_actor_id, e_actor_role, e_basis,
                                 e_command_id, e_correlation, e_causation, e_prev_hash, e_hash)
    ), nodes AS (
        INSERT INTO tree_nodes (position, level, hash)
            SELECT * FROM UNNEST(n_position, n_level, n_hash)
    ), command AS (
        INSERT INTO commands (command_id, stream, first_position, last_position, last_version)
            VALUES (new_command, stream_name, e_position[1], e_position[final_row],
                    e_version[final_row])
    )
    INSERT INTO log_head (id, position, hash, recorded_at, frontier)
        VALUES (1, e_position[final_row], e_hash[final_row], e_recorded_at[final_row],
                new_frontier)
        ON CONFLICT (id) DO UPDATE SET position = excluded.position, hash = excluded.hash,
            recorded_at = excluded.recorded_at, frontier = excluded.frontier;
    RETURN TRUE;
END
$$;
