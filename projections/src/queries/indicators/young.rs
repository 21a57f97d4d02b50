//! Who 001 §4.1.3's last indicator is about: «педагогические работники в возрасте до 35 лет
//! … в первые три года работы». Both conditions hold on the date asked: the first three years
//! of work are counted from the day work in the specialty began (`specialty_since`, the only
//! start of work the registry holds), the age from the birth date. The birth date is sealed
//! personal data: it is opened here, through the vault, only for the members in their first
//! three years, only to tell whether they are under 35, and is dropped at once — never put in
//! an answer, a log line or an error. A person whose data was erased (152-FZ) has an age
//! nobody can know any more: unknown, and counted as such.

use std::collections::HashMap;

use chrono::{Datelike, Months, NaiveDate};

use domain::ids::PersonId;
use store::{MetodStore, Revealed, SealedField};

use crate::error::ProjectionError;
use crate::facts::PersonFact;
use crate::snapshot::Snapshot;

/// The age under which a teacher is young (001 §4.1.3: «в возрасте до 35 лет»).
const YOUNG_UNTIL_AGE: i32 = 35;

/// The first years of work the indicator counts (001 §4.1.3: «в первые три года работы»).
const FIRST_YEARS: u32 = 3;

/// A member in the first three years of work, by age on the date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Age {
    Under35,
    NotUnder35,
    /// The birth date was erased with the rest of the person's data: the age is unknown.
    Unknown,
}

/// The ages on one date of the members in their first three years of work, and whose birth
/// dates were opened to know them.
#[derive(Debug, Default)]
pub(super) struct YoungTeachers {
    ages: HashMap<PersonId, Age>,
    opened: Vec<PersonId>,
}

/// Whether `on` falls in the first three years of work of `person`: on or after the day work
/// in the specialty began, and before the third anniversary of that day.
pub(super) fn in_first_three_years(person: &PersonFact, on: NaiveDate) -> bool {
    let began = person.specialty_since;
    began <= on
        && began
            .checked_add_months(Months::new(12 * FIRST_YEARS))
            .is_none_or(|third_anniversary| on < third_anniversary)
}

/// The age in whole years on `on` of one born on `born`: one more on each birthday (one born
/// on 29 February turns a year older on 1 March in a common year).
fn age_on(born: NaiveDate, on: NaiveDate) -> i32 {
    let had_birthday = (on.month(), on.day()) >= (born.month(), born.day());
    on.year() - born.year() - i32::from(!had_birthday)
}

impl YoungTeachers {
    /// Opens, with one look-up of their keys, the birth dates of those among `members` who
    /// are in their first three years of work on `on`, and keeps only whether each is under
    /// 35 then.
    pub(super) async fn on(
        store: &dyn MetodStore,
        snapshot: &Snapshot,
        members: &[PersonId],
        on: NaiveDate,
    ) -> Result<Self, ProjectionError> {
        let mut wanted: Vec<PersonId> = members
            .iter()
            .copied()
            .filter(|p| {
                snapshot
                    .persons
                    .get(p)
                    .is_some_and(|(_, fact)| in_first_three_years(fact, on))
            })
            .collect();
        wanted.sort();
        wanted.dedup();
        let mut persons = Vec::new();
        let mut fields = Vec::new();
        for person in wanted {
            let fact = &snapshot.persons[&person].1;
            let field = fact
                .birth_date
                .field::<SealedField>()
                .ok_or_else(|| unreadable(person))?;
            persons.push(person);
            fields.push(field);
        }
        let revealed = store.reveal_many(&fields).await?;
        let mut young = Self::default();
        for (person, birth_date) in persons.into_iter().zip(revealed) {
            let age = match birth_date {
                Revealed::Erased => Age::Unknown,
                Revealed::Clear(text) => {
                    young.opened.push(person);
                    let born: NaiveDate = text.parse().map_err(|_| not_a_date(person))?;
                    if age_on(born, on) < YOUNG_UNTIL_AGE {
                        Age::Under35
                    } else {
                        Age::NotUnder35
                    }
                }
            };
            young.ages.insert(person, age);
        }
        Ok(young)
    }

    /// The age of `person` on the date, if in the first three years of work then.
    pub(super) fn age(&self, person: PersonId) -> Option<Age> {
        self.ages.get(&person).copied()
    }

    /// The persons whose birth dates were opened, in order: for the journal (152-FZ).
    pub(super) fn opened(&self) -> &[PersonId] {
        &self.opened
    }
}

/// A person fact whose birth date is not a sealed field: named by its person only.
fn unreadable(person: PersonId) -> ProjectionError {
    ProjectionError::UnreadableReadModel {
        reason: format!("дата рождения лица {person} в сведениях о лице не запечатана"),
    }
}

/// A birth date the vault opened to something that is not a date: named by its person only,
/// never by what it holds.
fn not_a_date(person: PersonId) -> ProjectionError {
    store::StoreError::VaultCrypto {
        person: person.to_string(),
        reason: "поле «дата рождения» открылось не датой".into(),
    }
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn one_turns_35_on_the_35th_birthday() {
        let born = date(1990, 3, 2);
        assert_eq!(age_on(born, date(2025, 3, 1)), 34);
        assert_eq!(age_on(born, date(2025, 3, 2)), 35);
        // Born on 29 February: a year older on 1 March of a common year.
        let leap = date(1992, 2, 29);
        assert_eq!(age_on(leap, date(2027, 2, 28)), 34);
        assert_eq!(age_on(leap, date(2027, 3, 1)), 35);
    }
}
