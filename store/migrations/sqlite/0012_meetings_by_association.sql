-- The meetings an association held, found by the association the `MeetingHeld` payload names
-- (`EventStore::streams_where`): a decision taken at the first meeting of the school year
-- (003 §7.9) reads every meeting its association held. The expression is the one
-- `Dialect::payload_field` writes, so the lookup uses this index.
CREATE INDEX events_meeting_held_association
    ON events (json_extract(payload, '$.association'))
    WHERE event_type = 'MeetingHeld';
