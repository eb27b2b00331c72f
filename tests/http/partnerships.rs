//! The partnership map, joint venture pages and the mandate-overlap flag, on crafted data.

use liaison_app::server::entity::{
    joint_venture, joint_venture_region, joint_venture_theme, mandate_overlap_review, membership,
    oversight,
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// A joint venture stored directly, as crafted test data.
async fn venture(
    app: &TestApp,
    name: &str,
    themes: &[&str],
    regions: &[&str],
    members: &[&str],
) -> i32 {
    let saved = joint_venture::ActiveModel {
        name: Set(name.to_owned()),
        mandate: Set("Testmandaat".to_owned()),
        legal_basis: Set("Testgrondslag".to_owned()),
        start_date: Set(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")),
        end_date: Set(None),
        status: Set("active".to_owned()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("joint venture");
    for theme in themes {
        joint_venture_theme::ActiveModel {
            joint_venture_id: Set(saved.id),
            theme: Set((*theme).to_owned()),
        }
        .insert(&app.db)
        .await
        .expect("theme");
    }
    for region in regions {
        joint_venture_region::ActiveModel {
            joint_venture_id: Set(saved.id),
            region_code: Set((*region).to_owned()),
        }
        .insert(&app.db)
        .await
        .expect("region");
    }
    for member in members {
        membership::ActiveModel {
            joint_venture_id: Set(saved.id),
            organisation_id: Set(app.organisation_id(member).await),
            role: Set("member".to_owned()),
            since: Set(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("date")),
            until: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("membership");
    }
    saved.id
}

fn flagged(map: &serde_json::Value, a: i32, b: i32) -> bool {
    let (first, second) = (a.min(b), a.max(b));
    map["overlaps"]
        .as_array()
        .expect("overlaps")
        .iter()
        .any(|o| o["first"]["id"] == first && o["second"]["id"] == second)
}

async fn map_json(app: &TestApp, cookie: &str, form: &str) -> serde_json::Value {
    let response = app
        .call_with("/api/partnership_map", form, Some(cookie))
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mandate_overlap_rule_holds_on_crafted_joint_ventures() {
    let app = spawn_app().await;
    let cookie = app.sign_in("manager", DEMO_PASSWORD).await;
    // Overlap: shared theme, Noord-Holland covers Amsterdam, two shared members.
    let a = venture(
        &app,
        "Test A",
        &["trafficking"],
        &["PV27"],
        &["POL", "IND", "COA"],
    )
    .await;
    let b = venture(
        &app,
        "Test B",
        &["trafficking", "smuggling"],
        &["GM0363"],
        &["POL", "IND"],
    )
    .await;
    // Same theme and members, but Rotterdam does not overlap Noord-Holland.
    let c = venture(
        &app,
        "Test C",
        &["trafficking"],
        &["GM0599"],
        &["POL", "IND"],
    )
    .await;
    // Overlapping region and members, other theme.
    let d = venture(&app, "Test D", &["terrorism"], &["PV27"], &["POL", "IND"]).await;
    // Same theme and region, one shared member only.
    let e = venture(
        &app,
        "Test E",
        &["trafficking"],
        &["GM0363"],
        &["POL", "KMar"],
    )
    .await;

    let map = map_json(&app, &cookie, "").await;
    assert!(flagged(&map, a, b));
    for (x, y) in [(a, c), (b, c), (a, d), (b, d), (a, e), (b, e)] {
        assert!(!flagged(&map, x, y), "{x} {y} must not be flagged");
    }
    let reason = map["overlaps"]
        .as_array()
        .expect("overlaps")
        .iter()
        .find(|o| o["first"]["id"] == a.min(b))
        .expect("the pair");
    assert_eq!(reason["themes"], serde_json::json!(["trafficking"]));
    assert_eq!(
        reason["areas"],
        serde_json::json!([["Noord-Holland", "Amsterdam"]])
    );
    assert_eq!(reason["shared_members"].as_array().map(Vec::len), Some(2));

    // Both joint venture pages carry the flag, with the reason in words.
    for id in [a, b] {
        let page = app
            .get_with(&format!("/joint-ventures/{id}"), &cookie)
            .await;
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(text.contains("Overlappende mandaten"), "{text}");
        assert!(text.contains("Noord-Holland / Amsterdam"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_overseeing_one_side_marks_an_overlap_intended_and_the_flag_goes() {
    let app = spawn_app().await;
    let a = venture(&app, "Test A", &["smuggling"], &["NL"], &["POL", "KMar"]).await;
    let b = venture(&app, "Test B", &["smuggling"], &["PV30"], &["POL", "KMar"]).await;
    let form = |justification: &str| {
        format!("first={a}&second={b}&justification={justification}&return_to={a}")
    };

    // The demo manager oversees neither: refused by the server function.
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let refused = app
        .call_with(
            "/api/mark_mandate_overlap_intended",
            &form("Bewust%20zo%20ingericht"),
            Some(&manager),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let refused = app
        .call_with(
            "/api/mark_mandate_overlap_intended",
            &form("Bewust%20zo%20ingericht"),
            Some(&coordinator),
        )
        .await;
    assert_eq!(refused.status, 403);

    oversight::ActiveModel {
        joint_venture_id: Set(b),
        user_id: Set(app.user_id("manager").await),
        since: Set(chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("date")),
    }
    .insert(&app.db)
    .await
    .expect("oversight");
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let page = app
        .get_with(&format!("/joint-ventures/{a}"), &manager)
        .await;
    assert!(
        page.text().contains("Markeren als bedoeld"),
        "the form is offered"
    );

    let too_short = app
        .call_with(
            "/api/mark_mandate_overlap_intended",
            &form("ok"),
            Some(&manager),
        )
        .await;
    assert_eq!(too_short.status, 400);
    assert!(
        too_short.body.contains("justification"),
        "{}",
        too_short.body
    );
    assert_eq!(
        mandate_overlap_review::Entity::find()
            .all(&app.db)
            .await
            .expect("rows")
            .len(),
        0,
        "nothing saved"
    );

    let done = app
        .post_form_with(
            "/api/mark_mandate_overlap_intended",
            &form("Landelijke%20en%20regionale%20aanpak%20vullen%20elkaar%20aan"),
            &manager,
        )
        .await;
    assert!(done.status.is_redirection(), "{}", done.body);
    assert!(!flagged(&map_json(&app, &manager, "").await, a, b));
    let event = app.last_event().await;
    assert_eq!(event.action, "mark_mandate_overlap_intended");
    assert_eq!(event.object_id, format!("{}-{}", a.min(b), a.max(b)));

    let again = app
        .call_with(
            "/api/mark_mandate_overlap_intended",
            &form("Nogmaals%20bedoeld%20zo"),
            Some(&manager),
        )
        .await;
    assert_eq!(again.status, 400, "a pair no longer flagged is refused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_filters_by_theme_region_and_organisation() {
    let app = spawn_app().await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let names = |map: &serde_json::Value| -> Vec<String> {
        map["joint_ventures"]
            .as_array()
            .expect("joint ventures")
            .iter()
            .map(|v| v["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let all = names(&map_json(&app, &cookie, "").await);
    assert!(all.contains(&"Taskforce Mensensmokkel Noord".to_owned()));
    assert!(
        !all.contains(&"Taskforce Arbeidsmigratie 2019".to_owned()),
        "ended ones are not on the map"
    );

    let terrorism = map_json(&app, &cookie, "filter[theme]=terrorism").await;
    let shown = names(&terrorism);
    assert!(!shown.is_empty());
    assert!(
        terrorism["joint_ventures"]
            .as_array()
            .expect("list")
            .iter()
            .all(|v| v["themes"]
                .as_array()
                .is_some_and(|t| t.contains(&serde_json::json!("terrorism"))))
    );

    // Groningen (province): national ones and those in Groningen, not Amsterdam's.
    let groningen = names(&map_json(&app, &cookie, "filter[region]=PV20").await);
    assert!(groningen.contains(&"Taskforce Mensensmokkel Noord".to_owned()));
    assert!(
        groningen.contains(&"Signalen uit de Opvang".to_owned()),
        "national covers it"
    );
    assert!(!groningen.contains(&"Ketenaanpak Mensenhandel Amsterdam".to_owned()));

    let comensha = app.organisation_id("CoM").await;
    let with_comensha = map_json(&app, &cookie, &format!("filter[organisation]={comensha}")).await;
    let ventures = with_comensha["joint_ventures"].as_array().expect("list");
    assert!(
        !ventures.is_empty(),
        "CoMensha is a member of demo joint ventures"
    );
    for venture in ventures {
        assert!(
            venture["members"]
                .as_array()
                .expect("members")
                .iter()
                .any(|m| m[0] == "CoMensha")
        );
    }

    // The page renders the same without JavaScript: the picture, links, the table, the matrix.
    let page = app.get_with("/map?theme=smuggling", &cookie).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("<svg"));
    assert!(text.contains(r#"href="/joint-ventures/"#));
    assert!(text.contains("Wie doet wat waar"));
    assert!(
        text.contains(r#"<option value="smuggling" selected"#),
        "the filter is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_contacts_are_shown_to_coordinators_and_ministry_staff_reach_no_partnership_row()
 {
    let app = spawn_app().await;
    let north = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.eq("Taskforce Mensensmokkel Noord"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("demo joint venture")
        .id;
    let path = format!("/joint-ventures/{north}");
    let colleague = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let page = app.get_with(&path, &colleague).await.text();
    assert!(page.contains("Chris Jansen"), "{page}");
    assert!(page.contains("coordinator-north@demo.liaison.invalid"));

    // Ministry staff reach the aggregate summaries only: no joint venture row, no person.
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let page = app.get_with(&path, &ministry).await.text();
    assert!(!page.contains("Chris Jansen"));
    assert!(page.contains("U mag deze pagina niet zien"), "{page}");
    let json = app
        .call_with(
            "/api/joint_venture",
            &format!("id={north}"),
            Some(&ministry),
        )
        .await;
    assert_eq!(json.status, 403);

    let coordinator = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    assert!(
        app.get_with(&path, &coordinator)
            .await
            .text()
            .contains("U coördineert dit samenwerkingsverband")
    );

    let unknown = app
        .call_with("/api/joint_venture", "id=999999", Some(&coordinator))
        .await;
    assert_eq!(unknown.status, 400);
}
