//! Choosing the language. The switch is a plain form post to `/language`, which stores the
//! choice in the cookie the i18n provider reads and sends the user back where they were; it
//! works the same with and without JavaScript.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The cookie `leptos_i18n` reads on the server and in the browser.
pub const LANGUAGE_COOKIE: &str = "i18n_pref_locale";
pub const LANGUAGE_PATH: &str = "/language";

/// The locale for a code such as `nl` or `en`, if Liaison speaks it.
pub fn parse_locale(code: &str) -> Option<Locale> {
    <Locale as leptos_i18n::Locale>::get_all()
        .iter()
        .copied()
        .find(|locale| locale_code(*locale) == code)
}

pub fn locale_code(locale: Locale) -> &'static str {
    leptos_i18n::Locale::as_str(locale)
}

/// The language of a request: the language cookie, else the first language of the browser's
/// list that Liaison speaks, else Dutch. Server functions answer in it.
#[cfg(feature = "ssr")]
pub fn locale_from_headers(headers: &http::HeaderMap) -> Locale {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == LANGUAGE_COOKIE)
        .and_then(|(_, value)| parse_locale(value));
    let from_browser = || {
        headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .into_iter()
            .flat_map(|v| v.split(','))
            .filter_map(|tag| {
                let tag = tag.split(';').next()?.trim().to_ascii_lowercase();
                parse_locale(tag.split('-').next()?)
            })
            .next()
    };
    from_cookie.or_else(from_browser).unwrap_or_default()
}

/// [`locale_from_headers`] of the request being served.
#[cfg(feature = "ssr")]
pub fn request_locale() -> Locale {
    use_context::<http::request::Parts>()
        .map(|parts| locale_from_headers(&parts.headers))
        .unwrap_or_default()
}

/// A return address is only followed if it is a path on this site: never another host
/// (`//evil.example`, `/\evil.example`) and never a scheme.
pub fn safe_return_path(candidate: &str) -> Option<&str> {
    let local = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && !candidate.chars().any(|c| c.is_control());
    local.then_some(candidate)
}

#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let return_to = move || {
        let path = location.pathname.get();
        let query = location.search.get();
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    let pressed = move |locale: Locale| move || (i18n.get_locale() == locale).to_string();

    view! {
        <form class="language-switch" method="post" action=LANGUAGE_PATH>
            <input type="hidden" name="return_to" value=return_to />
            <span class="language-switch__label" id="language-label">
                {t!(i18n, language_label)}
            </span>
            <div class="language-switch__options" role="group" aria-labelledby="language-label">
                <button type="submit" name="locale" value="nl" lang="nl" aria-pressed=pressed(Locale::nl)>
                    {t!(i18n, language_nl)}
                </button>
                <button type="submit" name="locale" value="en" lang="en" aria-pressed=pressed(Locale::en)>
                    {t!(i18n, language_en)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn a_path_on_this_site_is_followed() {
        assert_eq!(safe_return_path("/help?x=1"), Some("/help?x=1"));
        assert_eq!(safe_return_path("/"), Some("/"));
    }

    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "help",
            "",
            "/a\r\nSet-Cookie: x",
        ] {
            assert_eq!(safe_return_path(bad), None, "{bad:?}");
        }
    }
}
