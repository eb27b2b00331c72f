//! Job leases: one instance at a time runs a background job.

use crate::error::AppError;
use crate::server::entity::job_lease;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};

/// Takes the named lease until `now + seconds` if it is free or ours. Works the same on SQLite
/// and PostgreSQL: the row exists once (primary key), and only one conditional update wins.
#[tracing::instrument(level = "error", skip_all)]
pub async fn take_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    seconds: i64,
) -> Result<bool, AppError> {
    let until = crate::server::utc_text(now + chrono::Duration::seconds(seconds));
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        until: Set(crate::server::utc_text(now)),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec(db)
    .await?;
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::Until, Expr::value(until))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::Until.lte(crate::server::utc_text(now)))
                .add(job_lease::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn release_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
) -> Result<(), AppError> {
    hold_until(db, name, holder, Utc::now() - chrono::Duration::seconds(1)).await
}

/// Keeps the named lease until `until` after a job's run: no other instance runs it before
/// then (its holder, ticking once a period, may).
pub async fn hold_until(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    until: DateTime<Utc>,
) -> Result<(), AppError> {
    job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Until,
            Expr::value(crate::server::utc_text(until)),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

/// After a job's run: keeps the lease until `kept_until` (a scheduled run that succeeded, so
/// that it runs once per period across instances) or hands it back at once (`None`).
pub async fn finish_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    kept_until: Option<DateTime<Utc>>,
) -> Result<(), AppError> {
    match kept_until {
        Some(until) => hold_until(db, name, holder, until).await,
        None => release_lease(db, name, holder).await,
    }
}

/// Gives up every lease `holder` holds, at once: an instance that shuts down leaves its jobs
/// to the others without making them wait for the leases to run out.
pub async fn release_all(db: &DatabaseConnection, holder: &str) -> Result<u64, AppError> {
    let released = job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Until,
            Expr::value(crate::server::utc_text(
                Utc::now() - chrono::Duration::seconds(1),
            )),
        )
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(released.rows_affected)
}

/// A name for this process as a lease holder.
pub fn holder_name() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    format!("{}-{}", std::process::id(), hex::encode(bytes))
}
