//! Issue 22, retention: review dates and retention ends from rules administrators set,
//! extending with a reason, and the daily job that deletes personal data past its end.

use crate::disclosure::{
    Pair, add_phone, consent, pair, read, reload, save_case, share_on_consent,
};
use liaison_app::retention::purge;
use liaison_app::server::audit::{Verification, verify};
use liaison_app::server::entity::{
    audit_event, case, match_key, overlap, overlap_disclosure, overlap_note, retention_rule,
    signal, signal_draft, signal_subject, subject,
};
use liaison_app::settings::Settings;
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, matching, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::Value;

fn today() -> chrono::NaiveDate {
    liaison_app::server::time::today()
}

async fn the_case(app: &TestApp, id: i32) -> case::Model {
    case::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the case")
}

/// Marks case `id` closed on `closed_on` (as if closed then) and counts its dates again.
async fn closed_back_then(app: &TestApp, id: i32, closed_on: &str) {
    let mut c: case::ActiveModel = the_case(app, id).await.into();
    c.status = Set("closed".into());
    c.closed_on = Set(Some(closed_on.parse().expect("a day")));
    c.update(&app.db).await.expect("update");
    liaison_app::retention::store::refresh_cases(&app.db, None)
        .await
        .expect("refresh");
}

async fn run_job(
    app: &TestApp,
    at: chrono::DateTime<chrono::Utc>,
) -> Option<liaison_app::retention::types::PurgeCounts> {
    purge::run(&app.db, &Settings::default(), "instance-a", at)
        .await
        .expect("the retention job")
}

fn field(body: &str) -> Value {
    let error: Value = serde_json::from_str(body).expect("json");
    error["Invalid"]["field"].clone()
}

async fn summary(app: &TestApp, ministry: &str, quarter: &str) -> Value {
    let read = app
        .call_with(
            "/api/summary",
            &format!("quarter={quarter}&theme=smuggling"),
            Some(ministry),
        )
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    serde_json::from_str(&read.body).expect("json")
}

fn previous_quarter() -> String {
    use chrono::Datelike;
    let t = today();
    let q = t.month0() / 3 + 1;
    if q == 1 {
        format!("{}-Q4", t.year() - 1)
    } else {
        format!("{}-Q{}", t.year(), q - 1)
    }
}

/// A disclosed overlap whose Noord case lapses: the job deletes Noord's subject (and its match
/// keys), the overlap's notes and both sides' frozen values; neither side reads Noord's phone
/// again, a re-scan does not bring the overlap's data back, the closed quarter's summary is
/// the same, the audit chain verifies and none of its rows ever held the phone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lapsed_case_leaves_no_value_on_either_side_and_nothing_brings_it_back() {
    let app = spawn_app().await;
    let p: Pair = pair(&app, 71, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    consent(&app, &p.amsterdam, p.overlap).await;
    assert!(reload(&app, p.overlap).await.disclosed_at.is_some());
    let noted = app
        .post_form_with(
            "/api/overlap_note",
            &format!(
                "id={}&title=Gebeld&body=Zelfde%20nummer%2006%202468%201371",
                p.overlap
            ),
            &p.north,
        )
        .await;
    assert!(noted.status.is_redirection(), "{}", noted.body);
    let (before, _) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(before.contains(&p.north_phone), "disclosed: {before}");
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let closed_quarter = summary(&app, &ministry, &previous_quarter()).await;
    let overlaps_before = overlap::Entity::find().count(&app.db).await.expect("count");

    closed_back_then(&app, p.north_case, "2024-01-02").await;
    let c = the_case(&app, p.north_case).await;
    assert_eq!(c.retention_end, Some("2025-01-02".parse().expect("day")));
    let counts = run_job(&app, chrono::Utc::now()).await.expect("it ran");
    assert!(
        counts.cases >= 1 && counts.subjects >= 1 && counts.overlaps >= 1 && counts.notes >= 1,
        "{counts:?}"
    );

    let c = the_case(&app, p.north_case).await;
    assert_eq!(c.purged_on, Some(today()));
    assert_eq!(c.description, "");
    for (name, n) in [
        (
            "subjects",
            subject::Entity::find()
                .filter(subject::Column::CaseId.eq(p.north_case))
                .count(&app.db)
                .await
                .expect("count"),
        ),
        (
            "match keys",
            match_key::Entity::find()
                .filter(match_key::Column::CaseId.eq(p.north_case))
                .count(&app.db)
                .await
                .expect("count"),
        ),
        (
            "notes",
            overlap_note::Entity::find()
                .filter(overlap_note::Column::OverlapId.eq(p.overlap))
                .count(&app.db)
                .await
                .expect("count"),
        ),
    ] {
        assert_eq!(n, 0, "{name} left");
    }
    for frozen in overlap_disclosure::Entity::find()
        .filter(overlap_disclosure::Column::OverlapId.eq(p.overlap))
        .all(&app.db)
        .await
        .expect("query")
    {
        assert_eq!(frozen.item, "", "side {} still frozen", frozen.side);
    }
    let o = reload(&app, p.overlap).await;
    assert_eq!(o.purged_on, Some(today()));
    assert_eq!(o.explanation, "");
    // Neither side reads Noord's phone (as typed, or its digits) any more.
    for cookie in [&p.north, &p.amsterdam] {
        let (body, view) = read(&app, cookie, p.overlap).await;
        assert_eq!(view["purged_on"], today().to_string(), "{body}");
        assert!(!body.contains(&p.north_phone), "{body}");
        assert!(!body.contains("2468 1371"), "{body}");
    }
    let (north_view, _) = read(&app, &p.north, p.overlap).await;
    assert!(!north_view.contains("24681371"), "{north_view}");
    // The case page says so, and takes no new subject.
    let page = app
        .call_with("/api/case", &format!("id={}", p.north_case), Some(&p.north))
        .await;
    let page: Value = serde_json::from_str(&page.body).expect("json");
    assert_eq!(page["retention"]["standing"], "Purged");
    let refused = app
        .call_with(
            "/api/add_subject",
            &format!(
                "case_id={}&subject[kind]=phone&subject[value]=0611112222",
                p.north_case
            ),
            Some(&p.north),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(field(&refused.body), "case_id");

    // A re-scan finds nothing to raise again; the overlap stays without its data.
    liaison_app::overlaps::rescan::rescan(&app.db, &matching())
        .await
        .expect("re-scan");
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        overlaps_before
    );
    let (body, _) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(!body.contains(&p.north_phone), "{body}");

    // Once a day: a second run today does nothing; tomorrow's finds nothing left.
    assert_eq!(run_job(&app, chrono::Utc::now()).await, None);
    let tomorrow = run_job(&app, chrono::Utc::now() + chrono::Duration::days(1))
        .await
        .expect("tomorrow's run");
    assert_eq!((tomorrow.cases, tomorrow.subjects), (0, 0), "{tomorrow:?}");

    // The closed quarter's summary is what it was; the chain verifies; the runs are in it
    // with their counts, and no event ever held the phone.
    assert_eq!(
        summary(&app, &ministry, &previous_quarter()).await,
        closed_quarter
    );
    assert!(matches!(
        verify(&app.db).await.expect("verify"),
        Verification::Intact { .. }
    ));
    let runs = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("retention_run"))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .expect("query");
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].actor_name, purge::ACTOR_NAME);
    let logged: liaison_app::retention::types::PurgeCounts =
        serde_json::from_str(&runs[0].detail).expect("counts");
    assert_eq!(logged, counts);
    for event in audit_event::Entity::find()
        .all(&app.db)
        .await
        .expect("query")
    {
        for value in ["24681371", "2468 1371", &p.north_phone] {
            assert!(!event.detail.contains(value), "{event:?}");
            assert!(!event.object_id.contains(value), "{event:?}");
        }
    }
}

/// A case due for review is listed at `/cases?review=due`; its coordinators extend it with a
/// reason (audited), nobody else can, a lapsed case takes no subjects until extended, and a
/// case whose data is deleted cannot be extended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_see_what_is_due_and_extend_it_with_a_reason() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let north_jv = app.joint_venture_id("Taskforce Mensensmokkel Noord").await;
    let id = save_case(
        &app,
        &north,
        None,
        north_jv,
        ("TMN-2026-R01", "Herzien"),
        "pointer-only",
    )
    .await;
    let listed = |filter: &'static str| {
        let (app, north) = (&app, &north);
        async move {
            let list = app.call_with("/api/cases", filter, Some(north)).await;
            assert_eq!(list.status, 200, "{}", list.body);
            let list: Value = serde_json::from_str(&list.body).expect("json");
            list["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["reference"] == "TMN-2026-R01")
        }
    };
    assert!(
        !listed("filter[review]=due&filter[q]=R01").await,
        "a new case is not due"
    );
    // Opened 23 months ago: 24 months open, due 60 days before the end.
    let mut c: case::ActiveModel = the_case(&app, id).await.into();
    let opened = today() - chrono::Months::new(23);
    c.start_date = Set(opened);
    c.update(&app.db).await.expect("update");
    liaison_app::retention::store::refresh_cases(&app.db, None)
        .await
        .expect("refresh");
    assert!(listed("filter[review]=due&filter[q]=R01").await);
    let soon = app
        .call_with("/api/cases", "filter[review]=soon", Some(&north))
        .await;
    assert_eq!(soon.status, 400, "{}", soon.body);
    assert_eq!(field(&soon.body), "review");

    // As the hydrated page calls it: a refusal reads as JSON naming the field.
    let extend = |cookie: &str, form: String| {
        let app = &app;
        let cookie = cookie.to_owned();
        async move {
            app.call_with("/api/extend_retention", &form, Some(&cookie))
                .await
        }
    };
    let events = || async {
        audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count")
    };
    let before = events().await;
    for (cookie, form, status, bad) in [
        (
            &north,
            format!("case_id={id}&reason=%20%20"),
            400_u16,
            Some("reason"),
        ),
        (
            &north,
            format!("case_id={id}&reason={}", "x".repeat(1001)),
            400,
            Some("reason"),
        ),
        (&amsterdam, format!("case_id={id}&reason=Loopt"), 403, None),
        (&manager, format!("case_id={id}&reason=Loopt"), 403, None),
        (&north, "case_id=999999&reason=Loopt".to_owned(), 403, None),
    ] {
        let answer = extend(cookie, form.clone()).await;
        assert_eq!(answer.status, status, "{form}: {}", answer.body);
        if let Some(bad) = bad {
            assert_eq!(field(&answer.body), bad);
        }
    }
    assert_eq!(events().await, before, "nothing recorded, nothing changed");
    assert_eq!(the_case(&app, id).await.retention_extended_on, None);

    let done = extend(
        &north,
        format!("case_id={id}&reason=Onderzoek%20loopt%20nog"),
    )
    .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let c = the_case(&app, id).await;
    assert_eq!(c.retention_extended_on, Some(today()));
    assert_eq!(
        c.retention_end,
        today().checked_add_months(chrono::Months::new(24))
    );
    let event = app.last_event().await;
    assert_eq!(event.action, "extend_retention");
    assert!(
        event.detail.contains("Onderzoek loopt nog"),
        "{}",
        event.detail
    );
    assert!(!listed("filter[review]=due&filter[q]=R01").await);

    // Lapsed: no new subject until it is extended again.
    closed_back_then(&app, id, "2020-01-02").await;
    let mut c: case::ActiveModel = the_case(&app, id).await.into();
    c.retention_extended_on = Set(None);
    c.update(&app.db).await.expect("update");
    liaison_app::retention::store::refresh_cases(&app.db, None)
        .await
        .expect("refresh");
    let refused = app
        .call_with(
            "/api/add_subject",
            &format!("case_id={id}&subject[kind]=phone&subject[value]=0633334444"),
            Some(&north),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(field(&refused.body), "case_id");
    let page = app
        .call_with("/api/case", &format!("id={id}"), Some(&north))
        .await;
    let page: Value = serde_json::from_str(&page.body).expect("json");
    assert_eq!(page["retention"]["standing"], "Lapsed");
    let again = extend(&north, format!("case_id={id}&reason=Nog%20nodig")).await;
    assert_eq!(again.status, 200, "{}", again.body);
    add_phone(&app, &north, id, "0633334444").await;

    // Deleted: nothing left to extend.
    closed_back_then(&app, id, "2020-01-02").await;
    let mut c: case::ActiveModel = the_case(&app, id).await.into();
    c.retention_extended_on = Set(None);
    c.update(&app.db).await.expect("update");
    run_job(&app, chrono::Utc::now()).await.expect("it ran");
    assert_eq!(the_case(&app, id).await.purged_on, Some(today()));
    let gone = extend(&north, format!("case_id={id}&reason=Toch")).await;
    assert_eq!(gone.status, 409, "{}", gone.body);
}

/// Administrators set the rules; the dates of every case follow at once; the rule for any
/// kind and theme stays; privacy officers and auditors read, others are refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_set_the_rules_and_every_case_follows() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let privacy = app.sign_in("privacy", DEMO_PASSWORD).await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let read = app.call_with("/api/retention", "", Some(&privacy)).await;
    assert_eq!(read.status, 200, "{}", read.body);
    let overview: Value = serde_json::from_str(&read.body).expect("json");
    assert_eq!(overview["may_manage"], false);
    assert_eq!(overview["rules"].as_array().expect("rules").len(), 3);
    for cookie in [&privacy, &north] {
        let refused = app
            .call_with(
                "/api/save_retention_rule",
                "rule[theme]=smuggling&rule[open_months]=1&rule[closed_months]=0&rule[review_days]=0",
                Some(cookie),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    let default_rule = retention_rule::Entity::find()
        .filter(retention_rule::Column::OrganisationKind.eq(""))
        .filter(retention_rule::Column::Theme.eq(""))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the default rule");
    let rules_before = retention_rule::Entity::find()
        .all(&app.db)
        .await
        .expect("rules");
    for (form, bad) in [
        (
            "rule[open_months]=abc&rule[closed_months]=1&rule[review_days]=1",
            "open_months",
        ),
        (
            "rule[open_months]=121&rule[closed_months]=1&rule[review_days]=1",
            "open_months",
        ),
        (
            "rule[open_months]=-1&rule[closed_months]=1&rule[review_days]=1",
            "open_months",
        ),
        (
            "rule[open_months]=1&rule[closed_months]=1&rule[review_days]=366",
            "review_days",
        ),
        (
            "rule[organisation_kind]=spy&rule[open_months]=1&rule[closed_months]=1&rule[review_days]=1",
            "organisation_kind",
        ),
        (
            "rule[theme]=fraud&rule[open_months]=1&rule[closed_months]=1&rule[review_days]=1",
            "theme",
        ),
        // One rule per kind and theme: the intelligence services have one.
        (
            "rule[organisation_kind]=intelligence&rule[open_months]=1&rule[closed_months]=1&rule[review_days]=1",
            "organisation_kind",
        ),
        (
            "id=999999&rule[open_months]=1&rule[closed_months]=1&rule[review_days]=1",
            "id",
        ),
    ] {
        let answer = app
            .call_with("/api/save_retention_rule", form, Some(&admin))
            .await;
        assert_eq!(answer.status, 400, "{form}: {}", answer.body);
        assert_eq!(field(&answer.body), bad, "{form}");
    }
    let default_gone = app
        .call_with(
            "/api/remove_retention_rule",
            &format!("id={}", default_rule.id),
            Some(&admin),
        )
        .await;
    assert_eq!(default_gone.status, 400, "{}", default_gone.body);
    assert_eq!(field(&default_gone.body), "id");
    assert_eq!(
        retention_rule::Entity::find()
            .all(&app.db)
            .await
            .expect("rules"),
        rules_before,
        "nothing changed"
    );

    // Smuggling kept a month while open: a smuggling case opened two months ago lapses.
    let north_jv = app.joint_venture_id("Taskforce Mensensmokkel Noord").await;
    let id = save_case(
        &app,
        &north,
        None,
        north_jv,
        ("TMN-2026-R02", "Regel"),
        "pointer-only",
    )
    .await;
    let mut c: case::ActiveModel = the_case(&app, id).await.into();
    let opened = today() - chrono::Months::new(2);
    c.start_date = Set(opened);
    c.update(&app.db).await.expect("update");
    let saved = app
        .post_form_with(
            "/api/save_retention_rule",
            "rule[theme]=smuggling&rule[open_months]=1&rule[closed_months]=0&rule[review_days]=7",
            &admin,
        )
        .await;
    assert!(saved.status.is_redirection(), "{}", saved.body);
    assert_eq!(app.last_event().await.action, "save_retention_rule");
    let c = the_case(&app, id).await;
    let end = opened
        .checked_add_months(chrono::Months::new(1))
        .expect("day");
    assert_eq!(c.retention_end, Some(end));
    assert_eq!(c.review_on, Some(end - chrono::Days::new(7)));
    let overview = app.call_with("/api/retention", "", Some(&admin)).await;
    let overview: Value = serde_json::from_str(&overview.body).expect("json");
    assert_eq!(overview["may_manage"], true);
    assert!(
        overview["lapsed"].as_u64().expect("lapsed") >= 1,
        "{overview}"
    );
    let rule = retention_rule::Entity::find()
        .filter(retention_rule::Column::Theme.eq("smuggling"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the new rule");
    let removed = app
        .post_form_with(
            "/api/remove_retention_rule",
            &format!("id={}", rule.id),
            &admin,
        )
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    assert_eq!(app.last_event().await.action, "remove_retention_rule");
    assert_eq!(
        the_case(&app, id).await.retention_end,
        opened.checked_add_months(chrono::Months::new(24))
    );
}

/// A lapsed signal loses its subjects and what was observed; the row and its counts stay.
/// Drafts past their day go with the same run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lapsed_signal_and_old_drafts_are_deleted() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let reported = app
        .post_form_with(
            "/api/report_signal",
            "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4\
&signal[observed]=Een%20bewoner%20geeft%20haar%20loon%20af&signal[day]=2026-11-27\
&signal[place]=Azc%20Ter%20Apel&signal[urgency]=normal",
            &reporter,
        )
        .await;
    assert!(reported.status.is_redirection(), "{}", reported.body);
    let chosen = signal::Entity::find()
        .order_by_desc(signal::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the signal")
        .id;
    signal_subject::ActiveModel {
        signal_id: Set(chosen),
        kind: Set("phone".into()),
        typed: Set("06 5555 1212".into()),
        summary: Set("06 5555 1212".into()),
        normal: Set("+31655551212".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("signal subject");
    let mut s: signal::ActiveModel = signal::Entity::find_by_id(chosen)
        .one(&app.db)
        .await
        .expect("query")
        .expect("signal")
        .into();
    s.state = Set("no_action".into());
    s.closed_at = Set(Some("2020-03-01T10:00:00.000000Z".into()));
    s.update(&app.db).await.expect("update");
    signal_draft::ActiveModel {
        token: Set("a".repeat(64)),
        form: Set("{}".into()),
        created_at: Set("2020-03-01T10:00:00.000000Z".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("draft");
    let signals_before = signal::Entity::find().count(&app.db).await.expect("count");
    let counts = run_job(&app, chrono::Utc::now()).await.expect("it ran");
    assert!(
        counts.signals >= 1 && counts.signal_subjects >= 1 && counts.drafts >= 1,
        "{counts:?}"
    );
    let s = signal::Entity::find_by_id(chosen)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the signal stays");
    assert_eq!(s.purged_on, Some(today()));
    assert_eq!((s.observed.as_str(), s.place.as_str()), ("", ""));
    assert_eq!(
        signal_subject::Entity::find()
            .filter(signal_subject::Column::SignalId.eq(chosen))
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        signal::Entity::find().count(&app.db).await.expect("count"),
        signals_before
    );
    assert_eq!(
        signal_draft::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

/// A signal's owners extend its retention with a reason (audited on the signal); its
/// reporter, another joint venture's coordinator and an unknown id are refused; a signal
/// whose data was deleted cannot be extended.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signal_s_owners_extend_its_retention() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let reported = app
        .post_form_with(
            "/api/report_signal",
            "signal[nature]=soft&signal[theme]=smuggling&signal[category]=1\
&signal[observed]=Een%20busje%20laadt%20's%20nachts%20mensen%20in&signal[day]=2026-11-27\
&signal[place]=Delfzijl&signal[urgency]=normal",
            &reporter,
        )
        .await;
    assert!(reported.status.is_redirection(), "{}", reported.body);
    let s = signal::Entity::find()
        .order_by_desc(signal::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the signal");
    let mut owned: signal::ActiveModel = s.clone().into();
    owned.joint_venture_id = Set(Some(
        app.joint_venture_id("Taskforce Mensensmokkel Noord").await,
    ));
    owned.update(&app.db).await.expect("owned by Noord");
    let before = audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    for (cookie, form, status) in [
        (
            &reporter,
            format!("signal_id={}&reason=Nodig", s.id),
            403_u16,
        ),
        (&amsterdam, format!("signal_id={}&reason=Nodig", s.id), 403),
        (&north, "signal_id=999999&reason=Nodig".to_owned(), 403),
        (&north, format!("signal_id={}&reason=%20", s.id), 400),
    ] {
        let answer = app
            .call_with("/api/extend_signal_retention", &form, Some(cookie))
            .await;
        assert_eq!(answer.status, status, "{form}: {}", answer.body);
    }
    assert_eq!(
        audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        before
    );
    let done = app
        .call_with(
            "/api/extend_signal_retention",
            &format!("signal_id={}&reason=Onderzoek%20loopt", s.id),
            Some(&north),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let s2 = signal::Entity::find_by_id(s.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("signal");
    assert_eq!(s2.retention_extended_on, Some(today()));
    assert_eq!(
        s2.retention_end,
        today().checked_add_months(chrono::Months::new(24))
    );
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.object_type.as_str()),
        ("extend_retention", "signal")
    );
    let mut purged: signal::ActiveModel = s2.into();
    purged.purged_on = Set(Some(today()));
    purged.update(&app.db).await.expect("purged");
    let gone = app
        .call_with(
            "/api/extend_signal_retention",
            &format!("signal_id={}&reason=Toch", s.id),
            Some(&north),
        )
        .await;
    assert_eq!(gone.status, 409, "{}", gone.body);
}
