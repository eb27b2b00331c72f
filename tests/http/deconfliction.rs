//! The deconfliction workflow: every step allowed and refused per role, optimistic
//! concurrency, a manager's ruling and follow-up, the deadline job (flags, escalation, run twice
//! at once), notifications and their e-mail, on SQLite and PostgreSQL.

use liaison_app::{
    server::entity::false_match, server::entity::notification, server::entity::overlap,
    server::entity::overlap_event, server::entity::overlap_flag, server::entity::user_account,
    server::mail::Mail, server::mail::Mailer, settings::Settings,
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{CONSENT_GROUNDS, SmtpSink, TestApp, spawn_app, spawn_app_with};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use std::sync::Arc;

async fn overlap_of(app: &TestApp, kind: &str) -> overlap::Model {
    overlap::Entity::find()
        .filter(overlap::Column::MatchKind.eq(kind))
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("a demo {kind} overlap"))
}

async fn reload(app: &TestApp, id: i32) -> overlap::Model {
    overlap::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the overlap")
}

/// The coordinator cookie of each side of the demo phone overlap (Noord and Amsterdam).
async fn phone_sides(app: &TestApp) -> (overlap::Model, String, String) {
    let o = overlap_of(app, "phone").await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let north_case = app.case_id("TMN-2026-014").await;
    let (first, second) = if o.first_case_id == north_case {
        (north, amsterdam)
    } else {
        (amsterdam, north)
    };
    (o, first, second)
}

async fn step(
    app: &TestApp,
    cookie: &str,
    id: i32,
    version: i32,
    form: &str,
) -> liaison_tests::TestResponse {
    app.call_with(
        "/api/overlap_step",
        &format!("id={id}&version={version}&{form}"),
        Some(cookie),
    )
    .await
}

async fn notifications_of(app: &TestApp, username: &str) -> Vec<notification::Model> {
    let id = app.user_id(username).await;
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(id))
        .order_by_asc(notification::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_coordinators_take_an_overlap_from_open_to_a_joint_action_and_close_it() {
    let app = spawn_app().await;
    let (o, first, second) = phone_sides(&app).await;
    assert_eq!((o.state.as_str(), o.version), ("open", 1));
    let premature = step(&app, &first, o.id, 1, "step=propose&decision=joint_action").await;
    assert_eq!(premature.status, 400, "{}", premature.body);
    assert!(premature.body.contains("both sides have acknowledged"));

    let acknowledged = step(&app, &first, o.id, 1, "step=acknowledge").await;
    assert!(acknowledged.status.is_success(), "{}", acknowledged.body);
    let again = step(&app, &first, o.id, 2, "step=acknowledge").await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("already acknowledged"));
    // The other side is told, without a name or a value in the notification.
    let told = notifications_of(&app, "coordinator-amsterdam").await;
    assert!(
        told.iter()
            .any(|n| n.kind == "acknowledged" && n.overlap_id == Some(o.id))
    );

    step(&app, &second, o.id, 2, "step=acknowledge").await;
    let both = reload(&app, o.id).await;
    assert_eq!(both.state, "acknowledged");
    assert!(both.decide_from.is_some(), "the decision period started");

    let unknown = step(&app, &first, o.id, 3, "step=propose&decision=shrug").await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("decision"));
    let proposed = step(&app, &first, o.id, 3, "step=propose&decision=joint_action").await;
    assert!(proposed.status.is_success(), "{}", proposed.body);
    let own = step(&app, &first, o.id, 4, "step=agree").await;
    assert_eq!(own.status, 400, "a side does not agree with itself");
    let agreed = step(&app, &second, o.id, 4, "step=agree").await;
    assert!(agreed.status.is_success(), "{}", agreed.body);
    let decided = reload(&app, o.id).await;
    assert_eq!(decided.state, "decided");
    assert_eq!(decided.decision.as_deref(), Some("joint_action"));
    assert!(!decided.ruled);
    assert_eq!(app.last_event().await.action, "overlap_step");

    let timeline: Vec<String> = overlap_event::Entity::find()
        .filter(overlap_event::Column::OverlapId.eq(o.id))
        .order_by_asc(overlap_event::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .map(|e| e.step)
        .collect();
    assert_eq!(
        timeline,
        ["found", "acknowledge", "acknowledge", "propose", "agree"]
    );

    let closed = step(&app, &second, o.id, 5, "step=close").await;
    assert!(closed.status.is_success(), "{}", closed.body);
    assert_eq!(reload(&app, o.id).await.state, "closed");
    let twice = step(&app, &first, o.id, 6, "step=close").await;
    assert_eq!(twice.status, 400);

    let no_reason = step(&app, &first, o.id, 6, "step=reopen&reason=").await;
    assert_eq!(no_reason.status, 400);
    assert!(no_reason.body.contains("reason"));
    assert_eq!(
        reload(&app, o.id).await.version,
        6,
        "a refusal changes nothing"
    );
    let reopened = step(
        &app,
        &first,
        o.id,
        6,
        "step=reopen&reason=Nieuwe%20informatie%20van%20de%20KMar",
    )
    .await;
    assert!(reopened.status.is_success(), "{}", reopened.body);
    let open_again = reload(&app, o.id).await;
    assert_eq!(open_again.state, "acknowledged");
    assert_eq!(open_again.decision, None);
    assert!(open_again.closed_at.is_none());

    // Both sides see the workflow on the overlap page.
    let page = app.get_with(&format!("/overlaps/{}", o.id), &first).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nieuwe informatie van de KMar"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_may_take_only_its_own_steps() {
    let app = spawn_app().await;
    let (o, first, _) = phone_sides(&app).await;
    for user in ["reporter", "ministry", "auditor", "admin", "manager"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let refused = step(&app, &cookie, o.id, 1, "step=acknowledge").await;
        assert_eq!(refused.status, 403, "{user} acknowledges");
        let note = app
            .call_with(
                "/api/overlap_note",
                &format!("id={}&title=Hallo", o.id),
                Some(&cookie),
            )
            .await;
        assert_eq!(note.status, 403, "{user} writes a note");
    }
    // A coordinator of neither side is refused as if the overlap did not exist.
    let vehicle = overlap_of(&app, "vehicle").await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let outsider = step(&app, &amsterdam, vehicle.id, 1, "step=acknowledge").await;
    assert_eq!(outsider.status, 403);
    let view = app
        .call_with(
            "/api/overlap",
            &format!("id={}", vehicle.id),
            Some(&amsterdam),
        )
        .await;
    assert_eq!(view.status, 403);
    // A side's coordinator never rules or assigns a follow-up.
    let rule = step(
        &app,
        &first,
        o.id,
        1,
        "step=rule&decision=joint_action&reason=Ik%20beslis%20zelf",
    )
    .await;
    assert_eq!(rule.status, 403);
    let assign = app
        .call_with(
            "/api/overlap_follow_up",
            &format!("id={}&version=1&assignee=1&follow_up=Bel%20de%20KMar", o.id),
            Some(&first),
        )
        .await;
    assert_eq!(assign.status, 403);
    let list = app
        .call_with("/api/overseen_overlaps", "", Some(&first))
        .await;
    assert_eq!(list.status, 403, "the managers' list is for managers");
    assert_eq!(reload(&app, o.id).await.version, 1, "nothing changed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_on_a_stale_version_changes_nothing_and_says_why() {
    let app = spawn_app().await;
    let (o, first, second) = phone_sides(&app).await;
    step(&app, &first, o.id, 1, "step=acknowledge").await;
    step(&app, &second, o.id, 2, "step=acknowledge").await;
    let proposed = step(&app, &first, o.id, 3, "step=propose&decision=lead_first").await;
    assert!(proposed.status.is_success());
    // The second side still looks at version 3 and proposes something else.
    let stale = step(&app, &second, o.id, 3, "step=propose&decision=no_conflict").await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("Someone else acted on this overlap"));
    let kept = reload(&app, o.id).await;
    assert_eq!(kept.proposed_decision.as_deref(), Some("lead_first"));
    assert_eq!(kept.version, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_acting_at_once_never_lose_each_other_s_work() {
    let app = spawn_app().await;
    let (o, first, second) = phone_sides(&app).await;
    // Both acknowledge at the same moment from the same version: both are kept.
    let (a, b) = tokio::join!(
        step(&app, &first, o.id, 1, "step=acknowledge"),
        step(&app, &second, o.id, 1, "step=acknowledge"),
    );
    assert!(a.status.is_success(), "{}", a.body);
    assert!(b.status.is_success(), "{}", b.body);
    let both = reload(&app, o.id).await;
    assert_eq!(both.state, "acknowledged");
    assert!(both.first_acknowledged_at.is_some() && both.second_acknowledged_at.is_some());
    // Both propose at once on the version they saw: one wins, the other is told, and the
    // winner's proposal stands whole.
    let v = both.version;
    let (a, b) = tokio::join!(
        step(&app, &first, o.id, v, "step=propose&decision=joint_action"),
        step(&app, &second, o.id, v, "step=propose&decision=merge"),
    );
    let statuses = [a.status.as_u16(), b.status.as_u16()];
    assert!(
        statuses.contains(&409) && statuses.iter().any(|s| (200..300).contains(s)),
        "{statuses:?}"
    );
    let after = reload(&app, o.id).await;
    let winner = if a.status.is_success() {
        "joint_action"
    } else {
        "merge"
    };
    assert_eq!(after.proposed_decision.as_deref(), Some(winner));
    assert_eq!(after.version, v + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sees_the_stalled_overlap_flagged_rules_on_it_and_assigns_a_follow_up() {
    let app = spawn_app().await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let vehicle = overlap_of(&app, "vehicle").await;
    let list = app
        .call_with(
            "/api/overseen_overlaps",
            "filter[flag]=uncoordinated",
            Some(&manager),
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let rows: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    let ids: Vec<i64> = rows
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [i64::from(vehicle.id)], "only the stalled plate");
    // References and titles, never the plate itself.
    assert!(list.body.contains("GSZ-2026-009"));
    assert!(!list.body.contains("VX") && !list.body.contains("512"));
    let page = app
        .get_with(&format!("/oversight/overlaps/{}", vehicle.id), &manager)
        .await;
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("VX-512-K") && !page.body.contains("NL:VX512K"));

    let unexplained = step(
        &app,
        &manager,
        vehicle.id,
        1,
        "step=rule&decision=lead_first",
    )
    .await;
    assert_eq!(unexplained.status, 400);
    assert!(unexplained.body.contains("reason"));
    let ruled = step(
        &app,
        &manager,
        vehicle.id,
        1,
        "step=rule&decision=lead_first&reason=Zuid%20heeft%20het%20voertuig%20al%20in%20beeld",
    )
    .await;
    assert!(ruled.status.is_success(), "{}", ruled.body);
    let decided = reload(&app, vehicle.id).await;
    assert_eq!(
        (
            decided.state.as_str(),
            decided.decision.as_deref(),
            decided.ruled
        ),
        ("decided", Some("lead_first"), true)
    );
    assert!(
        notifications_of(&app, "coordinator-north")
            .await
            .iter()
            .any(|n| n.kind == "decided" && n.overlap_id == Some(vehicle.id))
    );

    let manager_id = app.user_id("manager").await;
    let wrong = app
        .call_with(
            "/api/overlap_follow_up",
            &format!(
                "id={}&version=2&assignee={manager_id}&follow_up=Neem%20contact%20op",
                vehicle.id
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(
        wrong.status, 400,
        "only a side's coordinator: {}",
        wrong.body
    );
    assert!(wrong.body.contains("assignee"));
    let north_id = app.user_id("coordinator-north").await;
    let assigned = app
        .call_with(
            "/api/overlap_follow_up",
            &format!(
                "id={}&version=2&assignee={north_id}&follow_up=Neem%20contact%20op%20met%20Zuid",
                vehicle.id
            ),
            Some(&manager),
        )
        .await;
    assert!(assigned.status.is_success(), "{}", assigned.body);
    let after = reload(&app, vehicle.id).await;
    assert_eq!(after.follow_up_by, Some(north_id));
    assert!(
        notifications_of(&app, "coordinator-north")
            .await
            .iter()
            .any(|n| n.kind == "follow_up")
    );
    // Managers read the notes' titles only.
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let note = app
        .call_with(
            "/api/overlap_note",
            &format!(
                "id={}&title=Gebeld%20met%20Zuid&body=Geheime%20bijzonderheden",
                vehicle.id
            ),
            Some(&north),
        )
        .await;
    assert!(note.status.is_success(), "{}", note.body);
    let seen = app
        .call_with(
            "/api/overseen_overlap",
            &format!("id={}", vehicle.id),
            Some(&manager),
        )
        .await;
    assert!(seen.body.contains("Gebeld met Zuid"));
    assert!(!seen.body.contains("Geheime bijzonderheden"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_false_match_decision_is_remembered_and_reopening_forgets_it() {
    let app = spawn_app().await;
    let (o, first, second) = phone_sides(&app).await;
    step(&app, &first, o.id, 1, "step=acknowledge").await;
    step(&app, &second, o.id, 2, "step=acknowledge").await;
    let bare = step(&app, &first, o.id, 3, "step=propose&decision=false_match").await;
    assert_eq!(bare.status, 400, "a false match needs a reason");
    step(
        &app,
        &first,
        o.id,
        3,
        "step=propose&decision=false_match&reason=Nummer%20van%20een%20taxicentrale",
    )
    .await;
    assert_eq!(
        false_match::Entity::find().count(&app.db).await.expect("n"),
        0
    );
    step(&app, &second, o.id, 4, "step=agree").await;
    let remembered = false_match::Entity::find_by_id(o.evidence.clone())
        .one(&app.db)
        .await
        .expect("query");
    assert!(remembered.is_some());
    step(
        &app,
        &second,
        o.id,
        5,
        "step=reopen&reason=Toch%20hetzelfde%20toestel",
    )
    .await;
    assert!(
        false_match::Entity::find_by_id(o.evidence)
            .one(&app.db)
            .await
            .expect("query")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deadline_job_flags_and_escalates_once_even_when_two_run_at_once() {
    let app = spawn_app().await;
    let settings = Settings::default();
    let vehicle = overlap_of(&app, "vehicle").await;
    let operation = overlap_of(&app, "operation").await;
    let now = chrono::Utc::now();
    let (a, b) = tokio::join!(
        liaison_app::jobs::run_job(&app.db, &settings, "instance-a", now),
        liaison_app::jobs::run_job(&app.db, &settings, "instance-b", now),
    );
    let (a, b) = (a.expect("job a"), b.expect("job b"));
    assert!(a.ran || b.ran);
    let flags: Vec<(i32, String)> = overlap_flag::Entity::find()
        .all(&app.db)
        .await
        .expect("flags")
        .into_iter()
        .map(|f| (f.overlap_id, f.flag))
        .collect();
    assert!(flags.contains(&(vehicle.id, "uncoordinated".into())));
    assert!(flags.contains(&(operation.id, "operational_conflict".into())));
    let escalations = |list: Vec<notification::Model>| {
        list.into_iter()
            .filter(|n| n.kind == "escalated" && n.overlap_id == Some(vehicle.id))
            .count()
    };
    assert_eq!(escalations(notifications_of(&app, "manager").await), 1);
    let passed = notifications_of(&app, "coordinator-north")
        .await
        .into_iter()
        .filter(|n| n.kind == "deadline_passed")
        .count();
    assert_eq!(passed, 1);

    // Run again, one after the other: nothing new.
    let before = notification::Entity::find()
        .count(&app.db)
        .await
        .expect("n");
    let again = liaison_app::jobs::run_job(&app.db, &settings, "instance-a", now)
        .await
        .expect("job");
    assert!(again.ran && again.flags_raised == 0);
    assert_eq!(
        notification::Entity::find()
            .count(&app.db)
            .await
            .expect("n"),
        before
    );

    // A lease held by another instance that has not run out keeps this one out.
    assert!(
        liaison_app::server::leases::take_lease(&app.db, "deadlines", "instance-c", now, 300)
            .await
            .expect("lease")
    );
    let kept_out = liaison_app::jobs::run_job(&app.db, &settings, "instance-a", now)
        .await
        .expect("job");
    assert!(!kept_out.ran);
}

/// Sets an overlap's discovery to a moment (UTC) and clears its acknowledgements.
async fn found_at(app: &TestApp, id: i32, at: &str) {
    let mut o: overlap::ActiveModel = reload(app, id).await.into();
    o.created_at = Set(at.to_owned());
    o.update(&app.db).await.expect("updated");
}

fn at(text: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .expect("a time")
        .with_timezone(&chrono::Utc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deadlines_count_working_days_across_the_new_year_holiday() {
    let app = spawn_app().await;
    let settings = Settings::default();
    let (o, _, _) = phone_sides(&app).await;
    // Found on Thursday 24 December 2026: five working days are 28, 29, 30, 31 December and
    // Monday 4 January (1 January is a holiday, then the weekend).
    found_at(&app, o.id, "2026-12-24T09:00:00.000000Z").await;
    let (acknowledge_by, _) =
        liaison_app::overlaps::status::due(&reload(&app, o.id).await, &settings.deadlines);
    assert_eq!(acknowledge_by.to_string(), "2027-01-04");

    let kinds = |list: Vec<notification::Model>| -> Vec<String> {
        list.into_iter()
            .filter(|n| n.overlap_id == Some(o.id))
            .map(|n| n.kind)
            .collect()
    };
    liaison_app::jobs::run_job(&app.db, &settings, "a", at("2026-12-30T10:00:00Z"))
        .await
        .expect("job");
    assert!(
        !kinds(notifications_of(&app, "coordinator-north").await)
            .contains(&"deadline_near".to_owned())
    );
    // New Year's Day: the next working day is the last one.
    liaison_app::jobs::run_job(&app.db, &settings, "a", at("2027-01-01T10:00:00Z"))
        .await
        .expect("job");
    assert!(
        kinds(notifications_of(&app, "coordinator-north").await)
            .contains(&"deadline_near".to_owned())
    );
    liaison_app::jobs::run_job(&app.db, &settings, "a", at("2027-01-04T21:00:00Z"))
        .await
        .expect("job");
    assert!(
        !kinds(notifications_of(&app, "manager").await).contains(&"escalated".to_owned()),
        "the last day itself is in time"
    );
    liaison_app::jobs::run_job(&app.db, &settings, "a", at("2027-01-05T08:00:00Z"))
        .await
        .expect("job");
    assert!(kinds(notifications_of(&app, "manager").await).contains(&"escalated".to_owned()));
    assert!(
        kinds(notifications_of(&app, "coordinator-amsterdam").await)
            .contains(&"deadline_passed".to_owned())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_user_reads_and_clears_only_their_own_notifications() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let unread = app
        .call_with("/api/unread_notifications", "", Some(&north))
        .await;
    assert_eq!(unread.status, 200);
    let count: u64 = unread.body.trim().parse().expect("a number");
    assert!(count >= 3, "the demo's overlaps of Noord: {count}");
    let list = app.call_with("/api/notifications", "", Some(&north)).await;
    assert!(list.body.contains("new_overlap"));
    let theirs = notifications_of(&app, "coordinator-amsterdam").await;
    let refused = app
        .call_with(
            "/api/mark_notifications_read",
            &format!("id={}", theirs[0].id),
            Some(&north),
        )
        .await;
    assert_eq!(refused.status, 403);
    assert!(
        notifications_of(&app, "coordinator-amsterdam").await[0]
            .read_at
            .is_none()
    );
    let all = app
        .call_with("/api/mark_notifications_read", "id=", Some(&north))
        .await;
    assert!(all.status.is_success());
    let none = app
        .call_with("/api/unread_notifications", "", Some(&north))
        .await;
    assert_eq!(none.body.trim(), "0");
    let page = app.get_with("/notifications", &north).await;
    assert_eq!(page.status, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn e_mail_says_only_that_something_needs_attention() {
    let sink = SmtpSink::start().await;
    let url = format!("smtp://127.0.0.1:{}", sink.port);
    let mail = Mail(Some(Arc::new(
        Mailer::new(
            &url,
            "Liaison <liaison@example.test>",
            "https://liaison.example.test",
        )
        .expect("mailer"),
    )));
    let settings = Settings {
        mail: mail.clone(),
        ..Settings::default()
    };
    let app = spawn_app_with(|config| config.settings = settings.clone()).await;
    let (o, first, _) = phone_sides(&app).await;
    step(&app, &first, o.id, 1, "step=acknowledge").await;
    let pending = notification::Entity::find()
        .filter(notification::Column::Mail.eq("pending"))
        .count(&app.db)
        .await
        .expect("n");
    assert!(pending >= 1, "the acknowledgement is queued for e-mail");
    let report = liaison_app::jobs::run_job(&app.db, &settings, "a", chrono::Utc::now())
        .await
        .expect("job");
    assert!(report.mail_sent >= 1);
    let amsterdam = user_account::Entity::find_by_id(app.user_id("coordinator-amsterdam").await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("user");
    let messages = sink.messages();
    let to_amsterdam: Vec<&String> = messages
        .iter()
        .filter(|m| m.contains(&amsterdam.email))
        .collect();
    assert!(!to_amsterdam.is_empty(), "{messages:?}");
    for message in &messages {
        assert!(message.contains("https://liaison.example.test/notifications"));
        // Everything but the recipient's own address.
        let message: String = message
            .lines()
            .filter(|l| !l.starts_with("To:") && !l.starts_with("RCPT TO"))
            .collect::<Vec<_>>()
            .join("\n");
        for secret in [
            "TMN-2026-014",
            "KMA-2026-007",
            "0641234567",
            "+31641234567",
            "Jansen",
            "Visser",
            "Noord",
            "Amsterdam",
        ] {
            assert!(!message.contains(secret), "{secret} in {message}");
        }
    }
    assert_eq!(
        notification::Entity::find()
            .filter(notification::Column::Mail.eq("pending"))
            .count(&app.db)
            .await
            .expect("n"),
        0
    );

    // An SMTP server that is not there: the e-mail is marked failed, nothing breaks.
    let closed = Mail(Some(Arc::new(
        Mailer::new(
            "smtp://127.0.0.1:9",
            "Liaison <liaison@example.test>",
            "https://x.test",
        )
        .expect("mailer"),
    )));
    let broken = Settings {
        mail: closed,
        ..Settings::default()
    };
    let users = std::collections::BTreeSet::from([amsterdam.id]);
    liaison_app::notifications::send::notify(
        &app.db,
        &users,
        liaison_app::domain::NotificationKind::DeadlineNear,
        liaison_app::notifications::send::About::Overlap(o.id),
        "test:unreachable",
        &broken.mail,
    )
    .await
    .expect("queued");
    let report = liaison_app::jobs::run_job(&app.db, &broken, "a", chrono::Utc::now())
        .await
        .expect("the job survives");
    assert_eq!(report.mail_sent, 0);
    assert_eq!(
        notification::Entity::find()
            .filter(notification::Column::Mail.eq("failed"))
            .count(&app.db)
            .await
            .expect("n"),
        1
    );
}

async fn set_case(app: &TestApp, reference: &str, theme: &str, status: &str) {
    use liaison_app::server::entity::case;
    let found = case::Entity::find_by_id(app.case_id(reference).await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("case");
    let mut changed: case::ActiveModel = found.into();
    changed.theme = Set(theme.to_owned());
    changed.status = Set(status.to_owned());
    changed.update(&app.db).await.expect("updated");
}

fn ids_of(body: &str) -> Vec<i64> {
    let rows: serde_json::Value = serde_json::from_str(body).expect("json");
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

/// The flags a coordinator sees on an overlap's page.
async fn flags_seen(app: &TestApp, cookie: &str, id: i32) -> Vec<String> {
    let body = app
        .call_with("/api/overlap", &format!("id={id}"), Some(cookie))
        .await
        .body;
    let view: serde_json::Value = serde_json::from_str(&body).expect("json");
    view["workflow"]["flags"]
        .as_array()
        .expect("flags")
        .iter()
        .map(|f| f.as_str().expect("code").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_effort_is_flagged_on_a_primary_subject_with_the_same_theme_while_both_are_active()
 {
    let app = spawn_app().await;
    let person = overlap_of(&app, "person").await;
    assert!(person.score >= 0.9, "a likely match");
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    // The demo's Amsterdam case is about trafficking and Schiphol's about smuggling.
    assert!(
        !flags_seen(&app, &amsterdam, person.id)
            .await
            .contains(&"possible_duplicate".to_owned())
    );
    set_case(&app, "MCS-2026-003", "trafficking", "active").await;
    assert_eq!(
        flags_seen(&app, &amsterdam, person.id).await,
        ["possible_duplicate"]
    );
    let inbox = app
        .call_with(
            "/api/overlaps",
            "filter[flag]=possible_duplicate",
            Some(&amsterdam),
        )
        .await;
    assert_eq!(ids_of(&inbox.body), [i64::from(person.id)]);

    // With another primary subject on both sides, the person is a side issue.
    {
        use liaison_app::server::entity::{case, subject};
        let kma = app.case_id("KMA-2026-007").await;
        let other = subject::Entity::find()
            .filter(subject::Column::CaseId.eq(kma))
            .filter(subject::Column::Kind.ne("person"))
            .one(&app.db)
            .await
            .expect("query")
            .expect("another subject");
        let marked = app
            .call_with(
                "/api/primary_subject",
                &format!("case_id={kma}&subject_id={}", other.id),
                Some(&amsterdam),
            )
            .await;
        assert!(marked.status.is_success(), "{}", marked.body);
        let mcs = case::Entity::find_by_id(app.case_id("MCS-2026-003").await)
            .one(&app.db)
            .await
            .expect("query")
            .expect("case");
        let before = mcs.primary_subject_id;
        let mut changed: case::ActiveModel = mcs.into();
        changed.primary_subject_id = Set(None);
        changed.update(&app.db).await.expect("updated");
        assert!(
            flags_seen(&app, &amsterdam, person.id).await.is_empty(),
            "not on a primary subject"
        );
        let mcs = case::Entity::find_by_id(app.case_id("MCS-2026-003").await)
            .one(&app.db)
            .await
            .expect("query")
            .expect("case");
        let mut changed: case::ActiveModel = mcs.into();
        changed.primary_subject_id = Set(before);
        changed.update(&app.db).await.expect("updated");
        // Another coordinator's case is not Amsterdam's to mark.
        let refused = app
            .call_with(
                "/api/primary_subject",
                &format!("case_id={}&subject_id=1", app.case_id("MCS-2026-003").await),
                Some(&amsterdam),
            )
            .await;
        assert_eq!(refused.status, 403);
    }
    set_case(&app, "MCS-2026-003", "trafficking", "suspended").await;
    assert!(
        flags_seen(&app, &amsterdam, person.id).await.is_empty(),
        "both cases must be active"
    );
    set_case(&app, "MCS-2026-003", "trafficking", "active").await;
    let step = step(&app, &amsterdam, person.id, 1, "step=acknowledge").await;
    assert!(step.status.is_success());
    assert_eq!(
        flags_seen(&app, &amsterdam, person.id).await,
        ["possible_duplicate"],
        "until decided"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_filters_by_state_kind_flag_and_deadline() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let vehicle = overlap_of(&app, "vehicle").await;
    let operation = overlap_of(&app, "operation").await;
    let phone = overlap_of(&app, "phone").await;
    let list = |form: &'static str| {
        let cookie = north.clone();
        let app = &app;
        async move {
            ids_of(
                &app.call_with("/api/overlaps", form, Some(&cookie))
                    .await
                    .body,
            )
        }
    };
    let mut all = list("").await;
    all.sort();
    let mut expected = vec![
        i64::from(vehicle.id),
        i64::from(operation.id),
        i64::from(phone.id),
    ];
    expected.sort();
    assert_eq!(all, expected, "Noord's three demo overlaps");
    assert_eq!(
        list("filter[deadline]=overdue").await,
        [i64::from(vehicle.id)]
    );
    assert_eq!(
        list("filter[flag]=operational_conflict").await,
        [i64::from(operation.id)]
    );
    assert_eq!(list("filter[kind]=phone").await, [i64::from(phone.id)]);
    assert!(list("filter[state]=decided").await.is_empty());
    assert!(list("filter[state]=closed").await.is_empty());
    // The operation is urgent: one working day, so it is due soon.
    assert!(
        list("filter[deadline]=soon")
            .await
            .contains(&i64::from(operation.id))
    );
}

/// An HTML page as a person reads it: the tags left out (entities stay as they are).
fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// The heading of the step the overlap page marks `aria-current="step"`, as a person reads it;
/// `None` when no step is current. Fails when more than one is.
fn current_step(html: &str) -> Option<String> {
    let marker = r#"aria-current="step""#;
    assert!(
        html.matches(marker).count() <= 1,
        "one current step at most"
    );
    let rest = &html[html.find(marker)?..];
    let start = rest.find("<h3")?;
    Some(plain(&rest[start..start + rest[start..].find("</h3>")?]))
}

/// The overlap page as a coordinator reads it: its markup (hydration markers left out) and
/// its text.
async fn read_page(app: &TestApp, cookie: &str, path: &str) -> (String, String) {
    let page = app.get_with(path, cookie).await;
    assert_eq!(page.status, 200, "{path}");
    let html = page.text();
    let text = plain(&html);
    (html, text)
}

/// A form post from the overlap page without JavaScript: where it lands (with the `done=` the
/// page confirms), and that page.
async fn post_and_land(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &str,
) -> (String, (String, String)) {
    let posted = app.post_form_with(path, form, cookie).await;
    assert!(
        posted.status.is_redirection(),
        "{path} {form}: {} {}",
        posted.status,
        posted.body
    );
    let location = posted.header("location").expect("a landing").to_owned();
    let page = read_page(app, cookie, &location).await;
    (location, page)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overlap_page_guides_both_sides_step_by_step_and_confirms_each_step_without_javascript()
{
    let app = spawn_app().await;
    let o = overlap_of(&app, "phone").await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let address = format!("/overlaps/{}", o.id);
    let lands = |location: &str, done: &str| {
        assert!(
            location.starts_with(&format!("{address}?done={done}&at=")),
            "{location}"
        );
    };
    let step_form = |version: i32, step: &str| format!("id={}&version={version}&step={step}", o.id);

    // Found: what matched in plain words and the order in one sentence; acknowledging is the
    // step. Neither sharing nor the decision form is offered yet, and the page says why.
    let (html, text) = read_page(&app, &north, &address).await;
    assert!(
        text.contains("Zelfde telefoonnummer") && text.contains("Sterke overeenkomst"),
        "{text}"
    );
    assert!(text.contains("Eerst bevestigt elke kant dat zij de overlap heeft gezien"));
    assert!(text.contains("Stap 1: Wat overeenkomt (gedaan)"), "{text}");
    assert_eq!(
        current_step(&html).as_deref(),
        Some("Stap 2: Bevestigen dat u de overlap hebt gezien (nu aan de beurt)")
    );
    assert!(!html.contains("Instemmen met delen</button>"));
    assert!(!html.contains(r#"name="decision""#));
    assert!(text.contains("Besluiten kan zodra beide kanten de overlap hebben bevestigd"));
    assert!(!text.contains("Vastgelegd"), "nothing to confirm yet");

    // Noord acknowledges: the page confirms it, marks the step done and moves on to sharing.
    let (location, (html, text)) = post_and_land(
        &app,
        &north,
        "/api/overlap_step",
        &step_form(o.version, "acknowledge"),
    )
    .await;
    lands(&location, "acknowledge");
    assert!(
        text.contains(
            "Vastgelegd: u hebt bevestigd dat u de overlap hebt gezien. Volgende stap: kies of u gegevens deelt (stap 3)."
        ),
        "{text}"
    );
    // The confirmation is announced (a status region).
    assert!(html.contains(r#"<p role="status" class="alert alert--success">Vastgelegd: "#));
    assert!(text.contains("Stap 2: Bevestigen dat u de overlap hebt gezien (gedaan)"));
    assert_eq!(
        current_step(&html).as_deref(),
        Some("Stap 3: Gegevens delen, of niet (nu aan de beurt)")
    );
    assert!(html.contains("Instemmen met delen</button>"));

    // Noord agrees to share: nothing is shared yet, and deciding waits for Amsterdam.
    let (location, (html, text)) = post_and_land(
        &app,
        &north,
        "/api/consent_to_disclose",
        &format!("id={}&{CONSENT_GROUNDS}", o.id),
    )
    .await;
    lands(&location, "consent");
    assert!(text.contains("Vastgelegd: u stemt in met delen."), "{text}");
    assert_eq!(
        current_step(&html).as_deref(),
        Some("Stap 4: Samen besluiten (nu aan de beurt)")
    );
    assert!(text.contains(
        "Besluiten kan zodra het andere samenwerkingsverband de overlap ook heeft bevestigd"
    ));
    assert!(
        !html.contains(r#"name="decision""#),
        "no decision form while open"
    );
    assert!(!text.contains("Uitbuiting in massagesalons West"));

    // Amsterdam acknowledges: both have, so deciding is the step and its form is there;
    // sharing was passed over, and says so.
    let (location, (html, text)) = post_and_land(
        &app,
        &amsterdam,
        "/api/overlap_step",
        &step_form(o.version, "acknowledge"),
    )
    .await;
    lands(&location, "acknowledge");
    assert!(
        text.contains("Volgende stap: samen besluiten (stap 4)."),
        "{text}"
    );
    assert_eq!(
        current_step(&html).as_deref(),
        Some("Stap 4: Samen besluiten (nu aan de beurt)")
    );
    assert!(text.contains("Stap 3: Gegevens delen, of niet (overgeslagen)"));
    assert!(html.contains(r#"name="decision""#));

    // Amsterdam agrees to share too: the page says what was shared, with whom and when.
    let (location, (_, text)) = post_and_land(
        &app,
        &amsterdam,
        "/api/consent_to_disclose",
        &format!("id={}&{CONSENT_GROUNDS}", o.id),
    )
    .await;
    lands(&location, "consent");
    assert!(text.contains("Gedeeld: beide kanten stemden in."), "{text}");
    // When, in whatever notation the page uses for a moment: at least its year.
    let disclosed_at = reload(&app, o.id).await.disclosed_at.expect("disclosed");
    let on = text.find("Gedeeld op ").expect("when it was shared");
    let when: String = text[on..].chars().take(40).collect();
    assert!(when.contains(&disclosed_at[..4]), "{when}");
    assert!(text.contains("Gedeeld met Taskforce Mensensmokkel Noord"));
    assert!(
        text.contains(
            "Ontvangen van Taskforce Mensensmokkel Noord: TMN-2026-014: Bestelbussen via Nieuweschans"
        ),
        "{text}"
    );
    assert!(text.contains("Stap 3: Gegevens delen, of niet (gedaan)"));

    // Amsterdam proposes; Noord agrees: decided, and no step is left to take.
    let version = reload(&app, o.id).await.version;
    let (location, (_, text)) = post_and_land(
        &app,
        &amsterdam,
        "/api/overlap_step",
        &format!("{}&decision=joint_action", step_form(version, "propose")),
    )
    .await;
    lands(&location, "propose");
    assert!(
        text.contains("Vastgelegd: uw voorstel staat klaar"),
        "{text}"
    );
    assert!(text.contains("Nu is het andere samenwerkingsverband aan zet"));
    let (location, (html, text)) = post_and_land(
        &app,
        &north,
        "/api/overlap_step",
        &step_form(version + 1, "agree"),
    )
    .await;
    lands(&location, "agree");
    assert!(
        text.contains("Vastgelegd: de overlap is besloten: Gezamenlijk optreden."),
        "{text}"
    );
    assert_eq!(current_step(&html), None);
    assert!(text.contains("Stap 4: Samen besluiten (gedaan)"));
    assert!(html.contains("Overlap sluiten</button>"));
}
