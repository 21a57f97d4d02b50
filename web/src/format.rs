//! Dates and times as Russian documents write them.

use chrono::{DateTime, NaiveDate, Utc};

/// «15 мая 2025 г.»
pub fn date(day: NaiveDate) -> String {
    domain::calendar::russian_date(day)
}

/// The day a page wrote as «15 мая 2025 г.», for an export that keeps dates as dates; None
/// for any other text (a moment with its time too stays text).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut words = text.split_whitespace();
    let day: u32 = words.next()?.parse().ok()?;
    let month_word = words.next()?;
    let year: i32 = words.next()?.parse().ok()?;
    if words.next() != Some("г.") || words.next().is_some() {
        return None;
    }
    let month = (1..=12).find(|m| {
        NaiveDate::from_ymd_opt(2000, *m, 1)
            .map(date)
            .is_some_and(|first| first.split_whitespace().nth(1) == Some(month_word))
    })?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// «15 мая 2025 г., 14:05 UTC»
pub fn moment(at: DateTime<Utc>) -> String {
    format!("{}, {} UTC", date(at.date_naive()), at.format("%H:%M"))
}

/// The role an event's actor acted in, as recorded (`official:department:chief`), in Russian.
pub fn role(recorded: &str) -> String {
    domain::acted_as_in_russian(recorded)
}

/// «1 день», «3 дня», «5 дней»: the Russian plural of days.
pub fn days(n: i64) -> String {
    let last_two = n.abs() % 100;
    let last = n.abs() % 10;
    let word = if (11..=14).contains(&last_two) {
        "дней"
    } else if last == 1 {
        "день"
    } else if (2..=4).contains(&last) {
        "дня"
    } else {
        "дней"
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn a_written_date_reads_back() {
        for d in [
            day(2025, 5, 15),
            day(2026, 1, 1),
            day(2024, 12, 31),
            day(2024, 2, 29),
        ] {
            assert_eq!(parse_date(&date(d)), Some(d));
        }
        assert_eq!(parse_date("1 июня 2026 г., 10:00 UTC"), None);
        assert_eq!(parse_date("План на 2026/27"), None);
        assert_eq!(parse_date("15 мая"), None);
        assert_eq!(parse_date("31 февраля 2025 г."), None);
    }

    #[test]
    fn dates_are_written_as_russian_documents_write_them() {
        assert_eq!(date(day(2025, 5, 15)), "15 мая 2025 г.");
        assert_eq!(date(day(2024, 9, 1)), "1 сентября 2024 г.");
        assert_eq!(date(day(2026, 1, 31)), "31 января 2026 г.");
    }

    #[test]
    fn days_take_their_plural() {
        let words: Vec<String> = [1, 2, 5, 11, 12, 21, 22, 25, 101, 111].map(days).to_vec();
        assert_eq!(
            words,
            [
                "1 день",
                "2 дня",
                "5 дней",
                "11 дней",
                "12 дней",
                "21 день",
                "22 дня",
                "25 дней",
                "101 день",
                "111 дней"
            ]
        );
    }
}
