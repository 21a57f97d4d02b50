-- One association's page read its few hundred memberships, meetings and documents one b-tree
-- descent each into the table, where a region's rows of one association lie scattered over
-- 3.1 GB; a person's inbox read their roles, deputyships and offices and the documents waiting
-- on them the same way. This index holds their rows by scope side by side, with both validity
-- intervals and their bodies, as known now and at every past moment
-- (facts::SQLITE_FACT_INDEXES).
CREATE INDEX read_model_facts_bodies_in_scope ON read_model_facts (kind, scope, valid_to, valid_from, recorded_from, recorded_to, body) WHERE kind IN ('deputy', 'document', 'meeting', 'membership', 'official', 'open_document', 'role');
