//! After disclosure: the side that gave asks the other to delete what it received. What was
//! shared cannot be unshared, so the request does what Liaison can and records the rest:
//! Liaison's frozen copy of the giving side (the case's title and the matched item) is deleted
//! at once, so the other side — and its managers — read the pointer only from then on (the
//! case's reference stays for the provision register); the other side's coordinators are told
//! and confirm that their own copies went too. Both steps are on the overlap's timeline, in
//! the audit trail and in the provision register.

use crate::domain::{NotificationKind, OverlapStep};
use crate::notifications::send::{About, notify};
use crate::overlaps::store::{find_visible, frozen_side, record};
use crate::overlaps::types::DeletionView;
use crate::overlaps::workflow::Actor;
use crate::server::caller::Caller;
use crate::server::entity::{overlap, overlap_disclosure};
use crate::{error::AppError, i18n::*};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::collections::BTreeSet;

/// The longest reason for a request.
pub const MAX_REASON: usize = 1000;

/// The caller's side (1 or 2) of overlap `id`, locked for this transaction; refused to anyone
/// who is not a coordinator of either side.
async fn side_of(
    txn: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<(overlap::Model, i32), AppError> {
    crate::overlaps::steps::lock_overlap(txn, id).await?;
    let (o, _) = find_visible(txn, user, id).await?;
    match crate::overlaps::steps::actor(user, &o) {
        Some(Actor::Side(side)) => Ok((o, i32::from(side))),
        _ => Err(AppError::Forbidden),
    }
}

fn other(side: i32) -> i32 {
    3 - side
}

fn joint_venture(o: &overlap::Model, side: i32) -> i32 {
    if side == 1 {
        o.first_joint_venture_id
    } else {
        o.second_joint_venture_id
    }
}

async fn tell(
    txn: &impl ConnectionTrait,
    o: &overlap::Model,
    side: i32,
    kind: NotificationKind,
) -> Result<(), AppError> {
    let users: BTreeSet<i32> =
        crate::partnerships::store::coordinators_of(txn, joint_venture(o, side))
            .await?
            .into_iter()
            .collect();
    notify(
        txn,
        &users,
        kind,
        About::Overlap(o.id),
        &format!("{}:{}:{side}", kind.as_str(), o.id),
        &crate::settings::settings().mail,
    )
    .await
}

/// Asks the other side to delete what the caller's side gave it, with a reason.
#[tracing::instrument(level = "error", skip_all)]
pub async fn request(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
    reason: &str,
) -> Result<(), AppError> {
    let locale = user.locale;
    let reason = reason.trim();
    let txn = crate::server::begin_write(db).await?;
    let (o, side) = side_of(&txn, user, id).await?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            td_string!(locale, err_required),
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            format!("{} {MAX_REASON}", td_string!(locale, err_too_long)),
        ));
    }
    let frozen = match (
        o.disclosed_at.as_ref(),
        frozen_side(&txn, o.id, side).await?,
    ) {
        (Some(_), Some(frozen)) => frozen,
        _ => {
            return Err(AppError::Conflict(
                td_string!(locale, err_deletion_not_disclosed).to_owned(),
            ));
        }
    };
    if frozen.deletion_requested_at.is_some() {
        return Err(AppError::Conflict(
            td_string!(locale, err_deletion_already).to_owned(),
        ));
    }
    overlap_disclosure::Entity::update_many()
        .col_expr(
            overlap_disclosure::Column::CaseTitle,
            Expr::value(String::new()),
        )
        .col_expr(overlap_disclosure::Column::Item, Expr::value(String::new()))
        .col_expr(
            overlap_disclosure::Column::DeletionRequestedAt,
            Expr::value(crate::server::time::now()),
        )
        .col_expr(
            overlap_disclosure::Column::DeletionRequestedBy,
            Expr::value(user.id),
        )
        .col_expr(
            overlap_disclosure::Column::DeletionReason,
            Expr::value(reason.to_owned()),
        )
        .filter(overlap_disclosure::Column::OverlapId.eq(o.id))
        .filter(overlap_disclosure::Column::Side.eq(side))
        .exec(&txn)
        .await?;
    crate::overlaps::steps::add_event(
        &txn,
        o.id,
        Some(user.id),
        side,
        OverlapStep::RequestDeletion,
        None,
        Some(reason.to_owned()),
    )
    .await?;
    tell(&txn, &o, other(side), NotificationKind::DeletionRequested).await?;
    record(&txn, user, "request_deletion", o.id, format!("side {side}")).await?;
    txn.commit().await.map_err(AppError::from)
}

/// The side asked to delete confirms that its own copies went too.
#[tracing::instrument(level = "error", skip_all)]
pub async fn confirm(db: &DatabaseConnection, user: &Caller, id: i32) -> Result<(), AppError> {
    let txn = crate::server::begin_write(db).await?;
    let (o, side) = side_of(&txn, user, id).await?;
    let asked = frozen_side(&txn, o.id, other(side))
        .await?
        .filter(|f| f.deletion_requested_at.is_some() && f.deletion_confirmed_at.is_none());
    if asked.is_none() {
        return Err(AppError::Conflict(
            td_string!(user.locale, err_deletion_nothing).to_owned(),
        ));
    }
    overlap_disclosure::Entity::update_many()
        .col_expr(
            overlap_disclosure::Column::DeletionConfirmedAt,
            Expr::value(crate::server::time::now()),
        )
        .col_expr(
            overlap_disclosure::Column::DeletionConfirmedBy,
            Expr::value(user.id),
        )
        .filter(overlap_disclosure::Column::OverlapId.eq(o.id))
        .filter(overlap_disclosure::Column::Side.eq(other(side)))
        .exec(&txn)
        .await?;
    crate::overlaps::steps::add_event(
        &txn,
        o.id,
        Some(user.id),
        side,
        OverlapStep::ConfirmDeletion,
        None,
        None,
    )
    .await?;
    tell(&txn, &o, other(side), NotificationKind::DeletionConfirmed).await?;
    record(
        &txn,
        user,
        "confirm_deletion",
        o.id,
        format!("side {}", other(side)),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// For the overlap page: both sides' requests to delete, from the viewer's side's frozen copy
/// (`mine`, what it shared) and the other side's (`theirs`), and whether the viewer's side may
/// still ask (it shared, and has not asked yet).
pub fn of_overlap(
    mine: Option<&overlap_disclosure::Model>,
    theirs: Option<&overlap_disclosure::Model>,
) -> (Vec<DeletionView>, bool) {
    let deletions = [(mine, true), (theirs, false)]
        .into_iter()
        .filter_map(|(frozen, is_mine)| {
            let f = frozen?;
            Some(DeletionView {
                mine: is_mine,
                requested_at: crate::server::time::local_moment(
                    f.deletion_requested_at.as_deref()?,
                ),
                reason: f.deletion_reason.clone().unwrap_or_default(),
                confirmed_at: f
                    .deletion_confirmed_at
                    .as_deref()
                    .map(crate::server::time::local_moment),
            })
        })
        .collect();
    let may_request = mine.is_some_and(|f| f.deletion_requested_at.is_none());
    (deletions, may_request)
}
