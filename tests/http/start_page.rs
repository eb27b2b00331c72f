//! The start page (`/`): after signing in, what needs the user's attention, a section per role,
//! each holding only what the page it links to would show them; a visitor keeps the public
//! page. Signing in, with or without a second factor, leads there.

use liaison_app::server::entity::{
    audit_event, coordinator, overlap, oversight, signal, user_account, user_role,
};
use liaison_app::server::second_factor::{code_at, new_secret};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, TestResponse, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
    QueryOrder, sea_query::Expr,
};
use serde_json::Value;

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const SCHIPHOL: &str = "Migratiecriminaliteit Schiphol";
const SOUTH: &str = "Grensoverschrijdende Smokkel Zuid";

/// A soft trafficking signal, as the form posts it: the demo's routing rules give trafficking
/// to Amsterdam's chain approach and smuggling to the northern taskforce.
const TRAFFICKING: &str = "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4\
&signal[observed]=A%20resident%20hands%20her%20wages%20to%20a%20man%20who%20waits%20outside\
&signal[day]=2026-11-27&signal[place]=Reception%20centre%20Ter%20Apel\
&signal[urgency]=normal";

fn smuggling() -> String {
    TRAFFICKING.replace("trafficking", "smuggling")
}

async fn report(app: &TestApp, cookie: &str, form: &str) -> signal::Model {
    let response = app.post_form_with("/api/report_signal", form, cookie).await;
    assert!(
        response.status.is_redirection(),
        "{} {}",
        response.status,
        response.body
    );
    signal::Entity::find()
        .order_by_desc(signal::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the signal")
}

/// The start page's server function as the hydrated page calls it.
async fn start(app: &TestApp, cookie: Option<&str>) -> Value {
    let response = app.call_with("/api/start_page", "", cookie).await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("json")
}

fn ids(items: &Value) -> Vec<i64> {
    items
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["id"].as_i64().expect("an id"))
        .collect()
}

fn links_to(page: &TestResponse, path: &str) -> bool {
    page.body.contains(&format!("href=\"{path}\""))
}

/// The demo overlap between two joint ventures (by name), either way round.
async fn overlap_between(app: &TestApp, a: &str, b: &str) -> overlap::Model {
    let (a, b) = (app.joint_venture_id(a).await, app.joint_venture_id(b).await);
    overlap::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(overlap::Column::FirstJointVentureId.eq(a))
                        .add(overlap::Column::SecondJointVentureId.eq(b)),
                )
                .add(
                    Condition::all()
                        .add(overlap::Column::FirstJointVentureId.eq(b))
                        .add(overlap::Column::SecondJointVentureId.eq(a)),
                ),
        )
        .order_by_asc(overlap::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("a demo overlap between {a} and {b}"))
}

/// A new account of the COA with the demo password and `roles`, assigned to coordinate or
/// oversee `joint_ventures`; signed in.
async fn user_with(
    app: &TestApp,
    username: &str,
    roles: &[&str],
    coordinates: &[i32],
    oversees: &[i32],
) -> String {
    let demo = user_account::Entity::find_by_id(app.user_id("reporter").await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the demo reporter");
    let user = user_account::ActiveModel {
        username: Set(username.into()),
        display_name: Set("Sanne de Boer".into()),
        email: Set(format!("{username}@liaison.test")),
        organisation_id: Set(demo.organisation_id),
        password_hash: Set(demo.password_hash),
        active: Set(true),
        second_factor_required: Set(false),
        totp_secret: Set(None),
        totp_last_step: Set(None),
        created_at: Set(demo.created_at),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("user saved");
    for role in roles {
        user_role::ActiveModel {
            user_id: Set(user.id),
            role: Set((*role).into()),
        }
        .insert(&app.db)
        .await
        .expect("role saved");
    }
    let since = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).expect("a day");
    for jv in coordinates {
        coordinator::ActiveModel {
            joint_venture_id: Set(*jv),
            user_id: Set(user.id),
            since: Set(since),
        }
        .insert(&app.db)
        .await
        .expect("assignment saved");
    }
    for jv in oversees {
        oversight::ActiveModel {
            joint_venture_id: Set(*jv),
            user_id: Set(user.id),
            since: Set(since),
        }
        .insert(&app.db)
        .await
        .expect("assignment saved");
    }
    app.sign_in(username, DEMO_PASSWORD).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visitor_keeps_the_public_start_page() {
    let app = spawn_app().await;
    let page = app.get("/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Wie werkt waaraan, waar en met wie?"));
    assert!(page.body.contains("Koninklijke Marechaussee"));
    assert!(!page.body.contains("Wat op u wacht"), "{}", page.body);
    assert_eq!(start(&app, None).await, Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_leads_to_the_start_page_with_or_without_a_second_factor() {
    let app = spawn_app().await;
    // The sign-in form sends an empty return address when none was asked for.
    for form in [
        format!("username=coordinator-north&password={DEMO_PASSWORD}"),
        format!("username=coordinator-north&password={DEMO_PASSWORD}&return_to="),
    ] {
        let response = app.post_form("/api/sign_in", &form).await;
        assert!(response.status.is_redirection(), "{}", response.body);
        assert_eq!(response.header("location"), Some("/"), "{form}");
        let cookie = response.session_cookie().expect("a session");
        let home = app.get_with("/", &cookie).await;
        assert_eq!(home.status, 200);
        assert!(home.text().contains("Wat op u wacht"), "{}", home.text());
        assert!(!home.body.contains("Wie werkt waaraan, waar en met wie?"));
    }

    let secret = new_secret();
    user_account::Entity::update_many()
        .col_expr(
            user_account::Column::TotpSecret,
            Expr::value(secret.clone()),
        )
        .filter(user_account::Column::Username.eq("manager"))
        .exec(&app.db)
        .await
        .expect("secret stored");
    let password = app
        .post_form(
            "/api/sign_in",
            &format!("username=manager&password={DEMO_PASSWORD}&return_to="),
        )
        .await;
    assert_eq!(
        password.header("location"),
        Some("/sign-in/second-factor"),
        "{}",
        password.body
    );
    let cookie = password.session_cookie().expect("a pending session");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let code = code_at(&secret, now).expect("a code");
    let second = app
        .post_form_with(
            "/api/second_factor",
            &format!("code={code}&return_to="),
            &cookie,
        )
        .await;
    assert!(second.status.is_redirection(), "{}", second.body);
    assert_eq!(second.header("location"), Some("/"));
    let cookie = second.session_cookie().unwrap_or(cookie);
    let home = app.get_with("/", &cookie).await;
    assert!(
        home.text()
            .contains("Samenwerkingsverbanden waarover u gaat"),
        "{}",
        home.text()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_sees_the_overlaps_and_signals_of_their_own_joint_ventures_only() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let theirs = report(&app, &reporter, TRAFFICKING).await;
    let ours = report(&app, &reporter, &smuggling()).await;
    assert_eq!(
        (ours.joint_venture_id, theirs.joint_venture_id),
        (
            Some(app.joint_venture_id(NORTH).await),
            Some(app.joint_venture_id(AMSTERDAM).await)
        ),
        "routed by the demo's rules"
    );
    // North takes part in the shared phone, the conflicting operations and the plate seen by
    // Smokkel Zuid; Amsterdam and Schiphol share a person North has nothing to do with.
    let shared = overlap_between(&app, NORTH, AMSTERDAM).await;
    let plate = overlap_between(&app, SOUTH, NORTH).await;
    let person = overlap_between(&app, AMSTERDAM, SCHIPHOL).await;

    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let page = app.get_with("/", &north).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Wat op u wacht"), "{text}");
    assert!(text.contains("Chris Jansen"), "{text}");
    assert!(
        links_to(&page, &format!("/overlaps/{}", shared.id)),
        "{text}"
    );
    assert!(
        links_to(&page, &format!("/overlaps/{}", plate.id)),
        "{text}"
    );
    assert!(
        !links_to(&page, &format!("/overlaps/{}", person.id)),
        "{text}"
    );
    assert!(links_to(&page, &format!("/signals/{}", ours.id)), "{text}");
    assert!(text.contains(&ours.reference), "{text}");
    assert!(
        !links_to(&page, &format!("/signals/{}", theirs.id)),
        "{text}"
    );
    assert!(!text.contains(&theirs.reference), "{text}");
    // The deadline in words: the plate was never acknowledged and is weeks late.
    assert!(text.contains("Bevestigen uiterlijk"), "{text}");
    assert!(text.contains("te laat"), "{text}");
    assert!(text.contains("Beoordelen uiterlijk"), "{text}");

    let work = &start(&app, Some(&north)).await["coordinator"];
    let listed = ids(&work["overlaps"]);
    assert!(listed.contains(&i64::from(plate.id)), "{work}");
    assert!(!listed.contains(&i64::from(person.id)), "{work}");
    // Urgent first: the operational conflict, then by deadline.
    assert_eq!(work["overlaps"][0]["urgent"], true, "{work}");
    assert_eq!(work["overlaps"][0]["match_kind"], "operation", "{work}");
    assert_eq!(ids(&work["signals"]), [i64::from(ours.id)], "{work}");
    assert_eq!(work["signals"][0]["due"]["step"], "Assess", "{work}");

    // The positive control: Amsterdam's coordinator sees their own, never North's alone.
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let page = app.get_with("/", &amsterdam).await;
    let text = page.text();
    assert!(
        links_to(&page, &format!("/overlaps/{}", person.id)),
        "{text}"
    );
    assert!(
        links_to(&page, &format!("/overlaps/{}", shared.id)),
        "{text}"
    );
    assert!(
        !links_to(&page, &format!("/overlaps/{}", plate.id)),
        "{text}"
    );
    assert!(
        links_to(&page, &format!("/signals/{}", theirs.id)),
        "{text}"
    );
    assert!(!links_to(&page, &format!("/signals/{}", ours.id)), "{text}");
    assert!(!text.contains(&ours.reference), "{text}");
    // Only coordinators' sections: no one else's work.
    for absent in [
        "Samenwerkingsverbanden waarover u gaat",
        "Door u gemelde signalen",
        "Kerncijfers",
        "Wat op een beheerder wacht",
    ] {
        assert!(!text.contains(absent), "{absent}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sees_the_stalled_overlaps_and_the_overdue_signals_they_oversee() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let late = report(&app, &reporter, &smuggling()).await;
    let fresh = report(&app, &reporter, TRAFFICKING).await;
    // Reported on Monday 16 November 2026: due to be assessed on the 18th, long past.
    let mut backdated: signal::ActiveModel = late.clone().into();
    backdated.created_at = Set("2026-11-16T09:00:00.000000Z".into());
    backdated.update(&app.db).await.expect("backdated");
    let plate = overlap_between(&app, SOUTH, NORTH).await;
    let shared = overlap_between(&app, NORTH, AMSTERDAM).await;

    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let page = app.get_with("/", &manager).await;
    let text = page.text();
    assert!(
        text.contains("Samenwerkingsverbanden waarover u gaat"),
        "{text}"
    );
    assert!(
        links_to(&page, &format!("/oversight/overlaps/{}", plate.id)),
        "the stalled plate overlap: {text}"
    );
    assert!(text.contains("Ongecoördineerd"), "{text}");
    assert!(text.contains("GSZ-2026-009"), "{text}");
    assert!(
        !links_to(&page, &format!("/oversight/overlaps/{}", shared.id)),
        "not stalled: {text}"
    );
    assert!(links_to(&page, &format!("/signals/{}", late.id)), "{text}");
    assert!(
        !links_to(&page, &format!("/signals/{}", fresh.id)),
        "not overdue: {text}"
    );
    assert!(links_to(&page, "/oversight?flag=uncoordinated"), "{text}");
    // Managers never read what was observed.
    assert!(!text.contains("hands her wages"), "{text}");

    // A manager of nothing sees both lists, empty, and says so.
    let idle = user_with(&app, "manager-idle", &["manager"], &[], &[]).await;
    let text = app.get_with("/", &idle).await.text();
    assert_eq!(text.matches("Niets wacht op u.").count(), 2, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reporter_sees_their_own_signals_and_new_feedback() {
    let app = spawn_app().await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let answered = report(&app, &reporter, TRAFFICKING).await;
    let waiting = report(&app, &reporter, &smuggling()).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let feedback = app
        .call_with(
            "/api/signal_feedback",
            &format!("id={}&feedback=Thank%20you.", answered.id),
            Some(&amsterdam),
        )
        .await;
    assert_eq!(feedback.status, 200, "{}", feedback.body);

    let page = app.get_with("/", &reporter).await;
    let text = page.text();
    assert!(text.contains("Nieuwe terugkoppeling"), "{text}");
    assert!(
        links_to(&page, &format!("/signals/{}", answered.id)),
        "{text}"
    );
    assert!(
        links_to(&page, &format!("/signals/{}", waiting.id)),
        "{text}"
    );
    assert!(links_to(&page, "/signals/new"), "{text}");
    // A reporter never learns who owns a signal nor its deadlines.
    assert!(!text.contains(AMSTERDAM), "{text}");
    assert!(!text.contains(NORTH), "{text}");
    assert!(!text.contains("uiterlijk"), "{text}");
    let work = &start(&app, Some(&reporter)).await["reporter"];
    assert_eq!(ids(&work["feedback"]), [i64::from(answered.id)], "{work}");
    assert_eq!(ids(&work["signals"]), [i64::from(waiting.id)], "{work}");
    assert!(!work.to_string().contains("owner"), "{work}");

    // Once read, the feedback is no longer new.
    let read = app
        .call_with("/api/mark_notifications_read", "id=", Some(&reporter))
        .await;
    assert_eq!(read.status, 200, "{}", read.body);
    let work = &start(&app, Some(&reporter)).await["reporter"];
    assert_eq!(work["feedback"], Value::Array(vec![]), "{work}");

    // A reporter who reported nothing is told so.
    let newcomer = user_with(&app, "reporter-new", &["reporter"], &[], &[]).await;
    let text = app.get_with("/", &newcomer).await.text();
    assert!(text.contains("Er is geen nieuwe terugkoppeling."), "{text}");
    assert!(text.contains("U heeft nog geen signalen gemeld."), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ministry_staff_see_the_summarys_headline_figures_and_nothing_else() {
    let app = spawn_app().await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let readings = || async {
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("view_summary"))
            .all(&app.db)
            .await
            .expect("audit events")
    };
    let page = app.get_with("/", &ministry).await;
    assert_eq!(page.status, 200);
    // One reading of the figures is one audit record, whatever the number of themes.
    let read = readings().await;
    assert_eq!(read.len(), 1, "{read:?}");
    assert!(read[0].object_id.ends_with("/all"), "{read:?}");
    let text = page.text();
    assert!(text.contains("Kerncijfers"), "{text}");
    assert!(text.contains("Mensenhandel"), "{text}");
    for reference in ["TMN-2026", "KMA-2026", "GSZ-2026", "S-2026-"] {
        assert!(!text.contains(reference), "{reference}: {text}");
    }
    // The same numbers as the published summary, with its small counts suppressed.
    let figures = &start(&app, Some(&ministry)).await["ministry"];
    for (i, theme) in ["smuggling", "trafficking", "terrorism"].iter().enumerate() {
        let summary = app
            .call_with(
                "/api/summary",
                &format!("quarter=&theme={theme}"),
                Some(&ministry),
            )
            .await;
        assert_eq!(summary.status, 200, "{}", summary.body);
        let current = &serde_json::from_str::<Value>(&summary.body).expect("json")["current"];
        let row = &figures["themes"][i];
        assert_eq!(row["theme"], *theme, "{figures}");
        assert_eq!(row["cases"], current["cases"]["table"]["total"], "{theme}");
        assert_eq!(
            row["overlaps"], current["overlaps"]["table"]["total"],
            "{theme}"
        );
        assert_eq!(
            row["signals"], current["signals"]["table"]["total"],
            "{theme}"
        );
        assert_eq!(figures["quarter"], current["quarter"]);
        assert!(links_to(
            &page,
            &format!(
                "/summary?quarter={}&amp;theme={theme}",
                current["quarter"].as_str().expect("a quarter")
            )
        ));
    }
    let all = start(&app, Some(&ministry)).await;
    for section in ["coordinator", "manager", "reporter", "admin"] {
        assert_eq!(all[section], Value::Null, "{section}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auditors_and_administrators_see_what_they_can_do_and_what_waits() {
    let app = spawn_app().await;
    let auditor = app.sign_in("auditor", DEMO_PASSWORD).await;
    let page = app.get_with("/", &auditor).await;
    let text = page.text();
    assert!(
        text.contains("Gebeurtenissen zoeken en de keten controleren"),
        "{text}"
    );
    assert!(links_to(&page, "/audit"), "{text}");
    assert!(!links_to(&page, "/admin/users"), "{text}");
    assert_eq!(start(&app, Some(&auditor)).await["auditor"], true);

    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let admin2 = app.sign_in("admin2", DEMO_PASSWORD).await;
    let waiting = start(&app, Some(&admin)).await["admin"].clone();
    assert_eq!(waiting["takeovers"], 0, "{waiting}");
    let text = app.get_with("/", &admin).await.text();
    assert!(
        text.contains("Accounts aanmaken, wijzigen en deactiveren"),
        "{text}"
    );

    let manager = app.user_id("manager").await;
    let requested = app
        .post_form_with(
            "/api/admin/reset_second_factor",
            &format!("id={manager}"),
            &admin,
        )
        .await;
    assert!(requested.status.is_redirection(), "{}", requested.body);
    let own = start(&app, Some(&admin)).await["admin"].clone();
    assert_eq!(
        (own["takeovers"].clone(), own["takeovers_to_decide"].clone()),
        (Value::from(1), Value::from(0)),
        "the requester cannot decide their own request: {own}"
    );
    let other = start(&app, Some(&admin2)).await["admin"].clone();
    assert_eq!(
        (
            other["takeovers"].clone(),
            other["takeovers_to_decide"].clone()
        ),
        (Value::from(1), Value::from(1)),
        "{other}"
    );
    let page = app.get_with("/", &admin2).await;
    assert!(
        page.text()
            .contains("Verzoeken om een account over te nemen: 1"),
        "{}",
        page.text()
    );
    assert!(links_to(&page, "/admin/users"));
    // Administrators see no case content: no overlaps, no signals of anyone.
    assert!(!page.body.contains("href=\"/overlaps/"), "{}", page.text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_with_several_roles_sees_a_section_for_each() {
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let both = user_with(
        &app,
        "coordinator-reporter",
        &["coordinator", "reporter"],
        &[north],
        &[],
    )
    .await;
    let text = app.get_with("/", &both).await.text();
    assert!(text.contains("Uw samenwerkingsverbanden"), "{text}");
    assert!(text.contains("Door u gemelde signalen"), "{text}");
    let all = start(&app, Some(&both)).await;
    assert!(
        all["coordinator"].is_object() && all["reporter"].is_object(),
        "{all}"
    );
    assert_eq!(all["manager"], Value::Null);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_page_counts_the_cases_overlaps_waiting_for_a_step() {
    let app = spawn_app().await;
    let north = app.joint_venture_id(NORTH).await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    // The operational conflict is urgent: its case on North's side.
    let conflict = overlap::Entity::find()
        .filter(overlap::Column::Urgent.eq(true))
        .filter(overlap::Column::State.eq("open"))
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .find(|o| o.first_joint_venture_id == north || o.second_joint_venture_id == north)
        .expect("the demo's operational conflict");
    let case_id = if conflict.first_joint_venture_id == north {
        conflict.first_case_id
    } else {
        conflict.second_case_id
    };
    let of_case: Vec<overlap::Model> = overlap::Entity::find()
        .filter(
            Condition::any()
                .add(overlap::Column::FirstCaseId.eq(case_id))
                .add(overlap::Column::SecondCaseId.eq(case_id)),
        )
        .filter(overlap::Column::State.is_in(["open", "acknowledged"]))
        .all(&app.db)
        .await
        .expect("query");
    let urgent = of_case.iter().filter(|o| o.urgent).count();
    let page = app.get_with(&format!("/cases/{case_id}"), &cookie).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains(&format!(
            "Overlappen van deze zaak die op een reactie wachten: {}",
            of_case.len()
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("waarvan urgent: {urgent}")),
        "{text}"
    );
    assert!(links_to(&page, "/overlaps"), "{text}");

    // A new case has none.
    let created = app
        .post_form_with(
            "/api/save_case",
            &format!(
                "case[joint_venture_id]={north}&case[reference]=TMN-2026-900&case[title]=Nieuw\
                 &case[theme]=smuggling&case[status]=active&case[start]=2026-03-01&case[end]=\
                 &case[handling]=pointer-only&case[description]=Nieuw"
            ),
            &cookie,
        )
        .await;
    assert!(created.status.is_redirection(), "{}", created.body);
    let fresh = app.case_id("TMN-2026-900").await;
    let text = app
        .get_with(&format!("/cases/{fresh}"), &cookie)
        .await
        .text();
    assert!(
        text.contains("Deze zaak heeft geen overlappen die op een reactie wachten."),
        "{text}"
    );
}
