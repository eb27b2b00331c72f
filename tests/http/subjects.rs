//! Subjects of a case: added one by one, imported from CSV (all or nothing), exported, and only
//! by the case's own coordinators.

use liaison_app::server::entity::{audit_event, subject};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{BROWSER_ACCEPT, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

/// A demo case of Taskforce Mensensmokkel Noord (coordinator-north).
const NORTH_CASE: &str = "TMN-2026-014";

async fn subjects_of(app: &TestApp, case_id: i32) -> Vec<subject::Model> {
    subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case_id))
        .order_by_asc(subject::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
}

async fn count(app: &TestApp) -> u64 {
    subject::Entity::find().count(&app.db).await.expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_adds_a_person_known_by_birth_year_and_a_foreign_phone() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let before = subjects_of(&app, case_id).await.len();
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let person = app
        .post_form_with(
            "/api/add_subject",
            &format!(
                "case_id={case_id}&subject[kind]=person&subject[given_names]=Ay%C5%9Fe&subject[family_name]=%C3%87elik&subject[birth_date]=1990&subject[nationality]=TUR&subject[sex]=female"
            ),
            &cookie,
        )
        .await;
    assert!(person.status.is_redirection(), "{}", person.body);
    assert_eq!(app.last_event().await.action, "add_subject");
    let phone = app
        .post_form_with(
            "/api/add_subject",
            &format!(
                "case_id={case_id}&subject[kind]=phone&subject[value]=%2B44%2020%207946%200958"
            ),
            &cookie,
        )
        .await;
    assert!(phone.status.is_redirection(), "{}", phone.body);

    let stored = subjects_of(&app, case_id).await;
    assert_eq!(stored.len(), before + 2);
    let person = &stored[before];
    assert_eq!(person.normal, "ayse celik");
    assert_eq!(
        person.birth_date.as_deref(),
        Some("1990"),
        "year-only precision kept"
    );
    assert_eq!(person.nationality.as_deref(), Some("TR"));
    assert!(
        person.typed.contains("Çelik"),
        "what was typed is kept: {}",
        person.typed
    );
    assert_eq!(stored[before + 1].normal, "+442079460958");

    let page = app.get_with(&format!("/cases/{case_id}"), &cookie).await;
    let text = page.text();
    assert!(text.contains("Ayşe Çelik, 1990, TR"), "{text}");
    assert!(text.contains("+442079460958"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_subject_input_names_the_field_and_saves_nothing() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = count(&app).await;
    let cases = [
        (
            "subject[kind]=person&subject[given_names]=Jan",
            "family_name: fill this in",
        ),
        (
            "subject[kind]=person&subject[family_name]=Smit&subject[birth_date]=31-04-1990",
            "birth_date: this day does not exist",
        ),
        (
            "subject[kind]=person&subject[family_name]=Smit&subject[birth_date]=2090",
            "birth_date: the year must have four digits",
        ),
        (
            "subject[kind]=phone&subject[value]=12",
            "value: is not a valid phone number",
        ),
        (
            "subject[kind]=bank_account&subject[value]=NL92ABNA0417164300",
            "value: is not a valid IBAN",
        ),
        (
            "subject[kind]=vessel&subject[value]=IMO%209074728",
            "value: is not a valid IMO number",
        ),
        (
            "subject[kind]=address&subject[house_number]=1&subject[postcode]=0123AB",
            "postcode: enter a postcode",
        ),
        (
            "subject[kind]=document&subject[document_type]=passport&subject[value]=XN0123456&subject[country]=Holland",
            "country:",
        ),
        (
            "subject[kind]=phone&subject[value]=0612345678&subject[street]=Damrak",
            "street: is not used for this kind",
        ),
        ("subject[kind]=spaceship&subject[value]=x", "kind: choose"),
    ];
    for (form, expected) in cases {
        let response = app
            .post_form_with(
                "/api/add_subject",
                &format!("case_id={case_id}&{form}"),
                &cookie,
            )
            .await;
        assert_eq!(response.status, 400, "{form}: {}", response.body);
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    assert_eq!(count(&app).await, before, "nothing saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subject_is_removed_only_from_its_own_case() {
    let app = spawn_app().await;
    let north = app.case_id(NORTH_CASE).await;
    let amsterdam = app.case_id("KMA-2026-007").await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let foreign = subjects_of(&app, amsterdam).await[0].id;
    let refused = app
        .call_with(
            "/api/remove_subject",
            &format!("case_id={north}&subject_id={foreign}"),
            Some(&cookie),
        )
        .await;
    assert_eq!(
        refused.status, 400,
        "another case's subject is not in this case"
    );
    assert_eq!(subjects_of(&app, amsterdam).await[0].id, foreign);

    let own = subjects_of(&app, north).await;
    let removed = app
        .post_form_with(
            "/api/remove_subject",
            &format!("case_id={north}&subject_id={}", own[0].id),
            &cookie,
        )
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    assert_eq!(subjects_of(&app, north).await.len(), own.len() - 1);
    assert_eq!(app.last_event().await.action, "remove_subject");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_the_cases_own_coordinators_add_remove_import_or_export_subjects() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let first = subjects_of(&app, case_id).await[0].id;
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
                "/api/add_subject",
                &format!("case_id={case_id}&subject[kind]=phone&subject[value]=0612345678"),
                Some(&cookie),
            )
            .await;
        assert_eq!(add.status, 403, "{user} add");
        let remove = app
            .call_with(
                "/api/remove_subject",
                &format!("case_id={case_id}&subject_id={first}"),
                Some(&cookie),
            )
            .await;
        assert_eq!(remove.status, 403, "{user} remove");
        let import = app
            .upload(
                "/api/import_subjects",
                case_id,
                b"kind,value\nphone,0612345678\n",
                &cookie,
                "application/json",
            )
            .await;
        assert_eq!(import.status, 403, "{user} import: {}", import.body);
        let export = app
            .get_with(&format!("/api/subjects.csv?case_id={case_id}"), &cookie)
            .await;
        assert_eq!(export.status, 403, "{user} export");
        assert!(!export.body.contains("Kowalczyk"), "{user}");
    }
    let anonymous = app
        .get(&format!("/api/subjects.csv?case_id={case_id}"))
        .await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(count(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_csv_is_imported_whole_and_audited() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let before = subjects_of(&app, case_id).await.len();
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let file = "kind;given_names;family_name;birth_date;nationality;value;country\r\n\
                person;Olha;Kovalenko;1987-06;UKR;;\r\n\
                phone;;;;;'+48 512 345 678;\r\n\
                vehicle;;;;;WX 1234A;PL\r\n";
    let response = app
        .upload(
            "/api/import_subjects",
            case_id,
            file.as_bytes(),
            &cookie,
            BROWSER_ACCEPT,
        )
        .await;
    assert!(
        response.status.is_redirection(),
        "{}: {}",
        response.status,
        response.body
    );
    assert!(
        response
            .header("location")
            .is_some_and(|l| l.contains("imported=3")),
        "{:?}",
        response.header("location")
    );
    let stored = subjects_of(&app, case_id).await;
    assert_eq!(stored.len(), before + 3);
    let normals: Vec<&str> = stored[before..].iter().map(|s| s.normal.as_str()).collect();
    assert_eq!(normals, ["kovalenko olga", "+48512345678", "PL:WX1234A"]);
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.detail.as_str()),
        ("import_subjects", "3 subjects")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_csv_with_one_bad_line_saves_nothing_and_says_where() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = count(&app).await;
    let events = audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    let file = b"kind,family_name,value\nperson,Smit,\nphone,,06 1234\nemail,,a@example.org\nperson,=cmd|' /C calc'!A0,\n";
    let called = app
        .upload(
            "/api/import_subjects",
            case_id,
            file,
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(called.status, 400, "{}", called.body);
    let problems: serde_json::Value = serde_json::from_str(&called.body).expect("JSON");
    let problems = problems["InvalidFile"]
        .as_array()
        .expect("a list of problems");
    let at: Vec<(u64, &str)> = problems
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap_or(0),
                p["column"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(at, [(3, "value"), (5, "family_name")], "{problems:?}");

    // Without JavaScript the same upload answers with a readable page listing the problems.
    let page = app
        .upload(
            "/api/import_subjects",
            case_id,
            file,
            &cookie,
            BROWSER_ACCEPT,
        )
        .await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("line 3, column value"), "{}", page.body);
    assert!(page.body.contains("formula"), "{}", page.body);

    assert_eq!(count(&app).await, before, "nothing of the file was saved");
    assert_eq!(
        audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        events,
        "a refused import changes nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_too_large_or_not_utf8_are_refused_whole() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = count(&app).await;
    let mut huge = b"kind,value\n".to_vec();
    while huge.len() <= liaison_app::server::csv_file::MAX_IMPORT_BYTES {
        huge.extend_from_slice(b"phone,06 12345678\n");
    }
    let refused = app
        .upload(
            "/api/import_subjects",
            case_id,
            &huge,
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("larger than 5 MB"),
        "{}",
        refused.body
    );

    let latin1 = b"kind,family_name\nperson,Smit\nperson,M\xfcller\n";
    let refused = app
        .upload(
            "/api/import_subjects",
            case_id,
            latin1,
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body.contains("UTF-8") && refused.body.contains("\"line\":3"),
        "{}",
        refused.body
    );

    let empty = app
        .upload(
            "/api/import_subjects",
            case_id,
            b"",
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("file"), "{}", empty.body);
    assert_eq!(count(&app).await, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_is_safe_csv_that_imports_again_to_the_same_subjects() {
    let app = spawn_app().await;
    let source = app.case_id("KMA-2026-007").await;
    let target = app.case_id("KMA-2025-031").await;
    let cookie = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let added = app
        .post_form_with(
            "/api/add_subject",
            &format!("case_id={source}&subject[kind]=company&subject[name]=%3DHYPERLINK(%22http%3A%2F%2Fx%22)"),
            &cookie,
        )
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);

    let export = app
        .get_with(&format!("/api/subjects.csv?case_id={source}"), &cookie)
        .await;
    assert_eq!(export.status, 200, "{}", export.body);
    assert_eq!(
        export.header("location"),
        None,
        "a download is not a redirect"
    );
    assert!(
        export
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    assert!(
        export
            .header("content-disposition")
            .is_some_and(|d| d.contains("attachment") && d.contains("KMA-2026-007")),
        "{:?}",
        export.header("content-disposition")
    );
    assert!(
        export.body.starts_with("kind,given_names,family_name"),
        "{}",
        export.body
    );
    assert!(
        export.body.contains("'=HYPERLINK"),
        "a formula is made inert: {}",
        export.body
    );
    assert!(!export.body.contains(",=HYPERLINK"));
    assert_eq!(app.last_event().await.action, "export_subjects");

    let before = subjects_of(&app, target).await.len();
    let imported = app
        .upload(
            "/api/import_subjects",
            target,
            export.body.as_bytes(),
            &cookie,
            BROWSER_ACCEPT,
        )
        .await;
    assert!(imported.status.is_redirection(), "{}", imported.body);
    let normals = |subjects: Vec<subject::Model>| {
        subjects
            .into_iter()
            .map(|s| (s.kind, s.normal, s.summary))
            .collect::<Vec<_>>()
    };
    let original = normals(subjects_of(&app, source).await);
    let copied = normals(subjects_of(&app, target).await.split_off(before));
    assert_eq!(copied, original);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_template_lists_every_kind_and_imports_as_it_is() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let template = app.get_with("/api/subjects-template.csv", &cookie).await;
    assert_eq!(
        template.status, 200,
        "{:?} {}",
        template.headers, template.body
    );
    for kind in liaison_app::domain::SubjectKind::ALL {
        assert!(
            template.body.contains(&format!("\n{},", kind.as_str())),
            "{kind}"
        );
    }
    let imported = app
        .upload(
            "/api/import_subjects",
            case_id,
            template.body.as_bytes(),
            &cookie,
            "application/json",
        )
        .await;
    assert_eq!(imported.status, 200, "{}", imported.body);
    assert_eq!(
        imported.body,
        liaison_app::domain::SubjectKind::ALL.len().to_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_with_many_subjects_shows_them_fifty_at_a_time() {
    let app = spawn_app().await;
    let case_id = app.case_id(NORTH_CASE).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let before = subjects_of(&app, case_id).await.len();
    let mut file = String::from("kind,value\n");
    for i in 0..100 {
        file.push_str(&format!("email,bulk{i:03}@example.org\n"));
    }
    let imported = app
        .upload(
            "/api/import_subjects",
            case_id,
            file.as_bytes(),
            &cookie,
            BROWSER_ACCEPT,
        )
        .await;
    assert!(imported.status.is_redirection(), "{}", imported.body);
    let total = before + 100;
    let pages = total.div_ceil(50);
    let last = app
        .get_with(&format!("/cases/{case_id}?subjects={pages}"), &cookie)
        .await
        .text();
    assert!(
        last.contains("bulk099@example.org"),
        "the last subject is on the last page"
    );
    assert!(!last.contains("bulk000@example.org"));
    assert!(last.contains(&format!("{pages} / {pages}")), "{last}");
    let first = app
        .get_with(&format!("/cases/{case_id}"), &cookie)
        .await
        .text();
    assert!(!first.contains("bulk099@example.org"));
    assert!(first.contains(&total.to_string()));
}
