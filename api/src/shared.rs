//! What every handler shares: the application, the background's state, the cookie setting.

use std::sync::Arc;

use app::App;

use crate::background::Background;

/// What every handler shares.
pub(crate) struct Shared {
    pub app: App,
    pub background: Arc<Background>,
    /// Whether the session cookie is marked `Secure` (served over TLS by a proxy in front).
    pub secure_cookies: bool,
}
