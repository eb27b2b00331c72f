//! The one error type of Liaison's server functions. What it says is safe to show: internal
//! causes are logged on the server and never sent.

use leptos::server_fn::{codec::JsonEncoding, error::FromServerFnError};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input: which field and what is wrong with it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// A file (a CSV import) with problems on some of its lines; nothing of it was saved.
    #[error("the file was not imported: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidFile(Vec<FileProblem>),
    #[error("sign in to continue")]
    SignInRequired,
    #[error("you may not do this")]
    Forbidden,
    /// A refusal whose text is meant for the user, such as a failed sign-in.
    #[error("{0}")]
    Refused(String),
    /// Someone else changed the thing since the caller saw it; nothing was written.
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins: try again after this many seconds.
    #[error("too many failed attempts; try again in {0} seconds")]
    TooManyAttempts(u64),
    #[error("the service is not available right now; try again later")]
    Unavailable,
}

/// A form the server function could not decode: the field, where the decoder names it
/// (serde's "missing field `id`"; a value of the wrong type it does not name).
fn undecodable(message: &str) -> AppError {
    let missing = message
        .split_once("missing field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(field, _)| field)
        .filter(|field| !field.is_empty() && field.len() <= 64);
    match missing {
        Some(field) => AppError::invalid(field, "is missing"),
        None => AppError::invalid("form", "the form is incomplete or malformed"),
    }
}

/// One problem in an uploaded file: where (line 0 is the file as a whole) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProblem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column.is_empty()) {
            (0, _) => write!(f, "{}", self.message),
            (line, true) => write!(f, "line {line}: {}", self.message),
            (line, false) => write!(f, "line {line}, column {}: {}", self.column, self.message),
        }
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid {
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Invalid { .. } | AppError::InvalidFile(_) | AppError::Refused(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::SignInRequired => 401,
            AppError::Forbidden => 403,
            AppError::TooManyAttempts(_) => 429,
            AppError::Unavailable => 503,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(message) => undecodable(&message),
            E::MissingArg(name) => AppError::invalid(&name, "is missing"),
            // On the server this is a request body that could not be decoded: bad input.
            #[cfg(feature = "ssr")]
            E::Deserialization(message) => undecodable(&message),
            _ => AppError::Unavailable,
        }
    }
}

/// A database failure: logged once, here, inside the span of the use-case that was running,
/// and never echoed to the caller. This is what lets `?` do the plumbing. Each use-case is
/// `#[tracing::instrument(level = "error", skip_all)]`: a span at the error level is on
/// whenever errors are logged, so even under `RUST_LOG=warn` the line names the step that
/// failed (`rescan:replay_subjects: database step failed`).
#[cfg(feature = "ssr")]
impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "database step failed");
        AppError::Unavailable
    }
}

#[cfg(feature = "ssr")]
impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(err) => err.into(),
            sea_orm::TransactionError::Transaction(err) => err,
        }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// For a step that fails outside the database (a session store, a QR code, an upload's
    /// encoding): logs what Liaison was doing and why, answers "unavailable".
    pub fn failed<E: std::fmt::Display>(step: &'static str) -> impl FnOnce(E) -> AppError {
        move |err| {
            tracing::error!(error = %err, step, "unexpected failure");
            AppError::Unavailable
        }
    }

    /// A unique index refusing a duplicate becomes `message` on `field` (two people saving the
    /// same name at once: the index decides); any other database failure is unexpected.
    pub fn unique_or(field: &'static str, message: String) -> impl Fn(sea_orm::DbErr) -> AppError {
        move |err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::invalid(field, message.clone())
            }
            _ => err.into(),
        }
    }
}

/// The session store failed (it lives in the database): logged, never shown.
#[cfg(feature = "ssr")]
impl From<tower_sessions::session::Error> for AppError {
    fn from(err: tower_sessions::session::Error) -> Self {
        tracing::error!(error = %err, "session step failed");
        AppError::Unavailable
    }
}

/// A stored code that is none of the known ones: the row is corrupt. Logged as an error and
/// refused, never read as some default.
#[cfg(feature = "ssr")]
impl From<crate::domain::UnknownCode> for AppError {
    fn from(err: crate::domain::UnknownCode) -> Self {
        tracing::error!(error = %err, "a stored row holds an unknown code");
        AppError::Unavailable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undecodable_form_names_the_missing_field_when_the_decoder_does() {
        assert_eq!(
            undecodable("missing field `id`"),
            AppError::invalid("id", "is missing")
        );
        assert_eq!(
            undecodable("invalid digit found in string"),
            AppError::invalid("form", "the form is incomplete or malformed")
        );
    }
}
