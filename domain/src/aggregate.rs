//! The fold: an aggregate's state is its facts folded one at a time with `evolve`; `Term` is
//! the period (in valid time) that states keep their facts with, so a rule can be checked as
//! of a command's effective date.

use chrono::NaiveDate;

use crate::events::Fact;

/// Folds facts into a state, one at a time.
pub trait Aggregate: Default {
    fn evolve(&mut self, fact: &Fact);

    fn from_facts<'a>(facts: impl IntoIterator<Item = &'a Fact>) -> Self {
        let mut state = Self::default();
        for fact in facts {
            state.evolve(fact);
        }
        state
    }
}

/// A period with a start and an optional end (inclusive), in valid time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
}

impl Term {
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }
}
