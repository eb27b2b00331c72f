//! Changing one's own password.

use crate::account::sign_in::{actor_of, record_user_event};
use crate::server::caller::require_user;
use crate::server::{audit::Outcome, db, entity::user_account, password};
use crate::{error::AppError, i18n::*, language::request_locale};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait, TransactionTrait};

/// A new password and its repetition, checked with the field to name when either is wrong.
pub fn check_new_password(new: &str, repeat: &str, username: &str) -> Result<(), AppError> {
    if new != repeat {
        return Err(AppError::invalid(
            "repeat",
            td_string!(request_locale(), err_repeat_mismatch),
        ));
    }
    password::check(new, username).map_err(|problem| {
        AppError::invalid("new_password", password::message(problem, request_locale()))
    })
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), AppError> {
    let user = require_user().await?;
    check_new_password(&new, &repeat, &user.username)?;
    let db = db()?;
    let account = user_account::Entity::find_by_id(user.id)
        .one(&db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    if !password::verify(current, account.password_hash.clone()).await {
        return Err(AppError::invalid(
            "current_password",
            td_string!(request_locale(), err_current_password_wrong),
        ));
    }
    let hash = password::hash(new)
        .await
        .map_err(AppError::failed("hashing the new password"))?;
    let txn = db.begin().await?;
    let mut active: user_account::ActiveModel = account.into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await?;
    record_user_event(
        &txn,
        actor_of(&user),
        "change_password",
        user.id.to_string(),
        Outcome::Success,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
