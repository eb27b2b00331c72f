//! Issue 20: acting on overlaps through the API, the events feed, and signals from an intake
//! system. Each holds to the client's joint ventures and scopes as for a coordinator.

use liaison_app::server::entity::{overlap, signal};
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const ROTTERDAM: &str = "Programma Arbeidsuitbuiting Rotterdam-Rijnmond";
const ALL: &[&str] = &[
    "cases:write",
    "subjects:write",
    "overlaps:read",
    "overlaps:act",
    "events:read",
];

/// Two clients, one per side, and the overlap their cases raise (a shared phone number).
async fn overlap_between_clients(app: &TestApp) -> (String, String, i32) {
    let north = app.api_client("KMar", &[NORTH], ALL).await;
    let amsterdam = app.api_client("GAMS", &[AMSTERDAM], ALL).await;
    for (token, jv, reference) in [
        (&north, NORTH, "TMN-EV-1"),
        (&amsterdam, AMSTERDAM, "KMA-EV-1"),
    ] {
        let id = app.joint_venture_id(jv).await;
        let body = json!({
            "title": format!("Case {reference}"), "theme": "trafficking", "status": "active",
            "start": "2026-11-01", "handling": "share-on-consent",
            "subjects": [{"kind": "phone", "value": "+31 6 55554444"}],
        });
        let put = app
            .api(
                "PUT",
                &format!("/api/v1/joint-ventures/{id}/cases/{reference}"),
                Some(token),
                Some(&body.to_string()),
                &[],
            )
            .await;
        assert_eq!(put.status, 201, "{}", put.body);
    }
    let raised = overlap::Entity::find()
        .filter(overlap::Column::MatchKind.eq("phone"))
        .all(&app.db)
        .await
        .unwrap();
    let ours = raised
        .into_iter()
        .max_by_key(|o| o.id)
        .expect("the shared phone raised an overlap");
    (north, amsterdam, ours.id)
}

async fn step(app: &TestApp, token: &str, id: i32, body: Value) -> liaison_tests::TestResponse {
    app.api(
        "POST",
        &format!("/api/v1/overlaps/{id}/steps"),
        Some(token),
        Some(&body.to_string()),
        &[],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_sides_systems_take_the_overlaps_steps_and_disclose_by_consent() {
    let app = spawn_app().await;
    let (north, amsterdam, id) = overlap_between_clients(&app).await;
    let acknowledged = step(
        &app,
        &north,
        id,
        json!({"step": "acknowledge", "version": 0}),
    )
    .await;
    assert_eq!(acknowledged.status, 200, "{}", acknowledged.body);
    let version = acknowledged.json()["version"].as_i64().unwrap();
    let stale = step(
        &app,
        &amsterdam,
        id,
        json!({"step": "propose", "version": version - 1, "decision": "joint_action"}),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    // Ruling is a manager's step: a side's system may not take it, and nothing changes.
    let ruled = step(
        &app,
        &amsterdam,
        id,
        json!({"step": "rule", "version": version, "decision": "merge", "reason": "one effort is enough"}),
    )
    .await;
    assert!(
        [403, 404, 409].contains(&ruled.status.as_u16()),
        "{}",
        ruled.body
    );
    let after = app
        .api(
            "GET",
            &format!("/api/v1/overlaps/{id}"),
            Some(&amsterdam),
            None,
            &[],
        )
        .await
        .json();
    assert_eq!(after["version"].as_i64(), Some(version), "{after}");
    let bad = step(
        &app,
        &amsterdam,
        id,
        json!({"step": "dance", "version": version}),
    )
    .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.json()["errors"][0]["pointer"], "/step");
    // Neither side's, or without the scope: no step.
    let rotterdam = app.api_client("GRTM", &[ROTTERDAM], ALL).await;
    assert_eq!(
        step(
            &app,
            &rotterdam,
            id,
            json!({"step": "acknowledge", "version": 0})
        )
        .await
        .status,
        404
    );
    let reader = app.api_client("KMar", &[NORTH], &["overlaps:read"]).await;
    assert_eq!(
        step(
            &app,
            &reader,
            id,
            json!({"step": "acknowledge", "version": 0})
        )
        .await
        .status,
        403
    );

    let grounds =
        json!({"purpose": "coordinate_investigations", "legal_basis": "gdpr_6_1_e"}).to_string();
    let consent = |token: String| {
        let grounds = grounds.clone();
        let app = &app;
        async move {
            app.api(
                "POST",
                &format!("/api/v1/overlaps/{id}/consent"),
                Some(&token),
                Some(&grounds),
                &[],
            )
            .await
        }
    };
    let first = consent(north.clone()).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["disclosed"], false);
    let missing = app
        .api(
            "POST",
            &format!("/api/v1/overlaps/{id}/consent"),
            Some(&amsterdam),
            Some("{\"purpose\": \"coordinate_investigations\"}"),
            &[],
        )
        .await;
    assert_eq!(missing.status, 422);
    let second = consent(amsterdam.clone()).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let view = second.json();
    assert_eq!(view["disclosed"], true);
    assert_eq!(view["theirs"]["case"]["reference"], "TMN-EV-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_events_feed_gives_each_clients_events_once_in_order() {
    let app = spawn_app().await;
    let (north, amsterdam, id) = overlap_between_clients(&app).await;
    assert_eq!(
        step(
            &app,
            &amsterdam,
            id,
            json!({"step": "acknowledge", "version": 0})
        )
        .await
        .status,
        200
    );
    // Paged one by one with the cursor: every event of the overlap, oldest first, none twice.
    // On PostgreSQL an event is given out once no older transaction is still running, which
    // under the parallel tests can be a moment after its commit: polled, as a client does.
    let mut after = String::new();
    let mut seen: Vec<(String, i64, String)> = Vec::new();
    let ours = |seen: &[(String, i64, String)]| -> Vec<String> {
        seen.iter()
            .filter(|(subject, overlap, _)| subject == "overlap" && *overlap == i64::from(id))
            .map(|(_, _, step)| step.clone())
            .collect()
    };
    for _ in 0..100 {
        for _ in 0..200 {
            let page = app
                .api(
                    "GET",
                    &format!("/api/v1/events?limit=1&after={after}"),
                    Some(&north),
                    None,
                    &[],
                )
                .await;
            assert_eq!(page.status, 200, "{}", page.body);
            let body = page.json();
            let events = body["events"].as_array().unwrap().clone();
            if events.is_empty() {
                assert_eq!(
                    body["next"].as_str().unwrap(),
                    after,
                    "an empty page keeps the cursor"
                );
                break;
            }
            after = events[0]["cursor"].as_str().unwrap().to_owned();
            assert_eq!(body["next"].as_str().unwrap(), after);
            seen.push((
                events[0]["subject"].as_str().unwrap().to_owned(),
                events[0]["id"].as_i64().unwrap(),
                events[0]["step"].as_str().unwrap().to_owned(),
            ));
        }
        if ours(&seen).len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(ours(&seen), ["found", "acknowledge"], "{seen:?}");
    // The deadline job, a month on: the other side never acknowledged, and the feed says so
    // once, however often the job runs.
    let settings = liaison_tests::test_config("sqlite::memory:").settings;
    let later = chrono::Utc::now() + chrono::Duration::days(30);
    for _ in 0..2 {
        liaison_app::overlaps::deadlines::deadlines_once(&app.db, &settings, later)
            .await
            .unwrap();
    }
    let mut page = serde_json::Value::Null;
    let mut steps: Vec<(String, i64)> = Vec::new();
    for _ in 0..100 {
        page = app
            .api(
                "GET",
                &format!("/api/v1/events?after={after}"),
                Some(&north),
                None,
                &[],
            )
            .await
            .json();
        steps = page["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["subject"] == "overlap" && e["id"].as_i64() == Some(i64::from(id)))
            .map(|e| {
                (
                    e["step"].as_str().unwrap().to_owned(),
                    e["id"].as_i64().unwrap(),
                )
            })
            .collect();
        if !steps.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        steps,
        [("deadline_passed".to_owned(), i64::from(id))],
        "{page}"
    );
    let all = app
        .api("GET", "/api/v1/events", Some(&north), None, &[])
        .await
        .json();
    assert_eq!(
        all["events"].as_array().unwrap().len(),
        seen.len() + page["events"].as_array().unwrap().len()
    );
    // Another joint venture's client sees none of it; a bad cursor is named.
    let rotterdam = app.api_client("GRTM", &[ROTTERDAM], ALL).await;
    let theirs = app
        .api("GET", "/api/v1/events", Some(&rotterdam), None, &[])
        .await
        .json();
    assert!(
        theirs["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["id"].as_i64() != Some(i64::from(id)) || e["subject"] != "overlap")
    );
    for bad in ["after=x", "after=o1", "limit=0", "limit=5000", "colour=red"] {
        let refused = app
            .api(
                "GET",
                &format!("/api/v1/events?{bad}"),
                Some(&north),
                None,
                &[],
            )
            .await;
        assert_eq!(refused.status, 422, "{bad}: {}", refused.body);
    }
    let no_scope = app.api_client("KMar", &[NORTH], &["overlaps:read"]).await;
    assert_eq!(
        app.api("GET", "/api/v1/events", Some(&no_scope), None, &[])
            .await
            .status,
        403
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_intake_system_files_a_signal_once_per_its_own_id() {
    let app = spawn_app().await;
    let intake = app.api_client("COA", &[NORTH], &["signals:write"]).await;
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let body = |external_id: &str, day: &str| {
        json!({
            "external_id": external_id, "nature": "soft", "theme": "trafficking", "category": "4",
            "observed": "A resident hands her wages to a man who waits outside.",
            "day": day, "place": "Reception centre Ter Apel", "urgency": "normal",
        })
        .to_string()
    };
    let before = signal::Entity::find().count(&app.db).await.unwrap();
    let filed = app
        .api(
            "POST",
            "/api/v1/signals",
            Some(&intake),
            Some(&body("COA-1", &yesterday)),
            &[],
        )
        .await;
    assert_eq!(filed.status, 201, "{}", filed.body);
    let receipt = filed.json();
    assert_eq!(receipt["result"], "created");
    let again = app
        .api(
            "POST",
            "/api/v1/signals",
            Some(&intake),
            Some(&body("COA-1", &yesterday)),
            &[],
        )
        .await;
    assert_eq!(again.status, 200);
    assert_eq!(
        (again.json()["result"].as_str(), again.json()["id"].as_i64()),
        (Some("existing"), receipt["id"].as_i64())
    );
    assert_eq!(
        signal::Entity::find().count(&app.db).await.unwrap(),
        before + 1
    );
    let stored = signal::Entity::find_by_id(receipt["id"].as_i64().unwrap() as i32)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.external_id.as_deref(), Some("COA-1"));
    assert_eq!(
        app.last_event_of("report_signal").await.actor_name,
        app.last_event_of("api_call").await.actor_name
    );
    // Another system's id space is its own.
    let other = app.api_client("COA", &[NORTH], &["signals:write"]).await;
    assert_eq!(
        app.api(
            "POST",
            "/api/v1/signals",
            Some(&other),
            Some(&body("COA-1", &yesterday)),
            &[]
        )
        .await
        .status,
        201
    );
    for (bad, pointer) in [
        (body("COA-2", "2020-01-01"), "/day"),
        (body("COA 2", &yesterday), "/external_id"),
        (body("", &yesterday), "/external_id"),
    ] {
        let refused = app
            .api("POST", "/api/v1/signals", Some(&intake), Some(&bad), &[])
            .await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.json()["errors"][0]["pointer"], pointer);
    }
    let no_scope = app.api_client("COA", &[NORTH], &["cases:read"]).await;
    assert_eq!(
        app.api(
            "POST",
            "/api/v1/signals",
            Some(&no_scope),
            Some(&body("COA-3", &yesterday)),
            &[]
        )
        .await
        .status,
        403
    );
    assert_eq!(
        signal::Entity::find().count(&app.db).await.unwrap(),
        before + 2
    );
}
