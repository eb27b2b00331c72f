//! An overlap's timeline, notes and the steps open to the viewer.

use crate::overlaps::status::{due, flags_of, status_of};
use crate::overlaps::steps::side_number;
use crate::server::time::{local_moment, today};
use crate::{
    domain::OverlapStep as Step, error::AppError, overlaps::workflow, overlaps::workflow::Actor,
    overlaps::workflow::Deadlines, overlaps::workflow_types::NoteView,
    overlaps::workflow_types::TimelineEntry, overlaps::workflow_types::Workflow,
};
use crate::{
    partnerships::store::venture_names, server::entity::overlap, server::entity::overlap_event,
    server::entity::overlap_note, server::entity::user_account,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i32>,
) -> Result<BTreeMap<i32, String>, AppError> {
    let ids: BTreeSet<i32> = ids.into_iter().collect();
    Ok(user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect())
}

/// The workflow of one overlap as `actor` may see it: managers get the notes' titles only.
#[tracing::instrument(level = "error", skip_all)]
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
        .await?;
    let notes = overlap_note::Entity::find()
        .filter(overlap_note::Column::OverlapId.eq(o.id))
        .order_by_asc(overlap_note::Column::Id)
        .all(db)
        .await?;
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
    .filter(|step| workflow::check(&status, actor, *step).is_ok())
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
                .as_deref()
                .map(|at| (local_moment(at), name(o.first_acknowledged_by))),
            o.second_acknowledged_at
                .as_deref()
                .map(|at| (local_moment(at), name(o.second_acknowledged_by))),
        ],
        acknowledge_by: acknowledge_by.to_string(),
        decide_by: decide_by.map(|d| d.to_string()),
        proposal: status.proposal,
        decision: o.decision.as_deref().and_then(|d| d.parse().ok()),
        decided_at: o.decided_at.as_deref().map(local_moment),
        ruled: o.ruled,
        follow_up: o.follow_up.clone().map(|text| (name(o.follow_up_by), text)),
        flags,
        allowed,
        timeline: events
            .into_iter()
            .filter_map(|e| {
                Some(TimelineEntry {
                    at: local_moment(&e.at),
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
                at: local_moment(&n.created_at),
                author: name(Some(n.author_id)),
                side: n.side,
                title: n.title,
                body: full_notes.then_some(n.body),
            })
            .collect(),
    })
}
