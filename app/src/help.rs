use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HelpPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=move || t_string!(i18n, help_title).to_string() />
        <h1>{t!(i18n, help_title)}</h1>
        <p class="lead">{t!(i18n, help_intro)}</p>
        <section aria-labelledby="keyboard">
            <h2 id="keyboard">{t!(i18n, help_keyboard_title)}</h2>
            <p>{t!(i18n, help_keyboard_text)}</p>
        </section>
        <section aria-labelledby="accessibility">
            <h2 id="accessibility">{t!(i18n, help_accessibility_title)}</h2>
            <p>{t!(i18n, help_accessibility_text)}</p>
        </section>
        <section aria-labelledby="language">
            <h2 id="language">{t!(i18n, help_language_title)}</h2>
            <p>{t!(i18n, help_language_text)}</p>
        </section>
    }
}
