//! An overlap's state, deadlines and derived flags, read from its stored row.

use crate::server::time::amsterdam_date;
use crate::{
    domain::Flag, domain::OverlapState as State, error::AppError, overlaps::score::LIKELY,
    overlaps::workflow, overlaps::workflow::Deadlines, overlaps::workflow::FlagFacts,
    overlaps::workflow::Status,
};
use crate::{server::entity::case, server::entity::overlap};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};

/// An overlap's state. The workflow writes only known codes; a corrupt one is logged as an
/// error and read as `open`, so that both sides are still asked to act on it.
pub fn state_of(o: &overlap::Model) -> State {
    o.state.parse().unwrap_or_else(|err| {
        tracing::error!(error = %err, overlap = o.id, "a stored overlap state is unknown");
        State::Open
    })
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

/// The flags of each overlap today (see `workflow::flags`).
#[tracing::instrument(level = "error", skip_all)]
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
#[tracing::instrument(level = "error", skip_all)]
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
            .await?
        {
            cases.insert(c.id, c);
        }
    }
    Ok(cases)
}

/// The flags of each overlap today, from its cases (see `workflow::flags`).
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
                operation: o.kind == crate::domain::OverlapKind::Operation.as_str(),
                today,
                acknowledge_by,
                decide_by,
                likely_on_primary: o.kind == crate::domain::OverlapKind::Subject.as_str()
                    && o.score >= LIKELY
                    && (primary(a, o.first_item_id) || primary(b, o.second_item_id)),
                same_theme: a.zip(b).is_some_and(|(a, b)| a.theme == b.theme),
                both_active: a
                    .zip(b)
                    .is_some_and(|(a, b)| a.status == "active" && b.status == "active"),
            };
            (o.id, workflow::flags(&facts))
        })
        .collect()
}
