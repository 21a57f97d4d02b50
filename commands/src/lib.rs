//! Command handling: authorize the actor, load the aggregate from the store, `decide`,
//! append with the expected version, retry on conflict, and stay idempotent by command id.
//! (Built in the "Domain" issue; empty until then.)
