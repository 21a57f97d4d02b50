-- The long or open rows (span class 3) of a kind were read from the index by kind as every
-- row that began by D: each version ever recorded and later superseded, hundreds of
-- thousands for the member counts of a region, to find the thousand that hold now. Each
-- row now also carries its recorded class (how long it was believed: at most 31 days, 366
-- days, 3,660 days, or longer/still — the limits of facts::RECORDED_LIMITS, in
-- microseconds), and the long rows have their own index that leads with it, so a search
-- reads per recorded class only the rows recorded within that class's longest belief
-- before T (for class 3: those recorded by T).
ALTER TABLE read_model_facts ADD COLUMN recorded_class SMALLINT GENERATED ALWAYS AS
    (CASE WHEN recorded_to <= recorded_from + 2678400000000 THEN 0 WHEN recorded_to <= recorded_from + 31622400000000 THEN 1 WHEN recorded_to <= recorded_from + 316224000000000 THEN 2 ELSE 3 END) STORED;
CREATE INDEX read_model_facts_long_by_recording
    ON read_model_facts (kind, recorded_class, recorded_from, valid_from, valid_to, recorded_to, scope) WHERE span_class = 3;
