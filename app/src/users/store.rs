//! What the user use-cases share: reading an account, ending its sessions and links, the audit record.

use crate::server::caller::Caller;
use crate::{error::AppError, i18n::*, language::request_locale};
use crate::{server::audit, server::entity::set_password_link, server::entity::user_account};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, ExprTrait, QueryFilter,
};

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn account(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<user_account::Model, AppError> {
    // An API client's account is not a person's: it is managed on `/admin/api-clients`, and
    // no role, password or link can be given to it here.
    user_account::Entity::find_by_id(id)
        .filter(
            user_account::Column::Username
                .starts_with(crate::api_clients::manage::ACCOUNT_PREFIX)
                .not(),
        )
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("id", td_string!(request_locale(), err_no_such_user)))
}

/// Records an administrator's action on a user account.
pub(crate) async fn record(
    txn: &DatabaseTransaction,
    admin: &Caller,
    action: &'static str,
    user_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(txn, admin, action, "user", user_id, detail).await
}

/// Ends every session of a user at once; returns how many there were.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn end_sessions(txn: &DatabaseTransaction, user_id: i32) -> Result<u64, AppError> {
    Ok(crate::server::session_store::end_other_sessions(txn, user_id, None).await?)
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn void_links(txn: &DatabaseTransaction, user_id: i32) -> Result<(), AppError> {
    set_password_link::Entity::delete_many()
        .filter(set_password_link::Column::UserId.eq(user_id))
        .filter(set_password_link::Column::UsedAt.is_null())
        .exec(txn)
        .await?;
    Ok(())
}
