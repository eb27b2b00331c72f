use axum::body::Body;
use http::Request;
use liaison_tests::spawn_app;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_site_post_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let response = app
        .send(
            Request::post("/language")
                .header("host", "liaison.test")
                .header("origin", "https://evil.example")
                .header("sec-fetch-site", "cross-site")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("locale=en&return_to=%2F"))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status, 403);
    assert!(response.header("set-cookie").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_origin_without_fetch_metadata_is_refused() {
    let app = spawn_app().await;
    let response = app
        .send(
            Request::post("/api/portal_overview")
                .header("host", "liaison.test")
                .header("origin", "http://evil.example")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(response.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_allow_only_their_own_nonce_marked_scripts() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    let policy = response
        .header("content-security-policy")
        .expect("a policy");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "nonce {nonce} is long enough");
    assert!(!policy.contains("unsafe-inline"));
    assert!(
        response.body.contains(&format!("nonce=\"{nonce}\"")),
        "scripts carry the nonce"
    );
    // A second response gets a different nonce.
    let again = app.get("/").await;
    assert_ne!(again.header("content-security-policy"), Some(policy));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_protective_headers() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/no-such-page"] {
        let response = app.get(path).await;
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(
            response.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        assert_eq!(response.header("cache-control"), Some("no-store"), "{path}");
        assert!(
            response.header("content-security-policy").is_some(),
            "{path}"
        );
    }
}
