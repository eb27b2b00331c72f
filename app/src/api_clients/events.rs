//! `GET /api/v1/events?after=…`: what happened in the client's joint ventures, pulled so that
//! no agency network has to accept calls from outside: overlaps raised and every step taken on
//! them (from the overlaps' history), and the steps of the signals its joint ventures own.
//! What an event says is what a coordinator of those joint ventures sees in the history:
//! the step, the side, a decision, never a reason, a note or a value.

use crate::rest::call::{ApiCall, RestState};
use crate::rest::problem::{Problem, Refusals};
use crate::server::entity::{overlap, overlap_event, signal, signal_event};
use crate::{domain::ApiScope, error::AppError};
use axum::{
    Json,
    extract::{Query, State},
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::Query as Sql,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One thing that happened.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiEvent {
    /// Pass as `after` to get what came after this event.
    pub cursor: String,
    /// `overlap` or `signal`.
    pub subject: String,
    /// The overlap's or the signal's id.
    pub id: i32,
    /// UTC, `2026-12-07T08:12:00.000000Z`.
    pub at: String,
    /// The step: `found` (an overlap raised), `acknowledge`, `propose`, `agree`, `consent`,
    /// `disclose`, `close`, `deadline_near`, `deadline_passed`, …; for a signal `reported`,
    /// `assessed`, `routed`, `followed_up`, …
    pub step: String,
    /// For an overlap: the side that took the step (1 or 2; 0 for the system or a manager),
    /// and the joint venture of that side.
    pub side: Option<i32>,
    pub joint_venture_id: Option<i32>,
    pub decision: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventPage {
    pub events: Vec<ApiEvent>,
    /// Where to go on from, also when `events` is empty: poll with `after=<next>`.
    pub next: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The `cursor` of the last event seen, or the `next` of the last page; from the start if
    /// left out.
    pub after: Option<String>,
    /// At most this many, 1–1000 (200 if left out).
    pub limit: Option<u64>,
}

/// `o<overlap event id>.s<signal event id>`.
fn parse_cursor(text: &str) -> Option<(i32, i32)> {
    let (o, s) = text.split_once('.')?;
    Some((
        o.strip_prefix('o')?
            .parse()
            .ok()
            .filter(|n: &i32| *n >= 0)?,
        s.strip_prefix('s')?
            .parse()
            .ok()
            .filter(|n: &i32| *n >= 0)?,
    ))
}

fn cursor(o: i32, s: i32) -> String {
    format!("o{o}.s{s}")
}

/// What happened in the client's joint ventures, oldest first.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(EventQuery),
    responses(
        (status = 200, description = "The events after the cursor", body = EventPage),
        (status = 422, description = "A query parameter is invalid", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["events:read"]))
)]
pub async fn events(
    State(state): State<RestState>,
    call: ApiCall,
    query: Result<Query<EventQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<EventPage>, Problem> {
    call.require(ApiScope::EventsRead)?;
    let invalid = |pointer: &str, detail: String| Problem::field(call.locale(), pointer, detail);
    let Query(query) = query.map_err(|err| invalid("/query", err.body_text()))?;
    let (after_o, after_s) = match query.after.as_deref() {
        None | Some("") => (0, 0),
        Some(text) => parse_cursor(text)
            .ok_or_else(|| invalid("/after", "a cursor of this feed, e.g. o120.s7".into()))?,
    };
    let limit = query.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(invalid("/limit", "1–1000".into()));
    }
    let ventures: Vec<i32> = crate::access::coordinated(&call.caller).to_vec();
    let db = &state.db;
    // PostgreSQL hands out ids before the rows commit, so a row of a long transaction can turn
    // up below a cursor a reader already passed. Only rows whose transaction is older than
    // every transaction still running are given out (SQLite commits one writer at a time).
    let settled = |table: &str| {
        (db.get_database_backend() == sea_orm::DbBackend::Postgres).then(|| {
            sea_orm::sea_query::Expr::cust(format!(
                "{table}.xmin::text::bigint < pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296"
            ))
        })
    };
    let load = async {
        let visible = Sql::select()
            .column(overlap::Column::Id)
            .from(overlap::Entity)
            .cond_where(
                Condition::any()
                    .add(overlap::Column::FirstJointVentureId.is_in(ventures.clone()))
                    .add(overlap::Column::SecondJointVentureId.is_in(ventures.clone())),
            )
            .to_owned();
        let mut overlap_events = overlap_event::Entity::find();
        if let Some(condition) = settled("overlap_event") {
            overlap_events = overlap_events.filter(condition);
        }
        let overlap_events = overlap_events
            .filter(overlap_event::Column::Id.gt(after_o))
            .filter(overlap_event::Column::OverlapId.in_subquery(visible))
            .order_by_asc(overlap_event::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        let owned = Sql::select()
            .column(signal::Column::Id)
            .from(signal::Entity)
            .cond_where(signal::Column::JointVentureId.is_in(ventures.clone()))
            .to_owned();
        let mut signal_events = signal_event::Entity::find();
        if let Some(condition) = settled("signal_event") {
            signal_events = signal_events.filter(condition);
        }
        let signal_events = signal_events
            .filter(signal_event::Column::Id.gt(after_s))
            .filter(signal_event::Column::SignalId.in_subquery(owned))
            .order_by_asc(signal_event::Column::Id)
            .limit(limit)
            .all(db)
            .await?;
        let ids: Vec<i32> = overlap_events.iter().map(|e| e.overlap_id).collect();
        let sides: std::collections::HashMap<i32, (i32, i32)> = overlap::Entity::find()
            .filter(overlap::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, (o.first_joint_venture_id, o.second_joint_venture_id)))
            .collect();
        Ok::<_, AppError>((overlap_events, signal_events, sides))
    };
    let (overlap_events, signal_events, sides) = call.run(&state, load).await?;
    // Merged by time, each feed taken in id order, so the cursor can go on from both.
    let (mut o_iter, mut s_iter) = (
        overlap_events.into_iter().peekable(),
        signal_events.into_iter().peekable(),
    );
    let (mut last_o, mut last_s) = (after_o, after_s);
    let mut events = Vec::new();
    while (events.len() as u64) < limit {
        let take_overlap = match (o_iter.peek(), s_iter.peek()) {
            (Some(o), Some(s)) => o.at <= s.at,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_overlap {
            let Some(e) = o_iter.next() else { break };
            last_o = e.id;
            let (first, second) = sides.get(&e.overlap_id).copied().unwrap_or_default();
            events.push(ApiEvent {
                cursor: cursor(last_o, last_s),
                subject: "overlap".into(),
                id: e.overlap_id,
                at: e.at,
                step: e.step,
                side: Some(e.side),
                joint_venture_id: match e.side {
                    1 => Some(first),
                    2 => Some(second),
                    _ => None,
                },
                decision: e.decision,
            });
        } else {
            let Some(e) = s_iter.next() else { break };
            last_s = e.id;
            events.push(ApiEvent {
                cursor: cursor(last_o, last_s),
                subject: "signal".into(),
                id: e.signal_id,
                at: e.at,
                step: e.step,
                side: None,
                joint_venture_id: None,
                decision: None,
            });
        }
    }
    Ok(Json(EventPage {
        events,
        next: cursor(last_o, last_s),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_nothing_else_is_one() {
        assert_eq!(parse_cursor(&cursor(120, 7)), Some((120, 7)));
        for bad in [
            "",
            "o1",
            "o1.",
            "s1.o2",
            "o-1.s2",
            "o1.s2.s3",
            "oa.s1",
            "o99999999999.s1",
        ] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
