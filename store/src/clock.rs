//! Where `recorded_at` comes from: the system clock by default, a fixed or stepping clock in
//! tests and in data generation.

use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

/// A source of the current time for transaction time (`recorded_at`).
pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is set or advanced.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(Mutex::new(at))
    }

    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A clock that moves forward by a fixed step every time it is read.
#[derive(Debug)]
pub struct SteppingClock {
    next: Mutex<DateTime<Utc>>,
    step: Duration,
}

impl SteppingClock {
    pub fn new(start: DateTime<Utc>, step: Duration) -> Self {
        Self {
            next: Mutex::new(start),
            step,
        }
    }

    /// Moves the clock to `at` (forwards or backwards); the next reading returns `at`.
    pub fn jump_to(&self, at: DateTime<Utc>) {
        *self.next.lock().unwrap_or_else(|p| p.into_inner()) = at;
    }
}

impl Clock for SteppingClock {
    fn now(&self) -> DateTime<Utc> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        let now = *next;
        *next += self.step;
        now
    }
}
