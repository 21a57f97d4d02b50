//! The clock a configuration names: the system's, or a fixed instant.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use store::{Clock, FixedClock, SystemClock};

use crate::error::AppError;

/// The system clock, or the fixed instant `setting` names (RFC 3339, or a date meaning its
/// noon); blank means the system clock.
pub(crate) fn clock_of(setting: Option<&str>) -> Result<Arc<dyn Clock>, AppError> {
    let Some(text) = setting.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(Arc::new(SystemClock));
    };
    let at = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(|d| d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
        })
        .map_err(|_| AppError::InvalidClock(text.to_string()))?;
    Ok(Arc::new(FixedClock::new(at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_means_its_noon_and_blank_means_the_system_clock() {
        let noon = clock_of(Some(" 2025-03-20 ")).expect("a date").now();
        assert_eq!(noon.to_rfc3339(), "2025-03-20T12:00:00+00:00");
        let moment = clock_of(Some("2025-03-20T08:30:00+03:00"))
            .expect("a moment")
            .now();
        assert_eq!(moment.to_rfc3339(), "2025-03-20T05:30:00+00:00");
        assert!(clock_of(Some("  ")).is_ok());
        let refused = clock_of(Some("вчера")).expect_err("refused");
        assert_eq!(refused.code(), "invalid_clock");
        assert_eq!(
            refused.to_string(),
            "METOD_CLOCK «вчера»: нужна дата ГГГГ-ММ-ДД или время RFC 3339"
        );
    }
}
