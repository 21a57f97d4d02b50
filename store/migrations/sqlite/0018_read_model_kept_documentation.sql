-- The keeping of documentation read every document and meeting a municipality ever kept
-- (73,958 pieces in a region); it now reads the documentation kept per association and school
-- year, one row each (kind 'kept_documentation', about 12,000 rows in a region), so the index
-- of current bodies holds those rows too (facts::SQLITE_FACT_INDEXES).
DROP INDEX IF EXISTS read_model_facts_current_bodies;
CREATE INDEX read_model_facts_current_bodies ON read_model_facts (kind, valid_to, valid_from, body) WHERE kind IN ('document', 'kept_documentation', 'meeting') AND recorded_to = 9223372036854775807;
