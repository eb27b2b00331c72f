//! The retention pages: the rules for administrators (read by privacy officers and auditors),
//! and a case's retention on its page, where its coordinators extend it.

use crate::retention::api::{
    ExtendRetention, ExtendSignalRetention, RemoveRetentionRule, SaveRetentionRule, get_retention,
};
use crate::retention::rules::{MAX_MONTHS, MAX_REVIEW_DAYS, Rule, Standing};
use crate::retention::types::{CaseRetention, RetentionOverview};
use crate::ui::format;
use crate::ui::page::{PageError, TableRegion};
use crate::{
    domain::OrganisationKind, domain::Theme, i18n::*, ui::form::Field, ui::form::field_error,
    ui::form::general_error, ui::labels::kind_label, ui::labels::theme_label,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let done = move || query.with(|q| q.get("saved").is_some() || q.get("removed").is_some());
    let editing = move || query.with(|q| q.get("edit").and_then(|id| id.parse::<i32>().ok()));
    let overview = Resource::new(landed, |_| get_retention());
    view! {
        <Title text=t_string!(i18n, retention_title).to_string() />
        <h1>{t!(i18n, retention_title)}</h1>
        <p>{t!(i18n, retention_intro)}</p>
        {move || done().then(|| view! {
            <p class="alert alert--success" role="status">{t!(i18n, user_done_saved)}</p>
        })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) => {
                        let edited = editing().and_then(|id| o.rules.iter().find(|r| r.id == id).cloned());
                        view! { <Overview o edited /> }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/retention" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn scope(i18n: leptos_i18n::I18nContext<Locale>, rule: &Rule) -> (String, String) {
    (
        rule.organisation_kind
            .map(|k| kind_label(i18n, k))
            .unwrap_or_else(|| t_string!(i18n, retention_any_kind).to_string()),
        rule.theme
            .map(|t| theme_label(i18n, t))
            .unwrap_or_else(|| t_string!(i18n, retention_any_theme).to_string()),
    )
}

#[component]
fn Overview(o: RetentionOverview, edited: Option<Rule>) -> impl IntoView {
    let i18n = use_i18n();
    let manage = o.may_manage;
    let remove = ServerAction::<RemoveRetentionRule>::new();
    let removed = Signal::derive(move || remove.value().get());
    view! {
        <section class="section" aria-labelledby="retention-standing">
            <h2 id="retention-standing">{t!(i18n, retention_standing)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, retention_due_count)}</dt><dd>{o.due}</dd>
                <dt>{t!(i18n, retention_lapsed_count)}</dt><dd>{o.lapsed}</dd>
                <dt>{t!(i18n, retention_purged_count)}</dt><dd>{o.purged}</dd>
            </dl>
        </section>
        <section class="section" aria-labelledby="retention-rules">
            <h2 id="retention-rules">{t!(i18n, retention_rules)}</h2>
            <Show when=move || general_error(i18n, removed.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
            </Show>
            <TableRegion label=move || t_string!(i18n, retention_rules)>
                <table class="table">
                    <caption class="visually-hidden">{t!(i18n, retention_rules)}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, kind_column)}</th>
                        <th scope="col">{t!(i18n, theme_column)}</th>
                        <th scope="col" class="numeric">{t!(i18n, retention_open_months)}</th>
                        <th scope="col" class="numeric">{t!(i18n, retention_closed_months)}</th>
                        <th scope="col" class="numeric">{t!(i18n, retention_review_days)}</th>
                        {manage.then(|| view! { <td></td> })}
                    </tr></thead>
                    <tbody>
                        {o.rules.into_iter().map(|rule| {
                            let (kind, theme) = scope(i18n, &rule);
                            let default = rule.organisation_kind.is_none() && rule.theme.is_none();
                            let label = format!("{kind}, {theme}");
                            view! {
                                <tr>
                                    <td>{kind}</td>
                                    <td>{theme}</td>
                                    <td class="numeric">{rule.open_months}</td>
                                    <td class="numeric">{rule.closed_months}</td>
                                    <td class="numeric">{rule.review_days}</td>
                                    {manage.then(|| view! {
                                        <td class="actions">
                                            <a href=format!("/admin/retention?edit={}#retention-form", rule.id)>
                                                {t!(i18n, edit_link)} <span class="visually-hidden">" " {label.clone()}</span>
                                            </a>
                                            {(!default).then(|| view! {
                                                <ActionForm action=remove attr:class="inline-form">
                                                    <input type="hidden" name="id" value=rule.id />
                                                    <button type="submit" class="button button--small">
                                                        {t!(i18n, retention_remove)} <span class="visually-hidden">" " {label.clone()}</span>
                                                    </button>
                                                </ActionForm>
                                            })}
                                        </td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
            {manage.then(|| view! { <RuleForm edited /> })}
        </section>
        <section class="section" aria-labelledby="retention-runs">
            <h2 id="retention-runs">{t!(i18n, retention_runs)}</h2>
            {if o.runs.is_empty() {
                view! { <p>{t!(i18n, retention_no_runs)}</p> }.into_any()
            } else {
                view! {
                    <TableRegion label=move || t_string!(i18n, retention_runs)>
                        <table class="table">
                            <caption class="visually-hidden">{t!(i18n, retention_runs)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, retention_run_at)}</th>
                                <th scope="col" class="numeric">{t!(i18n, retention_run_cases)}</th>
                                <th scope="col" class="numeric">{t!(i18n, retention_run_subjects)}</th>
                                <th scope="col" class="numeric">{t!(i18n, retention_run_signals)}</th>
                                <th scope="col" class="numeric">{t!(i18n, retention_run_overlaps)}</th>
                                <th scope="col" class="numeric">{t!(i18n, retention_run_drafts)}</th>
                            </tr></thead>
                            <tbody>
                                {o.runs.into_iter().map(|run| view! {
                                    <tr>
                                        <td><format::Moment at=run.at /></td>
                                        <td class="numeric">{run.counts.cases}</td>
                                        <td class="numeric">{run.counts.subjects}</td>
                                        <td class="numeric">{run.counts.signals} " (" {run.counts.signal_subjects} ")"</td>
                                        <td class="numeric">{run.counts.overlaps} " (" {run.counts.notes} ")"</td>
                                        <td class="numeric">{run.counts.drafts}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

/// Adds a rule, or changes `edited`.
#[component]
fn RuleForm(edited: Option<Rule>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveRetentionRule>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let (kind_error, theme_error) = (error("organisation_kind"), error("theme"));
    let rule = edited.clone().unwrap_or_else(Rule::fallback);
    let (kind, theme) = if edited.is_some() {
        (rule.organisation_kind, rule.theme)
    } else {
        (None, None)
    };
    view! {
        <h3 id="retention-form">
            {if edited.is_some() { t_string!(i18n, retention_edit_rule) } else { t_string!(i18n, retention_new_rule) }}
        </h3>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {edited.as_ref().map(|r| view! { <input type="hidden" name="id" value=r.id /> })}
            <div class="field" class:field--invalid=move || kind_error.get().is_some()>
                <label for="retention-kind">{t!(i18n, kind_column)}</label>
                <Show when=move || kind_error.get().is_some()>
                    <p class="field__error">{move || kind_error.get()}</p>
                </Show>
                <select id="retention-kind" name="rule[organisation_kind]">
                    <option value="">{t!(i18n, retention_any_kind)}</option>
                    {OrganisationKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == Some(*k)>{kind_label(i18n, *k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field" class:field--invalid=move || theme_error.get().is_some()>
                <label for="retention-theme">{t!(i18n, theme_column)}</label>
                <Show when=move || theme_error.get().is_some()>
                    <p class="field__error">{move || theme_error.get()}</p>
                </Show>
                <select id="retention-theme" name="rule[theme]">
                    <option value="">{t!(i18n, retention_any_theme)}</option>
                    {Theme::ALL.iter().map(|t| view! {
                        <option value=t.as_str() selected=theme == Some(*t)>{theme_label(i18n, *t)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="rule[open_months]" label=move || format!("{} (0–{MAX_MONTHS})", t_string!(i18n, retention_open_months))
                kind="number" autocomplete="off" inputmode="numeric" error=error("open_months") value=rule.open_months.to_string() />
            <Field name="rule[closed_months]" label=move || format!("{} (0–{MAX_MONTHS})", t_string!(i18n, retention_closed_months))
                kind="number" autocomplete="off" inputmode="numeric" error=error("closed_months") value=rule.closed_months.to_string() />
            <Field name="rule[review_days]" label=move || format!("{} (0–{MAX_REVIEW_DAYS})", t_string!(i18n, retention_review_days))
                kind="number" autocomplete="off" inputmode="numeric" error=error("review_days") value=rule.review_days.to_string() />
            <button type="submit" class="button button--primary">{t!(i18n, user_save_button)}</button>
        </ActionForm>
    }
}

/// A case's review date and retention end on its page, and the form to extend it.
#[component]
pub fn RetentionSection(case_id: i32, retention: CaseRetention) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ExtendRetention>::new();
    let result = Signal::derive(move || action.value().get());
    let reason_error = Signal::derive(move || field_error(result.get(), "reason"));
    let standing = retention.standing;
    let notice = match standing {
        Standing::Kept => None,
        Standing::Due => Some((
            "alert alert--warning",
            t_string!(i18n, retention_notice_due).to_string(),
        )),
        Standing::Lapsed => Some((
            "alert alert--warning",
            t_string!(i18n, retention_notice_lapsed).to_string(),
        )),
        Standing::Purged => Some((
            "alert alert--info",
            t_string!(i18n, retention_notice_purged).to_string(),
        )),
    };
    view! {
        <section class="section" aria-labelledby="case-retention">
            <h2 id="case-retention">{t!(i18n, retention_case_heading)}</h2>
            {notice.map(|(class, text)| view! { <p class=class role="status">{text}</p> })}
            <dl class="facts">
                <dt>{t!(i18n, retention_review_on)}</dt><dd><format::Day date=retention.review_on.clone() /></dd>
                <dt>{t!(i18n, retention_end)}</dt><dd><format::Day date=retention.retention_end.clone() /></dd>
                {retention.extended_on.clone().map(|d| view! {
                    <dt>{t!(i18n, retention_extended_on)}</dt><dd><format::Day date=d /></dd>
                })}
                {retention.purged_on.clone().map(|d| view! {
                    <dt>{t!(i18n, retention_purged_on)}</dt><dd><format::Day date=d /></dd>
                })}
            </dl>
            {(standing != Standing::Purged).then(|| view! {
                <ActionForm action attr:class="form" attr:novalidate="true">
                    <Show when=move || general_error(i18n, result.get()).is_some()>
                        <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                    </Show>
                    <input type="hidden" name="case_id" value=case_id />
                    <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                        <label for="retention-reason">{t!(i18n, retention_reason)}</label>
                        <Show when=move || reason_error.get().is_some()>
                            <p class="field__error">{move || reason_error.get()}</p>
                        </Show>
                        <textarea id="retention-reason" name="reason" rows="2"></textarea>
                    </div>
                    <button type="submit" class="button">{t!(i18n, retention_extend)}</button>
                </ActionForm>
            })}
        </section>
    }
}

/// Extending a signal's retention, for its owners' coordinators.
#[component]
pub fn ExtendSignalForm(id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ExtendSignalRetention>::new();
    let result = Signal::derive(move || action.value().get());
    let reason_error = Signal::derive(move || field_error(result.get(), "reason"));
    view! {
        <details class="section">
            <summary>{t!(i18n, retention_extend)}</summary>
            <ActionForm action attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, result.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                </Show>
                <input type="hidden" name="signal_id" value=id />
                <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                    <label for="signal-retention-reason">{t!(i18n, retention_reason)}</label>
                    <Show when=move || reason_error.get().is_some()>
                        <p class="field__error">{move || reason_error.get()}</p>
                    </Show>
                    <textarea id="signal-retention-reason" name="reason" rows="2"></textarea>
                </div>
                <button type="submit" class="button">{t!(i18n, retention_extend)}</button>
            </ActionForm>
        </details>
    }
}
