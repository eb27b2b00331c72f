//! What managing the partnerships shares: field checks and the audit record.

use crate::{access::SignedInUser, error::AppError, i18n::*, language::request_locale};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::caller::client_address,
};
use chrono::NaiveDate;
use sea_orm::DatabaseTransaction;

pub(crate) fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, td_string!(request_locale(), err_date_format)))
}

pub(crate) fn optional_date(field: &str, value: &str) -> Result<Option<NaiveDate>, AppError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        date(field, value).map(Some)
    }
}

pub(crate) fn text(field: &str, value: &str, max: usize) -> Result<String, AppError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(AppError::invalid(
            field,
            td_string!(request_locale(), err_required),
        ));
    }
    if value.chars().count() > max {
        return Err(AppError::invalid(
            field,
            format!("{} {max}", td_string!(request_locale(), err_too_long)),
        ));
    }
    Ok(value.to_owned())
}

#[tracing::instrument(skip_all)]
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    admin: &SignedInUser,
    action: &'static str,
    object_type: &'static str,
    object_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        txn,
        Event {
            actor: Actor::from(admin),
            action,
            object_type,
            object_id: object_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(AppError::from)
}

/// A unique index refusing a duplicate becomes a message on the field.
pub(crate) fn duplicate_or(field: &'static str) -> impl Fn(sea_orm::DbErr) -> AppError {
    move |err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::invalid(field, td_string!(request_locale(), err_duplicate_name))
        }
        _ => err.into(),
    }
}
