//! The demo's year of history: the same on every load, over the four quarters before today, with
//! overlaps at every stage and signals dealt with in every way; the reports of a past quarter
//! show it.

use chrono::{Datelike, NaiveDate};
use liaison_app::domain::{Decision, OverlapState, SignalNature, SignalState, Urgency};
use liaison_app::server::entity::{
    case, false_match, overlap, overlap_disclosure, overlap_event, signal, signal_event, subject,
};
use liaison_app::server::time::{amsterdam_date, today};
use liaison_server::{
    db,
    demo::{self, DEMO_PASSWORD, Outcome},
    startup::{AppState, router},
};
use liaison_tests::{TestApp, TestDatabase, matching, test_config};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The portal as it starts with demo data: the demo data and its year of history, loaded today.
pub(super) async fn spawn_app_with_history() -> TestApp {
    let database = TestDatabase::new().await;
    let config = test_config(&database.url);
    let db = db::connect(&config.database_url)
        .await
        .expect("database opened and migrated");
    assert_eq!(
        demo::load_once_with_history(&db, &matching(), today())
            .await
            .expect("demo data and history loaded"),
        Outcome::Loaded
    );
    let state = AppState::new(&config, db.clone());
    TestApp {
        matching: state.matching.clone(),
        router: router(state),
        db,
        database: std::sync::Arc::new(database),
    }
}

fn quarter_of(day: NaiveDate) -> (i32, u32) {
    (day.year(), day.month0() / 3 + 1)
}

fn first_day((year, q): (i32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).expect("a quarter")
}

fn last_day((year, q): (i32, u32)) -> NaiveDate {
    let next = if q == 4 { (year + 1, 1) } else { (year, q + 1) };
    first_day(next).pred_opt().expect("a day")
}

/// The four quarters before the current one, oldest first: the history's.
fn history_quarters() -> Vec<(i32, u32)> {
    use liaison_app::reports::summary::previous_quarter;
    let mut quarters = vec![previous_quarter(quarter_of(today()))];
    while quarters.len() < 4 {
        let earlier = previous_quarter(quarters[0]);
        quarters.insert(0, earlier);
    }
    quarters
}

/// The rows the history wrote: the cases that are not the demo's own, their subjects, the
/// overlaps between them and their timelines, the signals and theirs.
#[derive(Debug, PartialEq)]
struct History {
    cases: Vec<case::Model>,
    subjects: Vec<subject::Model>,
    overlaps: Vec<overlap::Model>,
    events: Vec<overlap_event::Model>,
    signals: Vec<signal::Model>,
    signal_events: Vec<signal_event::Model>,
}

async fn history(db: &DatabaseConnection) -> History {
    let live: BTreeSet<&str> = demo::CASES.iter().map(|c| c.reference).collect();
    let cases: Vec<case::Model> = case::Entity::find()
        .order_by_asc(case::Column::Id)
        .all(db)
        .await
        .expect("cases")
        .into_iter()
        .filter(|c| !live.contains(c.reference.as_str()))
        .collect();
    let ids: Vec<i32> = cases.iter().map(|c| c.id).collect();
    let subjects = subject::Entity::find()
        .filter(subject::Column::CaseId.is_in(ids.clone()))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await
        .expect("subjects");
    let overlaps = overlap::Entity::find()
        .filter(overlap::Column::FirstCaseId.is_in(ids.clone()))
        .filter(overlap::Column::SecondCaseId.is_in(ids))
        .order_by_asc(overlap::Column::Id)
        .all(db)
        .await
        .expect("overlaps");
    let events = overlap_event::Entity::find()
        .filter(overlap_event::Column::OverlapId.is_in(overlaps.iter().map(|o| o.id)))
        .order_by_asc(overlap_event::Column::Id)
        .all(db)
        .await
        .expect("overlap events");
    History {
        cases,
        subjects,
        overlaps,
        events,
        signals: signal::Entity::find()
            .order_by_asc(signal::Column::Id)
            .all(db)
            .await
            .expect("signals"),
        signal_events: signal_event::Entity::find()
            .order_by_asc(signal_event::Column::Id)
            .all(db)
            .await
            .expect("signal events"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_is_the_same_on_every_load_and_spans_the_four_quarters_before_today() {
    let (a, b) = (
        spawn_app_with_history().await,
        spawn_app_with_history().await,
    );
    let h = history(&a.db).await;
    assert_eq!(
        h,
        history(&b.db).await,
        "two loads on one day write the same rows"
    );

    // Ten episodes a quarter, each two closed cases and the overlap between them; eight to
    // twelve signals a month.
    assert_eq!(h.cases.len(), 80);
    assert!(h.cases.iter().all(|c| c.status == "closed"));
    assert_eq!(h.overlaps.len(), 40, "{:?}", h.overlaps);
    assert!((96..=144).contains(&h.signals.len()), "{}", h.signals.len());
    let quarters = history_quarters();
    let mut overlaps: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for o in &h.overlaps {
        *overlaps
            .entry(quarter_of(amsterdam_date(&o.created_at)))
            .or_default() += 1;
    }
    assert_eq!(overlaps.keys().copied().collect::<Vec<_>>(), quarters);
    assert!(overlaps.values().all(|n| *n == 10), "{overlaps:?}");
    let mut signals: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    for s in &h.signals {
        *signals
            .entry(quarter_of(amsterdam_date(&s.created_at)))
            .or_default() += 1;
    }
    assert_eq!(signals.keys().copied().collect::<Vec<_>>(), quarters);
    assert!(signals.values().all(|n| *n >= 20), "{signals:?}");

    // All of it happened before the current quarter began.
    let boundary = first_day(quarter_of(today()));
    let before = |at: &String| assert!(amsterdam_date(at) < boundary, "{at} is history");
    for c in &h.cases {
        let end = c.end_date.expect("a closed case has ended");
        assert!(c.start_date <= end && end < boundary, "{}", c.reference);
    }
    for s in &h.subjects {
        before(&s.created_at);
    }
    for o in &h.overlaps {
        for at in [
            Some(&o.created_at),
            o.first_acknowledged_at.as_ref(),
            o.second_acknowledged_at.as_ref(),
            o.decide_from.as_ref(),
            o.decided_at.as_ref(),
            o.closed_at.as_ref(),
            o.disclosed_at.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            before(at);
        }
    }
    for e in &h.events {
        before(&e.at);
    }
    for s in &h.signals {
        for at in [
            Some(&s.created_at),
            s.assessed_at.as_ref(),
            s.routed_at.as_ref(),
            s.closed_at.as_ref(),
            s.feedback_at.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            before(at);
        }
    }
    for e in &h.signal_events {
        before(&e.at);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_has_overlaps_at_every_stage_and_every_kind_of_decision() {
    let app = spawn_app_with_history().await;
    let h = history(&app.db).await;
    // Found, acknowledged, shared, decided and mostly closed; nothing left open.
    let states: BTreeSet<&str> = h.overlaps.iter().map(|o| o.state.as_str()).collect();
    assert_eq!(
        states,
        BTreeSet::from([
            OverlapState::Closed.as_str(),
            OverlapState::Decided.as_str()
        ])
    );
    let decisions: BTreeSet<&str> = h
        .overlaps
        .iter()
        .filter_map(|o| o.decision.as_deref())
        .collect();
    assert_eq!(
        decisions,
        Decision::ALL
            .iter()
            .map(|d| d.as_str())
            .collect::<BTreeSet<_>>()
    );
    assert!(h.overlaps.iter().all(|o| o.decided_at.is_some()));
    assert!(h.overlaps.iter().any(|o| o.ruled), "a manager's ruling");
    let shared: Vec<&overlap::Model> = h
        .overlaps
        .iter()
        .filter(|o| o.disclosed_at.is_some())
        .collect();
    assert!(!shared.is_empty(), "overlaps shared with both sides");
    assert!(shared.iter().all(|o| o.first_consents && o.second_consents));
    let frozen = overlap_disclosure::Entity::find()
        .filter(overlap_disclosure::Column::OverlapId.is_in(shared.iter().map(|o| o.id)))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(
        frozen,
        2 * shared.len() as u64,
        "both sides' disclosures frozen"
    );
    assert!(
        false_match::Entity::find()
            .count(&app.db)
            .await
            .expect("count")
            >= 1,
        "a false match remembered"
    );
    let steps: BTreeSet<&str> = h.events.iter().map(|e| e.step.as_str()).collect();
    for step in [
        "found",
        "acknowledge",
        "consent",
        "disclose",
        "propose",
        "agree",
        "rule",
        "follow_up",
        "note",
        "close",
    ] {
        assert!(steps.contains(step), "a {step} step in {steps:?}");
    }
    // Every overlap's timeline starts with its finding.
    let found: BTreeSet<i32> = h
        .events
        .iter()
        .filter(|e| e.step == "found")
        .map(|e| e.overlap_id)
        .collect();
    assert_eq!(found.len(), h.overlaps.len());
    let kinds: BTreeSet<&str> = h.overlaps.iter().map(|o| o.match_kind.as_str()).collect();
    assert!(
        kinds.contains("operation") && kinds.contains("person") && kinds.len() >= 6,
        "{kinds:?}"
    );

    // Deadlines met and missed, as the report and the summary count them.
    let deadlines = liaison_app::overlaps::workflow::Deadlines::default();
    let (mut in_time, mut late, mut acknowledged_late) = (0, 0, 0);
    for o in &h.overlaps {
        let (acknowledge_by, decide_by) = liaison_app::overlaps::status::due(o, &deadlines);
        let decided = amsterdam_date(o.decided_at.as_deref().expect("decided"));
        if decided <= decide_by.unwrap_or(acknowledge_by) {
            in_time += 1;
        } else {
            late += 1;
        }
        if let (Some(a), Some(b)) = (&o.first_acknowledged_at, &o.second_acknowledged_at)
            && amsterdam_date(a.max(b)) > acknowledge_by
        {
            acknowledged_late += 1;
        }
    }
    assert!(
        in_time > late && late >= 4,
        "{in_time} in time, {late} late"
    );
    assert!(
        acknowledged_late >= 4,
        "{acknowledged_late} acknowledged late"
    );

    // None of it is in a demo coordinator's inbox: theirs are closed.
    let north = app.joint_venture_id("Taskforce Mensensmokkel Noord").await;
    let amsterdam = app
        .joint_venture_id("Ketenaanpak Mensenhandel Amsterdam")
        .await;
    for o in &h.overlaps {
        let theirs = [o.first_joint_venture_id, o.second_joint_venture_id]
            .iter()
            .any(|jv| *jv == north || *jv == amsterdam);
        assert!(!theirs || o.state == "closed", "{o:?}");
    }

    // Signals reported by four organisations, hard and soft, followed up in every way or
    // closed without action, some assessed late.
    let states: BTreeSet<&str> = h.signals.iter().map(|s| s.state.as_str()).collect();
    assert_eq!(
        states,
        BTreeSet::from([
            SignalState::FollowedUp.as_str(),
            SignalState::NoAction.as_str()
        ])
    );
    let outcomes: BTreeSet<&str> = h
        .signals
        .iter()
        .filter_map(|s| s.outcome.as_deref())
        .collect();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let natures: BTreeSet<&str> = h.signals.iter().map(|s| s.nature.as_str()).collect();
    assert_eq!(
        natures,
        BTreeSet::from([SignalNature::Hard.as_str(), SignalNature::Soft.as_str()])
    );
    let organisations: BTreeSet<i32> = h.signals.iter().map(|s| s.organisation_id).collect();
    assert_eq!(organisations.len(), 4);
    let signal_deadlines = liaison_app::signals::rules::SignalDeadlines::default();
    let assessed_late = h
        .signals
        .iter()
        .filter(|s| {
            let urgency: Urgency = s.urgency.parse().expect("an urgency");
            let by = signal_deadlines.assess_by(amsterdam_date(&s.created_at), urgency);
            amsterdam_date(s.assessed_at.as_deref().expect("assessed")) > by
        })
        .count();
    assert!(assessed_late >= 1 && assessed_late < h.signals.len() / 2);
    assert!(
        h.signals
            .iter()
            .all(|s| s.closed_at.is_some() && s.reference.starts_with("S-"))
    );
}

/// A server function's JSON answer, which must be a success.
pub(super) async fn call(app: &TestApp, path: &str, args: &str, cookie: &str) -> Value {
    let response = app.call_with(path, args, Some(cookie)).await;
    assert_eq!(response.status, 200, "{path}: {}", response.body);
    serde_json::from_str(&response.body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reports_of_a_past_quarter_show_the_history() {
    let app = spawn_app_with_history().await;
    let quarters = history_quarters();
    let last = quarters[3];
    let (from, to) = (first_day(last), last_day(last));

    // The managers' overlap report: the quarter's overlaps of the joint ventures the demo
    // manager oversees, all decided, none overdue; the same pairs the quarter before.
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let r = call(
        &app,
        "/api/overlap_report",
        &format!("from={from}&to={to}"),
        &manager,
    )
    .await;
    let now = &r["now"];
    let found = now["found"].as_u64().expect("found");
    assert!(found >= 8, "{r}");
    assert_eq!(now["decided"].as_u64(), Some(found), "{r}");
    assert_eq!(now["overdue"], 0);
    assert!(now["median_acknowledge_days"].is_number(), "{r}");
    assert!(now["median_decide_days"].is_number(), "{r}");
    assert!(
        r["before"]["found"].as_u64().unwrap_or_default() >= 8,
        "{r}"
    );
    assert!(!r["decisions"].as_array().expect("decisions").is_empty());
    assert!(!r["recurring"].as_array().expect("recurring").is_empty());
    assert!(
        r["by_age"]
            .as_array()
            .expect("ages")
            .iter()
            .all(|a| a["open"] == 0 && a["acknowledged"] == 0)
    );
    let page = app
        .get_with(&format!("/reports/overlaps?from={from}&to={to}"), &manager)
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("/oversight?pair="),
        "the matrix links its cells"
    );

    // The joint analysis of the twelve months: every month reported in, nothing left open.
    let months = (
        format!(
            "{:04}-{:02}",
            first_day(quarters[0]).year(),
            first_day(quarters[0]).month()
        ),
        format!("{:04}-{:02}", to.year(), to.month()),
    );
    let a = call(
        &app,
        "/api/signal_analysis",
        &format!("from={}&to={}", months.0, months.1),
        &manager,
    )
    .await;
    assert!(a["total"].as_u64().unwrap_or_default() >= 96, "{a}");
    assert_eq!(a["open"], 0);
    assert!(a["followed_up"].as_u64().unwrap_or_default() > 0);
    assert!(a["no_action"].as_u64().unwrap_or_default() > 0);
    let by_month = a["by_month"].as_array().expect("months");
    assert_eq!(by_month.len(), 12);
    assert!(
        by_month.iter().all(|m| {
            m["hard"].as_u64().unwrap_or_default() + m["soft"].as_u64().unwrap_or_default() > 0
        }),
        "{a}"
    );
    assert_eq!(
        a["by_organisation"].as_array().map(Vec::len),
        Some(4),
        "{a}"
    );
    let page = app
        .get_with(
            &format!("/signals/analysis?from={}&to={}", months.0, months.1),
            &manager,
        )
        .await;
    assert_eq!(page.status, 200);

    // The ministry's summary of the quarter: counted, and non-zero in every quarter of its
    // trend (a count of 1 to 4 is published as `<5`, which is not zero either).
    let counts = liaison_app::reports::reporting::count(
        &app.db,
        last,
        liaison_app::domain::Theme::Trafficking,
        &Default::default(),
    )
    .await
    .expect("counted");
    assert!(
        counts.overlaps.iter().flatten().sum::<u64>() >= 4,
        "{counts:?}"
    );
    assert!(
        counts.signals.iter().flatten().sum::<u64>() >= 5,
        "{counts:?}"
    );
    assert!(counts.followed_up > 0, "{counts:?}");
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let quarter = liaison_app::reports::summary::quarter_text(last);
    let s = call(
        &app,
        "/api/summary",
        &format!("quarter={quarter}&theme=trafficking"),
        &ministry,
    )
    .await;
    assert_eq!(s["current"]["quarter"], quarter.as_str());
    assert_eq!(s["current"]["complete"], true);
    let zero = serde_json::json!({"Count": 0});
    let trend = s["trend"].as_array().expect("trend");
    assert_eq!(
        trend
            .iter()
            .map(|p| p["quarter"].as_str().unwrap_or_default().to_owned())
            .collect::<Vec<_>>(),
        quarters
            .iter()
            .map(|q| liaison_app::reports::summary::quarter_text(*q))
            .collect::<Vec<_>>()
    );
    for point in trend {
        assert_ne!(point["overlaps"], zero, "{point}");
        assert_ne!(point["signals"], zero, "{point}");
        assert_ne!(point["cases"], zero, "{point}");
    }
    let page = app
        .get_with(
            &format!("/summary?quarter={quarter}&theme=trafficking"),
            &ministry,
        )
        .await;
    assert_eq!(page.status, 200);
}
