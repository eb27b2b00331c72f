//! The second factor at sign-in: enrolled users give a code after their password, each code
//! works once, old codes expire, and users who must have one enrol it before they get in.

use liaison_app::server::{
    entity::{audit_event, user_account},
    second_factor::{code_at, new_secret},
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr};

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

async fn enrol_directly(app: &TestApp, username: &str) -> String {
    let secret = new_secret();
    user_account::Entity::update_many()
        .col_expr(
            user_account::Column::TotpSecret,
            Expr::value(secret.clone()),
        )
        .filter(user_account::Column::Username.eq(username))
        .exec(&app.db)
        .await
        .expect("secret stored");
    secret
}

async fn account(app: &TestApp, username: &str) -> user_account::Model {
    user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the account")
}

/// Password step; returns the (pending) session cookie and where it leads.
async fn password_step(app: &TestApp, username: &str) -> (String, String) {
    let response = app
        .post_form(
            "/api/sign_in",
            &format!("username={username}&password={DEMO_PASSWORD}&return_to=%2Faccount"),
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.body);
    (
        response.session_cookie().expect("cookie"),
        response.header("location").unwrap_or_default().to_owned(),
    )
}

async fn send_code(app: &TestApp, cookie: &str, code: &str) -> liaison_tests::TestResponse {
    app.post_form_with(
        "/api/second_factor",
        &format!("code={code}&return_to=%2Faccount"),
        cookie,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_alone_does_not_sign_in_a_user_with_a_second_factor() {
    let app = spawn_app().await;
    let secret = enrol_directly(&app, "coordinator-north").await;
    let (cookie, location) = password_step(&app, "coordinator-north").await;
    assert_eq!(location, "/sign-in/second-factor?return_to=%2Faccount");
    let account_page = app.get_with("/account", &cookie).await;
    assert!(
        account_page.status.is_redirection(),
        "not signed in yet: {}",
        account_page.status
    );
    let page = app.get_with(&location, &cookie).await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains(r#"autocomplete="one-time-code""#));

    let code = code_at(&secret, now()).expect("code");
    let response = send_code(&app, &cookie, &code).await;
    assert!(response.status.is_redirection(), "{}", response.body);
    assert_eq!(response.header("location"), Some("/account"));
    let cookie = response.session_cookie().unwrap_or(cookie);
    let account_page = app.get_with("/account", &cookie).await;
    assert_eq!(account_page.status, 200);
    assert!(account_page.text().contains("Chris Jansen"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_is_accepted_once() {
    let app = spawn_app().await;
    let secret = enrol_directly(&app, "manager").await;
    let code = code_at(&secret, now()).expect("code");
    let (cookie, _) = password_step(&app, "manager").await;
    assert!(
        send_code(&app, &cookie, &code)
            .await
            .status
            .is_redirection()
    );

    let (cookie, _) = password_step(&app, "manager").await;
    let reused = send_code(&app, &cookie, &code).await;
    assert_eq!(reused.status, 400, "{}", reused.body);
    assert!(reused.body.contains("used already"), "{}", reused.body);
    let failure = audit_event::Entity::find()
        .order_by_desc(audit_event::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("event");
    assert_eq!(
        (
            failure.action.as_str(),
            failure.result.as_str(),
            failure.detail.as_str()
        ),
        ("sign_in", "failure", "second factor: used")
    );
    assert!(
        app.get_with("/account", &cookie)
            .await
            .status
            .is_redirection(),
        "the reused code signed nobody in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_or_malformed_code_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let secret = enrol_directly(&app, "auditor").await;
    let (cookie, _) = password_step(&app, "auditor").await;
    let expired = code_at(&secret, now() - 120).expect("code");
    let response = send_code(&app, &cookie, &expired).await;
    assert_eq!(response.status, 400);
    assert!(
        response.body.contains("code: this code is not correct"),
        "{}",
        response.body
    );

    let response = send_code(&app, &cookie, "12345").await;
    assert_eq!(response.status, 400);
    assert!(
        response.body.contains("code: enter the 6 digits"),
        "{}",
        response.body
    );
    assert_eq!(account(&app, "auditor").await.totp_last_step, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = spawn_app().await;
    let secret = enrol_directly(&app, "coordinator-amsterdam").await;
    let (cookie, _) = password_step(&app, "coordinator-amsterdam").await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        statuses.push(send_code(&app, &cookie, "000000").await.status.as_u16());
    }
    assert_eq!(&statuses[..5], &[400; 5]);
    assert_eq!(statuses[5], 429, "{statuses:?}");
    // Even the right code waits now.
    let code = code_at(&secret, now()).expect("code");
    assert_eq!(send_code(&app, &cookie, &code).await.status, 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_code_without_a_password_first_signs_nobody_in() {
    let app = spawn_app().await;
    let response = app
        .post_form("/api/second_factor", "code=123456&return_to=%2F")
        .await;
    assert_eq!(response.status, 400);
    assert!(response.body.contains("Sign in again"), "{}", response.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_who_needs_a_second_factor_enrols_it_before_getting_in() {
    let app = spawn_app().await;
    user_account::Entity::update_many()
        .col_expr(
            user_account::Column::SecondFactorRequired,
            Expr::value(true),
        )
        .filter(user_account::Column::Username.eq("admin"))
        .exec(&app.db)
        .await
        .expect("required");
    let (cookie, location) = password_step(&app, "admin").await;
    assert_eq!(location, "/sign-in/enrol?return_to=%2Faccount");
    assert!(
        app.get_with("/account", &cookie)
            .await
            .status
            .is_redirection()
    );

    let page = app.get_with(&location, &cookie).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("<svg"), "a QR code");
    let secret = shown_key(&text);
    // Reloading shows the same key: the phone may have scanned it already.
    assert_eq!(
        shown_key(&app.get_with(&location, &cookie).await.text()),
        secret
    );

    let wrong = app
        .post_form_with("/api/confirm_enrolment", "code=000000", &cookie)
        .await;
    assert_eq!(wrong.status, 400);
    assert_eq!(
        account(&app, "admin").await.totp_secret,
        None,
        "nothing saved"
    );

    let code = code_at(&secret, now()).expect("code");
    let response = app
        .post_form_with(
            "/api/confirm_enrolment",
            &format!("code={code}&return_to=%2Faccount"),
            &cookie,
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.body);
    let cookie = response.session_cookie().unwrap_or(cookie);
    assert_eq!(app.get_with("/account", &cookie).await.status, 200);
    assert_eq!(account(&app, "admin").await.totp_secret, Some(secret));
    let enrolments = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("enrol_second_factor"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(enrolments, 1);

    // From now on the password leads to the code, not to enrolment.
    let (_, location) = password_step(&app, "admin").await;
    assert_eq!(location, "/sign-in/second-factor?return_to=%2Faccount");
}

fn shown_key(page: &str) -> String {
    page.split(r#"translate="no" class="secret">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_else(|| panic!("the key as text in {page}"))
        .replace(' ', "")
}
