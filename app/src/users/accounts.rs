//! Administrators: user accounts, their roles and organisation.

use crate::server::caller::Caller;
use crate::users::store::{account, record};
use crate::{
    domain::Role, error::AppError, i18n::*, language::request_locale,
    users::types::OrganisationOption, users::types::SecondFactorState, users::types::UserDetail,
    users::types::UserRow, users::types::ValidUser,
};
use crate::{
    server::entity::organisation, server::entity::session, server::entity::set_password_link,
    server::entity::user_account, server::entity::user_role,
};
use crate::{users::links::take_issued_link, users::store::end_sessions, users::store::void_links};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, Func},
};
use std::collections::HashMap;

pub(crate) fn username_taken() -> AppError {
    AppError::invalid("username", td_string!(request_locale(), err_username_taken))
}

pub(crate) fn second_factor_state(account: &user_account::Model) -> SecondFactorState {
    match (&account.totp_secret, account.second_factor_required) {
        (Some(_), _) => SecondFactorState::Enrolled,
        (None, true) => SecondFactorState::Pending,
        (None, false) => SecondFactorState::Off,
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn roles_of(
    db: &impl ConnectionTrait,
    user_ids: Vec<i32>,
) -> Result<HashMap<i32, Vec<Role>>, AppError> {
    let mut roles: HashMap<i32, Vec<Role>> = HashMap::new();
    for row in user_role::Entity::find()
        .filter(user_role::Column::UserId.is_in(user_ids))
        .all(db)
        .await?
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

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn organisation_names(
    db: &impl ConnectionTrait,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|org| (org.id, org.name))
        .collect())
}

/// Accounts whose user name or name contains `search` (any case), optionally only active or
/// only deactivated ones, by user name.
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    search: &str,
    status: &str,
) -> Result<Vec<UserRow>, AppError> {
    let mut query = user_account::Entity::find()
        .filter(
            user_account::Column::Username
                .starts_with(crate::api_clients::manage::ACCOUNT_PREFIX)
                .not(),
        )
        .order_by_asc(user_account::Column::Username);
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
    let accounts = query.all(db).await?;
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

#[tracing::instrument(level = "error", skip_all)]
pub async fn detail(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
) -> Result<UserDetail, AppError> {
    let account = account(db, id).await?;
    let roles = roles_of(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let organisation = organisation::Entity::find_by_id(account.organisation_id)
        .one(db)
        .await?
        .map(|org| org.name)
        .unwrap_or_default();
    let now = chrono::Utc::now().timestamp();
    let open_sessions = session::Entity::find()
        .filter(session::Column::UserId.eq(id))
        .filter(session::Column::ExpiresAt.gt(now))
        .count(db)
        .await?;
    let link_valid_until = set_password_link::Entity::find()
        .filter(set_password_link::Column::UserId.eq(id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .filter(
            set_password_link::Column::ExpiresAt.gt(crate::server::utc_text(chrono::Utc::now())),
        )
        .order_by_desc(set_password_link::Column::Id)
        .one(db)
        .await?
        .map(|link| crate::server::time::local_moment(&link.expires_at));
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
        takeovers: crate::users::takeovers::pending(db, admin, Some(id)).await?,
        takeover_possible: crate::users::takeovers::approver_exists(db, admin.id).await?,
    })
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn organisation_options(
    db: &DatabaseConnection,
) -> Result<Vec<OrganisationOption>, AppError> {
    Ok(crate::partnerships::organisations::organisations(db)
        .await?
        .into_iter()
        .map(|org| OrganisationOption {
            id: org.id,
            name: org.name,
        })
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn check_organisation(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    match organisation::Entity::find_by_id(id).one(db).await? {
        Some(_) => Ok(()),
        None => Err(AppError::invalid(
            "organisation_id",
            td_string!(request_locale(), err_organisation_choose),
        )),
    }
}

pub(crate) fn role_codes(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn replace_roles(
    txn: &DatabaseTransaction,
    id: i32,
    roles: &[Role],
) -> Result<(), AppError> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(id))
        .exec(txn)
        .await?;
    user_role::Entity::insert_many(roles.iter().map(|role| user_role::ActiveModel {
        user_id: Set(id),
        role: Set(role.as_str().to_owned()),
    }))
    .exec(txn)
    .await?;
    Ok(())
}

/// A new account without a password: the administrator issues a set-password link next.
#[tracing::instrument(level = "error", skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    admin: &Caller,
    user: ValidUser,
) -> Result<i32, AppError> {
    check_organisation(db, user.organisation_id).await?;
    separate_duties(admin, &user.roles)?;
    let taken = user_account::Entity::find()
        .filter(user_account::Column::Username.eq(user.username.as_str()))
        .count(db)
        .await?;
    if taken > 0 {
        return Err(username_taken());
    }
    let txn = crate::server::begin_write(db).await?;
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
        _ => err.into(),
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
    txn.commit().await?;
    Ok(saved.id)
}

/// Separation of duties: an administrator's account never coordinates nor manages.
fn separate_duties(admin: &Caller, roles: &[crate::domain::Role]) -> Result<(), AppError> {
    if crate::access::roles_compatible(roles) {
        Ok(())
    } else {
        Err(AppError::invalid(
            "roles",
            td_string!(admin.locale, err_admin_separation),
        ))
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
    user: ValidUser,
) -> Result<(), AppError> {
    let existing = account(db, id).await?;
    check_organisation(db, user.organisation_id).await?;
    let before = roles_of(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    if !crate::access::may_set_roles(admin, id, &before, &user.roles) {
        return Err(AppError::invalid(
            "roles",
            td_string!(admin.locale, err_own_roles),
        ));
    }
    separate_duties(admin, &user.roles)?;
    let txn = crate::server::begin_write(db).await?;
    let requires = user.roles.iter().any(|r| r.needs_second_factor());
    let mut active: user_account::ActiveModel = existing.into();
    active.display_name = Set(user.display_name);
    active.email = Set(user.email);
    active.organisation_id = Set(user.organisation_id);
    active.second_factor_required = Set(requires);
    active.update(&txn).await?;
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
    txn.commit().await.map_err(AppError::from)
}

/// Deactivating ends every session of the user and voids their unused set-password links.
/// Returns how many sessions were ended.
#[tracing::instrument(level = "error", skip_all)]
pub async fn set_active(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
    make_active: bool,
) -> Result<u64, AppError> {
    let existing = account(db, id).await?;
    if id == admin.id && !make_active {
        return Err(AppError::Refused(
            td_string!(admin.locale, err_own_account_deactivate).to_owned(),
        ));
    }
    if existing.active == make_active {
        return Ok(0);
    }
    let txn = crate::server::begin_write(db).await?;
    let mut active: user_account::ActiveModel = existing.into();
    active.active = Set(make_active);
    active.update(&txn).await?;
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
    txn.commit().await?;
    Ok(ended)
}
