//! The server functions: check the caller, call a use-case, map the answer.

use crate::audit::types::{AuditFilter, AuditTrail};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit_trail")]
pub async fn get_audit_trail(
    #[server(default)] filter: AuditFilter,
) -> Result<AuditTrail, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::audit::trail::trail(&crate::server::db()?, &user, &filter).await
        }
        .await,
    )
}
