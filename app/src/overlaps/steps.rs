//! An overlap's life: acknowledge, propose, agree, rule, reopen, close; shared notes.

use crate::access::{OverlapStanding, overlap_standing};
use crate::overlaps::status::status_of;
use crate::server::caller::Caller;
use crate::server::time::now;
use crate::settings::Settings;
use crate::{
    domain::Decision, domain::NotificationKind, domain::OverlapState as State,
    domain::OverlapStep as Step, domain::Role, error::AppError, i18n::*, language::request_locale,
    overlaps::workflow, overlaps::workflow::Actor, overlaps::workflow::Refusal,
};
use crate::{
    notifications::send::About, notifications::send::notify, notifications::send::people_of_any,
    overlaps::store::record, server::entity::false_match, server::entity::overlap,
    server::entity::overlap_event, server::entity::overlap_note, server::mail::Mail,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, sea_query::Expr,
};
use std::collections::BTreeSet;

/// Who `user` is to this overlap: a side's coordinator, a manager overseeing either side, or
/// nobody (refused).
pub fn actor(user: &Caller, o: &overlap::Model) -> Option<Actor> {
    Some(
        match overlap_standing(user, o.first_joint_venture_id, o.second_joint_venture_id)? {
            OverlapStanding::Side(side) => Actor::Side(side),
            OverlapStanding::Overseer => Actor::Manager,
        },
    )
}

pub(crate) fn conflict() -> AppError {
    AppError::Conflict(td_string!(request_locale(), err_overlap_conflict).to_owned())
}

pub(crate) fn refused(refusal: Refusal) -> AppError {
    let locale = request_locale();
    let text = match refusal {
        Refusal::NotYours => return AppError::Forbidden,
        Refusal::AlreadyAcknowledged => td_string!(locale, err_overlap_already_acknowledged),
        Refusal::NotAcknowledged => td_string!(locale, err_overlap_not_acknowledged),
        Refusal::NoProposal => td_string!(locale, err_overlap_no_proposal),
        Refusal::Decided => td_string!(locale, err_overlap_decided),
        Refusal::NotDecided => td_string!(locale, err_overlap_not_decided),
        Refusal::Closed => td_string!(locale, err_overlap_closed),
    };
    AppError::Refused(text.to_owned())
}

pub(crate) fn side_number(actor: Actor) -> i32 {
    match actor {
        Actor::Side(side) => i32::from(side),
        Actor::Manager => 0,
    }
}

/// The coordinators of both sides, or of the side other than `actor`'s.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn sides_to_tell(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
    actor: Option<Actor>,
) -> Result<BTreeSet<i32>, AppError> {
    let mut sides = Vec::new();
    if actor != Some(Actor::Side(1)) {
        sides.push(o.first_joint_venture_id);
    }
    if actor != Some(Actor::Side(2)) {
        sides.push(o.second_joint_venture_id);
    }
    people_of_any(db, &sides, Role::Coordinator).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn managers_of(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
) -> Result<BTreeSet<i32>, AppError> {
    people_of_any(
        db,
        &[o.first_joint_venture_id, o.second_joint_venture_id],
        Role::Manager,
    )
    .await
}

/// Adds a step to the overlap's timeline; returns its id.
#[tracing::instrument(level = "error", skip_all)]
pub async fn add_event(
    db: &impl ConnectionTrait,
    overlap_id: i32,
    actor_id: Option<i32>,
    side: i32,
    step: Step,
    decision: Option<Decision>,
    reason: Option<String>,
) -> Result<i32, AppError> {
    Ok(overlap_event::ActiveModel {
        overlap_id: Set(overlap_id),
        at: Set(now()),
        actor_id: Set(actor_id),
        side: Set(side),
        step: Set(step.as_str().to_owned()),
        decision: Set(decision.map(|d| d.as_str().to_owned())),
        reason: Set(reason),
        ..Default::default()
    }
    .insert(db)
    .await?
    .id)
}

/// A new overlap: its first timeline entry, and both sides told.
#[tracing::instrument(level = "error", skip_all)]
pub async fn on_found(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
    mail: &Mail,
) -> Result<(), AppError> {
    add_event(db, o.id, None, 0, Step::Found, None, None).await?;
    let people = sides_to_tell(db, o, None).await?;
    notify(
        db,
        &people,
        NotificationKind::NewOverlap,
        About::Overlap(o.id),
        &format!("overlap:{}:found", o.id),
        mail,
    )
    .await
}

/// What a step form sends.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub step: String,
    pub version: i32,
    pub decision: String,
    pub reason: String,
}

/// Takes the overlap's row lock as the transaction's first statement (a write that changes
/// nothing): a second step on the same overlap waits for this one instead of interleaving (on
/// SQLite, a transaction that read first could not upgrade to writing at all).
#[tracing::instrument(level = "error", skip_all)]
pub async fn lock_overlap(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    overlap::Entity::update_many()
        .col_expr(
            overlap::Column::Version,
            Expr::col(overlap::Column::Version),
        )
        .filter(overlap::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub(crate) fn null_text() -> Expr {
    Expr::value(Option::<String>::None)
}

pub(crate) fn null_number() -> Expr {
    Expr::value(Option::<i32>::None)
}

/// Takes one step of an overlap's life (acknowledge, propose, agree, rule, reopen, close). A
/// step rests on the version the caller saw: if someone else acted since, nothing is written
/// and the caller is told to look again. An acknowledgement depends on nothing else the caller
/// saw, so it is applied to the latest version instead. Returns who the caller was to it.
#[tracing::instrument(level = "error", skip_all)]
pub async fn take_step(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
    input: &StepInput,
) -> Result<Actor, AppError> {
    let locale = user.locale;
    let step = match input.step.parse::<Step>() {
        Ok(
            step @ (Step::Acknowledge
            | Step::Propose
            | Step::Agree
            | Step::Rule
            | Step::Reopen
            | Step::Close),
        ) => step,
        _ => {
            return Err(AppError::invalid(
                "step",
                td_string!(locale, err_choose_from_list),
            ));
        }
    };
    let decision =
        if matches!(step, Step::Propose | Step::Rule) {
            Some(input.decision.parse::<Decision>().map_err(|_| {
                AppError::invalid("decision", td_string!(locale, err_choose_from_list))
            })?)
        } else {
            None
        };
    let reason = input.reason.trim();
    let length = reason.chars().count();
    let needs_reason =
        matches!(step, Step::Rule | Step::Reopen) || decision == Some(Decision::FalseMatch);
    if (needs_reason && length < 5) || length > 2000 {
        return Err(AppError::invalid(
            "reason",
            td_string!(locale, err_overlap_step_reason),
        ));
    }
    let reason = (!reason.is_empty()).then(|| reason.to_owned());
    for _attempt in 0..3 {
        let txn = crate::server::begin_write(db).await?;
        lock_overlap(&txn, id).await?;
        let o = overlap::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AppError::Forbidden)?;
        let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
        let status = status_of(&o);
        workflow::check(&status, actor, step).map_err(refused)?;
        if o.version != input.version && step != Step::Acknowledge {
            return Err(conflict());
        }
        let next = workflow::next(&status, actor, step);
        let at = now();
        let mut update = overlap::Entity::update_many()
            .col_expr(overlap::Column::Version, Expr::value(o.version + 1))
            .col_expr(overlap::Column::State, Expr::value(next.as_str()))
            .filter(overlap::Column::Id.eq(id))
            .filter(overlap::Column::Version.eq(o.version));
        let clear_proposal = |u: sea_orm::UpdateMany<overlap::Entity>| {
            u.col_expr(overlap::Column::ProposedDecision, null_text())
                .col_expr(overlap::Column::ProposedBySide, null_number())
        };
        let mut decided = None;
        match step {
            Step::Acknowledge => {
                let (at_column, by_column) = if actor == Actor::Side(1) {
                    (
                        overlap::Column::FirstAcknowledgedAt,
                        overlap::Column::FirstAcknowledgedBy,
                    )
                } else {
                    (
                        overlap::Column::SecondAcknowledgedAt,
                        overlap::Column::SecondAcknowledgedBy,
                    )
                };
                update = update
                    .col_expr(at_column, Expr::value(at.clone()))
                    .col_expr(by_column, Expr::value(user.id));
                if next == State::Acknowledged {
                    update = update.col_expr(overlap::Column::DecideFrom, Expr::value(at.clone()));
                }
            }
            Step::Propose => {
                update = update
                    .col_expr(
                        overlap::Column::ProposedDecision,
                        Expr::value(decision.map(Decision::as_str)),
                    )
                    .col_expr(
                        overlap::Column::ProposedBySide,
                        Expr::value(side_number(actor)),
                    );
            }
            Step::Agree | Step::Rule => {
                decided = if step == Step::Agree {
                    status.proposal.map(|(d, _)| d)
                } else {
                    decision
                };
                update = clear_proposal(update)
                    .col_expr(
                        overlap::Column::Decision,
                        Expr::value(decided.map(Decision::as_str)),
                    )
                    .col_expr(overlap::Column::DecidedAt, Expr::value(at.clone()))
                    .col_expr(overlap::Column::DecidedBy, Expr::value(user.id))
                    .col_expr(overlap::Column::Ruled, Expr::value(step == Step::Rule));
            }
            Step::Reopen => {
                update = clear_proposal(update)
                    .col_expr(overlap::Column::Decision, null_text())
                    .col_expr(overlap::Column::DecidedAt, null_text())
                    .col_expr(overlap::Column::DecidedBy, null_number())
                    .col_expr(overlap::Column::Ruled, Expr::value(false))
                    .col_expr(overlap::Column::ClosedAt, null_text());
                if next == State::Acknowledged {
                    update = update.col_expr(overlap::Column::DecideFrom, Expr::value(at.clone()));
                }
            }
            Step::Close => {
                update = update.col_expr(overlap::Column::ClosedAt, Expr::value(at.clone()));
            }
            _ => {}
        }
        let written = update.exec(&txn).await?;
        if written.rows_affected != 1 {
            drop(txn);
            if step == Step::Acknowledge {
                continue;
            }
            return Err(conflict());
        }
        let event_decision = decided.or(decision);
        let event = add_event(
            &txn,
            id,
            Some(user.id),
            side_number(actor),
            step,
            event_decision,
            reason.clone(),
        )
        .await?;
        // A false match is remembered so that the same evidence is never raised again, and
        // forgotten when the decision is reopened.
        if decided == Some(Decision::FalseMatch) {
            let known = false_match::Entity::find_by_id(o.evidence.clone())
                .one(&txn)
                .await?;
            if known.is_none() {
                false_match::ActiveModel {
                    evidence: Set(o.evidence.clone()),
                    reason: Set(reason.clone().unwrap_or_default()),
                    judged_by: Set(user.id),
                    judged_at: Set(at.clone()),
                }
                .insert(&txn)
                .await?;
            }
        }
        if step == Step::Reopen && o.decision.as_deref() == Some(Decision::FalseMatch.as_str()) {
            false_match::Entity::delete_by_id(o.evidence.clone())
                .exec(&txn)
                .await?;
        }
        let tell = match step {
            Step::Acknowledge => Some((NotificationKind::Acknowledged, Some(actor))),
            Step::Propose => Some((NotificationKind::Proposed, Some(actor))),
            Step::Agree | Step::Rule => Some((NotificationKind::Decided, None)),
            Step::Reopen => Some((NotificationKind::Reopened, None)),
            _ => None,
        };
        if let Some((kind, except)) = tell {
            let mut people = sides_to_tell(&txn, &o, except).await?;
            people.remove(&user.id);
            notify(
                &txn,
                &people,
                kind,
                About::Overlap(id),
                &format!("event:{event}"),
                &settings.mail,
            )
            .await?;
        }
        record(
            &txn,
            user,
            "overlap_step",
            id,
            match event_decision {
                Some(d) => format!("{} {}", step.as_str(), d.as_str()),
                None => step.as_str().to_owned(),
            },
        )
        .await?;
        txn.commit().await?;
        return Ok(actor);
    }
    Err(conflict())
}

/// A note shared between the two sides. Only their coordinators write notes.
#[tracing::instrument(level = "error", skip_all)]
pub async fn add_note(
    db: &DatabaseConnection,
    user: &Caller,
    id: i32,
    title: &str,
    body: &str,
) -> Result<(), AppError> {
    let locale = user.locale;
    let (title, body) = (title.trim(), body.trim());
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AppError::invalid(
            "title",
            td_string!(locale, err_note_title),
        ));
    }
    if body.chars().count() > 4000 {
        return Err(AppError::invalid("body", td_string!(locale, err_note_body)));
    }
    let txn = crate::server::begin_write(db).await?;
    let o = overlap::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::Forbidden)?;
    let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
    workflow::check(&status_of(&o), actor, Step::Note).map_err(refused)?;
    overlap_note::ActiveModel {
        overlap_id: Set(id),
        author_id: Set(user.id),
        side: Set(side_number(actor)),
        title: Set(title.to_owned()),
        body: Set(body.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_event(
        &txn,
        id,
        Some(user.id),
        side_number(actor),
        Step::Note,
        None,
        None,
    )
    .await?;
    record(&txn, user, "overlap_note", id, String::new()).await?;
    txn.commit().await.map_err(AppError::from)
}
