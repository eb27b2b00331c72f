//! Sign-in, sign-out and the own-account page. The forms are plain HTML form posts to server
//! functions, so they work before hydration and without JavaScript.

use crate::{domain::Role, error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub organisation_id: i32,
    pub organisation: String,
    pub roles: Vec<Role>,
    /// Joint ventures this user coordinates.
    pub coordinates: Vec<i32>,
    /// Joint ventures this user oversees as a manager.
    pub oversees: Vec<i32>,
}

#[server(endpoint = "current_user")]
pub async fn get_current_user() -> Result<Option<SignedInUser>, AppError> {
    crate::server::respond(crate::server::auth::current_user().await)
}

/// The secret of a second factor being enrolled, shown once while enrolling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub username: String,
    /// Base32, for typing into an app that cannot scan.
    pub secret: String,
    /// The provisioning address as an inline SVG QR code.
    pub qr_svg: String,
}

/// The local path to go to after sign-in; anything else becomes the start page.
#[cfg(feature = "ssr")]
fn return_target(return_to: Option<&str>) -> &str {
    return_to
        .and_then(crate::language::safe_return_path)
        .unwrap_or("/")
}

/// `path?return_to=…`, carrying where the user was going through the second step.
pub fn with_return_to(path: &str, return_to: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    if return_to == "/" {
        return path.to_owned();
    }
    format!(
        "{path}?return_to={}",
        utf8_percent_encode(return_to, NON_ALPHANUMERIC)
    )
}

#[server(endpoint = "sign_in")]
pub async fn sign_in(
    #[server(default)] username: String,
    #[server(default)] password: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    use crate::server::auth::SignInStep;
    let result = crate::server::auth::sign_in(&username, password).await;
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
    let result = crate::server::auth::second_factor(&code).await;
    if result.is_ok() {
        leptos_axum::redirect(return_target(return_to.as_deref()));
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "enrolment")]
pub async fn get_enrolment() -> Result<Enrolment, AppError> {
    crate::server::respond(crate::server::auth::enrolment().await)
}

#[server(endpoint = "confirm_enrolment")]
pub async fn confirm_enrolment(
    #[server(default)] code: String,
    return_to: Option<String>,
) -> Result<(), AppError> {
    let result = crate::server::auth::confirm_enrolment(&code).await;
    if result.is_ok() {
        leptos_axum::redirect(return_target(return_to.as_deref()));
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    let result = crate::server::auth::sign_out().await;
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
        crate::server::auth::change_password(current_password, new_password, repeat).await,
    )
}

/// The message for a field, if the last submission failed on it.
pub fn field_error(result: Option<Result<(), AppError>>, field: &str) -> Option<String> {
    match result {
        Some(Err(AppError::Invalid { field: f, message })) if f == field => Some(message),
        _ => None,
    }
}

/// The message for a failure that is not about one field, in the page's language. Refusals
/// arrive already worded in the request's language by the server.
pub fn general_error(
    i18n: leptos_i18n::I18nContext<Locale>,
    result: Option<Result<(), AppError>>,
) -> Option<String> {
    let text = match result? {
        Ok(()) | Err(AppError::Invalid { .. }) | Err(AppError::InvalidFile(_)) => return None,
        Err(AppError::Refused(message)) | Err(AppError::Conflict(message)) => message,
        Err(AppError::SignInRequired) => t_string!(i18n, sign_in_required).to_string(),
        Err(AppError::Forbidden) => t_string!(i18n, forbidden_text).to_string(),
        Err(AppError::TooManyAttempts(seconds)) => {
            format!("{} {seconds}", t_string!(i18n, sign_in_throttled))
        }
        Err(AppError::Unavailable) => t_string!(i18n, overview_unavailable).to_string(),
    };
    Some(text)
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let return_to = move || query.with(|q| q.get("return_to").unwrap_or_default());
    let result = move || action.value().get();
    let password_set = move || query.with(|q| q.get("password_set").is_some());
    view! {
        <Title text=move || t_string!(i18n, sign_in_title).to_string() />
        <h1>{t!(i18n, sign_in_title)}</h1>
        <Show when=password_set>
            <p class="alert alert--success" role="status">{t!(i18n, password_set_sign_in)}</p>
        </Show>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, result()).is_some()>
                <p class="alert alert--error" role="alert">
                    {move || general_error(i18n, result())}
                </p>
            </Show>
            <input type="hidden" name="return_to" value=return_to />
            <Field name="username" label=move || t_string!(i18n, username_label).to_string()
                kind="text" autocomplete="username" error=Signal::derive(move || field_error(result(), "username")) />
            <Field name="password" label=move || t_string!(i18n, password_label).to_string()
                kind="password" autocomplete="current-password" error=Signal::derive(move || field_error(result(), "password")) />
            <button type="submit" class="button button--primary">{t!(i18n, sign_in_button)}</button>
        </ActionForm>
    }
}

/// A labelled input with its error message tied to it for screen readers.
#[component]
pub fn Field(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    kind: &'static str,
    autocomplete: &'static str,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=name>{label}</label>
            <Show when=move || error.get().is_some()>
                <p class="field__error" id=error_id.clone()>{move || error.get()}</p>
            </Show>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                value=value
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
            />
        </div>
    }
}

#[component]
pub fn SignOutButton() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignOut>::new();
    view! {
        <ActionForm action attr:class="sign-out">
            <button type="submit">{t!(i18n, sign_out_button)}</button>
        </ActionForm>
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new(|| (), |_| get_current_user());
    let action = ServerAction::<ChangePassword>::new();
    let result = move || action.value().get();
    view! {
        <Title text=move || t_string!(i18n, account_title).to_string() />
        <h1>{t!(i18n, account_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! {
                        <dl class="facts">
                            <dt>{t!(i18n, username_label)}</dt><dd>{user.username.clone()}</dd>
                            <dt>{t!(i18n, name_label)}</dt><dd>{user.display_name.clone()}</dd>
                            <dt>{t!(i18n, organisation_column)}</dt><dd>{user.organisation.clone()}</dd>
                            <dt>{t!(i18n, roles_label)}</dt>
                            <dd>{user.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")}</dd>
                        </dl>
                    }.into_any(),
                    _ => view! { <Redirect path="/sign-in?return_to=/account" /> }.into_any(),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, change_password_title)}</h2>
        <p>{t!(i18n, password_rules)}</p>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || matches!(result(), Some(Ok(())))>
                <p class="alert alert--success" role="status">{t!(i18n, password_changed)}</p>
            </Show>
            <Show when=move || general_error(i18n, result()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result())}</p>
            </Show>
            <Field name="current_password" label=move || t_string!(i18n, current_password_label).to_string()
                kind="password" autocomplete="current-password" error=Signal::derive(move || field_error(result(), "current_password")) />
            <Field name="new_password" label=move || t_string!(i18n, new_password_label).to_string()
                kind="password" autocomplete="new-password" error=Signal::derive(move || field_error(result(), "new_password")) />
            <Field name="repeat" label=move || t_string!(i18n, repeat_password_label).to_string()
                kind="password" autocomplete="new-password" error=Signal::derive(move || field_error(result(), "repeat")) />
            <button type="submit" class="button button--primary">{t!(i18n, change_password_button)}</button>
        </ActionForm>
    }
}

/// The code field and hidden return path shared by the second-factor and enrolment forms.
#[component]
fn CodeFields(result: Signal<Option<Result<(), AppError>>>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let return_to = move || query.with(|q| q.get("return_to").unwrap_or_default());
    view! {
        <Show when=move || general_error(i18n, result.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
        </Show>
        <input type="hidden" name="return_to" value=return_to />
        <Field name="code" label=move || t_string!(i18n, code_label).to_string()
            kind="text" autocomplete="one-time-code" inputmode="numeric"
            error=Signal::derive(move || field_error(result.get(), "code")) />
    }
}

#[component]
pub fn SecondFactorPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SecondFactor>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <Title text=move || t_string!(i18n, second_factor_title).to_string() />
        <h1>{t!(i18n, second_factor_title)}</h1>
        <p>{t!(i18n, second_factor_intro)}</p>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <CodeFields result />
            <button type="submit" class="button button--primary">{t!(i18n, second_factor_button)}</button>
        </ActionForm>
        <p><a href="/sign-in">{t!(i18n, second_factor_start_again)}</a></p>
    }
}

#[component]
pub fn EnrolPage() -> impl IntoView {
    let i18n = use_i18n();
    let enrolment = Resource::new(|| (), |_| get_enrolment());
    let action = ServerAction::<ConfirmEnrolment>::new();
    let result = Signal::derive(move || action.value().get());
    view! {
        <Title text=move || t_string!(i18n, enrol_title).to_string() />
        <h1>{t!(i18n, enrol_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match enrolment.await {
                    Ok(enrolment) => view! {
                        <p>{t!(i18n, enrol_intro)}</p>
                        <ol class="steps">
                            <li>{t!(i18n, enrol_step_app)}</li>
                            <li>
                                {t!(i18n, enrol_step_scan)}
                                <figure class="qr-code">
                                    <div role="img" aria-label=move || t_string!(i18n, enrol_qr_label).to_string()
                                        inner_html=enrolment.qr_svg.clone()></div>
                                    <figcaption>
                                        {t!(i18n, enrol_key_label)} " "
                                        <code class="secret" translate="no">{group_by_four(&enrolment.secret)}</code>
                                        " (" {t!(i18n, username_label)} ": " {enrolment.username.clone()} ")"
                                    </figcaption>
                                </figure>
                            </li>
                            <li>{t!(i18n, enrol_step_code)}</li>
                        </ol>
                        <ActionForm action attr:class="form" attr:novalidate="true">
                            <CodeFields result />
                            <button type="submit" class="button button--primary">{t!(i18n, enrol_button)}</button>
                        </ActionForm>
                    }.into_any(),
                    Err(_) => view! {
                        <p class="alert alert--error" role="alert">{t!(i18n, second_factor_expired)}</p>
                        <p><a href="/sign-in">{t!(i18n, second_factor_start_again)}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `ABCD EFGH …`: easier to read off and type.
fn group_by_four(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
