//! `metod bench`: measurements of the store and the read models, each beside a ceiling
//! measured in the same run.

pub mod audit;
mod kept;
pub mod read_models;
mod sampling;
pub mod scales;
pub mod serve;
pub mod store;
mod subjects;
mod workload;

use std::time::Duration;

/// The `p`-th percentile of durations sorted ascending (nearest rank); zero for none.
pub fn percentile(sorted: &[Duration], p: usize) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = (sorted.len() * p)
        .div_ceil(100)
        .saturating_sub(1)
        .min(sorted.len() - 1);
    sorted[index]
}

/// A duration in milliseconds.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1_000.0
}
