//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::home::types::{PortalOverview, StartPage};
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

/// What needs the signed-in caller's attention, a section per role, each holding only what
/// the page it links to would show them. `None` for a visitor, who gets the public start page:
/// `/` is never a refusal.
#[server(endpoint = "start_page")]
pub async fn get_start_page() -> Result<Option<StartPage>, AppError> {
    crate::server::respond(
        async {
            match crate::server::caller::current_user().await? {
                Some(user) => {
                    let caller = crate::server::caller::Caller::of_request(user);
                    crate::home::start::start_page(
                        &crate::server::db()?,
                        &caller,
                        &crate::settings::settings(),
                    )
                    .await
                    .map(Some)
                }
                None => Ok(None),
            }
        }
        .await,
    )
}
