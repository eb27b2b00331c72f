//! Taking over an account needs two administrators: one asks, another decides.
//!
//! Resetting someone's second factor, or issuing a set-password link for an account that has a
//! password, lets whoever ends up with the link sign in as that person. So each is a request
//! that a different administrator approves (it takes effect then, in the same transaction) or
//! refuses with a reason; a request lapses after [`VALID_HOURS`]. An approved link is shown
//! once to the approver, never to the requester, and only its hash is stored: nobody gets
//! hold of it without both having acted. Every request, decision and refused attempt is in
//! the audit trail.
//!
//! The two must be independent as well as different: an administrator who once held a link
//! for the other's account (they issued it, directly or by approving it) may have kept it, and
//! a second account one person holds is no second pair of eyes. With no independent
//! administrator left, as in a deployment with a single one, no account can be taken over from
//! the web; `liaison-server create-admin` remains the way in.

use crate::server::audit::{self, Actor, Event, Outcome};
use crate::server::caller::Caller;
use crate::server::entity::{audit_event, takeover_approval, user_account, user_role};
use crate::server::time::now;
use crate::users::links::{LINK_ACTION, clear_second_factor, insert_link, show_once};
use crate::users::store::{account, record};
use crate::users::types::{TakeoverKind, TakeoverRequest};
use crate::{domain::Role, error::AppError, i18n::*};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};
use std::collections::{HashMap, HashSet};

/// How long a request waits for a decision.
pub const VALID_HOURS: i64 = 24;

const APPROVED: &str = "approved";
const REFUSED: &str = "refused";

/// The longest refusal reason kept.
const REASON_MAX_CHARS: usize = 500;

fn refused(message: &str) -> AppError {
    AppError::Refused(message.to_owned())
}

/// Who once held a set-password link for whose account, among some administrators: (holder,
/// account) pairs from the audit trail, read once for all the pairs a page or a decision asks.
struct LinksHeld(HashSet<(i32, i32)>);

impl LinksHeld {
    #[tracing::instrument(level = "error", skip_all)]
    async fn among(db: &impl ConnectionTrait, admins: &[i32]) -> Result<Self, AppError> {
        let held = audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq(LINK_ACTION))
            .filter(audit_event::Column::ObjectType.eq("user"))
            .filter(audit_event::Column::Result.eq(Outcome::Success.as_str()))
            .filter(audit_event::Column::ActorUserId.is_in(admins.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|e| Some((e.actor_user_id?, e.object_id.parse().ok()?)))
            .filter(|(_, of)| admins.contains(of))
            .collect();
        Ok(LinksHeld(held))
    }

    /// Whether administrators `a` and `b` are independent: neither ever held a set-password
    /// link for the other's account.
    fn independent(&self, a: i32, b: i32) -> bool {
        !self.0.contains(&(a, b)) && !self.0.contains(&(b, a))
    }
}

/// Whether some active administrator could decide a request of `requester`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn approver_exists(
    db: &impl ConnectionTrait,
    requester: i32,
) -> Result<bool, AppError> {
    let admins: Vec<i32> = user_role::Entity::find()
        .filter(user_role::Column::Role.eq(Role::Admin.as_str()))
        .filter(user_role::Column::UserId.ne(requester))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.user_id)
        .collect();
    let active: Vec<i32> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(admins))
        .filter(user_account::Column::Active.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|admin| admin.id)
        .collect();
    let everyone: Vec<i32> = active.iter().copied().chain([requester]).collect();
    let links = LinksHeld::among(db, &everyone).await?;
    Ok(active
        .iter()
        .any(|admin| links.independent(requester, *admin)))
}

/// The requests still waiting: for one account, or for all when `user_id` is `None`, oldest
/// first, each saying whether `admin` may decide it.
#[tracing::instrument(level = "error", skip_all)]
pub async fn pending(
    db: &DatabaseConnection,
    admin: &Caller,
    user_id: Option<i32>,
) -> Result<Vec<TakeoverRequest>, AppError> {
    let mut query = takeover_approval::Entity::find()
        .filter(takeover_approval::Column::Decision.is_null())
        .filter(takeover_approval::Column::ExpiresAt.gt(now()))
        .order_by_asc(takeover_approval::Column::Id);
    if let Some(id) = user_id {
        query = query.filter(takeover_approval::Column::UserId.eq(id));
    }
    let rows = query.all(db).await?;
    let mut ids: Vec<i32> = rows
        .iter()
        .flat_map(|row| [row.user_id, row.requested_by])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, String> = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|account| (account.id, account.username))
        .collect();
    let deciders: Vec<i32> = rows
        .iter()
        .map(|row| row.requested_by)
        .chain([admin.id])
        .collect();
    let links = LinksHeld::among(db, &deciders).await?;
    let mut requests = Vec::with_capacity(rows.len());
    for row in rows {
        let may_decide = crate::access::may_decide_takeover(admin, row.requested_by)
            && links.independent(admin.id, row.requested_by);
        requests.push(TakeoverRequest {
            id: row.id,
            user_id: row.user_id,
            username: names.get(&row.user_id).cloned().unwrap_or_default(),
            kind: row.kind.parse()?,
            requested_by: names.get(&row.requested_by).cloned().unwrap_or_default(),
            requested_at: crate::server::time::local_moment(&row.requested_at),
            expires_at: crate::server::time::local_moment(&row.expires_at),
            may_decide,
        });
    }
    Ok(requests)
}

/// Asks for `kind` on account `id`; it waits for another administrator. So does the first link
/// of a new account: an administrator who could create an account (a coordinator, another
/// administrator) and receive its link would reach case content, or a second pair of eyes of
/// their own, alone.
#[tracing::instrument(level = "error", skip_all)]
pub async fn request(
    db: &DatabaseConnection,
    admin: &Caller,
    id: i32,
    kind: TakeoverKind,
) -> Result<(), AppError> {
    let target = account(db, id).await?;
    if kind == TakeoverKind::SetPasswordLink && !target.active {
        return Err(refused(td_string!(admin.locale, err_reactivate_first)));
    }
    if !approver_exists(db, admin.id).await? {
        let detail = format!("{}: no other administrator can approve", kind.as_str());
        record_refused(db, admin, "request_takeover", id, detail).await?;
        return Err(refused(td_string!(admin.locale, err_takeover_no_approver)));
    }
    let now = chrono::Utc::now();
    let txn = crate::server::begin_write(db).await?;
    let waiting = takeover_approval::Entity::find()
        .filter(takeover_approval::Column::UserId.eq(id))
        .filter(takeover_approval::Column::Kind.eq(kind.as_str()))
        .filter(takeover_approval::Column::Decision.is_null())
        .filter(takeover_approval::Column::ExpiresAt.gt(crate::server::utc_text(now)))
        .count(&txn)
        .await?;
    if waiting > 0 {
        txn.rollback().await?;
        return Err(refused(td_string!(
            admin.locale,
            err_takeover_already_requested
        )));
    }
    let saved = takeover_approval::ActiveModel {
        user_id: Set(id),
        kind: Set(kind.as_str().to_owned()),
        requested_by: Set(admin.id),
        requested_at: Set(crate::server::utc_text(now)),
        expires_at: Set(crate::server::utc_text(
            now + chrono::Duration::hours(VALID_HOURS),
        )),
        decision: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        reason: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        admin,
        "request_takeover",
        id,
        format!("request #{}: {}", saved.id, kind.as_str()),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A step that was not allowed is recorded too, on its own (nothing else changed).
#[tracing::instrument(level = "error", skip_all)]
async fn record_refused(
    db: &DatabaseConnection,
    admin: &Caller,
    action: &'static str,
    user_id: i32,
    detail: String,
) -> Result<(), AppError> {
    let txn = crate::server::begin_write(db).await?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(admin),
            action,
            object_type: "user",
            object_id: user_id.to_string(),
            outcome: Outcome::Refused,
            client_address: admin.address.clone(),
            detail,
        },
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// The request `request_id`, if `admin` may decide it now; a refusal (recorded) otherwise.
#[tracing::instrument(level = "error", skip_all)]
async fn decidable(
    db: &DatabaseConnection,
    admin: &Caller,
    request_id: i32,
    action: &'static str,
) -> Result<takeover_approval::Model, AppError> {
    let row = takeover_approval::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "request_id",
                td_string!(admin.locale, err_takeover_not_pending),
            )
        })?;
    // A request outlives its requester's standing only as a record: if they are no longer an
    // active administrator, nobody carries it out.
    let requester_is_admin = crate::server::caller::load_user(db, row.requested_by)
        .await?
        .is_some_and(|requester| {
            crate::access::may(
                &requester,
                crate::access::Action::Manage,
                crate::access::Object::User(row.user_id),
            )
        });
    let problem = if !crate::access::may_decide_takeover(admin, row.requested_by) {
        Some(("own request", td_string!(admin.locale, err_takeover_own)))
    } else if !LinksHeld::among(db, &[admin.id, row.requested_by])
        .await?
        .independent(admin.id, row.requested_by)
    {
        Some((
            "not independent of the requester",
            td_string!(admin.locale, err_takeover_not_independent),
        ))
    } else if row.decision.is_some() || row.expires_at <= now() || !requester_is_admin {
        Some((
            "no longer pending",
            td_string!(admin.locale, err_takeover_not_pending),
        ))
    } else {
        None
    };
    match problem {
        Some((why, message)) => {
            let detail = format!("request #{}: {why}", row.id);
            record_refused(db, admin, action, row.user_id, detail).await?;
            Err(refused(message))
        }
        None => Ok(row),
    }
}

/// Marks a pending request decided, inside `txn`; false when someone else decided it (or it
/// lapsed) in the meantime.
async fn settle(
    txn: &impl ConnectionTrait,
    admin: &Caller,
    request_id: i32,
    decision: &str,
    reason: Option<String>,
) -> Result<bool, AppError> {
    let now = now();
    let settled = takeover_approval::Entity::update_many()
        .col_expr(takeover_approval::Column::Decision, Expr::value(decision))
        .col_expr(takeover_approval::Column::DecidedBy, Expr::value(admin.id))
        .col_expr(
            takeover_approval::Column::DecidedAt,
            Expr::value(now.clone()),
        )
        .col_expr(takeover_approval::Column::Reason, Expr::value(reason))
        .filter(takeover_approval::Column::Id.eq(request_id))
        .filter(takeover_approval::Column::Decision.is_null())
        .filter(takeover_approval::Column::ExpiresAt.gt(now))
        .exec(txn)
        .await?;
    Ok(settled.rows_affected == 1)
}

/// Approves a pending request of another, independent administrator: the takeover happens now.
/// A link is shown once, to the approver. Returns the account taken over.
#[tracing::instrument(level = "error", skip_all)]
pub async fn approve(
    db: &DatabaseConnection,
    admin: &Caller,
    request_id: i32,
) -> Result<i32, AppError> {
    let row = decidable(db, admin, request_id, "approve_takeover").await?;
    let kind: TakeoverKind = row.kind.parse()?;
    let target = account(db, row.user_id).await?;
    if kind == TakeoverKind::SetPasswordLink && !target.active {
        return Err(refused(td_string!(admin.locale, err_reactivate_first)));
    }
    let requester = account(db, row.requested_by).await?.username;
    let how = format!("; approved request #{} of {requester}", row.id);
    let txn = crate::server::begin_write(db).await?;
    if !settle(&txn, admin, row.id, APPROVED, None).await? {
        txn.rollback().await?;
        return Err(refused(td_string!(admin.locale, err_takeover_not_pending)));
    }
    let token = match kind {
        TakeoverKind::ResetSecondFactor => {
            clear_second_factor(&txn, admin, target, how.trim_start_matches("; ").to_owned())
                .await?;
            None
        }
        TakeoverKind::SetPasswordLink => Some(insert_link(&txn, admin, row.user_id, &how).await?),
    };
    record(
        &txn,
        admin,
        "approve_takeover",
        row.user_id,
        format!("request #{} of {requester}: {}", row.id, kind.as_str()),
    )
    .await?;
    txn.commit().await?;
    if let Some(token) = token {
        show_once(row.user_id, &token).await?;
    }
    Ok(row.user_id)
}

/// Refuses a pending request, with the reason the requester reads in the audit trail. Returns
/// the account it concerned.
#[tracing::instrument(level = "error", skip_all)]
pub async fn refuse(
    db: &DatabaseConnection,
    admin: &Caller,
    request_id: i32,
    reason: &str,
) -> Result<i32, AppError> {
    let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            td_string!(admin.locale, err_takeover_reason),
        ));
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(AppError::invalid(
            "reason",
            td_string!(admin.locale, err_takeover_reason_long),
        ));
    }
    let row = decidable(db, admin, request_id, "refuse_takeover").await?;
    let txn = crate::server::begin_write(db).await?;
    if !settle(&txn, admin, row.id, REFUSED, Some(reason.clone())).await? {
        txn.rollback().await?;
        return Err(refused(td_string!(admin.locale, err_takeover_not_pending)));
    }
    record(
        &txn,
        admin,
        "refuse_takeover",
        row.user_id,
        format!("request #{}: {} ({reason})", row.id, row.kind),
    )
    .await?;
    txn.commit().await?;
    Ok(row.user_id)
}
