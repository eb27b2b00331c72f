//! `/admin/disclosure-grounds`: the purposes and legal bases a coordinator chooses from when
//! consenting to disclose. Administrators add and change options; privacy officers read.

use crate::domain::OrganisationKind;
use crate::overlaps::grounds_api::{SaveDisclosureOption, get_disclosure_lists};
use crate::overlaps::grounds_types::{DisclosureLists, OptionRow};
use crate::ui::page::{PageError, TableRegion};
use crate::{
    i18n::*, ui::form::Field, ui::form::field_error, ui::form::general_error,
    ui::labels::kind_label,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn DisclosureGroundsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let saved = move || query.with(|q| q.get("saved").is_some());
    let editing = move || query.with(|q| q.get("edit").and_then(|id| id.parse::<i32>().ok()));
    let lists = Resource::new(landed, |_| get_disclosure_lists());
    view! {
        <Title text=t_string!(i18n, grounds_admin_title).to_string() />
        <h1>{t!(i18n, grounds_admin_title)}</h1>
        <p>{t!(i18n, grounds_admin_intro)}</p>
        {move || saved().then(|| view! {
            <p class="alert alert--success" role="status">{t!(i18n, user_done_saved)}</p>
        })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match lists.await {
                    Ok(lists) => {
                        let edited = editing().and_then(|id| lists.options.iter().find(|o| o.id == id).cloned());
                        view! { <Lists lists edited /> }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/disclosure-grounds" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Lists(lists: DisclosureLists, edited: Option<OptionRow>) -> impl IntoView {
    let i18n = use_i18n();
    let manage = lists.may_manage;
    let table = move |list: &'static str, heading: String, rows: Vec<OptionRow>| {
        let id = format!("list-{list}");
        let labelled_by = id.clone();
        let label = heading.clone();
        view! {
            <section class="section" aria-labelledby=labelled_by>
                <h2 id=id>{heading}</h2>
                <TableRegion label=move || label.clone()>
                    <table class="table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, grounds_admin_code)}</th>
                            <th scope="col">{t!(i18n, grounds_admin_label_nl)}</th>
                            <th scope="col">{t!(i18n, grounds_admin_label_en)}</th>
                            {(list == "legal_basis").then(|| view! { <th scope="col">{t!(i18n, grounds_admin_kinds)}</th> })}
                            <th scope="col">{t!(i18n, grounds_admin_offered)}</th>
                            <th scope="col" class="numeric">{t!(i18n, grounds_admin_used)}</th>
                            {manage.then(|| view! { <td></td> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|o| {
                                let kinds = if o.kinds.is_empty() {
                                    t_string!(i18n, grounds_admin_every_kind).to_string()
                                } else {
                                    o.kinds.iter().map(|k| kind_label(i18n, *k)).collect::<Vec<_>>().join(", ")
                                };
                                let name = o.label_nl.clone();
                                view! {
                                    <tr>
                                        <td><code>{o.code.clone()}</code></td>
                                        <td>{o.label_nl.clone()}</td>
                                        <td>{o.label_en.clone()}</td>
                                        {(list == "legal_basis").then(|| view! { <td>{kinds}</td> })}
                                        <td>{if o.active { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</td>
                                        <td class="numeric">{o.used}</td>
                                        {manage.then(|| view! {
                                            <td>
                                                <a href=format!("/admin/disclosure-grounds?edit={}#option-form", o.id)>
                                                    {t!(i18n, edit_link)} <span class="visually-hidden">" " {name}</span>
                                                </a>
                                            </td>
                                        })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            </section>
        }
    };
    let (purposes, bases): (Vec<_>, Vec<_>) =
        lists.options.into_iter().partition(|o| o.list == "purpose");
    view! {
        {table("purpose", t_string!(i18n, grounds_admin_purposes).to_string(), purposes)}
        {table("legal_basis", t_string!(i18n, grounds_admin_bases).to_string(), bases)}
        {manage.then(|| view! { <OptionForm edited /> })}
    }
}

/// Adds an option, or changes `edited` (never its list or code).
#[component]
fn OptionForm(edited: Option<OptionRow>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveDisclosureOption>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let (list_error, kinds_error, note_error, active_error) = (
        error("list"),
        error("kinds"),
        error("needs_note"),
        error("active"),
    );
    let o = edited.clone();
    let list = o
        .as_ref()
        .map(|o| o.list.clone())
        .unwrap_or_else(|| "legal_basis".into());
    let kinds = o.as_ref().map(|o| o.kinds.clone()).unwrap_or_default();
    let needs_note = o.as_ref().is_some_and(|o| o.needs_note);
    let active = o.as_ref().is_none_or(|o| o.active);
    view! {
        <h2 id="option-form">
            {if edited.is_some() { t_string!(i18n, grounds_admin_edit) } else { t_string!(i18n, grounds_admin_new) }}
        </h2>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {o.as_ref().map(|o| view! { <input type="hidden" name="id" value=o.id /> })}
            <div class="field" class:field--invalid=move || list_error.get().is_some()>
                <label for="option-list">{t!(i18n, grounds_admin_list)}</label>
                <Show when=move || list_error.get().is_some()>
                    <p class="field__error">{move || list_error.get()}</p>
                </Show>
                <select id="option-list" name="option[list]">
                    <option value="purpose" selected=list == "purpose">{t!(i18n, grounds_admin_purposes)}</option>
                    <option value="legal_basis" selected=list == "legal_basis">{t!(i18n, grounds_admin_bases)}</option>
                </select>
            </div>
            <Field name="option[code]" label=move || t_string!(i18n, grounds_admin_code).to_string()
                kind="text" autocomplete="off" error=error("code") value=o.as_ref().map(|o| o.code.clone()).unwrap_or_default() />
            <Field name="option[label_nl]" label=move || t_string!(i18n, grounds_admin_label_nl).to_string()
                kind="text" autocomplete="off" error=error("label_nl") value=o.as_ref().map(|o| o.label_nl.clone()).unwrap_or_default() />
            <Field name="option[label_en]" label=move || t_string!(i18n, grounds_admin_label_en).to_string()
                kind="text" autocomplete="off" error=error("label_en") value=o.as_ref().map(|o| o.label_en.clone()).unwrap_or_default() />
            <fieldset class="field checkboxes checkboxes--columns" class:field--invalid=move || kinds_error.get().is_some()>
                <legend>{t!(i18n, grounds_admin_kinds_legend)}</legend>
                <Show when=move || kinds_error.get().is_some()>
                    <p class="field__error">{move || kinds_error.get()}</p>
                </Show>
                {OrganisationKind::ALL.iter().map(|k| {
                    let id = format!("option-kind-{}", k.as_str());
                    let for_id = id.clone();
                    view! {
                        <label for=for_id>
                            <input type="checkbox" id=id name=format!("option[kinds][{}]", k.as_str()) value="true" checked=kinds.contains(k) />
                            " " {kind_label(i18n, *k)}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--invalid=move || note_error.get().is_some()>
                <Show when=move || note_error.get().is_some()>
                    <p class="field__error">{move || note_error.get()}</p>
                </Show>
                <label for="option-needs-note">
                    <input type="checkbox" id="option-needs-note" name="option[needs_note]" value="true" checked=needs_note />
                    " " {t!(i18n, grounds_admin_needs_note)}
                </label>
            </div>
            <div class="field" class:field--invalid=move || active_error.get().is_some()>
                <Show when=move || active_error.get().is_some()>
                    <p class="field__error">{move || active_error.get()}</p>
                </Show>
                <label for="option-active">
                    <input type="checkbox" id="option-active" name="option[active]" value="true" checked=active />
                    " " {t!(i18n, grounds_admin_offered_label)}
                </label>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, user_save_button)}</button>
        </ActionForm>
    }
}
