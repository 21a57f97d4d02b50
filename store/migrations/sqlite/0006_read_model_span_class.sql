-- "Valid on D" read every row of a kind that began by D: to count one school year's members
-- it read ten years of memberships. Each row now carries its span class (how long it holds:
-- at most 31 days, 366 days, 3,660 days, or longer/open — the limits of facts::SPAN_LIMITS),
-- and the index by kind leads with it, so a search reads per class only the rows that began
-- within that class's longest span before D.
ALTER TABLE read_model_facts ADD COLUMN span_class INTEGER GENERATED ALWAYS AS
    (CASE WHEN valid_to - valid_from <= 31 THEN 0 WHEN valid_to - valid_from <= 366 THEN 1 WHEN valid_to - valid_from <= 3660 THEN 2 ELSE 3 END) VIRTUAL;
DROP INDEX IF EXISTS read_model_facts_by_kind;
CREATE INDEX read_model_facts_by_kind
    ON read_model_facts (kind, span_class, valid_from, valid_to, recorded_from, recorded_to, scope);
