//! The work of today with the history loaded: the same open overlaps, inboxes, deadlines,
//! notifications and current-quarter figures as the demo data alone gives.

use super::history::{call, spawn_app_with_history};
use liaison_app::domain::{OverlapState, SignalState};
use liaison_app::server::entity::{case, notification, overlap, signal};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;
use std::collections::BTreeMap;

fn ids_of(body: &str) -> Vec<i64> {
    let rows: Value = serde_json::from_str(body).expect("json");
    let mut ids: Vec<i64> = rows
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["id"].as_i64())
        .collect();
    ids.sort();
    ids
}

/// What is open now, as each role meets it.
#[derive(Debug, PartialEq)]
struct OpenWork {
    /// (match kind, the two case references, state) of every overlap not yet decided.
    overlaps: Vec<(String, String, String, String)>,
    open_signals: u64,
    /// Each coordinator's inbox and header count, and the manager's overdue overlaps.
    inboxes: Vec<(Vec<i64>, Value)>,
    overdue: Vec<i64>,
    notifications: Vec<u64>,
    /// The current quarter's summary, without when it was counted.
    summary: Value,
}

async fn open_work(app: &TestApp) -> OpenWork {
    let references: BTreeMap<i32, String> = case::Entity::find()
        .all(&app.db)
        .await
        .expect("cases")
        .into_iter()
        .map(|c| (c.id, c.reference))
        .collect();
    let mut overlaps: Vec<(String, String, String, String)> = overlap::Entity::find()
        .filter(overlap::Column::State.is_in([
            OverlapState::Open.as_str(),
            OverlapState::Acknowledged.as_str(),
        ]))
        .all(&app.db)
        .await
        .expect("overlaps")
        .into_iter()
        .map(|o| {
            let mut pair = [
                references[&o.first_case_id].clone(),
                references[&o.second_case_id].clone(),
            ];
            pair.sort();
            let [a, b] = pair;
            (o.match_kind, a, b, o.state)
        })
        .collect();
    overlaps.sort();
    let open_signals = signal::Entity::find()
        .filter(signal::Column::State.is_in([
            SignalState::New.as_str(),
            SignalState::Assessed.as_str(),
            SignalState::Routed.as_str(),
        ]))
        .count(&app.db)
        .await
        .expect("count");
    let mut inboxes = Vec::new();
    for user in ["coordinator-north", "coordinator-amsterdam"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let inbox = app.call_with("/api/overlaps", "", Some(&cookie)).await;
        assert_eq!(inbox.status, 200, "{}", inbox.body);
        let count = call(app, "/api/open_overlaps", "", &cookie).await;
        inboxes.push((ids_of(&inbox.body), count));
    }
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let overdue = app
        .call_with(
            "/api/overseen_overlaps",
            "filter[deadline]=overdue",
            Some(&manager),
        )
        .await;
    assert_eq!(overdue.status, 200, "{}", overdue.body);
    let mut notifications = Vec::new();
    for user in [
        "coordinator-north",
        "coordinator-amsterdam",
        "manager",
        "reporter",
    ] {
        let id = app.user_id(user).await;
        notifications.push(
            notification::Entity::find()
                .filter(notification::Column::UserId.eq(id))
                .count(&app.db)
                .await
                .expect("count"),
        );
    }
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let mut summary =
        call(app, "/api/summary", "theme=trafficking", &ministry).await["current"].clone();
    summary["computed_at"] = Value::Null;
    OpenWork {
        overlaps,
        open_signals,
        inboxes,
        overdue: ids_of(&overdue.body),
        notifications,
        summary,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_leaves_the_work_of_today_as_the_demo_data_makes_it() {
    let without = open_work(&spawn_app().await).await;
    let with = open_work(&spawn_app_with_history().await).await;
    assert_eq!(with, without);
    // The demo's five deliberate overlaps, all still open; no signal waiting.
    let expected = [
        ("bank_account", "FRM-2026-002", "PAR-2026-011"),
        ("operation", "KMA-2026-007", "TMN-2026-014"),
        ("person", "KMA-2026-007", "MCS-2026-003"),
        ("phone", "KMA-2026-007", "TMN-2026-014"),
        ("vehicle", "GSZ-2026-009", "TMN-2026-014"),
    ]
    .map(|(kind, a, b)| {
        (
            kind.to_owned(),
            a.to_owned(),
            b.to_owned(),
            "open".to_owned(),
        )
    });
    assert_eq!(with.overlaps, expected);
    assert_eq!(with.open_signals, 0);
    // Noord: the phone, the plate and the operations; Amsterdam: the phone, the person and the
    // operations.
    for (inbox, count) in &with.inboxes {
        assert_eq!(inbox.len(), 3, "{inbox:?}");
        assert_eq!(*count, 3);
    }
    assert_eq!(with.overdue.len(), 1, "the stalled plate overlap");
}
