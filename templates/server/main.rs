//! Serves the API. Configuration comes from the environment: `BIND_ADDR` (default
//! `127.0.0.1:8080`), `RUST_LOG` (default `info`), and what `ServerConfig::from_env`
//! reads (`BODY_LIMIT_BYTES`, `REQUEST_TIMEOUT_SECS`, `CORS_ALLOW_ORIGINS`,
//! `ERROR_STYLE`, `RATE_LIMIT_PER_MINUTE`, `COMPRESSION`, `METRICS`, `SUNSET`).

use std::sync::Arc;

use {{ lib_name }}::handlers::Handlers;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let addr = std::env::var("BIND_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".to_string());
    let config = {{ lib_name }}::{{ app_mod }}::ServerConfig::from_env();
    let app = {{ lib_name }}::{{ app_mod }}::app(Arc::new(Handlers::default()), &config);
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let readiness = config.readiness.clone();
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            // `/readyz` answers 503 while in-flight requests finish.
            readiness.set(false);
        })
        .await
}

/// Resolves on Ctrl-C or SIGTERM, letting in-flight requests finish.
async fn shutdown_signal() {
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
        () = ctrl_c => {}
        () = terminate => {}
    }
}
