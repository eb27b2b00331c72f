//! Errors of the REST API as RFC 9457 problem details (`application/problem+json`): a status
//! used as HTTP means it, a title in the client's language, and for bad input a JSON pointer
//! to each field at fault. Internal causes are logged, never sent.

use crate::{error::AppError, i18n::*};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;

/// The most fields one problem lists.
pub const MAX_LISTED: usize = 100;

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// RFC 6901 JSON pointer into the request body (`/subjects/2/birth_date`), or to a path or
    /// query parameter by its name (`/reference`).
    pub pointer: String,
    pub detail: String,
}

/// RFC 9457 problem details.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI that names the kind of problem; it opens the API reference at its explanation.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(default = json!([]))]
    pub errors: Vec<FieldProblem>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &str, title: &str, detail: impl Into<String>) -> Self {
        Problem {
            kind: format!("/help/api#problem-{code}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Self {
        self.errors = errors;
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn bad_request(locale: Locale, detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            td_string!(locale, problem_bad_request),
            detail,
        )
    }

    /// Invalid fields; a batch with thousands of them lists the first [`MAX_LISTED`] and says
    /// how many there are in all.
    pub fn invalid(locale: Locale, mut errors: Vec<FieldProblem>) -> Self {
        let all = errors.len();
        errors.truncate(MAX_LISTED);
        let mut detail = errors
            .iter()
            .take(5)
            .map(|e| format!("{}: {}", e.pointer, e.detail))
            .collect::<Vec<_>>()
            .join("; ");
        if all > 5 {
            detail.push_str(&format!("; … ({all} in all)"));
        }
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            td_string!(locale, problem_invalid),
            detail,
        )
        .with_errors(errors)
    }

    /// One field (or parameter, or header) at fault.
    pub fn field(locale: Locale, pointer: &str, detail: impl Into<String>) -> Self {
        Problem::invalid(
            locale,
            vec![FieldProblem {
                pointer: pointer.to_owned(),
                detail: detail.into(),
            }],
        )
    }

    pub fn unauthorized(locale: Locale, detail: &str) -> Self {
        Problem::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            td_string!(locale, problem_unauthorized),
            detail,
        )
    }

    /// The client's scopes do not cover the call.
    pub fn scope(locale: Locale, scope: crate::domain::ApiScope) -> Self {
        Problem::new(
            StatusCode::FORBIDDEN,
            "scope",
            td_string!(locale, problem_scope),
            format!(
                "{} {}",
                td_string!(locale, problem_scope_needed),
                scope.as_str()
            ),
        )
    }

    /// Not there, or not the client's to see: the same answer, as for a coordinator.
    pub fn not_found(locale: Locale) -> Self {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            td_string!(locale, problem_not_found),
            td_string!(locale, problem_not_found_detail),
        )
    }

    pub fn conflict(locale: Locale, detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::CONFLICT,
            "conflict",
            td_string!(locale, problem_conflict),
            detail,
        )
    }

    pub fn precondition_failed(locale: Locale, detail: impl Into<String>) -> Self {
        Problem::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition-failed",
            td_string!(locale, problem_precondition),
            detail,
        )
    }

    pub fn too_large(locale: Locale, limit: usize) -> Self {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            td_string!(locale, problem_too_large),
            format!(
                "{} {limit} bytes",
                td_string!(locale, problem_too_large_detail)
            ),
        )
    }

    pub fn unsupported_media_type(locale: Locale, expected: &str) -> Self {
        Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "media-type",
            td_string!(locale, problem_media_type),
            format!("Content-Type: {expected}"),
        )
    }

    pub fn too_many_requests(locale: Locale, wait_seconds: u64) -> Self {
        Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate",
            td_string!(locale, problem_rate),
            format!(
                "{} {wait_seconds} s",
                td_string!(locale, problem_rate_detail)
            ),
        )
        .retry_after(wait_seconds)
    }

    /// A use-case's error as the API answers it. A refusal on access (`Forbidden`) is a 404:
    /// the client learns no more about other joint ventures' cases than their coordinators.
    pub fn from_app(locale: Locale, err: AppError) -> Self {
        match err {
            AppError::Invalid { field, message } => Problem::invalid(
                locale,
                vec![FieldProblem {
                    pointer: pointer_of(&field),
                    detail: message,
                }],
            ),
            AppError::InvalidFile(problems) => Problem::invalid(
                locale,
                problems
                    .into_iter()
                    .map(|p| FieldProblem {
                        pointer: format!("/{}/{}", p.line, p.column),
                        detail: p.message,
                    })
                    .collect(),
            ),
            AppError::SignInRequired => Problem::unauthorized(locale, ""),
            AppError::Forbidden => Problem::not_found(locale),
            AppError::Refused(message) | AppError::Conflict(message) => {
                Problem::conflict(locale, message)
            }
            AppError::TooManyAttempts(wait) => Problem::too_many_requests(locale, wait),
            AppError::Unavailable => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                td_string!(locale, problem_unavailable),
                td_string!(locale, problem_unavailable_detail),
            )
            .retry_after(5),
        }
    }
}

/// The answers any operation may give besides its own, for the OpenAPI document: a request
/// that cannot be read or carries cookies, no valid token, a scope missing, too many requests.
/// Only described, never built: each is a [`Problem`].
#[allow(dead_code)]
#[derive(utoipa::IntoResponses)]
pub enum Refusals {
    #[response(
        status = 400,
        description = "The request cannot be read, or it carries cookies",
        content_type = "application/problem+json",
        example = json!({"type": "/help/api#problem-bad-request", "title": "The request cannot be read", "status": 400, "detail": "A request with a token sends no cookies."})
    )]
    BadRequest(Problem),
    #[response(
        status = 401,
        description = "No valid token",
        content_type = "application/problem+json",
        example = json!({"type": "/help/api#problem-unauthorized", "title": "No valid token", "status": 401, "detail": "the token has expired; ask an administrator for a new one"})
    )]
    Unauthorized(Problem),
    #[response(
        status = 403,
        description = "The client lacks a scope the operation needs",
        content_type = "application/problem+json",
        example = json!({"type": "/help/api#problem-scope", "title": "This client lacks the scope", "status": 403, "detail": "needed: cases:write"})
    )]
    Scope(Problem),
    #[response(
        status = 429,
        description = "Too many requests: wait as long as Retry-After says",
        content_type = "application/problem+json",
        headers(("Retry-After" = u64, description = "Seconds to wait")),
        example = json!({"type": "/help/api#problem-rate", "title": "Too many requests", "status": 429, "detail": "try again in 2 s"})
    )]
    TooManyRequests(Problem),
}

/// A use-case's field name (`subject[birth_date]`, `birth_date`) as a JSON pointer.
pub fn pointer_of(field: &str) -> String {
    let path: Vec<&str> = field
        .split(['[', ']', '.'])
        .filter(|part| !part.is_empty())
        .collect();
    let escaped: Vec<String> = path
        .iter()
        .map(|p| p.replace('~', "~0").replace('/', "~1"))
        .collect();
    format!("/{}", escaped.join("/"))
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST);
        let retry_after = self.retry_after;
        let mut response = (status, axum::Json(&self)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"liaison\""),
            );
        }
        if let Some(seconds) = retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_become_json_pointers() {
        assert_eq!(pointer_of("title"), "/title");
        assert_eq!(pointer_of("subject[birth_date]"), "/subject/birth_date");
        assert_eq!(pointer_of("subjects.3.kind"), "/subjects/3/kind");
        assert_eq!(pointer_of("a/b~c"), "/a~1b~0c");
    }

    #[test]
    fn access_refusals_are_not_found_and_unavailability_says_when_to_retry() {
        let english = Locale::en;
        assert_eq!(Problem::from_app(english, AppError::Forbidden).status, 404);
        let unavailable = Problem::from_app(english, AppError::Unavailable);
        assert_eq!(unavailable.status, 503);
        assert_eq!(unavailable.retry_after, Some(5));
        let invalid = Problem::from_app(english, AppError::invalid("title", "fill this in"));
        assert_eq!(invalid.status, 422);
        assert_eq!(invalid.errors[0].pointer, "/title");
    }
}
