-- Retirements kept waiting (store::Retiring::Later): a rebuild writes its rows in batches,
-- and a row an earlier batch wrote that a later event retires was closed where it lay, one
-- page dirtied for each. A rebuild now keeps them here, in the transaction of its batch, and
-- its last batch applies them all at once, in id order; a projection that goes on from a
-- checkpoint a rebuild left behind applies those still waiting first. The rows with those
-- waiting applied are the read models up to the checkpoint.
CREATE TABLE read_model_retirements (
    id           BIGINT NOT NULL,   -- the row of read_model_facts whose transaction time ends
    recorded_to  BIGINT NOT NULL    -- when it stopped being what is known, as read_model_facts stores it
);
