//! A signal's life: assess, route, follow up or no action; feedback; a new owner.

use crate::server::caller::Caller;
use crate::signals::intake::too_long;
use crate::{
    domain::NotificationKind, domain::Role, domain::SignalOutcome, error::AppError, i18n::*,
    signals::rules, signals::rules::Step, signals::types::Viewer,
};
use crate::{
    notifications::send::About, notifications::send::notify, server::entity::signal,
    settings::Settings,
};
use crate::{
    server::time::now, signals::store::MAX_FEEDBACK, signals::store::MAX_SHORT,
    signals::store::active_ventures, signals::store::add_event, signals::store::find_for,
    signals::store::named_cases, signals::store::record, signals::store::state_of,
    signals::store::tell,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};
use std::collections::BTreeSet;

/// A step as the form posts it.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub version: i32,
    pub step: String,
    pub joint_venture_id: String,
    pub outcome: String,
    pub case_id: String,
    pub service: String,
    pub reason: String,
    pub note: String,
}

/// Takes a step on a signal the caller's joint venture owns. A stale `version` is a conflict
/// and changes nothing.
#[tracing::instrument(level = "error", skip_all)]
pub async fn take_step(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
    input: &StepInput,
) -> Result<(), AppError> {
    let locale = user.locale;
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Owner || s.duplicate_of.is_some() {
        return Err(AppError::Forbidden);
    }
    let step = Step::parse(input.step.trim())
        .ok_or_else(|| AppError::invalid("step", td_string!(locale, err_choose_from_list)))?;
    let state = state_of(&s);
    if !rules::allowed(state, step) {
        return Err(AppError::Refused(
            td_string!(locale, err_signal_step_not_now).to_owned(),
        ));
    }
    let note = Some(input.note.trim().to_owned()).filter(|n| !n.is_empty());
    if let Some(note) = &note {
        too_long("note", note, MAX_FEEDBACK)?;
    }
    let at = now();
    let mut update = signal::Entity::update_many()
        .col_expr(
            signal::Column::State,
            Expr::value(rules::next(step).as_str()),
        )
        .col_expr(signal::Column::Version, Expr::value(s.version + 1));
    let mut new_owner = None;
    let mut detail = step.as_str().to_owned();
    match step {
        Step::Assess => {
            update = update
                .col_expr(signal::Column::AssessedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::AssessedBy, Expr::value(user.id));
        }
        Step::Route => {
            let active = active_ventures(db).await?;
            let target = input
                .joint_venture_id
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|jv| active.contains(jv))
                .ok_or_else(|| {
                    AppError::invalid("joint_venture_id", td_string!(locale, err_choose_from_list))
                })?;
            update = update
                .col_expr(signal::Column::RoutedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::RoutedBy, Expr::value(user.id))
                .col_expr(signal::Column::JointVentureId, Expr::value(target))
                .col_expr(signal::Column::RoutedByRule, Expr::value(false));
            if Some(target) != s.joint_venture_id {
                new_owner = Some(target);
            }
            detail = format!("route to {target}");
        }
        Step::FollowUp => {
            let outcome: SignalOutcome = input.outcome.trim().parse().map_err(|_| {
                AppError::invalid("outcome", td_string!(locale, err_choose_from_list))
            })?;
            let (case_id, service) = match outcome {
                SignalOutcome::LinkedCase | SignalOutcome::AddedToCase => {
                    let cases = named_cases(db, s.joint_venture_id).await?;
                    let case_id = input
                        .case_id
                        .trim()
                        .parse::<i32>()
                        .ok()
                        .filter(|c| cases.iter().any(|x| x.id == *c))
                        .ok_or_else(|| {
                            AppError::invalid("case_id", td_string!(locale, err_choose_from_list))
                        })?;
                    (Some(case_id), None)
                }
                SignalOutcome::Forwarded => {
                    let service = input.service.trim().to_owned();
                    if service.is_empty() {
                        return Err(AppError::invalid(
                            "service",
                            td_string!(locale, err_required),
                        ));
                    }
                    too_long("service", &service, MAX_SHORT)?;
                    (None, Some(service))
                }
            };
            update = update
                .col_expr(signal::Column::ClosedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::ClosedBy, Expr::value(user.id))
                .col_expr(signal::Column::Outcome, Expr::value(outcome.as_str()))
                .col_expr(signal::Column::OutcomeCaseId, Expr::value(case_id))
                .col_expr(signal::Column::OutcomeService, Expr::value(service));
            detail = format!("follow_up {}", outcome.as_str());
        }
        Step::NoAction => {
            let reason = input.reason.trim().to_owned();
            if reason.chars().count() < 10 {
                return Err(AppError::invalid(
                    "reason",
                    td_string!(locale, err_signal_reason),
                ));
            }
            too_long("reason", &reason, MAX_FEEDBACK)?;
            update = update
                .col_expr(signal::Column::ClosedAt, Expr::value(at.clone()))
                .col_expr(signal::Column::ClosedBy, Expr::value(user.id))
                .col_expr(signal::Column::NoActionReason, Expr::value(reason));
        }
    }
    let txn = crate::server::begin_write(db).await?;
    let updated = update
        .filter(signal::Column::Id.eq(s.id))
        .filter(signal::Column::Version.eq(input.version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict(
            td_string!(locale, err_signal_conflict).to_owned(),
        ));
    }
    add_event(&txn, s.id, Some(user.id), step.as_str(), note).await?;
    record(
        &txn,
        user,
        "signal_step",
        s.id,
        format!("{}: {detail}", s.reference),
    )
    .await?;
    if let Some(jv) = new_owner {
        tell(
            &txn,
            jv,
            Role::Coordinator,
            NotificationKind::SignalRouted,
            s.id,
            &format!("signal:{}:routed:{}", s.id, s.version + 1),
            settings,
        )
        .await?;
    }
    // Closing a signal starts its period after closing.
    crate::retention::store::refresh_signals(&txn, Some(crate::retention::store::one_signal(s.id)))
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Writes (or rewrites) the feedback the reporter reads; the owner's coordinators only. The
/// reporter is told.
#[tracing::instrument(level = "error", skip_all)]
pub async fn give_feedback(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
    feedback: &str,
) -> Result<(), AppError> {
    let locale = user.locale;
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Owner {
        return Err(AppError::Forbidden);
    }
    let feedback = feedback.trim().to_owned();
    if feedback.is_empty() {
        return Err(AppError::invalid(
            "feedback",
            td_string!(locale, err_required),
        ));
    }
    too_long("feedback", &feedback, MAX_FEEDBACK)?;
    let txn = crate::server::begin_write(db).await?;
    signal::Entity::update_many()
        .col_expr(signal::Column::Feedback, Expr::value(feedback))
        .col_expr(signal::Column::FeedbackAt, Expr::value(now()))
        .filter(signal::Column::Id.eq(s.id))
        .exec(&txn)
        .await?;
    add_event(&txn, s.id, Some(user.id), "feedback", None).await?;
    record(&txn, user, "signal_feedback", s.id, s.reference.clone()).await?;
    notify(
        &txn,
        &BTreeSet::from([s.reported_by]),
        NotificationKind::SignalFeedback,
        About::Signal(s.id),
        &format!("signal:{}:feedback:{}", s.id, now()),
        &settings.mail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An administrator gives a signal no rule routed an owner.
#[tracing::instrument(level = "error", skip_all)]
pub async fn assign_owner(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
    joint_venture_id: &str,
) -> Result<(), AppError> {
    let locale = user.locale;
    let (s, viewer) = find_for(db, user, id).await?;
    if viewer != Viewer::Router {
        return Err(AppError::Forbidden);
    }
    let active = active_ventures(db).await?;
    let target = joint_venture_id
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|jv| active.contains(jv))
        .ok_or_else(|| {
            AppError::invalid("joint_venture_id", td_string!(locale, err_choose_from_list))
        })?;
    let txn = crate::server::begin_write(db).await?;
    let updated = signal::Entity::update_many()
        .col_expr(signal::Column::JointVentureId, Expr::value(target))
        .col_expr(signal::Column::Version, Expr::value(s.version + 1))
        .filter(signal::Column::Id.eq(s.id))
        .filter(signal::Column::JointVentureId.is_null())
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        txn.rollback().await?;
        return Err(AppError::Conflict(
            td_string!(locale, err_signal_conflict).to_owned(),
        ));
    }
    add_event(&txn, s.id, Some(user.id), "owner_assigned", None).await?;
    record(
        &txn,
        user,
        "signal_owner",
        s.id,
        format!("{} to {target}", s.reference),
    )
    .await?;
    tell(
        &txn,
        target,
        Role::Coordinator,
        NotificationKind::NewSignal,
        s.id,
        &format!("signal:{}:new", s.id),
        settings,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
