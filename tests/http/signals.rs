//! Signals: a report's life from the reporter to followed up and back as feedback, refusals
//! per role, bad input, anonymity, deadlines and the overdue flag, duplicates, routing by rule
//! and by hand, and drafts kept across an expired session, on SQLite and PostgreSQL.

use liaison_app::{
    server::entity::audit_event, server::entity::notification, server::entity::routing_rule,
    server::entity::signal, server::entity::signal_draft, server::entity::signal_event,
    settings::Settings,
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

/// A soft trafficking signal from a reception centre, as the form posts it.
const SOFT: &str = "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4\
&signal[observed]=A%20resident%20hands%20her%20wages%20to%20a%20man%20who%20waits%20outside\
&signal[day]=2026-11-27&signal[place]=Reception%20centre%20Ter%20Apel\
&signal[urgency]=normal";

async fn report(app: &TestApp, cookie: &str, form: &str) -> signal::Model {
    let before = latest(app).await.map(|s| s.id).unwrap_or_default();
    let response = app.post_form_with("/api/report_signal", form, cookie).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    let saved = latest(app).await.expect("a signal");
    assert!(saved.id > before, "a new signal");
    let location = response.header("location").unwrap_or_default();
    assert!(
        location.starts_with(&format!("/signals/{}?saved=reported", saved.id)),
        "{location}"
    );
    saved
}

async fn latest(app: &TestApp) -> Option<signal::Model> {
    signal::Entity::find()
        .order_by_desc(signal::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
}

async fn reload(app: &TestApp, id: i32) -> signal::Model {
    signal::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the signal")
}

async fn count(app: &TestApp) -> u64 {
    signal::Entity::find().count(&app.db).await.expect("count")
}

async fn kinds_for(app: &TestApp, username: &str, signal_id: i32) -> Vec<String> {
    let user = app.user_id(username).await;
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::SignalId.eq(signal_id))
        .order_by_asc(notification::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .map(|n| n.kind)
        .collect()
}

async fn view(app: &TestApp, cookie: &str, id: i32) -> liaison_tests::TestResponse {
    app.call_with("/api/signal", &format!("id={id}"), Some(cookie))
        .await
}

async fn step(
    app: &TestApp,
    cookie: &str,
    id: i32,
    version: i32,
    form: &str,
) -> liaison_tests::TestResponse {
    app.call_with(
        "/api/signal_step",
        &format!("id={id}&version={version}&{form}"),
        Some(cookie),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reported_signal_is_assessed_routed_followed_up_and_fed_back() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let s = report(
        &app,
        &reporter,
        &format!("{SOFT}&signal[identifier_kind]=phone&signal[identifier_value]=06%2041234561"),
    )
    .await;
    assert_eq!(s.state, "new");
    assert!(s.routed_by_rule, "the demo's trafficking rule");
    assert_eq!(
        kinds_for(&app, "coordinator-amsterdam", s.id).await,
        ["new_signal"]
    );
    assert!(kinds_for(&app, "coordinator-north", s.id).await.is_empty());

    let seen = view(&app, &amsterdam, s.id).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert!(seen.body.contains("hands her wages"), "{}", seen.body);
    assert!(
        seen.body.contains("Rosa Bakker"),
        "named when not anonymous"
    );
    assert!(seen.body.contains("41234561"), "the subject named");

    let assessed = step(&app, &amsterdam, s.id, 1, "step=assess&note=credible").await;
    assert_eq!(assessed.status, 200, "{}", assessed.body);
    let own = reload(&app, s.id).await.joint_venture_id.expect("owner");
    let routed = step(
        &app,
        &amsterdam,
        s.id,
        2,
        &format!("step=route&joint_venture_id={own}"),
    )
    .await;
    assert_eq!(routed.status, 200, "{}", routed.body);
    let case_id = app.case_id("KMA-2026-007").await;
    let followed = step(
        &app,
        &amsterdam,
        s.id,
        3,
        &format!("step=follow_up&outcome=linked_case&case_id={case_id}"),
    )
    .await;
    assert_eq!(followed.status, 200, "{}", followed.body);
    let done = reload(&app, s.id).await;
    assert_eq!(
        (
            done.state.as_str(),
            done.outcome.as_deref(),
            done.outcome_case_id
        ),
        ("followed_up", Some("linked_case"), Some(case_id))
    );
    assert!(done.assessed_at.is_some() && done.routed_at.is_some() && done.closed_at.is_some());
    let steps: Vec<String> = signal_event::Entity::find()
        .filter(signal_event::Column::SignalId.eq(s.id))
        .order_by_asc(signal_event::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.step)
        .collect();
    assert_eq!(
        steps,
        ["reported", "routed_by_rule", "assess", "route", "follow_up"]
    );

    let feedback = app
        .call_with(
            "/api/signal_feedback",
            &format!(
                "id={}&feedback=Thank%20you.%20We%20acted%20on%20this.",
                s.id
            ),
            Some(&amsterdam),
        )
        .await;
    assert_eq!(feedback.status, 200, "{}", feedback.body);
    assert_eq!(kinds_for(&app, "reporter", s.id).await, ["signal_feedback"]);

    // The reporter reads the status and the feedback, never the case or who took the steps.
    let theirs = view(&app, &reporter, s.id).await;
    assert_eq!(theirs.status, 200, "{}", theirs.body);
    let body: serde_json::Value = serde_json::from_str(&theirs.body).expect("json");
    assert_eq!(body["state"], "followed_up");
    assert_eq!(body["feedback"], "Thank you. We acted on this.");
    assert_eq!(body["outcome_case"], serde_json::Value::Null);
    assert!(!theirs.body.contains("KMA-2026-007"), "{}", theirs.body);
    assert!(!theirs.body.contains("Carmen Visser"), "{}", theirs.body);
    assert!(!theirs.body.contains("credible"), "{}", theirs.body);

    // The page renders for both, without JavaScript.
    let page = app.get_with(&format!("/signals/{}", s.id), &reporter).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("We acted on this"), "{}", page.body);
    let list = app.get_with("/signals", &amsterdam).await;
    assert!(list.body.contains(&s.reference), "{}", list.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_owner_acts_and_each_role_sees_only_what_it_may() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let s = report(&app, &reporter, SOFT).await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let auditor = app.sign_in("auditor", DEMO_PASSWORD).await;
    for (who, cookie) in [
        ("north", &north),
        ("admin", &admin),
        ("ministry", &ministry),
        ("auditor", &auditor),
    ] {
        let seen = view(&app, cookie, s.id).await;
        assert_eq!(seen.status, 403, "{who}: {}", seen.body);
        assert!(!seen.body.contains("wages"), "{who}");
    }
    for (who, cookie) in [
        ("north", &north),
        ("reporter", &reporter),
        ("manager", &manager),
        ("admin", &admin),
    ] {
        let refused = step(&app, cookie, s.id, 1, "step=assess").await;
        assert_eq!(refused.status, 403, "{who}: {}", refused.body);
        let feedback = app
            .call_with(
                "/api/signal_feedback",
                &format!("id={}&feedback=x", s.id),
                Some(cookie),
            )
            .await;
        assert_eq!(feedback.status, 403, "{who}: {}", feedback.body);
    }
    // The manager overseeing Amsterdam reads its metadata, state and deadlines, never what was
    // observed, where, nor who reported it.
    let overseen = view(&app, &manager, s.id).await;
    assert_eq!(overseen.status, 200, "{}", overseen.body);
    for personal in ["wages", "Ter Apel", "Rosa Bakker"] {
        assert!(
            !overseen.body.contains(personal),
            "{personal}: {}",
            overseen.body
        );
    }
    let body: serde_json::Value = serde_json::from_str(&overseen.body).expect("json");
    assert_eq!(body["state"], "new");
    assert_eq!(body["reference"], s.reference.as_str());
    assert!(body["due"].is_array(), "the deadline: {}", overseen.body);
    assert_eq!(reload(&app, s.id).await.version, 1, "nothing changed");
    // Only reporters report.
    let before = count(&app).await;
    for cookie in [&north, &manager, &admin, &ministry, &auditor] {
        let refused = app
            .call_with("/api/report_signal", SOFT, Some(cookie))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    assert_eq!(count(&app).await, before);
    // Lists: ministry and auditors have none.
    for cookie in [&ministry, &auditor] {
        let refused = app.call_with("/api/signals", "", Some(cookie)).await;
        assert_eq!(refused.status, 403);
    }
    let north_list = app.call_with("/api/signals", "", Some(&north)).await;
    assert!(
        !north_list.body.contains(&s.reference),
        "{}",
        north_list.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_reports_and_bad_steps_are_named_and_change_nothing() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let before = count(&app).await;
    let cases = [
        (
            "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4&signal[day]=2026-11-27",
            "observed",
        ),
        (&SOFT.replace("soft", "lukewarm"), "nature"),
        (&SOFT.replace("category]=4", "category]=999"), "category"),
        (&SOFT.replace("2026-11-27", "2099-01-01"), "day"),
        (&SOFT.replace("2026-11-27", "27/11"), "day"),
        (
            &format!("{SOFT}&signal[municipality]=GM9999"),
            "municipality",
        ),
        (
            &format!("{SOFT}&signal[identifier_kind]=phone&signal[identifier_value]=12"),
            "identifier_value",
        ),
        (
            &format!(
                "{SOFT}&signal[identifier_kind]=vessel&signal[identifier_value]=IMO%209074729"
            ),
            "identifier_kind",
        ),
        (
            &format!("{SOFT}&signal[person_birth_date]=31-31-1990&signal[person_family]=Rahimi"),
            "person_birth_date",
        ),
        (&SOFT.replace("A%20resident", &"x".repeat(4001)), "observed"),
        // A field sent twice is a malformed form: still 400, never 500.
        (&format!("{SOFT}&signal[observed]=again"), "form"),
    ];
    for (form, field) in cases {
        let response = app
            .call_with("/api/report_signal", form, Some(&reporter))
            .await;
        assert_eq!(response.status, 400, "{field}: {}", response.body);
        let error: serde_json::Value = serde_json::from_str(&response.body).expect("json");
        assert_eq!(error["Invalid"]["field"], field, "{}", response.body);
    }
    assert_eq!(count(&app).await, before, "nothing saved");

    let s = report(&app, &reporter, SOFT).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let early = step(
        &app,
        &amsterdam,
        s.id,
        1,
        "step=follow_up&outcome=forwarded&service=x",
    )
    .await;
    assert_eq!(early.status, 400, "not before routing: {}", early.body);
    let unknown = step(&app, &amsterdam, s.id, 1, "step=close").await;
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    let short = step(&app, &amsterdam, s.id, 1, "step=no_action&reason=no").await;
    assert!(short.body.contains("\"reason\""), "{}", short.body);
    assert_eq!(
        step(&app, &amsterdam, s.id, 1, "step=assess").await.status,
        200
    );
    let stale = step(
        &app,
        &amsterdam,
        s.id,
        1,
        "step=no_action&reason=nothing%20to%20act%20on",
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    let elsewhere = step(
        &app,
        &amsterdam,
        s.id,
        2,
        "step=route&joint_venture_id=999999",
    )
    .await;
    assert!(
        elsewhere.body.contains("joint_venture_id"),
        "{}",
        elsewhere.body
    );
    let own = s.joint_venture_id.expect("owner");
    assert_eq!(
        step(
            &app,
            &amsterdam,
            s.id,
            2,
            &format!("step=route&joint_venture_id={own}")
        )
        .await
        .status,
        200
    );
    let north_case = app.case_id("TMN-2026-014").await;
    let foreign = step(
        &app,
        &amsterdam,
        s.id,
        3,
        &format!("step=follow_up&outcome=added_to_case&case_id={north_case}"),
    )
    .await;
    assert!(
        foreign.body.contains("case_id"),
        "another joint venture's case: {}",
        foreign.body
    );
    let no_service = step(
        &app,
        &amsterdam,
        s.id,
        3,
        "step=follow_up&outcome=forwarded&service=",
    )
    .await;
    assert!(no_service.body.contains("service"), "{}", no_service.body);
    let empty = app
        .call_with(
            "/api/signal_feedback",
            &format!("id={}&feedback=%20", s.id),
            Some(&amsterdam),
        )
        .await;
    assert_eq!(empty.status, 400, "{}", empty.body);
    let after = reload(&app, s.id).await;
    assert_eq!((after.state.as_str(), after.version), ("routed", 3));
    assert_eq!(after.feedback, None);

    // Without JavaScript a bad report is a readable page, still 400.
    let page = app
        .post_form_with(
            "/api/report_signal",
            &SOFT.replace("2026-11-27", "2099-01-01"),
            &reporter,
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("<html"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_reporter_is_hidden_from_everyone_but_the_auditor() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let s = report(
        &app,
        &reporter,
        &format!("{SOFT}&signal[anonymous]=on&signal[on_behalf_of]="),
    )
    .await;
    assert!(s.anonymous);
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    for cookie in [&amsterdam, &manager] {
        for response in [
            view(&app, cookie, s.id).await,
            app.call_with("/api/signals", "", Some(cookie)).await,
            app.get_with(&format!("/signals/{}", s.id), cookie).await,
            app.call_with("/api/notifications", "", Some(cookie)).await,
        ] {
            assert!(response.status.is_success(), "{}", response.body);
            // The demo reporter's name, or their user name as a value.
            for name in ["Rosa Bakker", ":\"reporter\"", "reported_by"] {
                assert!(!response.body.contains(name), "{name} in {}", response.body);
            }
        }
    }
    let seen: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, s.id).await.body).expect("json");
    assert_eq!(seen["anonymous"], true);
    assert_eq!(seen["reporter"], "Centraal Orgaan opvang asielzoekers");
    // The reporter still follows their own signal.
    assert_eq!(view(&app, &reporter, s.id).await.status, 200);
    // The audit trail says who: auditors only.
    let filed = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("report_signal"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("audited");
    assert_eq!(filed.actor_name, "reporter");
    assert!(filed.detail.contains("anonymous"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overdue_signal_is_flagged_and_escalated_once() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let s = report(&app, &reporter, SOFT).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let fresh: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, s.id).await.body).expect("json");
    assert_eq!(fresh["overdue"], false);
    assert_eq!(fresh["due"][0], "assess");

    // Reported on Monday 16 November 2026: two working days to assess, so due Wednesday 18th.
    let mut backdated: signal::ActiveModel = reload(&app, s.id).await.into();
    backdated.created_at = Set("2026-11-16T09:00:00.000000Z".into());
    backdated.update(&app.db).await.expect("backdated");
    let late: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, s.id).await.body).expect("json");
    assert_eq!(late["overdue"], true);
    assert_eq!(late["due"][1], "2026-11-18");

    let settings = Settings::default();
    let at = chrono::Utc::now();
    let report = liaison_app::jobs::run_job(&app.db, &settings, "a", at)
        .await
        .expect("job");
    assert!(report.signals_overdue >= 1);
    liaison_app::jobs::run_job(&app.db, &settings, "a", at)
        .await
        .expect("job again");
    assert_eq!(
        kinds_for(&app, "coordinator-amsterdam", s.id).await,
        ["new_signal", "signal_overdue"]
    );
    assert_eq!(kinds_for(&app, "manager", s.id).await, ["signal_escalated"]);
    assert!(kinds_for(&app, "coordinator-north", s.id).await.is_empty());

    // Assessing starts the next step's clock; an ended signal is never overdue.
    assert_eq!(
        step(&app, &amsterdam, s.id, 1, "step=assess").await.status,
        200
    );
    let assessed: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, s.id).await.body).expect("json");
    assert_eq!(
        (assessed["overdue"].clone(), assessed["due"][0].clone()),
        (false.into(), "decide".into())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_report_of_the_same_subject_is_attached_to_the_first() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let phone = "&signal[identifier_kind]=phone&signal[identifier_value]=0641234562";
    let first = report(&app, &reporter, &format!("{SOFT}{phone}")).await;
    let second = report(
        &app,
        &reporter,
        &format!("{}{phone}", SOFT.replace("trafficking", "smuggling")),
    )
    .await;
    assert_eq!(second.duplicate_of, Some(first.id));
    assert_eq!(
        second.joint_venture_id, first.joint_venture_id,
        "same owner"
    );
    assert!(
        kinds_for(&app, "reporter", second.id).await.is_empty(),
        "attached silently: the reporter is not told"
    );
    let told = kinds_for(&app, "coordinator-amsterdam", first.id).await;
    assert_eq!(
        told.iter().filter(|k| *k == "new_signal").count(),
        2,
        "the owner is told of the first and of the report attached to it: {told:?}"
    );
    let other = report(
        &app,
        &reporter,
        &format!("{SOFT}&signal[identifier_kind]=phone&signal[identifier_value]=0641234563"),
    )
    .await;
    assert_eq!(other.duplicate_of, None, "another phone");

    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let refused = step(&app, &amsterdam, second.id, 1, "step=assess").await;
    assert_eq!(
        refused.status, 403,
        "an attached report has no steps of its own"
    );
    let earlier: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, first.id).await.body).expect("json");
    assert_eq!(earlier["attached"][0]["name"], second.reference.as_str());
    let later: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, second.id).await.body).expect("json");
    assert_eq!(later["duplicate_of"]["name"], first.reference.as_str());
    assert_eq!(later["due"], serde_json::Value::Null, "not counted twice");
    // Its reporter reads it as received, with no word of the earlier signal.
    let theirs: serde_json::Value =
        serde_json::from_str(&view(&app, &reporter, second.id).await.body).expect("json");
    assert_eq!(theirs["state"], "new");
    assert_eq!(theirs["duplicate_of"], serde_json::Value::Null);
    let list = app.call_with("/api/signals", "", Some(&amsterdam)).await;
    let lists: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    let overdue_or_due: Vec<&serde_json::Value> = lists["owned"]
        .as_array()
        .expect("rows")
        .iter()
        .filter(|r| r["due"].is_string())
        .collect();
    assert_eq!(
        overdue_or_due.len(),
        2,
        "the first and the other, not the attached one"
    );
}

/// Signs in a reporter of `organisation` (short name), made with the demo password.
async fn reporter_of(app: &TestApp, organisation: &str, username: &str) -> String {
    use liaison_app::server::entity::{user_account, user_role};
    let demo = user_account::Entity::find_by_id(app.user_id("reporter").await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the demo reporter");
    let user = user_account::ActiveModel {
        username: Set(username.into()),
        display_name: Set("Sanne de Boer".into()),
        email: Set(format!("{username}@liaison.test")),
        organisation_id: Set(app.organisation_id(organisation).await),
        password_hash: Set(demo.password_hash),
        active: Set(true),
        second_factor_required: Set(demo.second_factor_required),
        totp_secret: Set(None),
        totp_last_step: Set(None),
        created_at: Set(demo.created_at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("user saved");
    user_role::ActiveModel {
        user_id: Set(user.id),
        role: Set("reporter".into()),
    }
    .insert(&app.db)
    .await
    .expect("role saved");
    app.sign_in(username, DEMO_PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_attached_to_another_organisations_signal_tells_its_reporter_nothing_of_it() {
    let app = spawn_app().await;
    let reception = app.sign_in("reporter", DEMO_PASSWORD).await;
    let phone = "&signal[identifier_kind]=phone&signal[identifier_value]=0641234565";
    let first = report(&app, &reception, &format!("{SOFT}{phone}")).await;
    let owner = first.joint_venture_id.expect("routed by the demo's rule");

    // A police officer reports the same phone number.
    let police = reporter_of(&app, "POL", "reporter-police").await;
    let answer = app
        .post_form_with("/api/report_signal", &format!("{SOFT}{phone}"), &police)
        .await;
    assert!(answer.status.is_redirection(), "{}", answer.body);
    let second = latest(&app).await.expect("a signal");
    assert_eq!(second.duplicate_of, Some(first.id), "attached all the same");
    assert_eq!(second.joint_venture_id, Some(owner));
    assert_eq!(second.organisation_id, app.organisation_id("POL").await);
    let location = answer.header("location").unwrap_or_default().to_owned();
    assert!(
        location.starts_with(&format!("/signals/{}?saved=reported", second.id)),
        "{location}"
    );

    // The answer, their signal and their list (API and pages), and their notifications name
    // neither the earlier signal nor any joint venture.
    let mut seen = vec![answer.body.clone(), location.clone()];
    for response in [
        view(&app, &police, second.id).await,
        app.call_with("/api/signals", "", Some(&police)).await,
        app.get_with(&location, &police).await,
        app.get_with("/signals", &police).await,
        app.call_with("/api/notifications", "", Some(&police)).await,
    ] {
        assert!(response.status.is_success(), "{}", response.body);
        seen.push(response.body);
    }
    let ventures: Vec<String> = liaison_app::server::entity::joint_venture::Entity::find()
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .map(|v| v.name)
        .collect();
    assert!(!ventures.is_empty());
    for read in [&seen[2], &seen[3], &seen[4], &seen[5]] {
        assert!(read.contains(&second.reference), "their own signal: {read}");
    }
    for body in &seen {
        assert!(
            !body.contains(&first.reference),
            "{}: {body}",
            first.reference
        );
        for name in &ventures {
            assert!(!body.contains(name.as_str()), "{name}: {body}");
        }
    }
    let theirs: serde_json::Value = serde_json::from_str(&seen[2]).expect("json");
    assert_eq!(theirs["viewer"], "Reporter");
    assert_eq!(theirs["state"], "new");
    for hidden in ["owner", "duplicate_of", "due"] {
        assert_eq!(theirs[hidden], serde_json::Value::Null, "{hidden}");
    }
    let steps: Vec<&str> = theirs["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["step"].as_str())
        .collect();
    assert_eq!(steps, ["reported"], "received, nothing more");
    assert!(
        kinds_for(&app, "reporter-police", second.id)
            .await
            .is_empty()
    );
    // Nor does the first reporter learn of the second report.
    let own: serde_json::Value =
        serde_json::from_str(&view(&app, &reception, first.id).await.body).expect("json");
    assert_eq!(own["owner"], serde_json::Value::Null);
    assert!(!own.to_string().contains(&second.reference));
    assert!(!own.to_string().contains("report_attached"));

    // The owner's coordinators are told of the attached report and read it with the first.
    let told = kinds_for(&app, "coordinator-amsterdam", first.id).await;
    assert_eq!(
        told.iter().filter(|k| *k == "new_signal").count(),
        2,
        "{told:?}"
    );
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let earlier: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, first.id).await.body).expect("json");
    assert_eq!(earlier["attached"][0]["name"], second.reference.as_str());
    let later: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, second.id).await.body).expect("json");
    assert_eq!(later["duplicate_of"]["name"], first.reference.as_str());
    let list = app.call_with("/api/signals", "", Some(&amsterdam)).await;
    assert!(list.body.contains(&second.reference), "{}", list.body);
    assert!(list.body.contains(&first.reference), "{}", list.body);

    // The follow-up of the earlier signal is what the second reporter sees of their own: an
    // attached report takes no steps, and "new" for good would give the attaching away.
    let version = earlier["version"].as_i64().expect("version") as i32;
    let assessed = step(&app, &amsterdam, first.id, version, "step=assess").await;
    assert_eq!(assessed.status, 200, "{}", assessed.body);
    let theirs: serde_json::Value =
        serde_json::from_str(&view(&app, &police, second.id).await.body).expect("json");
    assert_eq!(theirs["state"], "assessed");
    assert!(!theirs.to_string().contains(&first.reference));
    let list = app.call_with("/api/signals", "", Some(&police)).await;
    let mine: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    let row = mine["mine"]
        .as_array()
        .expect("their reports")
        .iter()
        .find(|r| r["id"] == second.id)
        .expect("their report");
    assert_eq!(row["state"], "assessed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_matching_rule_an_administrator_chooses_the_owner() {
    let app = spawn_app().await;
    routing_rule::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("cleared");
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let s = report(&app, &reporter, SOFT).await;
    assert_eq!(s.joint_venture_id, None);
    let lists: serde_json::Value =
        serde_json::from_str(&app.call_with("/api/signals", "", Some(&admin)).await.body)
            .expect("json");
    assert_eq!(lists["unowned"][0]["reference"], s.reference.as_str());
    let seen = view(&app, &admin, s.id).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert!(!seen.body.contains("wages"), "routing needs no observation");
    assert!(!seen.body.contains("Rosa Bakker"));
    let bad = app
        .call_with(
            "/api/signal_owner",
            &format!("id={}&joint_venture_id=abc", s.id),
            Some(&admin),
        )
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    let amsterdam_id = app.case_id("KMA-2026-007").await;
    let amsterdam_jv = liaison_app::server::entity::case::Entity::find_by_id(amsterdam_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("case")
        .joint_venture_id;
    let assigned = app
        .call_with(
            "/api/signal_owner",
            &format!("id={}&joint_venture_id={amsterdam_jv}", s.id),
            Some(&admin),
        )
        .await;
    assert_eq!(assigned.status, 200, "{}", assigned.body);
    assert_eq!(
        reload(&app, s.id).await.joint_venture_id,
        Some(amsterdam_jv)
    );
    assert_eq!(
        kinds_for(&app, "coordinator-amsterdam", s.id).await,
        ["new_signal"]
    );
    assert_eq!(view(&app, &admin, s.id).await.status, 403, "owned now");

    // Rules: a bad one is named; a good one routes the next report.
    let bad_rule = app
        .call_with(
            "/api/add_routing_rule",
            "theme=trafficking&joint_venture_id=999999",
            Some(&admin),
        )
        .await;
    assert!(
        bad_rule.body.contains("joint_venture_id"),
        "{}",
        bad_rule.body
    );
    let rule = app
        .call_with(
            "/api/add_routing_rule",
            &format!("theme=trafficking&province=&category=4&joint_venture_id={amsterdam_jv}"),
            Some(&admin),
        )
        .await;
    assert_eq!(rule.status, 200, "{}", rule.body);
    let routed = report(&app, &reporter, SOFT).await;
    assert_eq!(routed.joint_venture_id, Some(amsterdam_jv));
    let page = app.get_with("/admin/signal-routing", &admin).await;
    assert_eq!(page.status, 200);
    let category = app
        .call_with(
            "/api/save_signal_category",
            "code=Bad%20Code&name_nl=x&name_en=x",
            Some(&admin),
        )
        .await;
    assert!(category.body.contains("\"code\""), "{}", category.body);
    let added = app
        .call_with(
            "/api/save_signal_category",
            "code=labour_conditions&name_nl=Arbeidsomstandigheden&name_en=Labour%20conditions&active=on",
            Some(&admin),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    let form = app.call_with("/api/signal_form", "", Some(&reporter)).await;
    assert!(form.body.contains("Labour conditions"), "{}", form.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_posted_after_the_session_ended_is_kept_as_a_draft() {
    let app = spawn_app().await;
    let before = count(&app).await;
    let expired = app.post_form("/api/report_signal", SOFT).await;
    assert!(expired.status.is_redirection(), "{}", expired.body);
    assert!(
        expired
            .header("location")
            .unwrap_or_default()
            .starts_with("/sign-in?return_to="),
        "{:?}",
        expired.headers
    );
    assert_eq!(count(&app).await, before, "not filed without a reporter");
    let set_cookie = expired
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("liaison_signal_draft="))
        .expect("a draft cookie")
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"));
    let draft = set_cookie.split(';').next().expect("name=value").to_owned();
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let both = format!("{reporter}; {draft}");
    let form = app.call_with("/api/signal_form", "", Some(&both)).await;
    let form: serde_json::Value = serde_json::from_str(&form.body).expect("json");
    assert_eq!(form["draft"]["place"], "Reception centre Ter Apel");
    let without = app.call_with("/api/signal_form", "", Some(&reporter)).await;
    assert!(
        without.body.contains("\"draft\":null"),
        "another browser has none"
    );
    let page = app.get_with("/signals/new?draft=kept", &both).await;
    assert!(page.body.contains("hands her wages"), "{}", page.body);

    report(&app, &both, SOFT).await;
    assert_eq!(
        signal_draft::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0,
        "the draft goes once filed"
    );
}

/// A signal as the analysis test crafts it: reported at `at` plus steps `days` later.
#[allow(clippy::too_many_arguments)]
async fn crafted(
    app: &TestApp,
    n: i32,
    organisation: &str,
    nature: &str,
    category: i32,
    at: &str,
    state: &str,
    steps: [Option<f64>; 3],
    outcome: Option<&str>,
    duplicate_of: Option<i32>,
) -> i32 {
    let start = chrono::DateTime::parse_from_rfc3339(at).expect("time");
    let later = |d: Option<f64>| {
        d.map(|d| {
            (start + chrono::Duration::seconds((d * 86_400.0) as i64))
                .with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%S%.6fZ")
                .to_string()
        })
    };
    let reporter = app.user_id("reporter").await;
    signal::ActiveModel {
        reference: Set(format!("T-{n}")),
        organisation_id: Set(app.organisation_id(organisation).await),
        reported_by: Set(reporter),
        anonymous: Set(false),
        on_behalf_of: Set(None),
        nature: Set(nature.into()),
        theme: Set("trafficking".into()),
        category_id: Set(category),
        observed: Set("crafted".into()),
        observed_on: Set("2026-10-01".into()),
        place: Set(String::new()),
        municipality: Set(None),
        urgency: Set("normal".into()),
        state: Set(state.into()),
        joint_venture_id: Set(None),
        routed_by_rule: Set(false),
        created_at: Set(later(Some(0.0)).expect("time")),
        assessed_at: Set(later(steps[0])),
        assessed_by: Set(None),
        routed_at: Set(later(steps[1])),
        routed_by: Set(None),
        closed_at: Set(later(steps[2])),
        closed_by: Set(None),
        no_action_reason: Set(None),
        outcome: Set(outcome.map(str::to_owned)),
        outcome_case_id: Set(None),
        outcome_service: Set(None),
        feedback: Set(None),
        feedback_at: Set(None),
        duplicate_of: Set(duplicate_of),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("inserted")
    .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_joint_analysis_counts_a_crafted_set_exactly() {
    let app = spawn_app().await;
    let t = "T08:00:00Z";
    let s = |d: &str| format!("2026-{d}{t}");
    crafted(
        &app,
        1,
        "COA",
        "hard",
        1,
        &s("10-05"),
        "followed_up",
        [Some(1.0), Some(1.5), Some(3.0)],
        Some("forwarded"),
        None,
    )
    .await;
    crafted(
        &app,
        2,
        "COA",
        "soft",
        1,
        &s("10-20"),
        "no_action",
        [Some(3.0), None, Some(4.0)],
        None,
        None,
    )
    .await;
    crafted(
        &app,
        3,
        "KMar",
        "soft",
        4,
        &s("11-02"),
        "followed_up",
        [Some(2.0), Some(2.5), Some(6.5)],
        Some("linked_case"),
        None,
    )
    .await;
    let open = crafted(
        &app,
        4,
        "COA",
        "soft",
        4,
        &s("11-10"),
        "new",
        [None, None, None],
        None,
        None,
    )
    .await;
    crafted(
        &app,
        5,
        "COA",
        "hard",
        4,
        &s("08-01"),
        "new",
        [None, None, None],
        None,
        None,
    )
    .await;
    crafted(
        &app,
        6,
        "COA",
        "soft",
        4,
        &s("11-11"),
        "new",
        [None, None, None],
        None,
        Some(open),
    )
    .await;

    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let response = app
        .call_with(
            "/api/signal_analysis",
            "from=2026-10&to=2026-11",
            Some(&manager),
        )
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    let a: serde_json::Value = serde_json::from_str(&response.body).expect("json");
    assert_eq!(
        (&a["total"], &a["followed_up"], &a["no_action"], &a["open"]),
        (&4.into(), &2.into(), &1.into(), &1.into())
    );
    assert_eq!(a["followed_up_share"], 50.0);
    assert_eq!(
        a["by_month"],
        serde_json::json!([
            {"month": "2026-10", "hard": 1, "soft": 1},
            {"month": "2026-11", "hard": 0, "soft": 2}
        ])
    );
    assert_eq!(
        a["by_organisation"],
        serde_json::json!([["border_police", 1], ["reception", 3]])
    );
    assert_eq!(
        a["by_category"][0],
        serde_json::json!({"category": "Signs of exploitation", "signals": 2, "followed_up": 1, "to_case": 1})
    );
    assert_eq!(
        a["by_category"][1],
        serde_json::json!({"category": "Document fraud", "signals": 2, "followed_up": 1, "to_case": 0})
    );
    let medians: Vec<Option<f64>> = a["step_times"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["median_days"].as_f64())
        .collect();
    assert_eq!(medians, [Some(2.0), Some(0.5), Some(1.5)]);

    let csv = app
        .get_with("/api/signal-analysis.csv?from=2026-10&to=2026-11", &manager)
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(
        csv.header("content-type")
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    assert!(
        csv.body.contains("category,Signalen van uitbuiting,2,1,1"),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("month_soft,2026-11,2"), "{}", csv.body);
    assert!(!csv.body.contains("crafted"), "counts only");

    let bad = app
        .call_with(
            "/api/signal_analysis",
            "from=2026-13&to=2026-11",
            Some(&manager),
        )
        .await;
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("\"from\""), "{}", bad.body);
    let backwards = app
        .call_with(
            "/api/signal_analysis",
            "from=2026-11&to=2026-01",
            Some(&manager),
        )
        .await;
    assert!(backwards.body.contains("\"to\""), "{}", backwards.body);
    for user in ["reporter", "ministry", "auditor", "admin"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let refused = app
            .call_with(
                "/api/signal_analysis",
                "from=2026-10&to=2026-11",
                Some(&cookie),
            )
            .await;
        assert_eq!(refused.status, 403, "{user}");
        let csv = app
            .get_with("/api/signal-analysis.csv?from=2026-10&to=2026-11", &cookie)
            .await;
        assert_eq!(csv.status, 403, "{user}");
    }
    let page = app
        .get_with("/signals/analysis?from=2026-10&to=2026-11", &manager)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "charts drawn on the server");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_naming_a_case_subject_is_shared_on_the_pointer_basis() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    // The German number of the northern taskforce's case TMN-2026-021, typed another way.
    let s = report(
        &app,
        &reporter,
        &format!(
            "{SOFT}&signal[identifier_kind]=phone&signal[identifier_value]=%2B49%20151%2023456789"
        ),
    )
    .await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    assert_eq!(
        kinds_for(&app, "coordinator-north", s.id).await,
        ["signal_match"]
    );

    // The case's coordinators: their own case and subject, where to ask; not the signal.
    let lists = app.call_with("/api/signals", "", Some(&north)).await;
    let parsed: serde_json::Value = serde_json::from_str(&lists.body).expect("json");
    let found = &parsed["matches"][0];
    assert_eq!(found["case"]["name"], "TMN-2026-021", "{}", lists.body);
    assert_eq!(found["match_kind"], "phone");
    assert_eq!(found["signal_reference"], s.reference.as_str());
    assert_eq!(found["owner"]["name"], "Ketenaanpak Mensenhandel Amsterdam");
    assert!(!lists.body.contains("wages"), "{}", lists.body);
    assert_eq!(view(&app, &north, s.id).await.status, 403);
    let notes = app.call_with("/api/notifications", "", Some(&north)).await;
    assert!(notes.body.contains("/signals#matches"), "{}", notes.body);

    // The signal's owner: which joint venture knows it; not that case.
    let owner: serde_json::Value =
        serde_json::from_str(&view(&app, &amsterdam, s.id).await.body).expect("json");
    assert_eq!(
        owner["matches"][0]["joint_venture"]["name"],
        "Taskforce Mensensmokkel Noord"
    );
    let text = owner.to_string();
    assert!(
        !text.contains("TMN-2026-021") && !text.contains("Bestelbussen"),
        "{text}"
    );
    // A coordinator whose cases do not hold it sees no match; the reporter neither.
    let amsterdam_lists: serde_json::Value = serde_json::from_str(
        &app.call_with("/api/signals", "", Some(&amsterdam))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(amsterdam_lists["matches"], serde_json::json!([]));
    let theirs: serde_json::Value =
        serde_json::from_str(&view(&app, &reporter, s.id).await.body).expect("json");
    assert_eq!(theirs["matches"], serde_json::json!([]));
    let page = app.get_with("/signals", &north).await;
    assert!(page.body.contains("TMN-2026-021"), "{}", page.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn managers_never_read_whom_a_signal_is_about_and_an_anonymous_colleague_stays_hidden() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let s = report(
        &app,
        &reporter,
        &format!(
            "{SOFT}&signal[anonymous]=on&signal[on_behalf_of]=Jan%20de%20Wit\
&signal[person_given]=Samir&signal[person_family]=Haddad&signal[person_birth_date]=1990-04-12\
&signal[identifier_kind]=phone&signal[identifier_value]=06%2041239876"
        ),
    )
    .await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;

    // The owner's coordinators read who and what it is about, but not who reported it, nor
    // the colleague it was reported for.
    let owner = view(&app, &amsterdam, s.id).await;
    assert_eq!(owner.status, 200, "{}", owner.body);
    assert!(owner.body.contains("Haddad") && owner.body.contains("41239876"));
    assert!(owner.body.contains("wages"));
    for hidden in ["Rosa Bakker", "Jan de Wit"] {
        assert!(!owner.body.contains(hidden), "{hidden}: {}", owner.body);
    }
    // The manager: none of it, on the API and on the page.
    for response in [
        view(&app, &manager, s.id).await,
        app.get_with(&format!("/signals/{}", s.id), &manager).await,
        app.call_with("/api/signals", "", Some(&manager)).await,
    ] {
        assert!(response.status.is_success(), "{}", response.body);
        for personal in [
            "Haddad",
            "Samir",
            "1990",
            "41239876",
            "wages",
            "Rosa Bakker",
            "Jan de Wit",
        ] {
            assert!(
                !response.body.contains(personal),
                "{personal}: {}",
                response.body
            );
        }
    }
    // The reporter reads their own report, for whom it was made included.
    let own = view(&app, &reporter, s.id).await;
    assert!(own.body.contains("Jan de Wit"), "{}", own.body);
}
