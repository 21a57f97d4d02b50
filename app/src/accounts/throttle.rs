//! Throttling of logins: after five failures of a login, or from a client address, within the
//! last hour, the next attempt waits 2^(n-5) seconds after the last failure (n failures; at
//! most 15 minutes). While it waits, a login is refused without its password being checked.
//! A success clears the login's count; an address's count only ages out, so that logging in
//! to one's own account does not buy more guesses at others.

use chrono::{DateTime, Duration, Utc};
use store::FailureCount;

use crate::error::AccountError;

/// Failures that cost nothing.
pub const FREE_FAILURES: u64 = 5;

/// The longest wait.
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// How far back failures count: a legitimate user's typos of yesterday are forgotten, while
/// a guesser at the longest wait still has most of an hour's failures counted.
pub fn window() -> Duration {
    Duration::hours(1)
}

/// The wait after `failures` failures (none below the free ones).
pub fn delay(failures: u64) -> Option<Duration> {
    let over = failures.checked_sub(FREE_FAILURES)?;
    let seconds = if over >= 10 {
        MAX_DELAY_SECONDS
    } else {
        (1i64 << over).min(MAX_DELAY_SECONDS)
    };
    Some(Duration::seconds(seconds))
}

/// Until when `count` holds logins back, if it does at `now`.
fn held_until(count: &FailureCount, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let until = count.last? + delay(count.failures)?;
    (until > now).then_some(until)
}

/// The refusal of a login attempted at `now`, if the login's or the address's failures hold
/// it back: the later of the two waits.
pub fn refusal(
    now: DateTime<Utc>,
    by_login: &FailureCount,
    by_client: &FailureCount,
) -> Option<AccountError> {
    let until = held_until(by_login, now).max(held_until(by_client, now))?;
    // Whole seconds, rounded up: "0 s" would invite a retry that is refused again.
    let seconds = ((until - now).num_milliseconds() + 999) / 1000;
    Some(AccountError::LoginThrottled { until, seconds })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(second: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 5, 15, 9, 0, 0)
            .single()
            .expect("a time")
            + Duration::seconds(second)
    }

    fn failures(n: u64, last: i64) -> FailureCount {
        FailureCount {
            failures: n,
            last: Some(at(last)),
        }
    }

    #[test]
    fn the_wait_doubles_after_five_failures_up_to_fifteen_minutes() {
        let waits: Vec<Option<i64>> = [0, 4, 5, 6, 7, 14, 15, 64]
            .iter()
            .map(|n| delay(*n).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            waits,
            [
                None,
                None,
                Some(1),
                Some(2),
                Some(4),
                Some(512),
                Some(900),
                Some(900)
            ]
        );
    }

    #[test]
    fn the_later_of_the_two_waits_refuses_until_it_passes() {
        let none = FailureCount::default();
        assert!(refusal(at(0), &failures(4, 0), &none).is_none());
        let refused = refusal(at(1), &failures(8, 0), &failures(5, 0)).expect("held");
        assert_eq!(
            refused,
            AccountError::LoginThrottled {
                until: at(8),
                seconds: 7
            }
        );
        let refused = refusal(at(1), &failures(5, 0), &failures(9, 0)).expect("held");
        assert_eq!(refused.code(), "login_throttled");
        assert!(refusal(at(16), &failures(8, 0), &failures(9, 0)).is_none());
    }
}
