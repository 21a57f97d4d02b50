-- The index on `recorded_to` served only resuming a projection (rare) and cost every insert
-- and every retirement a b-tree update; resuming scans the table instead.
DROP INDEX read_model_facts_current;
