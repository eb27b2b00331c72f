//! Operations: planned with a place and a time window, shown on the case and in the calendar,
//! and only by the case's own coordinators.

use liaison_app::server::entity::operation;
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

const NORTH_CASE: &str = "TMN-2026-014";

fn form(case_id: i32, fields: &str) -> String {
    format!(
        "case_id={case_id}&operation[kind]=search&operation[starts_at]=2027-01-12T06:00&operation[ends_at]=2027-01-12T09:30&operation[place]=Loods&operation[note]=&{fields}"
    )
}

async fn latest(app: &TestApp) -> operation::Model {
    operation::Entity::find()
        .order_by_desc(operation::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("an operation")
}

async fn count(app: &TestApp) -> u64 {
    operation::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operation_in_a_municipality_gets_its_point_and_appears_in_the_calendar() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let planned = app
        .post_form_with(
            "/api/add_operation",
            &form(
                case_id,
                "operation[municipality]=GM0014&operation[coordinates]=",
            ),
            &cookie,
        )
        .await;
    assert!(planned.status.is_redirection(), "{}", planned.body);
    let stored = latest(&app).await;
    assert_eq!(stored.region_code.as_deref(), Some("GM0014"));
    assert!((stored.latitude - 53.2194).abs() < 0.01 && (stored.longitude - 6.5665).abs() < 0.01);
    assert_eq!(app.last_event().await.action, "add_operation");

    let exact = app
        .post_form_with(
            "/api/add_operation",
            &form(
                case_id,
                "operation[municipality]=&operation[coordinates]=53.1%2C%206.9",
            ),
            &cookie,
        )
        .await;
    assert!(exact.status.is_redirection(), "{}", exact.body);
    assert_eq!(
        (latest(&app).await.latitude, latest(&app).await.longitude),
        (53.1, 6.9)
    );

    let calendar = app.get_with("/operations?from=2027-01-10", &cookie).await;
    let text = calendar.text();
    // The day in words, the window on the Dutch clock.
    assert!(text.contains("12 januari 2027"), "{text}");
    assert!(text.contains("06:00 – 09:30"), "{text}");
    assert!(text.contains(NORTH_CASE));
    let other = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let theirs = app.get_with("/operations?from=2027-01-10", &other).await;
    assert!(
        !theirs.text().contains(NORTH_CASE),
        "another joint venture's operations stay hidden"
    );

    let case_page = app.get_with(&format!("/cases/{case_id}"), &cookie).await;
    assert!(case_page.text().contains("Groningen"));
    // Times in words on the Dutch clock, never as stored.
    let shown = liaison_tests::shown_text(&case_page.body);
    assert!(shown.contains("12 januari 2027, 06:00 – 09:30"), "{shown}");
    assert_eq!(liaison_tests::machine_time(&shown), None, "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_operation_input_names_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = count(&app).await;
    let cases = [
        (
            "operation[municipality]=&operation[coordinates]=",
            "municipality: choose a municipality or give coordinates",
        ),
        ("operation[municipality]=GM9999", "municipality: choose"),
        (
            "operation[coordinates]=95%2C%205",
            "coordinates: write coordinates",
        ),
        (
            "operation[municipality]=GM0014&operation[ends_at]=2027-01-12T05:00",
            "ends_at: the end must be after the start",
        ),
        (
            "operation[municipality]=GM0014&operation[ends_at]=2027-02-12T05:00",
            "ends_at: an operation may last at most 14 days",
        ),
        (
            "operation[municipality]=GM0014&operation[starts_at]=morgen",
            "starts_at: enter a date and time",
        ),
    ];
    for (fields, expected) in cases {
        let body = form(case_id, fields)
            .replacen(
                "operation[ends_at]=2027-01-12T09:30&",
                if fields.contains("ends_at") {
                    ""
                } else {
                    "operation[ends_at]=2027-01-12T09:30&"
                },
                1,
            )
            .replacen(
                "operation[starts_at]=2027-01-12T06:00&",
                if fields.contains("starts_at") {
                    ""
                } else {
                    "operation[starts_at]=2027-01-12T06:00&"
                },
                1,
            );
        let response = app
            .post_form_with("/api/add_operation", &body, &cookie)
            .await;
        assert_eq!(response.status, 400, "{fields}: {}", response.body);
        assert!(
            response.text().contains(expected),
            "{fields}: {}",
            response.body
        );
    }
    let kind = app
        .post_form_with(
            "/api/add_operation",
            &form(case_id, "operation[municipality]=GM0014")
                .replace("operation[kind]=search", "operation[kind]=party"),
            &cookie,
        )
        .await;
    assert_eq!(kind.status, 400);
    assert!(kind.text().contains("kind: choose"));
    assert_eq!(count(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_cases_own_coordinators_plan_or_remove_its_operations() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let existing = latest(&app).await;
    let before = count(&app).await;
    for user in [
        "coordinator-amsterdam",
        "manager",
        "ministry",
        "admin",
        "auditor",
        "reporter",
    ] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let add = app
            .call_with(
                "/api/add_operation",
                &form(case_id, "operation[municipality]=GM0014"),
                Some(&cookie),
            )
            .await;
        assert_eq!(add.status, 403, "{user}");
        let remove = app
            .call_with(
                "/api/remove_operation",
                &format!("case_id={}&operation_id={}", existing.case_id, existing.id),
                Some(&cookie),
            )
            .await;
        assert_eq!(remove.status, 403, "{user}");
    }
    assert_eq!(count(&app).await, before);

    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let own = operation::Entity::find()
        .filter(operation::Column::CaseId.eq(case_id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the demo case has an operation");
    let removed = app
        .post_form_with(
            "/api/remove_operation",
            &format!("case_id={case_id}&operation_id={}", own.id),
            &cookie,
        )
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    assert_eq!(count(&app).await, before - 1);
    assert_eq!(app.last_event().await.action, "remove_operation");
}
