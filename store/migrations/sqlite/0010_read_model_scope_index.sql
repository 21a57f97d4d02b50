-- What one association, person or office is concerned with (a person's inbox: the documents
-- waiting on their role, office or authorship) is found by scope without reading the rest of
-- the kind; the rows still holding on a date are those that end after it.
CREATE INDEX read_model_facts_by_scope ON read_model_facts (kind, scope, valid_to);
