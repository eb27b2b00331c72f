//! Issue 20: cases through the REST API. A `PUT` by reference creates or updates a case with
//! its subjects and operations, all or nothing and idempotently; need-to-know and scopes hold
//! as for a coordinator; bad input is a problem naming the field, and changes nothing; the
//! overlaps an API load raises are those a CSV import raises.

use liaison_app::server::entity::{case, overlap, subject};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const ALL: &[&str] = &[
    "cases:read",
    "cases:write",
    "subjects:write",
    "operations:write",
    "overlaps:read",
];

fn document(subjects: Value) -> String {
    json!({
        "title": "Route via Hoek van Holland",
        "theme": "smuggling",
        "status": "active",
        "start": "2026-11-02",
        "handling": "share-on-consent",
        "subjects": subjects,
    })
    .to_string()
}

fn persons() -> Value {
    json!([
        {"kind": "person", "given_names": "Yonas", "family_name": "Tesfay", "birth_date": "1991-04-12", "nationality": "ERI"},
        {"kind": "phone", "value": "+31 6 12345678"},
    ])
}

async fn cases_path(app: &TestApp, joint_venture: &str, reference: &str) -> String {
    let id = app.joint_venture_id(joint_venture).await;
    format!("/api/v1/joint-ventures/{id}/cases/{reference}")
}

async fn case_count(app: &TestApp) -> u64 {
    case::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_put_creates_the_case_the_same_put_changes_nothing_and_a_change_updates_it() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], ALL).await;
    let path = cases_path(&app, NORTH, "tmn-api-1").await;
    let created = app
        .api("PUT", &path, Some(&token), Some(&document(persons())), &[])
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.header("etag"), Some("\"1\""));
    assert!(
        created
            .header("location")
            .unwrap()
            .ends_with("/cases/TMN-API-1")
    );
    let body = created.json();
    assert_eq!(body["result"], "created");
    assert_eq!(body["case"]["reference"], "TMN-API-1");
    assert_eq!(body["case"]["subjects"].as_array().unwrap().len(), 2);
    let stored = case::Entity::find()
        .filter(case::Column::Reference.eq("TMN-API-1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // The client's own account made it, and the audit trail says so.
    let account = app.last_event_of("create_case").await;
    assert!(
        account.actor_name.starts_with("api:kmar-system"),
        "{}",
        account.actor_name
    );
    let events = app.last_event().await.id;

    let again = app
        .api("PUT", &path, Some(&token), Some(&document(persons())), &[])
        .await;
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(again.json()["result"], "unchanged");
    assert_eq!(again.header("etag"), Some("\"1\""));
    // Only the call itself was audited: nothing was written.
    let latest = app.last_event().await;
    assert_eq!(
        (latest.id, latest.action.as_str()),
        (events + 1, "api_call")
    );

    // One subject replaced, the title changed: version 2, the phone kept as it was.
    let phone_id = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(stored.id))
        .filter(subject::Column::Kind.eq("phone"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id;
    let mut changed: Value = serde_json::from_str(&document(json!([
        {"kind": "phone", "value": "+31 6 12345678"},
        {"kind": "vehicle", "value": "12-ABC-3", "country": "NL"},
    ])))
    .unwrap();
    changed["title"] = json!("Route via Hoek van Holland (2)");
    let updated = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&changed.to_string()),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(updated.status, 200, "{}", updated.body);
    let body = updated.json();
    assert_eq!(
        (body["result"].as_str(), body["case"]["version"].as_i64()),
        (Some("updated"), Some(2))
    );
    let kinds: Vec<&str> = body["case"]["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subject"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["phone", "vehicle"]);
    assert_eq!(
        body["case"]["subjects"][0]["id"].as_i64(),
        Some(i64::from(phone_id))
    );
    assert_eq!(
        app.last_event_of("put_case_items").await.detail,
        "subjects +1 -1, operations +0 -0"
    );

    let read = app.api("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.header("etag"), Some("\"2\""));
    assert_eq!(read.json()["title"], "Route via Hoek van Holland (2)");
    let list = app
        .api(
            "GET",
            &format!(
                "{}?limit=1",
                path.trim_end_matches("/TMN-API-1")
                    .trim_end_matches("/tmn-api-1")
            ),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(list.json()["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preconditions_and_conflicts_write_nothing() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], ALL).await;
    let path = cases_path(&app, NORTH, "TMN-API-2").await;
    let body = document(persons());
    let missing = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&body),
            &[("if-match", "\"1\"")],
        )
        .await;
    assert_eq!(missing.status, 412, "{}", missing.body);
    assert_eq!(
        app.api(
            "PUT",
            &path,
            Some(&token),
            Some(&body),
            &[("if-none-match", "*")]
        )
        .await
        .status,
        201
    );
    let exists = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&body),
            &[("if-none-match", "*")],
        )
        .await;
    assert_eq!(exists.status, 412);
    let mut changed: Value = serde_json::from_str(&body).unwrap();
    changed["status"] = json!("suspended");
    let stale = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&changed.to_string()),
            &[("if-match", "\"7\"")],
        )
        .await;
    assert_eq!(stale.status, 412);
    assert!(
        stale.json()["detail"].as_str().unwrap().contains("\"1\""),
        "{}",
        stale.body
    );
    let garbled = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&changed.to_string()),
            &[("if-match", "yesterday")],
        )
        .await;
    assert_eq!(garbled.status, 422);
    assert_eq!(garbled.json()["errors"][0]["pointer"], "/If-Match");
    // A reference another joint venture's case has is not taken over.
    let amsterdam_case = case::Entity::find()
        .filter(case::Column::JointVentureId.eq(app.joint_venture_id(AMSTERDAM).await))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let theirs = cases_path(&app, NORTH, &amsterdam_case.reference).await;
    let taken = app
        .api("PUT", &theirs, Some(&token), Some(&body), &[])
        .await;
    assert_eq!(taken.status, 409, "{}", taken.body);
    let after = case::Entity::find_by_id(amsterdam_case.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(after, amsterdam_case);
    let read = app.api("GET", &path, Some(&token), None, &[]).await;
    assert_eq!(
        (
            read.json()["status"].as_str(),
            read.json()["version"].as_i64()
        ),
        (Some("active"), Some(1))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_reaches_only_its_joint_ventures_within_its_scopes() {
    let app = spawn_app().await;
    let reader = app.api_client("KMar", &[NORTH], &["cases:read"]).await;
    let cases_only = app.api_client("KMar", &[NORTH], &["cases:write"]).await;
    let amsterdam = app.api_client("GAMS", &[AMSTERDAM], ALL).await;
    let path = cases_path(&app, NORTH, "TMN-API-3").await;
    let before = case_count(&app).await;
    let no_scope = app
        .api("PUT", &path, Some(&reader), Some(&document(persons())), &[])
        .await;
    assert_eq!(no_scope.status, 403);
    assert!(no_scope.body.contains("cases:write"), "{}", no_scope.body);
    let no_subjects = app
        .api(
            "PUT",
            &path,
            Some(&cases_only),
            Some(&document(persons())),
            &[],
        )
        .await;
    assert_eq!(no_subjects.status, 403);
    assert!(
        no_subjects.body.contains("subjects:write"),
        "{}",
        no_subjects.body
    );
    // Another joint venture's client: not there, reading or writing, whatever the scopes.
    let put = app
        .api(
            "PUT",
            &path,
            Some(&amsterdam),
            Some(&document(persons())),
            &[],
        )
        .await;
    assert_eq!(put.status, 404, "{}", put.body);
    assert_eq!(case_count(&app).await, before, "nothing was saved");
    let north_case = case::Entity::find()
        .filter(case::Column::JointVentureId.eq(app.joint_venture_id(NORTH).await))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let north_id = app.joint_venture_id(NORTH).await;
    let amsterdam_id = app.joint_venture_id(AMSTERDAM).await;
    for path in [
        format!(
            "/api/v1/joint-ventures/{north_id}/cases/{}",
            north_case.reference
        ),
        format!(
            "/api/v1/joint-ventures/{amsterdam_id}/cases/{}",
            north_case.reference
        ),
        format!("/api/v1/joint-ventures/{north_id}/cases"),
        "/api/v1/joint-ventures/x/cases".to_owned(),
        "/api/v1/joint-ventures/999999/cases/X".to_owned(),
        "/api/v1/nothing-here".to_owned(),
    ] {
        let read = app.api("GET", &path, Some(&amsterdam), None, &[]).await;
        assert_eq!(read.status, 404, "{path}: {}", read.body);
        assert_eq!(
            read.header("content-type"),
            Some("application/problem+json")
        );
    }
    let close = app
        .api(
            "DELETE",
            &format!(
                "/api/v1/joint-ventures/{north_id}/cases/{}?reason=x",
                north_case.reference
            ),
            Some(&amsterdam),
            None,
            &[],
        )
        .await;
    assert_eq!(close.status, 404);
    let own = app
        .api(
            "GET",
            &format!(
                "/api/v1/joint-ventures/{north_id}/cases/{}",
                north_case.reference
            ),
            Some(&reader),
            None,
            &[],
        )
        .await;
    assert_eq!(own.status, 200, "{}", own.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_problems_naming_the_field_and_nothing_is_half_saved() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], ALL).await;
    let path = cases_path(&app, NORTH, "TMN-API-4").await;
    let before = (
        case_count(&app).await,
        subject::Entity::find().count(&app.db).await.unwrap(),
    );
    let bad_third = document(json!([
        {"kind": "phone", "value": "+31 6 12345678"},
        {"kind": "person", "given_names": "Yonas", "family_name": "Tesfay", "birth_date": "1991-04-12"},
        {"kind": "person", "given_names": "Amal", "family_name": "Haddad", "birth_date": "1991-13-45"},
    ]));
    let mut unknown: Value = serde_json::from_str(&document(persons())).unwrap();
    unknown["titel"] = json!("typo");
    let mut bad_theme: Value = serde_json::from_str(&document(persons())).unwrap();
    bad_theme["theme"] = json!("fraud");
    let mut bad_start: Value = serde_json::from_str(&document(persons())).unwrap();
    bad_start["start"] = json!("02-11-2026");
    let mut twice: Value = serde_json::from_str(&document(persons())).unwrap();
    twice["subjects"] =
        json!([{"kind": "phone", "value": "0612345678"}, {"kind": "phone", "value": "0612345678"}]);
    let huge = document(
        json!([{"kind": "person", "given_names": "x".repeat(3 * 1024 * 1024), "family_name": "y"}]),
    );
    for (body, content_type, status, pointer) in [
        (
            bad_third,
            "application/json",
            422,
            Some("/subjects/2/birth_date"),
        ),
        (unknown.to_string(), "application/json", 422, Some("/titel")),
        (
            bad_theme.to_string(),
            "application/json",
            422,
            Some("/theme"),
        ),
        (
            bad_start.to_string(),
            "application/json",
            422,
            Some("/start"),
        ),
        (
            twice.to_string(),
            "application/json",
            422,
            Some("/subjects/1"),
        ),
        ("{\"title\": ".to_owned(), "application/json", 400, None),
        ("[]".to_owned(), "application/json", 422, Some("")),
        (document(persons()), "text/plain", 415, None),
        (huge, "application/json", 413, None),
    ] {
        let answer = app
            .api(
                "PUT",
                &path,
                Some(&token),
                Some(&body),
                &[("content-type", content_type)],
            )
            .await;
        assert_eq!(answer.status, status, "{}", answer.body);
        assert_eq!(
            answer.header("content-type"),
            Some("application/problem+json")
        );
        let problem = answer.json();
        assert_eq!(problem["status"].as_u64(), Some(u64::from(status)));
        assert!(
            problem["title"].is_string()
                && problem["type"]
                    .as_str()
                    .unwrap()
                    .starts_with("/help/api#problem-")
        );
        if let Some(pointer) = pointer {
            assert_eq!(problem["errors"][0]["pointer"], pointer, "{}", answer.body);
        }
    }
    let after = (
        case_count(&app).await,
        subject::Entity::find().count(&app.db).await.unwrap(),
    );
    assert_eq!(after, before, "nothing of a refused case was saved");
    // Dutch when the client asks for it.
    let dutch = app
        .api(
            "PUT",
            &path,
            Some(&token),
            Some(&document(json!([{"kind": "phone", "value": "hallo"}]))),
            &[("accept-language", "nl")],
        )
        .await;
    assert_eq!(dutch.status, 422);
    assert_eq!(dutch.json()["title"], "Niet alle velden zijn juist");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_closed_with_a_reason_once() {
    let app = spawn_app().await;
    let token = app.api_client("KMar", &[NORTH], ALL).await;
    let path = cases_path(&app, NORTH, "TMN-API-5").await;
    assert_eq!(
        app.api("PUT", &path, Some(&token), Some(&document(persons())), &[])
            .await
            .status,
        201
    );
    let no_reason = app.api("DELETE", &path, Some(&token), None, &[]).await;
    assert_eq!(no_reason.status, 422, "{}", no_reason.body);
    let closed = app
        .api(
            "DELETE",
            &format!("{path}?reason=merged%20into%20TMN-2026-014"),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    assert_eq!(closed.json()["case"]["status"], "closed");
    assert_eq!(
        app.last_event_of("close_case").await.detail,
        "merged into TMN-2026-014"
    );
    let again = app
        .api(
            "DELETE",
            &format!("{path}?reason=again"),
            Some(&token),
            None,
            &[],
        )
        .await;
    assert_eq!(again.json()["result"], "unchanged");
}

/// The same persons loaded through the API and imported as CSV files by the coordinators.
const NORTH_CSV: &str = "kind,given_names,family_name,birth_date,nationality,value\n\
    person,Yonas,Tesfay,1991-04-12,ERI,\n\
    person,Mohammed,El Amrani,1988-02-03,MAR,\n\
    phone,,,,,+31 6 12345678\n\
    person,Abdulrahman,Karimi,1979-11-30,AFG,\n";
const AMSTERDAM_CSV: &str = "kind,given_names,family_name,birth_date,nationality,value\n\
    person,Yonas,Tesfaye,1991-04-12,ERI,\n\
    person,Muhammad,El-Amrani,1988-02-03,MAR,\n\
    phone,,,,,0612345678\n\
    person,Fatima,Zahra,1990-01-01,SOM,\n";

fn subjects_of(csv: &str) -> Value {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    Value::Array(
        lines
            .map(|line| {
                let mut subject = serde_json::Map::new();
                for (column, cell) in header.iter().zip(line.split(',')) {
                    if !cell.is_empty() {
                        subject.insert((*column).to_owned(), json!(cell));
                    }
                }
                Value::Object(subject)
            })
            .collect(),
    )
}

/// The overlaps between the two test cases: (kind, score) sorted.
async fn overlaps_between(app: &TestApp, first: &str, second: &str) -> Vec<(String, String)> {
    let (a, b) = (id_of(app, first).await, id_of(app, second).await);
    let mut found: Vec<(String, String)> = overlap::Entity::find()
        .filter(overlap::Column::FirstCaseId.is_in([a, b]))
        .filter(overlap::Column::SecondCaseId.is_in([a, b]))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|o| (o.match_kind, format!("{:.3}", o.score)))
        .collect();
    found.sort();
    found
}

async fn id_of(app: &TestApp, reference: &str) -> i32 {
    case::Entity::find()
        .filter(case::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_load_raises_the_overlaps_a_csv_import_raises_and_shows_them_as_pointers() {
    let through_api = spawn_app().await;
    let north = through_api.api_client("KMar", &[NORTH], ALL).await;
    let amsterdam = through_api.api_client("GAMS", &[AMSTERDAM], ALL).await;
    let mut north_doc: Value = serde_json::from_str(&document(subjects_of(NORTH_CSV))).unwrap();
    north_doc["title"] = json!("North's own title");
    let put = through_api
        .api(
            "PUT",
            &cases_path(&through_api, NORTH, "TMN-PAR-1").await,
            Some(&north),
            Some(&north_doc.to_string()),
            &[],
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.body);
    let put = through_api
        .api(
            "PUT",
            &cases_path(&through_api, AMSTERDAM, "KMA-PAR-1").await,
            Some(&amsterdam),
            Some(&document(subjects_of(AMSTERDAM_CSV))),
            &[],
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.body);

    let through_csv = spawn_app().await;
    let north_empty = through_csv.api_client("KMar", &[NORTH], ALL).await;
    let amsterdam_empty = through_csv.api_client("GAMS", &[AMSTERDAM], ALL).await;
    for (jv, reference, token, user, csv) in [
        (
            NORTH,
            "TMN-PAR-1",
            &north_empty,
            "coordinator-north",
            NORTH_CSV,
        ),
        (
            AMSTERDAM,
            "KMA-PAR-1",
            &amsterdam_empty,
            "coordinator-amsterdam",
            AMSTERDAM_CSV,
        ),
    ] {
        let put = through_csv
            .api(
                "PUT",
                &cases_path(&through_csv, jv, reference).await,
                Some(token),
                Some(&document(json!([]))),
                &[],
            )
            .await;
        assert_eq!(put.status, 201, "{}", put.body);
        let cookie = through_csv.sign_in(user, DEMO_PASSWORD).await;
        let imported = through_csv
            .upload(
                "/api/import_subjects",
                id_of(&through_csv, reference).await,
                csv.as_bytes(),
                &cookie,
                "application/json",
            )
            .await;
        assert_eq!(imported.status, 200, "{}", imported.body);
    }
    let by_api = overlaps_between(&through_api, "TMN-PAR-1", "KMA-PAR-1").await;
    let by_csv = overlaps_between(&through_csv, "TMN-PAR-1", "KMA-PAR-1").await;
    assert!(
        by_api.len() >= 3,
        "the persons and the phone overlap: {by_api:?}"
    );
    assert_eq!(by_api, by_csv);

    // Each side's client reads the overlaps on the pointer basis.
    let list = through_api
        .api("GET", "/api/v1/overlaps", Some(&north), None, &[])
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    let items = list.json()["items"].as_array().unwrap().clone();
    let ours: Vec<&Value> = items
        .iter()
        .filter(|o| o["my_case"]["reference"] == "TMN-PAR-1")
        .collect();
    assert_eq!(ours.len(), by_api.len());
    let id = ours[0]["id"].as_i64().unwrap();
    let one = through_api
        .api(
            "GET",
            &format!("/api/v1/overlaps/{id}"),
            Some(&north),
            None,
            &[],
        )
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let view = one.json();
    assert_eq!(view["mine"]["case"]["reference"], "TMN-PAR-1");
    assert!(
        view["theirs"]["case"].is_null() && view["theirs"]["item"].is_null(),
        "the pointer only: {view}"
    );
    assert_eq!(view["theirs"]["joint_venture"]["name"], AMSTERDAM);
    let theirs = through_api
        .api(
            "GET",
            &format!("/api/v1/overlaps/{id}"),
            Some(&amsterdam),
            None,
            &[],
        )
        .await;
    assert_eq!(theirs.status, 200);
    assert!(
        !theirs.body.contains("North's own title"),
        "{}",
        theirs.body
    );
    // A client of neither side, or without the scope, does not see it.
    let rotterdam = through_api
        .api_client(
            "GRTM",
            &["Programma Arbeidsuitbuiting Rotterdam-Rijnmond"],
            ALL,
        )
        .await;
    assert_eq!(
        through_api
            .api(
                "GET",
                &format!("/api/v1/overlaps/{id}"),
                Some(&rotterdam),
                None,
                &[]
            )
            .await
            .status,
        404
    );
    let reader = through_api
        .api_client("KMar", &[NORTH], &["cases:read"])
        .await;
    assert_eq!(
        through_api
            .api(
                "GET",
                &format!("/api/v1/overlaps/{id}"),
                Some(&reader),
                None,
                &[]
            )
            .await
            .status,
        403
    );
    assert_eq!(
        through_api
            .api("GET", "/api/v1/overlaps/abc", Some(&north), None, &[])
            .await
            .status,
        404
    );
    assert_eq!(
        through_api
            .api(
                "GET",
                "/api/v1/overlaps?state=nonsense",
                Some(&north),
                None,
                &[]
            )
            .await
            .status,
        422
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_and_its_reference_page_describe_every_operation() {
    let app = spawn_app().await;
    let document = app
        .api("GET", "/api/v1/openapi.json", None, None, &[])
        .await;
    assert_eq!(document.status, 200);
    let doc = document.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/joint-ventures/{joint_venture_id}/cases/{reference}"));
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
    let page = app.get("/help/api").await;
    assert_eq!(page.status, 200);
    let text = page.text();
    for expected in [
        "PUT /api/v1/joint-ventures/{joint_venture_id}/cases/{reference}",
        "curl -sS -X PUT",
        "CaseDocument",
        "/help/api#problem-invalid",
    ] {
        assert!(text.contains(expected), "{expected}");
    }
}
