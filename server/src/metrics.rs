//! What operators watch, at `/metrics` in the Prometheus text format: requests by route and
//! status, their latency, matching time, job runs and failures, and the connection pool.
//! It shows nothing about people or cases, but it does show how the service is used, so it is
//! only served with the token of `LIAISON_METRICS_TOKEN` (a bearer token); without one set it
//! does not exist (404).

use crate::startup::AppState;
use axum::{
    extract::{MatchedPath, Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use std::{sync::OnceLock, time::Instant};

/// Latency buckets in seconds: from a cached page to a large import.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder, installed on first use (one per process: tests build many routers
/// in one process, and they share it).
pub fn handle() -> &'static PrometheusHandle {
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = builder
            .set_buckets(&BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("a metrics recorder was installed already; /metrics may stay empty");
        }
        handle
    })
}

/// Keeps the histograms' memory bounded; every instance runs it.
pub fn spawn_upkeep() {
    let handle = handle();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            handle.run_upkeep();
        }
    });
}

/// Counts and times every request under its route's pattern (`/cases/{id}`, a server
/// function's path); paths that match no route count as `other`, so that scanning for pages
/// cannot grow the label set.
pub async fn track(request: Request, next: Next) -> Response {
    handle();
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let pattern = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned());
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let route = route_label(pattern.as_deref(), &path, status);
    metrics::counter!(
        "liaison_http_requests_total",
        "method" => method.clone(),
        "route" => route.clone(),
        "status" => status.as_u16().to_string()
    )
    .increment(1);
    metrics::histogram!(
        "liaison_http_request_duration_seconds",
        "method" => method,
        "route" => route
    )
    .record(started.elapsed().as_secs_f64());
    response
}

/// Server functions share one axum route (`/api/{*fn_name}`): each that exists is its own
/// label, an unknown name (404) is not.
fn route_label(pattern: Option<&str>, path: &str, status: StatusCode) -> String {
    match pattern {
        Some(p) if p.contains('*') && path.starts_with("/api/") => {
            if status == StatusCode::NOT_FOUND {
                "/api/{unknown}".to_owned()
            } else {
                path.to_owned()
            }
        }
        Some(p) => p.to_owned(),
        None => "other".to_owned(),
    }
}

/// `GET /metrics`.
pub async fn serve(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = &state.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Compared as digests: equal lengths, and no early exit on the token's own bytes.
    if Sha256::digest(given.as_bytes()) != Sha256::digest(expected.expose().as_bytes()) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"liaison-metrics\"")],
            "metrics: a valid bearer token is required",
        )
            .into_response();
    }
    record_pool(&state.db);
    let mut response = handle().render().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The pool as it is at the moment of the scrape.
fn record_pool(db: &sea_orm::DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        sea_orm::DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        sea_orm::DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    metrics::gauge!("liaison_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("liaison_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
}

/// One run of a background job, and whether it failed.
pub fn job_ran(job: &'static str, failed: bool) {
    metrics::counter!("liaison_job_runs_total", "job" => job).increment(1);
    if failed {
        metrics::counter!("liaison_job_failures_total", "job" => job).increment(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_functions_are_labelled_by_name_unless_unknown() {
        let pattern = Some("/api/{*fn_name}");
        assert_eq!(
            route_label(pattern, "/api/add_subject", StatusCode::SEE_OTHER),
            "/api/add_subject"
        );
        assert_eq!(
            route_label(pattern, "/api/x9", StatusCode::NOT_FOUND),
            "/api/{unknown}"
        );
        assert_eq!(
            route_label(Some("/cases/{id}"), "/cases/7", StatusCode::OK),
            "/cases/{id}"
        );
        assert_eq!(
            route_label(None, "/wp-admin", StatusCode::NOT_FOUND),
            "other"
        );
    }
}
