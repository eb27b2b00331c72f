//! What operators rely on: `/metrics` behind its token, 503 with Retry-After while the
//! database is gone, and a shutdown that hands the jobs' leases back.

use liaison_app::server::{entity::job_lease, leases};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{METRICS_TOKEN, TestApp, spawn_app, spawn_app_with};
use sea_orm::EntityTrait;

async fn metrics(app: &TestApp, token: Option<&str>) -> liaison_tests::TestResponse {
    let mut request = http::Request::get("/metrics");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    app.send(request.body(axum::body::Body::empty()).expect("request"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_need_the_token_and_count_requests_matching_and_the_pool() {
    let app = spawn_app().await;
    for token in [None, Some("wrong"), Some(&METRICS_TOKEN[1..])] {
        let refused = metrics(&app, token).await;
        assert_eq!(refused.status, 401, "{token:?}");
        assert!(
            refused
                .header("www-authenticate")
                .is_some_and(|h| h.starts_with("Bearer")),
            "{token:?}"
        );
        assert!(!refused.body.contains("liaison_"), "nothing shown");
    }
    // A session cookie is no way in either: it is the token or nothing.
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    assert_eq!(app.get_with("/metrics", &admin).await.status, 401);

    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let case_id = app.case_id("TMN-2026-021").await;
    let saved = app
        .post_form_with(
            "/api/add_subject",
            &format!("case_id={case_id}&subject[kind]=vehicle&subject[value]=V233XZ"),
            &north,
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.body);
    assert_eq!(
        app.get_with(&format!("/cases/{case_id}"), &north)
            .await
            .status,
        200
    );
    assert_eq!(app.get("/no-such-page-at-all").await.status, 404);

    let shown = metrics(&app, Some(METRICS_TOKEN)).await;
    assert_eq!(shown.status, 200);
    assert!(
        shown
            .header("content-type")
            .is_some_and(|c| c.starts_with("text/plain; version=0.0.4")),
        "{:?}",
        shown.header("content-type")
    );
    let body = &shown.body;
    for expected in [
        r#"liaison_http_requests_total{method="POST",route="/api/add_subject",status="302"}"#,
        r#"liaison_http_requests_total{method="GET",route="/cases/{id}",status="200"}"#,
        r#"liaison_http_requests_total{method="GET",route="other",status="404"}"#,
        r#"liaison_http_request_duration_seconds_bucket{method="POST",route="/api/add_subject",le="0.005"}"#,
        "liaison_matching_duration_seconds_count",
        r#"liaison_db_pool_connections{state="idle"}"#,
        r#"liaison_db_pool_connections{state="in_use"}"#,
    ] {
        assert!(body.contains(expected), "{expected} missing from\n{body}");
    }
    // Paths are labelled by their route, never by what was typed: no ids, no values.
    assert!(!body.contains(&format!("/cases/{case_id}\"")));
    assert!(!body.contains("no-such-page"));
    assert!(!body.contains("V233XZ"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_configured_there_are_no_metrics() {
    let app = spawn_app_with(|config| config.metrics_token = None).await;
    assert_eq!(metrics(&app, Some(METRICS_TOKEN)).await.status, 404);
    assert_eq!(metrics(&app, None).await.status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_database_gone_pages_and_server_functions_say_503_and_when_to_retry() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    app.db.clone().close().await.expect("pool closed");
    let health = app.get("/healthz").await;
    assert_eq!(health.status, 503);
    assert_eq!(health.header("retry-after"), Some("5"));
    let call = app.call_with("/api/overlaps", "", Some(&north)).await;
    assert_eq!(call.status, 503, "{}", call.body);
    assert_eq!(call.header("retry-after"), Some("5"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_instance_hands_its_job_leases_back() {
    let app = spawn_app().await;
    let config = liaison_tests::test_config(&app.database.url);
    let server = liaison_server::startup::Application::build(config)
        .await
        .expect("the server starts");
    let holder = server.lease_holder().to_owned();
    let now = chrono::Utc::now();
    // As if its deadline job were running when SIGTERM came.
    assert!(
        leases::take_lease(&app.db, "deadlines", &holder, now, 300)
            .await
            .expect("taken")
    );
    assert!(
        !leases::take_lease(&app.db, "deadlines", "another-instance", now, 300)
            .await
            .expect("asked"),
        "held"
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async move {
        let _ = stopped.await;
    }));
    let _ = stop.send(());
    tokio::time::timeout(std::time::Duration::from_secs(30), running)
        .await
        .expect("stops within 30 s")
        .expect("joined")
        .expect("stopped cleanly");
    let lease = job_lease::Entity::find_by_id("deadlines".to_owned())
        .one(&app.db)
        .await
        .expect("read")
        .expect("lease row");
    assert!(lease.until < liaison_app::server::utc_text(chrono::Utc::now()));
    assert!(
        leases::take_lease(
            &app.db,
            "deadlines",
            "another-instance",
            chrono::Utc::now(),
            300
        )
        .await
        .expect("taken"),
        "another instance takes it over at once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_job_runs_once_per_period_whichever_instance_ticks() {
    let app = spawn_app().await;
    let settings = liaison_tests::test_config(&app.database.url).settings;
    let period = chrono::Duration::minutes(5);
    let start = chrono::Utc::now();
    let at = |minutes: i64, seconds: i64| {
        start + chrono::Duration::minutes(minutes) + chrono::Duration::seconds(seconds)
    };
    let run = |holder: &'static str, now| {
        let (db, settings) = (app.db.clone(), settings.clone());
        async move {
            liaison_app::jobs::run_scheduled(&db, &settings, holder, now, period)
                .await
                .expect("the job answers")
                .ran
        }
    };
    assert!(run("instance-a", at(0, 0)).await, "the first tick runs it");
    assert!(
        !run("instance-b", at(1, 0)).await,
        "b ticks within the period"
    );
    assert!(!run("instance-c", at(4, 59)).await, "c too");
    assert!(
        run("instance-b", at(5, 1)).await,
        "the next period: b's turn"
    );
    assert!(!run("instance-a", at(6, 0)).await, "b holds it now");
    assert!(run("instance-b", at(10, 1)).await, "its own next tick");
    // A run by hand (`liaison-server deadlines`) hands the lease back at once.
    assert!(
        liaison_app::jobs::run_job(&app.db, &settings, "by-hand", at(20, 0))
            .await
            .expect("ran")
            .ran
    );
    assert!(run("instance-c", at(20, 1)).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_the_audit_trail_names_the_forwarded_client() {
    // The test configuration trusts 10.0.0.0/24 as its load balancers.
    let app = spawn_app().await;
    for (peer, forwarded, recorded) in [
        ("10.0.0.5:40000", "198.51.100.7", "198.51.100.7"),
        // The client wrote a header of its own; the balancer appended the real address.
        ("10.0.0.5:40000", "1.2.3.4, 198.51.100.8", "198.51.100.8"),
        // Not from a balancer: the header proves nothing.
        ("203.0.113.9:40000", "198.51.100.7", "203.0.113.9"),
        // From a balancer, but not an address: the connection's address stays.
        ("10.0.0.5:40000", "198.51.100.7, <script>", "10.0.0.5"),
    ] {
        let peer: std::net::SocketAddr = peer.parse().expect("address");
        let request = http::Request::post("/api/sign_in")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("x-forwarded-for", forwarded)
            .extension(axum::extract::ConnectInfo(peer))
            .body(axum::body::Body::from(
                "username=coordinator-north&password=not-the-password",
            ))
            .expect("request");
        let answered = app.send(request).await;
        assert!(
            answered.status.is_redirection() || answered.status == 400,
            "{}",
            answered.status
        );
        let event = app.last_event().await;
        assert_eq!(
            (event.action.as_str(), event.result.as_str()),
            ("sign_in", "failure"),
            "{event:?}"
        );
        assert_eq!(event.client_address, recorded, "{peer} {forwarded}");
    }
}
