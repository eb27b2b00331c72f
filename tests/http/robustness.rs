//! Bad input gets a clear 4xx naming what is wrong, never a panic, a 5xx or unbounded memory
//! (issue 18, items 10 to 14); the session's idle limit counts from its last request; and
//! concurrent writers on SQLite wait their turn instead of failing.

use axum::body::Body;
use http::Request;
use liaison_app::server::entity::{audit_event, case, session};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{POST_LANGUAGE, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn post(
    path: &str,
    content_type: &str,
    body: impl Into<Body>,
    cookie: Option<&str>,
) -> Request<Body> {
    let mut request = Request::post(path)
        .header("host", "liaison.test")
        .header("origin", "http://liaison.test")
        .header("sec-fetch-site", "same-origin")
        .header("accept", "application/json")
        .header("accept-language", POST_LANGUAGE)
        .header("content-type", content_type);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.body(body.into()).expect("request")
}

/// The field an `AppError::Invalid` answer names.
fn field_of(body: &str) -> String {
    let error: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    error["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// A new case of joint venture `jv` with `reference`, starting on `start`.
fn case_form(jv: i32, reference: &str, start: &str) -> String {
    format!(
        "case[joint_venture_id]={jv}&case[reference]={reference}&case[title]=Route%20{reference}&case[theme]=smuggling&case[status]=active&case[start]={start}&case[end]=&case[handling]=pointer-only&case[description]=x"
    )
}

async fn north(app: &TestApp) -> i32 {
    app.joint_venture_id("Taskforce Mensensmokkel Noord").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_without_a_boundary_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    for path in ["/api/import_cases", "/api/import_subjects"] {
        for cookie in [None, Some(coordinator.as_str())] {
            let response = app
                .send(post(path, "multipart/form-data", "--x\r\n\r\n", cookie))
                .await;
            assert_eq!(response.status, 400, "{path}: {}", response.body);
            assert_eq!(field_of(&response.body), "file", "{}", response.body);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_field_is_never_read_whole() {
    let app = spawn_app().await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    const BOUNDARY: &str = "b0undary";
    let form = |case_id: &str| {
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"case_id\"\r\n\r\n{case_id}\r\n\
             --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\n\
             Content-Type: text/csv\r\n\r\nkind,value\r\n--{BOUNDARY}--\r\n"
        )
    };
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    // Larger than any upload: refused by its length.
    let huge = app
        .send(post(
            "/api/import_subjects",
            &content_type,
            form(&"1".repeat(8 * 1024 * 1024)),
            Some(&cookie),
        ))
        .await;
    assert_eq!(huge.status, 413, "{}", huge.body);
    // Within the body's limit, but longer than any id: refused by the field.
    let long = app
        .send(post(
            "/api/import_subjects",
            &content_type,
            form(&"1".repeat(300)),
            Some(&cookie),
        ))
        .await;
    assert_eq!(long.status, 400, "{}", long.body);
    assert_eq!(field_of(&long.body), "case_id", "{}", long.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_limit_is_413_and_a_non_utf8_form_is_400() {
    let app = spawn_app().await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let big = format!("q={}", "a".repeat(3 * 1024 * 1024));
    let response = app
        .send(post(
            "/api/cases",
            "application/x-www-form-urlencoded",
            big.clone(),
            Some(&cookie),
        ))
        .await;
    assert_eq!(response.status, 413, "{}", response.body);
    // The same without a declared length (sent in chunks): cut off at the limit.
    let stream = futures_body(big.into_bytes());
    let response = app
        .send(post(
            "/api/cases",
            "application/x-www-form-urlencoded",
            stream,
            Some(&cookie),
        ))
        .await;
    assert_eq!(response.status, 413, "{}", response.body);

    for body in [&b"filter[q]=\xff\xfe"[..], b"filter[q]=%FF%FE"] {
        let response = app
            .send(post(
                "/api/cases",
                "application/x-www-form-urlencoded",
                body.to_vec(),
                Some(&cookie),
            ))
            .await;
        assert_eq!(response.status, 400, "{}", response.body);
        assert_eq!(field_of(&response.body), "filter[q]", "{}", response.body);
    }
}

/// A body without a `Content-Length`, as a chunked upload arrives.
fn futures_body(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures::stream::iter(chunks))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_far_outside_any_calendar_are_refused_or_ignored_without_a_panic() {
    let app = spawn_app().await;
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    for from in ["%2B262142-12-31", "-262143-01-01", "10000-01-01"] {
        let call = app
            .call_with(
                "/api/operations",
                &format!("from={from}"),
                Some(&coordinator),
            )
            .await;
        assert!(
            call.status.as_u16() < 500,
            "{from}: {} {}",
            call.status,
            call.body
        );
        let page = app
            .get_with(&format!("/operations?from={from}"), &coordinator)
            .await;
        assert_eq!(page.status, 200, "{from}");
    }
    for from in ["2147483647-12", "10000-01", "2026-13"] {
        let call = app
            .call_with(
                "/api/signal_analysis",
                &format!("from={from}&to=2026-12"),
                Some(&coordinator),
            )
            .await;
        assert_eq!(call.status, 400, "{from}: {}", call.body);
        assert_eq!(field_of(&call.body), "from", "{}", call.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_saved_with_the_largest_version_is_a_conflict_not_a_panic() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let created = app
        .call_with(
            "/api/save_case",
            &case_form(jv, "TMN-2026-901", "2026-03-01"),
            Some(&cookie),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let id = app.case_id("TMN-2026-901").await;
    let response = app
        .call_with(
            "/api/save_case",
            &format!(
                "id={id}&version=2147483647&{}",
                case_form(jv, "TMN-2026-901", "2026-03-01")
            ),
            Some(&cookie),
        )
        .await;
    // The stale save's answer, as for any version that is not the stored one.
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(
        response.body.contains("Someone else saved"),
        "{}",
        response.body
    );
    // A new reference each, so that only the date can be what is refused.
    for (n, start) in ["%2B262142-12-31", "-262143-01-01"].into_iter().enumerate() {
        let response = app
            .call_with(
                "/api/save_case",
                &case_form(jv, &format!("TMN-2026-91{n}"), start),
                Some(&cookie),
            )
            .await;
        assert_eq!(response.status, 400, "{}", response.body);
        assert_eq!(field_of(&response.body), "start", "{}", response.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_search_longer_than_any_reference_is_named_not_sent_to_the_database() {
    let app = spawn_app().await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let response = app
        .call_with(
            "/api/cases",
            &format!("filter[q]={}", "%25".repeat(15_000)),
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(field_of(&response.body), "filter[q]", "{}", response.body);
    let page = app
        .get_with(&format!("/cases?q={}", "x".repeat(5_000)), &cookie)
        .await;
    assert!(page.status.as_u16() < 500, "{}", page.status);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_user_name_at_sign_in_is_refused_and_not_kept() {
    let app = spawn_app().await;
    let events = || async {
        audit_event::Entity::find()
            .order_by_desc(audit_event::Column::Id)
            .all(&app.db)
            .await
            .expect("query")
    };
    let before = events().await.len();
    let name = "a".repeat(200_000);
    let response = app
        .call_with("/api/sign_in", &format!("username={name}&password=x"), None)
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(field_of(&response.body), "username");
    assert_eq!(
        events().await.len(),
        before,
        "nothing was added to the audit trail"
    );
    // Claiming to be an upload changes nothing: only the uploads are read as multipart.
    for content_type in [
        "multipart/form-data; boundary=x",
        "text/plain",
        "application/json",
    ] {
        let response = app
            .send(post(
                "/api/sign_in",
                content_type,
                format!("username={name}&password=x"),
                None,
            ))
            .await;
        assert_eq!(response.status, 400, "{content_type}: {}", response.body);
        assert_eq!(field_of(&response.body), "username", "{content_type}");
    }
    assert_eq!(events().await.len(), before, "nothing was added either way");
    // An upload whose content type the decoder could not read is refused before it.
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    for content_type in [
        "multipart/form-datax; boundary=a",
        "multipart/form-data; boundary=\"a",
        "application/x-www-form-urlencoded",
    ] {
        let response = app
            .send(post(
                "/api/import_cases",
                content_type,
                "x=1",
                Some(&coordinator),
            ))
            .await;
        assert!(
            [400, 415].contains(&response.status.as_u16()),
            "{content_type}: {} {}",
            response.status,
            response.body
        );
    }
    // A long name that fits is kept, but bounded.
    let fits = "b".repeat(200);
    let response = app
        .call_with("/api/sign_in", &format!("username={fits}&password=x"), None)
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(
        events().await.iter().any(|e| e.actor_name == fits),
        "the refused sign-in of a name that fits is kept"
    );
    let longest = events()
        .await
        .iter()
        .map(|e| e.actor_name.len() + e.object_id.len() + e.detail.len())
        .max()
        .unwrap_or_default();
    assert!(longest < 1_000, "an event of {longest} bytes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_text_field_is_refused_by_name() {
    let app = spawn_app().await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let response = app
        .call_with(
            "/api/mark_mandate_overlap_intended",
            &format!(
                "first=1&second=2&justification={}&return_to=1",
                "w".repeat(1_000_000)
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(field_of(&response.body), "justification");
}

/// PostgreSQL refuses a NUL in text: it is refused before, naming the field, on both databases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_control_character_is_refused_by_name_in_a_form_and_in_a_query() {
    let app = spawn_app().await;
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let response = app
        .call_with("/api/cases", "filter[q]=a%00b", Some(&coordinator))
        .await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(field_of(&response.body), "filter[q]");
    let page = app.get_with("/cases?q=a%00b", &coordinator).await;
    assert_eq!(page.status, 400);
    assert!(page.text().contains("q:"), "{}", page.body);
    let download = app
        .get_with("/api/subjects.csv?case_id=1%00", &coordinator)
        .await;
    assert_eq!(download.status, 400, "{}", download.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idle_limit_counts_from_the_last_request() {
    let app = spawn_app().await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let id = cookie
        .split_once('=')
        .map(|(_, id)| id.to_owned())
        .expect("a session id");
    let row = || async {
        session::Entity::find_by_id(id.clone())
            .one(&app.db)
            .await
            .expect("query")
            .expect("the session")
    };
    // As if the sign-in was 25 minutes ago and nothing happened since: 5 minutes left.
    let now = chrono::Utc::now().timestamp();
    let signed_in = row().await;
    let mut data: serde_json::Value = serde_json::from_str(&signed_in.data).expect("json");
    data["seen_at"] = serde_json::json!(now - 25 * 60);
    session::Entity::update_many()
        .col_expr(
            session::Column::Data,
            sea_orm::sea_query::Expr::value(data.to_string()),
        )
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(now + 5 * 60),
        )
        .filter(session::Column::Id.eq(id.clone()))
        .exec(&app.db)
        .await
        .expect("session aged");
    let page = app.get_with("/cases", &cookie).await;
    assert_eq!(page.status, 200);
    let touched = row().await;
    assert!(
        touched.expires_at >= now + 29 * 60,
        "a request moves the idle expiry on: {} vs {}",
        touched.expires_at,
        now
    );
    // Past the idle limit the session is gone.
    session::Entity::update_many()
        .col_expr(
            session::Column::ExpiresAt,
            sea_orm::sea_query::Expr::value(now - 1),
        )
        .filter(session::Column::Id.eq(id.clone()))
        .exec(&app.db)
        .await
        .expect("session expired");
    let response = app.call_with("/api/cases", "", Some(&cookie)).await;
    assert_eq!(response.status, 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_saves_wait_their_turn_and_none_fails() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let saves = (0..24).map(|n| {
        let (app, cookie) = (&app, &cookie);
        async move {
            app.call_with(
                "/api/save_case",
                &case_form(jv, &format!("TMN-2026-7{n:02}"), "2026-03-01"),
                Some(cookie),
            )
            .await
        }
    });
    let answers = futures::future::join_all(saves).await;
    for answer in &answers {
        assert_eq!(answer.status, 200, "{}", answer.body);
    }
    let stored = case::Entity::find()
        .filter(case::Column::Reference.starts_with("TMN-2026-7"))
        .all(&app.db)
        .await
        .expect("query");
    assert_eq!(stored.len(), 24);
}
