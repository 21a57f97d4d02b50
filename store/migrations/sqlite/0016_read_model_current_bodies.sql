-- The documents and protocols an association keeps were read one b-tree descent into the
-- table per row: a region's 73,958 took 240–310 ms, against 31–40 ms from an index that holds
-- their bodies. This index holds the bodies of the current rows of documents and meetings
-- (facts::SQLITE_FACT_INDEXES says why no others, and why no generated column is named).
CREATE INDEX read_model_facts_current_bodies ON read_model_facts (kind, valid_to, valid_from, body) WHERE kind IN ('document', 'meeting') AND recorded_to = 9223372036854775807;
