//! Components.

use crate::account::api::{ChangePassword, ConfirmEnrolment, SecondFactor, SignIn, SignOut};
use crate::account::api::{get_current_user, get_enrolment};
use crate::ui::form::{Field, field_error, general_error};
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Redirect, hooks::use_query_map};

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let query = use_query_map();
    let return_to = move || query.with(|q| q.get("return_to").unwrap_or_default());
    let result = move || action.value().get();
    let password_set = move || query.with(|q| q.get("password_set").is_some());
    view! {
        <Title text=t_string!(i18n, sign_in_title).to_string() />
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
        <Title text=t_string!(i18n, account_title).to_string() />
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
                            <dd>{crate::ui::labels::roles_label(i18n, &user.roles)}</dd>
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
                <p class="alert alert--success" role="status">{t!(i18n, password_changed)} " " {t!(i18n, password_changed_sessions_ended)}</p>
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
pub(crate) fn CodeFields(result: Signal<Option<Result<(), AppError>>>) -> impl IntoView {
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
        <Title text=t_string!(i18n, second_factor_title).to_string() />
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
        <Title text=t_string!(i18n, enrol_title).to_string() />
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
pub(crate) fn group_by_four(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
