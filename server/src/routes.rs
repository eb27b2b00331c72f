//! Plain HTTP routes beside the Leptos pages.

use crate::startup::AppState;
use axum::{
    Form, Json,
    extract::{State, rejection::FormRejection},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use liaison_app::language::{LANGUAGE_COOKIE, locale_code, parse_locale, safe_return_path};
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
}

/// Machine-readable health for load balancers: 200 when the database answers, 503 when not.
pub async fn health(State(state): State<AppState>) -> Response {
    let (status, body) = match state.db.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Health {
                status: "ok",
                database: "ok",
            },
        ),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Health {
                    status: "unavailable",
                    database: "unreachable",
                },
            )
        }
    };
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// How long a client should wait before trying again when the database is unreachable.
pub const RETRY_AFTER_SECONDS: &str = "5";

/// Every 503 (the database unreachable: a restart, a fail-over) tells the client when to try
/// again, on pages, server functions and `/healthz` alike.
pub async fn retry_after(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    if response.status() == StatusCode::SERVICE_UNAVAILABLE {
        response
            .headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static(RETRY_AFTER_SECONDS));
    }
    response
}

/// Liveness for a load balancer: the process answers, whatever the database does. A balancer
/// that checked `/healthz` instead would take every instance out while the database restarts,
/// and answer with a page of its own; kept in, the instances say 503 with Retry-After.
pub async fn live() -> Response {
    (
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        Json(serde_json::json!({"status": "ok"})),
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct LanguageChoice {
    pub locale: String,
    pub return_to: Option<String>,
}

const ONE_YEAR: u32 = 365 * 24 * 60 * 60;

/// Stores the chosen language and sends the user back to the page they were on.
pub async fn choose_language(form: Result<Form<LanguageChoice>, FormRejection>) -> Response {
    let Ok(Form(choice)) = form else {
        return bad_request("locale: choose a language (nl or en)");
    };
    let Some(locale) = parse_locale(&choice.locale) else {
        return bad_request("locale: must be one of nl, en");
    };
    let target = choice
        .return_to
        .as_deref()
        .and_then(safe_return_path)
        .unwrap_or("/");
    let cookie = format!(
        "{LANGUAGE_COOKIE}={}; Path=/; Max-Age={ONE_YEAR}; SameSite=Lax",
        locale_code(locale)
    );
    let mut response = Redirect::to(target).into_response();
    match HeaderValue::from_str(&cookie) {
        Ok(value) => {
            response.headers_mut().insert(header::SET_COOKIE, value);
            response
        }
        Err(_) => bad_request("locale: must be one of nl, en"),
    }
}

fn bad_request(message: &'static str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message,
    )
        .into_response()
}
