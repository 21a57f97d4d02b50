//! The language of the regulations: ids, value types, the school year, events, and the
//! aggregates as pure `decide`/`evolve` functions, with regulation profiles and eligibility
//! rules. No I/O, no async, no SQL: everything a decision needs is in the command or the
//! state. (Built in the "Domain" issue; empty until then.)
