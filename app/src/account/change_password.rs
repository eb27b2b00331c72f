//! Changing one's own password.

use crate::account::sign_in::{actor_of, record_user_detail, record_user_event, throttled};
use crate::server::caller::{client_address, require_user, session};
use crate::server::session_store::end_other_sessions;
use crate::server::{audit::Outcome, db, entity::user_account, password};
use crate::{error::AppError, i18n::*, language::request_locale};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};

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

/// A wrong current password is a password guess like a failed sign-in: recorded as a failure
/// and counted by the same throttle, so a session left open is no way to guess the password.
/// A new password ends every other session of the account (whoever had one no longer does) and
/// gives this one a new id; it stays signed in.
#[tracing::instrument(level = "error", skip_all)]
pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), AppError> {
    let user = require_user().await?;
    check_new_password(&new, &repeat, &user.username)?;
    let db = db()?;
    if let Some(wait) = throttled(&db, &user.username, &client_address()).await? {
        return Err(AppError::TooManyAttempts(wait.as_secs().max(1)));
    }
    let account = user_account::Entity::find_by_id(user.id)
        .one(&db)
        .await?
        .ok_or(AppError::SignInRequired)?;
    if !password::verify(current, account.password_hash.clone()).await {
        let txn = crate::server::begin_write(&db).await?;
        record_user_event(
            &txn,
            actor_of(&user),
            "change_password",
            user.id.to_string(),
            Outcome::Failure,
        )
        .await?;
        txn.commit().await?;
        return Err(AppError::invalid(
            "current_password",
            td_string!(request_locale(), err_current_password_wrong),
        ));
    }
    let hash = password::hash(new)
        .await
        .map_err(AppError::failed("hashing the new password"))?;
    let session = session().await?;
    let txn = crate::server::begin_write(&db).await?;
    let mut active: user_account::ActiveModel = account.into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await?;
    let ended = end_other_sessions(&txn, user.id, session.id()).await?;
    record_user_detail(
        &txn,
        actor_of(&user),
        "change_password",
        user.id.to_string(),
        Outcome::Success,
        format!("{ended} other sessions ended"),
    )
    .await?;
    txn.commit().await?;
    // The id this session had before the change is worth nothing after it.
    session.cycle_id().await?;
    Ok(())
}
