use axum::body::Body;
use http::Request;
use liaison_app::server::{
    audit::{self, Verification},
    entity::{audit_event, session},
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn session_cookie(response: &liaison_tests::TestResponse) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("liaison_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> liaison_tests::TestResponse {
    app.post_form(
        "/api/sign_in",
        &format!("username={username}&password={password}&return_to=%2Faccount"),
    )
    .await
}

async fn get_with(app: &TestApp, path: &str, cookie: &str) -> liaison_tests::TestResponse {
    app.send(
        Request::get(path)
            .header("host", "liaison.test")
            .header("accept", liaison_tests::BROWSER_ACCEPT)
            .header("cookie", cookie)
            .body(Body::empty())
            .expect("request"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_signs_in_gets_a_fresh_session_and_is_recorded() {
    let app = spawn_app().await;
    let response = sign_in(&app, "coordinator-north", DEMO_PASSWORD).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    assert_eq!(response.header("location"), Some("/account"));
    let cookie = session_cookie(&response).expect("a session cookie");
    let set_cookie = response.header("set-cookie").expect("set-cookie");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} in {set_cookie}"
        );
    }

    let account = get_with(&app, "/account", &cookie).await;
    assert_eq!(account.status, 200);
    assert!(
        account.text().contains("Chris Jansen"),
        "{}",
        account.text()
    );

    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.result.as_str()),
        ("sign_in", "success")
    );
    assert_eq!(event.actor_name, "coordinator-north");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_and_an_unknown_user_get_the_same_refusal() {
    let app = spawn_app().await;
    let wrong_password = sign_in(&app, "manager", "not-the-password-at-all").await;
    let unknown_user = sign_in(&app, "nobody-here", DEMO_PASSWORD).await;
    assert_eq!(wrong_password.status, 400);
    assert_eq!(unknown_user.status, 400);
    assert_eq!(wrong_password.body, unknown_user.body);
    assert!(
        wrong_password
            .body
            .contains("The user name or password is not correct.")
    );
    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("sign_in"))
        .filter(audit_event::Column::Result.eq("failure"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(failures, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_field_is_named_in_the_refusal() {
    let app = spawn_app().await;
    let response = app
        .post_form("/api/sign_in", "username=&password=x&return_to=%2F")
        .await;
    assert_eq!(response.status, 400);
    assert!(response.body.contains("username"), "{}", response.body);
    let response = app
        .post_form("/api/sign_in", "username=manager&password=&return_to=%2F")
        .await;
    assert_eq!(response.status, 400);
    assert!(response.body.contains("password"), "{}", response.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_messages_follow_the_language_of_the_request() {
    let app = spawn_app().await;
    let post = |language: &'static str| {
        app.send(
            Request::post("/api/sign_in")
                .header("host", "liaison.test")
                .header("origin", "http://liaison.test")
                .header("accept", "application/json")
                .header("accept-language", language)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from("username=&password=x"))
                .expect("request"),
        )
    };
    assert!(
        post("nl-NL,nl;q=0.9")
            .await
            .body
            .contains("vul uw gebruikersnaam in")
    );
    assert!(
        post("en-US,en;q=0.9")
            .await
            .body
            .contains("enter your user name")
    );
    // Neither spoken: Dutch, Liaison's default.
    assert!(
        post("fr-FR")
            .await
            .body
            .contains("vul uw gebruikersnaam in")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_needs_a_user_sends_a_visitor_to_sign_in_and_back() {
    let app = spawn_app().await;
    let response = app.get("/account").await;
    assert!(response.status.is_redirection(), "{}", response.status);
    assert_eq!(
        response.header("location"),
        Some("/sign-in?return_to=/account")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_destroys_the_server_side_session() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in(&app, "auditor", DEMO_PASSWORD).await).expect("cookie");
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        1
    );
    let response = app
        .send(
            Request::post("/api/sign_out")
                .header("host", "liaison.test")
                .header("origin", "http://liaison.test")
                .header("cookie", &cookie)
                .header("accept", liaison_tests::BROWSER_ACCEPT)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::empty())
                .expect("request"),
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.status);
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        0
    );
    let account = get_with(&app, "/account", &cookie).await;
    assert!(
        account.status.is_redirection(),
        "the old cookie no longer signs in"
    );
    assert_eq!(app.last_event().await.action, "sign_out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_weak_new_password_is_refused_naming_the_field_and_changes_nothing() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in(&app, "admin", DEMO_PASSWORD).await).expect("cookie");
    let change = |form: String| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.send(
                Request::post("/api/change_password")
                    .header("host", "liaison.test")
                    .header("origin", "http://liaison.test")
                    .header("cookie", cookie)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(form))
                    .expect("request"),
            )
            .await
        }
    };
    let common = change(format!(
        "current_password={DEMO_PASSWORD}&new_password=password1234&repeat=password1234"
    ))
    .await;
    assert_eq!(common.status, 400);
    assert!(common.body.contains("new_password"), "{}", common.body);
    let wrong_current = change(
        "current_password=guess-guess-guess&new_password=tulips%20in%20the%20rain&repeat=tulips%20in%20the%20rain".into(),
    )
    .await;
    assert_eq!(wrong_current.status, 400);
    assert!(
        wrong_current.body.contains("current_password"),
        "{}",
        wrong_current.body
    );
    // Nothing changed: the demo password still signs in.
    assert!(
        sign_in(&app, "admin", DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );

    let ok = change(format!(
        "current_password={DEMO_PASSWORD}&new_password=tulips%20in%20the%20rain&repeat=tulips%20in%20the%20rain"
    ))
    .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(sign_in(&app, "admin", DEMO_PASSWORD).await.status, 400);
    assert!(
        sign_in(&app, "admin", "tulips in the rain")
            .await
            .status
            .is_redirection()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_verifies_and_detects_an_edited_or_removed_event() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
    let app = spawn_app().await;
    for user in ["manager", "auditor", "reporter"] {
        sign_in(&app, user, DEMO_PASSWORD).await;
    }
    sign_in(&app, "manager", "wrong-wrong-wrong").await;
    let Verification::Intact { events, .. } = audit::verify(&app.db).await.expect("verified")
    else {
        panic!("an untouched trail verifies");
    };
    assert_eq!(events, 4);

    // Edit the second event's detail by hand.
    let events: Vec<_> = audit_event::Entity::find()
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .expect("events");
    let mut edited: audit_event::ActiveModel = events[1].clone().into();
    edited.actor_name = Set("someone-else".into());
    edited.update(&app.db).await.expect("edited");
    assert_eq!(
        audit::verify(&app.db).await.expect("verified"),
        Verification::Broken {
            event_id: Some(events[1].id),
            reason: "its content does not match its hash (the event was changed)".into()
        }
    );
    // Put it back, then remove the newest event: the head no longer matches.
    let mut restored: audit_event::ActiveModel = events[1].clone().into();
    restored.actor_name = Set(events[1].actor_name.clone());
    restored.update(&app.db).await.expect("restored");
    assert!(matches!(
        audit::verify(&app.db).await.expect("verified"),
        Verification::Intact { .. }
    ));
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM audit_event WHERE id = {}",
            events[3].id
        ))
        .await
        .expect("deleted");
    assert!(matches!(
        audit::verify(&app.db).await.expect("verified"),
        Verification::Broken { event_id: None, .. }
    ));
    // Removing one in the middle names the event after the gap.
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM audit_event WHERE id = {}",
            events[1].id
        ))
        .await
        .expect("deleted");
    assert!(matches!(
        audit::verify(&app.db).await.expect("verified"),
        Verification::Broken { event_id: Some(id), .. } if id == events[2].id
    ));
}

/// Events appended by other requests and the jobs while an auditor's verification reads the
/// chain are neither half seen nor taken for removed events (seen once in the browser suite).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_chain_verifies_while_events_are_appended() {
    use sea_orm::TransactionTrait;
    let app = spawn_app().await;
    let db = app.db.clone();
    let writer = tokio::spawn(async move {
        for n in 0..300 {
            let txn = db.begin().await.expect("begin");
            audit::record(
                &txn,
                audit::Event {
                    actor: audit::Actor {
                        user_id: None,
                        name: "writer".into(),
                        organisation_id: None,
                    },
                    action: "sign_in",
                    object_type: "user_account",
                    object_id: n.to_string(),
                    outcome: audit::Outcome::Success,
                    client_address: "127.0.0.1".into(),
                    detail: String::new(),
                },
            )
            .await
            .expect("recorded");
            txn.commit().await.expect("committed");
        }
    });
    let mut verifications = 0;
    while !writer.is_finished() {
        match audit::verify(&app.db).await.expect("verified") {
            Verification::Intact { .. } => verifications += 1,
            broken => panic!("a growing trail was read as {broken:?}"),
        }
    }
    writer.await.expect("writer");
    assert!(verifications > 0, "verified while the writer ran");
    assert!(matches!(
        audit::verify(&app.db).await.expect("verified"),
        Verification::Intact { events: 300, .. }
    ));
}

/// Appends made outside a transaction (a list's read is recorded on the pool) at the same
/// moment each take the head in turn: none forks the chain. Seen in the browser suite on
/// PostgreSQL (two events after the same one); this fails on an append without its own
/// transaction.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_outside_a_transaction_keep_one_chain() {
    let app = spawn_app().await;
    let before = match audit::verify(&app.db).await.expect("verified") {
        Verification::Intact { events, .. } => events,
        broken => panic!("{broken:?}"),
    };
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let db = app.db.clone();
            tokio::spawn(async move {
                for n in 0..40 {
                    audit::record(
                        &db,
                        audit::Event {
                            actor: audit::Actor {
                                user_id: None,
                                name: format!("writer {w}"),
                                organisation_id: None,
                            },
                            action: "list_overlaps",
                            object_type: "overlap",
                            object_id: "0".into(),
                            outcome: audit::Outcome::Success,
                            client_address: "127.0.0.1".into(),
                            detail: format!("{n} shown"),
                        },
                    )
                    .await
                    .expect("recorded");
                }
            })
        })
        .collect();
    for writer in writers {
        writer.await.expect("writer");
    }
    match audit::verify(&app.db).await.expect("verified") {
        Verification::Intact { events, .. } => assert_eq!(events, before + 320),
        broken => panic!("concurrent appends forked the chain: {broken:?}"),
    }
}

async fn audit_trail(app: &TestApp, cookie: Option<&str>) -> liaison_tests::TestResponse {
    let mut request = Request::post("/api/audit_trail")
        .header("host", "liaison.test")
        .header("origin", "http://liaison.test")
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    app.send(request.body(Body::empty()).expect("request"))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auditor_reads_the_audit_trail_and_sees_it_verified() {
    let app = spawn_app().await;
    sign_in(&app, "manager", "wrong-wrong-wrong").await;
    let cookie = session_cookie(&sign_in(&app, "auditor", DEMO_PASSWORD).await).expect("cookie");
    let response = audit_trail(&app, Some(&cookie)).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let trail: serde_json::Value = serde_json::from_str(&response.body).expect("json");
    assert_eq!(trail["broken"], serde_json::Value::Null);
    assert_eq!(trail["events"], 2);
    assert_eq!(trail["rows"][0]["actor"], "auditor");
    assert_eq!(trail["rows"][1]["result"], "failure");

    // The page says it in words: the time on the Dutch clock, the action and its result.
    let page = app.get_with("/audit", &cookie).await;
    assert_eq!(page.status, 200);
    let shown = liaison_tests::shown_text(&page.body);
    let signed_in = app.last_event().await;
    assert!(
        shown.contains(&liaison_tests::dutch_moment(&signed_in.occurred_at)),
        "{shown}"
    );
    assert_eq!(liaison_tests::machine_time(&shown), None, "{shown}");
    assert!(
        shown.contains("Inloggen") && shown.contains("Mislukt"),
        "{shown}"
    );
    assert!(
        !shown.contains("sign_in") && !shown.contains("failure"),
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auditor_filters_the_trail_and_a_bad_date_is_named() {
    let app = spawn_app().await;
    sign_in(&app, "manager", "wrong-wrong-wrong").await;
    sign_in(&app, "reporter", DEMO_PASSWORD).await;
    let cookie = app.sign_in("auditor", DEMO_PASSWORD).await;
    let today = chrono_today();
    let filtered = app
        .call_with(
            "/api/audit_trail",
            &format!("filter[result]=failure&filter[from]={today}&filter[to]={today}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(filtered.status, 200, "{}", filtered.body);
    let trail: serde_json::Value = serde_json::from_str(&filtered.body).expect("json");
    let rows = trail["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["actor"], "manager");

    let by_actor = app
        .call_with("/api/audit_trail", "filter[actor]=report", Some(&cookie))
        .await;
    let trail: serde_json::Value = serde_json::from_str(&by_actor.body).expect("json");
    assert_eq!(trail["rows"].as_array().map(Vec::len), Some(1));

    let yesterday_only = app
        .call_with("/api/audit_trail", "filter[to]=2000-01-01", Some(&cookie))
        .await;
    let trail: serde_json::Value = serde_json::from_str(&yesterday_only.body).expect("json");
    assert_eq!(trail["rows"].as_array().map(Vec::len), Some(0));

    let bad = app
        .call_with("/api/audit_trail", "filter[from]=30-11-2026", Some(&cookie))
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("from"), "{}", bad.body);
    let page = app.get_with("/audit?to=2026-13-01", &cookie).await;
    assert!(
        page.text().contains("to: vul een datum in"),
        "{}",
        page.text()
    );
}

/// The filter's days are Dutch days, as the page shows the times.
fn chrono_today() -> String {
    liaison_app::server::time::today().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_an_auditor_gets_the_audit_trail_from_the_server_function() {
    let app = spawn_app().await;
    assert_eq!(audit_trail(&app, None).await.status, 401);
    for user in [
        "coordinator-north",
        "manager",
        "ministry",
        "admin",
        "reporter",
    ] {
        let cookie = session_cookie(&sign_in(&app, user, DEMO_PASSWORD).await).expect("cookie");
        let response = audit_trail(&app, Some(&cookie)).await;
        assert_eq!(response.status, 403, "{user}: {}", response.body);
        assert!(!response.body.contains("sign_in"), "{user} sees no event");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_idle_past_its_limit_no_longer_signs_in() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in(&app, "manager", DEMO_PASSWORD).await).expect("cookie");
    assert_eq!(get_with(&app, "/account", &cookie).await.status, 200);
    // The store keeps the idle deadline; move it into the past, as 31 idle minutes would.
    let stored = session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("a session");
    let mut expired: session::ActiveModel = stored.clone().into();
    expired.expires_at = Set(stored.expires_at - 31 * 60 - 1800);
    expired.update(&app.db).await.expect("updated");
    let response = get_with(&app, "/account", &cookie).await;
    assert!(response.status.is_redirection(), "{}", response.status);
    assert_eq!(
        response.header("location"),
        Some("/sign-in?return_to=/account")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_older_than_the_absolute_limit_ends_however_active_it_is() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in(&app, "manager", DEMO_PASSWORD).await).expect("cookie");
    let stored = session::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("a session");
    let mut data: serde_json::Value = serde_json::from_str(&stored.data).expect("json");
    let signed_in_at = data["signed_in_at"].as_i64().expect("a sign-in time");
    data["signed_in_at"] = serde_json::json!(signed_in_at - 10 * 3600 - 1);
    let mut aged: session::ActiveModel = stored.into();
    aged.data = Set(data.to_string());
    aged.update(&app.db).await.expect("updated");
    let response = get_with(&app, "/account", &cookie).await;
    assert!(response.status.is_redirection(), "{}", response.status);
    assert_eq!(
        session::Entity::find().count(&app.db).await.expect("count"),
        0,
        "the session was ended"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_slow_down_further_tries_for_that_name_only() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(
            sign_in(&app, "manager", "guess-guess-guess").await.status,
            400
        );
    }
    // The sixth try is refused before the password is even checked, the right one included.
    let throttled = sign_in(&app, "manager", DEMO_PASSWORD).await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
    assert!(
        throttled.body.contains("too many failed attempts"),
        "{}",
        throttled.body
    );
    // An unknown name is throttled the same way, so throttling reveals no account.
    for _ in 0..5 {
        sign_in(&app, "no-such-user", "guess-guess-guess").await;
    }
    assert_eq!(
        sign_in(&app, "no-such-user", "guess-guess-guess")
            .await
            .status,
        429
    );
    // Another user from the same address is not locked out by someone else's failures.
    assert!(
        sign_in(&app, "auditor", DEMO_PASSWORD)
            .await
            .status
            .is_redirection()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_form_missing_its_fields_is_a_400_naming_the_field() {
    let app = spawn_app().await;
    let response = app.post_form("/api/sign_in", "").await;
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.contains("username"), "{}", response.body);
}

async fn password_hash_of(app: &TestApp, username: &str) -> Option<String> {
    use liaison_app::server::entity::user_account;
    user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the user")
        .password_hash
}

/// A password change from the session `cookie`, as the account page's form sends it.
async fn change_password(
    app: &TestApp,
    cookie: &str,
    current: &str,
    new: &str,
) -> liaison_tests::TestResponse {
    app.send(
        Request::post("/api/change_password")
            .header("host", "liaison.test")
            .header("origin", "http://liaison.test")
            .header("cookie", cookie)
            .header("accept-language", liaison_tests::POST_LANGUAGE)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "current_password={current}&new_password={new}&repeat={new}"
            )))
            .expect("request"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_password_signs_out_the_other_sessions_and_renews_this_ones_id() {
    let app = spawn_app().await;
    let here = session_cookie(&sign_in(&app, "auditor", DEMO_PASSWORD).await).expect("cookie");
    let elsewhere = session_cookie(&sign_in(&app, "auditor", DEMO_PASSWORD).await).expect("cookie");
    let auditor = app.user_id("auditor").await;
    let sessions = || {
        session::Entity::find()
            .filter(session::Column::UserId.eq(auditor))
            .count(&app.db)
    };
    assert_eq!(sessions().await.expect("count"), 2);

    let changed = change_password(&app, &here, DEMO_PASSWORD, "tulips%20in%20the%20rain").await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    let renewed = session_cookie(&changed).expect("a new session cookie");
    assert_ne!(renewed, here, "the session id changed");

    assert_eq!(
        get_with(&app, "/account", &renewed).await.status,
        200,
        "this session stays signed in under its new id"
    );
    for (cookie, what) in [(&here, "the old id"), (&elsewhere, "the other session")] {
        assert!(
            get_with(&app, "/account", cookie)
                .await
                .status
                .is_redirection(),
            "{what} no longer signs in"
        );
    }
    assert_eq!(sessions().await.expect("count"), 1);
    let event = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("change_password"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the change is recorded");
    assert_eq!(
        (event.result.as_str(), event.detail.as_str()),
        ("success", "1 other sessions ended")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_current_passwords_are_recorded_and_throttled_like_failed_sign_ins() {
    let app = spawn_app().await;
    let cookie = session_cookie(&sign_in(&app, "auditor", DEMO_PASSWORD).await).expect("cookie");
    let before = password_hash_of(&app, "auditor").await;

    let mut statuses = Vec::new();
    for _ in 0..12 {
        let response = change_password(
            &app,
            &cookie,
            "guess-guess-guess",
            "tulips%20in%20the%20rain",
        )
        .await;
        statuses.push(response.status.as_u16());
    }
    assert_eq!(statuses[..5], [400; 5], "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");

    // While the wait lasts the right password is refused too, and so is signing in with it.
    let right = change_password(&app, &cookie, DEMO_PASSWORD, "tulips%20in%20the%20rain").await;
    assert_eq!(right.status, 429, "{}", right.body);
    assert_eq!(sign_in(&app, "auditor", DEMO_PASSWORD).await.status, 429);
    assert_eq!(
        password_hash_of(&app, "auditor").await,
        before,
        "the password did not change"
    );

    let failures = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("change_password"))
        .filter(audit_event::Column::Result.eq("failure"))
        .filter(audit_event::Column::ActorName.eq("auditor"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(
        failures, 5,
        "each wrong password tried is in the audit trail"
    );
}
