//! Read models kept by catch-up projections with checkpoints: the hierarchy, memberships,
//! roles, documents and their approval state, inboxes and oversight answers, with
//! bitemporal as-of views. Projections never issue commands. (Built in the "Projections"
//! issue; empty until then.)
