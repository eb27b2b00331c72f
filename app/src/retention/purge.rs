//! The daily retention job: deletes the personal data past its retention end, once a day
//! across instances (a lease, and the day of the last run kept in `app_meta`), and records the
//! run in the audit trail with its counts.
//!
//! What goes: a lapsed case's subjects (with their match keys, held-back matches, signal
//! matches and what its side disclosed of them) and its description; every overlap of the
//! case loses its evidence, notes, step reasons, follow-up text and both sides' frozen
//! values; a lapsed signal's subjects and matches, what was observed, where, on whose behalf,
//! its feedback and step notes; drafts past their day. What stays: the rows the summaries,
//! reports and provision register count (cases, overlaps, signals with their dates, states,
//! themes and regions), operations, disclosure grounds, and the audit trail, which never held
//! a subject's value.

use crate::retention::types::PurgeCounts;
use crate::server::audit::{Actor, Event, Outcome};
use crate::server::entity::{
    app_meta, case, held_back_match, match_key, overlap, overlap_disclosure, overlap_event,
    overlap_note, signal, signal_draft, signal_event, signal_match, signal_subject, subject,
};
use crate::server::leases::{release_lease, take_lease};
use crate::{domain::OverlapKind, error::AppError, settings::Settings};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect,
    sea_query::{Expr, OnConflict},
};

const LEASE: &str = "retention";
const DAY_KEY: &str = "retention_day";
/// Ids per `IN (…)`: well under SQLite's and PostgreSQL's bound-parameter limits.
const CHUNK: usize = 1000;

/// The job's name in the audit trail, where a person's would be.
pub const ACTOR_NAME: &str = "retention job";

/// One run: `None` when another instance holds the lease or today's run is done already.
#[tracing::instrument(level = "error", skip_all)]
pub async fn run(
    db: &DatabaseConnection,
    settings: &Settings,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<Option<PurgeCounts>, AppError> {
    if !take_lease(db, LEASE, holder, now, 3600).await? {
        return Ok(None);
    }
    let result = run_held(db, settings, now).await;
    release_lease(db, LEASE, holder).await?;
    result
}

async fn run_held(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Option<PurgeCounts>, AppError> {
    let today = crate::server::time::dutch_day(now);
    let last = app_meta::Entity::find_by_id(DAY_KEY.to_owned())
        .one(db)
        .await?
        .map(|m| m.value);
    if last.as_deref() == Some(today.to_string().as_str()) {
        return Ok(None);
    }
    // The quarters that ended are counted, once and whole, before anything is deleted; their
    // published figures never change after (`reports::snapshots`).
    crate::reports::snapshots::refresh(db, settings).await?;
    crate::retention::store::refresh_cases(db, None).await?;
    crate::retention::store::refresh_signals(db, None).await?;
    let mut counts = PurgeCounts::default();
    let mut lapsed: Vec<i32> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .filter(case::Column::PurgedOn.is_null())
        .filter(case::Column::RetentionEnd.lt(today))
        .into_tuple()
        .all(db)
        .await?;
    // A subject saved into a case while the job deleted its data (the save read the case
    // just before) is found and deleted the next night.
    let left: Vec<i32> = subject::Entity::find()
        .select_only()
        .column(subject::Column::CaseId)
        .distinct()
        .filter(
            subject::Column::CaseId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(case::Column::Id)
                    .from(case::Entity)
                    .and_where(case::Column::PurgedOn.is_not_null())
                    .to_owned(),
            ),
        )
        .into_tuple()
        .all(db)
        .await?;
    lapsed.extend(left);
    for id in lapsed {
        let txn = crate::server::begin_write(db).await?;
        purge_case(&txn, id, today, &mut counts).await?;
        txn.commit().await?;
    }
    let lapsed: Vec<i32> = signal::Entity::find()
        .select_only()
        .column(signal::Column::Id)
        .filter(signal::Column::PurgedOn.is_null())
        .filter(signal::Column::RetentionEnd.lt(today))
        .into_tuple()
        .all(db)
        .await?;
    for chunk in lapsed.chunks(CHUNK) {
        let txn = crate::server::begin_write(db).await?;
        purge_signals(&txn, chunk, today, &mut counts).await?;
        txn.commit().await?;
    }
    let stale = crate::server::utc_text(
        now - chrono::Duration::seconds(crate::signals::drafts::DRAFT_SECONDS),
    );
    counts.drafts = signal_draft::Entity::delete_many()
        .filter(signal_draft::Column::CreatedAt.lt(stale))
        .exec(db)
        .await?
        .rows_affected;
    let txn = crate::server::begin_write(db).await?;
    crate::server::audit::record(
        &txn,
        Event {
            actor: Actor {
                user_id: None,
                name: ACTOR_NAME.to_owned(),
                organisation_id: None,
            },
            action: "retention_run",
            object_type: "retention_job",
            object_id: today.to_string(),
            outcome: Outcome::Success,
            client_address: String::new(),
            detail: serde_json::to_string(&counts).unwrap_or_default(),
        },
    )
    .await?;
    app_meta::Entity::insert(app_meta::ActiveModel {
        key: Set(DAY_KEY.to_owned()),
        value: Set(today.to_string()),
    })
    .on_conflict(
        OnConflict::column(app_meta::Column::Key)
            .update_column(app_meta::Column::Value)
            .to_owned(),
    )
    .exec(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(?counts, "retention job done");
    Ok(Some(counts))
}

/// Deletes one lapsed case's personal data and its overlaps' evidence (see the module).
async fn purge_case(
    txn: &impl ConnectionTrait,
    case_id: i32,
    today: NaiveDate,
    counts: &mut PurgeCounts,
) -> Result<(), AppError> {
    let subjects: Vec<i32> = subject::Entity::find()
        .select_only()
        .column(subject::Column::Id)
        .filter(subject::Column::CaseId.eq(case_id))
        .into_tuple()
        .all(txn)
        .await?;
    for chunk in subjects.chunks(CHUNK) {
        for id in chunk {
            crate::overlaps::store::forget_item(txn, OverlapKind::Subject, *id).await?;
        }
        let ids = chunk.iter().copied();
        signal_match::Entity::delete_many()
            .filter(signal_match::Column::SubjectId.is_in(ids.clone()))
            .exec(txn)
            .await?;
        held_back_match::Entity::delete_many()
            .filter(held_back_match::Column::SubjectId.is_in(ids.clone()))
            .exec(txn)
            .await?;
        match_key::Entity::delete_many()
            .filter(match_key::Column::SubjectId.is_in(ids.clone()))
            .exec(txn)
            .await?;
        counts.subjects += subject::Entity::delete_many()
            .filter(subject::Column::Id.is_in(ids))
            .exec(txn)
            .await?
            .rows_affected;
    }
    case::Entity::update_many()
        .col_expr(case::Column::Description, Expr::value(String::new()))
        .col_expr(
            case::Column::PrimarySubjectId,
            Expr::value(Option::<i32>::None),
        )
        .filter(case::Column::Id.eq(case_id))
        .exec(txn)
        .await?;
    counts.cases += case::Entity::update_many()
        .col_expr(case::Column::PurgedOn, Expr::value(today))
        .filter(case::Column::Id.eq(case_id))
        .filter(case::Column::PurgedOn.is_null())
        .exec(txn)
        .await?
        .rows_affected;
    let overlaps: Vec<i32> = overlap::Entity::find()
        .select_only()
        .column(overlap::Column::Id)
        .filter(
            Condition::any()
                .add(overlap::Column::FirstCaseId.eq(case_id))
                .add(overlap::Column::SecondCaseId.eq(case_id)),
        )
        .filter(overlap::Column::PurgedOn.is_null())
        .into_tuple()
        .all(txn)
        .await?;
    for chunk in overlaps.chunks(CHUNK) {
        let ids = chunk.iter().copied();
        counts.notes += overlap_note::Entity::delete_many()
            .filter(overlap_note::Column::OverlapId.is_in(ids.clone()))
            .exec(txn)
            .await?
            .rows_affected;
        overlap_disclosure::Entity::update_many()
            .col_expr(overlap_disclosure::Column::Item, Expr::value(String::new()))
            .filter(overlap_disclosure::Column::OverlapId.is_in(ids.clone()))
            .exec(txn)
            .await?;
        overlap_event::Entity::update_many()
            .col_expr(
                overlap_event::Column::Reason,
                Expr::value(Option::<String>::None),
            )
            .filter(overlap_event::Column::OverlapId.is_in(ids.clone()))
            .exec(txn)
            .await?;
        counts.overlaps += overlap::Entity::update_many()
            .col_expr(overlap::Column::Explanation, Expr::value(String::new()))
            .col_expr(
                overlap::Column::FollowUp,
                Expr::value(Option::<String>::None),
            )
            .col_expr(overlap::Column::PurgedOn, Expr::value(today))
            .filter(overlap::Column::Id.is_in(ids))
            .exec(txn)
            .await?
            .rows_affected;
    }
    Ok(())
}

/// Deletes lapsed signals' personal data (see the module).
async fn purge_signals(
    txn: &impl ConnectionTrait,
    ids: &[i32],
    today: NaiveDate,
    counts: &mut PurgeCounts,
) -> Result<(), AppError> {
    let ids = || ids.iter().copied();
    signal_match::Entity::delete_many()
        .filter(signal_match::Column::SignalId.is_in(ids()))
        .exec(txn)
        .await?;
    counts.signal_subjects += signal_subject::Entity::delete_many()
        .filter(signal_subject::Column::SignalId.is_in(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    signal_event::Entity::update_many()
        .col_expr(
            signal_event::Column::Note,
            Expr::value(Option::<String>::None),
        )
        .filter(signal_event::Column::SignalId.is_in(ids()))
        .exec(txn)
        .await?;
    counts.signals += signal::Entity::update_many()
        .col_expr(signal::Column::Observed, Expr::value(String::new()))
        .col_expr(signal::Column::Place, Expr::value(String::new()))
        .col_expr(
            signal::Column::OnBehalfOf,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            signal::Column::Feedback,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            signal::Column::NoActionReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(signal::Column::PurgedOn, Expr::value(today))
        .filter(signal::Column::Id.is_in(ids()))
        .exec(txn)
        .await?
        .rows_affected;
    Ok(())
}
