use axum::body::Body;
use http::Request;
use liaison_tests::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overview_server_function_answers_from_the_database() {
    let app = spawn_app().await;
    let response = app
        .send(
            Request::post("/api/portal_overview")
                .header("host", "liaison.test")
                .header("origin", "http://liaison.test")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    let overview: serde_json::Value = serde_json::from_str(&response.body).expect("json");
    assert_eq!(overview["organisations"].as_array().map(Vec::len), Some(16));
    assert_eq!(overview["active_joint_ventures"], 12);
    let by_theme = overview["joint_ventures_by_theme"]
        .as_array()
        .expect("themes");
    let count = |theme: &str| {
        by_theme
            .iter()
            .find(|row| row["theme"] == theme)
            .and_then(|row| row["joint_ventures"].as_u64())
    };
    // Counted from the demo set: the ended taskforce does not count.
    assert_eq!(count("smuggling"), Some(5));
    assert_eq!(count("trafficking"), Some(6));
    assert_eq!(count("terrorism"), Some(3));
}
