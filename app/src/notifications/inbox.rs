//! One's own notifications.

use crate::notifications::send::link;
use crate::server::caller::Caller;
use crate::server::entity::notification;
use crate::{error::AppError, notifications::types::NotificationRow};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// The caller's notifications, newest first (the last 200).
#[tracing::instrument(level = "error", skip_all)]
pub async fn list(
    db: &DatabaseConnection,
    user: &Caller,
) -> Result<Vec<NotificationRow>, AppError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.id))
        .order_by_desc(notification::Column::Id)
        .limit(200)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|n| {
            Some(NotificationRow {
                id: n.id,
                kind: n.kind.parse().ok()?,
                link: link(user, &n),
                overlap_id: n.overlap_id,
                created_at: crate::server::time::local_moment(&n.created_at),
                read: n.read_at.is_some(),
            })
        })
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn unread(db: &DatabaseConnection, user: &Caller) -> Result<u64, AppError> {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user.id))
        .filter(notification::Column::ReadAt.is_null())
        .count(db)
        .await
        .map_err(AppError::from)
}

/// Marks one of the caller's notifications (or, with `None`, all of them) read. Another
/// user's notification is refused as if it did not exist.
#[tracing::instrument(level = "error", skip_all)]
pub async fn mark_read(
    db: &DatabaseConnection,
    user: &Caller,
    id: Option<i32>,
) -> Result<(), AppError> {
    let mut update = notification::Entity::update_many()
        .col_expr(
            notification::Column::ReadAt,
            sea_orm::sea_query::Expr::value(crate::server::utc_text(chrono::Utc::now())),
        )
        .filter(notification::Column::UserId.eq(user.id))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        let mine = notification::Entity::find_by_id(id)
            .filter(notification::Column::UserId.eq(user.id))
            .one(db)
            .await?;
        if mine.is_none() {
            return Err(AppError::Forbidden);
        }
        update = update.filter(notification::Column::Id.eq(id));
    }
    update.exec(db).await?;
    Ok(())
}
