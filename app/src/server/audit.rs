//! The audit trail: append-only, each event carrying the hash of the one before it.
//!
//! [`record`] is the one call every change uses, inside the change's own transaction: if the
//! event cannot be written, the change is rolled back with it. [`verify`] recomputes the chain
//! and names the first event that does not fit.

use crate::server::entity::{app_meta, audit_event};
use sea_orm::{
    AccessMode, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, IsolationLevel, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait, sea_query::Expr,
};
use sha2::{Digest, Sha256};

const HEAD_KEY: &str = "audit_head";
const BATCH: u64 = 1000;

pub fn genesis_hash() -> String {
    "0".repeat(64)
}

pub use crate::domain::AuditOutcome as Outcome;

/// Who acted. For a failed sign-in of an unknown name, `user_id` is empty and `name` is what
/// was typed.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i32>,
    pub name: String,
    pub organisation_id: Option<i32>,
}

impl From<&crate::server::caller::Caller> for Actor {
    fn from(caller: &crate::server::caller::Caller) -> Self {
        Actor::from(&caller.user)
    }
}

impl From<&crate::access::SignedInUser> for Actor {
    fn from(user: &crate::access::SignedInUser) -> Self {
        Actor {
            user_id: Some(user.id),
            name: user.username.clone(),
            organisation_id: Some(user.organisation_id),
        }
    }
}

impl From<&crate::server::entity::user_account::Model> for Actor {
    fn from(account: &crate::server::entity::user_account::Model) -> Self {
        Actor {
            user_id: Some(account.id),
            name: account.username.clone(),
            organisation_id: Some(account.organisation_id),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Event {
    pub actor: Actor,
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: String,
    pub outcome: Outcome,
    pub client_address: String,
    pub detail: String,
}

/// The fields in hash order; a JSON array of strings is unambiguous where plain
/// concatenation is not.
fn chain_hash(previous_hash: &str, row: &audit_event::Model) -> String {
    let fields = [
        previous_hash.to_owned(),
        row.occurred_at.clone(),
        row.actor_user_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        row.actor_name.clone(),
        row.organisation_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        row.action.clone(),
        row.object_type.clone(),
        row.object_id.clone(),
        row.result.clone(),
        row.client_address.clone(),
        row.detail.clone(),
    ];
    let canonical = serde_json::to_string(&fields).unwrap_or_default();
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn parse_head(value: &str) -> Result<(u64, String), DbErr> {
    value
        .split_once(':')
        .and_then(|(count, hash)| Some((count.parse().ok()?, hash.to_owned())))
        .ok_or_else(|| DbErr::Custom("the audit head is unreadable".into()))
}

/// Records that the caller did `action` to one object, from the request's address, inside the
/// transaction of the change itself. Every feature records a signed-in caller's action here.
#[tracing::instrument(level = "error", skip_all)]
pub async fn record_by(
    conn: &impl TransactionTrait,
    user: &crate::server::caller::Caller,
    action: &'static str,
    object_type: &'static str,
    object_id: impl ToString,
    detail: String,
) -> Result<(), crate::error::AppError> {
    record(
        conn,
        Event {
            actor: Actor::from(user),
            action,
            object_type,
            object_id: object_id.to_string(),
            outcome: Outcome::Success,
            client_address: user.address.clone(),
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Appends one event. Call it inside the transaction of the change it records. The append
/// runs in a transaction of its own (a savepoint inside the caller's): the head row's lock
/// must be held from reading the head to writing the new one, or two appends outside a
/// transaction (a list's read, say) read the same head and fork the chain.
#[tracing::instrument(level = "error", skip_all)]
pub async fn record(conn: &impl TransactionTrait, event: Event) -> Result<(), DbErr> {
    let txn = conn.begin().await?;
    append(&txn, event).await?;
    txn.commit().await
}

async fn append(conn: &impl ConnectionTrait, event: Event) -> Result<(), DbErr> {
    // Touching the head row first takes its write lock, so concurrent appends queue here
    // (on PostgreSQL and SQLite alike) and each sees the true previous hash.
    app_meta::Entity::update_many()
        .col_expr(app_meta::Column::Value, Expr::col(app_meta::Column::Value))
        .filter(app_meta::Column::Key.eq(HEAD_KEY))
        .exec(conn)
        .await?;
    let head = app_meta::Entity::find_by_id(HEAD_KEY.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::Custom("the audit head is missing".into()))?;
    let (count, previous_hash) = parse_head(&head.value)?;
    if event.action.parse::<crate::domain::AuditAction>().is_err() {
        // Still recorded; the trail then shows the code itself instead of words.
        tracing::error!(
            action = event.action,
            "an audited action is not an AuditAction"
        );
    }

    let mut row = audit_event::Model {
        id: 0,
        occurred_at: crate::server::utc_text(chrono::Utc::now()),
        actor_user_id: event.actor.user_id,
        actor_name: event.actor.name,
        organisation_id: event.actor.organisation_id,
        action: event.action.to_owned(),
        object_type: event.object_type.to_owned(),
        object_id: event.object_id,
        result: event.outcome.as_str().to_owned(),
        client_address: event.client_address,
        detail: event.detail,
        previous_hash: previous_hash.clone(),
        hash: String::new(),
    };
    row.hash = chain_hash(&previous_hash, &row);
    let hash = row.hash.clone();
    audit_event::Entity::insert(audit_event::ActiveModel {
        occurred_at: Set(row.occurred_at),
        actor_user_id: Set(row.actor_user_id),
        actor_name: Set(row.actor_name),
        organisation_id: Set(row.organisation_id),
        action: Set(row.action),
        object_type: Set(row.object_type),
        object_id: Set(row.object_id),
        result: Set(row.result),
        client_address: Set(row.client_address),
        detail: Set(row.detail),
        previous_hash: Set(row.previous_hash),
        hash: Set(row.hash),
        ..Default::default()
    })
    .exec(conn)
    .await?;
    app_meta::Entity::update_many()
        .col_expr(
            app_meta::Column::Value,
            Expr::value(format!("{}:{hash}", count + 1)),
        )
        .filter(app_meta::Column::Key.eq(HEAD_KEY))
        .exec(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    Intact {
        events: u64,
        head: String,
    },
    /// `event_id` is the first event that does not fit (or `None` when rows are missing at
    /// the end, so that the head no longer matches).
    Broken {
        event_id: Option<i64>,
        reason: String,
    },
}

/// Verifies the whole chain against the head, all read from one snapshot of the database:
/// events appended while it reads (by other requests or the jobs) are neither half seen nor
/// taken for removed ones.
#[tracing::instrument(level = "error", skip_all)]
pub async fn verify(db: &DatabaseConnection) -> Result<Verification, DbErr> {
    let snapshot = match db.get_database_backend() {
        // Read committed (the default) would see events committed between two reads.
        DbBackend::Postgres => {
            db.begin_with_config(
                Some(IsolationLevel::RepeatableRead),
                Some(AccessMode::ReadOnly),
            )
            .await?
        }
        // A SQLite transaction reads one snapshot from its first read to its end.
        _ => db.begin().await?,
    };
    let verification = verify_in(&snapshot).await;
    snapshot.rollback().await?;
    verification
}

async fn verify_in(conn: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let mut previous_hash = genesis_hash();
    let mut events = 0u64;
    let mut after_id = 0i64;
    loop {
        let batch = audit_event::Entity::find()
            .filter(audit_event::Column::Id.gt(after_id))
            .order_by_asc(audit_event::Column::Id)
            .limit(BATCH)
            .all(conn)
            .await?;
        let Some(last) = batch.last() else { break };
        after_id = last.id;
        for row in &batch {
            if row.previous_hash != previous_hash {
                return Ok(Verification::Broken {
                    event_id: Some(row.id),
                    reason: "does not follow the event before it (an event was removed or changed)"
                        .into(),
                });
            }
            if chain_hash(&previous_hash, row) != row.hash {
                return Ok(Verification::Broken {
                    event_id: Some(row.id),
                    reason: "its content does not match its hash (the event was changed)".into(),
                });
            }
            previous_hash = row.hash.clone();
            events += 1;
        }
    }
    let head = app_meta::Entity::find_by_id(HEAD_KEY.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::Custom("the audit head is missing".into()))?;
    let (head_count, head_hash) = parse_head(&head.value)?;
    if head_count != events || head_hash != previous_hash {
        return Ok(Verification::Broken {
            event_id: None,
            reason: format!(
                "the trail ends after {events} events but {head_count} were written (the newest events were removed)"
            ),
        });
    }
    Ok(Verification::Intact {
        events,
        head: previous_hash,
    })
}
