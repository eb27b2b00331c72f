//! Server-only code: storage entities, queries and the request context server functions use.

pub mod audit;
pub mod auth;
pub mod entity;
pub mod overview;
pub mod password;
pub mod security;
pub mod session_store;
pub mod throttle;

use leptos::prelude::*;
use sea_orm::DatabaseConnection;

/// The database pool the server put into the request context.
pub fn db() -> Result<DatabaseConnection, ServerFnError> {
    use_context::<DatabaseConnection>().ok_or_else(|| {
        tracing::error!("no database connection in the request context");
        ServerFnError::new("service unavailable")
    })
}
