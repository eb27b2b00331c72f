//! Auditors: the newest events of the audit trail, filtered, and whether its hash chain holds.

use crate::server::caller::Caller;
use crate::{
    access::{Action, Object, require},
    audit::types::{AuditFilter, AuditRow, AuditTrail, PAGE_SIZE},
    error::AppError,
    i18n::*,
    language::request_locale,
    server::{
        audit::{self, Verification},
        entity::audit_event,
        time::{dutch_day_start, local_moment},
    },
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

fn day(field: &str, value: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    crate::domain::dates::parse_day(value)
        .map(Some)
        .ok_or_else(|| AppError::invalid(field, td_string!(request_locale(), err_date_format)))
}

/// A filter's first and last day (`from`, `to`; empty for none), the last not before the first.
pub(crate) fn period(
    locale: crate::i18n::Locale,
    from: &str,
    to: &str,
) -> Result<(Option<chrono::NaiveDate>, Option<chrono::NaiveDate>), AppError> {
    let (from, to) = (day("from", from)?, day("to", to)?);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(AppError::invalid(
            "to",
            td_string!(locale, err_to_before_from),
        ));
    }
    Ok((from, to))
}

/// The newest events matching `filter` (at most a page), and the chain's verification.
#[tracing::instrument(level = "error", skip_all)]
pub async fn trail(
    db: &DatabaseConnection,
    user: &Caller,
    filter: &AuditFilter,
) -> Result<AuditTrail, AppError> {
    require(user, Action::Read, Object::AuditTrail)?;
    require(user, Action::Verify, Object::AuditTrail)?;
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
        code => match code.parse::<audit::Outcome>().ok() {
            Some(outcome) => {
                query = query.filter(audit_event::Column::Result.eq(outcome.as_str()));
            }
            None => {
                return Err(AppError::invalid(
                    "result",
                    td_string!(user.locale, err_result_filter),
                ));
            }
        },
    }
    let (from, to) = period(user.locale, &filter.from, &filter.to)?;
    // The days are Dutch days, as the page shows the times. Times are stored as fixed-format
    // UTC text, so text order is time order.
    if let Some(from) = from {
        query = query.filter(audit_event::Column::OccurredAt.gte(dutch_day_start(from)));
    }
    if let Some(to) = to.and_then(|to| to.succ_opt()) {
        query = query.filter(audit_event::Column::OccurredAt.lt(dutch_day_start(to)));
    }
    let rows = query
        .order_by_desc(audit_event::Column::Id)
        .limit(PAGE_SIZE)
        .all(db)
        .await?
        .into_iter()
        .map(AuditRow::from)
        .collect();
    let (broken, events) = match audit::verify(db).await? {
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

impl From<audit_event::Model> for AuditRow {
    fn from(e: audit_event::Model) -> Self {
        AuditRow {
            id: e.id,
            occurred_at: local_moment(&e.occurred_at),
            actor: e.actor_name,
            detail: crate::audit::detail::read(&e.action, &e.detail),
            action: e.action,
            object_type: e.object_type,
            object_id: e.object_id,
            result: e.result,
            client_address: e.client_address,
        }
    }
}
