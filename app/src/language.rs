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
