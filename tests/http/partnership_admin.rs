//! Administrators manage organisations, joint ventures, members over time, coordinators and
//! oversight; bad input is named and changes nothing; every change is audited.

use liaison_app::server::entity::{joint_venture, membership, organisation};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn count_ventures(app: &TestApp) -> u64 {
    joint_venture::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

fn venture_form(name: &str, start: &str, end: &str, themes: &[&str], regions: &[&str]) -> String {
    let mut form = format!(
        "venture[name]={name}&venture[mandate]=Samen%20smokkelroutes%20in%20kaart%20brengen&venture[legal_basis]=Convenant%202026&venture[start]={start}&venture[end]={end}"
    );
    for theme in themes {
        form.push_str(&format!("&venture[themes][{theme}]=true"));
    }
    for region in regions {
        form.push_str(&format!("&venture[regions][{region}]=true"));
    }
    form
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_an_organisation_and_duplicates_are_named() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let save =
        |form: &'static str| app.post_form_with("/api/admin/save_organisation", form, &admin);
    let created = save("organisation[name]=Gemeente%20Utrecht&organisation[short_name]=GUTR&organisation[kind]=municipality").await;
    assert!(created.status.is_redirection(), "{}", created.body);
    assert_eq!(app.last_event().await.action, "create_organisation");
    let before = organisation::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    for (form, expected) in [
        (
            "organisation[name]=Gemeente%20Utrecht&organisation[short_name]=GU2&organisation[kind]=municipality",
            "name: is already in use",
        ),
        (
            "organisation[name]=Andere%20naam&organisation[short_name]=GUTR&organisation[kind]=municipality",
            "short_name: is already in use",
        ),
        (
            "organisation[name]=Nog%20een&organisation[short_name]=NE&organisation[kind]=pirates",
            "kind:",
        ),
        (
            "organisation[name]=&organisation[short_name]=NE&organisation[kind]=ngo",
            "name: fill this in",
        ),
    ] {
        let response = save(form).await;
        assert_eq!(response.status, 400, "{form}");
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    assert_eq!(
        organisation::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        before
    );
    let page = app.get_with("/admin/organisations", &admin).await;
    assert!(page.text().contains("Gemeente Utrecht"));

    let id = app.organisation_id("GUTR").await;
    let form = app
        .get_with(&format!("/admin/organisations?edit={id}"), &admin)
        .await;
    assert!(
        form.text().contains(r#"value="Gemeente Utrecht""#),
        "the form is filled in"
    );
    let changed = app
        .post_form_with(
            "/api/admin/save_organisation",
            &format!("id={id}&organisation[name]=Gemeente%20Utrecht%20(stad)&organisation[short_name]=GUTR&organisation[kind]=municipality"),
            &admin,
        )
        .await;
    assert!(changed.status.is_redirection(), "{}", changed.body);
    assert_eq!(app.last_event().await.action, "update_organisation");
    let stored = organisation::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(stored.name, "Gemeente Utrecht (stad)");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_joint_venture_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let before = count_ventures(&app).await;
    for (form, expected) in [
        (
            venture_form(
                "Nieuw",
                "2026-05-01",
                "2026-04-01",
                &["smuggling"],
                &["PV27"],
            ),
            "end: must not be before the start date",
        ),
        (
            venture_form("Nieuw", "2026-05-01", "", &["smuggling"], &["XX99"]),
            "regions: unknown region: XX99",
        ),
        (
            venture_form("Nieuw", "2026-05-01", "", &[], &["PV27"]),
            "themes: choose at least one theme",
        ),
        (
            venture_form("Nieuw", "2026-05-01", "", &["smuggling"], &[]),
            "regions: choose at least one region",
        ),
        (
            venture_form("Nieuw", "1-5-2026", "", &["smuggling"], &["PV27"]),
            "start: enter a date",
        ),
        (
            venture_form(
                "Taskforce%20Mensensmokkel%20Noord",
                "2026-05-01",
                "",
                &["smuggling"],
                &["PV27"],
            ),
            "name: is already in use",
        ),
    ] {
        let response = app
            .post_form_with("/api/admin/save_joint_venture", &form, &admin)
            .await;
        assert_eq!(response.status, 400, "{form}: {}", response.body);
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    assert_eq!(count_ventures(&app).await, before, "nothing saved");

    let created = app
        .post_form_with(
            "/api/admin/save_joint_venture",
            &venture_form(
                "Smokkelroutes%20Noord-Holland",
                "2026-01-01",
                "",
                &["smuggling", "trafficking"],
                &["PV27", "GM0363"],
            ),
            &admin,
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.body);
    let id = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.eq("Smokkelroutes Noord-Holland"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("created")
        .id;
    assert!(
        created
            .header("location")
            .is_some_and(|l| l.starts_with(&format!("/admin/joint-ventures/{id}?done=saved")))
    );
    let event = app.last_event().await;
    assert_eq!(event.action, "create_joint_venture");
    assert!(
        event.detail.contains("regions GM0363, PV27"),
        "{}",
        event.detail
    );

    let edit = app
        .get_with(&format!("/admin/joint-ventures/{id}"), &admin)
        .await;
    assert_eq!(edit.status, 200);
    assert!(
        edit.text()
            .contains(r#"value="Smokkelroutes Noord-Holland""#)
    );

    // The end date in the past ends it; it leaves the map.
    let ended = app
        .post_form_with(
            "/api/admin/save_joint_venture",
            &format!(
                "id={id}&{}",
                venture_form(
                    "Smokkelroutes%20Noord-Holland",
                    "2026-01-01",
                    "2026-02-01",
                    &["smuggling"],
                    &["PV27"]
                )
            ),
            &admin,
        )
        .await;
    assert!(ended.status.is_redirection(), "{}", ended.body);
    let stored = joint_venture::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("row");
    assert_eq!(stored.status, "ended");
    assert!(!stored.four_eyes_disclosure, "off unless ticked");

    // Four eyes on disclosure: the box ticked is stored and shown ticked; unticked, it is off.
    for (tick, expected) in [("&venture[four_eyes]=true", true), ("", false)] {
        let saved = app
            .post_form_with(
                "/api/admin/save_joint_venture",
                &format!(
                    "id={id}&{}{tick}",
                    venture_form(
                        "Smokkelroutes%20Noord-Holland",
                        "2026-01-01",
                        "",
                        &["smuggling"],
                        &["PV27"]
                    )
                ),
                &admin,
            )
            .await;
        assert!(saved.status.is_redirection(), "{}", saved.body);
        let stored = joint_venture::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("row");
        assert_eq!(stored.four_eyes_disclosure, expected, "{tick}");
        let page = app
            .get_with(&format!("/admin/joint-ventures/{id}"), &admin)
            .await;
        let ticked = page
            .text()
            .contains(r#"id="venture-four-eyes" name="venture[four_eyes]" value="true" checked"#);
        assert_eq!(ticked, expected, "{tick}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_join_and_leave_with_their_history_kept() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    app.post_form_with(
        "/api/admin/save_joint_venture",
        &venture_form("Testverband", "2026-01-01", "", &["smuggling"], &["NL"]),
        &admin,
    )
    .await;
    let id = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.eq("Testverband"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("created")
        .id;
    let police = app.organisation_id("POL").await;
    let add = |form: String| {
        let admin = admin.clone();
        let app = &app;
        async move {
            app.post_form_with("/api/admin/add_member", &form, &admin)
                .await
        }
    };
    let ok = add(format!("joint_venture_id={id}&member[organisation_id]={police}&member[role]=lead&member[since]=2026-02-01")).await;
    assert!(ok.status.is_redirection(), "{}", ok.body);
    assert_eq!(app.last_event().await.action, "add_member");
    for (form, expected) in [
        (
            format!(
                "joint_venture_id={id}&member[organisation_id]={police}&member[role]=member&member[since]=2026-03-01"
            ),
            "organisation_id: is already a member",
        ),
        (
            format!(
                "joint_venture_id={id}&member[organisation_id]={police}&member[role]=member&member[since]=2025-12-01"
            ),
            "since: must fall within",
        ),
        (
            format!(
                "joint_venture_id={id}&member[organisation_id]=999999&member[role]=member&member[since]=2026-03-01"
            ),
            "organisation_id:",
        ),
        (
            format!(
                "joint_venture_id={id}&member[organisation_id]={police}&member[role]=boss&member[since]=2026-03-01"
            ),
            "role:",
        ),
    ] {
        let response = add(form.clone()).await;
        assert_eq!(response.status, 400, "{form}");
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    let membership_id = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(id))
        .one(&app.db)
        .await
        .expect("query")
        .expect("membership")
        .id;
    let early = app
        .post_form_with(
            "/api/admin/end_member",
            &format!("membership_id={membership_id}&until=2026-01-15"),
            &admin,
        )
        .await;
    assert_eq!(early.status, 400, "an end before the start is refused");
    let ended = app
        .post_form_with(
            "/api/admin/end_member",
            &format!("membership_id={membership_id}&until=2026-06-30"),
            &admin,
        )
        .await;
    assert!(ended.status.is_redirection(), "{}", ended.body);
    let rows = membership::Entity::find()
        .filter(membership::Column::JointVentureId.eq(id))
        .all(&app.db)
        .await
        .expect("rows");
    assert_eq!(rows.len(), 1, "the history stays");
    assert_eq!(
        rows[0].until.map(|d| d.to_string()).as_deref(),
        Some("2026-06-30")
    );
    // Having left, the organisation may join again.
    let again = add(format!("joint_venture_id={id}&member[organisation_id]={police}&member[role]=member&member[since]=2026-07-01")).await;
    assert!(again.status.is_redirection(), "{}", again.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_and_overseeing_managers_are_assigned_and_removed() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let amsterdam = app.user_id("coordinator-amsterdam").await;
    let manager = app.user_id("manager").await;
    let north = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.eq("Taskforce Mensensmokkel Noord"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("demo")
        .id;
    let assign = |form: String| {
        let admin = admin.clone();
        let app = &app;
        async move { app.post_form_with("/api/admin/assign", &form, &admin).await }
    };
    let wrong_role = assign(format!(
        "joint_venture_id={north}&user_id={manager}&kind=coordinator"
    ))
    .await;
    assert_eq!(
        wrong_role.status, 400,
        "only a user with the coordinator role coordinates"
    );
    let ok = assign(format!(
        "joint_venture_id={north}&user_id={amsterdam}&kind=coordinator"
    ))
    .await;
    assert!(ok.status.is_redirection(), "{}", ok.body);
    assert_eq!(app.last_event().await.action, "assign_coordinator");
    let twice = assign(format!(
        "joint_venture_id={north}&user_id={amsterdam}&kind=coordinator"
    ))
    .await;
    assert_eq!(twice.status, 400);

    let coordinator = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let page = app
        .get_with(&format!("/joint-ventures/{north}"), &coordinator)
        .await;
    assert!(
        page.text()
            .contains("U coördineert dit samenwerkingsverband")
    );

    let removed = assign(format!(
        "joint_venture_id={north}&user_id={amsterdam}&kind=coordinator&remove=true"
    ))
    .await;
    assert!(removed.status.is_redirection());
    let page = app
        .get_with(&format!("/joint-ventures/{north}"), &coordinator)
        .await;
    assert!(
        !page
            .text()
            .contains("U coördineert dit samenwerkingsverband")
    );
    assert_eq!(app.last_event().await.action, "remove_coordinator");
    let not_assigned = assign(format!(
        "joint_venture_id={north}&user_id={amsterdam}&kind=coordinator&remove=true"
    ))
    .await;
    assert_eq!(
        not_assigned.status, 400,
        "removing someone not assigned is named"
    );
    assert_eq!(
        app.last_event().await.action,
        "remove_coordinator",
        "and not audited"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_municipality_that_joint_ventures_can_then_work_in() {
    use liaison_app::server::entity::region;
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let before = region::Entity::find().count(&app.db).await.expect("count");
    for (form, expected) in [
        (
            "region[code]=1999&region[name]=Nieuwland&region[province]=PV23",
            "code: enter the CBS code",
        ),
        (
            "region[code]=GM0363&region[name]=Amsterdam&region[province]=PV27",
            "code: is already in use",
        ),
        (
            "region[code]=GM1999&region[name]=Nieuwland&region[province]=GM0363",
            "province:",
        ),
        (
            "region[code]=GM1999&region[name]=&region[province]=PV23",
            "name: fill this in",
        ),
    ] {
        let response = app
            .post_form_with("/api/admin/add_region", form, &admin)
            .await;
        assert_eq!(response.status, 400, "{form}");
        assert!(
            response.text().contains(expected),
            "{form}: {}",
            response.body
        );
    }
    assert_eq!(
        region::Entity::find().count(&app.db).await.expect("count"),
        before
    );

    let added = app
        .post_form_with(
            "/api/admin/add_region",
            "region[code]=gm1999&region[name]=Nieuwland&region[province]=PV23",
            &admin,
        )
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);
    let event = app.last_event().await;
    assert_eq!(
        (event.action.as_str(), event.object_id.as_str()),
        ("add_region", "GM1999")
    );
    let created = app
        .post_form_with(
            "/api/admin/save_joint_venture",
            &venture_form(
                "Nieuwland%20Samen",
                "2026-01-01",
                "",
                &["smuggling"],
                &["GM1999"],
            ),
            &admin,
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.body);
    assert!(
        app.get_with("/admin/regions", &admin)
            .await
            .text()
            .contains("Nieuwland (GM1999)")
    );
}
