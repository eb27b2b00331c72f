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
pub async fn get_audit_trail() -> Result<AuditTrail, AppError> {
    use crate::domain::Role;
    use crate::server::{
        audit::{self, Verification},
        auth::require_user,
        db,
        entity::audit_event,
    };
    use sea_orm::{EntityTrait, QueryOrder, QuerySelect};

    let result = async {
        let user = require_user().await?;
        if !user.roles.contains(&Role::Auditor) {
            return Err(AppError::Forbidden);
        }
        let db = db()?;
        let unexpected = |err: sea_orm::DbErr| {
            tracing::error!(error = %err, "reading the audit trail failed");
            AppError::Unavailable
        };
        let rows = audit_event::Entity::find()
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
    let trail = Resource::new(|| (), |_| get_audit_trail());
    view! {
        <Title text=move || t_string!(i18n, audit_title).to_string() />
        <h1>{t!(i18n, audit_title)}</h1>
        <Suspense fallback=move || view! { <p role="status">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match trail.await {
                    Ok(trail) => view! { <Trail trail /> }.into_any(),
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
                        </tr>
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
