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
