//! Dates and times as Russian documents write them.

use chrono::{DateTime, NaiveDate, Utc};

/// «15 мая 2025 г.»
pub fn date(day: NaiveDate) -> String {
    domain::calendar::russian_date(day)
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
