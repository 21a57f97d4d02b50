//! The school year (1 Sep – 31 Aug, written `2024/25`) and the day-of-year dates the
//! regulations set deadlines with (5 May, 15 Sep, 1 Oct).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::DomainError;

/// A school year, named by the calendar year it starts in: `2024/25` runs
/// 1 Sep 2024 – 31 Aug 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchoolYear {
    start_year: i32,
}

impl SchoolYear {
    pub fn starting(start_year: i32) -> Result<Self, DomainError> {
        if !(1990..=2200).contains(&start_year) {
            return Err(DomainError::InvalidSchoolYear {
                value: start_year.to_string(),
            });
        }
        Ok(Self { start_year })
    }

    /// Parses `2024/25` (also `2024/2025`); the second year must follow the first.
    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let invalid = || DomainError::InvalidSchoolYear {
            value: text.to_string(),
        };
        let (first, second) = text.trim().split_once('/').ok_or_else(invalid)?;
        if first.len() != 4 || !(second.len() == 2 || second.len() == 4) {
            return Err(invalid());
        }
        let start: i32 = first.parse().map_err(|_| invalid())?;
        let end: i32 = second.parse().map_err(|_| invalid())?;
        let expected_end = if second.len() == 2 {
            (start + 1) % 100
        } else {
            start + 1
        };
        if end != expected_end {
            return Err(invalid());
        }
        Self::starting(start).map_err(|_| invalid())
    }

    /// The school year a date falls in.
    pub fn containing(date: NaiveDate) -> Self {
        let start_year = if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        };
        Self { start_year }
    }

    pub fn start_year(&self) -> i32 {
        self.start_year
    }

    pub fn first_day(&self) -> NaiveDate {
        ymd(self.start_year, 9, 1)
    }

    pub fn last_day(&self) -> NaiveDate {
        ymd(self.start_year + 1, 8, 31)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        Self::containing(date) == *self
    }

    pub fn next(&self) -> Self {
        Self {
            start_year: self.start_year + 1,
        }
    }

    pub fn previous(&self) -> Self {
        Self {
            start_year: self.start_year - 1,
        }
    }

    /// The date a day of the year falls on within this school year: 15 Sep → the autumn of
    /// the start year, 15 May → the spring of the following one.
    pub fn date_of(&self, day: MonthDay) -> NaiveDate {
        let year = if day.month >= 9 {
            self.start_year
        } else {
            self.start_year + 1
        };
        // 29 Feb in a common year falls on 28 Feb.
        NaiveDate::from_ymd_opt(year, day.month, day.day).unwrap_or_else(|| ymd(year, 2, 28))
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Only called with valid month/day pairs and years in SchoolYear's range.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{:02}",
            self.start_year,
            (self.start_year + 1).rem_euclid(100)
        )
    }
}

impl FromStr for SchoolYear {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for SchoolYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SchoolYear {
    /// Read from the text without copying it: every stored document, meeting and
    /// membership names its school year.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = SchoolYear;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a school year such as 2024/25")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<SchoolYear, E> {
                SchoolYear::parse(text).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A day of the year without the year, written `MM-DD` (`05-15` = 15 May).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MonthDay {
    month: u32,
    day: u32,
}

impl MonthDay {
    pub fn new(month: u32, day: u32) -> Result<Self, DomainError> {
        // 2024 is a leap year, so 02-29 is accepted.
        if NaiveDate::from_ymd_opt(2024, month, day).is_none() {
            return Err(DomainError::InvalidMonthDay {
                value: format!("{month:02}-{day:02}"),
            });
        }
        Ok(Self { month, day })
    }

    pub fn parse(text: &str) -> Result<Self, DomainError> {
        let invalid = || DomainError::InvalidMonthDay {
            value: text.to_string(),
        };
        let (month, day) = text.trim().split_once('-').ok_or_else(invalid)?;
        if month.len() != 2 || day.len() != 2 {
            return Err(invalid());
        }
        let month = month.parse().map_err(|_| invalid())?;
        let day = day.parse().map_err(|_| invalid())?;
        Self::new(month, day).map_err(|_| invalid())
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn day(&self) -> u32 {
        self.day
    }

    /// Russian, e.g. «15 мая».
    pub fn in_russian(&self) -> String {
        const MONTHS: [&str; 12] = [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ];
        format!("{} {}", self.day, MONTHS[(self.month - 1) as usize])
    }
}

/// A date as documents write it: «15 мая 2025 г.».
pub fn russian_date(date: NaiveDate) -> String {
    match MonthDay::new(date.month(), date.day()) {
        Ok(day) => format!("{} {} г.", day.in_russian(), date.year()),
        Err(_) => date.to_string(),
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Whole years from `since` to `on` (the anniversary counts as a full year).
pub fn full_years_between(since: NaiveDate, on: NaiveDate) -> u32 {
    if on < since {
        return 0;
    }
    let mut years = on.year() - since.year();
    if (on.month(), on.day()) < (since.month(), since.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn a_school_year_is_read_from_its_text_escaped_or_not_and_refused_otherwise() {
        let year: SchoolYear = serde_json::from_str(r#""2024/25""#).expect("a school year");
        assert_eq!(year, SchoolYear::starting(2024).expect("a year"));
        let escaped: SchoolYear = serde_json::from_str(r#""2024\/25""#).expect("escaped");
        assert_eq!(escaped, year);
        let from_value: SchoolYear =
            serde_json::from_value(serde_json::json!("2024/2025")).expect("from a value");
        assert_eq!(from_value, year);
        for wrong in [r#""2024/26""#, "2024", "null"] {
            assert!(
                serde_json::from_str::<SchoolYear>(wrong).is_err(),
                "{wrong}"
            );
        }
    }

    #[test]
    fn school_year_runs_from_first_of_september_to_thirty_first_of_august() {
        let year = SchoolYear::parse("2024/25").expect("valid");
        assert_eq!(year.first_day(), date(2024, 9, 1));
        assert_eq!(year.last_day(), date(2025, 8, 31));
        assert_eq!(
            SchoolYear::containing(date(2024, 8, 31)).to_string(),
            "2023/24"
        );
        assert_eq!(SchoolYear::containing(date(2024, 9, 1)), year);
        assert_eq!(SchoolYear::parse("2024/2025"), Ok(year));
        assert_eq!(
            SchoolYear::parse("1999/00").map(|y| y.to_string()),
            Ok("1999/00".into())
        );
    }

    #[test]
    fn a_school_year_whose_second_year_does_not_follow_is_refused() {
        for bad in [
            "2024/26",
            "2024",
            "24/25",
            "2024-25",
            "abcd/ef",
            "2024/2026",
        ] {
            assert!(
                matches!(
                    SchoolYear::parse(bad),
                    Err(DomainError::InvalidSchoolYear { .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn deadlines_fall_in_the_right_calendar_year_of_the_school_year() {
        let year = SchoolYear::parse("2024/25").expect("valid");
        let may_15 = MonthDay::parse("05-15").expect("valid");
        let sep_15 = MonthDay::parse("09-15").expect("valid");
        assert_eq!(year.date_of(may_15), date(2025, 5, 15));
        assert_eq!(year.date_of(sep_15), date(2024, 9, 15));
        assert_eq!(may_15.in_russian(), "15 мая");
        assert!(MonthDay::parse("02-30").is_err());
        assert!(MonthDay::parse("5-15").is_err());
    }

    #[test]
    fn years_in_the_specialty_count_whole_years_only() {
        assert_eq!(full_years_between(date(2019, 9, 1), date(2024, 8, 31)), 4);
        assert_eq!(full_years_between(date(2019, 9, 1), date(2024, 9, 1)), 5);
        assert_eq!(full_years_between(date(2025, 1, 1), date(2024, 9, 1)), 0);
    }
}
