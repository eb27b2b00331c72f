//! Server-only code: storage entities, queries and the request context server functions use.

pub mod audit;
pub mod caller;
pub mod csv_file;
pub mod entity;
pub mod leases;
pub mod mail;
pub mod password;
pub mod request_limits;
pub mod second_factor;
pub mod security;
pub mod session_store;
pub mod throttle;
pub mod time;

use crate::error::AppError;
use leptos::prelude::*;
use sea_orm::DatabaseConnection;

/// The database pool the server put into the request context.
pub fn db() -> Result<DatabaseConnection, AppError> {
    use_context::<DatabaseConnection>().ok_or_else(|| {
        tracing::error!("no database connection in the request context");
        AppError::Unavailable
    })
}

/// Times are stored as this fixed-format UTC text, so that text order is time order and a
/// value reads back identically from SQLite and PostgreSQL.
pub fn utc_text(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// After a successful form post: go to `path` with `query` and a fresh `at`, so that the page
/// reloads its data even when the same action is repeated (the address differs each time).
pub fn land(path: &str, query: &str) {
    let at = chrono::Utc::now().timestamp_millis();
    leptos_axum::redirect(&format!("{path}?{query}&at={at}"));
}

/// Makes the answer of a server function a CSV file the browser saves as `filename`.
pub fn csv_download(filename: &str) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        // A plain link asks for HTML, which Leptos answers with a redirect back; a file is
        // the answer here (the server drops the redirect's Location for downloads).
        response.set_status(http::StatusCode::OK);
        response.insert_header(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        let safe: String = filename
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if let Ok(value) = http::HeaderValue::from_str(&format!("attachment; filename=\"{safe}\""))
        {
            response.insert_header(http::header::CONTENT_DISPOSITION, value);
        }
    }
}

/// A CSV download's answer: the file as one chunk, or the error with its status.
pub fn csv_answer(
    result: Result<String, AppError>,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    respond(result).map(|csv| {
        leptos::server_fn::codec::ByteStream::new(futures::stream::once(async move {
            Ok::<_, AppError>(csv)
        }))
    })
}

/// Gives a failed server function the HTTP status its error stands for (Leptos answers
/// 500 otherwise), so that bad input is a 4xx. Every server function returns through here.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let (Err(err), Some(response)) = (&result, use_context::<leptos_axum::ResponseOptions>()) {
        response.set_status(
            http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::BAD_REQUEST),
        );
    }
    result
}

/// The advisory lock every transaction that matches takes first on PostgreSQL (an arbitrary
/// constant of Liaison's: "LIAISON" in ASCII).
pub const MATCHING_LOCK: i64 = 0x004c_4941_4953_4f4e;

/// Begins a transaction that saves subjects or operations and matches them. Matching reads the
/// rows saved before; a save on another connection that has not committed yet is invisible to
/// it, so two matching saves at the same moment (on two instances) could each miss the other.
/// They therefore queue: on SQLite every writer already does (`BEGIN IMMEDIATE`); on
/// PostgreSQL a transaction-scoped advisory lock, taken before the transaction touches any row
/// (so that it can never be part of a deadlock), lets one matching transaction in at a time.
/// Each then sees every save committed before it, whatever their ids; the lock is released
/// at commit or rollback, also when the connection dies.
pub async fn begin_matching<C>(db: &C) -> Result<C::Transaction, sea_orm::DbErr>
where
    C: sea_orm::TransactionTrait,
    C::Transaction: sea_orm::ConnectionTrait,
{
    use sea_orm::ConnectionTrait;
    let txn = begin_write(db).await?;
    if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [MATCHING_LOCK.into()],
        ))
        .await?;
    }
    Ok(txn)
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`) and so waits its turn under the busy timeout; a deferred transaction
/// that reads first and writes later fails at once with "database is locked" when another
/// connection wrote in between. PostgreSQL ignores the mode.
pub async fn begin_write<C>(db: &C) -> Result<C::Transaction, sea_orm::DbErr>
where
    C: sea_orm::TransactionTrait,
{
    db.begin_with_options(sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}
