//! The overlap deadline job: flags raised and cleared, sides told, managers escalated.

use crate::overlaps::status::{due, flags_of, state_of};
use crate::overlaps::steps::{managers_of, sides_to_tell};
use crate::settings::Settings;
use crate::{
    domain::NotificationKind, domain::OverlapState as State, domain::OverlapStep as Step,
    error::AppError, overlaps::workflow::Actor,
};
use crate::{
    notifications::send::About, notifications::send::notify, server::entity::overlap,
    server::entity::overlap_flag,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::OnConflict,
};
use std::collections::BTreeSet;

/// A deadline near or passed goes on the overlap's timeline once (which step, by when), where
/// both sides read it and the API's events feed gives it to the agencies' systems.
async fn on_timeline(
    txn: &impl sea_orm::ConnectionTrait,
    overlap_id: i32,
    step: Step,
    due: String,
) -> Result<(), AppError> {
    use crate::server::entity::overlap_event;
    let recorded = overlap_event::Entity::find()
        .filter(overlap_event::Column::OverlapId.eq(overlap_id))
        .filter(overlap_event::Column::Step.eq(step.as_str()))
        .filter(overlap_event::Column::Reason.eq(due.clone()))
        .one(txn)
        .await?;
    if recorded.is_none() {
        crate::overlaps::steps::add_event(txn, overlap_id, None, 0, step, None, Some(due)).await?;
    }
    Ok(())
}

/// What one run of the overlap deadline job changed in the stored flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagChanges {
    pub raised: usize,
    pub cleared: usize,
}

#[tracing::instrument(level = "error", skip_all)]
pub async fn deadlines_once(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<FlagChanges, AppError> {
    let mut report = FlagChanges::default();
    let today = crate::server::time::dutch_day(now);
    let at = crate::server::utc_text(now);
    let live = overlap::Entity::find()
        .filter(overlap::Column::State.ne(State::Closed.as_str()))
        .all(db)
        .await?;
    let flags = flags_of(db, &live, &settings.deadlines, today).await?;
    let stored: Vec<overlap_flag::Model> = overlap_flag::Entity::find().all(db).await?;
    let stored_set: BTreeSet<(i32, String)> = stored
        .iter()
        .map(|f| (f.overlap_id, f.flag.clone()))
        .collect();
    let mut wanted: BTreeSet<(i32, String)> = BTreeSet::new();
    for o in &live {
        let derived = flags.get(&o.id).cloned().unwrap_or_default();
        for flag in &derived {
            wanted.insert((o.id, flag.as_str().to_owned()));
        }
        let (acknowledge_by, decide_by) = due(o, &settings.deadlines);
        let deadline = match state_of(o) {
            State::Open => Some(("acknowledge", acknowledge_by)),
            State::Acknowledged => decide_by.map(|d| ("decide", d)),
            _ => None,
        };
        let Some((what, by)) = deadline else { continue };
        let key = format!("overlap:{}:{what}:{by}", o.id);
        let txn = crate::server::begin_write(db).await?;
        if today > by {
            let sides = sides_to_tell(&txn, o, None).await?;
            notify(
                &txn,
                &sides,
                NotificationKind::DeadlinePassed,
                About::Overlap(o.id),
                &format!("{key}:passed"),
                &settings.mail,
            )
            .await?;
            let managers = managers_of(&txn, o).await?;
            notify(
                &txn,
                &managers,
                NotificationKind::Escalated,
                About::Overlap(o.id),
                &format!("{key}:escalated"),
                &settings.mail,
            )
            .await?;
            on_timeline(&txn, o.id, Step::DeadlinePassed, format!("{what} {by}")).await?;
        } else if crate::domain::working_days::working_days_between(today, by) <= 1 {
            // The last working day, or the one before it.
            let waiting = match (
                state_of(o),
                o.first_acknowledged_at.is_some(),
                o.second_acknowledged_at.is_some(),
            ) {
                (State::Open, true, false) => Some(Actor::Side(1)),
                (State::Open, false, true) => Some(Actor::Side(2)),
                _ => None,
            };
            let people = sides_to_tell(&txn, o, waiting).await?;
            notify(
                &txn,
                &people,
                NotificationKind::DeadlineNear,
                About::Overlap(o.id),
                &format!("{key}:near"),
                &settings.mail,
            )
            .await?;
            on_timeline(&txn, o.id, Step::DeadlineNear, format!("{what} {by}")).await?;
        }
        txn.commit().await?;
    }
    for (overlap_id, flag) in wanted.difference(&stored_set) {
        let inserted = overlap_flag::Entity::insert(overlap_flag::ActiveModel {
            overlap_id: Set(*overlap_id),
            flag: Set(flag.clone()),
            raised_at: Set(at.clone()),
        })
        .on_conflict(
            OnConflict::columns([overlap_flag::Column::OverlapId, overlap_flag::Column::Flag])
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
        if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
            report.raised += 1;
        }
    }
    for (overlap_id, flag) in stored_set.difference(&wanted) {
        overlap_flag::Entity::delete_many()
            .filter(overlap_flag::Column::OverlapId.eq(*overlap_id))
            .filter(overlap_flag::Column::Flag.eq(flag.clone()))
            .exec(db)
            .await?;
        report.cleared += 1;
    }
    Ok(report)
}
