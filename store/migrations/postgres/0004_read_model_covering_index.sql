-- "As of D, known at T" scans the rows of a kind that began by D; with both validity
-- intervals and the scope in the index, the rows that do not hold are skipped inside the
-- index, and member counts are answered from it alone.
DROP INDEX read_model_facts_by_kind;
CREATE INDEX read_model_facts_by_kind
    ON read_model_facts (kind, valid_from, valid_to, recorded_from, recorded_to, scope);
