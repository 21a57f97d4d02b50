//! One fact's valid-time segments and the rows that edits of them write: a change retires
//! the segments it touches and writes what replaces them, never rewriting a row.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use store::FactRow;

use crate::facts::FactBody;

/// One segment of a fact as known now: its body over the days `[valid_from, valid_to)`,
/// stored as row `id`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Segment {
    pub(super) id: u64,
    pub(super) scope: Arc<str>,
    pub(super) valid_from: NaiveDate,
    pub(super) valid_to: Option<NaiveDate>,
    pub(super) body: FactBody,
}

impl Segment {
    /// Whether it holds on `date` or on a later day.
    pub(super) fn ends_after(&self, date: NaiveDate) -> bool {
        self.valid_to.is_none_or(|to| to > date)
    }
}

/// When and by which event a change is made.
#[derive(Debug, Clone, Copy)]
pub(super) struct Moment {
    pub(super) position: u64,
    pub(super) recorded_at: DateTime<Utc>,
    pub(super) effective: NaiveDate,
}

pub(super) type FactKey = (&'static str, String);

/// The scopes the held segments name, one copy of each: a region's million segments name
/// some thirty thousand associations, organizations and persons, and a copy of its own in
/// every segment took some 60 MB of a rebuild's memory.
#[derive(Debug, Default)]
pub(super) struct Scopes(HashSet<Arc<str>>);

impl Scopes {
    /// The one copy of `scope`.
    pub(super) fn of(&mut self, scope: &str) -> Arc<str> {
        if let Some(held) = self.0.get(scope) {
            return held.clone();
        }
        let held: Arc<str> = Arc::from(scope);
        self.0.insert(held.clone());
        held
    }
}

/// The rows written and retired since the last hand-over, and the next row's id.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub(super) next_id: u64,
    pub(super) inserted: Vec<FactRow>,
    /// Where a row not handed out yet sits in `inserted`.
    pub(super) pending: HashMap<u64, usize>,
    pub(super) retired: Vec<(u64, DateTime<Utc>)>,
}

impl Rows {
    /// Row `id` stops being what is known at the moment of `at`. A row not handed out yet is
    /// written once, already closed.
    fn retire(&mut self, id: u64, at: Moment) {
        match self.pending.get(&id) {
            Some(&index) => self.inserted[index].recorded_to = Some(at.recorded_at),
            None => self.retired.push((id, at.recorded_at)),
        }
    }

    /// A row known from the moment of `at`; returns its id.
    fn write(
        &mut self,
        at: Moment,
        key: &FactKey,
        scope: &str,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
        body: &FactBody,
    ) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.pending.insert(id, self.inserted.len());
        self.inserted.push(FactRow {
            id,
            kind: key.0.to_string(),
            key: key.1.clone(),
            scope: scope.to_string(),
            valid_from,
            valid_to,
            recorded_from: at.recorded_at,
            recorded_to: None,
            position: at.position,
            body: body.to_json(),
        });
        id
    }
}

/// The scope a body names itself: a person's is the organization they work at; a role's, a
/// deputy's and an office's, the person who holds it (a person's inbox and standing read
/// theirs alone); a document on its way's, whom it waits on.
fn own_scope(body: &FactBody) -> Option<String> {
    match body {
        FactBody::Person(p) => Some(p.organization.to_string()),
        FactBody::Role(r) => Some(r.person.to_string()),
        FactBody::Deputy(d) => Some(d.deputy.to_string()),
        FactBody::Official(o) => Some(o.person.to_string()),
        FactBody::OpenDocument(d) => Some(d.waits_on().scope()),
        _ => None,
    }
}

/// One event's changes to one fact: its segments as known now, and the rows the changes
/// write. Every change retires the segments it touches and writes what replaces them, so
/// the segments never overlap and each row, once written, is never rewritten.
pub(super) struct Edit<'a> {
    pub(super) key: &'a FactKey,
    pub(super) segments: &'a mut Vec<Segment>,
    pub(super) rows: &'a mut Rows,
    pub(super) scopes: &'a mut Scopes,
    pub(super) at: Moment,
}

impl Edit<'_> {
    /// Writes a segment and keeps it at `index`.
    pub(super) fn write(
        &mut self,
        index: usize,
        scope: Arc<str>,
        valid_from: NaiveDate,
        valid_to: Option<NaiveDate>,
        body: FactBody,
    ) {
        let id = self
            .rows
            .write(self.at, self.key, &scope, valid_from, valid_to, &body);
        // Most facts have one segment or a few: grown one at a time, a fact's segments take
        // the room they need (a vector's doubling would keep four from the first).
        if self.segments.len() == self.segments.capacity() {
            self.segments.reserve_exact(1);
        }
        self.segments.insert(
            index,
            Segment {
                id,
                scope,
                valid_from,
                valid_to,
                body,
            },
        );
    }

    /// The first segment that holds on `date` or later (segments are in valid-time order).
    fn first_ending_after(&self, date: NaiveDate) -> usize {
        self.segments.partition_point(|s| !s.ends_after(date))
    }

    /// Ends the segment that holds on `on` there; one that begins on `on` goes. Segments that
    /// begin later stay. Whether one held.
    pub(super) fn cut(&mut self, on: NaiveDate) -> bool {
        let index = self.first_ending_after(on);
        let Some(segment) = self.segments.get_mut(index) else {
            return false;
        };
        if segment.valid_from > on {
            return false;
        }
        self.rows.retire(segment.id, self.at);
        if segment.valid_from < on {
            segment.id = self.rows.write(
                self.at,
                self.key,
                &segment.scope,
                segment.valid_from,
                Some(on),
                &segment.body,
            );
            segment.valid_to = Some(on);
        } else {
            self.segments.remove(index);
        }
        true
    }

    /// Ends the fact on `on`: nothing of it holds from then on, whenever it began. Whether
    /// anything did.
    pub(super) fn truncate(&mut self, on: NaiveDate) -> bool {
        let index = self.first_ending_after(on);
        if index == self.segments.len() {
            return false;
        }
        for segment in self.segments.split_off(index) {
            self.rows.retire(segment.id, self.at);
            if segment.valid_from < on {
                let index = self.segments.len();
                self.write(
                    index,
                    segment.scope,
                    segment.valid_from,
                    Some(on),
                    segment.body,
                );
            }
        }
        true
    }

    /// A new start of the fact: `body` from `from` until `until` (exclusive; None = open).
    /// The segment holding on `from` ends there. Segments that begin later were started
    /// later in valid time and win (as a later appointment does in the domain): recorded out
    /// of order, the new body holds only on the days between them.
    pub(super) fn start(
        &mut self,
        scope: &str,
        from: NaiveDate,
        until: Option<NaiveDate>,
        body: FactBody,
    ) {
        let scope = self.scopes.of(scope);
        self.cut(from);
        let later = self.segments.partition_point(|s| s.valid_from <= from);
        if later == self.segments.len() {
            // In order: nothing begins later.
            if until.is_none_or(|u| u > from) {
                self.write(later, scope, from, until, body);
            }
            return;
        }
        let mut gaps = Vec::new();
        let mut day = from;
        let mut index = later;
        loop {
            let next = self.segments.get(index);
            let gap_end = match next {
                Some(s) => Some(until.map_or(s.valid_from, |u| u.min(s.valid_from))),
                None => until,
            };
            if gap_end.is_none_or(|end| end > day) {
                gaps.push((index, day, gap_end));
            }
            let Some(next) = next else { break };
            match next.valid_to {
                Some(to) if until.is_none_or(|u| u > to) => day = to,
                _ => break,
            }
            index += 1;
        }
        for (inserted, (index, from, to)) in gaps.into_iter().enumerate() {
            self.write(index + inserted, scope.clone(), from, to, body.clone());
        }
    }

    /// `update` from `from` on: every segment that holds from then on is written again with
    /// it, the one holding on `from` in two pieces (unchanged before `from`). Whether any
    /// segment held from `from` on.
    pub(super) fn change(&mut self, from: NaiveDate, update: &dyn Fn(&mut FactBody)) -> bool {
        let mut index = self.first_ending_after(from);
        if index == self.segments.len() {
            return false;
        }
        while index < self.segments.len() {
            let segment = &mut self.segments[index];
            self.rows.retire(segment.id, self.at);
            if segment.valid_from < from {
                let mut body = segment.body.clone();
                update(&mut body);
                let valid_to = segment.valid_to;
                segment.id = self.rows.write(
                    self.at,
                    self.key,
                    &segment.scope,
                    segment.valid_from,
                    Some(from),
                    &segment.body,
                );
                segment.valid_to = Some(from);
                let scope = match own_scope(&body) {
                    Some(own) => self.scopes.of(&own),
                    None => segment.scope.clone(),
                };
                self.write(index + 1, scope, from, valid_to, body);
                index += 2;
            } else {
                update(&mut segment.body);
                if let Some(own) = own_scope(&segment.body) {
                    if *segment.scope != *own {
                        segment.scope = self.scopes.of(&own);
                    }
                }
                segment.id = self.rows.write(
                    self.at,
                    self.key,
                    &segment.scope,
                    segment.valid_from,
                    segment.valid_to,
                    &segment.body,
                );
                index += 1;
            }
        }
        true
    }
}
