//! Who runs the work only one process may do at a time — the workflow engine's reactions and
//! timers — when several `metod serve` share one database. On PostgreSQL the leader holds a
//! session advisory lock on a connection of its own: if the process dies, the connection
//! closes, the lock goes with it, and another process takes over at its next try. A SQLite
//! file is served by one process, so there the leader is simply the first in it to ask.

use std::collections::BTreeSet;
use std::sync::{LazyLock, Mutex};

use async_trait::async_trait;

use crate::error::StoreResult;

/// Held by the leader; dropping it gives the leadership up.
pub struct Lease {
    _held: Box<dyn Send + Sync>,
}

impl Lease {
    pub(crate) fn new(held: impl Send + Sync + 'static) -> Self {
        Self {
            _held: Box::new(held),
        }
    }
}

#[async_trait]
pub trait Leadership: Send + Sync {
    /// Takes the leadership of `role` if no live process holds it; None when one does.
    async fn try_lead(&self, role: &str) -> StoreResult<Option<Lease>>;
}

/// The roles led in this process, by the database they are led for (`scope`): for SQLite,
/// whose file no other process serves, whichever handle of this process asks.
static LED_IN_PROCESS: LazyLock<Mutex<BTreeSet<String>>> = LazyLock::new(Mutex::default);

pub(crate) fn lead_in_process(scope: &str, role: &str) -> Option<Lease> {
    let key = format!("{scope}\n{role}");
    let mut led = LED_IN_PROCESS.lock().unwrap_or_else(|e| e.into_inner());
    if !led.insert(key.clone()) {
        return None;
    }
    Some(Lease::new(Release(key)))
}

struct Release(String);

impl Drop for Release {
    fn drop(&mut self) {
        LED_IN_PROCESS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.0);
    }
}

/// The advisory-lock key of a role: a stable 64-bit number from its name, apart from the
/// append lock's key.
pub(crate) fn lock_key(role: &str) -> i64 {
    // FNV-1a: stable across builds and platforms, unlike the standard library's hasher.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in b"metod-leader:".iter().chain(role.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash as i64
}
