//! What the overlap use-cases share: the audit record, names, visible overlaps, shared identifiers.

use crate::access::{OverlapStanding, overlap_standing};
use crate::server::caller::Caller;
use crate::{domain::SubjectKind, error::AppError};
use crate::{
    server::audit, server::entity::operation, server::entity::overlap, server::entity::subject,
};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeSet, HashSet};

/// Case pairs (lower id first) known to share an identifier overlap: with one, a person
/// matched on name alone is corroborated.
pub(crate) type Sharing = HashSet<(i32, i32)>;

pub(crate) fn case_pair(a: i32, b: i32) -> (i32, i32) {
    (a.min(b), a.max(b))
}

pub(crate) fn identifier_overlaps() -> sea_orm::Select<overlap::Entity> {
    overlap::Entity::find()
        .filter(overlap::Column::Kind.eq(crate::domain::OverlapKind::Subject.as_str()))
        .filter(overlap::Column::MatchKind.ne(SubjectKind::Person.as_str()))
}

/// The pairs of `case_id` with any of `others` that share an identifier: one query per save.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn sharing_among(
    db: &impl ConnectionTrait,
    case_id: i32,
    others: BTreeSet<i32>,
) -> Result<Sharing, AppError> {
    if others.is_empty() {
        return Ok(Sharing::new());
    }
    let either = Condition::any()
        .add(
            Condition::all()
                .add(overlap::Column::FirstCaseId.eq(case_id))
                .add(overlap::Column::SecondCaseId.is_in(others.clone())),
        )
        .add(
            Condition::all()
                .add(overlap::Column::SecondCaseId.eq(case_id))
                .add(overlap::Column::FirstCaseId.is_in(others)),
        );
    sharing_where(db, either).await
}

/// The case pairs of the identifier overlaps that meet `condition`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn sharing_where(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Sharing, AppError> {
    Ok(identifier_overlaps()
        .filter(condition)
        .select_only()
        .column(overlap::Column::FirstCaseId)
        .column(overlap::Column::SecondCaseId)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(a, b)| case_pair(a, b))
        .collect())
}

pub(crate) fn involving(user: &Caller) -> Condition {
    Condition::any()
        .add(overlap::Column::FirstJointVentureId.is_in(user.coordinates.clone()))
        .add(overlap::Column::SecondJointVentureId.is_in(user.coordinates.clone()))
}

/// Records an action on an overlap.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    user: &Caller,
    action: &'static str,
    id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(db, user, action, "overlap", id, detail).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn find_visible(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<(overlap::Model, bool), AppError> {
    let found = overlap::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let first = visible(user, &found).ok_or(AppError::Forbidden)?;
    Ok((found, first))
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn item_text(
    db: &impl ConnectionTrait,
    kind: &str,
    id: i32,
) -> Result<String, AppError> {
    if kind == crate::domain::OverlapKind::Operation.as_str() {
        let op = operation::Entity::find_by_id(id).one(db).await?;
        Ok(op
            .map(|o| {
                format!(
                    "{} {}, {} – {}",
                    o.kind,
                    o.place,
                    o.starts_at.format("%Y-%m-%d %H:%M"),
                    o.ends_at.format("%H:%M")
                )
            })
            .unwrap_or_default())
    } else {
        Ok(subject::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.summary)
            .unwrap_or_default())
    }
}

/// Which side of the overlap the caller coordinates: `Some(true)` the first, `Some(false)` the
/// second, `None` neither (a manager's view is the oversight page's).
pub(crate) fn visible(user: &Caller, o: &overlap::Model) -> Option<bool> {
    match overlap_standing(user, o.first_joint_venture_id, o.second_joint_venture_id)? {
        OverlapStanding::Side(side) => Some(side == 1),
        OverlapStanding::Overseer => None,
    }
}
