use crate::{error::AppError, i18n::*};
use leptos::prelude::*;

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
