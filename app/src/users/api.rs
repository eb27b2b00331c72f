//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::users::types::{OrganisationOption, UserDetail, UserInput, UserRow};
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
            crate::users::accounts::detail(&crate::server::db()?, id).await
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

#[server(endpoint = "admin/issue_set_password_link")]
pub async fn issue_set_password_link(id: i32) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::users::links::issue_link(&crate::server::db()?, &admin, id).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "link");
    }
    crate::server::respond(result)
}

#[server(endpoint = "admin/reset_second_factor")]
pub async fn reset_second_factor(id: i32) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::User(id))?;
        crate::users::links::reset_second_factor(&crate::server::db()?, &admin, id).await
    }
    .await;
    if result.is_ok() {
        land_on_user(id, "second_factor_reset");
    }
    crate::server::respond(result)
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
