//! User administration: create, set a password through a one-time link, change roles,
//! deactivate (ending every session) and re-activate; bad input changes nothing; taking over an
//! account needs a second administrator.

use liaison_app::server::entity::{
    session, set_password_link, takeover_approval, user_account, user_role,
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, TestResponse, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn account(app: &TestApp, username: &str) -> Option<user_account::Model> {
    user_account::Entity::find()
        .filter(user_account::Column::Username.eq(username))
        .one(&app.db)
        .await
        .expect("query")
}

async fn organisation_id(app: &TestApp) -> i32 {
    account(app, "coordinator-north")
        .await
        .expect("demo user")
        .organisation_id
}

fn user_form(username: &str, email: &str, organisation: &str, roles: &[&str]) -> String {
    let mut form = format!(
        "user[username]={username}&user[display_name]=Sanne%20Bakker&user[email]={email}&user[organisation_id]={organisation}"
    );
    for role in roles {
        form.push_str(&format!("&user[roles][{role}]=true"));
    }
    form
}

/// The link shown on the user's page right after it was issued.
fn shown_link(page: &str) -> Option<String> {
    page.split(r#"<code translate="no" class="link">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_user_who_sets_their_own_password_through_a_one_time_link() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let org = organisation_id(&app).await;
    let created = app
        .post_form_with(
            "/api/admin/create_user",
            &user_form(
                "s.bakker",
                "s.bakker%40politie.nl",
                &org.to_string(),
                &["coordinator", "manager"],
            ),
            &admin,
        )
        .await;
    assert!(
        created.status.is_redirection(),
        "{} {}",
        created.status,
        created.body
    );
    let user = account(&app, "s.bakker").await.expect("created");
    assert_eq!(
        created
            .header("location")
            .map(|l| l.split("&at=").next().unwrap_or_default()),
        Some(format!("/admin/users/{}?done=created", user.id).as_str())
    );
    assert_eq!(user.password_hash, None, "nobody chose a password");
    assert!(
        user.second_factor_required,
        "coordinators need a second factor"
    );
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user.id))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(roles, 2);
    assert_eq!(app.last_event().await.action, "create_user");

    // Even a new account's first link waits for a second administrator, who is shown it.
    let requested = on_user(&app, "issue_set_password_link", user.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    assert_eq!(
        set_password_link::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0,
        "no link before a second administrator approves"
    );
    let admin2 = app.sign_in("admin2", DEMO_PASSWORD).await;
    let request = takeover_of(&app, user.id).await;
    let issued = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert!(issued.status.is_redirection(), "{}", issued.body);
    let landing = issued.header("location").expect("location");
    // The requester, opening the approval's page first, is not shown the link waiting there.
    let requester = app.get_with(landing, &admin).await;
    assert_eq!(requester.status, 200);
    assert_eq!(
        shown_link(&requester.text()),
        None,
        "never to the requester"
    );
    let page = app.get_with(landing, &admin2).await;
    let link = shown_link(&page.text()).expect("the link is shown once");
    assert!(
        link.starts_with("http://liaison.test/set-password?token="),
        "{link}"
    );
    let again = app
        .get_with(&format!("/admin/users/{}", user.id), &admin2)
        .await;
    assert_eq!(shown_link(&again.text()), None, "and only once");
    let stored = set_password_link::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("a link");
    let token = link.rsplit('=').next().expect("token");
    assert_ne!(stored.token_hash, token, "only the hash is stored");

    let path = link.trim_start_matches("http://liaison.test");
    let form = app.get(path).await;
    assert_eq!(form.status, 200);
    assert!(form.text().contains("s.bakker"));

    let weak = app
        .post_form(
            "/api/set_password",
            &format!("token={token}&new_password=short&repeat=short"),
        )
        .await;
    assert_eq!(weak.status, 400);
    assert!(weak.body.contains("new_password"), "{}", weak.body);
    assert_eq!(
        account(&app, "s.bakker").await.expect("user").password_hash,
        None
    );

    let new_password = "kraanvogels%20boven%20de%20polder";
    let set = app
        .post_form(
            "/api/set_password",
            &format!("token={token}&new_password={new_password}&repeat={new_password}"),
        )
        .await;
    assert!(set.status.is_redirection(), "{}", set.body);
    assert_eq!(set.header("location"), Some("/sign-in?password_set=1"));
    assert_eq!(app.last_event().await.action, "set_password");

    let reused = app
        .post_form(
            "/api/set_password",
            &format!("token={token}&new_password={new_password}&repeat={new_password}"),
        )
        .await;
    assert_eq!(reused.status, 400, "the link works once");
    assert!(
        app.get(path)
            .await
            .text()
            .contains("Deze link is niet geldig")
    );

    // The new user signs in with the password they chose, and goes on to enrol a second factor.
    let response = app
        .post_form(
            "/api/sign_in",
            &format!("username=s.bakker&password={new_password}"),
        )
        .await;
    assert_eq!(response.header("location"), Some("/sign-in/enrol"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_a_user_ends_all_their_sessions_at_once() {
    let app = spawn_app().await;
    let first = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let second = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let user = account(&app, "coordinator-north").await.expect("user");
    let sessions = || {
        session::Entity::find()
            .filter(session::Column::UserId.eq(user.id))
            .count(&app.db)
    };
    assert_eq!(sessions().await.expect("count"), 2);

    let response = app
        .post_form_with(
            "/api/admin/set_user_active",
            &format!("id={}&active=false", user.id),
            &admin,
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.body);
    assert_eq!(sessions().await.expect("count"), 0);
    for cookie in [&first, &second] {
        assert!(
            app.get_with("/account", cookie)
                .await
                .status
                .is_redirection()
        );
    }
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.detail.as_str()),
        ("deactivate_user", "2 sessions ended")
    );
    let refused = app
        .post_form(
            "/api/sign_in",
            &format!("username=coordinator-north&password={DEMO_PASSWORD}"),
        )
        .await;
    assert_eq!(refused.status, 400, "a deactivated user cannot sign in");

    let response = app
        .post_form_with(
            "/api/admin/set_user_active",
            &format!("id={}&active=true", user.id),
            &admin,
        )
        .await;
    assert!(response.status.is_redirection());
    app.sign_in("coordinator-north", DEMO_PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_changes_roles_and_the_change_is_audited() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let user = account(&app, "reporter").await.expect("user");
    assert!(!user.second_factor_required);
    let response = app
        .post_form_with(
            "/api/admin/update_user",
            &format!(
                "id={}&{}",
                user.id,
                user_form(
                    "ignored",
                    "melder%40coa.nl",
                    &user.organisation_id.to_string(),
                    &["reporter", "coordinator"]
                )
            ),
            &admin,
        )
        .await;
    assert!(response.status.is_redirection(), "{}", response.body);
    let changed = account(&app, "reporter").await.expect("user");
    assert_eq!(changed.email, "melder@coa.nl");
    assert!(
        changed.second_factor_required,
        "a coordinator needs a second factor"
    );
    assert_eq!(
        app.last_event().await.detail,
        "roles reporter → reporter, coordinator"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let me = account(&app, "admin").await.expect("admin");
    let deactivate = app
        .post_form_with(
            "/api/admin/set_user_active",
            &format!("id={}&active=false", me.id),
            &admin,
        )
        .await;
    assert_eq!(deactivate.status, 400);
    assert!(
        deactivate.body.contains("your own account"),
        "{}",
        deactivate.body
    );
    let drop_role = app
        .post_form_with(
            "/api/admin/update_user",
            &format!(
                "id={}&{}",
                me.id,
                user_form(
                    "admin",
                    "a%40b.nl",
                    &me.organisation_id.to_string(),
                    &["auditor"]
                )
            ),
            &admin,
        )
        .await;
    assert_eq!(drop_role.status, 400);
    assert!(
        drop_role
            .body
            .contains("roles: you cannot change your own roles"),
        "{}",
        drop_role.body
    );
    assert!(account(&app, "admin").await.expect("admin").active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_user_input_is_refused_naming_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let org = organisation_id(&app).await.to_string();
    let before = user_account::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    let cases = [
        (
            user_form("manager", "a%40b.nl", &org, &["manager"]),
            "username: is taken",
        ),
        (
            user_form("x", "a%40b.nl", &org, &["manager"]),
            "username: must be 3 to 64",
        ),
        (
            user_form("new.user", "not-an-address", &org, &["manager"]),
            "email:",
        ),
        (
            user_form("new.user", "a%40b.nl", "999999", &["manager"]),
            "organisation_id:",
        ),
        (
            user_form("new.user", "a%40b.nl", &org, &[]),
            "roles: choose at least one role",
        ),
        ("user[username]=only".to_owned(), "display_name:"),
    ];
    for (form, expected) in cases {
        let response = app
            .post_form_with("/api/admin/create_user", &form, &admin)
            .await;
        assert_eq!(response.status, 400, "{form}: {}", response.body);
        assert!(
            response.text().contains(expected),
            "{form}: expected {expected} in {}",
            response.body
        );
        assert!(
            response.body.contains("<h1>"),
            "a readable page without JavaScript"
        );
    }
    assert_eq!(
        user_account::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_never_receives_a_password_hash_or_a_second_factor_secret() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let user = account(&app, "manager").await.expect("user");
    let hash = user.password_hash.clone().expect("demo password");
    let page = app
        .get_with(&format!("/admin/users/{}", user.id), &admin)
        .await;
    assert_eq!(page.status, 200);
    let list = app.get_with("/admin/users", &admin).await;
    let json = app
        .call_with("/api/admin/user", &format!("id={}", user.id), Some(&admin))
        .await;
    assert_eq!(json.status, 200, "{}", json.body);
    for body in [&page.body, &list.body, &json.body] {
        assert!(!body.contains(&hash));
        assert!(!body.contains("$argon2"));
    }
    assert!(list.text().contains("coordinator-amsterdam"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_list_filters_by_name_and_status() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let list = app
        .get_with("/admin/users?q=COORDINATOR&status=active", &admin)
        .await;
    let text = list.text();
    assert!(text.contains("coordinator-north") && text.contains("coordinator-amsterdam"));
    assert!(!text.contains(">auditor<"), "only matching users");
    let inactive = app.get_with("/admin/users?status=inactive", &admin).await;
    assert_eq!(inactive.status, 200);
    assert!(
        inactive.text().contains("Geen gebruikers gevonden"),
        "no demo user is deactivated"
    );
}

/// A refusal that names the field and the problem: 400, with `message` in the answer.
fn assert_refused(response: &TestResponse, message: &str) {
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.body.contains(message), "{}", response.body);
}

/// The attack of issue 18, item 1: an administrator giving their own account the coordinator
/// role, assigning it to a joint venture and reading a case. Each step is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_cannot_make_themselves_a_coordinator_and_read_a_case() {
    use liaison_app::server::entity::{case, coordinator, joint_venture};
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let me = account(&app, "admin").await.expect("admin");
    let roles_before = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(me.id))
        .count(&app.db)
        .await
        .expect("count");
    for roles in [
        &["admin", "coordinator"][..],
        &["admin", "manager"],
        &["coordinator"],
    ] {
        let grant = app
            .post_form_with(
                "/api/admin/update_user",
                &format!(
                    "id={}&{}",
                    me.id,
                    user_form("admin", "a%40b.nl", &me.organisation_id.to_string(), roles)
                ),
                &admin,
            )
            .await;
        assert_refused(&grant, "roles: you cannot change your own roles");
    }
    let roles_after = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(me.id))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(roles_after, roles_before, "nothing changed");

    let jv = joint_venture::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("a joint venture")
        .id;
    for kind in ["coordinator", "manager"] {
        let assign = app
            .post_form_with(
                "/api/admin/assign",
                &format!("joint_venture_id={jv}&user_id={}&kind={kind}", me.id),
                &admin,
            )
            .await;
        assert_refused(&assign, "user_id: you cannot assign yourself");
    }
    let assigned = coordinator::Entity::find()
        .filter(coordinator::Column::UserId.eq(me.id))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(assigned, 0);

    let some_case = case::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("a case");
    let read = app
        .call_with("/api/case", &format!("id={}", some_case.id), Some(&admin))
        .await;
    assert_eq!(read.status, 403, "{}", read.body);
    assert!(!read.body.contains(&some_case.title), "{}", read.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_account_is_both_administrator_and_coordinator_or_manager() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let org = organisation_id(&app).await.to_string();
    let before = user_account::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    for roles in [
        &["admin", "coordinator"][..],
        &["admin", "manager"],
        &["reporter", "admin", "manager"],
    ] {
        let created = app
            .post_form_with(
                "/api/admin/create_user",
                &user_form("new-admin", "n%40b.nl", &org, roles),
                &admin,
            )
            .await;
        assert_refused(&created, "roles: an administrator cannot also be");
    }
    assert_eq!(
        user_account::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        before,
        "nothing saved"
    );
    // Another account turned into an administrator that still coordinates: refused too.
    let north = account(&app, "coordinator-north").await.expect("demo user");
    let update = app
        .post_form_with(
            "/api/admin/update_user",
            &format!(
                "id={}&{}",
                north.id,
                user_form(
                    "coordinator-north",
                    "c%40b.nl",
                    &org,
                    &["coordinator", "admin"]
                )
            ),
            &admin,
        )
        .await;
    assert_refused(&update, "roles: an administrator cannot also be");
    // Administrator with auditor or ministry is fine.
    let ok = app
        .post_form_with(
            "/api/admin/create_user",
            &user_form("admin-auditor", "d%40b.nl", &org, &["admin", "auditor"]),
            &admin,
        )
        .await;
    assert!(
        ok.status.is_redirection() || ok.status.is_success(),
        "{} {}",
        ok.status,
        ok.body
    );
}

// Issue 18: taking over an account (a second-factor reset, a set-password link for an account
// that has a password) is a request one administrator makes and another one decides.

/// The newest takeover request for `user_id`, as stored.
async fn takeover_of(app: &TestApp, user_id: i32) -> takeover_approval::Model {
    use sea_orm::QueryOrder;
    takeover_approval::Entity::find()
        .filter(takeover_approval::Column::UserId.eq(user_id))
        .order_by_desc(takeover_approval::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("a takeover request")
}

/// Gives a demo account an enrolled second factor (demo accounts skip it).
async fn enrol(app: &TestApp, username: &str) -> user_account::Model {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let user = account(app, username).await.expect("demo user");
    let mut enrolled: user_account::ActiveModel = user.into();
    enrolled.totp_secret = Set(Some("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".into()));
    enrolled.update(&app.db).await.expect("enrolled")
}

/// Where a form post sent the browser, without the `at` that only forces a reload.
fn landed(response: &TestResponse) -> Option<String> {
    response
        .header("location")
        .map(|l| l.split("&at=").next().unwrap_or_default().to_owned())
}

/// An administrator's request about user `id` (`reset_second_factor`,
/// `issue_set_password_link`), as the user page's form posts it.
async fn on_user(app: &TestApp, action: &str, id: i32, cookie: &str) -> TestResponse {
    app.post_form_with(&format!("/api/admin/{action}"), &format!("id={id}"), cookie)
        .await
}

/// A decision (`approve_takeover`, `refuse_takeover`) on request `request_id`, with `extra`
/// fields (`&reason=…`).
async fn decide(
    app: &TestApp,
    action: &str,
    request_id: i32,
    extra: &str,
    cookie: &str,
) -> TestResponse {
    app.post_form_with(
        &format!("/api/admin/{action}"),
        &format!("request_id={request_id}{extra}"),
        cookie,
    )
    .await
}

/// The approve and refuse forms of a pending request are on the page.
fn offers_a_decision(page: &TestResponse) -> bool {
    assert_eq!(page.status, 200, "a user page: {}", page.body);
    page.body.contains(r#"name="request_id""#)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_factor_reset_takes_effect_only_when_another_administrator_approves_it() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let admin2 = app.sign_in("admin2", DEMO_PASSWORD).await;
    // Signed in before the factor is enrolled: the demo account skips it.
    let manager_session = app.sign_in("manager", DEMO_PASSWORD).await;
    let manager = enrol(&app, "manager").await;

    let requested = on_user(&app, "reset_second_factor", manager.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    assert_eq!(
        landed(&requested),
        Some(format!(
            "/admin/users/{}?done=takeover_requested",
            manager.id
        ))
    );
    let request = takeover_of(&app, manager.id).await;
    assert_eq!(
        (request.kind.as_str(), request.decision.as_deref()),
        ("reset_second_factor", None)
    );
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.actor_name.as_str()),
        ("request_takeover", "admin")
    );
    // Nothing happened yet.
    let unchanged = account(&app, "manager").await.expect("user");
    assert!(unchanged.totp_secret.is_some(), "not reset before approval");
    assert_eq!(
        app.get_with("/account", &manager_session).await.status,
        200,
        "the user's session lives on"
    );

    // The requester cannot approve it, and the attempt is recorded.
    let own = decide(&app, "approve_takeover", request.id, "", &admin).await;
    assert_refused(&own, "You cannot decide your own request");
    assert!(
        account(&app, "manager")
            .await
            .expect("user")
            .totp_secret
            .is_some()
    );
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.result.as_str()),
        ("approve_takeover", "refused")
    );

    // The page offers the decision to the other administrator only.
    let page = format!("/admin/users/{}", manager.id);
    assert!(!offers_a_decision(&app.get_with(&page, &admin).await));
    assert!(offers_a_decision(&app.get_with(&page, &admin2).await));
    let list = app.get_with("/admin/users", &admin2).await;
    assert!(
        list.text().contains("Tweede factor wissen"),
        "the user list names the waiting request"
    );

    let approved = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert!(approved.status.is_redirection(), "{}", approved.body);
    assert_eq!(
        landed(&approved),
        Some(format!(
            "/admin/users/{}?done=takeover_approved",
            manager.id
        ))
    );
    let reset = account(&app, "manager").await.expect("user");
    assert_eq!(reset.totp_secret, None, "reset once approved");
    assert!(
        app.get_with("/account", &manager_session)
            .await
            .status
            .is_redirection(),
        "sessions signed in with the old factor end with it"
    );
    let decided = takeover_of(&app, manager.id).await;
    assert_eq!(decided.decision.as_deref(), Some("approved"));
    assert_eq!(decided.decided_by, Some(app.user_id("admin2").await));
    let event = app.last_event().await;
    assert_eq!(
        (
            event.action.as_str(),
            event.actor_name.as_str(),
            event.result.as_str()
        ),
        ("approve_takeover", "admin2", "success")
    );
    let effect = liaison_app::server::entity::audit_event::Entity::find()
        .filter(liaison_app::server::entity::audit_event::Column::Action.eq("reset_second_factor"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the reset is recorded");
    assert_eq!(effect.actor_name, "admin2");

    // A decided request cannot be decided again.
    let again = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert_refused(&again, "This request no longer waits for a decision");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_approved_set_password_link_is_shown_once_to_the_approver_only() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let admin2 = app.sign_in("admin2", DEMO_PASSWORD).await;
    let manager = account(&app, "manager").await.expect("user");
    let links = || {
        set_password_link::Entity::find()
            .filter(set_password_link::Column::UserId.eq(manager.id))
            .count(&app.db)
    };

    let requested = on_user(&app, "issue_set_password_link", manager.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    assert_eq!(
        landed(&requested),
        Some(format!(
            "/admin/users/{}?done=takeover_requested",
            manager.id
        ))
    );
    assert_eq!(links().await.expect("count"), 0, "no link before approval");
    let page = app
        .get_with(requested.header("location").expect("location"), &admin)
        .await;
    assert_eq!(shown_link(&page.text()), None);

    let request = takeover_of(&app, manager.id).await;
    let approved = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert!(approved.status.is_redirection(), "{}", approved.body);
    assert_eq!(links().await.expect("count"), 1);
    let landing = approved.header("location").expect("location");
    let requester = app.get_with(landing, &admin).await;
    assert_eq!(requester.status, 200);
    assert_eq!(
        shown_link(&requester.text()),
        None,
        "the requester never sees it, not even first"
    );
    let page = app.get_with(landing, &admin2).await;
    let link = shown_link(&page.text()).expect("the approver sees the link once");
    assert!(link.contains("/set-password?token="), "{link}");
    let path = link.trim_start_matches("http://liaison.test");
    assert!(app.get(path).await.text().contains("manager"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_or_expired_takeover_request_never_takes_effect() {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let admin2 = app.sign_in("admin2", DEMO_PASSWORD).await;
    let manager = enrol(&app, "manager").await;

    let requested = on_user(&app, "reset_second_factor", manager.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    let request = takeover_of(&app, manager.id).await;
    let no_reason = decide(&app, "refuse_takeover", request.id, "&reason=%20", &admin2).await;
    assert_refused(&no_reason, "reason: say why you refuse the request");
    let refused = decide(
        &app,
        "refuse_takeover",
        request.id,
        "&reason=not%20confirmed%20by%20phone",
        &admin2,
    )
    .await;
    assert!(refused.status.is_redirection(), "{}", refused.body);
    assert_eq!(
        landed(&refused),
        Some(format!("/admin/users/{}?done=takeover_refused", manager.id))
    );
    let decided = takeover_of(&app, manager.id).await;
    assert_eq!(decided.decision.as_deref(), Some("refused"));
    assert_eq!(decided.reason.as_deref(), Some("not confirmed by phone"));
    let event = app.last_event().await;
    assert_eq!(event.action, "refuse_takeover");
    assert!(
        event.detail.contains("not confirmed by phone"),
        "{}",
        event.detail
    );
    let late = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert_refused(&late, "This request no longer waits for a decision");
    assert!(
        account(&app, "manager")
            .await
            .expect("user")
            .totp_secret
            .is_some(),
        "a refused reset never happens"
    );

    // A link request left waiting past its 24 hours lapses.
    let requested = on_user(&app, "issue_set_password_link", manager.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    let request = takeover_of(&app, manager.id).await;
    assert_eq!(request.kind, "set_password_link");
    let mut lapsed: takeover_approval::ActiveModel = request.clone().into();
    lapsed.expires_at = Set("2020-01-01T00:00:00.000000Z".into());
    lapsed.update(&app.db).await.expect("lapsed");
    let expired = decide(&app, "approve_takeover", request.id, "", &admin2).await;
    assert_refused(&expired, "This request no longer waits for a decision");
    assert_eq!(
        set_password_link::Entity::find()
            .filter(set_password_link::Column::UserId.eq(manager.id))
            .count(&app.db)
            .await
            .expect("count"),
        0,
        "an expired request issues no link"
    );
    assert!(
        !offers_a_decision(
            &app.get_with(&format!("/admin/users/{}", manager.id), &admin2)
                .await
        ),
        "nor is it offered for a decision"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_administrators_request_or_decide_takeovers() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let manager = enrol(&app, "manager").await;
    let requested = on_user(&app, "reset_second_factor", manager.id, &admin).await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    let request = takeover_of(&app, manager.id).await;
    for user in ["reporter", "coordinator-north", "ministry", "auditor"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        for (path, form) in [
            (
                "/api/admin/approve_takeover",
                format!("request_id={}", request.id),
            ),
            (
                "/api/admin/refuse_takeover",
                format!("request_id={}&reason=no", request.id),
            ),
            ("/api/admin/takeover_requests", String::new()),
            (
                "/api/admin/reset_second_factor",
                format!("id={}", manager.id),
            ),
            (
                "/api/admin/issue_set_password_link",
                format!("id={}", manager.id),
            ),
        ] {
            let response = app.call_with(path, &form, Some(&cookie)).await;
            assert_eq!(response.status, 403, "{user} {path}: {}", response.body);
        }
    }
    assert_eq!(takeover_of(&app, manager.id).await.decision, None);
    assert!(
        account(&app, "manager")
            .await
            .expect("user")
            .totp_secret
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_other_independent_administrator_no_account_can_be_taken_over() {
    use liaison_app::server::audit::{self, Actor, Event, Outcome};
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let manager = enrol(&app, "manager").await;
    let admin2 = app.user_id("admin2").await;

    // The only other administrator once received their link from this one: no second person.
    audit::record(
        &app.db,
        Event {
            actor: Actor {
                user_id: Some(app.user_id("admin").await),
                name: "admin".into(),
                organisation_id: None,
            },
            action: "issue_set_password_link",
            object_type: "user",
            object_id: admin2.to_string(),
            outcome: Outcome::Success,
            client_address: "test".into(),
            detail: String::new(),
        },
    )
    .await
    .expect("recorded");
    let reset = on_user(&app, "reset_second_factor", manager.id, &admin).await;
    assert_refused(&reset, "No other administrator can approve this");
    let page = app
        .get_with(&format!("/admin/users/{}", manager.id), &admin)
        .await;
    assert!(
        page.text().contains("liaison-server create-admin"),
        "the page says why and what to do"
    );
    assert_eq!(
        takeover_approval::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    // Nor a new account's first link: its creator alone would hold the way in.
    let org = organisation_id(&app).await;
    let created = app
        .post_form_with(
            "/api/admin/create_user",
            &user_form(
                "n.jansen",
                "n.jansen%40politie.nl",
                &org.to_string(),
                &["reporter"],
            ),
            &admin,
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.body);
    let new_user = account(&app, "n.jansen").await.expect("created");
    let issued = on_user(&app, "issue_set_password_link", new_user.id, &admin).await;
    assert_refused(&issued, "No other administrator can approve this");
    assert_eq!(
        set_password_link::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_single_administrator_cannot_take_over_an_account() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let manager = enrol(&app, "manager").await;
    let admin2 = app.user_id("admin2").await;
    let deactivated = app
        .post_form_with(
            "/api/admin/set_user_active",
            &format!("id={admin2}&active=false"),
            &admin,
        )
        .await;
    assert!(deactivated.status.is_redirection(), "{}", deactivated.body);
    for path in [
        "/api/admin/reset_second_factor",
        "/api/admin/issue_set_password_link",
    ] {
        let response = app
            .post_form_with(path, &format!("id={}", manager.id), &admin)
            .await;
        assert_refused(&response, "No other administrator can approve this");
        let event = app.last_event().await;
        assert_eq!(
            (event.action.as_str(), event.result.as_str()),
            ("request_takeover", "refused"),
            "the attempt is recorded"
        );
    }
    assert!(
        account(&app, "manager")
            .await
            .expect("user")
            .totp_secret
            .is_some()
    );
    assert_eq!(
        set_password_link::Entity::find()
            .filter(set_password_link::Column::UserId.eq(manager.id))
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}
