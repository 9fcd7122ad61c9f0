//! The HTTP endpoint: `/healthz` (the process answers), `/readyz`
//! (connected, consuming, not draining; not consuming includes a pause
//! while the gradebook fails) and `/metrics` (Prometheus).
//!
//! `/healthz` never fails because the broker is away: a broker outage must
//! not turn into a restart storm of workers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::Shared;

/// Binds `addr` (failing at start, not later, when it is taken).
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}

/// Serves until `stop` is cancelled.
pub async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    stop: CancellationToken,
) -> std::io::Result<()> {
    let app = Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .with_state(shared);
    axum::serve(listener, app)
        .with_graceful_shutdown(stop.cancelled_owned())
        .await
}

async fn ready(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    let connected = shared.connected.load(Ordering::Relaxed);
    let consuming = shared.consuming.load(Ordering::Relaxed);
    let draining = shared.draining.load(Ordering::Relaxed);
    if connected && consuming && !draining {
        (StatusCode::OK, "ready\n".to_string())
    } else {
        let why = if draining {
            "draining: shutting down"
        } else if !connected {
            "not connected to the broker"
        } else if shared.gradebook_paused.load(Ordering::Relaxed) {
            "not consuming: waiting for the gradebook to answer again"
        } else {
            "not consuming"
        };
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("not ready: {why}\n"),
        )
    }
}

async fn metrics(State(shared): State<Arc<Shared>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        shared.metrics.render(),
    )
}
