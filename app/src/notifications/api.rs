//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;
use crate::notifications::types::NotificationRow;
use leptos::prelude::*;

#[server(endpoint = "notifications")]
pub async fn list_notifications() -> Result<Vec<NotificationRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::notifications::inbox::list(&crate::server::db()?, &user).await
        }
        .await,
    )
}

/// How many of the caller's notifications are unread (none for a visitor).
#[server(endpoint = "unread_notifications")]
pub async fn unread_notifications() -> Result<u64, AppError> {
    crate::server::respond(
        async {
            match crate::server::caller::current_user().await? {
                Some(user) => {
                    let caller = crate::server::caller::Caller::of_request(user);
                    crate::notifications::inbox::unread(&crate::server::db()?, &caller).await
                }
                None => Ok(0),
            }
        }
        .await,
    )
}

/// Marks one notification (`id`) or all of the caller's (`id` empty) read.
#[server(endpoint = "mark_notifications_read")]
pub async fn mark_read(#[server(default)] id: String) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let id = match id.trim() {
            "" => None,
            text => Some(text.parse::<i32>().map_err(|_| {
                AppError::invalid(
                    "id",
                    td_string!(crate::language::request_locale(), err_choose_from_list),
                )
            })?),
        };
        crate::notifications::inbox::mark_read(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/notifications", "done=read");
    }
    crate::server::respond(result)
}
