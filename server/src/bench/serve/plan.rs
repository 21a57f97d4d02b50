//! What a session does next: a realistic mix by persona, drawn from the session's own seeded
//! generator, so both sides make the same operations in the same order.

use chrono::{Days, NaiveDate};
use domain::ids::DocumentId;
use projections::queries::QueryKind;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::town::Persona;

/// The kinds of operation the report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Inbox,
    Query,
    Trail,
    Approve,
    Return,
    /// «Мои задачи» as a page (HTML).
    InboxPage,
    /// «Документ» as a page (HTML).
    DocumentPage,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Inbox,
        Kind::Query,
        Kind::Trail,
        Kind::Approve,
        Kind::Return,
        Kind::InboxPage,
        Kind::DocumentPage,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Inbox => "inbox",
            Kind::Query => "query",
            Kind::Trail => "trail",
            Kind::Approve => "approve",
            Kind::Return => "return",
            Kind::InboxPage => "inbox_page",
            Kind::DocumentPage => "document_page",
        }
    }

    pub fn in_russian(self) -> &'static str {
        match self {
            Kind::Inbox => "входящие",
            Kind::Query => "вопросы надзора",
            Kind::Trail => "история документа",
            Kind::Approve => "согласование шага",
            Kind::Return => "возврат на доработку",
            Kind::InboxPage => "страница «Мои задачи»",
            Kind::DocumentPage => "страница «Документ»",
        }
    }

    pub fn writes(self) -> bool {
        matches!(self, Kind::Approve | Kind::Return)
    }

    /// A page of the web application (HTML), held to its own target.
    pub fn is_page(self) -> bool {
        matches!(self, Kind::InboxPage | Kind::DocumentPage)
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub enum Op {
    Inbox,
    Query {
        kind: QueryKind,
        as_of: NaiveDate,
        known_at: Option<NaiveDate>,
    },
    /// A document's whole history (at an earlier date a document opened since would be
    /// unknown).
    Trail {
        document: DocumentId,
    },
    /// Decide the next document of the session's own waiting for it in its inbox.
    Decide,
    /// «Мои задачи» as the browser asks for it.
    InboxPage,
    /// «Документ» of a document, as the browser asks for it.
    DocumentPage {
        document: DocumentId,
    },
}

/// Weights of inbox, query, trail, decide for each persona (percent).
fn weights(persona: Persona) -> [u32; 4] {
    match persona {
        Persona::Official => [15, 50, 20, 15],
        Persona::Council => [35, 0, 45, 20],
        Persona::CityHead => [30, 0, 50, 20],
        Persona::Secretary => [40, 0, 60, 0],
        Persona::Teacher => [40, 0, 60, 0],
    }
}

/// A session's source of operations.
pub struct Plan {
    rng: StdRng,
    persona: Persona,
    first_day: NaiveDate,
    today: NaiveDate,
}

impl Plan {
    pub fn new(
        seed: u64,
        session: usize,
        persona: Persona,
        first_day: NaiveDate,
        today: NaiveDate,
    ) -> Self {
        let stream = seed ^ (session as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        Self {
            rng: StdRng::seed_from_u64(stream),
            persona,
            first_day,
            today,
        }
    }

    /// A day from the first of the history to yesterday.
    fn past_day(&mut self) -> NaiveDate {
        let span = (self.today - self.first_day).num_days().max(1) as u64;
        self.first_day + Days::new(self.rng.gen_range(0..span))
    }

    /// The pause before the next operation: uniform from 0 to twice `think_ms`.
    pub fn pause(&mut self, think_ms: u64) -> std::time::Duration {
        if think_ms == 0 {
            return std::time::Duration::ZERO;
        }
        std::time::Duration::from_millis(self.rng.gen_range(0..=2 * think_ms))
    }

    pub fn next(&mut self, trails: &[DocumentId]) -> Op {
        let [inbox, query, trail, _] = weights(self.persona);
        let roll = self.rng.gen_range(0..100);
        // half the reads of one's inbox and of a document's history are the pages
        let page = self.rng.gen_range(0..2) == 0;
        if roll < inbox {
            if page {
                Op::InboxPage
            } else {
                Op::Inbox
            }
        } else if roll < inbox + query {
            let kind = QueryKind::ALL[self.rng.gen_range(0..QueryKind::ALL.len())];
            let as_of = self.past_day();
            // One question in four as known on an earlier day than today.
            let known_at = if self.rng.gen_range(0..4) == 0 {
                let span = (self.today - as_of).num_days().max(1) as u64;
                Some(as_of + Days::new(self.rng.gen_range(0..span)))
            } else {
                None
            };
            Op::Query {
                kind,
                as_of,
                known_at,
            }
        } else if roll < inbox + query + trail {
            if trails.is_empty() {
                return Op::Inbox;
            }
            let document = trails[self.rng.gen_range(0..trails.len())];
            if page {
                Op::DocumentPage { document }
            } else {
                Op::Trail { document }
            }
        } else {
            Op::Decide
        }
    }
}
