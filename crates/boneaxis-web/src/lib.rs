//! # boneaxis-web
//!
//! `boneaxis serve`: a JSON API over the `boneaxis` science crate and an embedded page that
//! shows the model at work. This crate is an adapter only — it parses requests, bounds them,
//! runs the science crate on tokio's blocking pool and writes JSON; it holds no physiology.

mod assets;
pub mod error;
mod json;
pub mod limits;
pub mod load;
mod model;
mod openapi;
mod patient;
mod scenarios;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use error::ApiError;
use limits::Gate;
pub use limits::Limits;
use serde_json::json;
use std::net::SocketAddr;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    gate: Gate,
}

/// The application: page, assets and API, with the given bounds.
pub fn app(limits: Limits) -> Router {
    let state = AppState {
        gate: Gate::new(limits),
    };
    let api = Router::new()
        .route("/health", get(health))
        .route("/limits", get(limits_of))
        .route("/openapi.json", get(openapi::spec))
        .route("/scenarios", get(scenarios::list))
        .route("/scenarios/{name}", get(scenarios::get))
        .route("/run", post(scenarios::run))
        .route("/study", post(scenarios::study))
        .route("/patient", post(patient::what_if))
        .route("/model", get(model::map))
        .route("/parameters", get(model::parameters))
        .fallback(not_found);
    Router::new()
        .route("/", get(assets::index))
        .route("/assets/{file}", get(assets::asset))
        .nest("/api", api)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .with_state(state)
}

async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn limits_of(axum::extract::State(s): axum::extract::State<AppState>) -> Json<Limits> {
    Json(*s.gate.limits())
}

async fn not_found(uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no API endpoint at {uri}; see /api/openapi.json"),
    )
}

/// Serves the application on `addr` until Ctrl-C; `ready` is told the bound address (port 0
/// picks a free port).
pub async fn serve(
    addr: SocketAddr,
    limits: Limits,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, app(limits))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// [`serve`] on a multi-threaded runtime of its own, for callers without one (the CLI).
pub fn serve_blocking(
    addr: SocketAddr,
    limits: Limits,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(addr, limits, ready))
}

/// A server running on a thread of its own (for load tests and tests over real TCP); dropping
/// it shuts the server down.
pub struct Background {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

/// Starts a server on `addr` (port 0: a free port) in the background.
pub fn spawn(addr: SocketAddr, limits: Limits) -> std::io::Result<Background> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let listener = runtime.block_on(tokio::net::TcpListener::bind(addr))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(async move {
            axum::serve(listener, app(limits))
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        })
    });
    Ok(Background {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
