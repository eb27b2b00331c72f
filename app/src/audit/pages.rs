//! Components.

use crate::audit::api::get_audit_trail;
use crate::audit::types::{AuditDetail, AuditFilter, AuditTrail, Counted, DetailPart, Seen};
use crate::domain::{AuditAction, AuditOutcome};
use crate::ui::format::{self, Moment};
use crate::ui::labels::{
    audit_action_label, audit_object_label, audit_outcome_label, legal_basis_label,
    operation_kind_label, purpose_label, subject_kind_label,
};
use crate::ui::page::TableRegion;
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
                <select id="action" name="action">
                    <option value="" selected=move || filter().action.is_empty()>{t!(i18n, users_status_all)}</option>
                    {AuditAction::ALL.iter().map(|action| view! {
                        <option value=action.as_str() selected=move || filter().action == action.as_str()>
                            {audit_action_label(i18n, action.as_str())}
                        </option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="result">{t!(i18n, audit_result)}</label>
                <select id="result" name="result">
                    <option value="" selected=move || filter().result.is_empty()>{t!(i18n, users_status_all)}</option>
                    {AuditOutcome::ALL.iter().map(|outcome| view! {
                        <option value=outcome.as_str() selected=move || filter().result == outcome.as_str()>
                            {audit_outcome_label(i18n, *outcome)}
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
        <TableRegion label=move || t_string!(i18n, audit_title)>
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
                                <td><Moment at=row.occurred_at /></td>
                                <td>{row.actor}</td>
                                <td>{audit_action_label(i18n, &row.action)}</td>
                                <td>{object_text(i18n, &row.object_type, &row.object_id)}</td>
                                <td>{row.result.parse().map(|o| audit_outcome_label(i18n, o)).unwrap_or(row.result)}</td>
                                <td>{row.client_address}</td>
                                <td>{detail_text(i18n, &row.detail)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// The kind of thing in words and its id; a list's event names no single one (id 0).
fn object_text(i18n: leptos_i18n::I18nContext<Locale>, kind: &str, id: &str) -> String {
    let kind = audit_object_label(i18n, kind);
    if id.is_empty() || id == "0" {
        kind
    } else {
        format!("{kind} {id}")
    }
}

fn counted(i18n: leptos_i18n::I18nContext<Locale>, count: u64, of: Counted) -> &'static str {
    let one = count == 1;
    match (of, one) {
        (Counted::Cases, true) => t_string!(i18n, audit_detail_case),
        (Counted::Cases, false) => t_string!(i18n, audit_detail_cases),
        (Counted::Overlaps, true) => t_string!(i18n, audit_detail_overlap),
        (Counted::Overlaps, false) => t_string!(i18n, audit_detail_overlaps),
        (Counted::Subjects, true) => t_string!(i18n, audit_detail_subject),
        (Counted::Subjects, false) => t_string!(i18n, audit_detail_subjects),
        (Counted::Signals, true) => t_string!(i18n, audit_detail_signal),
        (Counted::Signals, false) => t_string!(i18n, audit_detail_signals),
        (Counted::Provisions, true) => t_string!(i18n, audit_detail_provision),
        (Counted::Provisions, false) => t_string!(i18n, audit_detail_provisions),
    }
}

/// An event's detail as a sentence in the reader's language: `5 van 12 zaken getoond`.
fn detail_text(i18n: leptos_i18n::I18nContext<Locale>, detail: &AuditDetail) -> String {
    match detail {
        AuditDetail::Shown {
            shown,
            total: Some(total),
            of,
        } => format!(
            "{shown} {} {total} {} {}",
            t_string!(i18n, audit_detail_of),
            counted(i18n, *total, *of),
            t_string!(i18n, audit_detail_shown)
        ),
        AuditDetail::Shown {
            shown,
            total: None,
            of,
        } => format!(
            "{shown} {} {}",
            counted(i18n, *shown, *of),
            t_string!(i18n, audit_detail_shown)
        ),
        AuditDetail::Count { count, of } => format!("{count} {}", counted(i18n, *count, *of)),
        AuditDetail::SessionsEnded { count, other } => {
            let sessions = if *count == 1 {
                t_string!(i18n, audit_detail_session)
            } else {
                t_string!(i18n, audit_detail_sessions)
            };
            let besides = if *other {
                format!("{} ", t_string!(i18n, audit_detail_besides))
            } else {
                String::new()
            };
            format!(
                "{count} {besides}{sessions} {}",
                t_string!(i18n, audit_detail_sessions_ended)
            )
        }
        AuditDetail::Seen(seen) => match seen {
            Seen::Disclosed => t_string!(i18n, audit_detail_seen_disclosed),
            Seen::Withdrawn => t_string!(i18n, audit_detail_seen_withdrawn),
            Seen::Pointer => t_string!(i18n, audit_detail_seen_pointer),
        }
        .to_owned(),
        AuditDetail::Operation { kind, id } => format!(
            "{} ({} {id})",
            operation_kind_label(i18n, *kind),
            t_string!(i18n, audit_detail_operation)
        ),
        AuditDetail::Subject { kind, id } => format!(
            "{} ({} {id})",
            subject_kind_label(i18n, *kind),
            t_string!(i18n, audit_detail_subject)
        ),
        AuditDetail::Grounds { purpose, basis } => format!(
            "{}: {}; {}: {}",
            t_string!(i18n, grounds_purpose),
            purpose_label(i18n, *purpose),
            t_string!(i18n, grounds_basis_label),
            legal_basis_label(i18n, *basis)
        ),
        AuditDetail::Text(parts) => parts
            .iter()
            .map(|part| match part {
                DetailPart::Text(text) => text.clone(),
                DetailPart::Moment(at) => format::moment(i18n, at),
            })
            .collect(),
    }
}
