//! The managers' oversight pages.

use crate::domain::OverlapStep as Step;
use crate::overlaps::workflow_api::AssignFollowUp;
use crate::overlaps::workflow_api::{overseen_overlap, overseen_overlaps};
use crate::overlaps::workflow_pages::{
    Flags, OverlapFilters, WorkflowPanel, decision_label, filter_from_query, state_label,
};
use crate::overlaps::workflow_types::OverseenSide;
use crate::ui::format;
use crate::ui::page::TableRegion;
use crate::{
    error::AppError, i18n::*, overlaps::workflow_pages::match_kind_label, ui::form::general_error,
    ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/oversight`: the overlaps of the joint ventures a manager oversees.
#[component]
pub fn OversightPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = filter_from_query();
    let list = Resource::new(move || filter.get(), overseen_overlaps);
    view! {
        <Title text=t_string!(i18n, oversight_overlaps_title).to_string() />
        <h1>{t!(i18n, oversight_overlaps_title)}</h1>
        <p>{t!(i18n, oversight_intro)}</p>
        <OverlapFilters action="/oversight" filter />
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, overlaps_none)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <TableRegion label=move || t_string!(i18n, oversight_overlaps_title)><table class="table">
                            <caption class="visually-hidden">{t!(i18n, oversight_overlaps_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, overlap_column)}</th>
                                <th scope="col">{t!(i18n, oversight_side_a)}</th>
                                <th scope="col">{t!(i18n, oversight_side_b)}</th>
                                <th scope="col">{t!(i18n, users_status_label)}</th>
                                <th scope="col">{t!(i18n, flags_column)}</th>
                                <th scope="col">{t!(i18n, deadline_column)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|o| {
                                    let side = |s: &OverseenSide| match &s.case {
                                        Some((reference, title)) => format!("{} — {reference}: {title}", s.joint_venture),
                                        None => s.joint_venture.clone(),
                                    };
                                    let names: Vec<String> = o.sides.iter().map(|s| s.joint_venture.clone()).collect();
                                    view! {
                                        <tr class:row--urgent=o.urgent>
                                            <td><a href=format!("/oversight/overlaps/{}", o.id)>{match_kind_label(i18n, &o.match_kind)} " #" {o.id}</a></td>
                                            <td>{o.sides.first().map(side)}</td>
                                            <td>{o.sides.get(1).map(side)}</td>
                                            <td>
                                                {state_label(i18n, o.state)}
                                                {o.decision.map(|d| view! { ": " {decision_label(i18n, d, &names)} })}
                                            </td>
                                            <td><Flags flags=o.flags.clone() /></td>
                                            <td>{o.due.clone().map(|deadline| view! { <crate::ui::format::DeadlineCell deadline /> })}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableRegion>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/oversight" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/oversight/overlaps/{id}`: one overlap for a manager, with a ruling and a follow-up.
#[component]
pub fn OverseenOverlapPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let overlap = Resource::new(
        move || (id(), landed()),
        |(id, _)| async move {
            match id {
                Some(id) => overseen_overlap(id).await,
                None => Err(AppError::Forbidden),
            }
        },
    );
    let assign = ServerAction::<AssignFollowUp>::new();
    let assigned = Signal::derive(move || assign.value().get());
    let assignee_error =
        Signal::derive(move || crate::ui::form::field_error(assigned.get(), "assignee"));
    let text_error =
        Signal::derive(move || crate::ui::form::field_error(assigned.get(), "follow_up"));
    let return_to = move || format!("/oversight/overlaps/{}", id().unwrap_or_default());
    view! {
        <Title text=t_string!(i18n, overlap_title).to_string() />
        <p><a href="/oversight">{t!(i18n, oversight_overlaps_title)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overlap.await {
                    Ok(o) => {
                        let can_assign = o.workflow.allowed.contains(&Step::FollowUp);
                        view! {
                            <h1>{t!(i18n, overlap_title)} ": " {match_kind_label(i18n, &o.match_kind)} " #" {o.id}</h1>
                            {o.urgent.then(|| view! { <p class="alert alert--warning" role="status">{t!(i18n, overlap_urgent_text)}</p> })}
                            <dl class="facts">
                                <dt>{t!(i18n, overlap_score)}</dt><dd>{format::score(i18n, o.score)}</dd>
                                {o.sides.iter().map(|s| view! {
                                    <dt>{s.joint_venture.clone()}</dt>
                                    <dd>{match (&s.case, &s.disclosed_at) {
                                        (Some((reference, title)), Some(at)) => format!(
                                            "{reference}: {title} ({} {})",
                                            t_string!(i18n, overlap_disclosed_on),
                                            format::date(i18n, &at.date)
                                        ),
                                        (Some((reference, title)), None) => format!("{reference}: {title}"),
                                        (None, _) if s.withdrawn => t_string!(i18n, overlap_withdrawn_short).to_string(),
                                        (None, _) => t_string!(i18n, overlap_not_disclosed).to_string(),
                                    }}</dd>
                                }).collect_view()}
                            </dl>
                            <WorkflowPanel id=o.id workflow=o.workflow.clone() />
                            {can_assign.then(|| view! {
                                <section class="section">
                                    <h2>{t!(i18n, overlap_assign_title)}</h2>
                                    <ActionForm action=assign attr:class="form" attr:novalidate="true">
                                        <Show when=move || general_error(i18n, assigned.get()).is_some()>
                                            <p class="alert alert--error" role="alert">{move || general_error(i18n, assigned.get())}</p>
                                        </Show>
                                        <input type="hidden" name="id" value=o.id />
                                        <input type="hidden" name="version" value=o.workflow.version />
                                        <div class="field" class:field--invalid=move || assignee_error.get().is_some()>
                                            <label for="assignee">{t!(i18n, overlap_assignee)}</label>
                                            <Show when=move || assignee_error.get().is_some()>
                                                <p class="field__error">{move || assignee_error.get()}</p>
                                            </Show>
                                            <select id="assignee" name="assignee">
                                                {o.coordinators.iter().map(|(id, name)| view! { <option value=*id>{name.clone()}</option> }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field" class:field--invalid=move || text_error.get().is_some()>
                                            <label for="follow-up">{t!(i18n, overlap_follow_up)}</label>
                                            <Show when=move || text_error.get().is_some()>
                                                <p class="field__error">{move || text_error.get()}</p>
                                            </Show>
                                            <textarea id="follow-up" name="follow_up" rows="3"></textarea>
                                        </div>
                                        <button type="submit" class="button">{t!(i18n, overlap_assign_button)}</button>
                                    </ActionForm>
                                </section>
                            })}
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
