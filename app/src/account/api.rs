//! The server functions: check the caller, call a use-case, map the answer.

use crate::access::SignedInUser;
use crate::account::types::Enrolment;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ui::page::with_return_to;
use leptos::prelude::*;

#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<SignedInUser>, AppError> {
    crate::server::respond(crate::server::caller::current_user().await)
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    #[server(default)] username: String,
    #[server(default)] password: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    use crate::account::sign_in::SignInStep;
    let result = crate::account::sign_in::sign_in(&username, password).await;
    let target = return_target(return_to.as_deref());
    match result {
        Ok(SignInStep::Complete) => leptos_axum::redirect(target),
        Ok(SignInStep::SecondFactor) => {
            leptos_axum::redirect(&with_return_to("/sign-in/second-factor", target))
        }
        Ok(SignInStep::Enrol) => leptos_axum::redirect(&with_return_to("/sign-in/enrol", target)),
        Err(_) => {}
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "second_factor")]
pub async fn second_factor(
    #[server(default)] code: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let result = crate::account::sign_in::second_factor(&code).await;
    if result.is_ok() {
        leptos_axum::redirect(return_target(return_to.as_deref()));
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "enrolment")]
pub async fn get_enrolment() -> Result<Enrolment, AppError> {
    crate::server::respond(crate::account::sign_in::enrolment().await)
}

#[server(endpoint = "confirm_enrolment")]
pub async fn confirm_enrolment(
    #[server(default)] code: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let result = crate::account::sign_in::confirm_enrolment(&code).await;
    if result.is_ok() {
        leptos_axum::redirect(return_target(return_to.as_deref()));
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let result = crate::account::sign_in::sign_out().await;
    if result.is_ok() {
        leptos_axum::redirect("/sign-in");
    }
    crate::server::respond(result)
}

#[server(endpoint = "change_password")]
pub async fn change_password(
    #[server(default)] current_password: String,
    #[server(default)] new_password: String,
    #[server(default)] repeat: String,
) -> Result<(), AppError> {
    crate::server::respond(
        crate::account::change_password::change_password(current_password, new_password, repeat)
            .await,
    )
}

/// The local path to go to after sign-in; anything else becomes the start page.
#[cfg(feature = "ssr")]
pub(crate) fn return_target(return_to: Option<&str>) -> &str {
    return_to
        .and_then(crate::language::safe_return_path)
        .unwrap_or("/")
}
