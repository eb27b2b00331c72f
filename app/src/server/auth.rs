//! Who is calling: the session's user, signing in and out, changing one's password.
//! Every server function that needs a user starts with [`require_user`].

use super::{
    audit::{self, Actor, Event, Outcome},
    db,
    entity::{organisation, user_account, user_role},
    password, second_factor,
    session_store::USER_ID_KEY,
};
use crate::{auth::SignedInUser, domain::Role, error::AppError, i18n::*, language::request_locale};
use leptos::prelude::*;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseConnection, EntityTrait,
    QueryFilter, TransactionTrait, sea_query::Expr,
};
use std::time::Duration;
use tower_sessions::Session;

const SIGNED_IN_AT_KEY: &str = "signed_in_at";
/// Between a correct password and a correct second factor: who, since when, and (while
/// enrolling) the secret being set up. Nobody is signed in yet.
const PENDING_USER_KEY: &str = "pending_user_id";
const PENDING_SINCE_KEY: &str = "pending_since";
const PENDING_SECRET_KEY: &str = "pending_totp_secret";
/// How long the second step may take after the password was accepted.
const PENDING_SECONDS: i64 = 5 * 60;
/// The same words for an unknown user, a wrong password and a deactivated account.
fn sign_in_failed() -> AppError {
    AppError::Refused(td_string!(request_locale(), sign_in_failed).to_owned())
}

fn pending_expired() -> AppError {
    AppError::Refused(td_string!(request_locale(), second_factor_expired).to_owned())
}

/// Session limits, put into the request context by the server.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            absolute: Duration::from_secs(10 * 60 * 60),
        }
    }
}

async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|err| {
        tracing::error!(error = %err, "no session layer");
        AppError::Unavailable
    })
}

/// The caller's address for the audit trail, as the connection reports it.
pub fn client_address() -> String {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "unexpected failure");
    AppError::Unavailable
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn load_user(db: &DatabaseConnection, id: i32) -> Result<Option<SignedInUser>, AppError> {
    let account = user_account::Entity::find_by_id(id)
        .filter(user_account::Column::Active.eq(true))
        .one(db)
        .await
        .map_err(unexpected)?;
    match account {
        Some(account) => signed_in_user(db, account).await.map(Some),
        None => Ok(None),
    }
}

/// The account with its roles and organisation name.
async fn signed_in_user(
    db: &DatabaseConnection,
    user: user_account::Model,
) -> Result<SignedInUser, AppError> {
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user.id))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .filter_map(|row| row.role.parse::<Role>().ok())
        .collect();
    let organisation = organisation::Entity::find_by_id(user.organisation_id)
        .one(db)
        .await
        .map_err(unexpected)?
        .map(|org| org.name)
        .unwrap_or_default();
    let (coordinates, oversees) = super::partnerships::assignments_of(db, user.id).await?;
    Ok(SignedInUser {
        coordinates,
        oversees,
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        organisation_id: user.organisation_id,
        organisation,
        roles,
    })
}

/// Who the request is from, looked up once per request: a page asks for the user in its header
/// and again in each of its server functions. The server puts an empty one into every
/// request's context; sign-in and sign-out never read it after changing the session.
#[derive(Debug, Clone, Default)]
pub struct RequestUser(std::sync::Arc<tokio::sync::OnceCell<Option<SignedInUser>>>);

/// The signed-in user, or `None`. A session past its absolute lifetime, or of a user who was
/// deactivated, is ended here.
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    match use_context::<RequestUser>() {
        Some(cached) => cached.0.get_or_try_init(load_current_user).await.cloned(),
        None => load_current_user().await,
    }
}

async fn load_current_user() -> Result<Option<SignedInUser>, AppError> {
    let session = session().await?;
    let Some(user_id) = session.get::<i32>(USER_ID_KEY).await.map_err(unexpected)? else {
        return Ok(None);
    };
    let policy = use_context::<SessionPolicy>().unwrap_or_default();
    let signed_in_at = session
        .get::<i64>(SIGNED_IN_AT_KEY)
        .await
        .map_err(unexpected)?
        .unwrap_or(0);
    let age = u64::try_from(now_secs() - signed_in_at).unwrap_or(u64::MAX);
    if age > policy.absolute.as_secs() {
        session.flush().await.map_err(unexpected)?;
        return Ok(None);
    }
    let user = load_user(&db()?, user_id).await?;
    if user.is_none() {
        session.flush().await.map_err(unexpected)?;
    }
    Ok(user)
}

pub async fn require_user() -> Result<SignedInUser, AppError> {
    current_user().await?.ok_or(AppError::SignInRequired)
}

/// Records an event about a user account in the audit trail, inside `txn`.
async fn record_user_event(
    txn: &sea_orm::DatabaseTransaction,
    actor: Actor,
    action: &'static str,
    user: String,
    outcome: Outcome,
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
            detail: String::new(),
        },
    )
    .await
    .map_err(unexpected)
}

fn actor_of(user: &SignedInUser) -> Actor {
    Actor::from(user)
}

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
        .await
        .map_err(unexpected)?;
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = password::verify(password_input, stored).await;
    let active = account.as_ref().is_some_and(|a| a.active);

    let txn = db.begin().await.map_err(unexpected)?;
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
        txn.commit().await.map_err(unexpected)?;
        return Err(sign_in_failed());
    };
    if account.totp_secret.is_some() || account.second_factor_required {
        // The failed attempts were recorded above; success is recorded after the second step.
        txn.commit().await.map_err(unexpected)?;
        let step = if account.totp_secret.is_some() {
            SignInStep::SecondFactor
        } else {
            SignInStep::Enrol
        };
        let session = session().await?;
        session.cycle_id().await.map_err(unexpected)?;
        session
            .insert(PENDING_USER_KEY, account.id)
            .await
            .map_err(unexpected)?;
        session
            .insert(PENDING_SINCE_KEY, now_secs())
            .await
            .map_err(unexpected)?;
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
async fn finish_sign_in(
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
    txn.commit().await.map_err(unexpected)?;
    complete_sign_in(&user).await?;
    Ok(user)
}

async fn complete_sign_in(user: &SignedInUser) -> Result<(), AppError> {
    // A new session id at sign-in: an id planted before sign-in is worth nothing after it.
    let session = session().await?;
    session.cycle_id().await.map_err(unexpected)?;
    for key in [PENDING_USER_KEY, PENDING_SINCE_KEY, PENDING_SECRET_KEY] {
        session
            .remove::<serde_json::Value>(key)
            .await
            .map_err(unexpected)?;
    }
    session
        .insert(USER_ID_KEY, user.id)
        .await
        .map_err(unexpected)?;
    session
        .insert(SIGNED_IN_AT_KEY, now_secs())
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// The account between password and second factor, if that step has not timed out.
async fn pending_account(session: &Session) -> Result<user_account::Model, AppError> {
    let expired = pending_expired;
    let user_id = session
        .get::<i32>(PENDING_USER_KEY)
        .await
        .map_err(unexpected)?
        .ok_or_else(expired)?;
    let since = session
        .get::<i64>(PENDING_SINCE_KEY)
        .await
        .map_err(unexpected)?
        .unwrap_or(0);
    if now_secs() - since > PENDING_SECONDS {
        session.flush().await.map_err(unexpected)?;
        return Err(expired());
    }
    user_account::Entity::find_by_id(user_id)
        .filter(user_account::Column::Active.eq(true))
        .one(&db()?)
        .await
        .map_err(unexpected)?
        .ok_or_else(expired)
}

fn code_error(problem: second_factor::CodeProblem) -> AppError {
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

async fn record_code_failure(
    account: &user_account::Model,
    problem: second_factor::CodeProblem,
) -> Result<(), AppError> {
    let txn = db()?.begin().await.map_err(unexpected)?;
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
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}

/// Throttling, then the code: the step it belongs to, or the refusal (wrong and reused codes
/// count as failed sign-ins; a malformed one is only a typing slip).
async fn check_code(
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
pub async fn second_factor(code: &str) -> Result<SignedInUser, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    let Some(secret) = account.totp_secret.clone() else {
        return Err(pending_expired());
    };
    let db = db()?;
    let step = check_code(&db, &account, &secret, account.totp_last_step, code).await?;
    let txn = db.begin().await.map_err(unexpected)?;
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
        .await
        .map_err(unexpected)?;
    if moved.rows_affected != 1 {
        txn.rollback().await.map_err(unexpected)?;
        record_code_failure(&account, second_factor::CodeProblem::Used).await?;
        return Err(code_error(second_factor::CodeProblem::Used));
    }
    finish_sign_in(&db, txn, account, &[]).await
}

/// What the enrolment page shows: the secret being set up, as a QR code and as text.
pub async fn enrolment() -> Result<crate::auth::Enrolment, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    if account.totp_secret.is_some() {
        return Err(pending_expired());
    }
    let secret = match session
        .get::<String>(PENDING_SECRET_KEY)
        .await
        .map_err(unexpected)?
    {
        Some(secret) => secret,
        None => {
            let secret = second_factor::new_secret();
            session
                .insert(PENDING_SECRET_KEY, secret.clone())
                .await
                .map_err(unexpected)?;
            secret
        }
    };
    let uri = second_factor::provisioning_uri(&secret, &account.username)
        .ok_or_else(|| unexpected("no provisioning address"))?;
    let qr_svg = second_factor::qr_svg(&uri).ok_or_else(|| unexpected("no QR code"))?;
    Ok(crate::auth::Enrolment {
        username: account.username,
        secret,
        qr_svg,
    })
}

/// Completes enrolment with a first code from the new authenticator, and signs in.
pub async fn confirm_enrolment(code: &str) -> Result<SignedInUser, AppError> {
    let session = session().await?;
    let account = pending_account(&session).await?;
    let secret = session
        .get::<String>(PENDING_SECRET_KEY)
        .await
        .map_err(unexpected)?
        .ok_or_else(pending_expired)?;
    let db = db()?;
    let step = check_code(&db, &account, &secret, None, code).await?;
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = user_account::Entity::update_many()
        .col_expr(user_account::Column::TotpSecret, Expr::value(secret))
        .col_expr(user_account::Column::TotpLastStep, Expr::value(step))
        .filter(user_account::Column::Id.eq(account.id))
        .filter(user_account::Column::TotpSecret.is_null())
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if saved.rows_affected != 1 {
        txn.rollback().await.map_err(unexpected)?;
        return Err(pending_expired());
    }
    finish_sign_in(&db, txn, account, &["enrol_second_factor"]).await
}

fn now_unsigned() -> u64 {
    u64::try_from(now_secs()).unwrap_or(0)
}

/// Failed sign-ins in the throttle window, by typed user name or by address.
async fn throttled(
    db: &DatabaseConnection,
    username: &str,
    address: &str,
) -> Result<Option<std::time::Duration>, AppError> {
    use super::{entity::audit_event, throttle};
    use sea_orm::{PaginatorTrait, QueryOrder};

    let now = chrono::Utc::now();
    let since =
        super::utc_text(now - chrono::Duration::from_std(throttle::WINDOW).unwrap_or_default());
    let failures = |column: audit_event::Column, value: String| {
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("sign_in"))
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
        let count = failures(column, value.clone())
            .count(db)
            .await
            .map_err(unexpected)?;
        if count < threshold {
            continue;
        }
        let latest = failures(column, value)
            .order_by_desc(audit_event::Column::Id)
            .one(db)
            .await
            .map_err(unexpected)?;
        let since_last = latest
            .and_then(|event| chrono::DateTime::parse_from_rfc3339(&event.occurred_at).ok())
            .and_then(|at| (now - at.with_timezone(&chrono::Utc)).to_std().ok())
            .unwrap_or_default();
        longest = longest.max(throttle::wait(count, threshold, since_last));
    }
    Ok(longest)
}

pub async fn sign_out() -> Result<(), AppError> {
    let user = current_user().await?;
    let session = session().await?;
    if let Some(user) = user {
        let db = db()?;
        let txn = db.begin().await.map_err(unexpected)?;
        record_user_event(
            &txn,
            actor_of(&user),
            "sign_out",
            user.id.to_string(),
            Outcome::Success,
        )
        .await?;
        txn.commit().await.map_err(unexpected)?;
    }
    session.flush().await.map_err(unexpected)
}

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

pub async fn change_password(current: String, new: String, repeat: String) -> Result<(), AppError> {
    let user = require_user().await?;
    check_new_password(&new, &repeat, &user.username)?;
    let db = db()?;
    let account = user_account::Entity::find_by_id(user.id)
        .one(&db)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::SignInRequired)?;
    if !password::verify(current, account.password_hash.clone()).await {
        return Err(AppError::invalid(
            "current_password",
            td_string!(request_locale(), err_current_password_wrong),
        ));
    }
    let hash = password::hash(new).await.map_err(unexpected)?;
    let txn = db.begin().await.map_err(unexpected)?;
    let mut active: user_account::ActiveModel = account.into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await.map_err(unexpected)?;
    record_user_event(
        &txn,
        actor_of(&user),
        "change_password",
        user.id.to_string(),
        Outcome::Success,
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(())
}
