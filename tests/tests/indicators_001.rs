//! Kuznetsk's share of young teachers supported (001 §4.1.3, its last item: «доля
//! педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки и
//! сопровождения в первые три года работы») through `query indicators`, on a real store
//! (SQLite file and PostgreSQL). Both conditions hold on the date asked: under 35, from the
//! sealed birth date the query opens only to count; in the first three years of work, from
//! the day work in the specialty began. The numerator is those of them with a form of support
//! recorded in the school year, the denominator all of them (the profile's reading); a member
//! whose data was erased is in neither and is counted as of unknown age.
//!
//! The town: one ММО of history, created on 9 Sep 2024, its members the city's teachers of
//! history by the registry (001 §1.3), the support recorded on
//! 10 Oct 2024 (school year 2024/25), as the table `MEMBERS` says. Asked on 1 Mar 2025 unless
//! a test says otherwise.

mod scenario_support;

use chrono::NaiveDate;
use serde_json::{json, Value};

use domain::commands::RecordDevelopment;
use domain::ids::{AssociationId, PersonId};
use domain::values::{DevelopmentMilestone, Level};
use domain::Command;
use projections::queries::{self, Filters, Question, Report};
use scenario_support::*;
use store::{Backend, TimePoint};

/// A member: key, name, birth date, the day work in the specialty began, whether a form of
/// support is recorded for the year.
type Member = (
    &'static str,
    &'static str,
    (i32, u32, u32),
    (i32, u32, u32),
    bool,
);

const MEMBERS: [Member; 8] = [
    // 44 on 1 Mar 2025, working since 2005.
    (
        "head",
        "Борисова Людмила Алексеевна",
        (1980, 5, 12),
        (2005, 9, 1),
        false,
    ),
    // 25, in the second year of work, supported: counts.
    (
        "young",
        "Алексеева Нина Олеговна",
        (1999, 6, 1),
        (2023, 9, 1),
        true,
    ),
    // 40, in the second year of work, supported: over 35.
    (
        "older",
        "Гусев Артём Романович",
        (1985, 2, 10),
        (2023, 9, 1),
        true,
    ),
    // 28, in the fifth year of work, supported: past the first three years.
    (
        "fifth-year",
        "Рябова Ольга Николаевна",
        (1996, 4, 20),
        (2020, 9, 1),
        true,
    ),
    // 23, in the first year of work, without support: in the denominator only.
    (
        "first-year",
        "Зуев Максим Андреевич",
        (2001, 11, 5),
        (2024, 9, 1),
        false,
    ),
    // Turns 35 on 1 Mar 2025, in the second year of work, supported.
    (
        "turns-35",
        "Лаптев Семён Ильич",
        (1990, 3, 1),
        (2023, 9, 1),
        true,
    ),
    // 30, whose third year of work ends on 28 Feb 2025 (began 1 Mar 2022), supported.
    (
        "third-year",
        "Полякова Вера Степановна",
        (1994, 8, 8),
        (2022, 3, 1),
        true,
    ),
    // 26, in the second year of work, supported; the data is erased in `erased`.
    (
        "erased",
        "Дроздова Ирина Павловна",
        (1998, 12, 24),
        (2023, 9, 1),
        true,
    ),
];

const CODE: &str = "young_teachers_supported_share";

fn day((y, m, d): (i32, u32, u32)) -> NaiveDate {
    date(y, m, d)
}

/// The day the answers are asked about.
fn march() -> NaiveDate {
    date(2025, 3, 1)
}

struct History {
    town: Town,
    mmo: AssociationId,
}

/// The town described at the top, with the read models caught up.
async fn history(backend: Backend) -> History {
    let mut town = Town::kuznetsk(backend).await;
    for (key, name, born, since, _) in MEMBERS {
        town.teacher_of_born(key, name, "история", None, day(since), day(born))
            .await;
    }
    let order = town
        .order("uo", "157", date(2024, 9, 9), "О составе ММО")
        .await;
    let mmo = town
        .association(
            "history",
            "ММО учителей истории и обществознания",
            "история",
            Level::City,
            None,
            None,
            order,
        )
        .await;
    // Its members are the teachers of history, by the registry (001 §1.3).
    for (key, _, _, _, supported) in MEMBERS {
        if supported {
            support(&mut town, mmo, key, date(2024, 10, 10)).await;
        }
    }
    catch_up(&town).await;
    History { town, mmo }
}

/// Records that `key` took part in a form of support in 2024/25, on `on`.
async fn support(town: &mut Town, mmo: AssociationId, key: &str, on: NaiveDate) {
    let person = town.person(key);
    town.op(
        on,
        Command::RecordDevelopment(RecordDevelopment {
            association: mmo,
            person,
            school_year: year("2024/25"),
            milestone: DevelopmentMilestone::YoungTeacherSupported,
        }),
    )
    .await;
}

async fn catch_up(town: &Town) {
    projections::catch_up(town.store.as_ref(), &|_, _| {})
        .await
        .expect("the read models catch up");
}

/// Erases `key`'s personal data (152-FZ), as `metod personal-data erase` does.
async fn erase(town: &Town, key: &str, on: NaiveDate) {
    town.store
        .shred(
            &town.person(key).to_string(),
            store::Erasure {
                actor: store::Actor::new("operator", "operator"),
                basis: None,
                grounds: "отзыв согласия на обработку персональных данных".into(),
                effective: on,
            },
            store::CommandId::random(),
        )
        .await
        .expect("the data is erased");
    catch_up(town).await;
}

/// `query indicators` of Kuznetsk on `as_of`, as known now.
async fn indicators(town: &Town, as_of: NaiveDate) -> Report {
    let profiles = commands::ProfileSet::built_in().expect("profiles");
    let profile = profiles.get("kuznetsk").expect("profile");
    let question = Question {
        at: TimePoint {
            as_of,
            known_at: None,
        },
        profile,
        filters: Filters::default(),
    };
    queries::indicators(town.store.as_ref(), &question)
        .await
        .expect("the query runs")
}

/// The young teachers' rows: scope, numerator, denominator, value, unknown, clause.
fn rows_of(report: &Report) -> Vec<Vec<Value>> {
    report
        .rows
        .iter()
        .filter(|row| row["indicator"] == CODE)
        .map(|row| {
            [
                "scope",
                "numerator",
                "denominator",
                "value",
                "unknown",
                "clause",
            ]
            .iter()
            .map(|k| row.get(k).cloned().unwrap_or(Value::Null))
            .collect()
        })
        .collect()
}

/// The rows expected of the ММО and of the municipality (the same one ММО, Kuznetsk having
/// no districts) from its counts.
fn expected(numerator: u64, denominator: u64, unknown: u64) -> Vec<Vec<Value>> {
    let value = json!((numerator as f64 / denominator as f64 * 1000.0).round() / 10.0);
    ["объединение", "район"]
        .iter()
        .map(|scope| {
            vec![
                json!(scope),
                json!(numerator),
                json!(denominator),
                value.clone(),
                json!(unknown),
                json!("001 §4.1.3"),
            ]
        })
        .collect()
}

/// The persons of `keys`, sorted as an answer lists those it opened.
fn persons(town: &Town, keys: &[&str]) -> Vec<PersonId> {
    let mut persons: Vec<PersonId> = keys.iter().map(|k| town.person(k)).collect();
    persons.sort();
    persons
}

/// 001 §4.1.3: a member under 35 and in the first three years of work with a form of support
/// recorded in the year counts in the numerator, over the members under 35 in their first
/// three years.
async fn indicator_4_1_3_counts_under_35_in_first_three_years_with_support_001_4_1_3(
    backend: Backend,
) {
    // Given the members of the table, «erased» with their data still kept.
    let History { town, .. } = history(backend).await;
    // When asked on 1 Mar 2025.
    let answer = indicators(&town, march()).await;
    // Then «young» and «erased» count (25 and 26, second year, supported) over them and
    // «first-year»: 2 of 3. Not «older» (40), «turns-35» (35 that day), «fifth-year» (fifth
    // year), «third-year» (fourth year from 1 Mar), «head».
    assert_eq!(rows_of(&answer), expected(2, 3, 0));
    // The birth dates opened are those of the members in their first three years, no other.
    assert_eq!(
        answer.opened,
        persons(
            &town,
            &["young", "older", "first-year", "turns-35", "erased"]
        )
    );
    let column = answer
        .columns
        .iter()
        .find(|c| c.key == "unknown")
        .expect("the column of the unknown ages");
    assert_eq!(
        column.header,
        "Не учтены: возраст неизвестен (данные удалены)"
    );
}

/// 001 §4.1.3 «в возрасте до 35 лет»: a member of 35 or over on the date is in neither figure,
/// however recent the start of work and whatever support is recorded.
async fn indicator_4_1_3_leaves_out_those_35_or_over_001_4_1_3(backend: Backend) {
    // Given «older» (40) and «turns-35» (35 on 1 Mar 2025), both in their second year and
    // supported.
    let History { town, .. } = history(backend).await;
    // When asked on 28 Feb, «turns-35» is 34 and counts with «young», «erased» and
    // «third-year» (the last day of its third year): 4 of 5 with «first-year».
    assert_eq!(
        rows_of(&indicators(&town, date(2025, 2, 28)).await),
        expected(4, 5, 0)
    );
    // When asked on 1 Mar, «turns-35» is 35 (and «third-year» in its fourth year): 2 of 3;
    // «older» is in neither on either day.
    assert_eq!(
        rows_of(&indicators(&town, march()).await),
        expected(2, 3, 0)
    );
}

/// 001 §4.1.3 «в первые три года работы»: a member under 35 past the third year of work is in
/// neither figure, whatever support is recorded.
async fn indicator_4_1_3_leaves_out_those_past_their_first_three_years_001_4_1_3(backend: Backend) {
    // Given «fifth-year» (28, working since 1 Sep 2020) and «third-year» (30, since 1 Mar
    // 2022), both supported.
    let History { town, .. } = history(backend).await;
    // When asked on 28 Feb: «third-year» is in its third year and counts; «fifth-year» not.
    let february = indicators(&town, date(2025, 2, 28)).await;
    assert_eq!(rows_of(&february), expected(4, 5, 0));
    assert!(!february.opened.contains(&town.person("fifth-year")));
    // When asked on 1 Mar: the third anniversary — «third-year» is out of both figures too,
    // and neither's birth date is opened.
    let march = indicators(&town, march()).await;
    assert_eq!(rows_of(&march), expected(2, 3, 0));
    for key in ["fifth-year", "third-year", "head"] {
        assert!(!march.opened.contains(&town.person(key)), "{key}");
    }
}

/// 001 §4.1.3 «участвующих в различных формах поддержки и сопровождения»: a member under 35
/// in the first three years without support recorded in the year is in the denominator only,
/// until it is recorded.
async fn indicator_4_1_3_counts_those_without_support_in_the_denominator_only_001_4_1_3(
    backend: Backend,
) {
    // Given «first-year» (23, working since 1 Sep 2024) without support.
    let History { mut town, mmo } = history(backend).await;
    // When asked on 1 Mar: 2 of 3 — «first-year» is the one not supported.
    assert_eq!(
        rows_of(&indicators(&town, march()).await),
        expected(2, 3, 0)
    );
    // When support is recorded for «first-year» on 10 Mar: 3 of 3 from then on.
    support(&mut town, mmo, "first-year", date(2025, 3, 10)).await;
    catch_up(&town).await;
    assert_eq!(
        rows_of(&indicators(&town, date(2025, 3, 15)).await),
        expected(3, 3, 0)
    );
}

/// 001 §4.1.3 with 152-FZ: a member whose data was erased has an age nobody can know — in
/// neither figure, counted as unknown in a column of its own; no answer shows a birth date.
async fn indicator_4_1_3_counts_an_erased_person_as_unknown_001_4_1_3(backend: Backend) {
    // Given «erased» (26, second year, supported), counted while the data is kept.
    let History { town, .. } = history(backend).await;
    assert_eq!(
        rows_of(&indicators(&town, march()).await),
        expected(2, 3, 0)
    );
    // When the data of «erased» is destroyed on 5 Mar.
    erase(&town, "erased", date(2025, 3, 5)).await;
    // Then «young» over «young» and «first-year»: 1 of 2, and one of unknown age — on the
    // ММО's row and the municipality's.
    let answer = indicators(&town, march()).await;
    assert_eq!(rows_of(&answer), expected(1, 2, 1));
    // The erased birth date is not counted as opened; the others' are.
    assert_eq!(
        answer.opened,
        persons(&town, &["young", "older", "first-year", "turns-35"])
    );
    // Only the young teachers' rows have the count of unknown ages.
    assert!(answer
        .rows
        .iter()
        .filter(|row| row["indicator"] != CODE)
        .all(|row| row.get("unknown").is_none()));
    // No birth date appears in the answer, in any form.
    let text = serde_json::to_string(&answer).expect("the answer as JSON");
    let csv = answer.to_csv();
    for (key, _, born, _, _) in MEMBERS {
        let born = day(born);
        for form in [
            born.to_string(),
            born.format("%d.%m.%Y").to_string(),
            born.format("%d.%m.%y").to_string(),
        ] {
            assert!(!text.contains(&form), "{key}: {form} in the JSON answer");
            assert!(!csv.contains(&form), "{key}: {form} in the CSV answer");
        }
    }
}

store::on_every_backend!(
    indicator_4_1_3_counts_under_35_in_first_three_years_with_support_001_4_1_3,
    indicator_4_1_3_leaves_out_those_35_or_over_001_4_1_3,
    indicator_4_1_3_leaves_out_those_past_their_first_three_years_001_4_1_3,
    indicator_4_1_3_counts_those_without_support_in_the_denominator_only_001_4_1_3,
    indicator_4_1_3_counts_an_erased_person_as_unknown_001_4_1_3,
);
