//! Disclosure (issue 18, items 6 and 7): what each side discloses is frozen at the moment both
//! agree, every read asks the disclosing case's handling code again, and a case shared with
//! named joint ventures is never disclosed to one it does not name.

use liaison_app::server::entity::{overlap, overlap_disclosure, oversight};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{CONSENT_GROUNDS, TestApp, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::Value;

const NORTH: &str = "Taskforce Mensensmokkel Noord";
const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const SOUTH: &str = "Grensoverschrijdende Smokkel Zuid";

/// Saves a case of joint venture `jv` (a change of case `id` at `version` when given) and
/// returns its id. `handling` is the form's handling part: `share-on-consent`, or
/// `shared-with&case[shared_with][7]=true`.
pub(crate) async fn save_case(
    app: &TestApp,
    cookie: &str,
    existing: Option<(i32, i32)>,
    jv: i32,
    (reference, title): (&str, &str),
    handling: &str,
) -> i32 {
    let change = existing
        .map(|(id, version)| format!("id={id}&version={version}&"))
        .unwrap_or_default();
    let form = format!(
        "{change}case[joint_venture_id]={jv}&case[reference]={reference}&case[title]={}&case[theme]=smuggling&case[status]=active&case[start]=2026-03-01&case[end]=&case[handling]={handling}&case[description]=Route",
        title.replace(' ', "%20")
    );
    let saved = app.post_form_with("/api/save_case", &form, cookie).await;
    assert!(saved.status.is_redirection(), "{form}: {}", saved.body);
    app.case_id(reference).await
}

pub(crate) async fn add_phone(app: &TestApp, cookie: &str, case_id: i32, typed: &str) {
    let added = app
        .post_form_with(
            "/api/add_subject",
            &format!("case_id={case_id}&subject[kind]=phone&subject[value]={typed}"),
            cookie,
        )
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);
}

/// The codes of a list of options the consent form offers.
fn codes(options: &Value) -> Vec<&str> {
    options
        .as_array()
        .map(|all| all.iter().filter_map(|o| o["code"].as_str()).collect())
        .unwrap_or_default()
}

pub(crate) async fn reload(app: &TestApp, id: i32) -> overlap::Model {
    overlap::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the overlap")
}

/// A case of Noord and one of Amsterdam that share a phone number, typed differently on each
/// side (so that what one side sees of the other's is told from its own), and the overlap.
pub(crate) struct Pair {
    pub(crate) overlap: i32,
    pub(crate) north_case: i32,
    pub(crate) north: String,
    pub(crate) amsterdam: String,
    pub(crate) north_jv: i32,
    pub(crate) amsterdam_jv: i32,
    pub(crate) south_jv: i32,
    /// The Noord case's title and the phone as Noord typed it.
    pub(crate) north_title: String,
    pub(crate) north_phone: String,
    pub(crate) amsterdam_title: String,
}

/// Noord's case (its handling part made from the three joint ventures' ids: Noord, Amsterdam,
/// Zuid) and Amsterdam's `share-on-consent` case, `n` telling pairs in one test apart.
pub(crate) async fn pair(
    app: &TestApp,
    n: u32,
    north_handling: impl Fn(i32, i32, i32) -> String,
) -> Pair {
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let amsterdam = app.sign_in("coordinator-amsterdam", DEMO_PASSWORD).await;
    let (north_jv, amsterdam_jv, south_jv) = (
        app.joint_venture_id(NORTH).await,
        app.joint_venture_id(AMSTERDAM).await,
        app.joint_venture_id(SOUTH).await,
    );
    let north_title = format!("Bestelbussen Delfzijl {n}");
    let amsterdam_title = format!("Salons Osdorp {n}");
    let north_case = save_case(
        app,
        &north,
        None,
        north_jv,
        (format!("TMN-2026-8{n:02}").as_str(), north_title.as_str()),
        &north_handling(north_jv, amsterdam_jv, south_jv),
    )
    .await;
    let amsterdam_case = save_case(
        app,
        &amsterdam,
        None,
        amsterdam_jv,
        (
            format!("KMA-2026-8{n:02}").as_str(),
            amsterdam_title.as_str(),
        ),
        "share-on-consent",
    )
    .await;
    add_phone(app, &north, north_case, &format!("06%202468%2013{n:02}")).await;
    let before = overlap::Entity::find().count(&app.db).await.expect("count");
    add_phone(
        app,
        &amsterdam,
        amsterdam_case,
        &format!("%2B31%206%20246813{n:02}"),
    )
    .await;
    assert_eq!(
        overlap::Entity::find().count(&app.db).await.expect("count"),
        before + 1,
        "the shared phone raises one overlap"
    );
    let found = overlap::Entity::find()
        .filter(overlap::Column::FirstCaseId.is_in([north_case, amsterdam_case]))
        .filter(overlap::Column::SecondCaseId.is_in([north_case, amsterdam_case]))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the overlap between the two cases");
    Pair {
        overlap: found.id,
        north_case,
        north,
        amsterdam,
        north_jv,
        amsterdam_jv,
        south_jv,
        north_title,
        north_phone: format!("06 2468 13{n:02}"),
        amsterdam_title,
    }
}

pub(crate) fn share_on_consent(_: i32, _: i32, _: i32) -> String {
    "share-on-consent".into()
}

pub(crate) async fn consent(app: &TestApp, cookie: &str, id: i32) {
    let agreed = app
        .post_form_with(
            "/api/consent_to_disclose",
            &format!("id={id}&{CONSENT_GROUNDS}"),
            cookie,
        )
        .await;
    assert!(agreed.status.is_redirection(), "{}", agreed.body);
}

/// The overlap as `cookie`'s side reads it through `/api/overlap`: the raw body and its JSON.
pub(crate) async fn read(app: &TestApp, cookie: &str, id: i32) -> (String, Value) {
    let view = app
        .call_with("/api/overlap", &format!("id={id}"), Some(cookie))
        .await;
    assert_eq!(view.status, 200, "{}", view.body);
    let json = serde_json::from_str(&view.body).expect("json");
    (view.body, json)
}

/// The manager, overseeing Amsterdam but no longer Noord: Noord's side is the other side to
/// them, shown only as disclosed.
async fn manager_of_amsterdam_only(app: &TestApp, north_jv: i32) -> String {
    oversight::Entity::delete_many()
        .filter(oversight::Column::UserId.eq(app.user_id("manager").await))
        .filter(oversight::Column::JointVentureId.eq(north_jv))
        .exec(&app.db)
        .await
        .expect("oversight of Noord removed");
    app.sign_in("manager", DEMO_PASSWORD).await
}

/// What the manager reads of the overlap: its page's server function and the list's.
async fn manager_reads(app: &TestApp, manager: &str, id: i32) -> [String; 2] {
    let one = app
        .call_with("/api/overseen_overlap", &format!("id={id}"), Some(manager))
        .await;
    assert_eq!(one.status, 200, "{}", one.body);
    let list = app
        .call_with("/api/overseen_overlaps", "", Some(manager))
        .await;
    assert_eq!(list.status, 200, "{}", list.body);
    [one.body, list.body]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_other_side_keeps_seeing_the_title_as_disclosed_after_the_case_is_renamed() {
    let app = spawn_app().await;
    let p = pair(&app, 1, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    consent(&app, &p.amsterdam, p.overlap).await;
    let at = reload(&app, p.overlap)
        .await
        .disclosed_at
        .expect("disclosed once both agreed");

    let renamed = "Bestelbussen Eemshaven";
    save_case(
        &app,
        &p.north,
        Some((p.north_case, 1)),
        p.north_jv,
        ("TMN-2026-801", renamed),
        "share-on-consent",
    )
    .await;

    let (body, view) = read(&app, &p.amsterdam, p.overlap).await;
    assert_eq!(view["theirs"]["case"][2], p.north_title.as_str(), "{body}");
    assert_eq!(view["theirs"]["item"], p.north_phone.as_str(), "{body}");
    assert!(!body.contains(renamed), "the live title leaked: {body}");
    assert_eq!(
        view["disclosed_at"],
        serde_json::to_value(liaison_app::server::time::local_moment(&at)).expect("json")
    );
    let page = app
        .get_with(&format!("/overlaps/{}", p.overlap), &p.amsterdam)
        .await
        .text();
    assert!(page.contains(&p.north_title), "{page}");
    assert!(!page.contains(renamed), "the live title leaked on the page");
    assert!(
        page.contains(&format!(
            "Gedeeld op {}",
            liaison_tests::dutch_date(&liaison_app::server::time::local_moment(&at).date)
        )),
        "the page says when it was disclosed: {page}"
    );
    // Noord's own side is its case as it is now.
    let (own, _) = read(&app, &p.north, p.overlap).await;
    assert!(own.contains(renamed), "{own}");

    let manager = manager_of_amsterdam_only(&app, p.north_jv).await;
    for body in manager_reads(&app, &manager, p.overlap).await {
        assert!(body.contains(&p.north_title), "{body}");
        assert!(
            !body.contains(renamed),
            "the live title leaked to the manager: {body}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_turned_pointer_only_after_disclosure_shows_the_other_side_nothing_more() {
    let app = spawn_app().await;
    let p = pair(&app, 2, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    consent(&app, &p.amsterdam, p.overlap).await;
    let (before, _) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(before.contains(&p.north_title), "disclosed: {before}");

    let manager = manager_of_amsterdam_only(&app, p.north_jv).await;
    // Pointer-only, then shared with Zuid only: neither lets Amsterdam see it any more.
    for (version, handling) in [
        (1, "pointer-only".to_owned()),
        (
            2,
            format!("shared-with&case[shared_with][{}]=true", p.south_jv),
        ),
    ] {
        save_case(
            &app,
            &p.north,
            Some((p.north_case, version)),
            p.north_jv,
            ("TMN-2026-802", p.north_title.as_str()),
            &handling,
        )
        .await;
        let (body, view) = read(&app, &p.amsterdam, p.overlap).await;
        for secret in [p.north_title.as_str(), p.north_phone.as_str()] {
            assert!(!body.contains(secret), "{handling}: {secret} shown: {body}");
        }
        assert_eq!(view["withdrawn"], true, "{handling}: {body}");
        assert!(view["theirs"]["case"].is_null() && view["theirs"]["item"].is_null());
        let page = app
            .get_with(&format!("/overlaps/{}", p.overlap), &p.amsterdam)
            .await
            .text();
        assert!(!page.contains(&p.north_title), "{handling}: on the page");
        assert!(
            page.contains("staat niet meer toe dat uw samenwerkingsverband haar ziet"),
            "{handling}: the page says why: {page}"
        );
        let list = app.call_with("/api/overlaps", "", Some(&p.amsterdam)).await;
        let rows: Value = serde_json::from_str(&list.body).expect("json");
        let row = rows
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["id"] == p.overlap)
            .expect("the overlap in Amsterdam's inbox");
        assert_eq!(row["disclosed"], false, "{handling}: not marked shared");
        for body in manager_reads(&app, &manager, p.overlap).await {
            assert!(
                !body.contains(&p.north_title),
                "{handling}: manager: {body}"
            );
        }
    }
    // Amsterdam's own case still allows Noord: what Amsterdam disclosed stays with Noord.
    let (north_reads, view) = read(&app, &p.north, p.overlap).await;
    assert!(north_reads.contains(&p.amsterdam_title), "{north_reads}");
    assert_eq!(view["withheld"], "MineNotNamed", "{north_reads}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_shared_only_with_another_joint_venture_is_never_disclosed_on_consent() {
    let app = spawn_app().await;
    let p = pair(&app, 3, |_, _, south| {
        format!("shared-with&case[shared_with][{south}]=true")
    })
    .await;

    let north_refused = app
        .call_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", p.overlap),
            Some(&p.north),
        )
        .await;
    assert_eq!(north_refused.status, 400, "{}", north_refused.body);
    assert!(
        north_refused.body.contains("named on it"),
        "{}",
        north_refused.body
    );
    let amsterdam_refused = app
        .call_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", p.overlap),
            Some(&p.amsterdam),
        )
        .await;
    assert_eq!(amsterdam_refused.status, 400, "{}", amsterdam_refused.body);
    assert!(
        amsterdam_refused
            .body
            .contains("does not allow sharing it with your joint venture"),
        "{}",
        amsterdam_refused.body
    );

    let (body, view) = read(&app, &p.amsterdam, p.overlap).await;
    for secret in [p.north_title.as_str(), p.north_phone.as_str()] {
        assert!(!body.contains(secret), "{secret} shown: {body}");
    }
    assert_eq!(view["can_consent"], false);
    assert_eq!(view["withheld"], "Theirs", "{body}");
    let page = app
        .get_with(&format!("/overlaps/{}", p.overlap), &p.amsterdam)
        .await
        .text();
    assert!(
        page.contains("De behandelcode van de andere zaak staat niet toe"),
        "the page says why: {page}"
    );
    let after = reload(&app, p.overlap).await;
    assert!(
        !after.first_consents && !after.second_consents && after.disclosed_at.is_none(),
        "nothing consented or disclosed"
    );
    assert_eq!(
        overlap_disclosure::Entity::find()
            .filter(overlap_disclosure::Column::OverlapId.eq(p.overlap))
            .count(&app.db)
            .await
            .expect("count"),
        0,
        "nothing frozen"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_consents_disclose_each_case_as_it_stands_and_a_named_partner_needs_only_its_own() {
    let app = spawn_app().await;
    let p = pair(&app, 4, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    let (one_side, _) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(!one_side.contains(&p.north_title), "one side is not enough");
    consent(&app, &p.amsterdam, p.overlap).await;
    assert_eq!(app.last_event().await.action, "disclose_overlap");
    let at = reload(&app, p.overlap)
        .await
        .disclosed_at
        .expect("disclosed");

    let (theirs, view) = read(&app, &p.amsterdam, p.overlap).await;
    assert_eq!(
        view["theirs"]["case"][2],
        p.north_title.as_str(),
        "{theirs}"
    );
    assert_eq!(view["theirs"]["item"], p.north_phone.as_str());
    assert_eq!(
        view["disclosed_at"],
        serde_json::to_value(liaison_app::server::time::local_moment(&at)).expect("json")
    );
    assert_eq!(view["withdrawn"], false);
    let (north_reads, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(
        view["theirs"]["case"][2],
        p.amsterdam_title.as_str(),
        "{north_reads}"
    );
    assert_eq!(view["theirs"]["item"], "+31 6 24681304");
    let page = app
        .get_with(&format!("/overlaps/{}", p.overlap), &p.north)
        .await
        .text();
    assert!(page.contains(&p.amsterdam_title), "{page}");
    assert!(
        page.contains(&format!(
            "Gedeeld op {}",
            liaison_tests::dutch_date(&liaison_app::server::time::local_moment(&at).date)
        )),
        "{page}"
    );
    assert_eq!(
        overlap_disclosure::Entity::find()
            .filter(overlap_disclosure::Column::OverlapId.eq(p.overlap))
            .count(&app.db)
            .await
            .expect("count"),
        2,
        "both sides frozen"
    );

    // Shared with Amsterdam by name: Noord has agreed by naming it, Amsterdam's consent
    // discloses.
    let named = pair(&app, 5, |_, amsterdam, _| {
        format!("shared-with&case[shared_with][{amsterdam}]=true")
    })
    .await;
    let found = reload(&app, named.overlap).await;
    assert!(found.disclosed_at.is_none(), "Amsterdam has not agreed yet");
    consent(&app, &named.amsterdam, named.overlap).await;
    assert_eq!(app.last_event().await.action, "disclose_overlap");
    let (body, view) = read(&app, &named.amsterdam, named.overlap).await;
    assert_eq!(
        view["theirs"]["case"][2],
        named.north_title.as_str(),
        "{body}"
    );
    let page = app
        .get_with(&format!("/overlaps/{}", named.overlap), &named.amsterdam)
        .await
        .text();
    assert!(page.contains("Gedeeld op "), "{page}");
}

/// Issue 22: a consent says why and on what legal ground. Every bad purpose, note or ground is
/// refused naming its field and changes nothing; a ground the caller's organisation may not
/// use is refused; the grounds are stored, audited as codes, shown to their own side at once
/// and to the other side only once disclosed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_states_its_purpose_and_legal_basis_and_bad_ones_change_nothing() {
    use liaison_app::server::entity::{audit_event, disclosure_grounds};
    let app = spawn_app().await;
    let p = pair(&app, 41, share_on_consent).await;
    let long = "x".repeat(501);
    let bad: [(&str, &str); 7] = [
        ("purpose=&purpose_note=&legal_basis=gdpr_6_1_e", "purpose"),
        (
            "purpose=spying&purpose_note=&legal_basis=gdpr_6_1_e",
            "purpose",
        ),
        (
            "purpose=other&purpose_note=%20&legal_basis=gdpr_6_1_e",
            "purpose_note",
        ),
        (
            &format!("purpose=other&purpose_note={long}&legal_basis=gdpr_6_1_e"),
            "purpose_note",
        ),
        (
            "purpose=protect_victims&purpose_note=&legal_basis=",
            "legal_basis",
        ),
        (
            "purpose=protect_victims&purpose_note=&legal_basis=article_99",
            "legal_basis",
        ),
        // The municipality of Amsterdam provides no police data: the Wpg is not its ground.
        (
            "purpose=protect_victims&purpose_note=&legal_basis=wpg_20",
            "legal_basis",
        ),
    ];
    let events = audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    for (form, field) in bad {
        let refused = app
            .call_with(
                "/api/consent_to_disclose",
                &format!("id={}&{form}", p.overlap),
                Some(&p.amsterdam),
            )
            .await;
        assert_eq!(refused.status, 400, "{form}: {}", refused.body);
        let error: Value = serde_json::from_str(&refused.body).expect("json");
        assert_eq!(error["Invalid"]["field"], field, "{form}: {}", refused.body);
    }
    let o = reload(&app, p.overlap).await;
    assert!(!o.first_consents && !o.second_consents, "nothing agreed");
    assert_eq!(
        disclosure_grounds::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    assert_eq!(
        audit_event::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        events,
        "nothing recorded"
    );

    // Noord (the KMar, which provides police data) agrees on the Police Data Act.
    let agreed = app
        .call_with(
            "/api/consent_to_disclose",
            &format!(
                "id={}&purpose=coordinate_investigations&purpose_note=&legal_basis=wpg_20",
                p.overlap
            ),
            Some(&p.north),
        )
        .await;
    assert_eq!(agreed.status, 200, "{}", agreed.body);
    let event = app.last_event().await;
    assert_eq!(event.action, "consent_overlap");
    assert_eq!(
        event.detail,
        "purpose coordinate_investigations, basis wpg_20"
    );
    let (_, north_view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(north_view["grounds"].as_array().map(Vec::len), Some(1));
    assert_eq!(north_view["grounds"][0]["legal_basis"], "wpg_20");
    assert_eq!(
        codes(&north_view["legal_bases"]),
        ["wpg_20", "wpg_19", "vw_107", "gdpr_6_1_e", "gdpr_6_1_c"],
        "the KMar's grounds"
    );
    let (body, amsterdam_view) = read(&app, &p.amsterdam, p.overlap).await;
    assert_eq!(
        amsterdam_view["grounds"].as_array().map(Vec::len),
        Some(0),
        "the other side's grounds only once disclosed: {body}"
    );
    assert_eq!(
        codes(&amsterdam_view["legal_bases"]),
        ["gdpr_6_1_e", "gdpr_6_1_c"],
        "a municipality's grounds"
    );

    // Amsterdam agrees for another purpose, explained: disclosed, both read both.
    let agreed = app
        .call_with(
            "/api/consent_to_disclose",
            &format!(
                "id={}&purpose=other&purpose_note=Zorgtraject%20afstemmen&legal_basis=gdpr_6_1_e",
                p.overlap
            ),
            Some(&p.amsterdam),
        )
        .await;
    assert_eq!(agreed.status, 200, "{}", agreed.body);
    assert_eq!(
        app.last_event().await.detail,
        "purpose other, basis gdpr_6_1_e",
        "the note stays out of the trail"
    );
    for cookie in [&p.north, &p.amsterdam] {
        let (body, view) = read(&app, cookie, p.overlap).await;
        let grounds = view["grounds"].as_array().expect("grounds");
        assert_eq!(grounds.len(), 2, "{body}");
        assert!(body.contains("Zorgtraject afstemmen"), "{body}");
    }
    // A second consent of the same side is refused by the workflow and stores nothing more.
    let again = app
        .call_with(
            "/api/consent_to_disclose",
            &format!("id={}&{CONSENT_GROUNDS}", p.overlap),
            Some(&p.north),
        )
        .await;
    assert!(again.status.is_client_error(), "{}", again.body);
    assert_eq!(
        disclosure_grounds::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        2
    );
}
