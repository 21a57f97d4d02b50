//! The projector alone, on events recorded out of order: the rows it writes, read back
//! at points of both axes.

use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};

use domain::calendar::SchoolYear;
use domain::events::{
    AdmissionBasis, DocumentOpened, DocumentRejected, DocumentReturned, DocumentVersionSubmitted,
    HeadAppointed, Member, MemberAdmitted, MemberLeft,
};
use domain::ids::{AssociationId, DocumentId, OrderId, PersonId};
use domain::values::{ContentHash, DocumentType};

use crate::facts::{kind, DocumentPhase};

use super::membership::membership_key;
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

fn noon(day: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).expect("time"))
}

/// A projector and the table its rows make.
struct Table {
    projector: Projector,
    rows: Vec<FactRow>,
}

impl Table {
    fn new() -> Self {
        Self {
            projector: Projector::new(),
            rows: Vec::new(),
        }
    }

    /// Applies `event`, effective on `effective`, recorded at noon of `recorded`.
    fn record(&mut self, event: impl Into<Event>, effective: NaiveDate, recorded: NaiveDate) {
        let event = event.into();
        let content = EventContent {
            position: self.projector.position() + 1,
            event_type: event.event_type().to_string(),
            schema: event.schema(),
            payload: event.payload().to_string(),
            recorded_at: noon(recorded),
            effective,
        };
        self.projector.apply(&content).expect("applies");
        let changes = self.projector.take_changes();
        for (id, moment) in changes.retired {
            let row = self.rows.iter_mut().find(|r| r.id == id).expect("a row");
            assert!(row.recorded_to.is_none(), "retired twice: {row:?}");
            row.recorded_to = Some(moment);
        }
        self.rows.extend(changes.inserted);
        self.assert_no_overlap();
    }

    /// A projector resumed from the table's current rows, as a catch-up resumes one.
    fn resumed(&self) -> Projector {
        let current: Vec<FactRow> = self
            .rows
            .iter()
            .filter(|r| r.recorded_to.is_none())
            .cloned()
            .collect();
        let last_id = self.rows.iter().map(|r| r.id).max().expect("rows");
        Projector::resume(current, last_id, self.projector.position()).expect("resume")
    }

    /// The body of fact `kind`/`key` on `day`, as known at noon of `known` (None: now).
    fn on(
        &self,
        kind: &str,
        key: &str,
        day: NaiveDate,
        known: Option<NaiveDate>,
    ) -> Option<FactBody> {
        let moment = known.map(noon);
        let found: Vec<&FactRow> = self
            .rows
            .iter()
            .filter(|r| r.kind == kind && r.key == key)
            .filter(|r| r.valid_from <= day && r.valid_to.is_none_or(|to| to > day))
            .filter(|r| match moment {
                None => r.recorded_to.is_none(),
                Some(t) => r.recorded_from <= t && r.recorded_to.is_none_or(|to| to > t),
            })
            .collect();
        assert!(found.len() <= 1, "{found:?}");
        found
            .first()
            .map(|r| FactBody::parse(&r.kind, &r.body).expect("a body"))
    }

    fn assert_no_overlap(&self) {
        let current: Vec<&FactRow> = self
            .rows
            .iter()
            .filter(|r| r.recorded_to.is_none())
            .collect();
        for a in &current {
            assert!(
                a.valid_to.is_none_or(|to| to > a.valid_from),
                "empty: {a:?}"
            );
            for b in &current {
                let overlap = a.id != b.id
                    && a.kind == b.kind
                    && a.key == b.key
                    && a.valid_from < b.valid_to.unwrap_or(NaiveDate::MAX)
                    && b.valid_from < a.valid_to.unwrap_or(NaiveDate::MAX);
                assert!(!overlap, "{a:?} overlaps {b:?}");
            }
        }
    }
}

fn year() -> SchoolYear {
    SchoolYear::parse("2024/25").expect("year")
}

fn head(
    table: &Table,
    association: AssociationId,
    day: NaiveDate,
    known: Option<NaiveDate>,
) -> Option<PersonId> {
    match table.on(kind::ROLE, &format!("{association}:head"), day, known) {
        Some(FactBody::Role(role)) => Some(role.person),
        _ => None,
    }
}

/// An appointment of 2 Sep entered on 20 Sep, after one of 15 Sep: the earlier holder
/// holds from 2 to 15 Sep, the later one from 15 Sep on, as known since 20 Sep.
#[test]
fn a_late_appointment_holds_until_the_later_one() {
    let association = AssociationId::derived("test", "a");
    let (first, second) = (
        PersonId::derived("test", "p1"),
        PersonId::derived("test", "p2"),
    );
    let appointed = |person| HeadAppointed {
        association,
        person,
        school_year: year(),
        until: None,
        order: OrderId::derived("test", "o"),
        review: None,
    };
    let mut table = Table::new();
    table.record(appointed(second), date(2024, 9, 15), date(2024, 9, 15));
    table.record(appointed(first), date(2024, 9, 2), date(2024, 9, 20));
    assert_eq!(
        head(&table, association, date(2024, 9, 10), None),
        Some(first)
    );
    assert_eq!(
        head(&table, association, date(2024, 9, 16), None),
        Some(second)
    );
    assert_eq!(
        head(
            &table,
            association,
            date(2024, 9, 10),
            Some(date(2024, 9, 19))
        ),
        None
    );
    assert_eq!(
        head(
            &table,
            association,
            date(2024, 9, 16),
            Some(date(2024, 9, 19))
        ),
        Some(second)
    );
}

/// A teacher admitted to an association by order, with no term.
fn admitted_by_order() -> (AssociationId, Member, MemberAdmitted) {
    let association = AssociationId::derived("test", "a");
    let member = Member::Person(PersonId::derived("test", "p"));
    let admitted = MemberAdmitted {
        association,
        member,
        school_year: None,
        until: None,
        from: None,
        basis: AdmissionBasis::Order(OrderId::derived("test", "o")),
    };
    (association, member, admitted)
}

/// A member admitted on 2 Sep and again on 1 Feb; a departure on 10 Jan entered on
/// 5 Feb ends the first membership only.
#[test]
fn a_late_departure_ends_the_membership_it_falls_in() {
    let (association, member, admitted) = admitted_by_order();
    let mut table = Table::new();
    table.record(admitted.clone(), date(2024, 9, 2), date(2024, 9, 2));
    table.record(admitted, date(2025, 2, 1), date(2025, 2, 1));
    table.record(
        MemberLeft {
            association,
            member,
            reason: "перевод".into(),
        },
        date(2025, 1, 10),
        date(2025, 2, 5),
    );
    let key = membership_key(association, member);
    let member_on = |day, known| table.on(kind::MEMBERSHIP, &key, day, known).is_some();
    assert!(member_on(date(2025, 1, 9), None));
    assert!(!member_on(date(2025, 1, 20), None));
    assert!(member_on(date(2025, 2, 3), None));
    assert!(member_on(date(2025, 1, 20), Some(date(2025, 2, 4))));
}

/// A plan submitted on 1 Apr and returned on 10 Apr; its rejection dated 8 Apr is entered
/// on 12 Apr. As known since then it is rejected from 8 Apr on, and its open copy ends
/// there; as known on 11 Apr it was returned from 10 Apr.
#[test]
fn a_late_decision_on_a_document_changes_it_and_its_open_copy_from_its_day() {
    let association = AssociationId::derived("test", "a");
    let document = DocumentId::derived("test", "plan");
    let author = PersonId::derived("test", "author");
    let head = PersonId::derived("test", "head");
    let mut table = Table::new();
    let first = date(2025, 4, 1);
    table.record(
        DocumentOpened {
            document,
            association,
            document_type: DocumentType::WorkPlan,
            school_year: year(),
            title: "План".into(),
            nomination: None,
        },
        first,
        first,
    );
    table.record(
        DocumentVersionSubmitted {
            document,
            association,
            version: 1,
            author,
            content_hash: ContentHash::parse(&"ab".repeat(32)).expect("hash"),
            network_event: None,
            based_on: None,
            planned_meetings: None,
            planned_network_events: None,
        },
        first,
        first,
    );
    table.record(
        DocumentReturned {
            document,
            version: 1,
            step: 1,
            by: head,
            comment: "доработать".into(),
        },
        date(2025, 4, 10),
        date(2025, 4, 10),
    );
    table.record(
        DocumentRejected {
            document,
            version: 1,
            step: 1,
            by: head,
            reason: "не соответствует".into(),
        },
        date(2025, 4, 8),
        date(2025, 4, 12),
    );
    let key = document.to_string();
    let phase = |kind, day, known| match table.on(kind, &key, day, known) {
        Some(FactBody::Document(d) | FactBody::OpenDocument(d)) => Some(d.phase),
        _ => None,
    };
    let in_review = Some(DocumentPhase::InReview { step: 1 });
    let returned = Some(DocumentPhase::Returned { step: 1 });
    assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 5), None), in_review);
    assert_eq!(
        phase(kind::OPEN_DOCUMENT, date(2025, 4, 5), None),
        in_review
    );
    for day in [date(2025, 4, 9), date(2025, 4, 11)] {
        assert_eq!(
            phase(kind::DOCUMENT, day, None),
            Some(DocumentPhase::Rejected)
        );
        assert_eq!(phase(kind::OPEN_DOCUMENT, day, None), None);
    }
    let before = Some(date(2025, 4, 11));
    assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 9), before), in_review);
    assert_eq!(phase(kind::DOCUMENT, date(2025, 4, 11), before), returned);
    assert_eq!(
        phase(kind::OPEN_DOCUMENT, date(2025, 4, 11), before),
        returned
    );
}

/// A projector resumed from the current rows continues as the one that wrote them.
#[test]
fn a_resumed_projector_writes_what_the_first_one_would() {
    let (association, member, admitted) = admitted_by_order();
    let left = MemberLeft {
        association,
        member,
        reason: "перевод".into(),
    };
    let mut table = Table::new();
    table.record(admitted.clone(), date(2024, 9, 2), date(2024, 9, 2));
    // Admitted and gone on the same day: the newest row is retired, nothing replaces it.
    table.record(admitted.clone(), date(2025, 2, 1), date(2025, 2, 1));
    table.record(left, date(2025, 2, 1), date(2025, 2, 1));
    let mut resumed = table.resumed();
    let next = EventContent {
        position: table.projector.position() + 1,
        event_type: "MemberAdmitted".into(),
        schema: domain::FIRST_SCHEMA,
        payload: Event::from(admitted.clone()).payload().to_string(),
        recorded_at: noon(date(2025, 3, 1)),
        effective: date(2025, 3, 1),
    };
    resumed.apply(&next).expect("applies");
    table.record(admitted, date(2025, 3, 1), date(2025, 3, 1));
    let rows: Vec<FactRow> = table
        .rows
        .iter()
        .filter(|r| r.position == next.position)
        .cloned()
        .collect();
    assert_eq!(resumed.take_changes().inserted, rows);
}

/// The segments of one association's facts (two members, its member count) name its scope
/// through one copy, whether projected or resumed from the rows: what keeps a region's
/// million segments from holding a copy each.
#[test]
fn segments_of_one_scope_share_one_copy_of_it() {
    let (association, _, admitted) = admitted_by_order();
    let other = MemberAdmitted {
        member: Member::Person(PersonId::derived("test", "q")),
        ..admitted.clone()
    };
    let mut table = Table::new();
    table.record(admitted, date(2024, 9, 2), date(2024, 9, 2));
    table.record(other, date(2024, 9, 3), date(2024, 9, 3));
    let scope = association.to_string();
    let copies = |projector: &Projector| {
        let named: Vec<&Arc<str>> = projector
            .facts
            .values()
            .flatten()
            .map(|s| &s.scope)
            .filter(|s| ***s == *scope)
            .collect();
        assert!(named.len() >= 3, "two memberships and a count: {named:?}");
        assert!(named.iter().all(|s| Arc::ptr_eq(s, named[0])));
    };
    copies(&table.projector);
    let resumed = table.resumed();
    copies(&resumed);
}
