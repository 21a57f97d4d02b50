//! The documentation each association keeps, per school year (000 §4.8, §10.6), kept beside
//! the documents and meetings it lists: whenever an edit changes the days a document or a
//! drafted protocol holds (or what it is), the association's year gains the piece from each
//! day a span of it now begins and loses it from each day one ends, as the member count
//! follows the memberships. So on every day, and as known at every moment, a year's row lists
//! exactly the pieces whose documents and meetings hold then.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use domain::values::DocumentType;

use crate::facts::{kind, FactBody, KeptDocumentationFact, KeptPiece, MeetingPhase};

use super::{FactKey, Moment, Projector};

/// Where a piece is kept: its association and school year.
type Shelf = (AssociationId, SchoolYear);

/// The pieces a document's or a meeting's segments amount to, as known now: each piece with
/// its shelf and the days `[from, to)` it holds, neighbouring segments of one piece joined.
pub(super) type KeptSpans = Vec<(Shelf, KeptPiece, NaiveDate, Option<NaiveDate>)>;

/// The piece of documentation a document or meeting is, if it is one: a document other than
/// a nomination (the procedure of an appointment), a meeting once its protocol is drafted.
/// A meeting without a school year is kept under the year its day falls in.
fn piece_of(body: &FactBody) -> Option<(Shelf, KeptPiece)> {
    match body {
        FactBody::Document(d) if d.document_type != DocumentType::Nomination => Some((
            (d.association, d.school_year),
            KeptPiece::Document {
                document_type: d.document_type,
                title: Arc::from(d.title.as_str()),
            },
        )),
        FactBody::Meeting(m)
            if matches!(
                m.phase,
                MeetingPhase::ProtocolDrafted | MeetingPhase::ProtocolSigned
            ) =>
        {
            Some((
                (
                    m.association,
                    m.school_year
                        .unwrap_or_else(|| SchoolYear::containing(m.date)),
                ),
                KeptPiece::Protocol {
                    number: m.protocol_number.clone(),
                    date: m.date,
                },
            ))
        }
        _ => None,
    }
}

/// The key of an association's year of documentation.
fn kept_documentation_key(association: AssociationId, year: SchoolYear) -> String {
    format!("{association}:{year}")
}

impl Projector {
    /// The pieces the document or meeting `key` amounts to, as known now.
    pub(super) fn kept_spans(&self, key: &FactKey) -> KeptSpans {
        let mut spans: KeptSpans = Vec::new();
        for segment in self.facts.get(key).into_iter().flatten() {
            let Some((shelf, piece)) = piece_of(&segment.body) else {
                continue;
            };
            match spans.last_mut() {
                Some((last_shelf, last_piece, _, to))
                    if *to == Some(segment.valid_from)
                        && *last_shelf == shelf
                        && *last_piece == piece =>
                {
                    *to = segment.valid_to;
                }
                _ => spans.push((shelf, piece, segment.valid_from, segment.valid_to)),
            }
        }
        spans
    }

    /// Keeps the years of documentation with a change of a document or meeting from the
    /// pieces it was `before` to those it is `after`: one more copy of a piece from each day
    /// a span of it now begins, one fewer from each day one ends (a change that leaves the
    /// pieces as they were cancels out). The additions go first, so a piece is never taken
    /// from a day it is not listed on.
    pub(super) fn rekeep(&mut self, at: Moment, before: KeptSpans, after: KeptSpans) {
        if before == after {
            return;
        }
        let mut deltas: BTreeMap<(Shelf, KeptPiece, NaiveDate), i64> = BTreeMap::new();
        for (spans, sign) in [(before, -1), (after, 1)] {
            for (shelf, piece, from, to) in spans {
                if let Some(to) = to {
                    *deltas.entry((shelf, piece.clone(), to)).or_default() -= sign;
                }
                *deltas.entry((shelf, piece, from)).or_default() += sign;
            }
        }
        let (more, fewer): (Vec<_>, Vec<_>) = deltas
            .into_iter()
            .filter(|(_, d)| *d != 0)
            .partition(|(_, d)| *d > 0);
        for ((shelf, piece, day), delta) in more.into_iter().chain(fewer) {
            self.count_piece(at, shelf, &piece, day, delta);
        }
    }

    /// `delta` copies of `piece` more on `shelf` from `day` on. A year's row begins the day
    /// its first piece does, and a piece dated before it adds the days in between.
    fn count_piece(
        &mut self,
        at: Moment,
        (association, year): Shelf,
        piece: &KeptPiece,
        day: NaiveDate,
        delta: i64,
    ) {
        let key: FactKey = (
            kind::KEPT_DOCUMENTATION,
            kept_documentation_key(association, year),
        );
        let count = |body: &mut FactBody| {
            if let FactBody::KeptDocumentation(kept) = body {
                kept.count(piece, delta);
            }
        };
        let first = self
            .segments(&key)
            .and_then(|segments| segments.first())
            .map(|s| s.valid_from);
        let starts = first.is_none_or(|first| day < first);
        if starts && delta < 0 {
            // Nothing is listed before the first day to take away.
            return;
        }
        let mut kept = KeptDocumentationFact {
            association,
            school_year: year,
            pieces: Vec::new(),
        };
        kept.count(piece, delta);
        let body = FactBody::KeptDocumentation(kept);
        let scope = association.to_string();
        self.edit(at, &key, true, |fact| match first {
            None => fact.start(&scope, day, None, body),
            Some(first) if day < first => {
                fact.change(first, &count);
                fact.start(&scope, day, Some(first), body);
            }
            Some(_) => {
                fact.change(day, &count);
            }
        });
    }
}
