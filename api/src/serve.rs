//! The server's life: bind, serve until told to stop, then finish the requests in flight and
//! stop the background at a pass boundary.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use app::App;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::background::{Background, Checkpointing};
use crate::routes::router;

/// How `metod serve` was asked to run.
#[derive(Debug)]
pub struct ServeConfig {
    /// Where to listen; loopback by default (TLS belongs to a reverse proxy in front).
    pub listen: SocketAddr,
    /// How often the background looks at the log when nothing wakes it earlier.
    pub poll: Duration,
    /// Mark the session cookie `Secure` (the server is reached over TLS through a proxy).
    pub secure_cookies: bool,
    /// Sign a checkpoint of the log with this key at this interval, when the log has grown
    /// since the last one (issue 21: `metod serve` makes one at a fixed interval).
    pub checkpoints: Option<Checkpointing>,
}

/// What the running server tells its caller once it listens.
#[derive(Debug, Clone, Copy)]
pub struct Served {
    /// The address actually bound (port 0 asks the system for a free one).
    pub address: SocketAddr,
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("не удалось занять адрес {address}: {reason}")]
    Bind { address: SocketAddr, reason: String },
    #[error("сервер остановлен с ошибкой: {0}")]
    Io(String),
    #[error(transparent)]
    App(#[from] app::AppError),
}

impl ServeError {
    pub fn code(&self) -> &'static str {
        match self {
            ServeError::Bind { .. } => "listen_failed",
            ServeError::Io(_) => "server_failed",
            ServeError::App(e) => e.code(),
        }
    }
}

/// Serves `app` until `stop` resolves. `listening` hears the bound address once requests
/// can be accepted.
pub async fn serve(
    app: App,
    config: ServeConfig,
    stop: impl Future<Output = ()> + Send + 'static,
    listening: impl FnOnce(Served),
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| ServeError::Bind {
            address: config.listen,
            reason: e.to_string(),
        })?;
    let address = listener
        .local_addr()
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let (stopping, stopped) = watch::channel(false);
    let background = Arc::new(Background::start(
        app.clone(),
        config.poll,
        config.checkpoints,
        stopped.clone(),
    ));
    let routes = router(app, background.clone(), config.secure_cookies);
    listening(Served { address });
    tracing::info!(%address, "listening");
    let shutdown = async move {
        stop.await;
        tracing::info!("stopping: finishing the requests in flight");
        let _ = stopping.send(true);
    };
    let served = axum::serve(
        listener,
        routes.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(|e| ServeError::Io(e.to_string()));
    background.join().await;
    tracing::info!("stopped");
    served
}
