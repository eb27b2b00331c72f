//! Issue 20: API clients. Administrators register them and see a token once; tokens are
//! stored hashed, expire, rotate with an overlap and are revoked at once; a client is refused
//! without a valid token, with cookies, or past its rate; client accounts are not people's.

use liaison_app::server::entity::{api_client, api_token, audit_event, user_account};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::spawn_app;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_registers_a_client_and_sees_its_token_once() {
    let app = spawn_app().await;
    let cookie = app.sign_in("admin", DEMO_PASSWORD).await;
    let kmar = app.organisation_id("KMar").await;
    let north = app.joint_venture_id(NORTH).await;
    let form = format!(
        "client[name]=KMar%20intake&client[organisation_id]={kmar}&client[joint_ventures][{north}]=true&client[scopes][cases:read]=true&client[valid_days]=30&client[rate_per_minute]="
    );
    let created = app
        .post_form_with("/api/admin/create_api_client", &form, &cookie)
        .await;
    assert!(
        created.status.is_redirection(),
        "{} {}",
        created.status,
        created.body
    );
    let page = app.get_with("/admin/api-clients", &cookie).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    let at = text.find("lsn_").expect("the token is shown");
    let token: String = text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert_eq!(token.len(), 4 + 16 + 1 + 64, "{token}");
    // Shown once: the next view of the page lists the client, not the secret.
    let again = app.get_with("/admin/api-clients", &cookie).await.text();
    assert!(again.contains("KMar intake") && !again.contains(&token));
    let stored = api_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!stored.secret_hash.is_empty() && !token.contains(&stored.secret_hash));
    assert!(token.contains(&stored.lookup));
    assert_eq!(
        app.last_event_of("create_api_client").await.actor_name,
        "admin"
    );
    // The token works, as the client and only for its joint venture.
    let cases = app
        .api(
            "GET",
            &format!("/api/v1/joint-ventures/{north}/cases"),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(cases.status, 200, "{}", cases.body);
    let amsterdam = app.joint_venture_id(AMSTERDAM).await;
    let theirs = app
        .api(
            "GET",
            &format!("/api/v1/joint-ventures/{amsterdam}/cases"),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(theirs.status, 404, "{}", theirs.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registration_is_refused_field_by_field_and_stores_nothing() {
    let app = spawn_app().await;
    let cookie = app.sign_in("admin", DEMO_PASSWORD).await;
    let kmar = app.organisation_id("KMar").await;
    let (north, amsterdam) = (
        app.joint_venture_id(NORTH).await,
        app.joint_venture_id(AMSTERDAM).await,
    );
    for (form, field) in [
        // The KMar takes no part in the Amsterdam joint venture.
        (
            format!(
                "client[name]=x&client[organisation_id]={kmar}&client[joint_ventures][{amsterdam}]=true&client[scopes][cases:read]=true"
            ),
            "joint_ventures",
        ),
        (
            format!(
                "client[name]=x&client[organisation_id]={kmar}&client[scopes][cases:read]=true"
            ),
            "joint_ventures",
        ),
        (
            format!(
                "client[name]=x&client[organisation_id]={kmar}&client[joint_ventures][{north}]=true&client[scopes][admin]=true"
            ),
            "scopes",
        ),
        (
            format!(
                "client[name]=x&client[organisation_id]={kmar}&client[joint_ventures][{north}]=true&client[scopes][cases:read]=true&client[valid_days]=400"
            ),
            "valid_days",
        ),
        (
            format!(
                "client[name]=&client[organisation_id]={kmar}&client[joint_ventures][{north}]=true&client[scopes][cases:read]=true"
            ),
            "name",
        ),
        (
            format!(
                "client[name]=x&client[organisation_id]=999999&client[joint_ventures][{north}]=true&client[scopes][cases:read]=true"
            ),
            "organisation_id",
        ),
    ] {
        let answer = app
            .call_with("/api/admin/create_api_client", &form, Some(&cookie))
            .await;
        assert_eq!(answer.status, 400, "{form}: {}", answer.body);
        assert!(answer.body.contains(field), "{form}: {}", answer.body);
    }
    assert!(
        api_client::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    // And only administrators register at all.
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let refused = app
        .call_with(
            "/api/admin/create_api_client",
            &format!("client[name]=x&client[organisation_id]={kmar}&client[joint_ventures][{north}]=true&client[scopes][cases:read]=true"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_is_refused_when_missing_malformed_wrong_expired_or_revoked() {
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let path = format!("/api/v1/joint-ventures/{north}/cases");
    let token = app.api_client("KMar", &[NORTH], &["cases:read"]).await;
    let ok = app.api("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    let wrong_secret = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('0') { '1' } else { '0' }
    );
    for (presented, detail) in [
        (None, "Bearer"),
        (Some("lsn_nonsense"), "form"),
        (Some(wrong_secret.as_str()), "not valid"),
    ] {
        let refused = app.api("GET", &path, presented, None, &[]).await;
        assert_eq!(refused.status, 401, "{presented:?}");
        assert_eq!(
            refused.header("content-type"),
            Some("application/problem+json")
        );
        assert!(refused.header("www-authenticate").is_some());
        assert!(
            refused.json()["detail"].as_str().unwrap().contains(detail),
            "{}",
            refused.body
        );
    }
    // Expired: the token's end moved into the past.
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::ExpiresAt,
            Expr::value("2020-01-01T00:00:00.000000Z"),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let expired = app.api("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(expired.status, 401);
    assert!(expired.body.contains("expired"), "{}", expired.body);
    // A failed call is audited too, without an actor.
    let event = app.last_event_of("api_call").await;
    assert_eq!(
        (event.actor_user_id, event.result.as_str()),
        (None, "refused")
    );
    assert!(event.detail.ends_with("401"), "{}", event.detail);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotation_keeps_two_tokens_valid_and_revoking_ends_every_one_at_once() {
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let path = format!("/api/v1/joint-ventures/{north}/cases");
    let first = app.api_client("KMar", &[NORTH], &["cases:read"]).await;
    let client = api_client::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let admin = app.admin_caller().await;
    let second = liaison_app::api_clients::manage::rotate(&app.db, &admin, client.id, 30)
        .await
        .unwrap()
        .token;
    for token in [&first, &second] {
        assert_eq!(
            app.api("GET", &path, Some(token), None, &[]).await.status,
            200
        );
    }
    // The replaced token runs out within the overlap week.
    let replaced = api_token::Entity::find()
        .order_by_asc(api_token::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let week = liaison_app::server::utc_text(chrono::Utc::now() + chrono::Duration::days(8));
    assert!(replaced.expires_at < week, "{}", replaced.expires_at);
    // A third token ends the first at once: never more than two.
    let third = liaison_app::api_clients::manage::rotate(&app.db, &admin, client.id, 30)
        .await
        .unwrap()
        .token;
    assert_eq!(
        app.api("GET", &path, Some(&first), None, &[]).await.status,
        401
    );
    for token in [&second, &third] {
        assert_eq!(
            app.api("GET", &path, Some(token), None, &[]).await.status,
            200
        );
    }
    // Revoked through the administrators' page: nothing works any more, and no new token.
    let cookie = app.sign_in("admin", DEMO_PASSWORD).await;
    let no_reason = app
        .call_with(
            "/api/admin/revoke_api_client",
            &format!("id={}&reason=", client.id),
            Some(&cookie),
        )
        .await;
    assert_eq!(no_reason.status, 400);
    let revoked = app
        .post_form_with(
            "/api/admin/revoke_api_client",
            &format!("id={}&reason=system%20replaced", client.id),
            &cookie,
        )
        .await;
    assert!(revoked.status.is_redirection(), "{}", revoked.body);
    for token in [&second, &third] {
        let refused = app.api("GET", &path, Some(token), None, &[]).await;
        assert_eq!(refused.status, 401);
        assert!(refused.body.contains("revoked"));
    }
    let again = app
        .call_with(
            "/api/admin/rotate_api_token",
            &format!("id={}", client.id),
            Some(&cookie),
        )
        .await;
    assert_eq!(again.status, 400, "{}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_call_with_cookies_is_refused_and_the_rate_is_kept() {
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let path = format!("/api/v1/joint-ventures/{north}/cases");
    let token = app
        .api_client_with("KMar", &[NORTH], &["cases:read"], |c| {
            c.rate_per_minute = "3".into();
        })
        .await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let with_cookie = app
        .api("GET", &path, Some(&token), None, &[("cookie", &cookie)])
        .await;
    assert_eq!(with_cookie.status, 400);
    assert!(with_cookie.body.contains("cookies"), "{}", with_cookie.body);
    // A session alone opens nothing here either.
    let session_only = app
        .api("GET", &path, None, None, &[("cookie", &cookie)])
        .await;
    assert_eq!(session_only.status, 400);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let answer = app.api("GET", &path, Some(&token), None, &[]).await;
        if answer.status == 429 {
            let wait: u64 = answer.header("retry-after").unwrap().parse().unwrap();
            assert!((1..=60).contains(&wait), "{wait}");
        }
        statuses.push(answer.status.as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429, 429]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_account_is_not_a_person_an_administrator_can_manage_or_sign_in_as() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], &["cases:read"]).await;
    assert!(token.starts_with("lsn_"));
    let account = user_account::Entity::find()
        .filter(user_account::Column::Username.starts_with("api:"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(account.password_hash.is_none() && !account.active);
    let cookie = app.sign_in("admin", DEMO_PASSWORD).await;
    let users = app.get_with("/admin/users", &cookie).await.text();
    assert!(
        !users.contains("api:"),
        "the user list leaves client accounts out"
    );
    for (path, form) in [
        ("/api/admin/user", format!("id={}", account.id)),
        (
            "/api/admin/set_user_active",
            format!("id={}&active=true", account.id),
        ),
        (
            "/api/admin/issue_set_password_link",
            format!("id={}", account.id),
        ),
        (
            "/api/admin/update_user",
            format!(
                "id={}&user[display_name]=x&user[email]=x%40example.org&user[organisation_id]={}&user[roles][coordinator]=true",
                account.id, account.organisation_id
            ),
        ),
    ] {
        let refused = app.call_with(path, &form, Some(&cookie)).await;
        assert_eq!(refused.status, 400, "{path}: {}", refused.body);
    }
    let stored = user_account::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored, account, "nothing of the account changed");
    let sign_in = app
        .call_with(
            "/api/sign_in",
            &format!("username={}&password=x", account.username),
            None,
        )
        .await;
    assert!(sign_in.status.is_client_error());
    let signed_in = audit_event::Entity::find()
        .filter(audit_event::Column::ActorName.eq(account.username.clone()))
        .filter(audit_event::Column::Result.eq("success"))
        .all(&app.db)
        .await
        .unwrap();
    assert!(signed_in.is_empty(), "{signed_in:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_loses_a_joint_venture_its_organisation_leaves() {
    use liaison_app::server::entity::membership;
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let path = format!("/api/v1/joint-ventures/{north}/cases");
    let token = app.api_client("KMar", &[NORTH], &["cases:read"]).await;
    assert_eq!(
        app.api("GET", &path, Some(&token), None, &[]).await.status,
        200
    );
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    membership::Entity::update_many()
        .col_expr(membership::Column::Until, Expr::value(yesterday))
        .filter(membership::Column::JointVentureId.eq(north))
        .filter(membership::Column::OrganisationId.eq(app.organisation_id("KMar").await))
        .exec(&app.db)
        .await
        .unwrap();
    let gone = app.api("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(gone.status, 404, "{}", gone.body);
}
