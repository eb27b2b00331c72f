//! `/audit/provisions`: the provision register for auditors and privacy officers.

use crate::audit::api::get_provisions;
use crate::audit::provisions::{ProvisionFilter, ProvisionRegister};
use crate::overlaps::guide_pages::match_label;
use crate::ui::format::Moment;
use crate::ui::page::TableRegion;
use crate::{error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProvisionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = leptos_router::hooks::use_query_map();
    let filter = move || {
        query.with(|q| {
            let get = |key: &str| q.get(key).unwrap_or_default();
            ProvisionFilter {
                from: get("from"),
                to: get("to"),
                joint_venture: get("joint_venture"),
                case: get("case"),
            }
        })
    };
    let register = Resource::new(filter, get_provisions);
    let csv_link = move || {
        let f = filter();
        let encode = |v: &str| {
            percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        format!(
            "/api/provisions.csv?from={}&to={}&joint_venture={}&case={}",
            encode(&f.from),
            encode(&f.to),
            encode(&f.joint_venture),
            encode(&f.case)
        )
    };
    view! {
        <Title text=t_string!(i18n, provisions_title).to_string() />
        <h1>{t!(i18n, provisions_title)}</h1>
        <p>{t!(i18n, provisions_intro)}</p>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match register.await {
                    Ok(register) => view! {
                        <Filters register=register.clone() filter=filter() />
                        <p><a class="button" href=csv_link() download="">{t!(i18n, provisions_download)}</a></p>
                        <Register register />
                    }.into_any(),
                    Err(AppError::Invalid { field, message }) => view! {
                        <Filters register=ProvisionRegister::default() filter=filter() />
                        <p class="alert alert--error" role="alert">{field} ": " {message}</p>
                    }
                    .into_any(),
                    Err(AppError::SignInRequired) => view! {
                        <leptos_router::components::Redirect path="/sign-in?return_to=/audit/provisions" />
                    }
                    .into_any(),
                    Err(AppError::Forbidden) => view! {
                        <p class="alert alert--error" role="alert">{t!(i18n, provisions_forbidden)}</p>
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
fn Filters(register: ProvisionRegister, filter: ProvisionFilter) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action="/audit/provisions" class="filters" role="search">
            <div class="field">
                <label for="case">{t!(i18n, provisions_case)}</label>
                <input id="case" name="case" type="search" maxlength="100" value=filter.case.clone() />
            </div>
            <div class="field">
                <label for="joint_venture">{t!(i18n, provisions_joint_venture)}</label>
                <select id="joint_venture" name="joint_venture">
                    <option value="" selected=filter.joint_venture.is_empty()>{t!(i18n, provisions_all)}</option>
                    {register.joint_ventures.iter().map(|jv| view! {
                        <option value=jv.id selected=filter.joint_venture == jv.id.to_string()>{jv.name.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="from">{t!(i18n, audit_from)}</label>
                <input id="from" name="from" type="date" value=filter.from.clone() />
            </div>
            <div class="field">
                <label for="to">{t!(i18n, audit_to)}</label>
                <input id="to" name="to" type="date" value=filter.to.clone() />
            </div>
            <button type="submit" class="button">{t!(i18n, filter_button)}</button>
        </form>
    }
}

#[component]
fn Register(register: ProvisionRegister) -> impl IntoView {
    let i18n = use_i18n();
    if register.rows.is_empty() {
        return view! { <p role="status">{t!(i18n, provisions_none)}</p> }.into_any();
    }
    let count = register.rows.len();
    view! {
        <p role="status">{count} " " {t!(i18n, provisions_count)}</p>
        {register.truncated.then(|| view! { <p class="alert alert--warning">{t!(i18n, provisions_truncated)}</p> })}
        <TableRegion label=move || t_string!(i18n, provisions_title)>
            <table class="table">
                <caption class="visually-hidden">{t!(i18n, provisions_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, provisions_when)}</th>
                        <th scope="col">{t!(i18n, provisions_from)}</th>
                        <th scope="col">{t!(i18n, provisions_to)}</th>
                        <th scope="col">{t!(i18n, provisions_data)}</th>
                        <th scope="col">{t!(i18n, provisions_purpose)}</th>
                        <th scope="col">{t!(i18n, provisions_basis)}</th>
                        <th scope="col">{t!(i18n, provisions_consented)}</th>
                        <th scope="col">{t!(i18n, provisions_approved)}</th>
                        <th scope="col">{t!(i18n, provisions_deletion)}</th>
                    </tr>
                </thead>
                <tbody>
                    {register.rows.into_iter().map(|p| {
                        let from = if p.from_organisation.is_empty() {
                            p.from_joint_venture.clone()
                        } else {
                            format!("{} ({})", p.from_joint_venture, p.from_organisation)
                        };
                        let purpose = match p.purpose {
                            Some(_) if p.purpose_note.is_empty() => p.purpose_label.clone(),
                            Some(_) => format!("{} – {}", p.purpose_label, p.purpose_note),
                            None => t_string!(i18n, provisions_by_name).to_string(),
                        };
                        view! {
                            <tr>
                                <td><Moment at=p.disclosed_at /></td>
                                <td>{from}</td>
                                <td>{p.to_joint_venture}</td>
                                <td>
                                    <strong>{p.case_reference}</strong> ": "
                                    {t!(i18n, provisions_data_text)} " " {match_label(i18n, &p.data_kind).to_lowercase()}
                                </td>
                                <td>{purpose}</td>
                                <td>{p.legal_basis_label}</td>
                                <td>{p.consented_by}</td>
                                <td>{p.approved_by}</td>
                                <td>
                                    {p.deletion_requested.map(|at| view! { <Moment at /> })}
                                    {p.deletion_confirmed.map(|at| view! { " (" {t!(i18n, deletion_confirmed)} " " <Moment at /> ")" })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }.into_any()
}
