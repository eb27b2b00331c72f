//! Managers: the overlaps of the joint ventures they oversee; assigning a follow-up.

use crate::overlaps::status::{cases_of, flags_with, next_due, state_of, status_of};
use crate::overlaps::steps::{actor, add_event, conflict, lock_overlap, refused, sides_to_tell};
use crate::overlaps::store::{
    Allowed, Handlings, disclosed, frozen_side, frozen_sides, handling_allows,
};
use crate::overlaps::workflow_view::{names, workflow};
use crate::server::caller::Caller;
use crate::server::time::{amsterdam_date, deadline, local_moment, today};
use crate::settings::Settings;
use crate::{
    domain::Flag, domain::NotificationKind, domain::OverlapState as State,
    domain::OverlapStep as Step, domain::Role, error::AppError, i18n::*,
    overlaps::types::OverlapFilter, overlaps::workflow, overlaps::workflow::Actor,
    overlaps::workflow_types::OverseenRow, overlaps::workflow_types::OverseenSide,
    overlaps::workflow_types::OverseenView,
};
use crate::{
    notifications::send::About, notifications::send::notify, notifications::send::people_of,
    overlaps::store::record, partnerships::store::venture_names, server::entity::case,
    server::entity::overlap, server::entity::overlap_disclosure,
};
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Expr,
};
use std::collections::{BTreeMap, BTreeSet};

/// A manager assigns a follow-up to one of either side's coordinators.
#[tracing::instrument(level = "error", skip_all)]
pub async fn assign_follow_up(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
    version: i32,
    assignee: i32,
    text: &str,
) -> Result<(), AppError> {
    let locale = user.locale;
    let text = text.trim();
    if text.chars().count() < 5 || text.chars().count() > 2000 {
        return Err(AppError::invalid(
            "follow_up",
            td_string!(locale, err_follow_up_text),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
    lock_overlap(&txn, id).await?;
    let o = overlap::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::Forbidden)?;
    let actor = actor(user, &o).ok_or(AppError::Forbidden)?;
    workflow::check(&status_of(&o), actor, Step::FollowUp).map_err(refused)?;
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
        .await?;
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
    txn.commit().await.map_err(AppError::from)
}

pub(crate) fn overseen_condition(user: &Caller) -> Condition {
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
            d >= today && crate::domain::working_days::working_days_between(today, d) <= 2
        }),
        _ => true,
    };
    flag_ok && due_ok
}

fn joint_venture_of(o: &overlap::Model, side: i32) -> i32 {
    if side == 1 {
        o.first_joint_venture_id
    } else {
        o.second_joint_venture_id
    }
}

/// Side `side`'s case, and the joint venture of the other side (the one it discloses to).
fn case_and_other(o: &overlap::Model, side: i32) -> (i32, i32) {
    if side == 1 {
        (o.first_case_id, o.second_joint_venture_id)
    } else {
        (o.second_case_id, o.first_joint_venture_id)
    }
}

/// One side as a manager sees it: for a joint venture they oversee, its case as it is; for the
/// other, only what that side disclosed, frozen at disclosure, and only while its handling code
/// (`allowed`, towards the side they oversee) still allows it — the same rule as the
/// coordinators' (`store::disclosed`).
fn overseen_side(
    user: &Caller,
    ventures: &BTreeMap<i32, String>,
    o: &overlap::Model,
    side: i32,
    live: Option<&case::Model>,
    allowed: Allowed,
    frozen: Option<overlap_disclosure::Model>,
) -> OverseenSide {
    let jv = joint_venture_of(o, side);
    let joint_venture = ventures.get(&jv).cloned().unwrap_or_default();
    if user.oversees.contains(&jv) {
        return OverseenSide {
            joint_venture,
            case: live.map(|c| (c.reference.clone(), c.title.clone())),
            disclosed_at: None,
            withdrawn: false,
        };
    }
    let shown = disclosed(o, side, allowed, frozen);
    let frozen = shown.frozen();
    OverseenSide {
        joint_venture,
        case: frozen.map(|f| (f.case_reference.clone(), f.case_title.clone())),
        disclosed_at: frozen.and(o.disclosed_at.as_deref().map(local_moment)),
        withdrawn: shown.withdrawn(),
    }
}

/// The overlaps of the joint ventures a manager oversees: references, titles of the sides they
/// oversee (of the other side only as disclosed, while its handling code allows), states,
/// decisions and flags. No subjects.
#[tracing::instrument(level = "error", skip_all)]
pub async fn overseen(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    filter: &OverlapFilter,
) -> Result<Vec<OverseenRow>, AppError> {
    crate::access::require(
        user,
        crate::access::Action::Read,
        crate::access::Object::Oversight,
    )?;
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
            .ok_or_else(|| AppError::invalid("pair", td_string!(user.locale, err_pair_format)))?;
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
            t => crate::domain::dates::parse_day(t)
                .map(Some)
                .ok_or_else(|| AppError::invalid(field, td_string!(user.locale, err_date_format))),
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
        .await?;
    let today = today();
    let cases = cases_of(db, &found).await?;
    let flags = flags_with(&found, &cases, &settings.deadlines, today);
    let ventures = venture_names(db).await?;
    let handlings = Handlings::of(db, &cases).await?;
    let frozen = frozen_sides(db, &found).await?;
    let side = |o: &overlap::Model, side: i32| {
        let (case_id, other_jv) = case_and_other(o, side);
        overseen_side(
            user,
            &ventures,
            o,
            side,
            cases.get(&case_id),
            handlings.allows(case_id, other_jv),
            frozen.get(&(o.id, side)).cloned(),
        )
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
                sides: vec![side(o, 1), side(o, 2)],
                state: state_of(o),
                decision: o.decision.as_deref().and_then(|d| d.parse().ok()),
                flags,
                due: due.map(|d| deadline(d, today)),
                created_at: local_moment(&o.created_at),
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
#[tracing::instrument(level = "error", skip_all)]
pub async fn overseen_view(
    db: &DatabaseConnection,
    user: &Caller,
    settings: &Settings,
    id: i32,
) -> Result<OverseenView, AppError> {
    let o = overlap::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    if actor(user, &o) != Some(Actor::Manager) {
        return Err(AppError::Forbidden);
    }
    let ventures = venture_names(db).await?;
    let mut sides = Vec::new();
    for side in [1, 2] {
        let (case_id, other_jv) = case_and_other(&o, side);
        let live = if user.oversees.contains(&joint_venture_of(&o, side)) {
            case::Entity::find_by_id(case_id).one(db).await?
        } else {
            None
        };
        let allowed = handling_allows(db, case_id, other_jv).await?;
        let frozen = if o.disclosed_at.is_some() {
            frozen_side(db, o.id, side).await?
        } else {
            None
        };
        sides.push(overseen_side(
            user,
            &ventures,
            &o,
            side,
            live.as_ref(),
            allowed,
            frozen,
        ));
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
