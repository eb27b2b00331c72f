//! Components.

use crate::signals::analysis;
use crate::signals::api::{
    AddRoutingRule, RemoveRoutingRule, ReportSignal, SaveSignalCategory, SignalFeedback,
    SignalOwner, SignalStep,
};
use crate::signals::api::{get_signal, list_signals, signal_analysis, signal_form, signal_routing};
use crate::signals::types::{CaseSignalMatch, IDENTIFIER_KINDS, SignalRow, SignalView, Viewer};
use crate::{
    domain::SignalNature, domain::SignalOutcome, domain::SignalState, domain::Theme,
    domain::Urgency, i18n::*, partnerships::types::Named, ui::form::Field, ui::form::field_error,
    ui::form::general_error, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: SignalState) -> String {
    match state {
        SignalState::New => t_string!(i18n, signal_state_new),
        SignalState::Assessed => t_string!(i18n, signal_state_assessed),
        SignalState::Routed => t_string!(i18n, signal_state_routed),
        SignalState::FollowedUp => t_string!(i18n, signal_state_followed_up),
        SignalState::NoAction => t_string!(i18n, signal_state_no_action),
    }
    .to_string()
}

pub fn nature_label(i18n: leptos_i18n::I18nContext<Locale>, nature: SignalNature) -> String {
    match nature {
        SignalNature::Hard => t_string!(i18n, signal_hard),
        SignalNature::Soft => t_string!(i18n, signal_soft),
    }
    .to_string()
}

pub fn urgency_label(i18n: leptos_i18n::I18nContext<Locale>, urgency: Urgency) -> String {
    match urgency {
        Urgency::Normal => t_string!(i18n, signal_urgency_normal),
        Urgency::Urgent => t_string!(i18n, signal_urgency_urgent),
    }
    .to_string()
}

pub fn outcome_label(i18n: leptos_i18n::I18nContext<Locale>, outcome: SignalOutcome) -> String {
    match outcome {
        SignalOutcome::LinkedCase => t_string!(i18n, signal_outcome_linked_case),
        SignalOutcome::Forwarded => t_string!(i18n, signal_outcome_forwarded),
        SignalOutcome::AddedToCase => t_string!(i18n, signal_outcome_added_to_case),
    }
    .to_string()
}

pub(crate) fn step_label(i18n: leptos_i18n::I18nContext<Locale>, step: &str) -> String {
    match step {
        "reported" => t_string!(i18n, signal_event_reported),
        "routed_by_rule" => t_string!(i18n, signal_event_routed_by_rule),
        "attached" => t_string!(i18n, signal_event_attached),
        "report_attached" => t_string!(i18n, signal_event_report_attached),
        "owner_assigned" => t_string!(i18n, signal_event_owner_assigned),
        "assess" => t_string!(i18n, signal_step_assess),
        "route" => t_string!(i18n, signal_step_route),
        "follow_up" => t_string!(i18n, signal_step_follow_up),
        "no_action" => t_string!(i18n, signal_step_no_action),
        "feedback" => t_string!(i18n, signal_event_feedback),
        _ => t_string!(i18n, signal_event_other),
    }
    .to_string()
}

pub(crate) fn theme_label(i18n: leptos_i18n::I18nContext<Locale>, theme: Theme) -> String {
    crate::ui::labels::theme_label(i18n, theme)
}

/// A table of signals; `owner` adds the owning joint venture's column.
#[component]
pub(crate) fn SignalTable(rows: Vec<SignalRow>, caption: String, owner: bool) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p>{t!(i18n, signals_none)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{caption}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, signal_reference)}</th>
                    <th scope="col">{t!(i18n, signal_state)}</th>
                    <th scope="col">{t!(i18n, signal_category)}</th>
                    <th scope="col">{t!(i18n, signal_reported_on)}</th>
                    <th scope="col">{t!(i18n, signal_due)}</th>
                    {owner.then(|| view! { <th scope="col">{t!(i18n, signal_owner)}</th> })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr>
                            <td><a href=format!("/signals/{}", r.id)>{r.reference.clone()}</a>
                                {(r.urgency == Urgency::Urgent).then(|| view! { " " <strong class="badge badge--warning">{t!(i18n, signal_urgency_urgent)}</strong> })}
                            </td>
                            <td>{state_label(i18n, r.state)}
                                {r.attached_to.clone().map(|e| view! { <br /><small>{t!(i18n, signal_attached_to)} " " {e}</small> })}
                            </td>
                            <td>{nature_label(i18n, r.nature)} ", " {r.category.clone()} " (" {theme_label(i18n, r.theme)} ")"</td>
                            <td>{r.reported_on.clone()}</td>
                            <td>{r.due.clone().unwrap_or_default()}
                                {r.overdue.then(|| view! { " " <strong class="badge badge--danger">{t!(i18n, signal_overdue)}</strong> })}
                            </td>
                            {owner.then(|| view! { <td>{r.owner.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

/// `/signals`: the caller's own reports, their joint ventures' signals, the overseen ones,
/// and (administrators) those waiting for an owner.
#[component]
pub fn SignalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let lists = Resource::new(landed, |_| list_signals());
    view! {
        <Title text=move || t_string!(i18n, signals_title).to_string() />
        <h1>{t!(i18n, signals_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(lists) => view! {
                        {lists.reports.then(|| view! {
                            <p><a class="button button--primary" href="/signals/new">{t!(i18n, signal_report_button)}</a></p>
                            <section class="section" aria-labelledby="mine-heading">
                                <h2 id="mine-heading">{t!(i18n, signals_mine)}</h2>
                                <SignalTable rows=lists.mine.clone() caption=t_string!(i18n, signals_mine).to_string() owner=false />
                            </section>
                        })}
                        {(lists.coordinates || lists.oversees).then(|| view! {
                            <p><a href="/signals/analysis">{t!(i18n, signal_analysis_title)}</a></p>
                        })}
                        {lists.coordinates.then(|| view! {
                            <section class="section" aria-labelledby="owned-heading">
                                <h2 id="owned-heading">{t!(i18n, signals_owned)}</h2>
                                <SignalTable rows=lists.owned.clone() caption=t_string!(i18n, signals_owned).to_string() owner=true />
                            </section>
                        })}
                        {lists.coordinates.then(|| view! {
                            <section class="section" id="matches" aria-labelledby="matches-heading">
                                <h2 id="matches-heading">{t!(i18n, signal_matches_title)}</h2>
                                <p>{t!(i18n, signal_matches_intro)}</p>
                                <CaseMatches rows=lists.matches.clone() />
                            </section>
                        })}
                        {lists.oversees.then(|| view! {
                            <section class="section" aria-labelledby="overseen-heading">
                                <h2 id="overseen-heading">{t!(i18n, signals_overseen)}</h2>
                                <SignalTable rows=lists.overseen.clone() caption=t_string!(i18n, signals_overseen).to_string() owner=true />
                            </section>
                        })}
                        {lists.routes.then(|| view! {
                            <section class="section" aria-labelledby="unowned-heading">
                                <h2 id="unowned-heading">{t!(i18n, signals_unowned)}</h2>
                                <p><a href="/admin/signal-routing">{t!(i18n, signal_routing_title)}</a></p>
                                <SignalTable rows=lists.unowned.clone() caption=t_string!(i18n, signals_unowned).to_string() owner=false />
                            </section>
                        })}
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/signals" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Signals that name subjects of the caller's cases: the caller's case and subject, the
/// match, and where to ask (the signal's owner).
#[component]
pub(crate) fn CaseMatches(rows: Vec<CaseSignalMatch>) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p>{t!(i18n, signal_matches_none)}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, signal_matches_title)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, signal_case)}</th>
                    <th scope="col">{t!(i18n, signal_match_subject)}</th>
                    <th scope="col">{t!(i18n, signal_match_why)}</th>
                    <th scope="col">{t!(i18n, signal_reference)}</th>
                    <th scope="col">{t!(i18n, signal_match_ask)}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|m| view! {
                        <tr>
                            <td><a href=format!("/cases/{}", m.case.id)>{m.case.name.clone()}</a></td>
                            <td>{m.subject.clone()}</td>
                            <td>{crate::overlaps::pages::evidence_text(i18n, &m.evidence)} " (" {format!("{:.2}", m.score)} ")"</td>
                            <td>{m.signal_reference.clone()} ", " {m.category.clone()} ", " {m.reported_on.clone()}</td>
                            <td>{match m.owner.clone() {
                                Some(o) => view! { <a href=format!("/joint-ventures/{}", o.id)>{o.name}</a> }.into_any(),
                                None => view! { <span>{t!(i18n, signal_match_unrouted)}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

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
        <Title text=move || t_string!(i18n, signal_new_title).to_string() />
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

/// `/signals/{id}`: the signal as the caller may see it, and for its owner the steps, the
/// routing and the feedback.
#[component]
pub fn SignalPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|id| id.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let landed = move || (id(), query.with(|q| q.get("at").unwrap_or_default()));
    let signal = Resource::new(landed, |(id, _)| get_signal(id));
    let saved = move || query.with(|q| q.get("saved"));
    view! {
        <Title text=move || t_string!(i18n, signal_title).to_string() />
        <p><a href="/signals">{t!(i18n, signals_back)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match signal.await {
                    Ok(s) => view! {
                        {saved().map(|what| view! {
                            <p class="alert alert--success" role="status">
                                {if what == "reported" { t_string!(i18n, signal_saved_reported) } else { t_string!(i18n, signal_saved) }}
                            </p>
                        })}
                        <SignalDetails s />
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/signals" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn SignalDetails(s: SignalView) -> impl IntoView {
    let i18n = use_i18n();
    let owner_view = s.viewer == Viewer::Owner;
    let router_view = s.viewer == Viewer::Router;
    let reporter_view = s.viewer == Viewer::Reporter;
    view! {
        <h1>{t!(i18n, signal_title)} " " {s.reference.clone()}</h1>
        {s.duplicate_of.clone().map(|e| view! {
            <p class="alert alert--info">{t!(i18n, signal_attached_text)} " " {e.name}</p>
        })}
        <dl class="details">
            <dt>{t!(i18n, signal_state)}</dt>
            <dd>{state_label(i18n, s.state)}
                {s.overdue.then(|| view! { " " <strong class="badge badge--danger">{t!(i18n, signal_overdue)}</strong> })}
            </dd>
            {s.due.clone().map(|(_, by)| view! { <dt>{t!(i18n, signal_due)}</dt><dd>{by}</dd> })}
            <dt>{t!(i18n, signal_nature)}</dt><dd>{nature_label(i18n, s.nature)}</dd>
            <dt>{t!(i18n, signal_theme)}</dt><dd>{theme_label(i18n, s.theme)}</dd>
            <dt>{t!(i18n, signal_category)}</dt><dd>{s.category.clone()}</dd>
            <dt>{t!(i18n, signal_urgency)}</dt><dd>{urgency_label(i18n, s.urgency)}</dd>
            <dt>{t!(i18n, signal_reported_on)}</dt><dd>{s.reported_on.clone()}</dd>
            {s.region.clone().map(|r| view! { <dt>{t!(i18n, subject_municipality)}</dt><dd>{r}</dd> })}
            {s.observed_on.clone().map(|d| view! { <dt>{t!(i18n, signal_observed_on)}</dt><dd>{d}</dd> })}
            {s.place.clone().filter(|p| !p.is_empty()).map(|p| view! { <dt>{t!(i18n, signal_place)}</dt><dd>{p}</dd> })}
            {s.reporter.clone().map(|r| view! {
                <dt>{t!(i18n, signal_reporter)}</dt>
                <dd>{if s.anonymous { format!("{} — {r}", t_string!(i18n, signal_anonymous_reporter)) } else { r }}</dd>
            })}
            {s.on_behalf_of.clone().map(|n| view! { <dt>{t!(i18n, signal_on_behalf_of)}</dt><dd>{n}</dd> })}
            {s.owner.clone().map(|o| view! { <dt>{t!(i18n, signal_owner)}</dt><dd>{o.name}</dd> })}
            {s.outcome.map(|o| view! { <dt>{t!(i18n, signal_outcome)}</dt><dd>{outcome_label(i18n, o)}</dd> })}
            {s.outcome_case.clone().map(|c| view! { <dt>{t!(i18n, signal_case)}</dt><dd><a href=format!("/cases/{}", c.id)>{c.name}</a></dd> })}
            {s.outcome_service.clone().map(|v| view! { <dt>{t!(i18n, signal_service)}</dt><dd>{v}</dd> })}
            {s.no_action_reason.clone().map(|v| view! { <dt>{t!(i18n, signal_reason)}</dt><dd>{v}</dd> })}
        </dl>
        {s.observed.clone().map(|o| view! {
            <section class="section" aria-labelledby="observed-heading">
                <h2 id="observed-heading">{t!(i18n, signal_observed)}</h2>
                <p class="prewrap">{o}</p>
                {(!s.subjects.is_empty()).then(|| view! {
                    <h3>{t!(i18n, signal_subjects)}</h3>
                    <ul>{s.subjects.clone().into_iter().map(|x| view! { <li>{x}</li> }).collect_view()}</ul>
                })}
            </section>
        })}
        <section class="section" aria-labelledby="feedback-heading">
            <h2 id="feedback-heading">{t!(i18n, signal_feedback)}</h2>
            {match s.feedback.clone() {
                Some(text) => view! { <p class="prewrap">{text}</p><p><small>{s.feedback_at.clone().unwrap_or_default()}</small></p> }.into_any(),
                None => view! { <p>{if reporter_view { t_string!(i18n, signal_feedback_none_reporter) } else { t_string!(i18n, signal_feedback_none) }}</p> }.into_any(),
            }}
            {owner_view.then(|| view! { <FeedbackForm id=s.id current=s.feedback.clone().unwrap_or_default() /> })}
        </section>
        {owner_view.then(|| view! { <StepForms s=s.clone() /> })}
        {router_view.then(|| view! { <OwnerForm id=s.id options=s.route_options.clone() /> })}
        {(!s.matches.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="known-heading">
                <h2 id="known-heading">{t!(i18n, signal_known_title)}</h2>
                <p>{t!(i18n, signal_known_intro)}</p>
                <ul>
                    {s.matches.clone().into_iter().map(|m| view! {
                        <li>
                            <a href=format!("/joint-ventures/{}", m.joint_venture.id)>{m.joint_venture.name.clone()}</a>
                            ": " {crate::overlaps::pages::evidence_text(i18n, &m.evidence)} " (" {format!("{:.2}", m.score)} ")"
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {(!s.attached.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="attached-heading">
                <h2 id="attached-heading">{t!(i18n, signal_attached_reports)}</h2>
                <ul>{s.attached.clone().into_iter().map(|a| view! { <li><a href=format!("/signals/{}", a.id)>{a.name}</a></li> }).collect_view()}</ul>
            </section>
        })}
        <section class="section" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">{t!(i18n, signal_timeline)}</h2>
            <ol class="timeline">
                {s.timeline.clone().into_iter().map(|e| view! {
                    <li>
                        <time>{e.at.clone()}</time> " " <strong>{step_label(i18n, &e.step)}</strong>
                        {e.by.clone().map(|b| view! { " — " {b} })}
                        {e.note.clone().map(|n| view! { <br /><span class="prewrap">{n}</span> })}
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub(crate) fn FeedbackForm(id: i32, current: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignalFeedback>::new();
    let result = Signal::derive(move || action.value().get());
    let error = Signal::derive(move || field_error(result.get(), "feedback"));
    view! {
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            <input type="hidden" name="id" value=id />
            <div class="field" class:field--invalid=move || error.get().is_some()>
                <label for="signal-feedback">{t!(i18n, signal_feedback_label)}</label>
                <p class="field__hint" id="signal-feedback-hint">{t!(i18n, signal_feedback_hint)}</p>
                <Show when=move || error.get().is_some()>
                    <p class="field__error" role="alert">{move || error.get()}</p>
                </Show>
                <textarea id="signal-feedback" name="feedback" rows="3" maxlength="1000" aria-describedby="signal-feedback-hint">{current}</textarea>
            </div>
            <button type="submit" class="button">{t!(i18n, signal_feedback_button)}</button>
        </ActionForm>
    }
}

/// The owner's steps: each open step is its own small form.
#[component]
pub(crate) fn StepForms(s: SignalView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignalStep>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let jvs: Vec<(String, String)> = s
        .route_options
        .iter()
        .map(|n| (n.id.to_string(), n.name.clone()))
        .collect();
    let cases: Vec<(String, String)> = s
        .case_options
        .iter()
        .map(|n| (n.id.to_string(), n.name.clone()))
        .collect();
    let outcomes: Vec<(String, String)> = SignalOutcome::ALL
        .iter()
        .map(|o| (o.as_str().to_owned(), outcome_label(i18n, *o)))
        .collect();
    let owner = s.owner.as_ref().map(|o| o.id.to_string());
    let has = |step: &str| s.steps.iter().any(|x| x == step);
    let (id, version) = (s.id, s.version);
    let hidden = move |step: &'static str| {
        view! {
            <input type="hidden" name="id" value=id />
            <input type="hidden" name="version" value=version />
            <input type="hidden" name="step" value=step />
        }
    };
    if s.steps.is_empty() {
        return ().into_any();
    }
    view! {
        <section class="section" aria-labelledby="steps-heading">
            <h2 id="steps-heading">{t!(i18n, signal_steps)}</h2>
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {has("assess").then(|| view! {
                <ActionForm action attr:class="form" attr:novalidate="true">
                    {hidden("assess")}
                    <Field name="note" label=move || t_string!(i18n, signal_note).to_string() kind="text" autocomplete="off" error=error("note") />
                    <button type="submit" class="button button--primary">{t!(i18n, signal_step_assess)}</button>
                </ActionForm>
            })}
            {has("route").then(|| view! {
                <ActionForm action attr:class="form" attr:novalidate="true">
                    {hidden("route")}
                    <Choice name="joint_venture_id" id="signal-route-to" label=move || t_string!(i18n, signal_route_to).to_string()
                        options=jvs.clone() selected=owner.clone().unwrap_or_default() error=error("joint_venture_id") />
                    <button type="submit" class="button button--primary">{t!(i18n, signal_step_route)}</button>
                </ActionForm>
            })}
            {has("follow_up").then(|| view! {
                <ActionForm action attr:class="form" attr:novalidate="true">
                    {hidden("follow_up")}
                    <Choice name="outcome" id="signal-outcome" label=move || t_string!(i18n, signal_outcome).to_string()
                        options=outcomes.clone() error=error("outcome") />
                    <Choice name="case_id" id="signal-case" label=move || t_string!(i18n, signal_case).to_string()
                        options=cases.clone() error=error("case_id") />
                    <Field name="service" label=move || t_string!(i18n, signal_service).to_string() kind="text" autocomplete="off" error=error("service") />
                    <button type="submit" class="button button--primary">{t!(i18n, signal_step_follow_up)}</button>
                </ActionForm>
            })}
            {has("no_action").then(|| view! {
                <details>
                    <summary>{t!(i18n, signal_step_no_action)}</summary>
                    <ActionForm action attr:class="form" attr:novalidate="true">
                        {hidden("no_action")}
                        <Field name="reason" label=move || t_string!(i18n, signal_reason).to_string() kind="text" autocomplete="off" error=error("reason") />
                        <button type="submit" class="button">{t!(i18n, signal_step_no_action)}</button>
                    </ActionForm>
                </details>
            })}
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn OwnerForm(id: i32, options: Vec<Named>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignalOwner>::new();
    let result = Signal::derive(move || action.value().get());
    let error = Signal::derive(move || field_error(result.get(), "joint_venture_id"));
    let options: Vec<(String, String)> = options
        .into_iter()
        .map(|n| (n.id.to_string(), n.name))
        .collect();
    view! {
        <section class="section" aria-labelledby="owner-heading">
            <h2 id="owner-heading">{t!(i18n, signal_assign_owner)}</h2>
            <ActionForm action attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, result.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                </Show>
                <input type="hidden" name="id" value=id />
                <Choice name="joint_venture_id" id="signal-owner" label=move || t_string!(i18n, signal_owner).to_string()
                    options error />
                <button type="submit" class="button button--primary">{t!(i18n, signal_assign_owner)}</button>
            </ActionForm>
        </section>
    }
}

/// `/admin/signal-routing`: the rules that choose a new signal's owner, and the categories.
#[component]
pub fn SignalRoutingPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let view_data = Resource::new(landed, |_| signal_routing());
    let add = ServerAction::<AddRoutingRule>::new();
    let added = Signal::derive(move || add.value().get());
    let remove = ServerAction::<RemoveRoutingRule>::new();
    let removed = Signal::derive(move || remove.value().get());
    let category = ServerAction::<SaveSignalCategory>::new();
    let categorised = Signal::derive(move || category.value().get());
    let rule_error =
        move |field: &'static str| Signal::derive(move || field_error(added.get(), field));
    let category_error =
        move |field: &'static str| Signal::derive(move || field_error(categorised.get(), field));
    view! {
        <Title text=move || t_string!(i18n, signal_routing_title).to_string() />
        <h1>{t!(i18n, signal_routing_title)}</h1>
        <p>{t!(i18n, signal_routing_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match view_data.await {
                    Ok(v) => {
                        let any = t_string!(i18n, signal_any).to_string();
                        let mut themes = vec![(String::new(), any.clone())];
                        themes.extend(Theme::ALL.iter().map(|t| (t.as_str().to_owned(), theme_label(i18n, *t))));
                        let mut provinces = vec![(String::new(), any.clone())];
                        provinces.extend(v.provinces.iter().map(|p| (p.code.clone(), p.name.clone())));
                        let mut categories = vec![(String::new(), any.clone())];
                        categories.extend(v.categories.iter().filter(|c| c.active).map(|c| (c.id.to_string(), if crate::language::locale_code(i18n.get_locale()) == "en" { c.name_en.clone() } else { c.name_nl.clone() })));
                        let jvs: Vec<(String, String)> = v.joint_ventures.iter().map(|n| (n.id.to_string(), n.name.clone())).collect();
                        view! {
                            <section class="section" aria-labelledby="rules-heading">
                                <h2 id="rules-heading">{t!(i18n, signal_rules)}</h2>
                                <Show when=move || general_error(i18n, removed.get()).is_some()>
                                    <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
                                </Show>
                                {if v.rules.is_empty() {
                                    view! { <p>{t!(i18n, signal_rules_none)}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="table">
                                            <caption class="visually-hidden">{t!(i18n, signal_rules)}</caption>
                                            <thead><tr>
                                                <th scope="col">{t!(i18n, signal_theme)}</th>
                                                <th scope="col">{t!(i18n, signal_province)}</th>
                                                <th scope="col">{t!(i18n, signal_category)}</th>
                                                <th scope="col">{t!(i18n, signal_owner)}</th>
                                                <th scope="col"><span class="visually-hidden">{t!(i18n, actions_column)}</span></th>
                                            </tr></thead>
                                            <tbody>
                                                {v.rules.clone().into_iter().map(|r| {
                                                    let label = format!("{} #{}", t_string!(i18n, remove_button), r.id);
                                                    let any = any.clone();
                                                    view! {
                                                        <tr>
                                                            <td>{r.theme.map(|t| theme_label(i18n, t)).unwrap_or(any.clone())}</td>
                                                            <td>{r.province.clone().unwrap_or(any.clone())}</td>
                                                            <td>{r.category.clone().unwrap_or(any)}</td>
                                                            <td>{r.joint_venture.clone()}</td>
                                                            <td>
                                                                <ActionForm action=remove attr:class="inline-form">
                                                                    <input type="hidden" name="id" value=r.id />
                                                                    <button type="submit" class="button button--small" aria-label=label>{t!(i18n, remove_button)}</button>
                                                                </ActionForm>
                                                            </td>
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <h3>{t!(i18n, signal_rule_new)}</h3>
                                <ActionForm action=add attr:class="form" attr:novalidate="true">
                                    <Show when=move || general_error(i18n, added.get()).is_some()>
                                        <p class="alert alert--error" role="alert">{move || general_error(i18n, added.get())}</p>
                                    </Show>
                                    <Choice name="theme" id="rule-theme" label=move || t_string!(i18n, signal_theme).to_string() options=themes error=rule_error("theme") />
                                    <Choice name="province" id="rule-province" label=move || t_string!(i18n, signal_province).to_string() options=provinces error=rule_error("province") />
                                    <Choice name="category" id="rule-category" label=move || t_string!(i18n, signal_category).to_string() options=categories error=rule_error("category") />
                                    <Choice name="joint_venture_id" id="rule-owner" label=move || t_string!(i18n, signal_owner).to_string() options=jvs error=rule_error("joint_venture_id") />
                                    <button type="submit" class="button button--primary">{t!(i18n, signal_rule_add)}</button>
                                </ActionForm>
                            </section>
                            <section class="section" aria-labelledby="categories-heading">
                                <h2 id="categories-heading">{t!(i18n, signal_categories)}</h2>
                                <table class="table">
                                    <caption class="visually-hidden">{t!(i18n, signal_categories)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, signal_category_code)}</th>
                                        <th scope="col">{t!(i18n, signal_category_name_nl)}</th>
                                        <th scope="col">{t!(i18n, signal_category_name_en)}</th>
                                        <th scope="col">{t!(i18n, signal_category_active)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {v.categories.clone().into_iter().map(|c| view! {
                                            <tr>
                                                <td><code>{c.code.clone()}</code></td>
                                                <td>{c.name_nl.clone()}</td>
                                                <td>{c.name_en.clone()}</td>
                                                <td>{if c.active { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <h3>{t!(i18n, signal_category_save)}</h3>
                                <p class="field__hint">{t!(i18n, signal_category_hint)}</p>
                                <ActionForm action=category attr:class="form" attr:novalidate="true">
                                    <Show when=move || general_error(i18n, categorised.get()).is_some()>
                                        <p class="alert alert--error" role="alert">{move || general_error(i18n, categorised.get())}</p>
                                    </Show>
                                    <Field name="code" label=move || t_string!(i18n, signal_category_code).to_string() kind="text" autocomplete="off" error=category_error("code") />
                                    <Field name="name_nl" label=move || t_string!(i18n, signal_category_name_nl).to_string() kind="text" autocomplete="off" error=category_error("name_nl") />
                                    <Field name="name_en" label=move || t_string!(i18n, signal_category_name_en).to_string() kind="text" autocomplete="off" error=category_error("name_en") />
                                    <div class="choice">
                                        <input type="checkbox" id="category-active" name="active" value="on" checked=true />
                                        <label for="category-active">{t!(i18n, signal_category_active)}</label>
                                    </div>
                                    <button type="submit" class="button button--primary">{t!(i18n, signal_category_save)}</button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/signal-routing" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Horizontal bars, drawn on the server as SVG; the same numbers follow as a table.
#[component]
pub(crate) fn BarChart(id: &'static str, title: String, bars: Vec<(String, u64)>) -> impl IntoView {
    const ROW: u64 = 28;
    const WIDTH: u64 = 600;
    const LABEL: u64 = 220;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let height = ROW * bars.len().max(1) as u64 + 8;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <svg class="chart" viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-labelledby=labelled_by
            preserveAspectRatio="xMinYMin meet">
            <title id=title_id>{title}</title>
            {bars.into_iter().enumerate().map(|(i, (label, value))| {
                let y = 4 + ROW * i as u64;
                let length = (WIDTH - LABEL - 60) * value / max;
                view! {
                    <g>
                        <text x=LABEL - 8 y=y + 18 text-anchor="end" class="chart__label">{label}</text>
                        <rect x=LABEL y=y + 4 width=length.max(1) height=ROW - 10 class="chart__bar" />
                        <text x=LABEL + length + 6 y=y + 18 class="chart__value">{value}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// Hard and soft signals per month, stacked, drawn on the server as SVG.
#[component]
pub(crate) fn MonthChart(
    title: String,
    months: Vec<analysis::Month>,
    hard: String,
    soft: String,
) -> impl IntoView {
    const HEIGHT: u64 = 200;
    const COLUMN: u64 = 44;
    let max = months
        .iter()
        .map(|m| m.hard + m.soft)
        .max()
        .unwrap_or(0)
        .max(1);
    let width = COLUMN * months.len().max(1) as u64 + 20;
    view! {
        <svg class="chart" viewBox=format!("0 0 {width} {}", HEIGHT + 70) role="img" aria-labelledby="months-title"
            preserveAspectRatio="xMinYMin meet">
            <title id="months-title">{title}</title>
            {months.into_iter().enumerate().map(|(i, m)| {
                let x = 10 + COLUMN * i as u64;
                let hard_h = HEIGHT * m.hard / max;
                let soft_h = HEIGHT * m.soft / max;
                view! {
                    <g>
                        <rect x=x + 6 y=HEIGHT - hard_h - soft_h + 10 width=COLUMN - 12 height=soft_h class="chart__bar chart__bar--soft" />
                        <rect x=x + 6 y=HEIGHT - hard_h + 10 width=COLUMN - 12 height=hard_h class="chart__bar" />
                        <text x=x + COLUMN / 2 y=HEIGHT + 28 text-anchor="middle" class="chart__label">{m.month.get(2..).unwrap_or_default().to_owned()}</text>
                        <text x=x + COLUMN / 2 y=HEIGHT - hard_h - soft_h + 4 text-anchor="middle" class="chart__value">{m.hard + m.soft}</text>
                    </g>
                }
            }).collect_view()}
            <rect x="10" y=HEIGHT + 44 width="14" height="14" class="chart__bar" />
            <text x="30" y=HEIGHT + 56 class="chart__label">{hard}</text>
            <rect x="150" y=HEIGHT + 44 width="14" height="14" class="chart__bar chart__bar--soft" />
            <text x="170" y=HEIGHT + 56 class="chart__label">{soft}</text>
        </svg>
    }
}

/// A small two-column table: what, and how many.
#[component]
pub(crate) fn CountTable(
    caption: String,
    heading: String,
    rows: Vec<(String, u64)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table">
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{heading}</th><th scope="col" class="numeric">{t!(i18n, signals_title)}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(label, n)| view! { <tr><th scope="row">{label}</th><td class="numeric">{n}</td></tr> }).collect_view()}
            </tbody>
        </table>
    }
}

/// `/signals/analysis`: what the partners can learn from the signals together.
#[component]
pub fn SignalAnalysisPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(crate::ui::page::query_pair("from", "to"), |(from, to)| {
        signal_analysis(from, to)
    });
    view! {
        <Title text=move || t_string!(i18n, signal_analysis_title).to_string() />
        <p><a href="/signals">{t!(i18n, signals_back)}</a></p>
        <h1>{t!(i18n, signal_analysis_title)}</h1>
        <p>{t!(i18n, signal_analysis_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(a) => {
                        let csv = format!("/api/signal-analysis.csv?from={}&to={}", a.from, a.to);
                        let organisations: Vec<(String, u64)> = a.by_organisation.iter().map(|(k, n)| (crate::ui::labels::kind_label(i18n, *k), *n)).collect();
                        let themes: Vec<(String, u64)> = a.by_theme.iter().map(|(t, n)| (theme_label(i18n, *t), *n)).collect();
                        let outcomes: Vec<(String, u64)> = a.by_outcome.iter().map(|(o, n)| (outcome_label(i18n, *o), *n)).collect();
                        let categories: Vec<(String, u64)> = a.by_category.iter().map(|c| (c.category.clone(), c.signals)).collect();
                        let step_name = move |step: &str| match step {
                            "assess" => t_string!(i18n, signal_analysis_step_assess).to_string(),
                            "route" => t_string!(i18n, signal_analysis_step_route).to_string(),
                            _ => t_string!(i18n, signal_analysis_step_decide).to_string(),
                        };
                        view! {
                            <form method="get" action="/signals/analysis" class="filters">
                                <div class="field">
                                    <label for="from">{t!(i18n, signal_analysis_from)}</label>
                                    <input id="from" name="from" type="month" value=a.from.clone() />
                                </div>
                                <div class="field">
                                    <label for="to">{t!(i18n, signal_analysis_to)}</label>
                                    <input id="to" name="to" type="month" value=a.to.clone() />
                                </div>
                                <button type="submit" class="button">{t!(i18n, filter_button)}</button>
                                <a class="button" href=csv download="">{t!(i18n, signal_analysis_export)}</a>
                            </form>
                            <dl class="details">
                                <dt>{t!(i18n, signal_analysis_total)}</dt><dd>{a.total}</dd>
                                <dt>{t!(i18n, signal_state_followed_up)}</dt>
                                <dd>{a.followed_up} {a.followed_up_share.map(|s| format!(" ({s:.1}%)"))}</dd>
                                <dt>{t!(i18n, signal_state_no_action)}</dt><dd>{a.no_action}</dd>
                                <dt>{t!(i18n, signal_analysis_open)}</dt><dd>{a.open}</dd>
                            </dl>
                            <section class="section" aria-labelledby="months-heading">
                                <h2 id="months-heading">{t!(i18n, signal_analysis_by_month)}</h2>
                                <MonthChart title=t_string!(i18n, signal_analysis_by_month).to_string() months=a.by_month.clone()
                                    hard=t_string!(i18n, signal_hard).to_string() soft=t_string!(i18n, signal_soft).to_string() />
                                <table class="table">
                                    <caption>{t!(i18n, signal_analysis_by_month)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, signal_analysis_month)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signal_hard)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signal_soft)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {a.by_month.clone().into_iter().map(|m| view! {
                                            <tr><th scope="row">{m.month}</th><td class="numeric">{m.hard}</td><td class="numeric">{m.soft}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="section" aria-labelledby="organisations-heading">
                                <h2 id="organisations-heading">{t!(i18n, signal_analysis_by_organisation)}</h2>
                                <BarChart id="organisations" title=t_string!(i18n, signal_analysis_by_organisation).to_string() bars=organisations.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_organisation).to_string()
                                    heading=t_string!(i18n, signal_analysis_organisation_kind).to_string() rows=organisations />
                            </section>
                            <section class="section" aria-labelledby="categories-heading">
                                <h2 id="categories-heading">{t!(i18n, signal_analysis_by_category)}</h2>
                                <BarChart id="categories" title=t_string!(i18n, signal_analysis_by_category).to_string() bars=categories />
                                <table class="table">
                                    <caption>{t!(i18n, signal_analysis_by_category)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, signal_category)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signals_title)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signal_state_followed_up)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signal_analysis_to_case)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {a.by_category.clone().into_iter().map(|c| view! {
                                            <tr><th scope="row">{c.category}</th><td class="numeric">{c.signals}</td>
                                                <td class="numeric">{c.followed_up}</td><td class="numeric">{c.to_case}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                            <section class="section" aria-labelledby="themes-heading">
                                <h2 id="themes-heading">{t!(i18n, signal_analysis_by_theme)}</h2>
                                <BarChart id="themes" title=t_string!(i18n, signal_analysis_by_theme).to_string() bars=themes.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_theme).to_string()
                                    heading=t_string!(i18n, signal_theme).to_string() rows=themes />
                            </section>
                            <section class="section" aria-labelledby="outcomes-heading">
                                <h2 id="outcomes-heading">{t!(i18n, signal_analysis_by_outcome)}</h2>
                                <BarChart id="outcomes" title=t_string!(i18n, signal_analysis_by_outcome).to_string() bars=outcomes.clone() />
                                <CountTable caption=t_string!(i18n, signal_analysis_by_outcome).to_string()
                                    heading=t_string!(i18n, signal_outcome).to_string() rows=outcomes />
                            </section>
                            <section class="section" aria-labelledby="times-heading">
                                <h2 id="times-heading">{t!(i18n, signal_analysis_step_times)}</h2>
                                <table class="table">
                                    <caption>{t!(i18n, signal_analysis_step_times)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, signal_analysis_step)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signal_analysis_median_days)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, signals_title)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {a.step_times.clone().into_iter().map(|t| view! {
                                            <tr><th scope="row">{step_name(&t.step)}</th>
                                                <td class="numeric">{t.median_days.map(|d| format!("{d:.1}")).unwrap_or_else(|| "–".into())}</td>
                                                <td class="numeric">{t.signals}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </section>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/signals/analysis" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
