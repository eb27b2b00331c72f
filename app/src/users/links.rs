//! Set-password links and second-factor resets.

use crate::server::caller::Caller;
use crate::users::store::record;
use crate::users::store::{end_sessions, void_links};
use crate::{error::AppError, i18n::*, language::request_locale};
use crate::{
    server::audit, server::audit::Actor, server::audit::Event, server::audit::Outcome,
    server::caller::client_address, server::entity::set_password_link,
    server::entity::user_account, server::password,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    DatabaseTransaction, EntityTrait, QueryFilter, sea_query::Expr,
};
use sha2::{Digest, Sha256};

/// How long a set-password link stays valid.
pub const LINK_VALID_HOURS: i64 = 72;

pub(crate) const ISSUED_LINK_KEY: &str = "issued_set_password_link";

pub(crate) fn link_invalid() -> AppError {
    AppError::Refused(td_string!(request_locale(), set_password_invalid).to_owned())
}

/// The session's flash: the link issued for `id` just now, taken so that it shows once.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn take_issued_link(id: i32) -> Result<Option<String>, AppError> {
    let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await else {
        return Ok(None);
    };
    let issued: Option<(i32, String)> = session.get(ISSUED_LINK_KEY).await?;
    match issued {
        Some((user_id, link)) if user_id == id => {
            session.remove::<(i32, String)>(ISSUED_LINK_KEY).await?;
            Ok(Some(link))
        }
        _ => Ok(None),
    }
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Where the administrator's browser reached Liaison, from the `Origin` of their (same-origin,
/// checked) form post, so the link works where it is pasted; a relative link otherwise.
pub(crate) fn own_origin() -> String {
    leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ORIGIN)
                .and_then(|origin| origin.to_str().ok())
                .filter(|origin| origin.starts_with("http://") || origin.starts_with("https://"))
                .map(str::to_owned)
        })
        .unwrap_or_default()
}

/// Voids the earlier unused links of `id`, stores the hash of a new one and records who issued
/// it (`how`: directly, or on whose approved request), inside the caller's transaction.
/// Returns the token: the only copy, to be shown once.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn insert_link(
    txn: &DatabaseTransaction,
    admin: &Caller,
    id: i32,
    how: &str,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::failed("drawing the link token"))?;
    let token = hex::encode(bytes);
    let now = chrono::Utc::now();
    let expires_at = crate::server::utc_text(now + chrono::Duration::hours(LINK_VALID_HOURS));
    void_links(txn, id).await?;
    set_password_link::ActiveModel {
        user_id: Set(id),
        token_hash: Set(token_hash(&token)),
        issued_by: Set(admin.id),
        issued_at: Set(crate::server::utc_text(now)),
        expires_at: Set(expires_at.clone()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    record(
        txn,
        admin,
        LINK_ACTION,
        id,
        format!("valid until {expires_at}{how}"),
    )
    .await?;
    Ok(token)
}

/// The audit action of issuing a link; also how `takeovers` tells who once held whose link.
pub(crate) const LINK_ACTION: &str = "issue_set_password_link";

/// Puts the link for `id` in the administrator's session, so that their next view of the user
/// shows it once.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn show_once(id: i32, token: &str) -> Result<(), AppError> {
    let link = format!("{}/set-password?token={token}", own_origin());
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(AppError::failed("reading the session"))?;
    session
        .insert(ISSUED_LINK_KEY, (id, link))
        .await
        .map_err(AppError::from)
}

/// For a lost phone: the user enrols a new authenticator at their next sign-in. Inside the
/// transaction of the approval that allowed it; `how` says whose request that was.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn clear_second_factor(
    txn: &DatabaseTransaction,
    admin: &Caller,
    existing: user_account::Model,
    how: String,
) -> Result<(), AppError> {
    let id = existing.id;
    let mut active: user_account::ActiveModel = existing.into();
    active.totp_secret = Set(None);
    active.totp_last_step = Set(None);
    active.update(txn).await?;
    // Sessions signed in with the old factor end with it.
    end_sessions(txn, id).await?;
    record(txn, admin, "reset_second_factor", id, how).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn valid_link(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<(set_password_link::Model, user_account::Model), AppError> {
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(link_invalid());
    }
    let link = set_password_link::Entity::find()
        .filter(set_password_link::Column::TokenHash.eq(token_hash(token)))
        .filter(set_password_link::Column::UsedAt.is_null())
        .filter(
            set_password_link::Column::ExpiresAt.gt(crate::server::utc_text(chrono::Utc::now())),
        )
        .one(db)
        .await?
        .ok_or_else(link_invalid)?;
    let account = user_account::Entity::find_by_id(link.user_id)
        .filter(user_account::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or_else(link_invalid)?;
    Ok((link, account))
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn link_owner(db: &DatabaseConnection, token: &str) -> Result<String, AppError> {
    valid_link(db, token)
        .await
        .map(|(_, account)| account.username)
}

/// Sets the password through a one-time link. The link is spent in the same transaction, and
/// every session of the account ends: whoever had it before no longer does.
#[tracing::instrument(level = "error", skip_all)]
pub async fn set_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: String,
    repeat: String,
) -> Result<(), AppError> {
    let (link, account) = valid_link(db, token).await?;
    crate::account::change_password::check_new_password(&new_password, &repeat, &account.username)?;
    let hash = password::hash(new_password)
        .await
        .map_err(AppError::failed("hashing the new password"))?;
    let txn = crate::server::begin_write(db).await?;
    let spent = set_password_link::Entity::update_many()
        .col_expr(
            set_password_link::Column::UsedAt,
            Expr::value(crate::server::utc_text(chrono::Utc::now())),
        )
        .filter(set_password_link::Column::Id.eq(link.id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    if spent.rows_affected != 1 {
        txn.rollback().await?;
        return Err(link_invalid());
    }
    let user_id = account.id;
    let mut active: user_account::ActiveModel = account.clone().into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await?;
    end_sessions(&txn, user_id).await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(&account),
            action: "set_password",
            object_type: "user",
            object_id: user_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail: format!("with the link issued at {}", link.issued_at),
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}
