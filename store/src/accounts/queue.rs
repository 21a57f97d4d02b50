//! The access-journal entries a SQLite store writes together (group commit): each waits in
//! the queue with the channel its request is answered on once the entry is durable.

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;
use uuid::Uuid;

/// An access-journal entry waiting for the writer, with whom to tell when it is written.
pub(crate) struct QueuedAccess {
    pub account: Uuid,
    pub persons: Vec<String>,
    pub endpoint: String,
    pub at: DateTime<Utc>,
    pub done: oneshot::Sender<Result<(), String>>,
}

/// The queue's lock; a panic while it was held leaves entries that the next writer takes.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
