//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::home::types::PortalOverview;
use leptos::prelude::*;

#[server(endpoint = "portal_overview")]
pub async fn get_portal_overview() -> Result<PortalOverview, AppError> {
    let result = match crate::server::db() {
        Ok(db) => crate::home::overview::load(&db).await.map_err(|err| {
            tracing::error!(error = %err, "loading the portal overview failed");
            AppError::Unavailable
        }),
        Err(err) => Err(err),
    };
    crate::server::respond(result)
}
