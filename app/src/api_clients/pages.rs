//! `/admin/api-clients`: the agencies' systems that use the REST API. Administrators register
//! one, see its tokens (never their secrets), rotate and revoke; a new token is shown once.

use crate::api_clients::api::{CreateApiClient, RevokeApiClient, RotateApiToken, list_api_clients};
use crate::api_clients::types::{ApiClientRow, ApiClientsPage, IssuedToken, MAX_VALID_DAYS};
use crate::domain::ApiScope;
use crate::ui::page::{PageError, TableRegion};
use crate::{i18n::*, ui::form::Field, ui::form::field_error, ui::form::general_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use std::collections::BTreeMap;

/// `2026-12-07T08:12:00.000000Z` as `2026-12-07 08:12 UTC`.
fn utc_minute(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => at.to_owned(),
    }
}

#[component]
pub fn ApiClientsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let landed = move || query.with(|q| q.get("at").unwrap_or_default());
    let revoked = move || query.with(|q| q.get("revoked").is_some());
    let page = Resource::new(landed, |_| list_api_clients());
    view! {
        <Title text=t_string!(i18n, api_clients_title).to_string() />
        <h1>{t!(i18n, api_clients_title)}</h1>
        <p>{t!(i18n, api_clients_intro)} " " <a href="/help/api">{t!(i18n, api_clients_reference_link)}</a></p>
        {move || revoked().then(|| view! {
            <p class="alert alert--success" role="status">{t!(i18n, api_clients_revoked)}</p>
        })}
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <Clients page /> }.into_any(),
                    Err(err) => view! { <PageError err return_to="/admin/api-clients" /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Issued(issued: IssuedToken) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="alert alert--success" role="status" aria-labelledby="issued-token">
            <h2 id="issued-token">{t!(i18n, api_clients_issued_heading)} " " {issued.client.clone()}</h2>
            <p>{t!(i18n, api_clients_issued_once)}</p>
            <p><code class="token" data-token="issued">{issued.token.clone()}</code></p>
            <p>{t!(i18n, api_clients_valid_until)} " " {utc_minute(&issued.expires_at)}</p>
        </section>
    }
}

#[component]
fn Clients(page: ApiClientsPage) -> impl IntoView {
    let i18n = use_i18n();
    let ventures: BTreeMap<i32, String> = page
        .organisations
        .iter()
        .flat_map(|o| o.joint_ventures.iter().map(|v| (v.id, v.name.clone())))
        .collect();
    let rows = page.clients.clone();
    view! {
        {page.issued.map(|issued| view! { <Issued issued /> })}
        <section class="section" aria-labelledby="clients">
            <h2 id="clients">{t!(i18n, api_clients_list)}</h2>
            {if page.clients.is_empty() {
                view! { <p>{t!(i18n, api_clients_none)}</p> }.into_any()
            } else {
                view! {
                    <TableRegion label=move || t_string!(i18n, api_clients_list).to_string()>
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, api_clients_name)}</th>
                                <th scope="col">{t!(i18n, api_clients_organisation)}</th>
                                <th scope="col">{t!(i18n, api_clients_joint_ventures)}</th>
                                <th scope="col">{t!(i18n, api_clients_scopes)}</th>
                                <th scope="col">{t!(i18n, api_clients_tokens)}</th>
                                <th scope="col">{t!(i18n, api_clients_state)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.clone().into_iter().map(|c| view! { <ClientRow c /> }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
        {page.clients.into_iter().filter(|c| c.revoked_at.is_none()).map(|c| view! { <ClientActions c /> }).collect_view()}
        <NewClient organisations=page.organisations.iter().map(|o| (o.id, o.name.clone())).collect() ventures />
    }
}

#[component]
fn ClientRow(c: ApiClientRow) -> impl IntoView {
    let i18n = use_i18n();
    let tokens = c
        .tokens
        .iter()
        .map(|t| {
            let state = if t.valid {
                t_string!(i18n, api_clients_token_valid_until).to_string()
            } else {
                t_string!(i18n, api_clients_token_ended).to_string()
            };
            format!("lsn_{}… {state} {}", t.lookup, utc_minute(&t.expires_at))
        })
        .collect::<Vec<_>>();
    view! {
        <tr>
            <td>{c.name.clone()}</td>
            <td>{c.organisation.clone()}</td>
            <td>{c.joint_ventures.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join(", ")}</td>
            <td>{c.scopes.iter().map(|s| view! { <code>{s.as_str()}</code> " " }).collect_view()}</td>
            <td><ul class="plain">{tokens.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul></td>
            <td>{match c.revoked_at.as_deref() {
                Some(at) => format!("{} {}", t_string!(i18n, api_clients_revoked_on), utc_minute(at)),
                None => t_string!(i18n, api_clients_active).to_string(),
            }}</td>
        </tr>
    }
}

/// Rotating and revoking one client.
#[component]
fn ClientActions(c: ApiClientRow) -> impl IntoView {
    let i18n = use_i18n();
    let rotate = ServerAction::<RotateApiToken>::new();
    let revoke = ServerAction::<RevokeApiClient>::new();
    let rotated = Signal::derive(move || rotate.value().get());
    let revoked = Signal::derive(move || revoke.value().get());
    let heading = format!("client-{}", c.id);
    let labelled_by = heading.clone();
    let (days_id, reason_id) = (
        format!("rotate-days-{}", c.id),
        format!("revoke-reason-{}", c.id),
    );
    let (days_for, reason_for) = (days_id.clone(), reason_id.clone());
    view! {
        <section class="section" aria-labelledby=labelled_by>
            <h2 id=heading>{c.name.clone()}</h2>
            <ActionForm action=rotate attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, rotated.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, rotated.get())}</p>
                </Show>
                <input type="hidden" name="id" value=c.id />
                <div class="field">
                    <label for=days_for>{t!(i18n, api_clients_valid_days)}</label>
                    <Show when=move || field_error(rotated.get(), "valid_days").is_some()>
                        <p class="field__error">{move || field_error(rotated.get(), "valid_days")}</p>
                    </Show>
                    <input id=days_id name="valid_days" type="number" min="1" max=MAX_VALID_DAYS value="90" />
                </div>
                <button type="submit" class="button">{t!(i18n, api_clients_rotate)}</button>
            </ActionForm>
            <ActionForm action=revoke attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, revoked.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, revoked.get())}</p>
                </Show>
                <input type="hidden" name="id" value=c.id />
                <div class="field">
                    <label for=reason_for>{t!(i18n, api_clients_revoke_reason)}</label>
                    <Show when=move || field_error(revoked.get(), "reason").is_some()>
                        <p class="field__error">{move || field_error(revoked.get(), "reason")}</p>
                    </Show>
                    <input id=reason_id name="reason" type="text" autocomplete="off" />
                </div>
                <button type="submit" class="button button--danger">{t!(i18n, api_clients_revoke)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn NewClient(organisations: Vec<(i32, String)>, ventures: BTreeMap<i32, String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateApiClient>::new();
    let result = Signal::derive(move || action.value().get());
    let error = move |field: &'static str| Signal::derive(move || field_error(result.get(), field));
    let (organisation_error, ventures_error, scopes_error) = (
        error("organisation_id"),
        error("joint_ventures"),
        error("scopes"),
    );
    view! {
        <section class="section" aria-labelledby="new-client">
            <h2 id="new-client">{t!(i18n, api_clients_new)}</h2>
            <ActionForm action attr:class="form" attr:novalidate="true">
                <Show when=move || general_error(i18n, result.get()).is_some()>
                    <p class="alert alert--error" role="alert">{move || general_error(i18n, result.get())}</p>
                </Show>
                <Field name="client[name]" label=move || t_string!(i18n, api_clients_name).to_string()
                    kind="text" autocomplete="off" error=error("name") />
                <div class="field" class:field--invalid=move || organisation_error.get().is_some()>
                    <label for="client-organisation">{t!(i18n, api_clients_organisation)}</label>
                    <Show when=move || organisation_error.get().is_some()>
                        <p class="field__error">{move || organisation_error.get()}</p>
                    </Show>
                    <select id="client-organisation" name="client[organisation_id]">
                        <option value="">{t!(i18n, choose_option)}</option>
                        {organisations.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                    </select>
                </div>
                <fieldset class="field checkboxes checkboxes--columns" class:field--invalid=move || ventures_error.get().is_some()>
                    <legend>{t!(i18n, api_clients_joint_ventures_legend)}</legend>
                    <Show when=move || ventures_error.get().is_some()>
                        <p class="field__error">{move || ventures_error.get()}</p>
                    </Show>
                    {ventures.into_iter().map(|(id, name)| {
                        let input_id = format!("client-jv-{id}");
                        let label_for = input_id.clone();
                        view! {
                            <label for=label_for>
                                <input type="checkbox" id=input_id name=format!("client[joint_ventures][{id}]") value="true" />
                                " " {name}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <fieldset class="field checkboxes checkboxes--columns" class:field--invalid=move || scopes_error.get().is_some()>
                    <legend>{t!(i18n, api_clients_scopes_legend)}</legend>
                    <Show when=move || scopes_error.get().is_some()>
                        <p class="field__error">{move || scopes_error.get()}</p>
                    </Show>
                    {ApiScope::ALL.iter().map(|s| {
                        let input_id = format!("client-scope-{}", s.as_str().replace(':', "-"));
                        let label_for = input_id.clone();
                        view! {
                            <label for=label_for>
                                <input type="checkbox" id=input_id name=format!("client[scopes][{}]", s.as_str()) value="true" />
                                " " <code>{s.as_str()}</code>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <Field name="client[valid_days]" label=move || t_string!(i18n, api_clients_valid_days).to_string()
                    kind="number" autocomplete="off" error=error("valid_days") value="90" />
                <Field name="client[rate_per_minute]" label=move || t_string!(i18n, api_clients_rate).to_string()
                    kind="number" autocomplete="off" error=error("rate_per_minute") value="600" />
                <button type="submit" class="button button--primary">{t!(i18n, api_clients_create)}</button>
            </ActionForm>
        </section>
    }
}
