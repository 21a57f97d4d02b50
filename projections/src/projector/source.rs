//! A projector need not hold every fact. One resumed by key ([`Projector::resume_by_key`])
//! holds only the facts the events since needed; the others stay in the store and are read,
//! as what is known now, the first time an event needs them — through a [`FactSource`] the
//! runner lends it for one catch-up. A fact read once is held until the projector forgets
//! ([`Projector::forget`]); one found to have no current row is remembered as absent, so the
//! store is asked about each fact at most once between forgettings.
//!
//! This is sound because the projector is the only writer of the rows: a fact it does not
//! hold has no row it computed and has not handed out, so the store's current rows of that
//! fact are exactly what the projector would hold.

use std::collections::HashMap;

use domain::ids::AssociationId;
use domain::values::AssociationRole;
use store::{CurrentOf, FactRow};

use crate::error::ProjectionError;
use crate::facts::{kind, FactBody};

use super::roles::role_fact_key;
use super::{FactKey, Projector, Scopes, Segment};

/// Which current rows of a kind to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// One fact's.
    Key(String),
    /// Every fact's in one scope.
    Scope(String),
    /// Every fact's of the kind.
    Kind,
}

impl Lookup {
    /// The store's spelling of the same choice.
    pub fn as_current_of(&self) -> CurrentOf<'_> {
        match self {
            Lookup::Key(key) => CurrentOf::Key(key),
            Lookup::Scope(scope) => CurrentOf::Scope(scope),
            Lookup::Kind => CurrentOf::Kind,
        }
    }
}

/// Where a projector reads the current rows of the facts it does not hold.
pub trait FactSource: Send + Sync {
    /// The current rows of `fact_kind` that `lookup` picks.
    fn current(
        &mut self,
        fact_kind: &'static str,
        lookup: Lookup,
    ) -> Result<Vec<FactRow>, ProjectionError>;
}

impl std::fmt::Debug for dyn FactSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FactSource")
    }
}

/// A stored row as the segment of its fact.
/// Its scope is `scopes`' copy.
pub(super) fn segment_of(row: FactRow, scopes: &mut Scopes) -> Result<(FactKey, Segment), String> {
    let body = FactBody::parse(&row.kind, &row.body)
        .map_err(|e| format!("строка {} модели чтения: {e}", row.id))?;
    Ok((
        (body.kind(), row.key),
        Segment {
            id: row.id,
            scope: scopes.of(&row.scope),
            valid_from: row.valid_from,
            valid_to: row.valid_to,
            body,
        },
    ))
}

impl Projector {
    /// Makes sure the fact `key` is held (or known to be absent) before it is read or edited.
    /// A failed read is kept for [`Projector::apply`] to report; the fact then reads as
    /// absent, and nothing of that event is ever written.
    pub(super) fn ensure(&mut self, key: &FactKey) {
        if self.holds_all || self.facts.contains_key(key) || self.absent.contains(key) {
            return;
        }
        if let Some(rows) = self.read(key.0, Lookup::Key(key.1.clone())) {
            self.hold(rows, |_| true);
            if !self.facts.contains_key(key) {
                self.absent.insert(key.clone());
            }
        }
    }

    /// Makes sure every membership, role and deputy of `association` is held: its
    /// liquidation ends them all. Memberships are scoped by their association, roles keyed by
    /// it; deputies are scoped by the deputy, so all of them are read (there are few).
    pub(super) fn ensure_owned_by(&mut self, association: AssociationId) {
        if self.holds_all {
            return;
        }
        if let Some(rows) = self.read(kind::MEMBERSHIP, Lookup::Scope(association.to_string())) {
            self.hold(rows, |_| true);
        }
        for role in [
            AssociationRole::Head,
            AssociationRole::Secretary,
            AssociationRole::Curator,
        ] {
            self.ensure(&(kind::ROLE, role_fact_key(association, role)));
        }
        if let Some(rows) = self.read(kind::DEPUTY, Lookup::Kind) {
            self.hold(rows, |segment| {
                segment.body.owning_association() == Some(association)
            });
        }
    }

    /// The current rows `lookup` picks, or None (and the failure kept) if they could not be
    /// read.
    fn read(&mut self, fact_kind: &'static str, lookup: Lookup) -> Option<Vec<FactRow>> {
        if self.unread.is_some() {
            return None;
        }
        let Some(source) = self.source.as_mut() else {
            self.unread = Some(ProjectionError::Worker {
                reason: "проектору не дан источник фактов, которых он не держит".into(),
            });
            return None;
        };
        match source.current(fact_kind, lookup) {
            Ok(rows) => Some(rows),
            Err(e) => {
                self.unread = Some(e);
                None
            }
        }
    }

    /// Holds the facts of `rows` that `wanted` keeps and that are not held or known absent
    /// already (what is held is newer than the store).
    fn hold(&mut self, rows: Vec<FactRow>, wanted: impl Fn(&Segment) -> bool) {
        let mut read: HashMap<FactKey, Vec<Segment>> = HashMap::new();
        for row in rows {
            match segment_of(row, &mut self.scopes) {
                Ok((key, segment)) => read.entry(key).or_default().push(segment),
                Err(reason) => {
                    self.unread = Some(ProjectionError::UnreadableReadModel { reason });
                    return;
                }
            }
        }
        for (key, mut segments) in read {
            if self.facts.contains_key(&key)
                || self.absent.contains(&key)
                || !segments.iter().any(&wanted)
            {
                continue;
            }
            segments.sort_unstable_by_key(|s| s.valid_from);
            self.facts.insert(key, segments);
        }
    }
}
