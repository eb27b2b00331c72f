//! Request limits in front of every server function (`liaison_app::server::request_limits`
//! says what they are): an oversized body is answered 413 before it is read whole, a malformed
//! form or upload 400, each naming what is wrong, so no server function ever decodes them.
//! A handler that panics anyway is answered with a logged 500 instead of a dropped
//! connection ([`panic_response`]).

use axum::{
    body::{Body, to_bytes},
    extract::Request,
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use leptos::server_fn::ServerFn;
use liaison_app::{error::AppError, language::locale_from_headers, server::request_limits};

/// The server functions that take a `multipart/form-data` upload.
const UPLOAD_PATHS: &[&str] = &[
    <liaison_app::cases::api::ImportCases as ServerFn>::PATH,
    <liaison_app::subjects::api::ImportSubjects as ServerFn>::PATH,
];

pub async fn request_limits(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let api = path.starts_with("/api/");
    let post = request.method() == Method::POST;
    let Some(query) = request.uri().query().filter(|q| !q.is_empty()) else {
        if post && api {
            return limit_body(request, next).await;
        }
        return next.run(request).await;
    };
    // A query is a form too (GET server functions, page filters): the same text rules.
    let locale = locale_from_headers(request.headers());
    if let Err(err) = request_limits::check_form(query.as_bytes(), locale) {
        return if api {
            refusal(StatusCode::BAD_REQUEST, &err)
        } else {
            let english = liaison_app::language::locale_code(locale) == "en";
            crate::forms::refusal_page(StatusCode::BAD_REQUEST, &err, english)
        };
    }
    if post && api {
        return limit_body(request, next).await;
    }
    next.run(request).await
}

/// A post to a server function: its body within its limit and, but for the uploads, a form.
async fn limit_body(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let locale = locale_from_headers(request.headers());
    // Only the uploads take `multipart/form-data`; every other server function decodes its
    // body as a form whatever the header says, so it is checked as one.
    let upload = UPLOAD_PATHS.contains(&path);
    let limit = request_limits::body_limit(upload);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &request_limits::too_large(locale, limit),
        );
    }
    if upload {
        // The uploads' decoder panics on a content type it cannot read a boundary from: the
        // same parser decides here first.
        let content_type = request
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        if let Err(err) = multer::parse_boundary(&content_type) {
            let status = match err {
                multer::Error::NoMultipart | multer::Error::DecodeContentType(_) => {
                    StatusCode::UNSUPPORTED_MEDIA_TYPE
                }
                _ => StatusCode::BAD_REQUEST,
            };
            return refusal(status, &request_limits::not_an_upload(locale));
        }
    }
    let (parts, body) = request.into_parts();
    // Bounded: a body without a length (chunked) is cut off at the limit too.
    let Ok(bytes) = to_bytes(body, limit).await else {
        return refusal(
            StatusCode::PAYLOAD_TOO_LARGE,
            &request_limits::too_large(locale, limit),
        );
    };
    if !upload && let Err(err) = request_limits::check_form(&bytes, locale) {
        return refusal(StatusCode::BAD_REQUEST, &err);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The refusal as a server function's error: JSON the hydrated page shows beside the field,
/// turned into a page for a plain form post by `forms::error_page`.
fn refusal(status: StatusCode, error: &AppError) -> Response {
    let body = serde_json::to_string(error).unwrap_or_default();
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// What a panicking handler answers: a 500 that says nothing internal; the panic is logged.
pub fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a request handler panicked");
    refusal(StatusCode::INTERNAL_SERVER_ERROR, &AppError::Unavailable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{Router, routing::get};
    use tower::ServiceExt;
    use tower_http::catch_panic::CatchPanicLayer;

    #[tokio::test]
    async fn a_panicking_handler_is_answered_with_a_500_not_a_dropped_connection() {
        async fn panics() -> &'static str {
            panic!("a bug on a request path")
        }
        let router = Router::new()
            .route("/", get(panics))
            .layer(CatchPanicLayer::custom(panic_response));
        let response = router
            .oneshot(Request::get("/").body(Body::empty()).expect("request"))
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = to_bytes(response.into_body(), 1024).await.expect("body");
        assert!(!String::from_utf8_lossy(&body).contains("bug"));
    }
}
