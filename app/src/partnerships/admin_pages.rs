//! The administrators' pages for organisations, regions and joint ventures.

use crate::partnerships::admin_api::{
    AddMember, AddRegion, Assign, EndMember, SaveJointVenture, SaveOrganisation,
};
use crate::partnerships::admin_api::{get_joint_venture_form, list_organisations, list_regions};
use crate::partnerships::admin_types::{
    AssignmentRow, JointVentureForm, MembershipAdminRow, OrganisationRow, RegionRow,
};
use crate::partnerships::types::Named;
use crate::ui::page::TableRegion;
use crate::{
    domain::MembershipRole, domain::OrganisationKind, domain::Theme, i18n::*, ui::form::Field,
    ui::form::field_error, ui::form::general_error, ui::labels::kind_label,
    ui::labels::theme_label, ui::page::PageError,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

pub(crate) fn done_message(i18n: leptos_i18n::I18nContext<Locale>, done: &str) -> Option<String> {
    (!done.is_empty()).then(|| t_string!(i18n, user_done_saved).to_string())
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let editing = move || query.with(|q| q.get("edit").and_then(|id| id.parse::<i32>().ok()));
    let list = Resource::new(landed, |_| list_organisations());
    view! {
        <Title text=t_string!(i18n, organisations_title).to_string() />
        <h1>{t!(i18n, organisations_title)}</h1>
        {move || done_message(i18n, &done()).map(|m| view! { <p class="alert alert--success" role="status">{m}</p> })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) => {
                        let edited = editing().and_then(|id| rows.iter().find(|r| r.id == id).cloned());
                        view! {
                            <TableRegion label=move || t_string!(i18n, organisations_title)>
                                <table class="table">
                                    <caption class="visually-hidden">{t!(i18n, organisations_title)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, organisation_column)}</th>
                                        <th scope="col">{t!(i18n, short_name_label)}</th>
                                        <th scope="col">{t!(i18n, kind_column)}</th>
                                        <td></td>
                                    </tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|row| view! {
                                            <tr>
                                                <td>{row.name.clone()}</td>
                                                <td>{row.short_name}</td>
                                                <td>{kind_label(i18n, row.kind)}</td>
                                                <td>
                                                    <a href=format!("/admin/organisations?edit={}#organisation-form", row.id)>
                                                        {t!(i18n, edit_link)} <span class="visually-hidden">" " {row.name}</span>
                                                    </a>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <OrganisationForm edited />
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/organisations" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Adds an organisation, or changes `edited`.
#[component]
pub(crate) fn OrganisationForm(edited: Option<OrganisationRow>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveOrganisation>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let kind_error = error("kind");
    let (name, short_name, kind) = edited
        .as_ref()
        .map(|o| (o.name.clone(), o.short_name.clone(), Some(o.kind)))
        .unwrap_or_default();
    view! {
        <h2 id="organisation-form">
            {if edited.is_some() { t_string!(i18n, organisation_edit) } else { t_string!(i18n, organisation_new) }}
        </h2>
        <ActionForm action attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {edited.as_ref().map(|o| view! { <input type="hidden" name="id" value=o.id /> })}
            <Field name="organisation[name]" label=move || t_string!(i18n, name_label).to_string()
                kind="text" autocomplete="off" error=error("name") value=name />
            <Field name="organisation[short_name]" label=move || t_string!(i18n, short_name_label).to_string()
                kind="text" autocomplete="off" error=error("short_name") value=short_name />
            <div class="field" class:field--invalid=move || kind_error.get().is_some()>
                <label for="organisation-kind">{t!(i18n, kind_column)}</label>
                <Show when=move || kind_error.get().is_some()>
                    <p class="field__error">{move || kind_error.get()}</p>
                </Show>
                <select id="organisation-kind" name="organisation[kind]">
                    <option value="">{t!(i18n, choose_option)}</option>
                    {OrganisationKind::ALL.iter().map(|k| view! {
                        <option value=k.as_str() selected=kind == Some(*k)>{kind_label(i18n, *k)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button button--primary">
                {if edited.is_some() { t_string!(i18n, user_save_button) } else { t_string!(i18n, organisation_create_button) }}
            </button>
        </ActionForm>
    }
}

#[component]
pub fn RegionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let list = Resource::new(landed, |_| list_regions());
    let action = ServerAction::<AddRegion>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let province_error = error("province");
    view! {
        <Title text=t_string!(i18n, regions_title).to_string() />
        <h1>{t!(i18n, regions_title)}</h1>
        <p>{t!(i18n, regions_intro)}</p>
        {move || done_message(i18n, &done()).map(|m| view! { <p class="alert alert--success" role="status">{m}</p> })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(rows) => {
                        let provinces: Vec<RegionRow> = rows
                            .iter()
                            .filter(|r| r.kind == crate::domain::RegionKind::Province)
                            .cloned()
                            .collect();
                        let options = provinces.clone();
                        view! {
                            <TableRegion label=move || t_string!(i18n, regions_title)>
                                <table class="table">
                                    <caption class="visually-hidden">{t!(i18n, regions_title)}</caption>
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, province_label)}</th>
                                        <th scope="col">{t!(i18n, municipalities_label)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {provinces.into_iter().map(|province| {
                                            let municipalities = rows
                                                .iter()
                                                .filter(|r| r.parent.as_deref() == Some(province.code.as_str()))
                                                .map(|r| format!("{} ({})", r.name, r.code))
                                                .collect::<Vec<_>>()
                                                .join(", ");
                                            view! {
                                                <tr>
                                                    <th scope="row">{province.name} " (" {province.code} ")"</th>
                                                    <td>{municipalities}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <h2>{t!(i18n, municipality_add_title)}</h2>
                            <ActionForm action attr:class="form" attr:novalidate="true">
                                <Show when=move || general_error(i18n, result.get()).is_some()>
                                    <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                                </Show>
                                <Field name="region[code]" label=move || t_string!(i18n, cbs_code_label).to_string()
                                    kind="text" autocomplete="off" error=error("code") />
                                <Field name="region[name]" label=move || t_string!(i18n, name_label).to_string()
                                    kind="text" autocomplete="off" error=error("name") />
                                <div class="field" class:field--invalid=move || province_error.get().is_some()>
                                    <label for="region-province">{t!(i18n, province_label)}</label>
                                    <Show when=move || province_error.get().is_some()>
                                        <p class="field__error">{move || province_error.get()}</p>
                                    </Show>
                                    <select id="region-province" name="region[province]">
                                        <option value="">{t!(i18n, choose_option)}</option>
                                        {options.into_iter().map(|p| view! { <option value=p.code>{p.name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button button--primary">{t!(i18n, municipality_add_button)}</button>
                            </ActionForm>
                        }.into_any()
                    }
                    Err(err) => view! { <PageError err return_to="/admin/regions" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn JointVentureAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    // `new` makes an empty form; a number edits that joint venture.
    let id = move || params.with(|p| p.get("id").and_then(|id| id.parse::<i32>().ok()));
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let done = move || query.with(|q| q.get("done").unwrap_or_default());
    let form = Resource::new(
        move || (id(), landed()),
        |(id, _)| get_joint_venture_form(id),
    );
    view! {
        <Title text=t_string!(i18n, joint_venture_admin_title).to_string() />
        <p><a href="/joint-ventures">{t!(i18n, joint_ventures_back)}</a></p>
        <h1>{t!(i18n, joint_venture_admin_title)}</h1>
        {move || done_message(i18n, &done()).map(|m| view! { <p class="alert alert--success" role="status">{m}</p> })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match form.await {
                    Ok(form) => view! { <JointVentureAdmin form /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/admin/joint-ventures/new" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn JointVentureAdmin(form: JointVentureForm) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveJointVenture>::new();
    let result = Signal::derive(move || save.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let input = form.input.clone();
    let themes = input.themes.themes();
    let themes_error = error("themes");
    let regions_error = error("regions");
    view! {
        <ActionForm action=save attr:class="form form--wide" attr:novalidate="true">
            <Show when=move || general_error(i18n, result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
            </Show>
            {form.id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <Field name="venture[name]" label=move || t_string!(i18n, name_label).to_string()
                kind="text" autocomplete="off" error=error("name") value=input.name.clone() />
            <fieldset class="field checkboxes" class:field--invalid=move || themes_error.get().is_some()>
                <legend>{t!(i18n, theme_column)}</legend>
                <Show when=move || themes_error.get().is_some()>
                    <p class="field__error">{move || themes_error.get()}</p>
                </Show>
                {Theme::ALL.iter().map(|theme| {
                    let id = format!("theme-{}", theme.as_str());
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name=format!("venture[themes][{}]", theme.as_str())
                                value="true" checked=themes.contains(theme) />
                            <label for=id>{theme_label(i18n, *theme)}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="field checkboxes checkboxes--columns" class:field--invalid=move || regions_error.get().is_some()>
                <legend>{t!(i18n, region_column)}</legend>
                <Show when=move || regions_error.get().is_some()>
                    <p class="field__error">{move || regions_error.get()}</p>
                </Show>
                {form.regions.iter().map(|region| {
                    let id = format!("region-{}", region.code);
                    let checked = input.regions.get(&region.code).copied().unwrap_or(false);
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name=format!("venture[regions][{}]", region.code)
                                value="true" checked=checked />
                            <label for=id>{region.name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field" class:field--invalid=move || error("mandate").get().is_some()>
                <label for="venture-mandate">{t!(i18n, mandate_label)}</label>
                <Show when=move || error("mandate").get().is_some()>
                    <p class="field__error">{move || error("mandate").get()}</p>
                </Show>
                <textarea id="venture-mandate" name="venture[mandate]" rows="4">{input.mandate.clone()}</textarea>
            </div>
            <Field name="venture[legal_basis]" label=move || t_string!(i18n, legal_basis_label).to_string()
                kind="text" autocomplete="off" error=error("legal_basis") value=input.legal_basis.clone() />
            <Field name="venture[start]" label=move || t_string!(i18n, start_label).to_string()
                kind="date" autocomplete="off" error=error("start") value=input.start.clone() />
            <Field name="venture[end]" label=move || t_string!(i18n, end_label).to_string()
                kind="date" autocomplete="off" error=error("end") value=input.end.clone() />
            <div class="checkbox">
                <input type="checkbox" id="venture-four-eyes" name="venture[four_eyes]" value="true" checked=input.four_eyes />
                <label for="venture-four-eyes">{t!(i18n, venture_four_eyes_label)}</label>
            </div>
            <button type="submit" class="button button--primary">{t!(i18n, user_save_button)}</button>
        </ActionForm>
        {form.id.map(|id| view! {
            <Members joint_venture_id=id memberships=form.memberships.clone() organisations=form.organisations.clone() />
            <Assignments joint_venture_id=id kind="coordinator" assigned=form.coordinators.clone() candidates=form.coordinator_candidates.clone() />
            <Assignments joint_venture_id=id kind="manager" assigned=form.managers.clone() candidates=form.manager_candidates.clone() />
        })}
    }
}

#[component]
pub(crate) fn Members(
    joint_venture_id: i32,
    memberships: Vec<MembershipAdminRow>,
    organisations: Vec<Named>,
) -> impl IntoView {
    let i18n = use_i18n();
    let add = ServerAction::<AddMember>::new();
    let end = ServerAction::<EndMember>::new();
    let add_result = Signal::derive(move || add.value().get());
    let end_result = Signal::derive(move || end.value().get());
    let error =
        move |field: &'static str| Signal::derive(move || field_error(add_result.get(), field));
    let end_error = move || {
        field_error(end_result.get(), "until").or_else(|| general_error(i18n, end_result.get()))
    };
    view! {
        <h2>{t!(i18n, members_column)}</h2>
        <Show when=move || end_error().is_some()>
            <p class="alert alert--error" role="alert">{end_error}</p>
        </Show>
        <TableRegion label=move || t_string!(i18n, members_column)>
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, members_column)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, organisation_column)}</th>
                    <th scope="col">{t!(i18n, membership_role_column)}</th>
                    <th scope="col">{t!(i18n, since_column)}</th>
                    <th scope="col">{t!(i18n, until_column)}</th>
                </tr></thead>
                <tbody>
                    {memberships.into_iter().map(|m| {
                        let field = format!("until-{}", m.id);
                        view! {
                            <tr>
                                <td>{m.organisation.clone()}</td>
                                <td>{crate::partnerships::pages::role_label(i18n, m.role)}</td>
                                <td>{crate::ui::format::date(i18n, &m.since)}</td>
                                <td>{match m.until.clone() {
                                    Some(until) => view! { {crate::ui::format::date(i18n, &until)} }.into_any(),
                                    None => view! {
                                        <ActionForm action=end attr:class="inline-form">
                                            <input type="hidden" name="membership_id" value=m.id />
                                            <label class="visually-hidden" for=field.clone()>{t!(i18n, until_column)} " " {m.organisation.clone()}</label>
                                            <input type="date" id=field name="until" />
                                            " "
                                            <button type="submit" class="button">{t!(i18n, member_end_button)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <h3>{t!(i18n, member_add_title)}</h3>
        <ActionForm action=add attr:class="form" attr:novalidate="true">
            <Show when=move || general_error(i18n, add_result.get()).is_some()>
                <p class="alert alert--error" role="alert">{move || general_error(i18n, add_result.get())}</p>
            </Show>
            <input type="hidden" name="joint_venture_id" value=joint_venture_id />
            <div class="field" class:field--invalid=move || error("organisation_id").get().is_some()>
                <label for="member-organisation">{t!(i18n, organisation_column)}</label>
                <Show when=move || error("organisation_id").get().is_some()>
                    <p class="field__error">{move || error("organisation_id").get()}</p>
                </Show>
                <select id="member-organisation" name="member[organisation_id]">
                    <option value="">{t!(i18n, choose_option)}</option>
                    {organisations.into_iter().map(|o| view! { <option value=o.id.to_string()>{o.name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field" class:field--invalid=move || error("role").get().is_some()>
                <label for="member-role">{t!(i18n, membership_role_column)}</label>
                <Show when=move || error("role").get().is_some()>
                    <p class="field__error">{move || error("role").get()}</p>
                </Show>
                <select id="member-role" name="member[role]">
                    {MembershipRole::ALL.iter().map(|role| view! {
                        <option value=role.as_str() selected=*role == MembershipRole::Member>{crate::partnerships::pages::role_label(i18n, *role)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="member[since]" label=move || t_string!(i18n, since_column).to_string()
                kind="date" autocomplete="off" error=error("since") />
            <button type="submit" class="button button--primary">{t!(i18n, member_add_button)}</button>
        </ActionForm>
    }
}

#[component]
pub(crate) fn Assignments(
    joint_venture_id: i32,
    kind: &'static str,
    assigned: Vec<AssignmentRow>,
    candidates: Vec<Named>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Assign>::new();
    let result = Signal::derive(move || action.value().get());
    let problem =
        move || field_error(result.get(), "user_id").or_else(|| general_error(i18n, result.get()));
    let select_id = format!("assign-{kind}");
    view! {
        <h2>{if kind == "manager" { t_string!(i18n, oversight_title) } else { t_string!(i18n, coordinators_title) }}</h2>
        <Show when=move || problem().is_some()>
            <p class="alert alert--error" role="alert">{problem}</p>
        </Show>
        {if assigned.is_empty() {
            view! { <p>{t!(i18n, coordinators_none)}</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list">
                    {assigned.into_iter().map(|a| view! {
                        <li>
                            {a.name.clone()} " "
                            <ActionForm action attr:class="inline-form">
                                <input type="hidden" name="joint_venture_id" value=joint_venture_id />
                                <input type="hidden" name="user_id" value=a.user_id />
                                <input type="hidden" name="kind" value=kind />
                                <input type="hidden" name="remove" value="true" />
                                <button type="submit" class="button">{t!(i18n, remove_button)} <span class="visually-hidden">" " {a.name}</span></button>
                            </ActionForm>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <ActionForm action attr:class="filters">
            <input type="hidden" name="joint_venture_id" value=joint_venture_id />
            <input type="hidden" name="kind" value=kind />
            <div class="field">
                <label for=select_id.clone()>{t!(i18n, assign_label)}</label>
                <select id=select_id name="user_id">
                    <option value="">{t!(i18n, choose_option)}</option>
                    {candidates.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t!(i18n, assign_button)}</button>
        </ActionForm>
    }
}
