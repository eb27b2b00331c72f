//! Account administration: queries and rules behind `/admin/users`, and the one-time
//! set-password links. Callers have passed `authorize::require` already; the rules here are the
//! ones that hold for every administrator (no lock-out of oneself, no duplicate user names).

use super::{
    audit::{self, Actor, Event, Outcome},
    auth::client_address,
    entity::{organisation, session, set_password_link, user_account, user_role},
    password,
};
use crate::{
    auth::SignedInUser,
    domain::Role,
    error::AppError,
    i18n::*,
    language::request_locale,
    users::{OrganisationOption, SecondFactorState, UserDetail, UserRow, ValidUser},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::{Expr, Func},
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// How long a set-password link stays valid.
pub const LINK_VALID_HOURS: i64 = 72;
const ISSUED_LINK_KEY: &str = "issued_set_password_link";

fn username_taken() -> AppError {
    AppError::invalid("username", td_string!(request_locale(), err_username_taken))
}

fn link_invalid() -> AppError {
    AppError::Refused(td_string!(request_locale(), set_password_invalid).to_owned())
}

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "user administration failed");
    AppError::Unavailable
}

fn second_factor_state(account: &user_account::Model) -> SecondFactorState {
    match (&account.totp_secret, account.second_factor_required) {
        (Some(_), _) => SecondFactorState::Enrolled,
        (None, true) => SecondFactorState::Pending,
        (None, false) => SecondFactorState::Off,
    }
}

async fn roles_of(
    db: &impl ConnectionTrait,
    user_ids: Vec<i32>,
) -> Result<HashMap<i32, Vec<Role>>, AppError> {
    let mut roles: HashMap<i32, Vec<Role>> = HashMap::new();
    for row in user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(user_ids))
        .all(db)
        .await
        .map_err(unexpected)?
    {
        if let Ok(role) = row.role.parse::<Role>() {
            roles.entry(row.user_id).or_default().push(role);
        }
    }
    for list in roles.values_mut() {
        list.sort();
    }
    Ok(roles)
}

async fn organisation_names(db: &impl ConnectionTrait) -> Result<HashMap<i32, String>, AppError> {
    Ok(organisation::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|org| (org.id, org.name))
        .collect())
}

/// Accounts whose user name or name contains `search` (any case), optionally only active or
/// only deactivated ones, by user name.
pub async fn list(
    db: &DatabaseConnection,
    search: &str,
    status: &str,
) -> Result<Vec<UserRow>, AppError> {
    let mut query = user_account::Entity::find().order_by_asc(user_account::Column::Username);
    let search = search.trim().to_lowercase();
    if !search.is_empty() {
        let pattern = format!("%{search}%");
        let lower = |column: user_account::Column| Expr::expr(Func::lower(Expr::col(column)));
        query = query.filter(
            Condition::any()
                .add(lower(user_account::Column::Username).like(pattern.clone()))
                .add(lower(user_account::Column::DisplayName).like(pattern)),
        );
    }
    match status {
        "active" => query = query.filter(user_account::Column::Active.eq(true)),
        "inactive" => query = query.filter(user_account::Column::Active.eq(false)),
        "" => {}
        _ => {
            return Err(AppError::invalid(
                "status",
                td_string!(request_locale(), err_status_filter),
            ));
        }
    }
    let accounts = query.all(db).await.map_err(unexpected)?;
    let mut roles = roles_of(db, accounts.iter().map(|a| a.id).collect()).await?;
    let organisations = organisation_names(db).await?;
    Ok(accounts
        .into_iter()
        .map(|account| UserRow {
            id: account.id,
            second_factor: second_factor_state(&account),
            roles: roles.remove(&account.id).unwrap_or_default(),
            organisation: organisations
                .get(&account.organisation_id)
                .cloned()
                .unwrap_or_default(),
            username: account.username,
            display_name: account.display_name,
            active: account.active,
        })
        .collect())
}

async fn account(db: &impl ConnectionTrait, id: i32) -> Result<user_account::Model, AppError> {
    user_account::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(|| AppError::invalid("id", td_string!(request_locale(), err_no_such_user)))
}

/// The session's flash: the link issued for `id` just now, taken so that it shows once.
async fn take_issued_link(id: i32) -> Result<Option<String>, AppError> {
    let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await else {
        return Ok(None);
    };
    let issued: Option<(i32, String)> = session.get(ISSUED_LINK_KEY).await.map_err(unexpected)?;
    match issued {
        Some((user_id, link)) if user_id == id => {
            session
                .remove::<(i32, String)>(ISSUED_LINK_KEY)
                .await
                .map_err(unexpected)?;
            Ok(Some(link))
        }
        _ => Ok(None),
    }
}

pub async fn detail(db: &DatabaseConnection, id: i32) -> Result<UserDetail, AppError> {
    let account = account(db, id).await?;
    let roles = roles_of(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let organisation = organisation::Entity::find_by_id(account.organisation_id)
        .one(db)
        .await
        .map_err(unexpected)?
        .map(|org| org.name)
        .unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    let open_sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .filter(session::Column::ExpiresAt.gt(now))
        .count(db)
        .await
        .map_err(unexpected)?;
    let link_valid_until = set_password_link::Entity::find()
        .filter(set_password_link::Column::UserId.eq(id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .filter(set_password_link::Column::ExpiresAt.gt(super::utc_text(chrono::Utc::now())))
        .order_by_desc(set_password_link::Column::Id)
        .one(db)
        .await
        .map_err(unexpected)?
        .map(|link| link.expires_at);
    Ok(UserDetail {
        id,
        second_factor: second_factor_state(&account),
        password_set: account.password_hash.is_some(),
        username: account.username,
        display_name: account.display_name,
        email: account.email,
        organisation_id: account.organisation_id,
        organisation,
        roles,
        active: account.active,
        open_sessions,
        link_valid_until,
        issued_link: take_issued_link(id).await?,
    })
}

pub async fn organisation_options(
    db: &DatabaseConnection,
) -> Result<Vec<OrganisationOption>, AppError> {
    Ok(super::partnership_admin::organisations(db)
        .await?
        .into_iter()
        .map(|org| OrganisationOption {
            id: org.id,
            name: org.name,
        })
        .collect())
}

async fn check_organisation(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    match organisation::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
    {
        Some(_) => Ok(()),
        None => Err(AppError::invalid(
            "organisation_id",
            td_string!(request_locale(), err_organisation_choose),
        )),
    }
}

fn actor(admin: &SignedInUser) -> Actor {
    Actor::from(admin)
}

async fn record(
    txn: &DatabaseTransaction,
    admin: &SignedInUser,
    action: &'static str,
    user_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        txn,
        Event {
            actor: actor(admin),
            action,
            object_type: "user",
            object_id: user_id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(unexpected)
}

fn role_codes(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

async fn replace_roles(txn: &DatabaseTransaction, id: i32, roles: &[Role]) -> Result<(), AppError> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(id))
        .exec(txn)
        .await
        .map_err(unexpected)?;
    user_role::Entity::insert_many(roles.iter().map(|role| user_role::ActiveModel {
        user_id: Set(id),
        role: Set(role.as_str().to_owned()),
    }))
    .exec(txn)
    .await
    .map_err(unexpected)?;
    Ok(())
}

/// A new account without a password: the administrator issues a set-password link next.
pub async fn create(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    user: ValidUser,
) -> Result<i32, AppError> {
    check_organisation(db, user.organisation_id).await?;
    let taken = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(user.username.as_str()))
        .count(db)
        .await
        .map_err(unexpected)?;
    if taken > 0 {
        return Err(username_taken());
    }
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = user_account::ActiveModel {
        username: Set(user.username.clone()),
        display_name: Set(user.display_name),
        email: Set(user.email),
        organisation_id: Set(user.organisation_id),
        password_hash: Set(None),
        active: Set(true),
        second_factor_required: Set(user.roles.iter().any(|r| r.needs_second_factor())),
        created_at: Set(chrono::Utc::now().to_rfc3339()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two administrators choosing the same name at once: the unique index decides.
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => username_taken(),
        _ => unexpected(err),
    })?;
    replace_roles(&txn, saved.id, &user.roles).await?;
    record(
        &txn,
        admin,
        "create_user",
        saved.id,
        format!("{} with roles {}", user.username, role_codes(&user.roles)),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(saved.id)
}

pub async fn update(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: i32,
    user: ValidUser,
) -> Result<(), AppError> {
    let existing = account(db, id).await?;
    check_organisation(db, user.organisation_id).await?;
    if id == admin.id && !user.roles.contains(&Role::Admin) {
        return Err(AppError::invalid(
            "roles",
            td_string!(request_locale(), err_own_admin_role),
        ));
    }
    let before = roles_of(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let txn = db.begin().await.map_err(unexpected)?;
    let requires = user.roles.iter().any(|r| r.needs_second_factor());
    let mut active: user_account::ActiveModel = existing.into();
    active.display_name = Set(user.display_name);
    active.email = Set(user.email);
    active.organisation_id = Set(user.organisation_id);
    active.second_factor_required = Set(requires);
    active.update(&txn).await.map_err(unexpected)?;
    replace_roles(&txn, id, &user.roles).await?;
    let detail = if before == user.roles {
        "details".to_owned()
    } else {
        format!(
            "roles {} → {}",
            role_codes(&before),
            role_codes(&user.roles)
        )
    };
    record(&txn, admin, "update_user", id, detail).await?;
    txn.commit().await.map_err(unexpected)
}

/// Deactivating ends every session of the user and voids their unused set-password links.
/// Returns how many sessions were ended.
pub async fn set_active(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: i32,
    make_active: bool,
) -> Result<u64, AppError> {
    let existing = account(db, id).await?;
    if id == admin.id && !make_active {
        return Err(AppError::Refused(
            td_string!(request_locale(), err_own_account_deactivate).to_owned(),
        ));
    }
    if existing.active == make_active {
        return Ok(0);
    }
    let txn = db.begin().await.map_err(unexpected)?;
    let mut active: user_account::ActiveModel = existing.into();
    active.active = Set(make_active);
    active.update(&txn).await.map_err(unexpected)?;
    let mut ended = 0;
    if !make_active {
        ended = end_sessions(&txn, id).await?;
        void_links(&txn, id).await?;
    }
    let (action, detail) = if make_active {
        ("reactivate_user", String::new())
    } else {
        ("deactivate_user", format!("{ended} sessions ended"))
    };
    record(&txn, admin, action, id, detail).await?;
    txn.commit().await.map_err(unexpected)?;
    Ok(ended)
}

/// Ends every session of a user at once; returns how many there were.
async fn end_sessions(txn: &DatabaseTransaction, user_id: i32) -> Result<u64, AppError> {
    Ok(session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(txn)
        .await
        .map_err(unexpected)?
        .rows_affected)
}

async fn void_links(txn: &DatabaseTransaction, user_id: i32) -> Result<(), AppError> {
    set_password_link::Entity::delete_many()
        .filter(set_password_link::Column::UserId.eq(user_id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .exec(txn)
        .await
        .map_err(unexpected)?;
    Ok(())
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Where the administrator's browser reached Liaison, from the `Origin` of their (same-origin,
/// checked) form post, so the link works where it is pasted; a relative link otherwise.
fn own_origin() -> String {
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

/// Issues a new one-time link (voiding earlier unused ones) and puts it in the administrator's
/// session so that their next view of the user shows it once. Only its hash is stored.
pub async fn issue_link(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: i32,
) -> Result<(), AppError> {
    let target = account(db, id).await?;
    if !target.active {
        return Err(AppError::Refused(
            td_string!(request_locale(), err_reactivate_first).to_owned(),
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(unexpected)?;
    let token = hex::encode(bytes);
    let now = chrono::Utc::now();
    let expires_at = super::utc_text(now + chrono::Duration::hours(LINK_VALID_HOURS));
    let txn = db.begin().await.map_err(unexpected)?;
    void_links(&txn, id).await?;
    set_password_link::ActiveModel {
        user_id: Set(id),
        token_hash: Set(token_hash(&token)),
        issued_by: Set(admin.id),
        issued_at: Set(super::utc_text(now)),
        expires_at: Set(expires_at.clone()),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    record(
        &txn,
        admin,
        "issue_set_password_link",
        id,
        format!("valid until {expires_at}"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)?;
    let link = format!("{}/set-password?token={token}", own_origin());
    let session = leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(unexpected)?;
    session
        .insert(ISSUED_LINK_KEY, (id, link))
        .await
        .map_err(unexpected)
}

/// For a lost phone: the user enrols a new authenticator at their next sign-in.
pub async fn reset_second_factor(
    db: &DatabaseConnection,
    admin: &SignedInUser,
    id: i32,
) -> Result<(), AppError> {
    let existing = account(db, id).await?;
    let txn = db.begin().await.map_err(unexpected)?;
    let mut active: user_account::ActiveModel = existing.into();
    active.totp_secret = Set(None);
    active.totp_last_step = Set(None);
    active.update(&txn).await.map_err(unexpected)?;
    // Sessions signed in with the old factor end with it.
    end_sessions(&txn, id).await?;
    record(&txn, admin, "reset_second_factor", id, String::new()).await?;
    txn.commit().await.map_err(unexpected)
}

async fn valid_link(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<(set_password_link::Model, user_account::Model), AppError> {
    let invalid = link_invalid;
    if token.len() != 64 || !token.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid());
    }
    let link = set_password_link::Entity::find()
        .filter(set_password_link::Column::TokenHash.eq(token_hash(token)))
        .filter(set_password_link::Column::UsedAt.is_null())
        .filter(set_password_link::Column::ExpiresAt.gt(super::utc_text(chrono::Utc::now())))
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(invalid)?;
    let account = user_account::Entity::find_by_id(link.user_id)
        .filter(user_account::Column::Active.eq(true))
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or_else(invalid)?;
    Ok((link, account))
}

pub async fn link_owner(db: &DatabaseConnection, token: &str) -> Result<String, AppError> {
    valid_link(db, token)
        .await
        .map(|(_, account)| account.username)
}

/// Sets the password through a one-time link. The link is spent in the same transaction, and
/// every session of the account ends: whoever had it before no longer does.
pub async fn set_password(
    db: &DatabaseConnection,
    token: &str,
    new_password: String,
    repeat: String,
) -> Result<(), AppError> {
    let (link, account) = valid_link(db, token).await?;
    super::auth::check_new_password(&new_password, &repeat, &account.username)?;
    let hash = password::hash(new_password).await.map_err(unexpected)?;
    let txn = db.begin().await.map_err(unexpected)?;
    let spent = set_password_link::Entity::update_many()
        .col_expr(
            set_password_link::Column::UsedAt,
            Expr::value(super::utc_text(chrono::Utc::now())),
        )
        .filter(set_password_link::Column::Id.eq(link.id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if spent.rows_affected != 1 {
        txn.rollback().await.map_err(unexpected)?;
        return Err(link_invalid());
    }
    let user_id = account.id;
    let mut active: user_account::ActiveModel = account.clone().into();
    active.password_hash = Set(Some(hash));
    active.update(&txn).await.map_err(unexpected)?;
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
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}
