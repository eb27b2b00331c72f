use liaison_tests::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_a_database_that_answers() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let body: serde_json::Value = serde_json::from_str(&response.body).expect("json");
    assert_eq!(body, serde_json::json!({"status": "ok", "database": "ok"}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_unavailable_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.expect("pool closed");
    let response = app.get("/healthz").await;
    assert_eq!(response.status, 503);
    let body: serde_json::Value = serde_json::from_str(&response.body).expect("json");
    assert_eq!(body["database"], "unreachable");
}
