//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::users::types::{OrganisationOption, TakeoverRequest, UserDetail, UserInput, UserRow};
use leptos::prelude::*;

#[server(endpoint = "admin/users")]
pub async fn list_users(
    #[server(default)] q: String,
    #[server(default)] status: String,
) -> Result<Vec<UserRow>, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Read, Object::Users)?;
            crate::users::accounts::list(&crate::server::db()?, &q, &status).await
        }
        .await,
    )
}

#[server(endpoint = "admin/user")]
pub async fn get_user(id: i32) -> Result<UserDetail, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Read, Object::User(id))?;
            crate::users::accounts::detail(&crate::server::db()?, &admin, id).await
        }
        .await,
    )
}

#[server(endpoint = "admin/organisation_options")]
pub async fn organisation_options() -> Result<Vec<OrganisationOption>, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Manage, Object::Users)?;
            crate::users::accounts::organisation_options(&crate::server::db()?).await
        }
        .await,
    )
}

/// After a change the administrator lands on the user's page, told what was done.
#[cfg(feature = "ssr")]
pub(crate) fn land_on_user(id: i32, done: &str) {
    crate::server::land(&format!("/admin/users/{id}"), &format!("done={done}"));
}

#[server(endpoint = "admin/create_user")]
pub async fn create_user(#[server(default)] user: UserInput) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::Users)?;
        let valid = user.parse(true, crate::language::request_locale())?;
        crate::users::accounts::create(&crate::server::db()?, &admin, valid).await
    }
    .await;
    if let Ok(id) = result {
        land_on_user(id, "created");
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "admin/update_user")]
pub async fn update_user(id: i32, #[server(default)] user: UserInput) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        let valid = user.parse(false, crate::language::request_locale())?;
        crate::users::accounts::update(&crate::server::db()?, &admin, id, valid).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "saved");
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/set_user_active")]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::users::accounts::set_active(&crate::server::db()?, &admin, id, active).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, if active { "reactivated" } else { "deactivated" });
    }
    crate::server::respond(result.map(|_| ()))
}

/// Requests a set-password link (also a new account's first), for another administrator to
/// approve; the approver is shown the link.
#[server(endpoint = "admin/issue_set_password_link")]
pub async fn issue_set_password_link(id: i32) -> Result<(), AppError> {
    use crate::users::types::TakeoverKind;
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::users::takeovers::request(
            &crate::server::db()?,
            &admin,
            id,
            TakeoverKind::SetPasswordLink,
        )
        .await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "takeover_requested");
    }
    crate::server::respond(result)
}

/// Requests a second-factor reset, for another administrator to approve.
#[server(endpoint = "admin/reset_second_factor")]
pub async fn reset_second_factor(id: i32) -> Result<(), AppError> {
    use crate::users::types::TakeoverKind;
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::users::takeovers::request(
            &crate::server::db()?,
            &admin,
            id,
            TakeoverKind::ResetSecondFactor,
        )
        .await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "takeover_requested");
    }
    crate::server::respond(result.map(|_| ()))
}

/// Every takeover request that waits for a decision.
#[server(endpoint = "admin/takeover_requests")]
pub async fn takeover_requests() -> Result<Vec<TakeoverRequest>, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Read, Object::Users)?;
            crate::users::takeovers::pending(&crate::server::db()?, &admin, None).await
        }
        .await,
    )
}

/// Approves another administrator's takeover request; it takes effect now.
#[server(endpoint = "admin/approve_takeover")]
pub async fn approve_takeover(request_id: i32) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::Users)?;
        crate::users::takeovers::approve(&crate::server::db()?, &admin, request_id).await
    }
    .await;
    if let Ok(user_id) = result {
        land_on_user(user_id, "takeover_approved");
    }
    crate::server::respond(result.map(|_| ()))
}

/// Refuses another administrator's takeover request, with a reason.
#[server(endpoint = "admin/refuse_takeover")]
pub async fn refuse_takeover(
    request_id: i32,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::Users)?;
        crate::users::takeovers::refuse(&crate::server::db()?, &admin, request_id, &reason).await
    }
    .await;
    if let Ok(user_id) = result {
        land_on_user(user_id, "takeover_refused");
    }
    crate::server::respond(result.map(|_| ()))
}

/// Whose password a set-password link sets, if the link is still valid. Needs no sign-in: the
/// token is the proof.
#[server(endpoint = "set_password_link")]
pub async fn set_password_link(#[server(default)] token: String) -> Result<String, AppError> {
    crate::server::respond(crate::users::links::link_owner(&crate::server::db()?, &token).await)
}

#[server(endpoint = "set_password")]
pub async fn set_password(
    #[server(default)] token: String,
    #[server(default)] new_password: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    let result = async {
        crate::users::links::set_password(&crate::server::db()?, &token, new_password, repeat).await
    }
    .await;
    if result.is_ok() {
        leptos_axum::redirect("/sign-in?password_set=1");
    }
    crate::server::respond(result)
}
