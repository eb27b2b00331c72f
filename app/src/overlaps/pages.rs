//! Components.

use crate::overlaps::api::{AddBenign, ConsentToDisclose, RemoveBenign};
use crate::overlaps::api::{get_overlap, held_back_matches, list_benign, list_overlaps};
use crate::overlaps::guide_pages::OverlapGuide;
use crate::overlaps::types::{BENIGN_KINDS, Evidence, NATIONAL, Reason};
use crate::overlaps::workflow_api::OverlapStep;
use crate::overlaps::workflow_pages::match_kind_label;
use crate::ui::format::score;
use crate::ui::page::TableRegion;
use crate::{
    error::AppError, i18n::*, overlaps::workflow_pages::Flags,
    overlaps::workflow_pages::OverlapFilters, overlaps::workflow_pages::filter_from_query,
    ui::form::general_error, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/benign`: values that raise no overlap, with why, until when and for which joint venture;
/// an entry is added for one of the caller's joint ventures (administrators: national).
#[component]
pub fn BenignPage() -> impl IntoView {
    use crate::{ui::form::Field, ui::form::field_error};
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let list = Resource::new(landed, |_| list_benign());
    let add = ServerAction::<AddBenign>::new();
    let added = Signal::derive(move || add.value().get());
    let remove = ServerAction::<RemoveBenign>::new();
    let removed = Signal::derive(move || remove.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(added.get(), field));
    let kind_error = error("kind");
    let reason_error = error("reason");
    let venture_error = error("joint_venture_id");
    view! {
        <Title text=t_string!(i18n, benign_title).to_string() />
        <h1>{t!(i18n, benign_title)}</h1>
        <p>{t!(i18n, help_matching_benign)}</p>
        <p>{t!(i18n, benign_scope_help)}</p>
        <Show when=move || general_error(i18n, removed.get()).is_some()>
            <p class="alert alert--error" role="alert">{move || general_error(i18n, removed.get())}</p>
        </Show>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(list) if list.rows.is_empty() => view! { <p>{t!(i18n, benign_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <TableRegion label=move || t_string!(i18n, benign_title)><table class="table">
                            <caption class="visually-hidden">{t!(i18n, benign_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, benign_label)}</th>
                                <th scope="col">{t!(i18n, kind_column)}</th>
                                <th scope="col">{t!(i18n, benign_joint_venture)}</th>
                                <th scope="col">{t!(i18n, benign_reason)}</th>
                                <th scope="col">{t!(i18n, benign_expires)}</th>
                                <th scope="col">{t!(i18n, benign_added_by)}</th>
                                <th scope="col"><span class="visually-hidden">{t!(i18n, actions_column)}</span></th>
                            </tr></thead>
                            <tbody>
                                {list.rows.into_iter().map(|b| {
                                    let scope = match &b.joint_venture {
                                        Some(jv) => jv.name.clone(),
                                        None => t_string!(i18n, benign_national).to_string(),
                                    };
                                    let aria = format!("{} {}", t_string!(i18n, remove_button), b.label);
                                    let id = b.id;
                                    let removal = b.removable.then(move || view! {
                                        <ActionForm action=remove attr:class="inline-form">
                                            <input type="hidden" name="id" value=id />
                                            <button type="submit" class="button button--small"
                                                aria-label=aria>{t!(i18n, remove_button)}</button>
                                        </ActionForm>
                                    });
                                    view! {
                                        <tr>
                                            <td>{b.label.clone()}</td>
                                            <td>{match_kind_label(i18n, &b.kind)}</td>
                                            <td>{scope}</td>
                                            <td>{b.reason}</td>
                                            <td><crate::ui::format::Day date=b.expires_on /></td>
                                            <td>{b.added_by.unwrap_or_default()}</td>
                                            <td>{removal}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table></TableRegion>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/benign" /> }.into_any(),
                }
            })}
        </Suspense>
        <h2>{t!(i18n, benign_add_title)}</h2>
        <ActionForm action=add attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, added.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, added.get())}</p>
            </Show>
            <div class="field" class:field--invalid=move || kind_error.get().is_some()>
                <label for="benign-kind">{t!(i18n, kind_column)}</label>
                <Show when=move || kind_error.get().is_some()>
                    <p class="field__error">{move || kind_error.get()}</p>
                </Show>
                <select id="benign-kind" name="benign[kind]">
                    {BENIGN_KINDS.iter().map(|k| view! { <option value=*k>{match_kind_label(i18n, k)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:field--invalid=move || venture_error.get().is_some()>
                <label for="benign-joint-venture">{t!(i18n, benign_joint_venture)}</label>
                <Show when=move || venture_error.get().is_some()>
                    <p class="field__error">{move || venture_error.get()}</p>
                </Show>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let choices = list.await.unwrap_or_default();
                        view! {
                            <select id="benign-joint-venture" name="benign[joint_venture_id]">
                                {choices.joint_ventures.into_iter().map(|jv| view! {
                                    <option value=jv.id.to_string()>{jv.name}</option>
                                }).collect_view()}
                                {choices.national.then(|| view! {
                                    <option value=NATIONAL>{t!(i18n, benign_national)}</option>
                                })}
                            </select>
                        }
                    })}
                </Suspense>
            </div>
            <Field name="benign[value]" label=move || t_string!(i18n, benign_value).to_string()
                kind="text" autocomplete="off" error=error("value") />
            <Field name="benign[postcode]" label=move || t_string!(i18n, subject_postcode).to_string()
                kind="text" autocomplete="off" error=error("postcode") />
            <Field name="benign[house_number]" label=move || t_string!(i18n, subject_house_number).to_string()
                kind="text" autocomplete="off" error=error("house_number") />
            <Field name="benign[label]" label=move || t_string!(i18n, benign_label).to_string()
                kind="text" autocomplete="off" error=error("label") />
            <div class="field" class:field--invalid=move || reason_error.get().is_some()>
                <label for="benign-reason">{t!(i18n, benign_reason)}</label>
                <Show when=move || reason_error.get().is_some()>
                    <p class="field__error">{move || reason_error.get()}</p>
                </Show>
                <textarea id="benign-reason" name="benign[reason]" rows="3"></textarea>
            </div>
            <Field name="benign[expires_on]" label=move || t_string!(i18n, benign_expires).to_string()
                kind="date" autocomplete="off" error=error("expires_on") />
            <button type="submit" class="button button--primary">{t!(i18n, benign_add_button)}</button>
        </ActionForm>
    }
}

pub(crate) fn reason_text(i18n: leptos_i18n::I18nContext<Locale>, reason: Reason) -> String {
    use Reason as R;
    match reason {
        R::FamilyEqual => t_string!(i18n, reason_family_equal).to_string(),
        R::FamilyDiffers => t_string!(i18n, reason_family_differs).to_string(),
        R::BirthOneOff => t_string!(i18n, reason_birth_one_off).to_string(),
        R::FamilySimilar(x) => format!(
            "{} {}",
            t_string!(i18n, reason_family_similar),
            score(i18n, x)
        ),
        R::GivenEqual => t_string!(i18n, reason_given_equal).to_string(),
        R::GivenSimilar(x) => format!(
            "{} {}",
            t_string!(i18n, reason_given_similar),
            score(i18n, x)
        ),
        R::GivenDiffers => t_string!(i18n, reason_given_differs).to_string(),
        R::NamesSwapped => t_string!(i18n, reason_names_swapped).to_string(),
        R::BirthEqual => t_string!(i18n, reason_birth_equal).to_string(),
        R::BirthDayMonthSwapped => t_string!(i18n, reason_birth_swapped).to_string(),
        R::BirthCompatible => t_string!(i18n, reason_birth_compatible).to_string(),
        R::BirthYearApart => t_string!(i18n, reason_birth_year_apart).to_string(),
        R::BirthConflict => t_string!(i18n, reason_birth_conflict).to_string(),
        R::NationalityEqual => t_string!(i18n, reason_nationality_equal).to_string(),
        R::NationalityDiffers => t_string!(i18n, reason_nationality_differs).to_string(),
        R::SharedIdentifier => t_string!(i18n, reason_shared_identifier).to_string(),
    }
}

/// The evidence in words, in the reader's language.
pub fn evidence_text(i18n: leptos_i18n::I18nContext<Locale>, evidence: &Evidence) -> String {
    match evidence {
        Evidence::SameIdentifier => t_string!(i18n, reason_same_identifier).to_string(),
        Evidence::Person(reasons) => reasons
            .iter()
            .map(|r| reason_text(i18n, *r))
            .collect::<Vec<_>>()
            .join("; "),
        Evidence::Weighed { fields, .. } => crate::overlaps::explain::weighed_text(i18n, fields),
        Evidence::Operation { metres, minutes } => format!(
            "{metres} m {}; {minutes} {}",
            t_string!(i18n, reason_operation_apart),
            t_string!(i18n, reason_operation_minutes)
        ),
    }
}

pub(crate) fn state_label(i18n: leptos_i18n::I18nContext<Locale>, state: &str) -> String {
    state
        .parse()
        .map(|s| crate::overlaps::workflow_pages::state_label(i18n, s))
        .unwrap_or_default()
}

/// `/overlaps`: the inbox of the caller's joint ventures.
#[component]
pub fn OverlapsPage() -> impl IntoView {
    let i18n = use_i18n();
    let filter = filter_from_query();
    let list = Resource::new(move || filter.get(), list_overlaps);
    view! {
        <Title text=t_string!(i18n, overlaps_title).to_string() />
        <h1>{t!(i18n, overlaps_title)}</h1>
        <p>{t!(i18n, overlaps_intro)}</p>
        <p><a href="/benign">{t!(i18n, benign_title)}</a> " · " <a href="/help#matching">{t!(i18n, help_matching_title)}</a></p>
        <OverlapFilters action="/overlaps" filter />
        <HeldBackSection />
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, overlaps_none)}</p> }.into_any(),
                    Ok(rows) => view! {
                        <TableRegion label=move || t_string!(i18n, overlaps_title)><table class="table">
                            <caption class="visually-hidden">{t!(i18n, overlaps_title)}</caption>
                            <thead><tr>
                                <th scope="col">{t!(i18n, overlap_column)}</th>
                                <th scope="col">{t!(i18n, overlap_my_case)}</th>
                                <th scope="col">{t!(i18n, overlap_other_joint_venture)}</th>
                                <th scope="col">{t!(i18n, overlap_score)}</th>
                                <th scope="col">{t!(i18n, users_status_label)}</th>
                                <th scope="col">{t!(i18n, flags_column)}</th>
                                <th scope="col">{t!(i18n, deadline_column)}</th>
                                <th scope="col">{t!(i18n, overlap_found)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|o| view! {
                                    <tr class:row--urgent=o.urgent>
                                        <td>
                                            <a href=format!("/overlaps/{}", o.id)>{match_kind_label(i18n, &o.match_kind)}</a>
                                            {o.urgent.then(|| view! { " " <strong class="badge badge--urgent">{t!(i18n, overlap_urgent)}</strong> })}
                                        </td>
                                        <td class="nowrap">{o.my_case.name.clone()}</td>
                                        <td>{o.other_joint_venture.clone()}</td>
                                        <td>{score(i18n, o.score)}</td>
                                        <td>
                                            {state_label(i18n, &o.state)}
                                            {o.disclosed.then(|| view! { ", " {t!(i18n, overlap_disclosed_short)} })}
                                        </td>
                                        <td><Flags flags=o.flags.clone() /></td>
                                        <td>{o.due.clone().map(|deadline| view! { <crate::ui::format::DeadlineCell deadline /> })}</td>
                                        <td><crate::ui::format::Day date=o.created_at.date.clone() /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></TableRegion>
                    }.into_any(),
                    Err(err) => view! { <PageError err return_to="/overlaps" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// On the overlap inbox: the subjects of the caller's cases whose matches another joint
/// venture's benign entry holds back, per case and kind of value (nothing when there are none).
/// The value, the entry and whose it is are not told (see `benign`).
#[component]
fn HeldBackSection() -> impl IntoView {
    let i18n = use_i18n();
    let rows = Resource::new(|| (), |_| held_back_matches());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) if !rows.is_empty() => view! {
                        <section class="section" id="held-back">
                            <h2>{t!(i18n, held_back_title)}</h2>
                            <p>{t!(i18n, held_back_intro)}</p>
                            <TableRegion label=move || t_string!(i18n, held_back_title)><table class="table">
                                <caption class="visually-hidden">{t!(i18n, held_back_title)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, overlap_my_case)}</th>
                                    <th scope="col">{t!(i18n, kind_column)}</th>
                                    <th scope="col">{t!(i18n, held_back_subjects)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| view! {
                                        <tr>
                                            <td><a href=format!("/cases/{}", r.case.id)>{r.case.name.clone()}</a></td>
                                            <td>{match_kind_label(i18n, &r.kind)}</td>
                                            <td>{r.subjects}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></TableRegion>
                        </section>
                    }.into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/overlaps/{id}`: the overlap as a guided sequence for its sides' coordinators (see
/// `guide_pages`). A form posted here lands back with `done=` and a fresh `at`, so the page
/// reloads and confirms the step, with or without JavaScript.
#[component]
pub fn OverlapPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let overlap = Resource::new(
        move || (id(), landed()),
        |(id, _)| async move {
            match id {
                Some(id) => get_overlap(id).await,
                None => Err(AppError::Forbidden),
            }
        },
    );
    let consent = ServerAction::<ConsentToDisclose>::new();
    let act = ServerAction::<OverlapStep>::new();
    let return_to = move || format!("/overlaps/{}", id().unwrap_or_default());
    view! {
        <Title text=t_string!(i18n, overlap_title).to_string() />
        <p><a href="/overlaps">{t!(i18n, overlaps_title)}</a></p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let done = done();
                match overlap.await {
                    Ok(o) => view! { <OverlapGuide o done act consent /> }.into_any(),
                    Err(err) => view! { <PageError err return_to=return_to() /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
