//! Components.

use crate::audit::api::get_audit_trail;
use crate::audit::types::{AuditFilter, AuditTrail};
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |key: &str| q.get(key).unwrap_or_default();
            AuditFilter {
                actor: get("actor"),
                action: get("action"),
                result: get("result"),
                from: get("from"),
                to: get("to"),
            }
        })
    };
    let trail = Resource::new(filter, get_audit_trail);
    view! {
        <Title text=t_string!(i18n, audit_title).to_string() />
        <h1>{t!(i18n, audit_title)}</h1>
        <form method="get" action="/audit" class="filters" role="search">
            <div class="field">
                <label for="actor">{t!(i18n, audit_actor)}</label>
                <input id="actor" name="actor" type="search" value=move || filter().actor />
            </div>
            <div class="field">
                <label for="action">{t!(i18n, audit_action)}</label>
                <input id="action" name="action" type="search" value=move || filter().action />
            </div>
            <div class="field">
                <label for="result">{t!(i18n, audit_result)}</label>
                <select id="result" name="result">
                    {["", "success", "failure", "refused"].into_iter().map(|code| view! {
                        <option value=code selected=move || filter().result == code>
                            {if code.is_empty() { t_string!(i18n, users_status_all).to_string() } else { code.to_owned() }}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="from">{t!(i18n, audit_from)}</label>
                <input id="from" name="from" type="date" value=move || filter().from />
            </div>
            <div class="field">
                <label for="to">{t!(i18n, audit_to)}</label>
                <input id="to" name="to" type="date" value=move || filter().to />
            </div>
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match trail.await {
                    Ok(trail) => view! { <Trail trail /> }.into_any(),
                    Err(AppError::Invalid { field, message }) => view! {
                        <p class="alert alert--error" role="alert">{field} ": " {message}</p>
                    }
                    .into_any(),
                    Err(AppError::SignInRequired) => {
                        view! { <leptos_router::components::Redirect path="/sign-in?return_to=/audit" /> }
                            .into_any()
                    }
                    Err(AppError::Forbidden) => view! {
                        <p class="alert alert--error" role="alert">{t!(i18n, audit_forbidden)}</p>
                    }
                    .into_any(),
                    Err(_) => view! {
                        <p class="alert alert--warning" role="alert">{t!(i18n, overview_unavailable)}</p>
                    }
                    .into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(crate) fn Trail(trail: AuditTrail) -> impl IntoView {
    let i18n = use_i18n();
    let events = trail.events;
    view! {
        {match trail.broken {
            None => view! {
                <p class="alert alert--success" role="status">
                    {t!(i18n, audit_intact, events = move || events)}
                </p>
            }
            .into_any(),
            Some(reason) => view! {
                <p class="alert alert--error" role="alert">{t!(i18n, audit_broken)} " " {reason}</p>
            }
            .into_any(),
        }}
        <table class="table">
            <caption class="visually-hidden">{t!(i18n, audit_title)}</caption>
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">{t!(i18n, audit_time)}</th>
                    <th scope="col">{t!(i18n, audit_actor)}</th>
                    <th scope="col">{t!(i18n, audit_action)}</th>
                    <th scope="col">{t!(i18n, audit_object)}</th>
                    <th scope="col">{t!(i18n, audit_result)}</th>
                    <th scope="col">{t!(i18n, audit_address)}</th>
                    <th scope="col">{t!(i18n, audit_detail)}</th>
                </tr>
            </thead>
            <tbody>
                {trail
                    .rows
                    .into_iter()
                    .map(|row| view! {
                        <tr>
                            <td>{row.id}</td>
                            <td>{row.occurred_at}</td>
                            <td>{row.actor}</td>
                            <td>{row.action}</td>
                            <td>{row.object}</td>
                            <td>{row.result}</td>
                            <td>{row.client_address}</td>
                            <td>{row.detail}</td>
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
