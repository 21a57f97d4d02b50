-- The personal-data vault keyed by the person alone (WITHOUT ROWID): a page that opens the
-- names of an association's members reads their keys, a hundred or more at a time, and
-- each key was two descents, the person's entry in the key's index and then the row in the
-- table; now it is one, into a b-tree ordered by person. The same columns and the same
-- rows (every row names its person: person_id may not be NULL now); a shredded person still
-- keeps a row without a key. The old table's pages are zeroed as they are freed (every
-- connection runs with secure_delete on), so once the WAL is checkpointed no key it held
-- stays behind in the file.
CREATE TABLE person_keys_by_person (
    person_id       TEXT    PRIMARY KEY,
    key             BLOB,
    created_at      INTEGER NOT NULL,
    shredded_at     INTEGER
) WITHOUT ROWID;

INSERT INTO person_keys_by_person (person_id, key, created_at, shredded_at)
    SELECT person_id, key, created_at, shredded_at FROM person_keys;

DROP TABLE person_keys;

ALTER TABLE person_keys_by_person RENAME TO person_keys;
