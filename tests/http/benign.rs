//! The scoped benign list (issue 18, item 3): an entry belongs to a joint venture and holds back
//! only the matches it takes part in, the other side is told that a match was held back (never
//! the value), only its own coordinators see it in full, they or an administrator remove it, and
//! a national entry is an administrator's.
//!
//! Joint ventures: A is coordinator-north's (case TMN-2026-014), B coordinator-amsterdam's
//! (KMA-2026-007), C nobody's here (MCS-2026-003; its subject is saved as the use-case saves
//! one, with the same matching).

use liaison_app::server::entity::{benign_value, case, overlap};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, TestResponse, matching, spawn_app};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait};

const A: &str = "TMN-2026-014";
const B: &str = "KMA-2026-007";
const C: &str = "MCS-2026-003";

/// The value on the list, as typed; its digits are in every form it could be shown in.
const PHONE: &str = "0591223987";
const DIGITS: &str = "591223987";
const LABEL: &str = "Hulplijn Vierveertien";
const REASON: &str = "Algemeen nummer dat veel mensen bellen";

async fn venture_of(app: &TestApp, reference: &str) -> i32 {
    case::Entity::find_by_id(app.case_id(reference).await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("case")
        .joint_venture_id
}

/// The benign form, for `joint_venture` (an id, `national`, or anything a client sends).
fn entry_form(joint_venture: &str) -> String {
    let expires = (chrono::Local::now().date_naive() + chrono::Duration::days(90)).to_string();
    format!(
        "benign[joint_venture_id]={joint_venture}&benign[kind]=phone&benign[value]={PHONE}&benign[label]={}&benign[reason]={}&benign[expires_on]={expires}",
        LABEL.replace(' ', "%20"),
        REASON.replace(' ', "%20"),
    )
}

async fn add_entry(app: &TestApp, cookie: &str, joint_venture: &str) -> TestResponse {
    app.post_form_with("/api/add_benign_value", &entry_form(joint_venture), cookie)
        .await
}

async fn entries(app: &TestApp) -> Vec<benign_value::Model> {
    benign_value::Entity::find()
        .all(&app.db)
        .await
        .expect("query")
}

/// The phone added to a case by its own coordinator, as the subjects page posts it.
async fn add_phone(app: &TestApp, cookie: &str, reference: &str) {
    let case_id = app.case_id(reference).await;
    let added = app
        .post_form_with(
            "/api/add_subject",
            &format!("case_id={case_id}&subject[kind]=phone&subject[value]={PHONE}"),
            cookie,
        )
        .await;
    assert!(
        added.status.is_redirection(),
        "{reference}: {} {}",
        added.status,
        added.body
    );
}

/// The phone added to a case of joint venture C, whose coordinators are not signed in here:
/// stored and matched as the use-case does it.
async fn add_phone_to_c(app: &TestApp) {
    use liaison_app::subjects::{parse::parse, save::new_row, types::SubjectInput};
    let case_id = app.case_id(C).await;
    let valid = parse(
        &SubjectInput {
            kind: "phone".into(),
            value: PHONE.into(),
            ..Default::default()
        },
        2026,
    )
    .expect("valid");
    let saved = new_row(valid, case_id, 1, "2026-12-06T00:00:00Z")
        .insert(&app.db)
        .await
        .expect("saved");
    liaison_app::overlaps::detect::on_subject_saved(
        &app.db,
        &matching(),
        &saved,
        venture_of(app, C).await,
    )
    .await
    .expect("matched");
}

/// How many phone overlaps there are between the cases `a` and `b`.
async fn phone_overlaps(app: &TestApp, a: &str, b: &str) -> usize {
    let (a, b) = (app.case_id(a).await, app.case_id(b).await);
    overlap::Entity::find()
        .all(&app.db)
        .await
        .expect("query")
        .into_iter()
        .filter(|o| {
            o.match_kind == "phone"
                && [o.first_case_id, o.second_case_id].contains(&a)
                && [o.first_case_id, o.second_case_id].contains(&b)
        })
        .count()
}

async fn overlap_count(app: &TestApp) -> u64 {
    overlap::Entity::find().count(&app.db).await.expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_of_a_joint_venture_holds_back_only_the_matches_it_takes_part_in() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let a = venture_of(&app, A).await;
    let added = add_entry(&app, &north, &a.to_string()).await;
    assert!(added.status.is_redirection(), "{}", added.body);
    let stored = entries(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].joint_venture_id, Some(a));
    assert_eq!(app.last_event().await.action, "add_benign_value");

    // A and B: A takes part, so its entry holds the match back.
    let before = overlap_count(&app).await;
    let known = phone_overlaps(&app, A, B).await;
    add_phone(&app, &north, A).await;
    add_phone(&app, &amsterdam, B).await;
    assert_eq!(overlap_count(&app).await, before, "A–B held back");
    assert_eq!(phone_overlaps(&app, A, B).await, known);

    // C matches both: with A held back, with B raised (A's entry is no business of theirs).
    add_phone_to_c(&app).await;
    assert_eq!(phone_overlaps(&app, A, C).await, 0, "A–C held back");
    assert_eq!(phone_overlaps(&app, B, C).await, 1, "B–C raised");
    assert_eq!(overlap_count(&app).await, before + 1);

    // The re-scan weighs the entry the same way.
    overlap::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("cleared");
    liaison_app::overlaps::rescan::rescan(&app.db, &matching())
        .await
        .expect("re-scan");
    assert_eq!(phone_overlaps(&app, A, C).await, 0, "A–C held back");
    assert_eq!(phone_overlaps(&app, A, B).await, known, "A–B held back");
    assert_eq!(phone_overlaps(&app, B, C).await, 1, "B–C raised");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_side_is_told_a_match_was_held_back_but_never_the_value() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let a = venture_of(&app, A).await;
    let added = add_entry(&app, &north, &a.to_string()).await;
    assert!(added.status.is_redirection(), "{}", added.body);
    add_phone(&app, &north, A).await;
    add_phone(&app, &amsterdam, B).await;

    let told = app
        .call_with("/api/held_back_matches", "", Some(&amsterdam))
        .await;
    assert_eq!(told.status, 200, "{}", told.body);
    assert!(
        told.body.contains(B) && told.body.contains("phone"),
        "{}",
        told.body
    );
    let inbox = app.get_with("/overlaps", &amsterdam).await;
    assert!(inbox.body.contains("id=\"held-back\""), "{}", inbox.body);

    // Everything B reads but its own case's subjects (which hold the value B typed itself):
    // the value, the entry's label and reason, and who added it are absent.
    for (path, json) in [
        ("/api/held_back_matches", true),
        ("/api/benign_values", true),
        ("/api/overlaps", true),
        ("/api/notifications", true),
        ("/overlaps", false),
        ("/benign", false),
        ("/notifications", false),
        ("/", false),
    ] {
        let read = if json {
            app.call_with(path, "", Some(&amsterdam)).await
        } else {
            app.get_with(path, &amsterdam).await
        };
        assert!(read.status.is_success(), "{path}: {}", read.status);
        let text = read.text();
        for secret in [DIGITS, LABEL, REASON] {
            assert!(!text.contains(secret), "{path} shows {secret}: {text}");
        }
        if path.contains("benign") {
            assert!(!text.contains("Chris Jansen"), "{path}: {text}");
        }
    }

    // The side whose entry it is was not "told" of its own decision.
    let own = app
        .call_with("/api/held_back_matches", "", Some(&north))
        .await;
    assert_eq!(own.body.trim(), "[]", "{}", own.body);

    // Once the entry is removed, nothing is held back any more.
    let id = entries(&app).await[0].id;
    let removed = app
        .post_form_with("/api/remove_benign_value", &format!("id={id}"), &north)
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    let told = app
        .call_with("/api/held_back_matches", "", Some(&amsterdam))
        .await;
    assert_eq!(told.body.trim(), "[]", "{}", told.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_neither_sees_nor_removes_another_joint_venture_s_entry() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let a = venture_of(&app, A).await;
    add_entry(&app, &north, &a.to_string()).await;
    let id = entries(&app).await[0].id;

    let own = app.call_with("/api/benign_values", "", Some(&north)).await;
    assert!(
        own.body.contains(LABEL) && own.body.contains(REASON) && own.body.contains("Chris Jansen"),
        "its keepers see it in full: {}",
        own.body
    );
    for read in [
        app.call_with("/api/benign_values", "", Some(&amsterdam))
            .await,
        app.get_with("/benign", &amsterdam).await,
    ] {
        let text = read.text();
        assert!(
            !text.contains(LABEL) && !text.contains(REASON),
            "not listed: {text}"
        );
    }

    // Refused as an entry that does not exist is: no telling whether it does.
    let theirs = app
        .call_with(
            "/api/remove_benign_value",
            &format!("id={id}"),
            Some(&amsterdam),
        )
        .await;
    let missing = app
        .call_with("/api/remove_benign_value", "id=999999", Some(&amsterdam))
        .await;
    assert_eq!(theirs.status, 400, "{}", theirs.body);
    assert_eq!(
        (theirs.status, theirs.body.clone()),
        (missing.status, missing.body)
    );
    assert!(
        benign_value::Entity::find_by_id(id)
            .one(&app.db)
            .await
            .expect("query")
            .is_some(),
        "still on the list"
    );
    // As a plain form post too.
    let posted = app
        .post_form_with("/api/remove_benign_value", &format!("id={id}"), &amsterdam)
        .await;
    assert_eq!(posted.status, 400, "{}", posted.body);
    assert_eq!(entries(&app).await.len(), 1);

    // An administrator keeps the list tidy: sees every joint venture's entries by kind, joint
    // venture and end date, never the coordinators' words about them (separation of duties).
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let list = app.call_with("/api/benign_values", "", Some(&admin)).await;
    assert!(list.status.is_success(), "{}", list.body);
    assert!(
        !list.body.contains(LABEL) && !list.body.contains("Chris Jansen"),
        "{}",
        list.body
    );
    let listed: serde_json::Value = serde_json::from_str(&list.body).expect("json");
    assert_eq!(listed["rows"][0]["id"], id, "{}", list.body);
    assert_eq!(listed["rows"][0]["removable"], true);
    let removed = app
        .post_form_with("/api/remove_benign_value", &format!("id={id}"), &admin)
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    assert!(entries(&app).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_adds_no_national_entry_nor_one_for_a_joint_venture_they_do_not_coordinate() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let b = venture_of(&app, B).await.to_string();
    let c = venture_of(&app, C).await.to_string();
    for joint_venture in [
        "",
        "national",
        b.as_str(),
        c.as_str(),
        "999999",
        "-1",
        "abc",
        "1%20OR%201%3D1",
    ] {
        let refused = add_entry(&app, &north, joint_venture).await;
        assert_eq!(refused.status, 400, "{joint_venture:?}: {}", refused.body);
        assert!(
            refused.text().contains("joint_venture_id:"),
            "{joint_venture:?}: {}",
            refused.body
        );
    }
    assert!(entries(&app).await.is_empty(), "nothing stored");

    // The form offers exactly the caller's own joint ventures.
    let list = app.call_with("/api/benign_values", "", Some(&north)).await;
    let a = venture_of(&app, A).await;
    assert!(
        list.body.contains(&format!("\"id\":{a}")) && list.body.contains("\"national\":false"),
        "{}",
        list.body
    );
    let page = app.get_with("/benign", &north).await;
    assert!(
        page.body.contains("name=\"benign[joint_venture_id]\"")
            && page.body.contains(&format!("value=\"{a}\""))
            && !page.body.contains("value=\"national\""),
        "{}",
        page.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_s_national_entry_holds_back_every_match() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;

    // An administrator adds national entries only.
    let a = venture_of(&app, A).await.to_string();
    let refused = add_entry(&app, &admin, &a).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.text().contains("joint_venture_id:"),
        "{}",
        refused.body
    );
    assert!(entries(&app).await.is_empty());
    let page = app.get_with("/benign", &admin).await;
    assert!(page.body.contains("value=\"national\""), "{}", page.body);

    let added = add_entry(&app, &admin, "national").await;
    assert!(added.status.is_redirection(), "{}", added.body);
    let stored = entries(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].joint_venture_id, None);

    let before = overlap_count(&app).await;
    add_phone(&app, &north, A).await;
    add_phone(&app, &amsterdam, B).await;
    add_phone_to_c(&app).await;
    assert_eq!(overlap_count(&app).await, before, "every match held back");
    // On everyone's list, so nobody is told of it as held back.
    for cookie in [&north, &amsterdam] {
        let told = app
            .call_with("/api/held_back_matches", "", Some(cookie))
            .await;
        assert_eq!(told.body.trim(), "[]", "{}", told.body);
    }

    // Coordinators see the national entry, not who added it, and may not remove it.
    for cookie in [&north, &amsterdam] {
        let list = app.call_with("/api/benign_values", "", Some(cookie)).await;
        assert!(
            list.body.contains(LABEL) && !list.body.contains("Floor Dekker"),
            "{}",
            list.body
        );
        let refused = app
            .call_with(
                "/api/remove_benign_value",
                &format!("id={}", stored[0].id),
                Some(cookie),
            )
            .await;
        assert_eq!(refused.status, 400, "{}", refused.body);
    }
    assert_eq!(entries(&app).await.len(), 1);
    let admin_list = app.call_with("/api/benign_values", "", Some(&admin)).await;
    assert!(
        admin_list.body.contains("Floor Dekker"),
        "{}",
        admin_list.body
    );
    let removed = app
        .post_form_with(
            "/api/remove_benign_value",
            &format!("id={}", stored[0].id),
            &admin,
        )
        .await;
    assert!(removed.status.is_redirection(), "{}", removed.body);
    assert!(entries(&app).await.is_empty());
}
