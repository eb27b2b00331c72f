//! Need-to-know, tested at the server functions themselves: every role against every guarded
//! server function. The page hiding a link is not what protects; these refusals are.

use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::spawn_app;

/// Demo user, and the role they hold alone.
const USERS: [(&str, &str); 8] = [
    ("reporter", "reporter"),
    ("coordinator-north", "coordinator"),
    ("coordinator-amsterdam", "coordinator"),
    ("manager", "manager"),
    ("ministry", "ministry"),
    ("auditor", "auditor"),
    ("admin", "admin"),
    ("privacy", "privacy_officer"),
];

const ADMIN: &[&str] = &["admin"];
const PARTNERSHIPS: &[&str] = &["coordinator", "manager", "admin"];

/// Server function, its arguments, and the roles that may call it.
const GUARDED: &[(&str, &str, &[&str])] = &[
    ("/api/audit_trail", "", &["auditor"]),
    ("/api/provisions", "", &["auditor", "privacy_officer"]),
    (
        "/api/retention",
        "",
        &["auditor", "privacy_officer", "admin"],
    ),
    ("/api/save_retention_rule", "rule[open_months]=x", ADMIN),
    ("/api/remove_retention_rule", "id=999999", ADMIN),
    ("/api/disclosure_lists", "", &["privacy_officer", "admin"]),
    (
        "/api/matching_model",
        "",
        &["auditor", "privacy_officer", "admin"],
    ),
    ("/api/train_matching_model", "", ADMIN),
    ("/api/admin/api_clients", "", ADMIN),
    ("/api/admin/create_api_client", "client[name]=x", ADMIN),
    ("/api/admin/rotate_api_token", "id=999999", ADMIN),
    ("/api/admin/revoke_api_client", "id=999999&reason=x", ADMIN),
    ("/api/save_disclosure_option", "option[code]=x", ADMIN),
    (
        "/api/decide_disclosure_request",
        "request=999999&decision=approve",
        &[],
    ),
    ("/api/withdraw_consent", "id=999999", &[]),
    ("/api/request_deletion", "id=999999&reason=x", &[]),
    ("/api/confirm_deletion", "id=999999", &[]),
    ("/api/admin/users", "q=&status=", ADMIN),
    ("/api/admin/user", "id=1", ADMIN),
    ("/api/admin/organisation_options", "", ADMIN),
    ("/api/admin/create_user", "user[username]=x", ADMIN),
    ("/api/admin/update_user", "id=1&user[display_name]=x", ADMIN),
    ("/api/admin/set_user_active", "id=1&active=true", ADMIN),
    ("/api/admin/issue_set_password_link", "id=999999", ADMIN),
    ("/api/admin/reset_second_factor", "id=999999", ADMIN),
    ("/api/admin/takeover_requests", "", ADMIN),
    ("/api/admin/approve_takeover", "request_id=999999", ADMIN),
    (
        "/api/admin/refuse_takeover",
        "request_id=999999&reason=x",
        ADMIN,
    ),
    ("/api/admin/organisations", "", ADMIN),
    ("/api/admin/regions", "", ADMIN),
    ("/api/admin/add_region", "region[code]=x", ADMIN),
    ("/api/admin/save_organisation", "organisation[name]=", ADMIN),
    ("/api/admin/joint_venture_form", "", ADMIN),
    ("/api/admin/save_joint_venture", "venture[name]=", ADMIN),
    ("/api/admin/add_member", "joint_venture_id=999999", ADMIN),
    (
        "/api/admin/end_member",
        "membership_id=999999&until=x",
        ADMIN,
    ),
    (
        "/api/admin/assign",
        "joint_venture_id=999999&user_id=x&kind=x",
        ADMIN,
    ),
    ("/api/cases", "", &["coordinator"]),
    // Demo cases arrive with the cases issue's demo data; an unknown case is refused to all.
    ("/api/case", "id=999999", &[]),
    // Subjects and operations of a case: an unknown case is refused to all; each case's own
    // coordinators are tested in subjects.rs and operations.rs.
    (
        "/api/add_subject",
        "case_id=999999&subject[kind]=phone",
        &[],
    ),
    ("/api/remove_subject", "case_id=999999&subject_id=1", &[]),
    ("/api/extend_retention", "case_id=999999&reason=x", &[]),
    (
        "/api/extend_signal_retention",
        "signal_id=999999&reason=x",
        &[],
    ),
    (
        "/api/add_operation",
        "case_id=999999&operation[kind]=x",
        &[],
    ),
    (
        "/api/remove_operation",
        "case_id=999999&operation_id=1",
        &[],
    ),
    ("/api/operations", "", &["coordinator"]),
    ("/api/overlaps", "", &["coordinator"]),
    ("/api/benign_values", "", &["coordinator", "admin"]),
    (
        "/api/add_benign_value",
        "benign[kind]=x",
        &["coordinator", "admin"],
    ),
    (
        "/api/remove_benign_value",
        "id=999999",
        &["coordinator", "admin"],
    ),
    ("/api/held_back_matches", "", &["coordinator"]),
    ("/api/overlap", "id=999999", &[]),
    (
        "/api/consent_to_disclose",
        "id=999999&purpose=other&purpose_note=x&legal_basis=gdpr_6_1_e",
        &[],
    ),
    (
        "/api/overlap_step",
        "id=999999&version=1&step=acknowledge",
        &[],
    ),
    ("/api/overlap_note", "id=999999&title=x", &[]),
    (
        "/api/overlap_follow_up",
        "id=999999&version=1&assignee=1&follow_up=call%20them",
        &[],
    ),
    ("/api/overseen_overlaps", "", &["manager"]),
    ("/api/overseen_overlap", "id=999999", &[]),
    // Signals: reporting itself is tested in signals.rs (a post without a session is kept
    // as a draft rather than refused).
    ("/api/signal_form", "", &["reporter"]),
    (
        "/api/signals",
        "",
        &["reporter", "coordinator", "manager", "admin"],
    ),
    ("/api/signal", "id=999999", &[]),
    ("/api/signal_step", "id=999999&version=1&step=assess", &[]),
    ("/api/signal_feedback", "id=999999&feedback=x", &[]),
    ("/api/signal_owner", "id=999999&joint_venture_id=1", &[]),
    (
        "/api/signal_analysis",
        "from=x",
        &["coordinator", "manager"],
    ),
    ("/api/signal_routing", "", ADMIN),
    ("/api/add_routing_rule", "joint_venture_id=x", ADMIN),
    ("/api/remove_routing_rule", "id=999999", ADMIN),
    (
        "/api/save_signal_category",
        "code=x&name_nl=&name_en=",
        ADMIN,
    ),
    ("/api/save_case", "case[title]=x", &["coordinator"]),
    ("/api/primary_subject", "case_id=999999&subject_id=1", &[]),
    ("/api/overlap_report", "", &["manager"]),
    ("/api/summary", "", &["ministry"]),
    ("/api/partnership_map", "", PARTNERSHIPS),
    ("/api/joint_ventures", "", PARTNERSHIPS),
    ("/api/joint_venture", "id=1", PARTNERSHIPS),
    // The demo manager oversees joint venture 1, so the gate lets them through (and the
    // function refuses the short justification); every other role is refused at the gate.
    (
        "/api/mark_mandate_overlap_intended",
        "first=1&second=2&justification=x&return_to=1",
        &["manager"],
    ),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_is_refused_every_guarded_server_function_it_may_not_call() {
    let app = spawn_app().await;
    for &(path, args, _) in GUARDED {
        let anonymous = app.call_with(path, args, None).await;
        assert_eq!(
            anonymous.status, 401,
            "anonymous {path}: {}",
            anonymous.body
        );
    }
    for (username, role) in USERS {
        let cookie = app.sign_in(username, DEMO_PASSWORD).await;
        for &(path, args, allowed) in GUARDED {
            let response = app.call_with(path, args, Some(&cookie)).await;
            if allowed.contains(&role) {
                // Allowed through the gate; what follows is the function's own answer
                // (bad input here is deliberate), never a refusal of the caller.
                assert!(
                    ![401, 403].contains(&response.status.as_u16()),
                    "{username} {path}: {} {}",
                    response.status,
                    response.body
                );
            } else {
                assert_eq!(
                    response.status, 403,
                    "{username} ({role}) may not call {path}: {}",
                    response.body
                );
            }
        }
    }
}

/// CSV downloads (plain links, `GET`): path with arguments, and the roles that may fetch it.
const GUARDED_DOWNLOADS: &[(&str, &str, &[&str])] = &[
    ("/api/overlap-report.csv", "", &["manager"]),
    ("/api/provisions.csv", "", &["auditor", "privacy_officer"]),
    ("/api/summary.csv", "", &["ministry"]),
    ("/api/signal-analysis.csv", "", &["coordinator", "manager"]),
    ("/api/subjects.csv", "case_id=999999", &[]),
    ("/api/subjects-template.csv", "", &["coordinator"]),
];

/// Uploads (multipart), refused per role and per case in cases.rs and subjects.rs.
const UPLOADS: &[&str] = &["/api/import_cases", "/api/import_subjects"];

/// Server functions about the caller alone (or before signing in): signing in and out, the
/// second factor, one's own password, account and notifications, the start page's public
/// overview and what waits for the caller (nothing for a visitor; each section through its own
/// page's use-case, see start_page.rs), the header's count of one's own open overlaps, and
/// reporting a signal (a post without a session is kept as a draft; see signals.rs).
const OPEN: &[&str] = &[
    "/api/sign_in",
    "/api/sign_out",
    "/api/second_factor",
    "/api/enrolment",
    "/api/confirm_enrolment",
    "/api/set_password",
    "/api/set_password_link",
    "/api/change_password",
    "/api/current_user",
    "/api/notifications",
    "/api/unread_notifications",
    "/api/mark_notifications_read",
    "/api/open_overlaps",
    "/api/portal_overview",
    "/api/start_page",
    "/api/report_signal",
    "/api/api_reference",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_is_refused_every_download_it_may_not_fetch() {
    let app = spawn_app().await;
    for &(path, args, _) in GUARDED_DOWNLOADS {
        let anonymous = app.get(&format!("{path}?{args}")).await;
        assert_eq!(anonymous.status, 401, "anonymous {path}");
    }
    for (username, role) in USERS {
        let cookie = app.sign_in(username, DEMO_PASSWORD).await;
        for &(path, args, allowed) in GUARDED_DOWNLOADS {
            let response = app.get_with(&format!("{path}?{args}"), &cookie).await;
            if allowed.contains(&role) {
                assert_eq!(response.status, 200, "{username} {path}: {}", response.body);
            } else {
                assert_eq!(
                    response.status, 403,
                    "{username} ({role}) may not fetch {path}"
                );
            }
        }
    }
}

/// The ministry user calls every open server function too: each answers about the caller and
/// names no case, overlap or signal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ministry_user_reaches_no_case_through_the_open_server_functions() {
    let app = spawn_app().await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    for path in OPEN.iter().filter(|p| !["/api/sign_out"].contains(p)) {
        let response = app.call_with(path, "", Some(&ministry)).await;
        assert!(
            response.status.as_u16() < 500,
            "{path}: {}",
            response.status
        );
        for reference in ["TMN-2026", "KMA-2026", "GSZ-2026", "S-2026-"] {
            assert!(
                !response.body.contains(reference),
                "{path} names {reference}: {}",
                response.body
            );
        }
    }
    let overview = app
        .call_with("/api/open_overlaps", "", Some(&ministry))
        .await;
    assert!(
        overview.body.trim() == "0" || overview.status == 403,
        "{}",
        overview.body
    );
}

/// Every server function the router serves is in one of the tables above, so every role —
/// the ministry's included — was refused every one not meant for it.
#[test]
fn every_server_function_is_in_the_access_table() {
    let mut known: Vec<&str> = GUARDED.iter().map(|(path, _, _)| *path).collect();
    known.extend(GUARDED_DOWNLOADS.iter().map(|(path, _, _)| *path));
    known.extend(UPLOADS);
    known.extend(OPEN);
    let mut missing: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .filter(|path| !known.contains(&path.as_str()))
        .collect();
    missing.sort();
    assert!(missing.is_empty(), "not in the access table: {missing:?}");
}
