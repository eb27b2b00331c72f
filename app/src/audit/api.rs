//! The server functions: check the caller, call a use-case, map the answer.

#[cfg(feature = "ssr")]
use crate::audit::types::AuditRow;
#[cfg(feature = "ssr")]
use crate::audit::types::PAGE_SIZE;
use crate::audit::types::{AuditFilter, AuditTrail};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;
use leptos::prelude::*;

#[server(endpoint = "audit_trail")]
pub async fn get_audit_trail(
    #[server(default)] filter: AuditFilter,
) -> Result<AuditTrail, AppError> {
    use crate::language::request_locale;
    use crate::{access::Action, access::Object, access::require};
    use crate::{
        server::audit, server::audit::Verification, server::caller::require_user, server::db,
        server::entity::audit_event,
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
        let _unexpected = |err: sea_orm::DbErr| {
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
            .await?
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
        let (broken, events) = match audit::verify(&db).await? {
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
