//! The documentation an association keeps for the profile's number of years (000 §4.8,
//! §10.6: «хранится в течение трех лет»): every document of the associations asked about and
//! every protocol drafted at their meetings, with the day its keeping period ends and whether
//! that day has passed on the date asked about.
//!
//! The seed does not say from when the years count. A document belongs to a school year and
//! its documentation is complete when that year ends, so the period is read as counted from
//! the last day of the document's school year (a plan for 2024/25 is kept to 31 Aug 2028) —
//! the reading that never shortens the keeping. Nominations are the procedure of an
//! appointment, not documentation an association keeps, and are left out.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use serde_json::{json, Value};

use domain::calendar::SchoolYear;
use domain::ids::AssociationId;
use store::{HeldFact, MetodStore};

use crate::error::ProjectionError;
use crate::facts::{kind, AssociationFact, KeptDocumentationFact, KeptPiece};
use crate::snapshot::{outline_of, Needs, Snapshot};

use super::row::{Cell, Names};
use super::{columns, report, QueryKind, Question, Report, Row, RuleApplied};

/// The names of a row's cells, in their order.
const CELLS: Names<9> = Names::new([
    "association",
    "association_title",
    "clause",
    "district",
    "kept_until",
    "school_year",
    "state",
    "title",
    "what",
]);

/// The last day a piece of documentation of `year` is kept, when it is kept `years` years.
pub fn kept_until(year: SchoolYear, years: u32) -> NaiveDate {
    let end = year.last_day();
    end.checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(end)
}

/// One piece of documentation: its association (and that association's place among the
/// others by title), what it is, its school year.
struct Kept<'s> {
    association: &'s AssociationFact,
    association_place: u32,
    what: &'static str,
    title: String,
    year: SchoolYear,
}

/// A piece as the answer names it: its kind in words, and its title (a protocol's made of
/// its number and day).
fn named(piece: KeptPiece) -> (&'static str, String) {
    match piece {
        KeptPiece::Document {
            document_type,
            title,
        } => (document_type.in_russian(), String::from(&*title)),
        KeptPiece::Protocol { number, date } => (
            "протокол заседания",
            protocol_title(number.as_deref().unwrap_or("б/н"), date),
        ),
    }
}

/// «Протокол № {number} от {date}», the day written `YYYY-MM-DD` digit by digit (as chrono
/// writes a year of four digits; any other year as chrono writes it): chrono's writing took
/// a twentieth of a region's answer.
fn protocol_title(number: &str, date: NaiveDate) -> String {
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return format!("Протокол № {number} от {date}");
    }
    let mut title = String::with_capacity(40 + number.len());
    title.push_str("Протокол № ");
    title.push_str(number);
    title.push_str(" от ");
    let digits = |title: &mut String, n: u32, width: u32| {
        for place in (0..width).rev() {
            title.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
        }
    };
    digits(&mut title, year as u32, 4);
    title.push('-');
    digits(&mut title, date.month(), 2);
    title.push('-');
    digits(&mut title, date.day(), 2);
    title
}

impl Kept<'_> {
    /// The order of the answer: by school year, then association title, kind and title, and
    /// last by the association's id, so two associations of one title with a piece alike in
    /// all else come in one order whatever order they were read in (rows alike in all five
    /// are the same row). The association's title is compared by its place
    /// ([`places_by_title`]): compared as text, two equal titles were read to their end at
    /// most comparisons, and the sort took 33M of the city answer's 173M instructions (18M by
    /// places).
    fn order(&self) -> (SchoolYear, u32, &str, &str, AssociationId) {
        (
            self.year,
            self.association_place,
            self.what,
            &self.title,
            self.association.association,
        )
    }
}

/// Each association with its place among `associations` by title: ordered by the place,
/// they are ordered by title, and associations of one title share a place.
fn places_by_title<'s>(
    associations: impl Iterator<Item = &'s AssociationFact>,
) -> HashMap<AssociationId, (&'s AssociationFact, u32)> {
    let mut by_title: Vec<&AssociationFact> = associations.collect();
    by_title.sort_by(|a, b| a.title.cmp(&b.title));
    let mut places = HashMap::with_capacity(by_title.len());
    let mut place = 0;
    for (i, association) in by_title.iter().enumerate() {
        if i > 0 && by_title[i - 1].title != association.title {
            place += 1;
        }
        places.insert(association.association, (*association, place));
    }
    places
}

/// Rows of kept documentation from which an answer is read and written in two halves, side by
/// side: on two cores, a region's answer (10,972 to 12,200 rows, 73,958 pieces) took a median
/// of 76–85 ms in one piece.
const SIDE_BY_SIDE_FROM: usize = 1_000;

/// An association's year of documentation, with the association and its place by title.
type Shelf<'s> = (&'s AssociationFact, u32, KeptDocumentationFact);

/// The years of documentation in `rows` of the associations in `kept_by`.
fn shelves_of<'s>(
    rows: &[HeldFact],
    kept_by: &HashMap<AssociationId, (&'s AssociationFact, u32)>,
) -> Result<Vec<Shelf<'s>>, ProjectionError> {
    let mut shelves = Vec::with_capacity(rows.len());
    for row in rows {
        let shelf: KeptDocumentationFact = outline_of(row)?;
        if let Some(&(association, place)) = kept_by.get(&shelf.association) {
            shelves.push((association, place, shelf));
        }
    }
    Ok(shelves)
}

/// The pieces of `shelves` (in order by year and association) in the answer's order: the
/// pieces of associations that share a year and a title interleave, so each such run is
/// sorted whole.
fn in_order(shelves: Vec<Shelf<'_>>) -> Vec<Kept<'_>> {
    let mut kept: Vec<Kept> = Vec::with_capacity(shelves.iter().map(|s| s.2.pieces.len()).sum());
    let mut shelves = shelves.into_iter().peekable();
    while let Some((association, place, shelf)) = shelves.next() {
        let run = kept.len();
        let year = shelf.school_year;
        let mut add = |association, shelf: KeptDocumentationFact| {
            kept.extend(shelf.pieces.into_iter().map(|piece| {
                let (what, title) = named(piece);
                Kept {
                    association,
                    association_place: place,
                    what,
                    title,
                    year,
                }
            }));
        };
        add(association, shelf);
        while let Some((association, _, shelf)) =
            shelves.next_if(|(_, p, s)| *p == place && s.school_year == year)
        {
            add(association, shelf);
        }
        kept[run..].sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    }
    kept
}

/// `work` on `first` on a thread of its own while this one does it on `second`.
fn side_by_side<T: Send, R: Send>(first: T, second: T, work: impl Fn(T) -> R + Sync) -> (R, R) {
    std::thread::scope(|scope| {
        let other = scope.spawn(|| work(first));
        let here = work(second);
        let other = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (other, here)
    })
}

/// What the rows are written with: what rows of one school year, one association or one
/// kind share is worked out once, and shared by them.
struct Sharing<'s> {
    snapshot: &'s Snapshot,
    today: NaiveDate,
    years: u32,
    clause: &'s str,
}

impl Sharing<'_> {
    fn rows_of(&self, kept: Vec<Kept<'_>>) -> Vec<Row> {
        let mut rows = Vec::with_capacity(kept.len());
        // Each half has values of its own: a value both shared would pass from core to core
        // at every row.
        let clause = Arc::new(json!(self.clause));
        let mut of_year: Option<(SchoolYear, [Arc<Value>; 3])> = None;
        let mut of_association: HashMap<AssociationId, [Arc<Value>; 3]> = HashMap::new();
        let mut of_kind: Vec<(&str, Arc<Value>)> = Vec::new();
        let share = |value: &Arc<Value>| Cell::Shared(Arc::clone(value));
        for k in kept {
            let year = match &of_year {
                Some((year, values)) if *year == k.year => values,
                _ => {
                    let until = kept_until(k.year, self.years);
                    let state = if self.today > until {
                        "срок хранения истёк"
                    } else {
                        "хранится"
                    };
                    let values = [
                        Arc::new(json!(k.year.to_string())),
                        Arc::new(json!(until)),
                        Arc::new(json!(state)),
                    ];
                    &of_year.insert((k.year, values)).1
                }
            };
            let association = of_association
                .entry(k.association.association)
                .or_insert_with(|| {
                    let district = self.snapshot.district_of(k.association);
                    [
                        Arc::new(json!(k.association.association)),
                        Arc::new(json!(k.association.title)),
                        Arc::new(json!(self.snapshot.district_title(district))),
                    ]
                });
            // The kinds' names are the code's own texts: found by where they lie, not letter
            // by letter.
            let what = match of_kind.iter().find(|(what, _)| std::ptr::eq(*what, k.what)) {
                Some((_, value)) => value,
                None => {
                    of_kind.push((k.what, Arc::new(json!(k.what))));
                    &of_kind[of_kind.len() - 1].1
                }
            };
            let [school_year, until, state] = year;
            let [id, title, district] = association;
            rows.push(Row::of_named(
                &CELLS,
                [
                    share(id),
                    share(title),
                    share(&clause),
                    share(district),
                    share(until),
                    share(school_year),
                    share(state),
                    Cell::Own(Value::String(k.title)),
                    share(what),
                ],
            ));
        }
        rows
    }
}

/// The documentation within and past its keeping period on the date, most overdue first.
pub async fn retention(
    store: &dyn MetodStore,
    question: &Question<'_>,
) -> Result<Report, ProjectionError> {
    let today = question.at.as_of;
    let mut rules = Vec::new();
    let mut rows = Vec::new();
    if let Some(rule) = &question.profile.retention {
        rules.push(RuleApplied {
            clause: rule.clause.to_string(),
            rule: format!(
                "документация хранится {} г. — считая с конца учебного года, к которому относится",
                rule.years
            ),
        });
        // The associations and what places them are loaded whole; the documentation is read
        // as each association keeps it, a row per school year listing its pieces
        // (`KeptDocumentationFact`), not as every document and meeting ever kept.
        let mut snapshot = Snapshot::load(store, question.at, Needs::default()).await?;
        // A school association stands in its school's district.
        snapshot.load_organizations_placing(store).await?;
        let stored = store
            .facts_at(&[kind::KEPT_DOCUMENTATION], question.at)
            .await?;
        let kept_by = places_by_title(
            snapshot
                .associations
                .values()
                .filter(|a| question.keeps(&snapshot, a)),
        );
        // A long answer (a region's has 73,958 rows) is read and written in two halves side
        // by side, one on a thread of its own.
        let split = stored.len() >= SIDE_BY_SIDE_FROM;
        let mut shelves = if split {
            let (first, second) = stored.split_at(stored.len() / 2);
            let (first, second) = side_by_side(first, second, |rows| shelves_of(rows, &kept_by));
            let mut shelves = first?;
            shelves.extend(second?);
            shelves
        } else {
            shelves_of(&stored, &kept_by)?
        };
        // In the answer's order by year and association.
        shelves.sort_unstable_by_key(|(association, place, shelf)| {
            (shelf.school_year, *place, association.association)
        });
        let mut kept = in_order(shelves);
        let clause = rule.clause.to_string();
        let sharing = Sharing {
            snapshot: &snapshot,
            today,
            years: rule.years,
            clause: &clause,
        };
        rows = if split {
            let second = kept.split_off(kept.len() / 2);
            let (mut first, second) = side_by_side(kept, second, |kept| sharing.rows_of(kept));
            first.extend(second);
            first
        } else {
            sharing.rows_of(kept)
        };
    }
    Ok(report(
        QueryKind::Retention,
        "Сроки хранения документации",
        question,
        rules,
        columns(&[
            ("association_title", "Объединение"),
            ("district", "Район"),
            ("what", "Вид"),
            ("title", "Документ"),
            ("school_year", "Учебный год"),
            ("kept_until", "Хранится до"),
            ("state", "Состояние"),
            ("clause", "Пункт"),
        ]),
        rows,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn association(n: u8, title: &str) -> AssociationFact {
        serde_json::from_value(serde_json::json!({
            "association": format!("00000000-0000-4000-8000-0000000000{n:02}"),
            "municipality": "6a53b12f-ff4a-5fed-a352-00d76bbbf5b9",
            "title": title,
            "subject": "математика",
            "level": "city",
            "kind": "methodical_association",
        }))
        .expect("an association")
    }

    /// The answer's order by places is the order by the texts themselves, ties (two
    /// associations of one title) by the associations' ids, whatever order they were loaded in.
    #[test]
    fn pieces_are_ordered_by_year_association_kind_and_title_as_their_texts_are() {
        let associations = [
            association(1, "РПМО: физика"),
            association(2, "ГПМО: физика"),
            association(3, "ГПМО: физика"),
        ];
        let places = places_by_title(associations.iter());
        let year = |text| SchoolYear::parse(text).expect("a school year");
        let piece = |n: usize, what, title: &'static str, text| {
            let (association, association_place) = places[&associations[n - 1].association];
            Kept {
                association,
                association_place,
                what,
                title: title.to_string(),
                year: year(text),
            }
        };
        let mut kept = vec![
            piece(1, "план работы", "План", "2024/25"),
            piece(3, "протокол заседания", "Протокол № 2", "2024/25"),
            piece(2, "протокол заседания", "Протокол № 2", "2024/25"),
            piece(2, "план работы", "План", "2023/24"),
            piece(3, "протокол заседания", "Протокол № 1", "2024/25"),
            piece(1, "анализ работы за учебный год", "Анализ", "2024/25"),
            piece(2, "план работы", "План", "2024/25"),
        ];
        let order = |kept: &[Kept]| -> Vec<(String, u8, &str, String)> {
            kept.iter()
                .map(|k| {
                    let id = k.association.association.to_string();
                    let n = id[id.len() - 2..].parse().expect("a number");
                    (k.year.to_string(), n, k.what, k.title.to_string())
                })
                .collect()
        };
        let mut by_text: Vec<usize> = (0..kept.len()).collect();
        by_text.sort_by(|i, j| {
            let key = |k: &Kept<'_>| {
                (
                    k.year,
                    k.association.title.clone(),
                    k.what,
                    k.title.to_string(),
                    k.association.association,
                )
            };
            key(&kept[*i]).cmp(&key(&kept[*j]))
        });
        let expected: Vec<_> = by_text.iter().map(|i| order(&kept)[*i].clone()).collect();
        kept.sort_by(|a, b| a.order().cmp(&b.order()));
        assert_eq!(order(&kept), expected);
        // Associations 2 and 3 share a title: their pieces interleave by kind and title, and
        // their two «Протокол № 2» come by their ids (2 before 3), though 3's was loaded first.
        assert_eq!(
            order(&kept),
            [
                ("2023/24".into(), 2, "план работы", "План".into()),
                ("2024/25".into(), 2, "план работы", "План".into()),
                (
                    "2024/25".into(),
                    3,
                    "протокол заседания",
                    "Протокол № 1".into()
                ),
                (
                    "2024/25".into(),
                    2,
                    "протокол заседания",
                    "Протокол № 2".into()
                ),
                (
                    "2024/25".into(),
                    3,
                    "протокол заседания",
                    "Протокол № 2".into()
                ),
                (
                    "2024/25".into(),
                    1,
                    "анализ работы за учебный год",
                    "Анализ".into()
                ),
                ("2024/25".into(), 1, "план работы", "План".into()),
            ]
        );
    }

    /// A protocol's title writes its day as chrono does, in every year.
    #[test]
    fn a_protocol_title_writes_its_day_as_chrono_does() {
        let days = [
            (2024, 9, 1),
            (1999, 12, 31),
            (2000, 1, 9),
            (9, 10, 5),
            (0, 1, 1),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
        ];
        for (year, month, day) in days {
            let date = NaiveDate::from_ymd_opt(year, month, day).expect("a day");
            assert_eq!(
                protocol_title("7", date),
                format!("Протокол № 7 от {date}"),
                "{date:?}"
            );
        }
    }

    #[test]
    fn a_year_is_kept_to_the_same_day_three_years_after_it_ends() {
        let year = SchoolYear::parse("2024/25").expect("a school year");
        assert_eq!(
            kept_until(year, 3),
            NaiveDate::from_ymd_opt(2028, 8, 31).expect("a date")
        );
    }
}
