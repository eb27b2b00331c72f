//! Failed form posts without JavaScript. A hydrated page shows a server function's error beside
//! the field; a plain HTML form post would get the bare error instead. This turns that answer
//! into a readable page (same status, nothing saved) that says what was wrong and how to go back.

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use liaison_app::{
    error::AppError,
    language::{locale_code, locale_from_headers},
};

/// The longest error body read back; server function errors are a few hundred bytes.
const MAX_ERROR_BODY: usize = 64 * 1024;

pub async fn error_page(request: Request, next: Next) -> Response {
    let plain_form_post = request.method() == http::Method::POST
        && request.uri().path().starts_with("/api/")
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"));
    let api = request.uri().path().starts_with("/api/");
    let english = locale_code(locale_from_headers(request.headers())) == "en";
    let response = next.run(request).await;
    let failed = response.status().is_client_error() || response.status().is_server_error();
    // Arguments a server function could not decode (a malformed form) come back as 500 with
    // an `Invalid` error: that is bad input, so 400.
    let undecodable = api && response.status() == http::StatusCode::INTERNAL_SERVER_ERROR;
    if !(undecodable || plain_form_post && failed) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_ERROR_BODY).await.unwrap_or_default();
    let error = serde_json::from_slice::<AppError>(&bytes).unwrap_or(AppError::Unavailable);
    if undecodable && matches!(error, AppError::Invalid { .. }) {
        parts.status = http::StatusCode::BAD_REQUEST;
    }
    if !plain_form_post {
        return Response::from_parts(parts, Body::from(bytes));
    }
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(page(&error, english)))
}

/// A refusal as a page (a page address with a bad query, say): `status`, nothing saved.
pub fn refusal_page(status: http::StatusCode, error: &AppError, english: bool) -> Response {
    let mut response = Response::new(Body::from(page(error, english)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// The page, in Dutch or English. The error's own text comes from the server function.
pub fn page(error: &AppError, english: bool) -> String {
    let (lang, title, back, home) = if english {
        (
            "en",
            "The form could not be sent",
            "Go back with your browser's Back button: what you typed is still there. Correct it and send the form again.",
            "Go to the start page",
        )
    } else {
        (
            "nl",
            "Het formulier kon niet worden verzonden",
            "Ga terug met de Vorige-knop van uw browser: wat u typte staat er nog. Verbeter het en verzend het formulier opnieuw.",
            "Naar de startpagina",
        )
    };
    let problem = match error {
        AppError::Invalid { field, message } => format!("{field}: {message}"),
        AppError::SignInRequired if english => "Sign in to continue.".to_owned(),
        AppError::SignInRequired => "Log in om verder te gaan.".to_owned(),
        other => other.to_string(),
    };
    let mut problem = html_escape::encode_text(&problem).into_owned();
    if let AppError::InvalidFile(problems) = error {
        problem = problems
            .iter()
            .map(|p| format!("<li>{}</li>", html_escape::encode_text(&p.to_string())))
            .collect::<String>();
        problem = format!("<ul>{problem}</ul>");
    }
    let sign_in = if matches!(error, AppError::SignInRequired) {
        r#"<p><a href="/sign-in">Sign in / Inloggen</a></p>"#
    } else {
        ""
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Liaison</title><link rel="stylesheet" href="/pkg/liaison.css"></head>
<body><main id="content" class="page">
<h1>{title}</h1>
<div class="alert alert--error" role="alert">{problem}</div>
<p>{back}</p>{sign_in}
<p><a href="/">{home}</a></p>
</main></body>
</html>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_and_its_problem_are_named_and_escaped() {
        let html = page(
            &AppError::invalid("username", "<script> is not a name"),
            true,
        );
        assert!(
            html.contains("username: &lt;script&gt; is not a name"),
            "{html}"
        );
        assert!(html.contains(r#"lang="en""#));
    }

    #[test]
    fn dutch_is_the_default() {
        let html = page(&AppError::Forbidden, false);
        assert!(html.contains("Het formulier kon niet worden verzonden"));
    }
}
