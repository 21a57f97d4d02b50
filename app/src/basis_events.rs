//! The events a document's decisions cite as their basis, found in the log: the order issued
//! with that number and date; the meeting held on that date whose protocol has that number,
//! or, for a protocol cited before it was numbered («б/н»), the meeting of the association
//! named as issuer on that date. A council's protocol is kept on paper, not in the log: it is
//! reported as not found, never matched to something else.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use store::{BasisKind, LegalBasis, MetodStore, RecordedEvent, StreamId};

use crate::error::AppError;

/// Events read a page at a time.
const PAGE: usize = 5_000;

/// How a protocol is cited before it has a number.
const UNNUMBERED: &str = "б/н";

/// A basis as its documents cite it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct BasisRef {
    protocol: bool,
    number: String,
    date: NaiveDate,
    issuer: String,
}

impl BasisRef {
    pub(crate) fn of(basis: &LegalBasis) -> Self {
        Self {
            protocol: basis.kind == BasisKind::Protocol,
            number: basis.number.clone(),
            date: basis.date,
            issuer: basis.issuer.clone(),
        }
    }
}

/// The events of `stream` at positions up to `size`.
pub(crate) async fn read_stream_to(
    store: &dyn MetodStore,
    stream: &StreamId,
    size: u64,
) -> Result<Vec<RecordedEvent>, AppError> {
    let mut events = Vec::new();
    let mut version = 1;
    loop {
        let page = store.read_stream(stream, version, PAGE).await?;
        let Some(last) = page.last() else { break };
        version = last.version + 1;
        events.extend(page.into_iter().filter(|e| e.position <= size));
    }
    Ok(events)
}

/// What the log says of orders, meetings and associations, as far as a basis needs it.
#[derive(Default)]
struct Cited {
    /// order id → (number, date)
    orders: Vec<(String, String, NaiveDate)>,
    /// meeting id → (association id, date held)
    held: BTreeMap<String, (String, NaiveDate)>,
    /// meeting id → protocol number
    drafted: BTreeMap<String, String>,
    /// association id → its title
    titles: BTreeMap<String, String>,
}

impl Cited {
    fn note(&mut self, event_type: &str, payload: &str) {
        let wanted = matches!(
            event_type,
            "OrderIssued" | "MeetingHeld" | "ProtocolDrafted" | "AssociationCreated"
        );
        if !wanted {
            return;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(payload) else {
            return;
        };
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let date = |key: &str| text(key).and_then(|d| d.parse::<NaiveDate>().ok());
        match event_type {
            "OrderIssued" => {
                if let (Some(order), Some(number), Some(date)) =
                    (text("order"), text("number"), date("date"))
                {
                    self.orders.push((order, number, date));
                }
            }
            "MeetingHeld" => {
                if let (Some(meeting), Some(association), Some(date)) =
                    (text("meeting"), text("association"), date("date"))
                {
                    self.held.insert(meeting, (association, date));
                }
            }
            "ProtocolDrafted" => {
                if let (Some(meeting), Some(number)) = (text("meeting"), text("number")) {
                    self.drafted.insert(meeting, number);
                }
            }
            _ => {
                if let (Some(association), Some(title)) = (text("association"), text("title")) {
                    self.titles.insert(association, title);
                }
            }
        }
    }

    /// The streams of what `basis` cites (none when the log does not hold it).
    fn streams_of(&self, basis: &BasisRef) -> Vec<String> {
        if !basis.protocol {
            return self
                .orders
                .iter()
                .filter(|(_, number, date)| number == &basis.number && date == &basis.date)
                .map(|(order, _, _)| format!("order-{order}"))
                .collect();
        }
        self.held
            .iter()
            .filter(|(meeting, (association, date))| {
                // the meeting of the issuing association on that day; a protocol cited
                // before it was numbered, whatever number it got later
                date == &basis.date
                    && self.titles.get(association) == Some(&basis.issuer)
                    && (basis.number == UNNUMBERED
                        || self.drafted.get(*meeting) == Some(&basis.number))
            })
            .map(|(meeting, _)| format!("meeting-{meeting}"))
            .collect()
    }
}

/// What a document's bases lead to: the events found, and the bases the log does not hold
/// (a council's protocol kept on paper, say), in words.
#[derive(Debug, Default)]
pub(crate) struct BasisEvents {
    pub events: Vec<RecordedEvent>,
    pub not_in_log: Vec<String>,
}

impl BasisRef {
    fn in_words(&self) -> String {
        format!(
            "{} № {} от {} ({})",
            if self.protocol {
                "протокол"
            } else {
                "приказ"
            },
            self.number,
            self.date.format("%d.%m.%Y"),
            self.issuer
        )
    }
}

/// The events of the orders and meetings `bases` cite, up to position `size`.
pub(crate) async fn basis_events(
    store: &dyn MetodStore,
    bases: &BTreeSet<BasisRef>,
    size: u64,
) -> Result<BasisEvents, AppError> {
    let mut found = BasisEvents::default();
    if bases.is_empty() {
        return Ok(found);
    }
    let mut cited = Cited::default();
    let mut from = 1;
    while from <= size {
        let page = store.read_contents(from, PAGE).await?;
        let Some(last) = page.last() else { break };
        from = last.position + 1;
        for event in page.iter().filter(|e| e.position <= size) {
            cited.note(&event.event_type, &event.payload);
        }
    }
    let mut streams = BTreeSet::new();
    for basis in bases {
        let of = cited.streams_of(basis);
        if of.is_empty() {
            found.not_in_log.push(basis.in_words());
        }
        streams.extend(of);
    }
    for stream in streams {
        found
            .events
            .extend(read_stream_to(store, &StreamId::parse(stream)?, size).await?);
    }
    Ok(found)
}
