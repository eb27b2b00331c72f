//! The audit trail page for auditors: the newest events and whether the chain is intact.

use crate::{error::AppError, i18n::*};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub result: String,
    pub client_address: String,
    pub detail: String,
}

/// The audit page's filter, as typed into its (GET) form. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Part of the actor's user name.
    pub actor: String,
    pub action: String,
    /// `success`, `failure` or `refused`.
    pub result: String,
    /// First and last day (UTC), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTrail {
    pub rows: Vec<AuditRow>,
    /// `None` when intact; otherwise what verification found.
    pub broken: Option<String>,
    pub events: u64,
}

/// How many of the newest events the page shows.
pub const PAGE_SIZE: u64 = 100;

#[server(endpoint = "audit_trail")]
pub async fn get_audit_trail(
    #[server(default)] filter: AuditFilter,
) -> Result<AuditTrail, AppError> {
    use crate::authorize::{Action, Object, require};
    use crate::language::request_locale;
    use crate::server::{
        audit::{self, Verification},
        auth::require_user,
        db,
        entity::audit_event,
    };
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

    fn day(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
        let value = value.trim();
        if value.is_empty() {
            return Ok(None);
        }
        chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::invalid(field, td_string!(request_locale(), err_date_format)))
    }

    let result = async {
        let user = require_user().await?;
        require(&user, Action::Read, Object::AuditTrail)?;
        require(&user, Action::Verify, Object::AuditTrail)?;
        let db = db()?;
        let unexpected = |err: sea_orm::DbErr| {
            tracing::error!(error = %err, "reading the audit trail failed");
            AppError::Unavailable
        };
        let mut query = audit_event::Entity::find();
        let actor = filter.actor.trim();
        if !actor.is_empty() {
            query = query.filter(audit_event::Column::ActorName.contains(actor));
        }
        let action = filter.action.trim();
        if !action.is_empty() {
            query = query.filter(audit_event::Column::Action.eq(action));
        }
        match filter.result.as_str() {
            "" => {}
            "success" | "failure" | "refused" => {
                query = query.filter(audit_event::Column::Result.eq(filter.result.as_str()));
            }
            _ => {
                return Err(AppError::invalid(
                    "result",
                    td_string!(request_locale(), err_result_filter),
                ));
            }
        }
        let (from, to) = (day("from", &filter.from)?, day("to", &filter.to)?);
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(AppError::invalid(
                "to",
                td_string!(request_locale(), err_to_before_from),
            ));
        }
        // Times are stored as fixed-format UTC text, so text order is time order.
        if let Some(from) = from {
            query = query.filter(audit_event::Column::OccurredAt.gte(format!("{from}T00:00:00")));
        }
        if let Some(to) = to.and_then(|to| to.succ_opt()) {
            query = query.filter(audit_event::Column::OccurredAt.lt(format!("{to}T00:00:00")));
        }
        let rows = query
            .order_by_desc(audit_event::Column::Id)
            .limit(PAGE_SIZE)
            .all(&db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|e| AuditRow {
                id: e.id,
                occurred_at: e.occurred_at,
                actor: e.actor_name,
                action: e.action,
                object: format!("{} {}", e.object_type, e.object_id),
                result: e.result,
                client_address: e.client_address,
                detail: e.detail,
            })
            .collect();
        let (broken, events) = match audit::verify(&db).await.map_err(unexpected)? {
            Verification::Intact { events, .. } => (None, events),
            Verification::Broken { event_id, reason } => (
                Some(match event_id {
                    Some(id) => format!("event {id}: {reason}"),
                    None => reason,
                }),
                0,
            ),
        };
        Ok(AuditTrail {
            rows,
            broken,
            events,
        })
    }
    .await;
    crate::server::respond(result)
}

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
        <Title text=move || t_string!(i18n, audit_title).to_string() />
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
fn Trail(trail: AuditTrail) -> impl IntoView {
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
