//! End-to-end scenarios from the regulations, run through the real handlers and the real
//! binary against a real SQLite file and a real PostgreSQL server. The scenarios live in
//! `tests/tests/`; this library is empty.
