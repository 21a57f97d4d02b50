//! The documentation the projector keeps per association and school year (a fact beside the
//! documents and meetings) lists, at every point of both time axes, exactly the documents
//! other than nominations and the protocols drafted that hold then — listed here row by row
//! from the documents and meetings themselves. On generated histories of three school years
//! of three profiles, on every backend.

mod generated;

use chrono::{Days, NaiveDate};

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use domain::values::DocumentType;
use generated::{end_of, generated, points_every};
use projections::facts::{kind, FactBody, KeptPiece, MeetingPhase};
use store::{Backend, MetodStore, TimePoint};

type Listed = Vec<(AssociationId, SchoolYear, KeptPiece)>;

/// What the kept documentation lists at `at`, every piece with its association and year.
async fn kept(store: &dyn MetodStore, at: TimePoint) -> Listed {
    let mut listed = Listed::new();
    for row in store
        .facts_at(&[kind::KEPT_DOCUMENTATION], at)
        .await
        .expect("kept documentation")
    {
        let Ok(FactBody::KeptDocumentation(kept)) = FactBody::parse(&row.kind, &row.body) else {
            panic!("row {} is not kept documentation", row.id);
        };
        for piece in kept.pieces {
            listed.push((kept.association, kept.school_year, piece));
        }
    }
    listed.sort();
    listed
}

/// The documents other than nominations and the protocols drafted (or signed) that hold at
/// `at`, read from the documents and meetings.
async fn held(store: &dyn MetodStore, at: TimePoint) -> Listed {
    let mut listed = Listed::new();
    for row in store
        .facts_at(&[kind::DOCUMENT, kind::MEETING], at)
        .await
        .expect("documents and meetings")
    {
        match FactBody::parse(&row.kind, &row.body).expect("a stored body") {
            FactBody::Document(d) if d.document_type != DocumentType::Nomination => {
                listed.push((
                    d.association,
                    d.school_year,
                    KeptPiece::Document {
                        document_type: d.document_type,
                        title: d.title.into(),
                    },
                ));
            }
            FactBody::Meeting(m)
                if matches!(
                    m.phase,
                    MeetingPhase::ProtocolDrafted | MeetingPhase::ProtocolSigned
                ) =>
            {
                listed.push((
                    m.association,
                    m.school_year
                        .unwrap_or_else(|| SchoolYear::containing(m.date)),
                    KeptPiece::Protocol {
                        number: m.protocol_number,
                        date: m.date,
                    },
                ));
            }
            _ => {}
        }
    }
    listed.sort();
    listed
}

async fn kept_lists_what_the_documents_and_meetings_hold(backend: Backend, profile: &str) {
    let (_db, store) = generated(backend, profile, 3, 5).await;
    projections::catch_up(store.as_ref(), &|_, _| {})
        .await
        .expect("catch up");

    let first = NaiveDate::from_ymd_opt(2023, 8, 20).expect("date");
    let mut compared = 0;
    let mut pieces = 0;
    let mut protocols = 0;
    // Every third week also as known at the end of the day, and a fortnight before it.
    let points = points_every(first, 7, 160, |week, day| {
        if week % 3 == 1 {
            vec![end_of(day), end_of(day - Days::new(14))]
        } else {
            vec![]
        }
    });
    for at in points {
        let kept = kept(store.as_ref(), at).await;
        assert_eq!(kept, held(store.as_ref(), at).await, "{profile}: {at:?}");
        compared += 1;
        pieces += kept.len();
        protocols += kept
            .iter()
            .filter(|(_, _, piece)| matches!(piece, KeptPiece::Protocol { .. }))
            .count();
    }
    assert!(compared > 250, "{compared} points");
    assert!(pieces > 5_000, "{pieces} pieces compared");
    assert!(protocols > 1_000, "{protocols} protocols compared");
}

async fn novokuznetsk(backend: Backend) {
    kept_lists_what_the_documents_and_meetings_hold(backend, "novokuznetsk").await;
}

async fn pervouralsk(backend: Backend) {
    kept_lists_what_the_documents_and_meetings_hold(backend, "pervouralsk").await;
}

async fn izhevsk(backend: Backend) {
    kept_lists_what_the_documents_and_meetings_hold(backend, "izhevsk").await;
}

store::on_every_backend!(novokuznetsk, pervouralsk, izhevsk);
