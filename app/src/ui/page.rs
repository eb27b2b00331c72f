//! Parts every page uses: the refusal or failure a page shows, its address parameters, the
//! sign-in link that comes back.

use crate::{error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Two parameters of the page's address (empty when missing), for a page's resource: a
/// period (`from`, `to`) or a choice (`quarter`, `theme`).
pub fn query_pair(
    first: &'static str,
    second: &'static str,
) -> impl Fn() -> (String, String) + Clone + Send + Sync + 'static {
    let query = use_query_map();
    move || {
        query.with(|q| {
            (
                q.get(first).unwrap_or_default(),
                q.get(second).unwrap_or_default(),
            )
        })
    }
}

/// What a page shows when its server function refused: the way to sign in (and back), a
/// refusal, or that the service is down. The server decided; this only explains.
#[component]
pub fn PageError(err: AppError, #[prop(into)] return_to: String) -> impl IntoView {
    let i18n = use_i18n();
    match err {
        AppError::SignInRequired => {
            let path = with_return_to("/sign-in", &return_to);
            view! { <leptos_router::components::Redirect path=path /> }.into_any()
        }
        AppError::Forbidden => view! {
            <p class="alert alert--error" role="alert">{t!(i18n, forbidden_text)}</p>
        }
        .into_any(),
        AppError::Invalid { .. }
        | AppError::InvalidFile(_)
        | AppError::Refused(_)
        | AppError::Conflict(_) => view! {
            <p class="alert alert--error" role="alert">{t!(i18n, not_found_text)}</p>
        }
        .into_any(),
        _ => view! {
            <p class="alert alert--warning" role="alert">{t!(i18n, overview_unavailable)}</p>
        }
        .into_any(),
    }
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

/// A table that may be wider than the screen scrolls inside its own region, which the keyboard
/// can reach and a screen reader names ("<label> (table)"); the page itself never scrolls sideways.
#[component]
pub fn TableRegion(#[prop(into)] label: TextProp, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" role="region" tabindex="0"
            aria-label=move || format!("{} ({})", label.get(), t_string!(i18n, table_region))>
            {children()}
        </div>
    }
}
