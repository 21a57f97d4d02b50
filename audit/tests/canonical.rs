//! The parser of canonical bytes reads back exactly what the store hashed.

use audit::CanonicalEvent;
use chrono::{DateTime, NaiveDate};
use store::{Actor, BasisKind, LegalBasis, RecordedEvent, StreamId};
use uuid::Uuid;

fn event(basis: bool, causation: bool) -> RecordedEvent {
    let mut e = RecordedEvent {
        position: 4_711,
        stream: StreamId::parse("document-7c1e0000-0000-4000-8000-000000000001").expect("name"),
        version: 3,
        event_type: "StepApproved".into(),
        schema: 2,
        payload: r#"{"comment":"Согласовано — без замечаний","step":1}"#.into(),
        recorded_at: DateTime::from_timestamp_micros(1_745_740_800_123_456).expect("moment"),
        effective: NaiveDate::from_ymd_opt(2025, 4, 27).expect("date"),
        actor: Actor::new("person:0e84a4e5-8365-5050-a46a-3aab90e48bb1", "city_head"),
        basis: basis.then(|| LegalBasis {
            kind: BasisKind::Protocol,
            number: "б/н".into(),
            date: NaiveDate::from_ymd_opt(2025, 4, 27).expect("date"),
            issuer: "ГПМО: начальные классы".into(),
        }),
        command_id: Uuid::from_u128(1),
        correlation_id: Uuid::from_u128(2),
        causation_id: causation.then(|| Uuid::from_u128(3)),
        prev_hash: [9u8; 32],
        hash: [0u8; 32],
    };
    e.hash = store::recompute_hash(&e, &e.prev_hash);
    e
}

#[test]
fn every_field_reads_back_and_the_hash_is_the_stores() {
    for (basis, causation) in [(false, false), (true, false), (false, true), (true, true)] {
        let e = event(basis, causation);
        let bytes = store::canonical_bytes(&e);
        let parsed = CanonicalEvent::parse(&bytes).expect("canonical");
        assert_eq!(parsed.hash, e.hash);
        assert_eq!(parsed.prev_hash, e.prev_hash);
        assert_eq!(parsed.position, e.position);
        assert_eq!(parsed.stream, e.stream.as_str());
        assert_eq!(parsed.version, e.version);
        assert_eq!(parsed.event_type, e.event_type);
        assert_eq!(parsed.schema, e.schema);
        assert_eq!(parsed.payload, e.payload);
        assert_eq!(parsed.recorded_at, e.recorded_at);
        assert_eq!(parsed.effective, e.effective);
        assert_eq!(parsed.actor_id, e.actor.id);
        assert_eq!(parsed.actor_role, e.actor.role);
        assert_eq!(
            parsed
                .basis
                .as_ref()
                .map(|b| (b.kind.as_str(), b.number.as_str(), b.date)),
            e.basis
                .as_ref()
                .map(|b| (b.kind.as_str(), b.number.as_str(), b.date))
        );
        assert_eq!(parsed.command_id, e.command_id);
        assert_eq!(parsed.correlation_id, e.correlation_id);
        assert_eq!(parsed.causation_id, e.causation_id);
    }
}

#[test]
fn truncated_extended_or_retagged_bytes_are_refused() {
    let bytes = store::canonical_bytes(&event(true, true));
    for cut in [0, 10, 14, 46, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            CanonicalEvent::parse(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(CanonicalEvent::parse(&longer).is_err());
    let mut retagged = bytes.clone();
    retagged[13] = b'2';
    assert!(CanonicalEvent::parse(&retagged).is_err());
    let mut huge_length = bytes;
    huge_length[54..62].copy_from_slice(&u64::MAX.to_be_bytes());
    assert!(CanonicalEvent::parse(&huge_length).is_err());
}
