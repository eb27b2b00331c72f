//! What managing the partnerships shares: field checks and the audit record.

use crate::server::audit;
use crate::server::caller::Caller;
use crate::{error::AppError, i18n::*, language::request_locale};
use chrono::NaiveDate;
use sea_orm::DatabaseTransaction;

pub(crate) fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    crate::domain::dates::parse_day(value)
        .ok_or_else(|| AppError::invalid(field, td_string!(request_locale(), err_date_format)))
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

/// Records an administrator's change to the partnerships.
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    admin: &Caller,
    action: &'static str,
    object_type: &'static str,
    object_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(txn, admin, action, object_type, object_id, detail).await
}

/// A unique index refusing a duplicate becomes a message on the field.
pub(crate) fn duplicate_or(field: &'static str) -> impl Fn(sea_orm::DbErr) -> AppError {
    AppError::unique_or(
        field,
        td_string!(request_locale(), err_duplicate_name).to_owned(),
    )
}
