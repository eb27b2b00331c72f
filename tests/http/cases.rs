//! Cases: only their joint venture's coordinators see or change them, every read and change is
//! audited, and two saves based on the same version never overwrite each other silently.

use liaison_app::server::entity::case;
use liaison_server::demo::{CASES, DEMO_PASSWORD};
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn north(app: &TestApp) -> i32 {
    app.joint_venture_id("Taskforce Mensensmokkel Noord").await
}

fn case_form(jv: i32, reference: &str, title: &str, extra: &str) -> String {
    format!(
        "case[joint_venture_id]={jv}&case[reference]={reference}&case[title]={title}&case[theme]=smuggling&case[status]=active&case[start]=2026-03-01&case[end]=&case[handling]=pointer-only&case[description]=Bus%20route{extra}"
    )
}

/// The one case a test created (the demo's cases aside).
async fn only_case(app: &TestApp) -> case::Model {
    case::Entity::find()
        .filter(case::Column::Reference.is_not_in(CASES.iter().map(|c| c.reference)))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a case")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_creates_reads_and_changes_a_case_and_each_step_is_audited() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let created = app
        .post_form_with(
            "/api/save_case",
            &case_form(jv, "tmn-2026-001", "Busroute%20Ter%20Apel", ""),
            &cookie,
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.body);
    let stored = only_case(&app).await;
    assert_eq!(
        (stored.reference.as_str(), stored.version),
        ("TMN-2026-001", 1)
    );
    assert_eq!(app.last_event().await.action, "create_case");

    let page = app
        .get_with(&format!("/cases/{}", stored.id), &cookie)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Busroute Ter Apel"));
    assert_eq!(app.last_event().await.action, "read_case");

    let list = app.get_with("/cases?q=ter&sort=title", &cookie).await;
    assert!(list.text().contains("TMN-2026-001"));
    assert_eq!(app.last_event().await.action, "list_cases");

    let changed = app
        .post_form_with(
            "/api/save_case",
            &format!(
                "id={}&version=1&{}",
                stored.id,
                case_form(jv, "TMN-2026-001", "Busroute%20Ter%20Apel%20en%20Assen", "")
            ),
            &cookie,
        )
        .await;
    assert!(changed.status.is_redirection(), "{}", changed.body);
    let stored = only_case(&app).await;
    assert_eq!(
        (stored.title.as_str(), stored.version),
        ("Busroute Ter Apel en Assen", 2)
    );
    assert_eq!(app.last_event().await.action, "update_case");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_of_two_saves_based_on_the_same_version_is_refused() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    app.post_form_with(
        "/api/save_case",
        &case_form(jv, "TMN-1", "Eerste", ""),
        &cookie,
    )
    .await;
    let id = only_case(&app).await.id;
    let save = |title: &str| format!("id={id}&version=1&{}", case_form(jv, "TMN-1", title, ""));
    let first = app
        .post_form_with("/api/save_case", &save("Versie%20A"), &cookie)
        .await;
    assert!(first.status.is_redirection());
    let second = app
        .call_with("/api/save_case", &save("Versie%20B"), Some(&cookie))
        .await;
    assert_eq!(second.status, 400, "{}", second.body);
    assert!(
        second.body.contains("Someone else saved this case"),
        "{}",
        second.body
    );
    let stored = only_case(&app).await;
    assert_eq!(
        (stored.title.as_str(), stored.version),
        ("Versie A", 2),
        "the first save stands"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_joint_ventures_coordinators_see_or_change_its_cases() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let owner = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    app.post_form_with(
        "/api/save_case",
        &case_form(jv, "TMN-9", "Geheim", ""),
        &owner,
    )
    .await;
    let id = only_case(&app).await.id;

    let other = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let read = app
        .call_with("/api/case", &format!("id={id}"), Some(&other))
        .await;
    assert_eq!(read.status, 403);
    assert!(!read.body.contains("Geheim"));
    let write = app
        .call_with(
            "/api/save_case",
            &format!(
                "id={id}&version=1&{}",
                case_form(jv, "TMN-9", "Overschreven", "")
            ),
            Some(&other),
        )
        .await;
    assert_eq!(write.status, 403);
    let list = app.call_with("/api/cases", "", Some(&other)).await;
    assert!(!list.body.contains("TMN-9"), "{}", list.body);
    let unknown = app.call_with("/api/case", "id=999999", Some(&owner)).await;
    assert_eq!(
        unknown.status, 403,
        "an unknown case is refused like another's"
    );
    for user in ["manager", "ministry", "admin", "auditor", "reporter"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        assert_eq!(
            app.call_with("/api/case", &format!("id={id}"), Some(&cookie))
                .await
                .status,
            403,
            "{user}"
        );
        assert_eq!(
            app.call_with("/api/cases", "", Some(&cookie)).await.status,
            403,
            "{user}"
        );
    }
    assert_eq!(only_case(&app).await.title, "Geheim");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_case_input_is_named_and_saves_nothing() {
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    app.post_form_with(
        "/api/save_case",
        &case_form(jv, "TMN-1", "Bestaat", ""),
        &cookie,
    )
    .await;
    let cases = [
        (case_form(jv, "TMN%201%3F", "Titel", ""), "reference:"),
        (
            case_form(jv, "TMN-1", "Titel", ""),
            "reference: is already in use",
        ),
        (case_form(jv, "TMN-2", "", ""), "title:"),
        (
            case_form(jv, "TMN-2", "Titel", "&case[end]=2026-01-01").replace("case[end]=&", ""),
            "end: must not be before",
        ),
        (
            case_form(jv, "TMN-2", "Titel", "").replace("pointer-only", "shared-with"),
            "shared_with:",
        ),
        (
            case_form(jv, "TMN-2", "Titel", "").replace("smuggling", "piracy"),
            "theme:",
        ),
    ];
    for (form, expected) in cases {
        let response = app.post_form_with("/api/save_case", &form, &cookie).await;
        assert_eq!(response.status, 400, "{form}: {}", response.body);
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    assert_eq!(
        case::Entity::find().count(&app.db).await.expect("count"),
        CASES.len() as u64 + 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_are_imported_from_csv_all_or_nothing() {
    use liaison_tests::BROWSER_ACCEPT;
    let app = spawn_app().await;
    let jv = north(&app).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = case::Entity::find().count(&app.db).await.expect("count");
    let bad = "reference;title;theme;status;start;end\n\
               TMN-IMP-1;Route A;smuggling;active;2026-01-01;\n\
               TMN-IMP-2;Route B;piracy;active;2026-01-01;\n\
               TMN-IMP-1;Route C;smuggling;planned;2026-02-01;2026-01-01\n\
               TMN-2026-014;Route D;smuggling;active;2026-01-01;\n";
    let refused = app
        .upload_to(
            "/api/import_cases",
            "joint_venture_id",
            jv,
            bad.as_bytes(),
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    let problems: serde_json::Value = serde_json::from_str(&refused.body).expect("JSON");
    let at: Vec<(u64, String)> = problems["InvalidFile"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        at,
        [
            (3, "theme".to_owned()),
            (4, "end".to_owned()),
            (5, "reference".to_owned())
        ],
        "{problems}"
    );
    assert_eq!(
        case::Entity::find().count(&app.db).await.expect("count"),
        before
    );

    let good = "reference,title,theme,status,start,end,handling,description\n\
                TMN-IMP-1,Route A,smuggling,active,2026-01-01,,,Eerste\n\
                TMN-IMP-2,Route B,trafficking,planned,2026-02-01,2026-06-30,share-on-consent,\n";
    let imported = app
        .upload_to(
            "/api/import_cases",
            "joint_venture_id",
            jv,
            good.as_bytes(),
            &cookie,
            BROWSER_ACCEPT,
        )
        .await;
    assert!(imported.status.is_redirection(), "{}", imported.body);
    assert_eq!(
        case::Entity::find().count(&app.db).await.expect("count"),
        before + 2
    );
    assert_eq!(app.last_event().await.action, "import_cases");

    let other = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let foreign = app
        .upload_to(
            "/api/import_cases",
            "joint_venture_id",
            jv,
            good.as_bytes(),
            &other,
            "application/json",
        )
        .await;
    assert_eq!(
        foreign.status, 403,
        "only the joint venture's coordinators import into it"
    );
}
