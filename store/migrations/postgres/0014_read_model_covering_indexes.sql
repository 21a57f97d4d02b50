-- The indexes by scope and by key carry both validity intervals: the versions of one fact,
-- and the rows of one association, person or office, that do not hold on a date (a
-- person's earlier and later versions, an association's later memberships and meetings
-- asked about a past date) are skipped inside the index instead of read from the table;
-- and the member counts per association are counted from the index by scope alone, in
-- scope order, without sorting every held membership.
DROP INDEX IF EXISTS read_model_facts_by_scope;
CREATE INDEX read_model_facts_by_scope
    ON read_model_facts (kind, scope, valid_to, valid_from, recorded_from, recorded_to);
DROP INDEX IF EXISTS read_model_facts_by_key;
CREATE INDEX read_model_facts_by_key
    ON read_model_facts (kind, fact_key, valid_to, valid_from, recorded_from, recorded_to);
