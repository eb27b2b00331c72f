//! What the signal use-cases share: categories, names, events and the audit record.

use crate::server::caller::Caller;
use crate::server::time::now;
use crate::{
    domain::NotificationKind, domain::RegionKind, domain::Role, domain::SignalState,
    domain::Urgency, error::AppError, language::locale_code, language::request_locale,
    partnerships::types::Named, signals::rules, signals::types::Viewer,
};
use crate::{
    notifications::send::About, notifications::send::notify, notifications::send::people_of,
    server::audit, server::entity::case, server::entity::joint_venture, server::entity::region,
    server::entity::signal, server::entity::signal_category, server::entity::signal_event,
    server::time::amsterdam_date, server::time::today, settings::Settings,
};
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const MAX_OBSERVED: usize = 4000;

pub(crate) const MAX_FEEDBACK: usize = 1000;

pub(crate) const MAX_SHORT: usize = 200;

/// Records an action on a signal, a routing rule or a category.
pub(crate) async fn audit_event(
    db: &impl sea_orm::TransactionTrait,
    user: &Caller,
    action: &'static str,
    object_type: &'static str,
    object_id: String,
    detail: String,
) -> Result<(), AppError> {
    audit::record_by(db, user, action, object_type, object_id, detail).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn record(
    db: &impl sea_orm::TransactionTrait,
    user: &Caller,
    action: &'static str,
    id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit_event(db, user, action, "signal", id.to_string(), detail).await
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn categories(
    db: &impl ConnectionTrait,
    active_only: bool,
) -> Result<Vec<signal_category::Model>, AppError> {
    let mut query = signal_category::Entity::find();
    if active_only {
        query = query.filter(signal_category::Column::Active.eq(true));
    }
    query
        .order_by_asc(signal_category::Column::Position)
        .order_by_asc(signal_category::Column::Id)
        .all(db)
        .await
        .map_err(AppError::from)
}

pub(crate) fn category_name(c: &signal_category::Model) -> String {
    if locale_code(request_locale()) == "en" {
        c.name_en.clone()
    } else {
        c.name_nl.clone()
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn municipalities(
    db: &impl ConnectionTrait,
) -> Result<Vec<region::Model>, AppError> {
    region::Entity::find()
        .filter(region::Column::Kind.eq(RegionKind::Municipality.as_str()))
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(AppError::from)
}

pub(crate) fn is_reporter(user: &Caller) -> bool {
    crate::access::may(
        user,
        crate::access::Action::Manage,
        crate::access::Object::SignalReport,
    )
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn active_ventures(db: &impl ConnectionTrait) -> Result<BTreeSet<i32>, AppError> {
    let today = today();
    Ok(joint_venture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|v| v.end_date.is_none_or(|end| end >= today))
        .map(|v| v.id)
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn add_event(
    db: &impl ConnectionTrait,
    signal_id: i32,
    actor: Option<i32>,
    step: &str,
    note: Option<String>,
) -> Result<(), AppError> {
    signal_event::ActiveModel {
        signal_id: Set(signal_id),
        at: Set(now()),
        actor_id: Set(actor),
        step: Set(step.to_owned()),
        note: Set(note),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Tells the people holding `role` in joint venture `jv` about signal `signal_id`, once per
/// `dedupe`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn tell(
    db: &impl ConnectionTrait,
    jv: i32,
    role: Role,
    kind: NotificationKind,
    signal_id: i32,
    dedupe: &str,
    settings: &Settings,
) -> Result<(), AppError> {
    let people = people_of(db, jv, role).await?;
    notify(
        db,
        &people,
        kind,
        About::Signal(signal_id),
        dedupe,
        &settings.mail,
    )
    .await
}

/// Signal `id` and how the caller sees it; an unknown signal and another's are refused alike.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn find_for(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: i32,
) -> Result<(signal::Model, Viewer), AppError> {
    let s = signal::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::Forbidden)?;
    let viewer = viewer(user, &s).ok_or(AppError::Forbidden)?;
    Ok((s, viewer))
}

/// A signal's state. The workflow writes only known codes; a corrupt one is logged as an
/// error and read as `new`, so that the signal stays in front of its owner.
pub(crate) fn state_of(s: &signal::Model) -> SignalState {
    s.state.parse().unwrap_or_else(|err| {
        tracing::error!(error = %err, signal = s.id, "a stored signal state is unknown");
        SignalState::New
    })
}

/// A signal's urgency; a corrupt code is logged as an error and read as normal.
pub(crate) fn urgency_of(s: &signal::Model) -> Urgency {
    s.urgency.parse().unwrap_or_else(|err| {
        tracing::error!(error = %err, signal = s.id, "a stored urgency is unknown");
        Urgency::Normal
    })
}

/// The step the signal works towards and its last day; none once ended or when attached to
/// an earlier signal (that one carries the follow-up).
pub fn deadline(
    s: &signal::Model,
    deadlines: &rules::SignalDeadlines,
) -> Option<(&'static str, NaiveDate)> {
    if s.duplicate_of.is_some() {
        return None;
    }
    deadlines.current(
        state_of(s),
        urgency_of(s),
        amsterdam_date(&s.created_at),
        s.assessed_at.as_deref().map(amsterdam_date),
    )
}

/// Joint venture and category names, read once for a whole page.
pub(crate) struct Names {
    pub(crate) ventures: BTreeMap<i32, String>,
    pub(crate) categories: BTreeMap<i32, String>,
}

impl Names {
    pub(crate) async fn read(db: &impl ConnectionTrait) -> Result<Self, AppError> {
        Ok(Names {
            ventures: crate::partnerships::store::venture_names(db).await?,
            categories: categories(db, false)
                .await?
                .iter()
                .map(|c| (c.id, category_name(c)))
                .collect(),
        })
    }
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn named_cases(
    db: &impl ConnectionTrait,
    jv: Option<i32>,
) -> Result<Vec<Named>, AppError> {
    let Some(jv) = jv else {
        return Ok(Vec::new());
    };
    Ok(case::Entity::find()
        .filter(case::Column::JointVentureId.eq(jv))
        .order_by_asc(case::Column::Reference)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Named {
            id: c.id,
            name: format!("{} — {}", c.reference, c.title),
        })
        .collect())
}

/// How `user` may look at signal `s`, if at all. Coordinators of the owner act; managers
/// overseeing it read; the reporter reads their own; an administrator sees an unowned
/// signal to route it.
pub fn viewer(user: &Caller, s: &signal::Model) -> Option<Viewer> {
    crate::access::signal_standing(user, s.joint_venture_id, s.reported_by)
}
