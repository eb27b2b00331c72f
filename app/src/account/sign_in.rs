//! Signing in with a second factor, enrolling one, signing out.

use crate::server::caller::{
    SIGNED_IN_AT_KEY, client_address, current_user, now_secs, session, signed_in_user,
};
use crate::server::{
    audit::{self, Actor, Event, Outcome},
    db,
    entity::user_account,
    password, second_factor,
    session_store::USER_ID_KEY,
};
use crate::{access::SignedInUser, error::AppError, i18n::*, language::request_locale};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};
use tower_sessions::Session;

/// Between a correct password and a correct second factor: who, since when, and (while
/// enrolling) the secret being set up. Nobody is signed in yet.
pub(crate) const PENDING_USER_KEY: &str = "pending_user_id";

pub(crate) const PENDING_SINCE_KEY: &str = "pending_since";

pub(crate) const PENDING_SECRET_KEY: &str = "pending_totp_secret";

/// How long the second step may take after the password was accepted.
pub(crate) const PENDING_SECONDS: i64 = 5 * 60;

/// The same words for an unknown user, a wrong password and a deactivated account.
pub(crate) fn sign_in_failed() -> AppError {
    AppError::Refused(td_string!(request_locale(), sign_in_failed).to_owned())
}

pub(crate) fn pending_expired() -> AppError {
    AppError::Refused(td_string!(request_locale(), second_factor_expired).to_owned())
}

/// Records an event about a user account in the audit trail, inside `txn`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn record_user_event(
    txn: &sea_orm::DatabaseTransaction,
    actor: Actor,
    action: &'static str,
    user: String,
    outcome: Outcome,
) -> Result<(), AppError> {
    record_user_detail(txn, actor, action, user, outcome, String::new()).await
}

/// [`record_user_event`] with a detail (how many sessions a change ended, say).
pub(crate) async fn record_user_detail(
    txn: &sea_orm::DatabaseTransaction,
    actor: Actor,
    action: &'static str,
    user: String,
    outcome: Outcome,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        txn,
        Event {
            actor,
            action,
            object_type: "user",
            object_id: user,
            outcome,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(AppError::from)
}

pub(crate) fn actor_of(user: &SignedInUser) -> Actor {
    Actor::from(user)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn sign_in(username: &str, password_input: String) -> Result<SignInStep, AppError> {
    let username = username.trim();
    if username.is_empty() {
        return Err(AppError::invalid(
            "username",
            td_string!(request_locale(), err_enter_username),
        ));
    }
    if password_input.is_empty() {
        return Err(AppError::invalid(
            "password",
            td_string!(request_locale(), err_enter_password),
        ));
    }
    let db = db()?;
    let address = client_address();
    if let Some(wait) = throttled(&db, username, &address).await? {
        return Err(AppError::TooManyAttempts(wait.as_secs().max(1)));
    }
    let account = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(&db)
        .await?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = password::verify(password_input, stored).await;
    let active = account.as_ref().is_some_and(|a| a.active);

    let txn = crate::server::begin_write(&db).await?;
    let Some(account) = account.filter(|_| matches && active) else {
        record_user_event(
            &txn,
            Actor {
                user_id: None,
                name: username.to_owned(),
                organisation_id: None,
            },
            "sign_in",
            username.to_owned(),
            Outcome::Failure,
        )
        .await?;
        txn.commit().await?;
        return Err(sign_in_failed());
    };
    if account.totp_secret.is_some() || account.second_factor_required {
        // The failed attempts were recorded above; success is recorded after the second step.
        txn.commit().await?;
        let step = if account.totp_secret.is_some() {
            SignInStep::SecondFactor
        } else {
            SignInStep::Enrol
        };
        let session = session().await?;
        session.cycle_id().await?;
        session.insert(PENDING_USER_KEY, account.id).await?;
        session.insert(PENDING_SINCE_KEY, now_secs()).await?;
        return Ok(step);
    }
    finish_sign_in(&db, txn, account, &[]).await?;
    Ok(SignInStep::Complete)
}

/// Where a correct password leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInStep {
    Complete,
    /// Enter the code of the enrolled authenticator.
    SecondFactor,
    /// A second factor is required and none is enrolled yet.
    Enrol,
}

/// Records `actions` and the sign-in in `txn`, commits, and signs the account in.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn finish_sign_in(
    db: &DatabaseConnection,
    txn: sea_orm::DatabaseTransaction,
    account: user_account::Model,
    actions: &[&'static str],
) -> Result<SignedInUser, AppError> {
    let user = signed_in_user(db, account).await?;
    for action in actions.iter().copied().chain(["sign_in"]) {
        record_user_event(
            &txn,
            actor_of(&user),
            action,
            user.id.to_string(),
            Outcome::Success,
        )
        .await?;
    }
    txn.commit().await?;
    complete_sign_in(&user).await?;
    Ok(user)
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn complete_sign_in(user: &SignedInUser) -> Result<(), AppError> {
    // A new session id at sign-in: an id planted before sign-in is worth nothing after it.
    let session = session().await?;
    session.cycle_id().await?;
    for key in [PENDING_USER_KEY, PENDING_SINCE_KEY, PENDING_SECRET_KEY] {
        session.remove::<serde_json::Value>(key).await?;
    }
    session.insert(USER_ID_KEY, user.id).await?;
    session.insert(SIGNED_IN_AT_KEY, now_secs()).await?;
    Ok(())
}

/// The account between password and second factor, if that step has not timed out.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn pending_account(session: &Session) -> Result<user_account::Model, AppError> {
    let expired = pending_expired;
    let user_id = session
        .get::<i32>(PENDING_USER_KEY)
        .await?
        .ok_or_else(expired)?;
    let since = session.get::<i64>(PENDING_SINCE_KEY).await?.unwrap_or(0);
    if now_secs() - since > PENDING_SECONDS {
        session.flush().await?;
        return Err(expired());
    }
    user_account::Entity::find_by_id(user_id)
        .filter(user_account::Column::Active.eq(true))
        .one(&db()?)
        .await?
        .ok_or_else(expired)
}

pub(crate) fn code_error(problem: second_factor::CodeProblem) -> AppError {
    use second_factor::CodeProblem::*;
    let locale = request_locale();
    AppError::invalid(
        "code",
        match problem {
            Malformed => td_string!(locale, err_code_malformed),
            Wrong => td_string!(locale, err_code_wrong),
            Used => td_string!(locale, err_code_used),
        },
    )
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn record_code_failure(
    account: &user_account::Model,
    problem: second_factor::CodeProblem,
) -> Result<(), AppError> {
    let txn = crate::server::begin_write(&db()?).await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(account),
            action: "sign_in",
            object_type: "user",
            object_id: account.username.clone(),
            outcome: Outcome::Failure,
            client_address: client_address(),
            detail: format!("second factor: {problem:?}").to_lowercase(),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Throttling, then the code: the step it belongs to, or the refusal (wrong and reused codes
/// count as failed sign-ins; a malformed one is only a typing slip).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn check_code(
    db: &DatabaseConnection,
    account: &user_account::Model,
    secret: &str,
    last_step: Option<i64>,
    code: &str,
) -> Result<i64, AppError> {
    if let Some(wait) = throttled(db, &account.username, &client_address()).await? {
        return Err(AppError::TooManyAttempts(wait.as_secs().max(1)));
    }
    match second_factor::verify(secret, code, last_step, now_unsigned()) {
        Ok(step) => Ok(step),
        Err(second_factor::CodeProblem::Malformed) => {
            Err(code_error(second_factor::CodeProblem::Malformed))
        }
        Err(problem) => {
            record_code_failure(account, problem).await?;
            Err(code_error(problem))
        }
    }
}

/// The second step of sign-in: the code of the enrolled authenticator, used once.
#[tracing::instrument(level = "error", skip_all)]
pub async fn second_factor(code: &str) -> Result<SignedInUser, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    let Some(secret) = account.totp_secret.clone() else {
        return Err(pending_expired());
    };
    let db = db()?;
    let step = check_code(&db, &account, &secret, account.totp_last_step, code).await?;
    let txn = crate::server::begin_write(&db).await?;
    // The one-time rule holds under concurrency: only one request can move the step forward.
    let moved = user_account::Entity::update_many()
        .col_expr(user_account::Column::TotpLastStep, Expr::value(step))
        .filter(user_account::Column::Id.eq(account.id))
        .filter(
            Condition::any()
                .add(user_account::Column::TotpLastStep.is_null())
                .add(user_account::Column::TotpLastStep.lt(step)),
        )
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        record_code_failure(&account, second_factor::CodeProblem::Used).await?;
        return Err(code_error(second_factor::CodeProblem::Used));
    }
    finish_sign_in(&db, txn, account, &[]).await
}

/// What the enrolment page shows: the secret being set up, as a QR code and as text.
#[tracing::instrument(level = "error", skip_all)]
pub async fn enrolment() -> Result<crate::account::types::Enrolment, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    if account.totp_secret.is_some() {
        return Err(pending_expired());
    }
    let secret = match session.get::<String>(PENDING_SECRET_KEY).await? {
        Some(secret) => secret,
        None => {
            let secret = second_factor::new_secret();
            session.insert(PENDING_SECRET_KEY, secret.clone()).await?;
            secret
        }
    };
    let uri = second_factor::provisioning_uri(&secret, &account.username).ok_or_else(|| {
        AppError::failed("building the enrolment address")("no provisioning address")
    })?;
    let qr_svg = second_factor::qr_svg(&uri)
        .ok_or_else(|| AppError::failed("drawing the enrolment QR code")("no QR code"))?;
    Ok(crate::account::types::Enrolment {
        username: account.username,
        secret,
        qr_svg,
    })
}

/// Completes enrolment with a first code from the new authenticator, and signs in.
#[tracing::instrument(level = "error", skip_all)]
pub async fn confirm_enrolment(code: &str) -> Result<SignedInUser, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    let secret = session
        .get::<String>(PENDING_SECRET_KEY)
        .await?
        .ok_or_else(pending_expired)?;
    let db = db()?;
    let step = check_code(&db, &account, &secret, None, code).await?;
    let txn = crate::server::begin_write(&db).await?;
    let saved = user_account::Entity::update_many()
        .col_expr(user_account::Column::TotpSecret, Expr::value(secret))
        .col_expr(user_account::Column::TotpLastStep, Expr::value(step))
        .filter(user_account::Column::Id.eq(account.id))
        .filter(user_account::Column::TotpSecret.is_null())
        .exec(&txn)
        .await?;
    if saved.rows_affected != 1 {
        txn.rollback().await?;
        return Err(pending_expired());
    }
    finish_sign_in(&db, txn, account, &["enrol_second_factor"]).await
}

pub(crate) fn now_unsigned() -> u64 {
    u64::try_from(now_secs()).unwrap_or(0)
}

/// The audited actions whose failures are password (or code) guesses: a failed sign-in, and a
/// wrong current password when changing it. They count together, per user name and address.
pub(crate) const PASSWORD_GUESSES: [&str; 2] = ["sign_in", "change_password"];

/// Failed sign-ins and password changes in the throttle window, by typed user name or by
/// address: how long the caller must still wait, if at all.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn throttled(
    db: &DatabaseConnection,
    username: &str,
    address: &str,
) -> Result<Option<std::time::Duration>, AppError> {
    use crate::server::{entity::audit_event, throttle};
    use sea_orm::{PaginatorTrait, QueryOrder};

    let now = chrono::Utc::now();
    let since = crate::server::utc_text(
        now - chrono::Duration::from_std(throttle::WINDOW).unwrap_or_default(),
    );
    let failures = |column: audit_event::Column, value: String| {
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.is_in(PASSWORD_GUESSES))
            .filter(audit_event::Column::Result.eq(audit::Outcome::Failure.as_str()))
            .filter(audit_event::Column::OccurredAt.gte(since.clone()))
            .filter(column.eq(value))
    };
    let mut longest = None;
    for (column, value, threshold) in [
        (
            audit_event::Column::ActorName,
            username.to_owned(),
            throttle::PER_ACCOUNT,
        ),
        (
            audit_event::Column::ClientAddress,
            address.to_owned(),
            throttle::PER_ADDRESS,
        ),
    ] {
        let count = failures(column, value.clone()).count(db).await?;
        if count < threshold {
            continue;
        }
        let latest = failures(column, value)
            .order_by_desc(audit_event::Column::Id)
            .one(db)
            .await?;
        let since_last = latest
            .and_then(|event| chrono::DateTime::parse_from_rfc3339(&event.occurred_at).ok())
            .and_then(|at| (now - at.with_timezone(&chrono::Utc)).to_std().ok())
            .unwrap_or_default();
        longest = longest.max(throttle::wait(count, threshold, since_last));
    }
    Ok(longest)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn sign_out() -> Result<(), AppError> {
    let user = current_user().await?;
    let session = session().await?;
    if let Some(user) = user {
        let db = db()?;
        let txn = crate::server::begin_write(&db).await?;
        record_user_event(
            &txn,
            actor_of(&user),
            "sign_out",
            user.id.to_string(),
            Outcome::Success,
        )
        .await?;
        txn.commit().await?;
    }
    session.flush().await.map_err(AppError::from)
}
