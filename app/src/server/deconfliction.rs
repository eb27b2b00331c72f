//! The deconfliction workflow on the server: the steps of an overlap's life under the rules of
//! `crate::deconfliction::rules`, with optimistic concurrency, a timeline, shared notes, a
//! manager's follow-up, the derived flags, and the deadline job that raises them, escalates and
//! sends the e-mail.

use super::{
    entity::{
        case, false_match, job_lease, overlap, overlap_event, overlap_flag, overlap_note,
        user_account,
    },
    notifications::{About, Mail, notify, people_of},
    overlaps::{record, venture_names},
};
use crate::{
    auth::SignedInUser,
    authorize::{Action, Object, may},
    deconfliction::{
        NoteView, OverseenRow, OverseenSide, OverseenView, TimelineEntry, Workflow,
        rules::{self, Actor, Deadlines, FlagFacts, Refusal, Status},
    },
    domain::{Decision, Flag, NotificationKind, OverlapState as State, OverlapStep as Step, Role},
    error::AppError,
    i18n::*,
    language::request_locale,
    overlaps::{OverlapFilter, score::LIKELY},
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Expr, OnConflict},
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "deconfliction");
    AppError::Unavailable
}

/// The workflow's settings, put into every request's context by the server.
#[derive(Clone, Debug)]
pub struct Deconfliction {
    pub deadlines: Deadlines,
    /// A signal's deadlines per step and urgency.
    pub signals: crate::signals::rules::SignalDeadlines,
    /// Days within which a second report of a subject is attached to the first signal.
    pub duplicate_days: u32,
    /// How old the ministry's summary of a quarter may be before it is counted again.
    pub summary_max_age_minutes: u32,
    pub mail: Mail,
}

impl Default for Deconfliction {
    fn default() -> Self {
        Deconfliction {
            deadlines: Deadlines::default(),
            signals: crate::signals::rules::SignalDeadlines::default(),
            duplicate_days: 30,
            summary_max_age_minutes: 15,
            mail: Mail::default(),
        }
    }
}

pub fn settings() -> Deconfliction {
    leptos::prelude::use_context::<Deconfliction>().unwrap_or_default()
}

fn now() -> String {
    super::utc_text(Utc::now())
}

/// The Dutch calendar date of a stored UTC time.
pub fn amsterdam_date(text: &str) -> NaiveDate {
    let at = DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|_| Utc::now());
    at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// Today in the Netherlands.
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive()
}

pub fn state_of(o: &overlap::Model) -> State {
    o.state.parse().unwrap_or(State::Open)
}

pub fn status_of(o: &overlap::Model) -> Status {
    Status {
        state: state_of(o),
        acknowledged: [
            o.first_acknowledged_at.is_some(),
            o.second_acknowledged_at.is_some(),
        ],
        proposal: o
            .proposed_decision
            .as_deref()
            .and_then(|d| d.parse().ok())
            .zip(o.proposed_by_side.map(|s| if s == 2 { 2 } else { 1 })),
    }
}

/// An overlap's times that its deadlines follow from.
pub struct Times<'a> {
    pub created_at: &'a str,
    pub urgent: bool,
    pub decide_from: Option<&'a str>,
}

impl<'a> From<&'a overlap::Model> for Times<'a> {
    fn from(o: &'a overlap::Model) -> Self {
        Times {
            created_at: &o.created_at,
            urgent: o.urgent,
            decide_from: o.decide_from.as_deref(),
        }
    }
}

/// The last day to acknowledge, and (once both did) the last day to decide.
pub fn due_of(t: &Times, deadlines: &Deadlines) -> (NaiveDate, Option<NaiveDate>) {
    (
        deadlines.acknowledge_by(amsterdam_date(t.created_at), t.urgent),
        t.decide_from
            .map(|from| deadlines.decide_by(amsterdam_date(from))),
    )
}

pub fn due(o: &overlap::Model, deadlines: &Deadlines) -> (NaiveDate, Option<NaiveDate>) {
    due_of(&Times::from(o), deadlines)
}

/// The deadline that counts now in `state`, if any.
pub fn next_due_of(state: State, t: &Times, deadlines: &Deadlines) -> Option<NaiveDate> {
    let (acknowledge_by, decide_by) = due_of(t, deadlines);
    match state {
        State::Open => Some(acknowledge_by),
        State::Acknowledged => decide_by,
        _ => None,
    }
}

/// The deadline that counts now, if any.
pub fn next_due(o: &overlap::Model, deadlines: &Deadlines) -> Option<NaiveDate> {
    next_due_of(state_of(o), &Times::from(o), deadlines)
}

/// The flags of each overlap today (see `rules::flags`).
pub async fn flags_of(
    db: &impl ConnectionTrait,
    overlaps: &[overlap::Model],
    deadlines: &Deadlines,
    today: NaiveDate,
) -> Result<HashMap<i32, Vec<Flag>>, AppError> {
    let cases = cases_of(db, overlaps).await?;
    Ok(flags_with(overlaps, &cases, deadlines, today))
}

/// Both sides' cases of the overlaps, by id (lists read them once, for flags and for rows).
pub async fn cases_of(
    db: &impl ConnectionTrait,
    overlaps: &[overlap::Model],
) -> Result<HashMap<i32, case::Model>, AppError> {
    let case_ids: BTreeSet<i32> = overlaps
        .iter()
        .flat_map(|o| [o.first_case_id, o.second_case_id])
        .collect();
    let mut cases: HashMap<i32, case::Model> = HashMap::new();
    for chunk in case_ids.into_iter().collect::<Vec<_>>().chunks(5000) {
        for c in case::Entity::find()
            .filter(case::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await
            .map_err(unexpected)?
        {
            cases.insert(c.id, c);
        }
    }
    Ok(cases)
}

/// The flags of each overlap today, from its cases (see `rules::flags`).
pub fn flags_with(
    overlaps: &[overlap::Model],
    cases: &HashMap<i32, case::Model>,
    deadlines: &Deadlines,
    today: NaiveDate,
) -> HashMap<i32, Vec<Flag>> {
    overlaps
        .iter()
        .map(|o| {
            let (a, b) = (cases.get(&o.first_case_id), cases.get(&o.second_case_id));
            let primary = |c: Option<&case::Model>, item: i32| {
                c.is_some_and(|c| c.primary_subject_id == Some(item))
            };
            let (acknowledge_by, decide_by) = due(o, deadlines);
            let facts = FlagFacts {
                state: state_of(o),
                operation: o.kind == "operation",
                today,
                acknowledge_by,
                decide_by,
                likely_on_primary: o.kind == "subject"
                    && o.score >= LIKELY
                    && (primary(a, o.first_item_id) || primary(b, o.second_item_id)),
                same_theme: a.zip(b).is_some_and(|(a, b)| a.theme == b.theme),
                both_active: a
                    .zip(b)
                    .is_some_and(|(a, b)| a.status == "active" && b.status == "active"),
            };
            (o.id, rules::flags(&facts))
        })
        .collect()
}

/// Who `user` is to this overlap: a side's coordinator, a manager overseeing either side, or
/// nobody (refused).
pub fn actor(user: &SignedInUser, o: &overlap::Model) -> Option<Actor> {
    if may(
        user,
        Action::Manage,
        Object::JointVentureWork(o.first_joint_venture_id),
    ) {
        Some(Actor::Side(1))
    } else if may(
        user,
        Action::Manage,
        Object::JointVentureWork(o.second_joint_venture_id),
    ) {
        Some(Actor::Side(2))
    } else if may(
        user,
        Action::Review,
        Object::OverlapOversight(o.first_joint_venture_id, o.second_joint_venture_id),
    ) {
        Some(Actor::Manager)
    } else {
        None
    }
}

fn conflict() -> AppError {
    AppError::Conflict(td_string!(request_locale(), err_overlap_conflict).to_owned())
}

pub(super) fn refused(refusal: Refusal) -> AppError {
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

fn side_number(actor: Actor) -> i32 {
    match actor {
        Actor::Side(side) => i32::from(side),
        Actor::Manager => 0,
    }
}

/// The coordinators of both sides, or of the side other than `actor`'s.
async fn sides_to_tell(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
    actor: Option<Actor>,
) -> Result<BTreeSet<i32>, AppError> {
    let mut people = BTreeSet::new();
    if actor != Some(Actor::Side(1)) {
        people.extend(people_of(db, o.first_joint_venture_id, Role::Coordinator).await?);
    }
    if actor != Some(Actor::Side(2)) {
        people.extend(people_of(db, o.second_joint_venture_id, Role::Coordinator).await?);
    }
    Ok(people)
}

async fn managers_of(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
) -> Result<BTreeSet<i32>, AppError> {
    let mut people = people_of(db, o.first_joint_venture_id, Role::Manager).await?;
    people.extend(people_of(db, o.second_joint_venture_id, Role::Manager).await?);
    Ok(people)
}

/// Adds a step to the overlap's timeline; returns its id.
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
    .await
    .map_err(unexpected)?
    .id)
}

/// A new overlap: its first timeline entry, and both sides told.
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
pub async fn lock_overlap(db: &impl ConnectionTrait, id: i32) -> Result<(), AppError> {
    overlap::Entity::update_many()
        .col_expr(
            overlap::Column::Version,
            Expr::col(overlap::Column::Version),
        )
        .filter(overlap::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(unexpected)?;
    Ok(())
}

fn null_text() -> Expr {
    Expr::value(Option::<String>::None)
}

fn null_number() -> Expr {
    Expr::value(Option::<i32>::None)
}

/// Takes one step of an overlap's life (acknowledge, propose, agree, rule, reopen, close). A
/// step rests on the version the caller saw: if someone else acted since, nothing is written
/// and the caller is told to look again. An acknowledgement depends on nothing else the caller
/// saw, so it is applied to the latest version instead. Returns who the caller was to it.
pub async fn take_step(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
    input: &StepInput,
) -> Result<Actor, AppError> {
    let locale = request_locale();
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
        let txn = db.begin().await.map_err(unexpected)?;
        lock_overlap(&txn, id).await?;
        let o = overlap::Entity::find_by_id(id)
            .one(&txn)
            .await
            .map_err(unexpected)?
            .ok_or(AppError::Forbidden)?;
        let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
        let status = status_of(&o);
        rules::check(&status, actor, step).map_err(refused)?;
        if o.version != input.version && step != Step::Acknowledge {
            return Err(conflict());
        }
        let next = rules::next(&status, actor, step);
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
        let written = update.exec(&txn).await.map_err(unexpected)?;
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
                .await
                .map_err(unexpected)?;
            if known.is_none() {
                false_match::ActiveModel {
                    evidence: Set(o.evidence.clone()),
                    reason: Set(reason.clone().unwrap_or_default()),
                    judged_by: Set(user.id),
                    judged_at: Set(at.clone()),
                }
                .insert(&txn)
                .await
                .map_err(unexpected)?;
            }
        }
        if step == Step::Reopen && o.decision.as_deref() == Some(Decision::FalseMatch.as_str()) {
            false_match::Entity::delete_by_id(o.evidence.clone())
                .exec(&txn)
                .await
                .map_err(unexpected)?;
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
        txn.commit().await.map_err(unexpected)?;
        return Ok(actor);
    }
    Err(conflict())
}

/// A note shared between the two sides. Only their coordinators write notes.
pub async fn add_note(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
    title: &str,
    body: &str,
) -> Result<(), AppError> {
    let locale = request_locale();
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
    let txn = db.begin().await.map_err(unexpected)?;
    let o = overlap::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Forbidden)?;
    let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
    rules::check(&status_of(&o), actor, Step::Note).map_err(refused)?;
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
    .await
    .map_err(unexpected)?;
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
    txn.commit().await.map_err(unexpected)
}

/// A manager assigns a follow-up to one of either side's coordinators.
pub async fn assign_follow_up(
    db: &DatabaseConnection,
    user: &SignedInUser,
    settings: &Deconfliction,
    id: i32,
    version: i32,
    assignee: i32,
    text: &str,
) -> Result<(), AppError> {
    let locale = request_locale();
    let text = text.trim();
    if text.chars().count() < 5 || text.chars().count() > 2000 {
        return Err(AppError::invalid(
            "follow_up",
            td_string!(locale, err_follow_up_text),
        ));
    }
    let txn = db.begin().await.map_err(unexpected)?;
    lock_overlap(&txn, id).await?;
    let o = overlap::Entity::find_by_id(id)
        .one(&txn)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Forbidden)?;
    let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
    rules::check(&status_of(&o), actor, Step::FollowUp).map_err(refused)?;
    if o.version != version {
        return Err(conflict());
    }
    if !sides_to_tell(&txn, &o, None).await?.contains(&assignee) {
        return Err(AppError::invalid(
            "assignee",
            td_string!(locale, err_choose_from_list),
        ));
    }
    let written = overlap::Entity::update_many()
        .col_expr(overlap::Column::Version, Expr::value(o.version + 1))
        .col_expr(overlap::Column::FollowUpBy, Expr::value(assignee))
        .col_expr(overlap::Column::FollowUp, Expr::value(text))
        .filter(overlap::Column::Id.eq(id))
        .filter(overlap::Column::Version.eq(o.version))
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if written.rows_affected != 1 {
        return Err(conflict());
    }
    let event = add_event(
        &txn,
        id,
        Some(user.id),
        0,
        Step::FollowUp,
        None,
        Some(text.to_owned()),
    )
    .await?;
    notify(
        &txn,
        &BTreeSet::from([assignee]),
        NotificationKind::FollowUp,
        About::Overlap(id),
        &format!("event:{event}"),
        &settings.mail,
    )
    .await?;
    record(
        &txn,
        user,
        "overlap_follow_up",
        id,
        format!("to user {assignee}"),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}

async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<BTreeMap<i32, String>, AppError> {
    let ids: BTreeSet<i32> = ids.into_iter().collect();
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The workflow of one overlap as `actor` may see it: managers get the notes' titles only.
pub async fn workflow(
    db: &impl ConnectionTrait,
    o: &overlap::Model,
    actor: Actor,
    deadlines: &Deadlines,
) -> Result<Workflow, AppError> {
    let events = overlap_event::Entity::find()
        .filter(overlap_event::Column::OverlapId.eq(o.id))
        .order_by_asc(overlap_event::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    let notes = overlap_note::Entity::find()
        .filter(overlap_note::Column::OverlapId.eq(o.id))
        .order_by_asc(overlap_note::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    let people = names(
        db,
        events
            .iter()
            .filter_map(|e| e.actor_id)
            .chain(notes.iter().map(|n| n.author_id))
            .chain(o.first_acknowledged_by)
            .chain(o.second_acknowledged_by)
            .chain(o.follow_up_by),
    )
    .await?;
    let name = |id: Option<i32>| {
        id.and_then(|id| people.get(&id).cloned())
            .unwrap_or_default()
    };
    let ventures = venture_names(db).await?;
    let status = status_of(o);
    let (acknowledge_by, decide_by) = due(o, deadlines);
    let flags = flags_of(db, std::slice::from_ref(o), deadlines, today())
        .await?
        .remove(&o.id)
        .unwrap_or_default();
    let allowed = [
        Step::Acknowledge,
        Step::Propose,
        Step::Agree,
        Step::Rule,
        Step::Reopen,
        Step::Close,
        Step::FollowUp,
        Step::Note,
    ]
    .into_iter()
    .filter(|step| rules::check(&status, actor, *step).is_ok())
    .collect();
    let full_notes = matches!(actor, Actor::Side(_));
    Ok(Workflow {
        state: status.state,
        version: o.version,
        my_side: side_number(actor),
        side_names: vec![
            ventures
                .get(&o.first_joint_venture_id)
                .cloned()
                .unwrap_or_default(),
            ventures
                .get(&o.second_joint_venture_id)
                .cloned()
                .unwrap_or_default(),
        ],
        acknowledged: vec![
            o.first_acknowledged_at
                .clone()
                .map(|at| (at, name(o.first_acknowledged_by))),
            o.second_acknowledged_at
                .clone()
                .map(|at| (at, name(o.second_acknowledged_by))),
        ],
        acknowledge_by: acknowledge_by.to_string(),
        decide_by: decide_by.map(|d| d.to_string()),
        proposal: status.proposal,
        decision: o.decision.as_deref().and_then(|d| d.parse().ok()),
        decided_at: o.decided_at.clone(),
        ruled: o.ruled,
        follow_up: o.follow_up.clone().map(|text| (name(o.follow_up_by), text)),
        flags,
        allowed,
        timeline: events
            .into_iter()
            .filter_map(|e| {
                Some(TimelineEntry {
                    at: e.at,
                    who: name(e.actor_id),
                    side: e.side,
                    step: e.step.parse().ok()?,
                    decision: e.decision.as_deref().and_then(|d| d.parse().ok()),
                    reason: e.reason,
                })
            })
            .collect(),
        notes: notes
            .into_iter()
            .map(|n| NoteView {
                at: n.created_at,
                author: name(Some(n.author_id)),
                side: n.side,
                title: n.title,
                body: full_notes.then_some(n.body),
            })
            .collect(),
    })
}

fn overseen_condition(user: &SignedInUser) -> Condition {
    Condition::any()
        .add(overlap::Column::FirstJointVentureId.is_in(user.oversees.clone()))
        .add(overlap::Column::SecondJointVentureId.is_in(user.oversees.clone()))
}

/// A state filter as the inbox and the manager's list read it: `active` (default: not closed),
/// one state, or `all`.
pub fn state_condition(state: &str) -> Condition {
    match state.parse::<State>() {
        Ok(state) => Condition::all().add(overlap::Column::State.eq(state.as_str())),
        Err(_) if state == "all" => Condition::all(),
        Err(_) => Condition::all().add(overlap::Column::State.ne(State::Closed.as_str())),
    }
}

/// Whether a row passes the flag and deadline filters.
pub fn passes(
    filter: &OverlapFilter,
    flags: &[Flag],
    due: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    let flag_ok = match filter.flag.parse::<Flag>() {
        Ok(flag) => flags.contains(&flag),
        Err(_) => true,
    };
    let due_ok = match filter.deadline.as_str() {
        "overdue" => due.is_some_and(|d| d < today),
        // Due within the next two working days (or today).
        "soon" => due.is_some_and(|d| {
            d >= today && crate::deconfliction::working_days::working_days_between(today, d) <= 2
        }),
        _ => true,
    };
    flag_ok && due_ok
}

/// The overlaps of the joint ventures a manager oversees: references, titles of the sides they
/// oversee (of the other side only once disclosed), states, decisions and flags. No subjects.
pub async fn overseen(
    db: &DatabaseConnection,
    user: &SignedInUser,
    filter: &OverlapFilter,
) -> Result<Vec<OverseenRow>, AppError> {
    if !user.roles.contains(&Role::Manager) {
        return Err(AppError::Forbidden);
    }
    let settings = settings();
    let mut query = overlap::Entity::find()
        .filter(overseen_condition(user))
        .filter(state_condition(&filter.state));
    if !filter.kind.is_empty() && filter.kind != "all" {
        query = query.filter(overlap::Column::MatchKind.eq(filter.kind.clone()));
    }
    if !filter.pair.is_empty() {
        let (a, b) = filter
            .pair
            .split_once('-')
            .and_then(|(a, b)| Some((a.trim().parse::<i32>().ok()?, b.trim().parse::<i32>().ok()?)))
            .ok_or_else(|| {
                AppError::invalid("pair", td_string!(request_locale(), err_pair_format))
            })?;
        query = query.filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(overlap::Column::FirstJointVentureId.eq(a))
                        .add(overlap::Column::SecondJointVentureId.eq(b)),
                )
                .add(
                    Condition::all()
                        .add(overlap::Column::FirstJointVentureId.eq(b))
                        .add(overlap::Column::SecondJointVentureId.eq(a)),
                ),
        );
    }
    // Found between `since` and `until` (Dutch days): a day's margin in UTC here, the exact
    // day below.
    let day = |field: &str, text: &str| -> Result<Option<NaiveDate>, AppError> {
        match text.trim() {
            "" => Ok(None),
            t => NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    AppError::invalid(field, td_string!(request_locale(), err_date_format))
                }),
        }
    };
    let (since, until) = (day("since", &filter.since)?, day("until", &filter.until)?);
    if let Some(since) = since.and_then(|d| d.pred_opt()) {
        query = query.filter(overlap::Column::CreatedAt.gte(since.to_string()));
    }
    if let Some(until) = until.and_then(|d| d.checked_add_days(chrono::Days::new(2))) {
        query = query.filter(overlap::Column::CreatedAt.lt(until.to_string()));
    }
    let found = query
        .order_by_desc(overlap::Column::Urgent)
        .order_by_desc(overlap::Column::Id)
        .limit(1000)
        .all(db)
        .await
        .map_err(unexpected)?;
    let today = today();
    let cases = cases_of(db, &found).await?;
    let flags = flags_with(&found, &cases, &settings.deadlines, today);
    let ventures = venture_names(db).await?;
    let side = |case_id: i32, jv: i32, disclosed: bool| OverseenSide {
        joint_venture: ventures.get(&jv).cloned().unwrap_or_default(),
        case: (user.oversees.contains(&jv) || disclosed)
            .then(|| cases.get(&case_id))
            .flatten()
            .map(|c| (c.reference.clone(), c.title.clone())),
    };
    let rows: Vec<OverseenRow> = found
        .iter()
        .filter_map(|o| {
            let flags = flags.get(&o.id).cloned().unwrap_or_default();
            let due = next_due(o, &settings.deadlines);
            let found = amsterdam_date(&o.created_at);
            let in_period = since.is_none_or(|d| found >= d) && until.is_none_or(|d| found <= d);
            (in_period && passes(filter, &flags, due, today)).then(|| OverseenRow {
                id: o.id,
                match_kind: o.match_kind.clone(),
                urgent: o.urgent,
                sides: vec![
                    side(
                        o.first_case_id,
                        o.first_joint_venture_id,
                        o.disclosed_at.is_some(),
                    ),
                    side(
                        o.second_case_id,
                        o.second_joint_venture_id,
                        o.disclosed_at.is_some(),
                    ),
                ],
                state: state_of(o),
                decision: o.decision.as_deref().and_then(|d| d.parse().ok()),
                flags,
                due: due.map(|d| d.to_string()),
                created_at: o.created_at.clone(),
            })
        })
        .collect();
    record(
        db,
        user,
        "list_overseen_overlaps",
        0,
        format!("{} shown", rows.len()),
    )
    .await?;
    Ok(rows)
}

/// One overlap as a manager overseeing either side sees it.
pub async fn overseen_view(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
) -> Result<OverseenView, AppError> {
    let o = overlap::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Forbidden)?;
    if actor(user, &o) != Some(Actor::Manager) {
        return Err(AppError::Forbidden);
    }
    let settings = settings();
    let ventures = venture_names(db).await?;
    let mut sides = Vec::new();
    for (case_id, jv) in [
        (o.first_case_id, o.first_joint_venture_id),
        (o.second_case_id, o.second_joint_venture_id),
    ] {
        let case = if user.oversees.contains(&jv) || o.disclosed_at.is_some() {
            case::Entity::find_by_id(case_id)
                .one(db)
                .await
                .map_err(unexpected)?
                .map(|c| (c.reference, c.title))
        } else {
            None
        };
        sides.push(OverseenSide {
            joint_venture: ventures.get(&jv).cloned().unwrap_or_default(),
            case,
        });
    }
    let coordinators = {
        let mut list = Vec::new();
        for jv in [o.first_joint_venture_id, o.second_joint_venture_id] {
            let people = names(db, people_of(db, jv, Role::Coordinator).await?).await?;
            let venture = ventures.get(&jv).cloned().unwrap_or_default();
            list.extend(
                people
                    .into_iter()
                    .map(|(id, name)| (id, format!("{name} ({venture})"))),
            );
        }
        list
    };
    let workflow = workflow(db, &o, Actor::Manager, &settings.deadlines).await?;
    record(db, user, "read_overseen_overlap", id, String::new()).await?;
    Ok(OverseenView {
        id: o.id,
        match_kind: o.match_kind,
        score: o.score,
        urgent: o.urgent,
        sides,
        workflow,
        coordinators,
    })
}

/// What one run of the deadline job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobReport {
    /// False when another instance holds the job's lease.
    pub ran: bool,
    pub flags_raised: usize,
    pub flags_cleared: usize,
    pub mail_sent: usize,
    /// Signals past their current step's deadline.
    pub signals_overdue: usize,
}

/// Takes the named lease until `now + seconds` if it is free or ours. Works the same on SQLite
/// and PostgreSQL: the row exists once (primary key), and only one conditional update wins.
pub async fn take_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    seconds: i64,
) -> Result<bool, AppError> {
    let until = super::utc_text(now + chrono::Duration::seconds(seconds));
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        until: Set(super::utc_text(now)),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .try_insert()
    .exec(db)
    .await
    .map_err(unexpected)?;
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, Expr::value(holder))
        .col_expr(job_lease::Column::Until, Expr::value(until))
        .filter(job_lease::Column::Name.eq(name))
        .filter(
            Condition::any()
                .add(job_lease::Column::Until.lte(super::utc_text(now)))
                .add(job_lease::Column::Holder.eq(holder)),
        )
        .exec(db)
        .await
        .map_err(unexpected)?;
    Ok(taken.rows_affected == 1)
}

pub async fn release_lease(
    db: &DatabaseConnection,
    name: &str,
    holder: &str,
) -> Result<(), AppError> {
    job_lease::Entity::update_many()
        .col_expr(
            job_lease::Column::Until,
            Expr::value(super::utc_text(Utc::now() - chrono::Duration::seconds(1))),
        )
        .filter(job_lease::Column::Name.eq(name))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await
        .map_err(unexpected)?;
    Ok(())
}

/// A name for this process as a lease holder.
pub fn holder_name() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    format!("{}-{}", std::process::id(), hex::encode(bytes))
}

/// The deadline job: raises and clears the stored flags, tells both sides when a deadline is
/// near or passed, escalates an uncoordinated overlap to the managers overseeing either side,
/// and sends the queued e-mail. One instance at a time holds its lease; even without it, every
/// notification is unique per user and reason, so a second run adds nothing.
pub async fn run_job(
    db: &DatabaseConnection,
    settings: &Deconfliction,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<JobReport, AppError> {
    const LEASE: &str = "deadlines";
    if !take_lease(db, LEASE, holder, now, 300).await? {
        return Ok(JobReport::default());
    }
    let result = deadlines_once(db, settings, now).await;
    release_lease(db, LEASE, holder).await?;
    result
}

async fn deadlines_once(
    db: &DatabaseConnection,
    settings: &Deconfliction,
    now: DateTime<Utc>,
) -> Result<JobReport, AppError> {
    let mut report = JobReport {
        ran: true,
        ..JobReport::default()
    };
    let today = now
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
    let at = super::utc_text(now);
    let live = overlap::Entity::find()
        .filter(overlap::Column::State.ne(State::Closed.as_str()))
        .all(db)
        .await
        .map_err(unexpected)?;
    let flags = flags_of(db, &live, &settings.deadlines, today).await?;
    let stored: Vec<overlap_flag::Model> = overlap_flag::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?;
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
        let txn = db.begin().await.map_err(unexpected)?;
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
        } else if crate::deconfliction::working_days::working_days_between(today, by) <= 1 {
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
        }
        txn.commit().await.map_err(unexpected)?;
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
        .await
        .map_err(unexpected)?;
        if matches!(inserted, sea_orm::TryInsertResult::Inserted(_)) {
            report.flags_raised += 1;
        }
    }
    for (overlap_id, flag) in stored_set.difference(&wanted) {
        overlap_flag::Entity::delete_many()
            .filter(overlap_flag::Column::OverlapId.eq(*overlap_id))
            .filter(overlap_flag::Column::Flag.eq(flag.clone()))
            .exec(db)
            .await
            .map_err(unexpected)?;
        report.flags_cleared += 1;
    }
    report.signals_overdue = super::signals::overdue_once(db, settings, today).await?;
    report.mail_sent = super::notifications::send_pending(db, &settings.mail).await?;
    Ok(report)
}
