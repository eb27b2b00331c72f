//! The signals lists and one signal's page.

use crate::signals::api::{SignalFeedback, SignalOwner, SignalStep};
use crate::signals::api::{get_signal, list_signals};
use crate::signals::labels::{nature_label, outcome_label, state_label, step_label, urgency_label};
use crate::signals::report_pages::Choice;
use crate::signals::types::{CaseSignalMatch, SignalRow, SignalView, Viewer};
use crate::ui::format;
use crate::ui::labels::theme_label;
use crate::ui::page::TableRegion;
use crate::{
    domain::SignalOutcome, domain::Urgency, i18n::*, partnerships::types::Named, ui::form::Field,
    ui::form::field_error, ui::form::general_error, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A table of signals; `owner` adds the owning joint venture's column.
#[component]
pub(crate) fn SignalTable(rows: Vec<SignalRow>, caption: String, owner: bool) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p>{t!(i18n, signals_none)}</p> }.into_any();
    }
    view! {
        <TableRegion label=caption.clone()>
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
                            <td>{format::date(i18n, &r.reported_on)}</td>
                            <td>{r.due.as_deref().map(|d| format::date(i18n, d))}
                                {r.overdue.then(|| view! { " " <strong class="badge badge--danger">{t!(i18n, signal_overdue)}</strong> })}
                            </td>
                            {owner.then(|| view! { <td>{r.owner.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
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
        <Title text=t_string!(i18n, signals_title).to_string() />
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
        <TableRegion label=move || t_string!(i18n, signal_matches_title)>
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
                            <td>{crate::overlaps::pages::evidence_text(i18n, &m.evidence)} " (" {format::score(i18n, m.score)} ")"</td>
                            <td>{m.signal_reference.clone()} ", " {m.category.clone()} ", " {format::date(i18n, &m.reported_on)}</td>
                            <td>{match m.owner.clone() {
                                Some(o) => view! { <a href=format!("/joint-ventures/{}", o.id)>{o.name}</a> }.into_any(),
                                None => view! { <span>{t!(i18n, signal_match_unrouted)}</span> }.into_any(),
                            }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
    .into_any()
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
        <Title text=t_string!(i18n, signal_title).to_string() />
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
        {s.purged_on.clone().map(|on| view! {
            <p class="alert alert--info" role="status">{t!(i18n, retention_signal_purged)} " " {crate::ui::format::date(i18n, &on)}</p>
        })}
        {s.retention_end.clone().map(|end| view! {
            <p class="muted">{t!(i18n, retention_end)} ": " {crate::ui::format::date(i18n, &end)}</p>
        })}
        {s.may_extend.then(|| view! { <crate::retention::pages::ExtendSignalForm id=s.id /> })}
        {s.duplicate_of.clone().map(|e| view! {
            <p class="alert alert--info">{t!(i18n, signal_attached_text)} " " {e.name}</p>
        })}
        <dl class="details">
            <dt>{t!(i18n, signal_state)}</dt>
            <dd>{state_label(i18n, s.state)}
                {s.overdue.then(|| view! { " " <strong class="badge badge--danger">{t!(i18n, signal_overdue)}</strong> })}
            </dd>
            {s.due.clone().map(|(_, by)| view! { <dt>{t!(i18n, signal_due)}</dt><dd>{format::date(i18n, &by)}</dd> })}
            <dt>{t!(i18n, signal_nature)}</dt><dd>{nature_label(i18n, s.nature)}</dd>
            <dt>{t!(i18n, signal_theme)}</dt><dd>{theme_label(i18n, s.theme)}</dd>
            <dt>{t!(i18n, signal_category)}</dt><dd>{s.category.clone()}</dd>
            <dt>{t!(i18n, signal_urgency)}</dt><dd>{urgency_label(i18n, s.urgency)}</dd>
            <dt>{t!(i18n, signal_reported_on)}</dt><dd>{format::date(i18n, &s.reported_on)}</dd>
            {s.region.clone().map(|r| view! { <dt>{t!(i18n, subject_municipality)}</dt><dd>{r}</dd> })}
            {s.observed_on.clone().map(|d| view! { <dt>{t!(i18n, signal_observed_on)}</dt><dd>{format::date(i18n, &d)}</dd> })}
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
                Some(text) => view! { <p class="prewrap">{text}</p><p><small>{s.feedback_at.as_deref().map(|d| format::date(i18n, d))}</small></p> }.into_any(),
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
                            ": " {crate::overlaps::pages::evidence_text(i18n, &m.evidence)} " (" {format::score(i18n, m.score)} ")"
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
                        <format::Moment at=e.at.clone() /> " " <strong>{step_label(i18n, &e.step)}</strong>
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
