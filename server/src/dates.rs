//! The two time axes as typed on the command line: `--as-of` and `--known-at`.

use app::When;
use chrono::{DateTime, NaiveDate, Utc};

use crate::cli::TimeArgs;
use crate::failure::Failure;

/// An `--as-of` date, `ГГГГ-ММ-ДД`.
pub fn parse_date(text: &str) -> Result<NaiveDate, Failure> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Failure::new(
            "invalid_date",
            format!("--as-of «{text}»: нужна дата в виде ГГГГ-ММ-ДД"),
        )
    })
}

/// A moment in RFC 3339, or a date meaning the end of that day (everything recorded on it).
pub fn parse_known_at(text: Option<&str>) -> Result<Option<DateTime<Utc>>, Failure> {
    let Some(text) = text else {
        return Ok(None);
    };
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(Some(moment.with_timezone(&Utc)));
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.succ_opt())
        .and_then(|next| next.and_hms_opt(0, 0, 0))
        .map(|midnight| Some(midnight.and_utc() - chrono::Duration::microseconds(1)))
        .ok_or_else(|| {
            Failure::new(
                "invalid_timestamp",
                format!(
                    "--known-at «{text}»: нужно время RFC 3339 (2025-09-20T12:00:00Z) или дата ГГГГ-ММ-ДД"
                ),
            )
        })
}

/// The point of both axes `--as-of` and `--known-at` name.
pub fn when(time: &TimeArgs) -> Result<When, Failure> {
    Ok(When {
        as_of: time.as_of.as_deref().map(parse_date).transpose()?,
        known_at: parse_known_at(time.known_at.as_deref())?,
    })
}
