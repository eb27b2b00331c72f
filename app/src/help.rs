use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HelpPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, help_title).to_string() />
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
        <section aria-labelledby="matching">
            <h2 id="matching">{t!(i18n, help_matching_title)}</h2>
            <p>{t!(i18n, help_matching_identifiers)}</p>
            <p>{t!(i18n, help_matching_persons)}</p>
            <ul>
                <li>{t!(i18n, help_matching_names)}</li>
                <li>{t!(i18n, help_matching_birth)}</li>
                <li>{t!(i18n, help_matching_nationality)}</li>
                <li>{t!(i18n, help_matching_thresholds)}</li>
                <li>{t!(i18n, help_matching_corroboration)}</li>
            </ul>
            <p>{t!(i18n, help_matching_operations)}</p>
            <p>{t!(i18n, help_matching_sharing)}</p>
            <p>{t!(i18n, help_matching_benign)}</p>
        </section>
        <section aria-labelledby="deconfliction">
            <h2 id="deconfliction">{t!(i18n, help_deconfliction_title)}</h2>
            <p>{t!(i18n, help_deconfliction_life)}</p>
            <ul>
                <li>{t!(i18n, help_deconfliction_acknowledge)}</li>
                <li>{t!(i18n, help_deconfliction_decide)}</li>
                <li>{t!(i18n, help_deconfliction_reopen)}</li>
                <li>{t!(i18n, help_deconfliction_deadlines)}</li>
            </ul>
            <p>{t!(i18n, help_deconfliction_flags)}</p>
            <p>{t!(i18n, help_deconfliction_notifications)}</p>
            <h3 id="disclosure">{t!(i18n, help_disclosure_title)}</h3>
            <ul>
                <li>{t!(i18n, help_disclosure_grounds)}</li>
                <li>{t!(i18n, help_disclosure_four_eyes)}</li>
                <li>{t!(i18n, help_disclosure_withdraw)}</li>
                <li>{t!(i18n, help_disclosure_register)}</li>
            </ul>
            <h3 id="retention">{t!(i18n, help_retention_title)}</h3>
            <ul>
                <li>{t!(i18n, help_retention_rules)}</li>
                <li>{t!(i18n, help_retention_review)}</li>
                <li>{t!(i18n, help_retention_job)}</li>
            </ul>
        </section>
        <section aria-labelledby="signals">
            <h2 id="signals">{t!(i18n, help_signals_title)}</h2>
            <p>{t!(i18n, help_signals_report)}</p>
            <ul>
                <li>{t!(i18n, help_signals_anonymous)}</li>
                <li>{t!(i18n, help_signals_life)}</li>
                <li>{t!(i18n, help_signals_deadlines)}</li>
                <li>{t!(i18n, help_signals_duplicates)}</li>
                <li>{t!(i18n, help_signals_matches)}</li>
            </ul>
        </section>
        <section aria-labelledby="reports">
            <h2 id="reports">{t!(i18n, help_reports_title)}</h2>
            <p>{t!(i18n, help_reports_overlaps)}</p>
            <p>{t!(i18n, help_reports_summary)}</p>
            <ul>
                <li>{t!(i18n, summary_rule_primary)}</li>
                <li>{t!(i18n, summary_rule_secondary)}</li>
                <li>{t!(i18n, summary_rule_withheld)}</li>
                <li>{t!(i18n, summary_rule_regions)}</li>
                <li>{t!(i18n, help_reports_age)}</li>
            </ul>
        </section>
        <section aria-labelledby="language">
            <h2 id="language">{t!(i18n, help_language_title)}</h2>
            <p>{t!(i18n, help_language_text)}</p>
        </section>
    }
}
