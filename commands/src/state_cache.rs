//! Aggregate states kept between commands: a state folded up to a stream version only needs
//! the events after that version the next time, instead of the whole stream. The log is
//! append-only, so a cached state is never wrong, only behind; it is always brought up to the
//! stream's end before a decision. Bounded: past `limit` states it starts afresh.

use std::collections::HashMap;

use domain::log::AnyState;
use domain::Ref;

/// States by aggregate, each with the stream version it is folded up to.
#[derive(Debug)]
pub(crate) struct StateCache {
    entries: HashMap<Ref, (u64, AnyState)>,
    limit: usize,
}

impl StateCache {
    pub(crate) fn new(limit: usize) -> Self {
        Self {
            entries: HashMap::new(),
            limit: limit.max(1),
        }
    }

    pub(crate) fn get(&self, reference: &Ref) -> Option<(u64, AnyState)> {
        self.entries.get(reference).cloned()
    }

    pub(crate) fn put(&mut self, reference: Ref, version: u64, state: AnyState) {
        if self.entries.len() >= self.limit && !self.entries.contains_key(&reference) {
            self.entries.clear();
        }
        let newer = self
            .entries
            .get(&reference)
            .is_none_or(|(cached, _)| *cached < version);
        if newer {
            self.entries.insert(reference, (version, state));
        }
    }
}
