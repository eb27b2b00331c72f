//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::retention::types::{RetentionOverview, RuleInput};
use leptos::prelude::*;

/// `/admin/retention`: the rules, the cases' standing and the job's last runs.
#[server(endpoint = "retention")]
pub async fn get_retention() -> Result<RetentionOverview, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::retention::store::overview(&crate::server::db()?, &user).await
        }
        .await,
    )
}

/// Adds (`id` none) or changes a retention rule; administrators.
#[server(endpoint = "save_retention_rule")]
pub async fn save_retention_rule(
    id: Option<i32>,
    #[server(default)] rule: RuleInput,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        require(&user, Action::Manage, Object::Retention)?;
        crate::retention::store::save_rule(&crate::server::db()?, &user, id, &rule).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/retention", "saved=1");
    }
    crate::server::respond(result.map(|_| ()))
}

/// Removes a retention rule (never the one for any kind and theme); administrators.
#[server(endpoint = "remove_retention_rule")]
pub async fn remove_retention_rule(id: i32) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        require(&user, Action::Manage, Object::Retention)?;
        crate::retention::store::remove_rule(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/retention", "removed=1");
    }
    crate::server::respond(result)
}

/// Extends a signal's retention from today, with a reason; its owners' coordinators.
#[server(endpoint = "extend_signal_retention")]
pub async fn extend_signal_retention(
    signal_id: i32,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::retention::store::extend_signal(&crate::server::db()?, &user, signal_id, &reason)
            .await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&format!("/signals/{signal_id}"), "extended=1");
    }
    crate::server::respond(result)
}

/// Extends a case's retention from today, with a reason; its coordinators.
#[server(endpoint = "extend_retention")]
pub async fn extend_retention(
    case_id: i32,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::retention::store::extend(&db, &user, &case, &reason)
            .await
            .map(|_| ())
    }
    .await;
    crate::cases::store::landed(result, case_id, "extended=1")
}
