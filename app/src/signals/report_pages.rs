//! The reporting form: one column on a phone, a plain form post without JavaScript.

use crate::signals::api::ReportSignal;
use crate::signals::api::signal_form;
use crate::signals::labels::{nature_label, urgency_label};
use crate::signals::types::IDENTIFIER_KINDS;
use crate::ui::labels::theme_label;
use crate::{
    domain::SignalNature, domain::Theme, domain::Urgency, i18n::*, ui::form::Field,
    ui::form::field_error, ui::form::general_error, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// A labelled select with its error; `options` are (value, label), the first one chosen
/// unless `selected` names another.
#[component]
pub(crate) fn Choice(
    name: &'static str,
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    options: Vec<(String, String)>,
    #[prop(optional, into)] selected: Option<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            <Show when=move || error.get().is_some()>
                <p class="field__error" id=error_id.clone()>{move || error.get()}</p>
            </Show>
            <select id=id name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())>
                {options.into_iter().map(|(value, text)| {
                    let chosen = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=chosen>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// `/signals/new`: the reporting form — a minute's work, one column on a phone, and a plain
/// form post without JavaScript.
#[component]
pub fn ReportSignalPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let kept = move || query.with(|q| q.get("draft").is_some());
    let form = Resource::new(|| (), |_| signal_form());
    let action = ServerAction::<ReportSignal>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    view! {
        <Title text=t_string!(i18n, signal_new_title).to_string() />
        <p><a href="/signals">{t!(i18n, signals_back)}</a></p>
        <h1>{t!(i18n, signal_new_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => {
                        let draft = form.draft.clone().unwrap_or_default();
                        let has_draft = form.draft.is_some();
                        let categories: Vec<(String, String)> = form.categories.iter().map(|c| (c.id.to_string(), c.name.clone())).collect();
                        let mut places = vec![(String::new(), t_string!(i18n, signal_no_municipality).to_string())];
                        places.extend(form.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())));
                        let themes: Vec<(String, String)> = Theme::ALL.iter().map(|t| (t.as_str().to_owned(), theme_label(i18n, *t))).collect();
                        let urgencies: Vec<(String, String)> = Urgency::ALL.iter().map(|u| (u.as_str().to_owned(), urgency_label(i18n, *u))).collect();
                        let mut identifiers = vec![(String::new(), t_string!(i18n, signal_identifier_none).to_string())];
                        identifiers.extend(IDENTIFIER_KINDS.iter().map(|k| (k.as_str().to_owned(), crate::ui::labels::subject_kind_label(i18n, *k))));
                        let nature_error = error("nature");
                        let observed_error = error("observed");
                        let chosen_nature = draft.nature.clone();
                        view! {
                            {(kept() || has_draft).then(|| view! {
                                <p class="alert alert--info" role="status">{t!(i18n, signal_draft_kept)}</p>
                            })}
                            <ActionForm action attr:class="form form--narrow" attr:novalidate="true">
                                <Show when=move || general_error(i18n, result.get()).is_some()>
                                    <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                                </Show>
                                <fieldset class="field" class:field--invalid=move || nature_error.get().is_some()>
                                    <legend>{t!(i18n, signal_nature)}</legend>
                                    <Show when=move || nature_error.get().is_some()>
                                        <p class="field__error">{move || nature_error.get()}</p>
                                    </Show>
                                    {SignalNature::ALL.iter().map(|n| {
                                        let id = format!("signal-nature-{}", n.as_str());
                                        let checked = chosen_nature == n.as_str();
                                        view! {
                                            <div class="choice">
                                                <input type="radio" id=id.clone() name="signal[nature]" value=n.as_str() checked=checked />
                                                <label for=id>{nature_label(i18n, *n)}</label>
                                            </div>
                                        }
                                    }).collect_view()}
                                    <p class="field__hint">{t!(i18n, signal_nature_hint)}</p>
                                </fieldset>
                                <Choice name="signal[theme]" id="signal-theme" label=move || t_string!(i18n, signal_theme).to_string()
                                    options=themes selected=draft.theme.clone() error=error("theme") />
                                <Choice name="signal[category]" id="signal-category" label=move || t_string!(i18n, signal_category).to_string()
                                    options=categories selected=draft.category.clone() error=error("category") />
                                <div class="field" class:field--invalid=move || observed_error.get().is_some()>
                                    <label for="signal-observed">{t!(i18n, signal_observed)}</label>
                                    <p class="field__hint" id="signal-observed-hint">{t!(i18n, signal_observed_hint)}</p>
                                    <Show when=move || observed_error.get().is_some()>
                                        <p class="field__error" role="alert">{move || observed_error.get()}</p>
                                    </Show>
                                    <textarea id="signal-observed" name="signal[observed]" rows="5" maxlength="4000"
                                        aria-describedby="signal-observed-hint"
                                        aria-invalid=move || observed_error.get().is_some().then_some("true")>{draft.observed.clone()}</textarea>
                                </div>
                                <Field name="signal[day]" label=move || t_string!(i18n, signal_observed_on).to_string()
                                    kind="date" autocomplete="off" error=error("day")
                                    value=if draft.day.is_empty() { form.today.clone() } else { draft.day.clone() } />
                                <Field name="signal[place]" label=move || t_string!(i18n, signal_place).to_string()
                                    kind="text" autocomplete="off" error=error("place") value=draft.place.clone() />
                                <Choice name="signal[municipality]" id="signal-municipality" label=move || t_string!(i18n, subject_municipality).to_string()
                                    options=places selected=draft.municipality.clone() error=error("municipality") />
                                <Choice name="signal[urgency]" id="signal-urgency" label=move || t_string!(i18n, signal_urgency).to_string()
                                    options=urgencies selected=draft.urgency.clone() error=error("urgency") />
                                <fieldset class="field">
                                    <legend>{t!(i18n, signal_person)}</legend>
                                    <p class="field__hint">{t!(i18n, signal_subjects_hint)}</p>
                                    <Field name="signal[person_given]" label=move || t_string!(i18n, subject_given_names).to_string()
                                        kind="text" autocomplete="off" error=error("person_given") value=draft.person_given.clone() />
                                    <Field name="signal[person_family]" label=move || t_string!(i18n, subject_family_name).to_string()
                                        kind="text" autocomplete="off" error=error("person_family") value=draft.person_family.clone() />
                                    <Field name="signal[person_birth_date]" label=move || t_string!(i18n, subject_birth_date).to_string()
                                        kind="text" autocomplete="off" error=error("person_birth_date") value=draft.person_birth_date.clone() />
                                    <Field name="signal[person_nationality]" label=move || t_string!(i18n, subject_nationality).to_string()
                                        kind="text" autocomplete="off" error=error("person_nationality") value=draft.person_nationality.clone() />
                                </fieldset>
                                <fieldset class="field">
                                    <legend>{t!(i18n, signal_identifier)}</legend>
                                    <Choice name="signal[identifier_kind]" id="signal-identifier-kind" label=move || t_string!(i18n, kind_column).to_string()
                                        options=identifiers selected=draft.identifier_kind.clone() error=error("identifier_kind") />
                                    <Field name="signal[identifier_value]" label=move || t_string!(i18n, signal_identifier_value).to_string()
                                        kind="text" autocomplete="off" error=error("identifier_value") value=draft.identifier_value.clone() />
                                </fieldset>
                                <details>
                                    <summary>{t!(i18n, signal_reporter_options)}</summary>
                                    <div class="choice">
                                        <input type="checkbox" id="signal-anonymous" name="signal[anonymous]" value="on" checked=draft.anonymous == "on" />
                                        <label for="signal-anonymous">{t!(i18n, signal_anonymous)}</label>
                                    </div>
                                    <p class="field__hint">{t!(i18n, signal_anonymous_hint)}</p>
                                    <Field name="signal[on_behalf_of]" label=move || t_string!(i18n, signal_on_behalf_of).to_string()
                                        kind="text" autocomplete="off" error=error("on_behalf_of") value=draft.on_behalf_of.clone() />
                                </details>
                                <button type="submit" class="button button--primary">{t!(i18n, signal_report_button)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/signals/new" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
