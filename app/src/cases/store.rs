//! What the case use-cases share: finding a case the caller may work on, names, the audit record.

use crate::server::caller::Caller;
use crate::{error::AppError, i18n::*, language::request_locale, partnerships::types::Named};
use crate::{server::audit, server::entity::case, server::entity::joint_venture};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

/// Records an action on a case.
pub(crate) async fn record(
    db: &impl sea_orm::TransactionTrait,
    user: &Caller,
    action: &'static str,
    case_id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(db, user, action, "case", case_id, detail).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn names(db: &impl ConnectionTrait, ids: &[i32]) -> Result<Vec<Named>, AppError> {
    Ok(joint_venture::Entity::find()
        .filter(joint_venture::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(joint_venture::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|v| Named {
            id: v.id,
            name: v.name,
        })
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn find(db: &impl ConnectionTrait, id: i32) -> Result<case::Model, AppError> {
    case::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::invalid("id", td_string!(request_locale(), err_no_such_case)))
}

/// The case `id` if `user` may work on it; an unknown case and another joint venture's case
/// are refused alike, so the answer does not tell which cases exist.
#[tracing::instrument(level = "error", skip_all)]
pub async fn find_for(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<case::Model, AppError> {
    use crate::{access::Action, access::Object, access::require};
    let found = find(db, id).await.map_err(|_| AppError::Forbidden)?;
    require(
        user,
        Action::Manage,
        Object::JointVentureWork(found.joint_venture_id),
    )?;
    Ok(found)
}

/// For a server function working on case `id`: the signed-in user, the database, and the case
/// if they may work on it.
#[tracing::instrument(level = "error", skip_all)]
pub async fn at_work(id: i32) -> Result<(DatabaseConnection, Caller, case::Model), AppError> {
    let user = crate::server::caller::require_user().await?;
    let db = crate::server::db()?;
    let case = find_for(&db, &user, id).await?;
    Ok((db, user, case))
}

/// After a change to a case: back to its page (with `query`), and the answer.
pub fn landed(result: Result<(), AppError>, case_id: i32, query: &str) -> Result<(), AppError> {
    if result.is_ok() {
        crate::server::land(&format!("/cases/{case_id}"), query);
    }
    crate::server::respond(result)
}

/// Removes one row of `E` (a subject or an operation, as `kind` says) that belongs to `case`,
/// audited. A row of another case is refused as not there. What its case disclosed of it in an
/// overlap goes with it.
#[tracing::instrument(level = "error", skip_all)]
pub async fn remove_from<E: EntityTrait>(
    db: &DatabaseConnection,
    user: &Caller,
    case: &case::Model,
    (id_column, case_column): (E::Column, E::Column),
    id: i32,
    kind: crate::domain::OverlapKind,
    not_there: AppError,
) -> Result<(), AppError> {
    let action = match kind {
        crate::domain::OverlapKind::Subject => "remove_subject",
        crate::domain::OverlapKind::Operation => "remove_operation",
    };
    let txn = crate::server::begin_write(db).await?;
    let removed = E::delete_many()
        .filter(id_column.eq(id))
        .filter(case_column.eq(case.id))
        .exec(&txn)
        .await?;
    if removed.rows_affected != 1 {
        return Err(not_there);
    }
    crate::overlaps::store::forget_item(&txn, kind, id).await?;
    record(&txn, user, action, case.id, format!("{id}")).await?;
    txn.commit().await.map_err(AppError::from)
}
