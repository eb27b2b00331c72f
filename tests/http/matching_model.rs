//! The person model at the portal: an administrator estimates it from the stored persons, it
//! is stored with its date and put in force, audited; privacy officers and auditors read it;
//! with too little data nothing changes; a person overlap explains itself field by field as a
//! chart and a table.

use liaison_app::overlaps::model::Params;
use liaison_app::server::entity::{matching_model, overlap};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const STARTS: [&str; 8] = ["Hai", "Tes", "Meh", "Ahm", "Rah", "Had", "Yil", "War"];
const ENDS: [&str; 5] = ["lemariam", "fazghi", "rawi", "adzai", "oumi"];
const GIVEN: [&str; 12] = [
    "Yonas", "Dawit", "Samuel", "Ahmad", "Omar", "Ali", "Hassan", "Meron", "Selam", "Idris",
    "Faisal", "Tekle",
];

/// Person `i` of side `side` (0 or 1): forty family names and twelve given names recur, so
/// that many pairs of the two sides share a blocking key; on side 1, one person in three is
/// side 0's person again, with a typo in the family name now and then.
fn person(side: usize, i: usize) -> Value {
    let family = format!("{}{}", STARTS[i % 8], ENDS[(i / 8) % 5]);
    let given = GIVEN[(i / 3) % GIVEN.len()];
    let same = side == 1 && i.is_multiple_of(3);
    let year = 1960 + (i * 7 + side * (!same as usize) * 3) % 45;
    let family = if same && i.is_multiple_of(2) {
        format!("{family}e")
    } else {
        family
    };
    json!({
        "kind": "person",
        "given_names": given,
        "family_name": family,
        "birth_date": format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        "nationality": "ER",
    })
}

/// Loads 400 persons for each side through the API, 20 to a case.
async fn load_persons(app: &TestApp) {
    for (side, venture) in [NORTH, AMSTERDAM].into_iter().enumerate() {
        let organisation = if side == 0 { "KMar" } else { "GAMS" };
        let (token, id) = app
            .loading_client(organisation, venture, &["cases:write", "subjects:write"])
            .await;
        let mut body = String::new();
        for case in 0..20 {
            let subjects: Vec<Value> = (0..20).map(|k| person(side, case * 20 + k)).collect();
            let line = json!({"reference": format!("M{side}-{case}"), "case": {
                "title": format!("Model {side}-{case}"), "theme": "smuggling", "status": "active",
                "start": "2026-10-01", "handling": "share-on-consent", "subjects": subjects,
            }});
            body.push_str(&format!("{line}\n"));
        }
        let answer = app.api_batch(id, &token, &body).await;
        assert_eq!(
            answer.status,
            200,
            "{}",
            &answer.body[..answer.body.len().min(500)]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_estimates_the_model_from_the_stored_persons() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let auditor = app.sign_in("auditor", DEMO_PASSWORD).await;
    // The demo data alone is too little to learn from: nothing is stored, nothing changes.
    let too_little = app
        .call_with("/api/train_matching_model", "", Some(&admin))
        .await;
    assert!(too_little.status.is_success() || too_little.status.is_redirection());
    assert_eq!(
        matching_model::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(*app.matching.params(), Params::default());
    let shown = app
        .call_with("/api/matching_model", "", Some(&auditor))
        .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    let view: Value = serde_json::from_str(&shown.body).expect("json");
    assert!(view["trained"].is_null());
    assert_eq!(view["may_train"], false);
    assert_eq!(view["fields"].as_array().expect("fields").len(), 5);

    load_persons(&app).await;
    let trained = app
        .call_with("/api/train_matching_model", "", Some(&admin))
        .await;
    assert!(
        trained.status.is_success() || trained.status.is_redirection(),
        "{}",
        trained.body
    );
    let stored = matching_model::Entity::find()
        .all(&app.db)
        .await
        .expect("rows");
    // An estimate is stored and in force only when it tells persons apart (`usable`); the
    // estimation on this data does not yet (issue 19 stays open), and then nothing changes.
    match stored.as_slice() {
        [row] => {
            assert_eq!(row.trained_by, "admin");
            assert!(row.blocked_pairs >= 200, "{row:?}");
            let params: Params = serde_json::from_str(&row.params).expect("stored parameters");
            assert!(liaison_app::overlaps::training::usable(&params));
            assert_eq!(*app.matching.params(), params, "in force at once");
            let event = app.last_event().await;
            assert_eq!(event.action, "train_matching_model");
        }
        [] => {
            assert_eq!(*app.matching.params(), Params::default());
            assert_ne!(app.last_event().await.action, "train_matching_model");
        }
        more => panic!("one estimation, one row: {more:?}"),
    }

    let view: Value = serde_json::from_str(
        &app.call_with("/api/matching_model", "", Some(&admin))
            .await
            .body,
    )
    .expect("json");
    assert_eq!(view["may_train"], true);
    let page = app.get_with("/admin/matching", &admin).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<table"), "the levels as tables");
    // Coordinators and managers see nothing of it.
    for who in ["coordinator-north", "manager"] {
        let cookie = app.sign_in(who, DEMO_PASSWORD).await;
        let refused = app
            .call_with("/api/matching_model", "", Some(&cookie))
            .await;
        assert_eq!(refused.status, 403, "{who}");
    }
    let privacy = app.sign_in("privacy", DEMO_PASSWORD).await;
    let refused = app
        .call_with("/api/train_matching_model", "", Some(&privacy))
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        matching_model::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        stored.len() as u64
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_overlap_shows_each_fields_weight_as_a_chart_and_a_table() {
    let app = spawn_app().await;
    load_persons(&app).await;
    let north = app.joint_venture_id(NORTH).await;
    let found = overlap::Entity::find()
        .filter(overlap::Column::MatchKind.eq("person"))
        .filter(overlap::Column::FirstJointVentureId.eq(north))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a person overlap between the two loads");
    assert!(
        found.score >= 0.9 && found.score <= 1.0,
        "a probability: {}",
        found.score
    );
    assert!(
        found.explanation.contains("Weighed"),
        "{}",
        found.explanation
    );
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let page = app
        .get_with(&format!("/overlaps/{}", found.id), &cookie)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "the waterfall chart");
    assert!(
        page.body.contains("waterfall__table"),
        "and the same as a table"
    );
    assert!(page.body.contains("waterfall__bar--total"));
    let view: Value = serde_json::from_str(
        &app.call_with("/api/overlap", &format!("id={}", found.id), Some(&cookie))
            .await
            .body,
    )
    .expect("json");
    let fields = view["evidence"]["Weighed"]["fields"]
        .as_array()
        .expect("weighed fields");
    assert!(fields.iter().any(|f| f["reason"] == "BirthEqual"
        || f["reason"] == "BirthOneOff"
        || f["reason"] == "BirthCompatible"));
}

/// As at start-up and every nine minutes: every value 50 persons or more hold is counted ahead
/// of the saves — the nationality all 800 loaded persons share and their twelve given names
/// (some 67 each), not their forty family names (20 each).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_common_values_are_counted_ahead_of_the_saves() {
    use liaison_app::overlaps::frequencies::refresh;
    let app = spawn_app().await;
    let before = refresh(&app.db, &app.matching).await.expect("counted");
    load_persons(&app).await;
    let after = refresh(&app.db, &app.matching).await.expect("counted");
    assert!(after >= before + 12, "{before} then {after}");
    assert_eq!(
        refresh(&app.db, &app.matching).await.expect("counted"),
        after
    );
}
