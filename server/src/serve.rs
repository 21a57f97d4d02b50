//! `metod serve`: the HTTP server (crate api) over this store — or, with `--demo`, over a
//! generated town (`serve_demo.rs`) — logging requests to stderr, until SIGTERM or Ctrl-C;
//! then it finishes the requests in flight and stops.

use std::io::IsTerminal;
use std::time::Duration;

use app::App;

use crate::cli::ServeArgs;
use crate::failure::Failure;

pub async fn run(app: App, args: ServeArgs) -> Result<(), Failure> {
    // `RUST_LOG` chooses what is logged; requests and the server's life by default.
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=info"));
    // Colours only on a terminal: a log file or journald gets plain `key=value` lines.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
    let demo = if args.demo {
        Some(crate::serve_demo::prepare().await?)
    } else {
        None
    };
    let app = match &demo {
        Some(demo) => demo.app.clone(),
        None => App::open(app.config().clone()).await?,
    };
    if args.audit_key.is_some() {
        // a key for another log is refused now, not at the first checkpoint
        app.log_origin().await?;
    }
    let config = api::ServeConfig {
        listen: args.listen,
        poll: Duration::from_millis(args.poll_ms),
        secure_cookies: args.secure_cookies,
        checkpoints: match &args.audit_key {
            Some(path) => Some(api::Checkpointing {
                key: crate::audit::signing_key(path)?,
                every: Duration::from_secs(args.checkpoint_secs),
            }),
            None => None,
        },
    };
    let served = api::serve(app, config, stop_signal(), |served| {
        // The first line on stdout: scripts and tests read the address (a port of 0 asks
        // the system for a free one). A demonstration has printed its logins before it.
        println!("listening on http://{}", served.address);
    })
    .await
    .map_err(|e| Failure::new(e.code(), e.to_string()));
    drop(demo);
    served
}

/// Resolves at SIGTERM or Ctrl-C.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminate => {}
    }
}
