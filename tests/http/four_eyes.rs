//! Issue 22: four eyes on disclosure, withdrawing a consent, and the provision register.

use crate::disclosure::{Pair, consent, pair, read, reload, share_on_consent};
use liaison_app::server::entity::{
    audit_event, disclosure_grounds, disclosure_request, joint_venture, notification, user_account,
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{CONSENT_GROUNDS, TestApp, spawn_app};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use serde_json::Value;

async fn requests(app: &TestApp, overlap: i32) -> Vec<disclosure_request::Model> {
    disclosure_request::Entity::find()
        .filter(disclosure_request::Column::OverlapId.eq(overlap))
        .order_by_asc(disclosure_request::Column::Id)
        .all(&app.db)
        .await
        .expect("query")
}

async fn events(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .count(&app.db)
        .await
        .expect("count")
}

async fn decide(app: &TestApp, cookie: &str, form: &str) -> liaison_tests::TestResponse {
    app.call_with("/api/decide_disclosure_request", form, Some(cookie))
        .await
}

async fn notified(app: &TestApp, username: &str, kind: &str) -> u64 {
    notification::Entity::find()
        .filter(notification::Column::UserId.eq(app.user_id(username).await))
        .filter(notification::Column::Kind.eq(kind))
        .count(&app.db)
        .await
        .expect("count")
}

fn field(body: &str) -> Value {
    let error: Value = serde_json::from_str(body).expect("json");
    error["Invalid"]["field"].clone()
}

/// A case marked `share-on-approval`: Noord's consent waits for its second coordinator, who
/// is notified; nobody else decides it (not the requester, not the other side, not with an
/// unknown id), a refusal needs a reason, and the approval gives the consent with the
/// requester's grounds and the approver's name, in the trail and on both sides' pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_needing_four_eyes_is_disclosed_only_once_a_second_coordinator_approves() {
    let app = spawn_app().await;
    let p = pair(&app, 51, |_, _, _| "share-on-approval".into()).await;
    let second = app.sign_in("coordinator-north2", DEMO_PASSWORD).await;
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(view["four_eyes"]["required"], true);
    assert_eq!(view["four_eyes"]["second_coordinator"], true);

    let asked = ask_once(&app, &p).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let o = reload(&app, p.overlap).await;
    assert!(
        !o.first_consents,
        "the consent waits: it does not count yet"
    );
    let waiting = requests(&app, p.overlap).await;
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].state, "pending");
    assert_eq!(app.last_event().await.action, "request_disclosure_approval");
    assert_eq!(
        notified(&app, "coordinator-north2", "approval_requested").await,
        1
    );
    assert_eq!(
        notified(&app, "coordinator-north", "approval_requested").await,
        0,
        "the requester is not asked to approve"
    );
    let request = waiting[0].id;
    // The second coordinator's start page lists it; the requester's and the other side's not.
    for (cookie, expected) in [(&second, 1), (&p.north, 0), (&p.amsterdam, 0)] {
        let start = app.call_with("/api/start_page", "", Some(cookie)).await;
        assert_eq!(start.status, 200, "{}", start.body);
        let start: Value = serde_json::from_str(&start.body).expect("json");
        let approvals = start["coordinator"]["approvals"]
            .as_array()
            .expect("approvals");
        assert_eq!(approvals.len(), expected, "{start}");
        if expected == 1 {
            assert_eq!(approvals[0]["overlap_id"], p.overlap);
            assert_eq!(approvals[0]["requested_by"], "Chris Jansen");
        }
    }

    // Asking again while one waits; approving one's own; the other side; an unknown id;
    // an unknown decision; a refusal without a reason; a manager: all refused, nothing changes.
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let before = events(&app).await;
    let again = ask_once(&app, &p).await;
    assert_eq!(again.status, 409, "{}", again.body);
    let own = decide(
        &app,
        &p.north,
        &format!("request={request}&decision=approve"),
    )
    .await;
    assert_eq!(own.status, 400, "{}", own.body);
    let other_side = decide(
        &app,
        &p.amsterdam,
        &format!("request={request}&decision=approve"),
    )
    .await;
    assert_eq!(other_side.status, 403, "{}", other_side.body);
    let unknown = decide(&app, &second, "request=999999&decision=approve").await;
    assert_eq!(unknown.status, 403, "{}", unknown.body);
    let garbage = decide(&app, &second, &format!("request={request}&decision=maybe")).await;
    assert_eq!(garbage.status, 400, "{}", garbage.body);
    assert_eq!(field(&garbage.body), "decision");
    for reason in ["", "%20%20", &"x".repeat(1001)] {
        let no_reason = decide(
            &app,
            &second,
            &format!("request={request}&decision=refuse&reason={reason}"),
        )
        .await;
        assert_eq!(no_reason.status, 400, "{}", no_reason.body);
        assert_eq!(field(&no_reason.body), "reason");
    }
    let by_manager = decide(
        &app,
        &manager,
        &format!("request={request}&decision=approve"),
    )
    .await;
    assert_eq!(by_manager.status, 403, "{}", by_manager.body);
    assert_eq!(events(&app).await, before, "nothing recorded");
    assert_eq!(requests(&app, p.overlap).await, waiting, "nothing changed");
    assert!(!reload(&app, p.overlap).await.first_consents);

    // The second coordinator reads the request on the page, and approves.
    let (_, second_view) = read(&app, &second, p.overlap).await;
    assert_eq!(second_view["four_eyes"]["request"]["id"], request);
    assert_eq!(second_view["four_eyes"]["request"]["mine"], false);
    let approved = decide(
        &app,
        &second,
        &format!("request={request}&decision=approve"),
    )
    .await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert!(reload(&app, p.overlap).await.first_consents);
    let grounds = disclosure_grounds::Entity::find()
        .filter(disclosure_grounds::Column::OverlapId.eq(p.overlap))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the grounds");
    assert_eq!(
        grounds.given_by,
        Some(app.user_id("coordinator-north").await)
    );
    assert_eq!(
        grounds.approved_by,
        Some(app.user_id("coordinator-north2").await)
    );
    let last = app.last_event().await;
    assert_eq!(last.action, "consent_overlap");
    assert!(last.detail.ends_with(", approved"), "{}", last.detail);
    assert_eq!(
        notified(&app, "coordinator-north", "approval_decided").await,
        1
    );
    let twice = decide(
        &app,
        &second,
        &format!("request={request}&decision=approve"),
    )
    .await;
    assert_eq!(twice.status, 409, "{}", twice.body);

    // Amsterdam agrees: disclosed. Noord reads who approved; Amsterdam that a second
    // coordinator did, not who.
    consent(&app, &p.amsterdam, p.overlap).await;
    assert!(reload(&app, p.overlap).await.disclosed_at.is_some());
    let (_, north_view) = read(&app, &p.north, p.overlap).await;
    assert!(
        north_view["grounds"]
            .as_array()
            .expect("grounds")
            .iter()
            .any(|g| g["approved_by"] == "Noor Hendriks"),
        "{north_view}"
    );
    let (body, amsterdam_view) = read(&app, &p.amsterdam, p.overlap).await;
    let north_grounds = amsterdam_view["grounds"]
        .as_array()
        .expect("grounds")
        .iter()
        .find(|g| g["approved_by"] == "")
        .cloned();
    assert!(north_grounds.is_some(), "{body}");
    assert!(
        amsterdam_view["four_eyes"]["request"].is_null(),
        "the other side never reads Noord's requests: {body}"
    );
}

async fn set_four_eyes(app: &TestApp, jv: i32, on: bool) {
    let mut venture: joint_venture::ActiveModel = joint_venture::Entity::find_by_id(jv)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the joint venture")
        .into();
    venture.four_eyes_disclosure = Set(on);
    venture.update(&app.db).await.expect("saved");
}

/// Noord's coordinator agrees to disclose (the answer as it comes).
async fn ask_once(app: &TestApp, p: &Pair) -> liaison_tests::TestResponse {
    app.call_with(
        "/api/consent_to_disclose",
        &format!("id={}&{CONSENT_GROUNDS}", p.overlap),
        Some(&p.north),
    )
    .await
}

/// Noord's coordinator asks; the request waits. Its id.
async fn ask(app: &TestApp, p: &Pair) -> i32 {
    let asked = ask_once(app, p).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    let all = requests(app, p.overlap).await;
    let last = all.last().expect("a request");
    assert_eq!(last.state, "pending");
    last.id
}

/// The joint venture's setting asks for four eyes on every case: a refusal is recorded with
/// its reason and told to the requester, the requester may withdraw, a request past its
/// deadline can no longer be approved (and can be asked again), and with no second
/// coordinator nothing can be disclosed at all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_joint_venture_setting_refusals_withdrawals_deadlines_and_a_lone_coordinator() {
    let app = spawn_app().await;
    let p = pair(&app, 52, share_on_consent).await;
    set_four_eyes(&app, p.north_jv, true).await;
    let second = app.sign_in("coordinator-north2", DEMO_PASSWORD).await;

    let first = ask(&app, &p).await;
    let refused = decide(
        &app,
        &second,
        &format!("request={first}&decision=refuse&reason=Geen%20grondslag%20voor%20dit%20doel"),
    )
    .await;
    assert_eq!(refused.status, 200, "{}", refused.body);
    let row = &requests(&app, p.overlap).await[0];
    assert_eq!(row.state, "refused");
    assert_eq!(row.reason, "Geen grondslag voor dit doel");
    assert!(!reload(&app, p.overlap).await.first_consents);
    assert_eq!(app.last_event().await.action, "refuse_disclosure");
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(view["four_eyes"]["request"]["state"], "refused");
    assert_eq!(
        view["four_eyes"]["request"]["reason"],
        "Geen grondslag voor dit doel"
    );

    // Asked again, then withdrawn by the requester.
    let second_request = ask(&app, &p).await;
    let withdrawn = decide(
        &app,
        &p.north,
        &format!("request={second_request}&decision=withdraw"),
    )
    .await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert_eq!(requests(&app, p.overlap).await[1].state, "withdrawn");

    // Asked again; the deadline passes; approving is refused, asking again is not.
    let third = ask(&app, &p).await;
    let mut late: disclosure_request::ActiveModel = disclosure_request::Entity::find_by_id(third)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the request")
        .into();
    late.due_on = Set("2026-01-02".into());
    late.update(&app.db).await.expect("saved");
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(view["four_eyes"]["request"]["expired"], true);
    let expired = decide(&app, &second, &format!("request={third}&decision=approve")).await;
    assert_eq!(expired.status, 409, "{}", expired.body);
    assert!(!reload(&app, p.overlap).await.first_consents);
    let fourth = ask(&app, &p).await;
    assert_ne!(fourth, third);

    // The second coordinator leaves: the page says why nothing can be disclosed, and a
    // consent is refused before anything is stored.
    let withdrawn = decide(
        &app,
        &p.north,
        &format!("request={fourth}&decision=withdraw"),
    )
    .await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    let mut gone: user_account::ActiveModel =
        user_account::Entity::find_by_id(app.user_id("coordinator-north2").await)
            .one(&app.db)
            .await
            .expect("query")
            .expect("the user")
            .into();
    gone.active = Set(false);
    gone.update(&app.db).await.expect("saved");
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(view["four_eyes"]["second_coordinator"], false);
    let count = requests(&app, p.overlap).await.len();
    let alone = ask_once(&app, &p).await;
    assert_eq!(alone.status, 400, "{}", alone.body);
    assert!(alone.body.contains("second coordinator"), "{}", alone.body);
    assert_eq!(requests(&app, p.overlap).await.len(), count);

    // The setting off again: Noord's consent counts at once.
    set_four_eyes(&app, p.north_jv, false).await;
    consent(&app, &p.north, p.overlap).await;
    assert!(reload(&app, p.overlap).await.first_consents);
}

/// A side takes its consent back while the other side has not agreed: nothing was shared, the
/// grounds go with it, and the other side's later consent discloses nothing. Once disclosed it
/// cannot be withdrawn; nobody but the side's coordinators may withdraw it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_is_withdrawn_until_the_other_side_agrees() {
    let app = spawn_app().await;
    let p = pair(&app, 53, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let form = format!("id={}", p.overlap);
    for cookie in [&manager, &reporter] {
        let refused = app
            .call_with("/api/withdraw_consent", &form, Some(cookie))
            .await;
        assert_eq!(refused.status, 403, "{}", refused.body);
    }
    // Amsterdam's own side has not agreed: nothing of Noord's to withdraw for it.
    let not_theirs = app
        .call_with("/api/withdraw_consent", &form, Some(&p.amsterdam))
        .await;
    assert_eq!(not_theirs.status, 409, "{}", not_theirs.body);
    assert!(reload(&app, p.overlap).await.first_consents);

    let withdrawn = app
        .call_with("/api/withdraw_consent", &form, Some(&p.north))
        .await;
    assert_eq!(withdrawn.status, 200, "{}", withdrawn.body);
    assert!(!reload(&app, p.overlap).await.first_consents);
    assert_eq!(app.last_event().await.action, "withdraw_consent");
    assert_eq!(
        disclosure_grounds::Entity::find()
            .filter(disclosure_grounds::Column::OverlapId.eq(p.overlap))
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
    let again = app
        .call_with("/api/withdraw_consent", &form, Some(&p.north))
        .await;
    assert_eq!(again.status, 409, "{}", again.body);

    consent(&app, &p.amsterdam, p.overlap).await;
    assert!(
        reload(&app, p.overlap).await.disclosed_at.is_none(),
        "Noord withdrew: nothing is disclosed"
    );
    consent(&app, &p.north, p.overlap).await;
    assert!(reload(&app, p.overlap).await.disclosed_at.is_some());
    let too_late = app
        .call_with("/api/withdraw_consent", &form, Some(&p.north))
        .await;
    assert_eq!(too_late.status, 409, "{}", too_late.body);
    assert!(reload(&app, p.overlap).await.first_consents);
}

/// Every disclosure is in the provision register, once per side, with what and why but never
/// a value; auditors and privacy officers read it (and its CSV), filtered by case reference,
/// joint venture and period; bad filters are refused naming the field; reading is audited.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_provision_register_answers_who_received_data_about_a_case() {
    let app = spawn_app().await;
    let p = pair(&app, 54, share_on_consent).await;
    let undisclosed = pair(&app, 55, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    consent(&app, &p.amsterdam, p.overlap).await;
    consent(&app, &undisclosed.north, undisclosed.overlap).await;

    for username in ["auditor", "privacy"] {
        let cookie = app.sign_in(username, DEMO_PASSWORD).await;
        let all = app.call_with("/api/provisions", "", Some(&cookie)).await;
        assert_eq!(all.status, 200, "{}", all.body);
        let register: Value = serde_json::from_str(&all.body).expect("json");
        let rows: Vec<&Value> = register["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .filter(|r| r["overlap_id"] == p.overlap)
            .collect();
        assert_eq!(rows.len(), 2, "one provision per side: {}", all.body);
        assert!(
            !register["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["overlap_id"] == undisclosed.overlap),
            "a consent alone provides nothing"
        );
        let north = rows
            .iter()
            .find(|r| r["case_reference"] == "TMN-2026-854")
            .expect("Noord's provision");
        assert_eq!(
            north["to_joint_venture"],
            "Ketenaanpak Mensenhandel Amsterdam"
        );
        assert_eq!(north["from_organisation"], "Koninklijke Marechaussee");
        assert_eq!(north["data_kind"], "phone");
        assert_eq!(north["consented_by"], "Chris Jansen");
        assert!(north["legal_basis"].is_string(), "{north}");
        assert!(
            !all.body.contains("2468") && !all.body.contains(&p.north_title),
            "never a value or a title: {}",
            all.body
        );
        assert_eq!(app.last_event().await.action, "view_provisions");

        // "Who received data about case TMN-2026-854?"
        let about = app
            .call_with(
                "/api/provisions",
                "filter[case]=tmn-2026-854",
                Some(&cookie),
            )
            .await;
        let about: Value = serde_json::from_str(&about.body).expect("json");
        let rows = about["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 1, "{about}");
        assert_eq!(
            rows[0]["to_joint_venture"],
            "Ketenaanpak Mensenhandel Amsterdam"
        );
        // `_` and `%` typed are literal, not wildcards.
        for literal in ["TMN-2026-85_", "TMN%25854"] {
            let none = app
                .call_with(
                    "/api/provisions",
                    &format!("filter[case]={literal}"),
                    Some(&cookie),
                )
                .await;
            let none: Value = serde_json::from_str(&none.body).expect("json");
            assert_eq!(none["rows"].as_array().map(Vec::len), Some(0), "{literal}");
        }

        let csv = app
            .get_with("/api/provisions.csv?case=TMN-2026-854", &cookie)
            .await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        assert!(
            csv.header("content-type")
                .is_some_and(|t| t.starts_with("text/csv")),
            "{:?}",
            csv.header("content-type")
        );
        assert!(
            csv.body.starts_with("overlap,disclosed_at,"),
            "{}",
            csv.body
        );
        assert!(csv.body.contains("TMN-2026-854"), "{}", csv.body);
        assert_eq!(csv.body.lines().count(), 2, "{}", csv.body);
        assert_eq!(app.last_event().await.action, "export_provisions");

        let before = events(&app).await;
        for (form, bad) in [
            ("filter[from]=gisteren", "from"),
            ("filter[from]=2026-12-01&filter[to]=2026-11-01", "to"),
            ("filter[joint_venture]=abc", "joint_venture"),
            ("filter[joint_venture]=999999", "joint_venture"),
            (&format!("filter[case]={}", "x".repeat(101)), "case"),
        ] {
            let refused = app.call_with("/api/provisions", form, Some(&cookie)).await;
            assert_eq!(refused.status, 400, "{form}: {}", refused.body);
            assert_eq!(field(&refused.body), bad, "{form}");
        }
        assert_eq!(events(&app).await, before, "a refused filter reads nothing");

        // By joint venture: Zuid took part in no disclosure.
        let south = app
            .call_with(
                "/api/provisions",
                &format!("filter[joint_venture]={}", p.south_jv),
                Some(&cookie),
            )
            .await;
        let south: Value = serde_json::from_str(&south.body).expect("json");
        assert!(
            !south["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .any(|r| r["overlap_id"] == p.overlap)
        );
    }
}

/// Four eyes cannot be got round: relaxing the case's handling code while an overlap waits is
/// refused; a name in `shared-with` does not consent for a joint venture with four eyes; only
/// the requester withdraws a request; an approval in the name of a requester who is no longer
/// a coordinator is refused; a consent given directly leaves no old request to approve later;
/// a named share's consent is withdrawn by its handling code, not here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_eyes_is_not_got_round() {
    let app = spawn_app().await;
    let p = pair(&app, 56, |_, _, _| "share-on-approval".into()).await;
    let second = app.sign_in("coordinator-north2", DEMO_PASSWORD).await;
    let request = ask(&app, &p).await;
    let refused = decide(
        &app,
        &second,
        &format!("request={request}&decision=refuse&reason=Nee"),
    )
    .await;
    assert_eq!(refused.status, 200, "{}", refused.body);

    // Relaxing the code while the overlap waits: refused naming the field, nothing saved.
    let case = liaison_app::server::entity::case::Entity::find_by_id(p.north_case)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the case");
    for handling in [
        "share-on-consent".to_owned(),
        format!("shared-with&case[shared_with][{}]=true", p.amsterdam_jv),
    ] {
        let form = format!(
            "id={}&version={}&case[joint_venture_id]={}&case[reference]={}&case[title]=x&case[theme]=smuggling&case[status]=active&case[start]=2026-03-01&case[end]=&case[handling]={handling}&case[description]=",
            case.id, case.version, p.north_jv, case.reference
        );
        let relaxed = app.call_with("/api/save_case", &form, Some(&p.north)).await;
        assert_eq!(relaxed.status, 400, "{handling}: {}", relaxed.body);
        assert_eq!(field(&relaxed.body), "handling", "{}", relaxed.body);
    }
    let unchanged = liaison_app::server::entity::case::Entity::find_by_id(p.north_case)
        .one(&app.db)
        .await
        .expect("query")
        .expect("the case");
    assert_eq!(unchanged, case, "nothing saved");

    // Only the requester withdraws; another coordinator refuses instead.
    let again = ask(&app, &p).await;
    let not_theirs = decide(&app, &second, &format!("request={again}&decision=withdraw")).await;
    assert_eq!(not_theirs.status, 403, "{}", not_theirs.body);
    let (_, view) = read(&app, &second, p.overlap).await;
    assert_eq!(
        view["four_eyes"]["request"]["earlier_refusal"],
        serde_json::json!(["Noor Hendriks", "Nee"]),
        "the next approver reads the earlier refusal"
    );

    // The requester is no longer a coordinator: their request cannot be approved.
    let requester = app.user_id("coordinator-north").await;
    liaison_app::server::entity::coordinator::Entity::delete_many()
        .filter(liaison_app::server::entity::coordinator::Column::UserId.eq(requester))
        .filter(liaison_app::server::entity::coordinator::Column::JointVentureId.eq(p.north_jv))
        .exec(&app.db)
        .await
        .expect("removed");
    let gone = decide(&app, &second, &format!("request={again}&decision=approve")).await;
    assert_eq!(gone.status, 409, "{}", gone.body);
    assert!(!reload(&app, p.overlap).await.first_consents);
}

/// With the joint venture's four eyes on, naming the other joint venture in `shared-with` no
/// longer consents by itself; a direct consent (four eyes off again) supersedes a waiting
/// request, so it cannot be approved later; a named share's consent is not withdrawn here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_named_share_and_a_superseded_request() {
    let app = spawn_app().await;
    let p = pair(&app, 57, |_, amsterdam, _| {
        format!("shared-with&case[shared_with][{amsterdam}]=true")
    })
    .await;
    // Named, four eyes off: Noord's side consents by its code.
    assert!(reload(&app, p.overlap).await.first_consents);
    let by_name = app
        .call_with(
            "/api/withdraw_consent",
            &format!("id={}", p.overlap),
            Some(&p.north),
        )
        .await;
    assert_eq!(by_name.status, 400, "{}", by_name.body);
    assert!(reload(&app, p.overlap).await.first_consents);

    // Four eyes on: a new overlap of a named case does not consent by itself…
    set_four_eyes(&app, p.north_jv, true).await;
    let r = pair(&app, 59, |_, amsterdam, _| {
        format!("shared-with&case[shared_with][{amsterdam}]=true")
    })
    .await;
    assert!(!reload(&app, r.overlap).await.first_consents);
    // …nor does the other side's consent make it so.
    consent(&app, &r.amsterdam, r.overlap).await;
    let o = reload(&app, r.overlap).await;
    assert!(!o.first_consents && o.disclosed_at.is_none());

    // A request waits; four eyes off; Noord consents directly: the request is superseded.
    let second = app.sign_in("coordinator-north2", DEMO_PASSWORD).await;
    let waiting = ask(&app, &r).await;
    set_four_eyes(&app, p.north_jv, false).await;
    consent(&app, &r.north, r.overlap).await;
    assert!(reload(&app, r.overlap).await.disclosed_at.is_some());
    let stale = decide(
        &app,
        &second,
        &format!("request={waiting}&decision=approve"),
    )
    .await;
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert_eq!(
        requests(&app, r.overlap)
            .await
            .last()
            .expect("the request")
            .state,
        "withdrawn"
    );
}

/// After disclosure Noord asks Amsterdam to delete what it received: Liaison's copy goes at
/// once (Amsterdam reads the pointer only), Amsterdam is told and confirms, Noord is told; a
/// request needs a reason, is made once, only by a side, only after disclosure; the register
/// keeps the provision and shows both dates.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_disclosure_a_side_asks_the_other_to_delete_and_the_other_confirms() {
    let app = spawn_app().await;
    let p = pair(&app, 72, share_on_consent).await;
    consent(&app, &p.north, p.overlap).await;
    consent(&app, &p.amsterdam, p.overlap).await;
    let (before, view) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(before.contains(&p.north_phone), "{before}");
    assert_eq!(view["may_request_deletion"], true);
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let undisclosed = pair(&app, 73, share_on_consent).await;

    let ask = |cookie: &str, form: String| {
        let (app, cookie) = (&app, cookie.to_owned());
        async move {
            app.call_with("/api/request_deletion", &form, Some(&cookie))
                .await
        }
    };
    let confirm = |cookie: &str, id: i32| {
        let (app, cookie) = (&app, cookie.to_owned());
        async move {
            app.call_with("/api/confirm_deletion", &format!("id={id}"), Some(&cookie))
                .await
        }
    };
    let quiet = events(&app).await;
    for (cookie, form, status, bad) in [
        (
            &p.north,
            format!("id={}&reason=%20", p.overlap),
            400_u16,
            Some("reason"),
        ),
        (
            &p.north,
            format!("id={}&reason={}", p.overlap, "x".repeat(1001)),
            400,
            Some("reason"),
        ),
        (&manager, format!("id={}&reason=Weg", p.overlap), 403, None),
        (&p.north, "id=999999&reason=Weg".to_owned(), 403, None),
        (
            &undisclosed.north,
            format!("id={}&reason=Weg", undisclosed.overlap),
            409,
            None,
        ),
    ] {
        let answer = ask(cookie, form.clone()).await;
        assert_eq!(answer.status, status, "{form}: {}", answer.body);
        if let Some(bad) = bad {
            assert_eq!(field(&answer.body), bad, "{form}");
        }
    }
    let nothing_asked = confirm(&p.amsterdam, p.overlap).await;
    assert_eq!(nothing_asked.status, 409, "{}", nothing_asked.body);
    assert_eq!(events(&app).await, quiet, "nothing recorded");

    let asked = ask(
        &p.north,
        format!("id={}&reason=Bron%20mag%20niet%20verder", p.overlap),
    )
    .await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert_eq!(app.last_event().await.action, "request_deletion");
    assert_eq!(
        notified(&app, "coordinator-amsterdam", "deletion_requested").await,
        1
    );
    let again = ask(&p.north, format!("id={}&reason=Nogmaals", p.overlap)).await;
    assert_eq!(again.status, 409, "{}", again.body);
    // Noord has nothing to confirm: it asked.
    let own = confirm(&p.north, p.overlap).await;
    assert_eq!(own.status, 409, "{}", own.body);

    let (body, view) = read(&app, &p.amsterdam, p.overlap).await;
    for gone in [&p.north_phone, &p.north_title] {
        assert!(!body.contains(gone.as_str()), "{body}");
    }
    assert_eq!(view["theirs"]["case"], Value::Null, "{body}");
    assert_eq!(view["deletions"][0]["mine"], false);
    assert_eq!(view["deletions"][0]["reason"], "Bron mag niet verder");
    let (_, north_view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(north_view["deletions"][0]["mine"], true);
    assert_eq!(north_view["may_request_deletion"], false);
    // Amsterdam still reads what it gave; Noord still reads Amsterdam's side.
    assert!(north_view["theirs"]["case"].is_array(), "{north_view}");

    let confirmed = confirm(&p.amsterdam, p.overlap).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(app.last_event().await.action, "confirm_deletion");
    assert_eq!(
        notified(&app, "coordinator-north", "deletion_confirmed").await,
        1
    );
    let twice = confirm(&p.amsterdam, p.overlap).await;
    assert_eq!(twice.status, 409, "{}", twice.body);
    let (_, north_view) = read(&app, &p.north, p.overlap).await;
    assert!(
        north_view["deletions"][0]["confirmed_at"].is_object(),
        "{north_view}"
    );

    // The register keeps the provision (by reference) with both dates.
    let auditor = app.sign_in("auditor", DEMO_PASSWORD).await;
    let register = app
        .call_with(
            "/api/provisions",
            "filter[case]=TMN-2026-872",
            Some(&auditor),
        )
        .await;
    assert_eq!(register.status, 200, "{}", register.body);
    let register: Value = serde_json::from_str(&register.body).expect("json");
    let rows = register["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{register}");
    assert!(rows[0]["deletion_requested"].is_object(), "{register}");
    assert!(rows[0]["deletion_confirmed"].is_object(), "{register}");
}

/// Administrators manage the purposes and legal bases: a new purpose is offered and given,
/// shown by its label; a legal basis for one organisation kind is offered to that kind only;
/// an option no longer offered is refused yet still shown where it was given; codes stay
/// fixed; privacy officers read, coordinators do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_manage_the_purposes_and_legal_bases() {
    let app = spawn_app().await;
    let admin = app.sign_in("admin", DEMO_PASSWORD).await;
    let privacy = app.sign_in("privacy", DEMO_PASSWORD).await;
    let north = app.sign_in("coordinator-north", DEMO_PASSWORD).await;
    let listed = app
        .call_with("/api/disclosure_lists", "", Some(&privacy))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let lists: Value = serde_json::from_str(&listed.body).expect("json");
    assert_eq!(lists["may_manage"], false);
    assert_eq!(lists["options"].as_array().expect("options").len(), 12);
    let refused = app
        .call_with("/api/disclosure_lists", "", Some(&north))
        .await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    let option = |extra: &str| {
        format!(
            "option[label_nl]=Informatiebeeld&option[label_en]=Intelligence%20picture&option[active]=true&{extra}"
        )
    };
    for cookie in [&privacy, &north] {
        let answer = app
            .call_with(
                "/api/save_disclosure_option",
                &option("option[list]=purpose&option[code]=picture"),
                Some(cookie),
            )
            .await;
        assert_eq!(answer.status, 403, "{}", answer.body);
    }
    let options_before = events(&app).await;
    for (form, bad) in [
        (option("option[list]=other&option[code]=picture"), "list"),
        (
            option("option[list]=purpose&option[code]=Beeld%20X"),
            "code",
        ),
        (option("option[list]=purpose&option[code]=x"), "code"),
        (option("option[list]=purpose&option[code]=other"), "code"),
        (
            "option[list]=purpose&option[code]=picture&option[label_nl]=%20&option[label_en]=x"
                .to_owned(),
            "label_nl",
        ),
        (
            option("option[list]=legal_basis&option[code]=wpg_16&option[kinds][spy]=true"),
            "kinds",
        ),
        (
            option("option[list]=purpose&option[code]=picture&option[kinds][police]=true"),
            "kinds",
        ),
        (
            option("option[list]=legal_basis&option[code]=wpg_16&option[needs_note]=true"),
            "needs_note",
        ),
        (
            option("id=999999&option[list]=purpose&option[code]=picture"),
            "id",
        ),
    ] {
        let answer = app
            .call_with("/api/save_disclosure_option", &form, Some(&admin))
            .await;
        assert_eq!(answer.status, 400, "{form}: {}", answer.body);
        assert_eq!(field(&answer.body), bad, "{form}");
    }
    assert_eq!(events(&app).await, options_before, "nothing changed");

    for form in [
        option("option[list]=purpose&option[code]=picture"),
        // Only for the border police (Noord's coordinator is of the KMar).
        option("option[list]=legal_basis&option[code]=wpg_16&option[kinds][border_police]=true"),
    ] {
        let saved = app
            .call_with("/api/save_disclosure_option", &form, Some(&admin))
            .await;
        assert_eq!(saved.status, 200, "{form}: {}", saved.body);
        assert_eq!(app.last_event().await.action, "save_disclosure_option");
    }
    let p = pair(&app, 74, share_on_consent).await;
    for (cookie, offered) in [(&p.north, true), (&p.amsterdam, false)] {
        let (_, view) = read(&app, cookie, p.overlap).await;
        let bases: Vec<&str> = view["legal_bases"]
            .as_array()
            .expect("bases")
            .iter()
            .filter_map(|b| b["code"].as_str())
            .collect();
        assert_eq!(bases.contains(&"wpg_16"), offered, "{bases:?}");
        assert!(
            view["purposes"]
                .as_array()
                .expect("purposes")
                .iter()
                .any(|p| p["code"] == "picture"),
            "{view}"
        );
    }
    let not_theirs = app
        .call_with(
            "/api/consent_to_disclose",
            &format!(
                "id={}&purpose=picture&purpose_note=&legal_basis=wpg_16",
                p.overlap
            ),
            Some(&p.amsterdam),
        )
        .await;
    assert_eq!(not_theirs.status, 400, "{}", not_theirs.body);
    assert_eq!(field(&not_theirs.body), "legal_basis");
    let given = app
        .call_with(
            "/api/consent_to_disclose",
            &format!(
                "id={}&purpose=picture&purpose_note=&legal_basis=wpg_16",
                p.overlap
            ),
            Some(&p.north),
        )
        .await;
    assert_eq!(given.status, 200, "{}", given.body);
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(
        view["grounds"][0]["purpose_label"], "Intelligence picture",
        "{view}"
    );
    assert_eq!(view["grounds"][0]["legal_basis"], "wpg_16");

    // Retired: no longer offered, refused when typed, still shown where it was given; its
    // code cannot change.
    let picture = serde_json::from_str::<Value>(
        &app.call_with("/api/disclosure_lists", "", Some(&admin))
            .await
            .body,
    )
    .expect("json")["options"]
        .as_array()
        .expect("options")
        .iter()
        .find(|o| o["code"] == "picture")
        .expect("the new purpose")
        .clone();
    assert_eq!(picture["used"], 1);
    let id = picture["id"].as_i64().expect("id");
    let retired = app
        .call_with(
            "/api/save_disclosure_option",
            &format!("id={id}&option[list]=purpose&option[code]=picture&option[label_nl]=Informatiebeeld&option[label_en]=Intelligence%20picture"),
            Some(&admin),
        )
        .await;
    assert_eq!(retired.status, 200, "{}", retired.body);
    let renamed = app
        .call_with(
            "/api/save_disclosure_option",
            &format!(
                "id={id}&{}",
                option("option[list]=purpose&option[code]=beeld")
            ),
            Some(&admin),
        )
        .await;
    assert_eq!(renamed.status, 400, "{}", renamed.body);
    assert_eq!(field(&renamed.body), "code");
    let (_, view) = read(&app, &p.amsterdam, p.overlap).await;
    assert!(
        !view["purposes"]
            .as_array()
            .expect("purposes")
            .iter()
            .any(|p| p["code"] == "picture"),
        "{view}"
    );
    let retired_given = app
        .call_with(
            "/api/consent_to_disclose",
            &format!(
                "id={}&purpose=picture&purpose_note=&legal_basis=gdpr_6_1_e",
                p.overlap
            ),
            Some(&p.amsterdam),
        )
        .await;
    assert_eq!(retired_given.status, 400, "{}", retired_given.body);
    assert_eq!(field(&retired_given.body), "purpose");
    let (_, view) = read(&app, &p.north, p.overlap).await;
    assert_eq!(view["grounds"][0]["purpose_label"], "Intelligence picture");
}
