//! Issue 20: batches. An agency loads many cases in one NDJSON request: each line answered,
//! all or nothing, a replay changes nothing.

use liaison_app::server::entity::{case, overlap, subject};
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const WRITE: &[&str] = &["cases:write", "subjects:write"];

fn line(reference: &str, subjects: Value) -> String {
    json!({
        "reference": reference,
        "case": {
            "title": format!("Batch case {reference}"),
            "theme": "smuggling",
            "status": "active",
            "start": "2026-10-01",
            "handling": "pointer-only",
            "subjects": subjects,
        }
    })
    .to_string()
}

fn person(given: &str, family: &str, born: &str) -> Value {
    json!({"kind": "person", "given_names": given, "family_name": family, "birth_date": born, "nationality": "ERI"})
}

async fn post(
    app: &TestApp,
    joint_venture: &str,
    token: &str,
    body: &str,
) -> liaison_tests::TestResponse {
    let id = app.joint_venture_id(joint_venture).await;
    app.api_batch(id, token, body).await
}

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    (
        case::Entity::find().count(&app.db).await.unwrap(),
        subject::Entity::find().count(&app.db).await.unwrap(),
        overlap::Entity::find().count(&app.db).await.unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_answers_each_line_and_its_replay_changes_nothing() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], WRITE).await;
    let body = [
        line("TMN-B-1", json!([person("Yonas", "Tesfay", "1991-04-12")])),
        line(
            "TMN-B-2",
            json!([{"kind": "phone", "value": "+31 6 11112222"}]),
        ),
        String::new(),
        line("TMN-B-3", json!([])),
    ]
    .join("\n");
    let before = counts(&app).await;
    let answer = post(&app, NORTH, &token, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = answer
        .body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(
            (l["line"].as_u64(), l["result"].as_str()),
            (Some(i as u64 + 1), Some("created"))
        );
    }
    assert_eq!(lines[1]["reference"], "TMN-B-2");
    let after = counts(&app).await;
    assert_eq!((after.0 - before.0, after.1 - before.1), (3, 2));
    let replay = post(&app, NORTH, &token, &body).await;
    assert_eq!(replay.status, 200);
    assert!(
        replay.body.lines().all(|l| l.contains("\"unchanged\"")),
        "{}",
        replay.body
    );
    assert_eq!(counts(&app).await, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_bad_line_and_nothing_of_the_batch_is_saved() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], WRITE).await;
    let before = counts(&app).await;
    let good = line("TMN-B-4", json!([person("Amal", "Haddad", "1985-02-01")]));
    let amsterdam_case = case::Entity::find()
        .filter(case::Column::JointVentureId.eq(app.joint_venture_id(AMSTERDAM).await))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    for (body, status, pointers) in [
        (
            format!(
                "{good}\n{}",
                line("TMN-B-5", json!([person("Yonas", "Tesfay", "1991-13-40")]))
            ),
            422,
            vec!["/1/case/subjects/0/birth_date"],
        ),
        (
            format!("{good}\n{{not json\n{good}"),
            422,
            vec!["/1", "/2/reference"],
        ),
        (
            format!("{good}\n{}", line("", json!([]))),
            422,
            vec!["/1/reference"],
        ),
        (
            format!(
                "{}\n{good}",
                json!({"reference": "X", "case": {"title": "t"}})
            ),
            422,
            vec!["/0/case"],
        ),
        // Another joint venture's reference, after a good line: the good line is not kept.
        (
            format!("{good}\n{}", line(&amsterdam_case.reference, json!([]))),
            409,
            vec![],
        ),
    ] {
        let answer = post(&app, NORTH, &token, &body).await;
        assert_eq!(answer.status, status, "{}", answer.body);
        assert_eq!(
            answer.header("content-type"),
            Some("application/problem+json")
        );
        let problem = answer.json();
        let found: Vec<&str> = problem["errors"]
            .as_array()
            .map(|e| e.iter().map(|e| e["pointer"].as_str().unwrap()).collect())
            .unwrap_or_default();
        for pointer in pointers {
            assert!(
                found.iter().any(|f| f.starts_with(pointer)),
                "{pointer} in {found:?}"
            );
        }
        assert_eq!(counts(&app).await, before, "nothing of {body} was saved");
    }
    let unchanged = case::Entity::find_by_id(amsterdam_case.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(unchanged, amsterdam_case);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_keeps_to_the_clients_joint_ventures_scopes_and_limits() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], WRITE).await;
    let cases_only = app.api_client("KMar", &[NORTH], &["cases:write"]).await;
    let body = line("TMN-B-6", json!([person("Yonas", "Tesfay", "1991-04-12")]));
    assert_eq!(post(&app, AMSTERDAM, &token, &body).await.status, 404);
    assert_eq!(post(&app, NORTH, &cases_only, &body).await.status, 403);
    let id = app.joint_venture_id(NORTH).await;
    let as_json = app
        .api(
            "POST",
            &format!("/api/v1/joint-ventures/{id}/case-batches"),
            Some(&token),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(as_json.status, 415);
    let too_many = (0..10_001)
        .map(|i| format!("{{\"reference\": \"T-{i}\"}}"))
        .collect::<Vec<_>>()
        .join("\n");
    let refused = post(&app, NORTH, &token, &too_many).await;
    assert!(
        [413, 422].contains(&refused.status.as_u16()),
        "{}",
        refused.status
    );
    // Ten thousand bad lines: the problem lists the first hundred and counts them all.
    let all_bad = (0..10_000)
        .map(|_| "{}".to_owned())
        .collect::<Vec<_>>()
        .join("\n");
    let listed = post(&app, NORTH, &token, &all_bad).await;
    assert_eq!(listed.status, 422);
    let problem = listed.json();
    assert_eq!(problem["errors"].as_array().unwrap().len(), 100);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .ends_with("(10000 in all)"),
        "{}",
        problem["detail"]
    );
    assert!(listed.body.len() < 64 * 1024, "{} bytes", listed.body.len());
    assert!(
        case::Entity::find()
            .filter(case::Column::Reference.starts_with("TMN-B-"))
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
}

/// The overlaps a batch raises are told once to each active coordinator of both sides, and
/// to no one else: not a coordinator who left, not a manager, not the clients' own accounts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overlaps_a_batch_raises_are_told_to_the_active_coordinators_of_both_sides() {
    use liaison_app::server::entity::{notification, user_account};
    let app = spawn_app().await;
    user_account::Entity::update_many()
        .col_expr(
            user_account::Column::Active,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(user_account::Column::Id.eq(app.user_id("coordinator-north2").await))
        .exec(&app.db)
        .await
        .unwrap();
    let north = app.api_client("KMar", &[NORTH], WRITE).await;
    let amsterdam = app.api_client("GAMS", &[AMSTERDAM], WRITE).await;
    let shared = json!([
        {"kind": "phone", "value": "+31 6 55501234"},
        {"kind": "vehicle", "value": "XT-512-K", "country": "NL"},
    ]);
    let first = post(&app, NORTH, &north, &line("TMN-B-20", shared.clone())).await;
    assert_eq!(first.status, 200, "{}", first.body);
    let second = post(&app, AMSTERDAM, &amsterdam, &line("GAMS-B-20", shared)).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let theirs = app.case_id("GAMS-B-20").await;
    let raised = overlap::Entity::find()
        .filter(overlap::Column::SecondCaseId.eq(theirs))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(raised.len(), 2, "the phone and the vehicle");
    let expected = std::collections::BTreeSet::from([
        app.user_id("coordinator-north").await,
        app.user_id("coordinator-amsterdam").await,
    ]);
    for o in raised {
        let told: Vec<i32> = notification::Entity::find()
            .filter(notification::Column::OverlapId.eq(o.id))
            .filter(notification::Column::Kind.eq("new_overlap"))
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .map(|n| n.user_id)
            .collect();
        assert_eq!(told.len(), expected.len(), "once each: {told:?}");
        assert_eq!(
            told.into_iter().collect::<std::collections::BTreeSet<_>>(),
            expected
        );
    }
}
