//! Overlap detection on save, the pointer view, disclosure on consent, false-match memory, the
//! benign list, and the re-scan finding exactly what saving found.

use liaison_app::server::{
    entity::{benign_value, case, overlap, subject},
    mail::{Mail, Mailer},
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{CONSENT_GROUNDS, SmtpSink, TestApp, matching, spawn_app, spawn_app_with};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};

async fn all(app: &TestApp) -> Vec<overlap::Model> {
    overlap::Entity::find()
        .order_by_asc(overlap::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
}

async fn reference(app: &TestApp, case_id: i32) -> String {
    case::Entity::find_by_id(case_id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("case")
        .reference
}

/// (match kind, the two case references, urgent) of every overlap, sorted.
async fn summary(app: &TestApp) -> Vec<(String, String, String, bool)> {
    let mut rows = Vec::new();
    for o in all(app).await {
        let mut refs = [
            reference(app, o.first_case_id).await,
            reference(app, o.second_case_id).await,
        ];
        refs.sort();
        let [a, b] = refs;
        rows.push((o.match_kind, a, b, o.urgent));
    }
    rows.sort();
    rows
}

async fn overlap_between(app: &TestApp, a: &str, b: &str, kind: &str) -> overlap::Model {
    let (a, b) = (app.case_id(a).await, app.case_id(b).await);
    all(app)
        .await
        .into_iter()
        .find(|o| {
            o.match_kind == kind
                && [o.first_case_id, o.second_case_id].contains(&a)
                && [o.first_case_id, o.second_case_id].contains(&b)
        })
        .unwrap_or_else(|| panic!("no {kind} overlap between the cases"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_data_s_deliberate_overlaps_are_found_as_it_is_saved() {
    let app = spawn_app().await;
    let found = summary(&app).await;
    let expected = [
        ("bank_account", "FRM-2026-002", "PAR-2026-011", false),
        ("operation", "KMA-2026-007", "TMN-2026-014", true),
        ("person", "KMA-2026-007", "MCS-2026-003", false),
        ("phone", "KMA-2026-007", "TMN-2026-014", false),
        ("vehicle", "GSZ-2026-009", "TMN-2026-014", false),
    ]
    .map(|(k, a, b, u)| (k.to_owned(), a.to_owned(), b.to_owned(), u));
    assert_eq!(found, expected);
    let person = overlap_between(&app, "KMA-2026-007", "MCS-2026-003", "person").await;
    assert!(person.score >= 0.9, "{}", person.score);
    assert!(
        person.explanation.contains("FamilyEqual") && person.explanation.contains("BirthEqual")
    );
    assert!(
        !person.explanation.to_lowercase().contains("amrani"),
        "no values in the evidence"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_identifier_kind_matches_on_its_normal_form_across_joint_ventures() {
    let app = spawn_app().await;
    let north = app.case_id("TMN-2026-021").await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    // Values of other joint ventures' demo cases, typed differently.
    let typed = [
        (
            "bank_account",
            "subject[value]=nl02%20abna%200123%20456789",
            "KMA-2026-007",
        ),
        (
            "email",
            "subject[value]=Travel.Docs.AMS%40example.org",
            "MCS-2026-003",
        ),
        (
            "document",
            "subject[document_type]=passport&subject[value]=nx-441-7729&subject[country]=NLD",
            "MCS-2026-003",
        ),
        (
            "immigration_number",
            "subject[value]=V%202205114377",
            "SO-2026-017",
        ),
        (
            "company",
            "subject[name]=Flexwerk&subject[value]=8765%204321",
            "PAR-2026-011",
        ),
        (
            "address",
            "subject[street]=Jan%20van%20Galenstraat&subject[house_number]=210%20b&subject[postcode]=1056cb",
            "KMA-2026-007",
        ),
        ("vehicle", "subject[value]=v%20233%20xz", "SO-2026-017"),
    ];
    for (kind, fields, other) in typed {
        let before = overlap::Entity::find().count(&app.db).await.expect("count");
        let added = app
            .post_form_with(
                "/api/add_subject",
                &format!("case_id={north}&subject[kind]={kind}&{fields}"),
                &cookie,
            )
            .await;
        assert!(added.status.is_redirection(), "{kind}: {}", added.body);
        assert_eq!(
            overlap::Entity::find().count(&app.db).await.expect("count"),
            before + 1,
            "{kind}"
        );
        overlap_between(&app, "TMN-2026-021", other, kind).await;
    }
    // Within the same joint venture nothing is raised.
    let before = overlap::Entity::find().count(&app.db).await.expect("count");
    app.post_form_with(
        "/api/add_subject",
        &format!("case_id={north}&subject[kind]=vehicle&subject[value]=VX512K"),
        &cookie,
    )
    .await;
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before + 1,
        "only Smokkel Zuid's plate, not Noord's own"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operations_conflict_within_500_metres_and_overlapping_hours_only() {
    let app = spawn_app().await;
    let north = app.case_id("TMN-2026-021").await;
    let cookie = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    // The Amsterdam arrest at Sloterdijk (52.3891, 4.8377), three days on, 07:00–09:00.
    let day = (chrono::Local::now().date_naive() + chrono::Duration::days(3)).to_string();
    let plan = |coordinates: &str, from: &str, to: &str| {
        format!(
            "case_id={north}&operation[kind]=search&operation[place]=&operation[municipality]=&operation[note]=&operation[coordinates]={coordinates}&operation[starts_at]={day}T{from}&operation[ends_at]={day}T{to}"
        )
    };
    let count = || async {
        overlap::Entity::find()
            .filter(overlap::Column::Kind.eq("operation"))
            .count(&app.db)
            .await
            .expect("count")
    };
    let before = count().await;
    // About 560 m north: too far.
    app.post_form_with(
        "/api/add_operation",
        &plan("52.3941%2C4.8377", "07:30", "08:00"),
        &cookie,
    )
    .await;
    assert_eq!(count().await, before, "beyond 500 m");
    // Close, but starting when the arrest ends.
    app.post_form_with(
        "/api/add_operation",
        &plan("52.3893%2C4.8377", "09:00", "10:00"),
        &cookie,
    )
    .await;
    assert_eq!(count().await, before, "touching windows do not overlap");
    // About 440 m away, overlapping by half an hour: raised, urgent, with Noord's other
    // operation at Sloterdijk too.
    app.post_form_with(
        "/api/add_operation",
        &plan("52.3931%2C4.8377", "08:30", "10:00"),
        &cookie,
    )
    .await;
    let raised: Vec<overlap::Model> = overlap::Entity::find()
        .filter(overlap::Column::Kind.eq("operation"))
        .order_by_desc(overlap::Column::Id)
        .all(&app.db)
        .await
        .expect("query");
    assert_eq!(
        count().await,
        before + 1,
        "only the other joint venture's operation"
    );
    assert!(raised[0].urgent);
    assert!(
        raised[0].explanation.contains("\"minutes\":30"),
        "{}",
        raised[0].explanation
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_side_sees_only_its_own_case_until_both_agree_to_share() {
    let app = spawn_app().await;
    let phone = overlap_between(&app, "TMN-2026-014", "KMA-2026-007", "phone").await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let secrets_of_amsterdam = [
        "Uitbuiting in massagesalons West",
        "El Amrani",
        "Galenstraat",
        "+31 (0)6-4123 4567",
    ];

    let view = app
        .call_with("/api/overlap", &format!("id={}", phone.id), Some(&north))
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    assert!(
        view.body.contains("Bestelbussen via Nieuweschans"),
        "own case: {}",
        view.body
    );
    assert!(
        view.body.contains("Ketenaanpak Mensenhandel Amsterdam"),
        "the other joint venture"
    );
    assert!(
        view.body
            .contains("coordinator-amsterdam@demo.liaison.invalid"),
        "its coordinator"
    );
    for secret in secrets_of_amsterdam {
        assert!(
            !view.body.contains(secret),
            "leaked {secret}: {}",
            view.body
        );
    }
    assert_eq!(app.last_event().await.action, "read_overlap");
    let list = app.call_with("/api/overlaps", "", Some(&north)).await;
    for secret in secrets_of_amsterdam {
        assert!(!list.body.contains(secret), "list leaked {secret}");
    }
    let page = app
        .get_with(&format!("/overlaps/{}", phone.id), &north)
        .await
        .text();
    for secret in secrets_of_amsterdam {
        assert!(!page.contains(secret), "page leaked {secret}");
    }

    for user in ["manager", "ministry", "admin", "auditor", "reporter"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let refused = app
            .call_with("/api/overlap", &format!("id={}", phone.id), Some(&cookie))
            .await;
        assert_eq!(refused.status, 403, "{user}");
        let consent = app
            .call_with(
                "/api/consent_to_disclose",
                &format!("id={}&{CONSENT_GROUNDS}", phone.id),
                Some(&cookie),
            )
            .await;
        assert_eq!(consent.status, 403, "{user}");
    }

    let first = app
        .post_form_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", phone.id),
            &north,
        )
        .await;
    assert!(first.status.is_redirection(), "{}", first.body);
    assert_eq!(app.last_event().await.action, "consent_overlap");
    let still = app
        .call_with("/api/overlap", &format!("id={}", phone.id), Some(&north))
        .await;
    assert!(
        !still.body.contains("Uitbuiting in massagesalons West"),
        "one side is not enough"
    );

    let second = app
        .post_form_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", phone.id),
            &amsterdam,
        )
        .await;
    assert!(second.status.is_redirection(), "{}", second.body);
    assert_eq!(app.last_event().await.action, "disclose_overlap");
    let disclosed = app
        .call_with("/api/overlap", &format!("id={}", phone.id), Some(&north))
        .await;
    assert!(
        disclosed.body.contains("Uitbuiting in massagesalons West"),
        "{}",
        disclosed.body
    );
    assert!(
        disclosed.body.contains("+31 (0)6-4123 4567"),
        "the matched subject"
    );
    assert!(
        !disclosed.body.contains("El Amrani"),
        "only the matched subject, not the others"
    );
    let theirs = app
        .call_with(
            "/api/overlap",
            &format!("id={}", phone.id),
            Some(&amsterdam),
        )
        .await;
    // Disclosed to Amsterdam: Noord's title and matched phone, not Noord's other subjects.
    for shared in ["Bestelbussen via Nieuweschans", "06 41 23 45 67"] {
        assert!(theirs.body.contains(shared), "{shared}: {}", theirs.body);
    }
    assert!(
        !theirs.body.contains("Kowalczyk"),
        "unmatched subjects stay hidden"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pointer_only_case_is_never_disclosed() {
    let app = spawn_app().await;
    let pointer_only = app.case_id("TMN-2026-021").await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    app.post_form_with(
        "/api/add_subject",
        &format!(
            "case_id={pointer_only}&subject[kind]=email&subject[value]=snelgeld.noord%40example.org"
        ),
        &north,
    )
    .await;
    let o = overlap_between(&app, "TMN-2026-021", "KMA-2025-031", "email").await;
    let refused = app
        .call_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", o.id),
            Some(&north),
        )
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("pointer-only"), "{}", refused.body);
    let after = overlap::Entity::find_by_id(o.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("overlap");
    assert!(!after.first_consents && !after.second_consents && after.disclosed_at.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_judged_false_match_is_not_raised_again_for_the_same_evidence() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let o = overlap_between(&app, "TMN-2026-014", "KMA-2026-007", "phone").await;
    let short = app
        .call_with(
            "/api/overlap_step",
            &format!(
                "id={}&version=1&step=rule&decision=false_match&reason=no",
                o.id
            ),
            Some(&manager),
        )
        .await;
    assert_eq!(short.status, 400);
    assert!(short.body.contains("reason"));
    let judged = app
        .post_form_with(
            "/api/overlap_step",
            &format!(
                "id={}&version=1&step=rule&decision=false_match&reason=Nummer%20is%20van%20een%20taxicentrale",
                o.id
            ),
            &manager,
        )
        .await;
    assert!(judged.status.is_redirection(), "{}", judged.body);
    assert_eq!(app.last_event().await.action, "overlap_step");
    let decided = overlap::Entity::find_by_id(o.id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("overlap");
    assert_eq!(decided.state, "decided");
    assert_eq!(decided.decision.as_deref(), Some("false_match"));

    // The same phone removed and entered again in Noord's case: not raised again.
    let case_id = app.case_id("TMN-2026-014").await;
    let phone = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case_id))
        .filter(subject::Column::Kind.eq("phone"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the demo phone");
    app.post_form_with(
        "/api/remove_subject",
        &format!("case_id={case_id}&subject_id={}", phone.id),
        &north,
    )
    .await;
    let before = overlap::Entity::find().count(&app.db).await.expect("count");
    app.post_form_with(
        "/api/add_subject",
        &format!("case_id={case_id}&subject[kind]=phone&subject[value]=0641234567"),
        &north,
    )
    .await;
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_value_on_the_benign_list_raises_nothing_until_it_expires() {
    let app = spawn_app().await;
    let m = matching();
    let admin = app.user_id("admin").await;
    let benign = |expires: chrono::NaiveDate| benign_value::ActiveModel {
        key_hash: Set(m.secret.hash("phone=+31201234567")),
        kind: Set("phone".into()),
        label: Set("NGO helpline".into()),
        reason: Set("Hulplijn die veel slachtoffers bellen".into()),
        expires_on: Set(expires),
        created_by: Set(admin),
        created_at: Set("2026-11-30T00:00:00Z".into()),
        ..Default::default()
    };
    benign(chrono::Local::now().date_naive() + chrono::Duration::days(30))
        .insert(&app.db)
        .await
        .expect("listed");
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let (a, b) = (
        app.case_id("TMN-2026-014").await,
        app.case_id("KMA-2026-007").await,
    );
    let add =
        |case_id: i32| format!("case_id={case_id}&subject[kind]=phone&subject[value]=020-1234567");
    let before = overlap::Entity::find().count(&app.db).await.expect("count");
    app.post_form_with("/api/add_subject", &add(a), &north)
        .await;
    app.post_form_with("/api/add_subject", &add(b), &amsterdam)
        .await;
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before,
        "benign"
    );

    benign_value::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("delete");
    benign(chrono::Local::now().date_naive() - chrono::Duration::days(1))
        .insert(&app.db)
        .await
        .expect("expired");
    app.post_form_with("/api/add_subject", &add(b), &amsterdam)
        .await;
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before + 1,
        "an expired entry no longer suppresses"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_re_scan_finds_exactly_what_saving_found() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let case_id = app.case_id("TMN-2026-021").await;
    app.post_form_with(
        "/api/add_subject",
        &format!("case_id={case_id}&subject[kind]=person&subject[given_names]=Ahmed&subject[family_name]=Rahimi&subject[birth_date]=1975&subject[nationality]=AFG"),
        &north,
    )
    .await;
    let incremental = summary(&app).await;
    assert!(
        incremental
            .iter()
            .any(|(k, _, b, _)| k == "person" && b == "TMN-2026-021"),
        "{incremental:?}"
    );
    // A person's score weighs how common its values are among the persons stored: the
    // re-scan counts them all, a save those stored so far, so scores agree to two decimals.
    let items = |overlaps: Vec<overlap::Model>| {
        let mut items: Vec<(String, i32, i32, String)> = overlaps
            .into_iter()
            .map(|o| {
                let score = format!("{:.2}", o.score);
                (o.kind, o.first_item_id, o.second_item_id, score)
            })
            .collect();
        items.sort_by(|a, b| (&a.0, a.1, a.2).cmp(&(&b.0, b.1, b.2)));
        items
    };
    let scores = items(all(&app).await);

    overlap::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("cleared");
    let report = liaison_app::overlaps::rescan::rescan(&app.db, &matching())
        .await
        .expect("re-scan");
    assert_eq!(report.new_overlaps, incremental.len());
    assert_eq!(summary(&app).await, incremental);
    assert_eq!(items(all(&app).await), scores);

    // A second run adds nothing: recorded overlaps keep their state.
    let again = liaison_app::overlaps::rescan::rescan(&app.db, &matching())
        .await
        .expect("re-scan");
    assert_eq!(again.new_overlaps, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_keep_the_benign_list_which_holds_no_values() {
    let app = spawn_app().await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let north_jv = case::Entity::find_by_id(app.case_id("TMN-2026-014").await)
        .one(&app.db)
        .await
        .expect("query")
        .expect("case")
        .joint_venture_id;
    let expires = (chrono::Local::now().date_naive() + chrono::Duration::days(90)).to_string();
    let form = |fields: &str| {
        format!(
            "benign[joint_venture_id]={north_jv}&benign[kind]=phone&benign[value]=0800-0222&benign[label]=Hulplijn%20Mensenhandel&benign[reason]=Veel%20slachtoffers%20bellen%20dit%20nummer&benign[expires_on]={expires}&{fields}"
        )
    };
    for (fields, expected) in [
        ("benign[kind]=person", "kind:"),
        ("benign[value]=12", "value:"),
        ("benign[reason]=ok", "reason:"),
        ("benign[expires_on]=2020-01-01", "expires_on:"),
        ("benign[label]=", "label:"),
    ] {
        let body = form("")
            .split('&')
            .filter(|pair| {
                !fields
                    .split('&')
                    .any(|f| f.split('=').next() == pair.split('=').next())
            })
            .chain(fields.split('&'))
            .collect::<Vec<_>>()
            .join("&");
        let refused = app
            .post_form_with("/api/add_benign_value", &body, &north)
            .await;
        assert_eq!(refused.status, 400, "{fields}: {}", refused.body);
        assert!(
            refused.text().contains(expected),
            "{fields}: {}",
            refused.body
        );
    }
    assert_eq!(
        benign_value::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );

    let added = app
        .post_form_with("/api/add_benign_value", &form(""), &north)
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);
    assert_eq!(app.last_event().await.action, "add_benign_value");
    let stored = benign_value::Entity::find()
        .one(&app.db)
        .await
        .expect("query")
        .expect("entry");
    assert!(
        !stored.key_hash.contains("800"),
        "only a keyed hash is stored"
    );
    let list = app.call_with("/api/benign_values", "", Some(&north)).await;
    assert!(
        list.body.contains("Hulplijn Mensenhandel") && !list.body.contains("0800"),
        "{}",
        list.body
    );

    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let before = overlap::Entity::find().count(&app.db).await.expect("count");
    for (cookie, reference) in [(&north, "TMN-2026-014"), (&amsterdam, "KMA-2026-007")] {
        let case_id = app.case_id(reference).await;
        app.post_form_with(
            "/api/add_subject",
            &format!("case_id={case_id}&subject[kind]=phone&subject[value]=08000222"),
            cookie,
        )
        .await;
    }
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before
    );

    for user in ["manager", "ministry", "auditor", "reporter"] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        assert_eq!(
            app.call_with("/api/benign_values", "", Some(&cookie))
                .await
                .status,
            403,
            "{user}"
        );
        assert_eq!(
            app.call_with("/api/add_benign_value", &form(""), Some(&cookie))
                .await
                .status,
            403,
            "{user}"
        );
    }
    let removed = app
        .post_form_with(
            "/api/remove_benign_value",
            &format!("id={}", stored.id),
            &north,
        )
        .await;
    assert!(removed.status.is_redirection());
    assert_eq!(app.last_event().await.action, "remove_benign_value");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_new_secret_the_re_key_keeps_every_overlap_and_false_match() {
    let app = spawn_app().await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let o = overlap_between(&app, "TMN-2026-014", "GSZ-2026-009", "vehicle").await;
    let ruled = app
        .post_form_with(
            "/api/overlap_step",
            &format!(
                "id={}&version=1&step=rule&decision=false_match&reason=Kenteken%20is%20doorverkocht",
                o.id
            ),
            &manager,
        )
        .await;
    assert!(ruled.status.is_redirection(), "{}", ruled.body);
    let before = summary(&app).await;
    let old_keys: Vec<String> = liaison_app::server::entity::match_key::Entity::find()
        .all(&app.db)
        .await
        .expect("keys")
        .into_iter()
        .map(|k| k.key_hash)
        .collect();

    let rotated = liaison_app::overlaps::candidates::Matching::new(
        "a rotated secret of more than thirty-two characters",
    );
    let report = liaison_app::overlaps::rescan::rescan(&app.db, &rotated)
        .await
        .expect("re-key");
    assert_eq!(report.new_overlaps, 0, "nothing lost, nothing doubled");
    assert_eq!(summary(&app).await, before);
    let new_keys: Vec<String> = liaison_app::server::entity::match_key::Entity::find()
        .all(&app.db)
        .await
        .expect("keys")
        .into_iter()
        .map(|k| k.key_hash)
        .collect();
    assert_eq!(new_keys.len(), old_keys.len());
    assert!(
        new_keys.iter().all(|k| !old_keys.contains(k)),
        "every key hashed anew"
    );

    // The judged plate, removed and entered again under the new secret, stays unraised.
    let case_id = app.case_id("TMN-2026-014").await;
    let plate = subject::Entity::find()
        .filter(subject::Column::CaseId.eq(case_id))
        .filter(subject::Column::Normal.eq("NL:VX512K"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("plate");
    subject::Entity::delete_by_id(plate.id)
        .exec(&app.db)
        .await
        .expect("removed");
    let again = liaison_app::subjects::save::new_row(
        liaison_app::subjects::parse::parse(
            &liaison_app::subjects::types::SubjectInput {
                kind: "vehicle".into(),
                value: "VX-512-K".into(),
                ..Default::default()
            },
            2026,
        )
        .expect("valid"),
        case_id,
        1,
        "2026-11-30T00:00:00Z",
    )
    .insert(&app.db)
    .await
    .expect("saved");
    let jv = app.case_id("TMN-2026-014").await;
    let jv = case::Entity::find_by_id(jv)
        .one(&app.db)
        .await
        .expect("q")
        .expect("case")
        .joint_venture_id;
    let raised = liaison_app::overlaps::detect::on_subject_saved(&app.db, &rotated, &again, jv)
        .await
        .expect("matched");
    assert_eq!(raised, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_finding_subjects_without_keys_rebuilds_them_at_once() {
    use liaison_app::server::entity::match_key;
    let app = spawn_app().await;
    let keys = match_key::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    let found = overlap::Entity::find().count(&app.db).await.expect("count");
    assert!(keys > 0, "the demo's subjects are filed under keys");
    // As the migration to pair keys leaves a database: subjects, no keys.
    match_key::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("cleared");
    assert!(
        liaison_app::overlaps::rescan::keys_missing(&app.db)
            .await
            .expect("read")
    );

    let config = liaison_tests::test_config(&app.database.url);
    let _server = liaison_server::startup::Application::build(config)
        .await
        .expect("the server starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while match_key::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
        < keys
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the keys were not rebuilt within a minute"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        !liaison_app::overlaps::rescan::keys_missing(&app.db)
            .await
            .expect("read")
    );
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        found,
        "the re-scan found the same overlaps and added none"
    );
}

/// A phone number entered in a case of each of two joint ventures, stored without matching
/// (as a restore, or a migration that changed the keys, leaves subjects): only a re-scan can
/// find the overlap. Returns the two joint ventures.
async fn unmatched_phone_in_two_joint_ventures(app: &TestApp) -> (i32, i32) {
    let cases = case::Entity::find()
        .order_by_asc(case::Column::Id)
        .all(&app.db)
        .await
        .expect("cases");
    let first = cases.first().expect("a case");
    let second = cases
        .iter()
        .find(|c| c.joint_venture_id != first.joint_venture_id)
        .expect("a case of another joint venture");
    for c in [first, second] {
        liaison_app::subjects::save::new_row(
            liaison_app::subjects::parse::parse(
                &liaison_app::subjects::types::SubjectInput {
                    kind: "phone".into(),
                    value: "+31 6 4299 1733".into(),
                    ..Default::default()
                },
                2026,
            )
            .expect("valid"),
            c.id,
            1,
            "2026-11-30T00:00:00Z",
        )
        .insert(&app.db)
        .await
        .expect("saved without matching");
    }
    (first.joint_venture_id, second.joint_venture_id)
}

/// The e-mail addresses of a joint venture's coordinators.
async fn coordinator_emails(app: &TestApp, jv: i32) -> Vec<String> {
    use liaison_app::server::entity::{coordinator, user_account};
    let mut emails = Vec::new();
    for c in coordinator::Entity::find()
        .filter(coordinator::Column::JointVentureId.eq(jv))
        .all(&app.db)
        .await
        .expect("coordinators")
    {
        let account = user_account::Entity::find_by_id(c.user_id)
            .one(&app.db)
            .await
            .expect("query")
            .expect("account");
        emails.push(account.email);
    }
    assert!(!emails.is_empty(), "joint venture {jv} has coordinators");
    emails
}

/// After the deadline job has sent what was queued: every coordinator of both sides was told
/// of the new overlap and got its e-mail, as for an overlap found on save.
async fn both_sides_were_e_mailed(app: &TestApp, sink: &SmtpSink, sides: (i32, i32), mail: &Mail) {
    use liaison_app::server::entity::{notification, user_account};
    let settings = liaison_app::settings::Settings {
        mail: mail.clone(),
        ..Default::default()
    };
    // On one SQLite file a second server's start-up counting of the summaries may hold the
    // write lock for a moment; the job is idempotent and simply runs again on its next tick.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let report = loop {
        match liaison_app::jobs::run_job(&app.db, &settings, "test", chrono::Utc::now()).await {
            Ok(report) => break report,
            Err(err) => assert!(
                std::time::Instant::now() < deadline,
                "the deadline job failed: {err}"
            ),
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(report.mail_sent >= 2, "{report:?}");
    let found = all(app).await.pop().expect("the new overlap");
    let messages = sink.messages();
    for jv in [sides.0, sides.1] {
        for email in coordinator_emails(app, jv).await {
            let user = user_account::Entity::find()
                .filter(user_account::Column::Email.eq(email.clone()))
                .one(&app.db)
                .await
                .expect("query")
                .expect("coordinator");
            let told = notification::Entity::find()
                .filter(notification::Column::UserId.eq(user.id))
                .filter(notification::Column::OverlapId.eq(found.id))
                .filter(notification::Column::Kind.eq("new_overlap"))
                .one(&app.db)
                .await
                .expect("query")
                .expect("the coordinator is told of the new overlap");
            assert_eq!(told.mail, "sent", "{email} of joint venture {jv}");
            assert!(
                messages
                    .iter()
                    .any(|m| m.contains(&email) && m.contains("A new overlap was found.")),
                "no e-mail to {email} of joint venture {jv}: {messages:?}"
            );
        }
    }
}

fn sink_mail(sink: &SmtpSink) -> Mail {
    Mail(Some(std::sync::Arc::new(
        Mailer::new(
            &format!("smtp://127.0.0.1:{}", sink.port),
            "Liaison <liaison@example.test>",
            "https://liaison.example.test",
        )
        .expect("mailer"),
    )))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overlap_found_by_the_background_re_scan_is_e_mailed_like_one_found_on_save() {
    let sink = SmtpSink::start().await;
    let mail = sink_mail(&sink);
    let app = spawn_app_with(|config| config.settings.mail = mail.clone()).await;
    let before = all(&app).await.len();
    let sides = unmatched_phone_in_two_joint_ventures(&app).await;
    // As the migration to new keys leaves a database: no keys at all.
    liaison_app::server::entity::match_key::Entity::delete_many()
        .exec(&app.db)
        .await
        .expect("cleared");

    // A server that finds subjects without keys re-scans at once, in the background.
    let mut config = liaison_tests::test_config(&app.database.url);
    config.settings.mail = mail.clone();
    let _server = liaison_server::startup::Application::build(config)
        .await
        .expect("the server starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while all(&app).await.len() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "the background re-scan found nothing within a minute"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // The re-scan goes on past the new overlap; its lease is released when it is done.
    use liaison_app::server::entity::job_lease;
    loop {
        let lease = job_lease::Entity::find_by_id("rescan".to_owned())
            .one(&app.db)
            .await
            .expect("query");
        let now = liaison_app::server::utc_text(chrono::Utc::now());
        if lease.is_some_and(|l| l.until < now) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the background re-scan did not finish within a minute"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(all(&app).await.len(), before + 1);
    both_sides_were_e_mailed(&app, &sink, sides, &mail).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_overlap_found_by_the_command_line_re_scan_is_e_mailed_like_one_found_on_save() {
    let sink = SmtpSink::start().await;
    let mail = sink_mail(&sink);
    let app = spawn_app_with(|config| config.settings.mail = mail.clone()).await;
    let before = all(&app).await.len();
    let sides = unmatched_phone_in_two_joint_ventures(&app).await;

    let mut config = liaison_tests::test_config(&app.database.url);
    config.settings.mail = mail.clone();
    let report = liaison_server::startup::rescan(&config)
        .await
        .expect("`liaison-server rescan`");
    assert_eq!(report.new_overlaps, 1);
    assert_eq!(all(&app).await.len(), before + 1);
    both_sides_were_e_mailed(&app, &sink, sides, &mail).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_handling_code_discloses_nothing_and_fails_no_other_match() {
    let app = spawn_app().await;
    let before = all(&app).await.len();
    unmatched_phone_in_two_joint_ventures(&app).await;
    // As a hand-made fix in the database might leave a case: a code that is none of the known.
    let first = case::Entity::find()
        .order_by_asc(case::Column::Id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("a case");
    case::Entity::update_many()
        .col_expr(
            case::Column::Handling,
            sea_orm::sea_query::Expr::value("garbled"),
        )
        .filter(case::Column::Id.eq(first.id))
        .exec(&app.db)
        .await
        .expect("corrupted");

    let config = liaison_tests::test_config(&app.database.url);
    let report = liaison_server::startup::rescan(&config)
        .await
        .expect("the re-scan is not stopped by one corrupt case");
    assert_eq!(report.new_overlaps, 1);
    let found = all(&app).await;
    assert_eq!(found.len(), before + 1);
    let new = found.last().expect("the new overlap");
    assert!(
        !new.first_consents && !new.second_consents && new.disclosed_at.is_none(),
        "read as pointer-only: nothing consented or disclosed"
    );
}
