//! Need-to-know, tested at the server functions themselves: every role against every guarded
//! server function. The page hiding a link is not what protects; these refusals are.

use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::spawn_app;

/// Demo user, and the role they hold alone.
const USERS: [(&str, &str); 7] = [
    ("reporter", "reporter"),
    ("coordinator-north", "coordinator"),
    ("coordinator-amsterdam", "coordinator"),
    ("manager", "manager"),
    ("ministry", "ministry"),
    ("auditor", "auditor"),
    ("admin", "admin"),
];

const ADMIN: &[&str] = &["admin"];
const PARTNERSHIPS: &[&str] = &["coordinator", "manager", "admin"];

/// Server function, its arguments, and the roles that may call it.
const GUARDED: &[(&str, &str, &[&str])] = &[
    ("/api/audit_trail", "", &["auditor"]),
    ("/api/admin/users", "q=&status=", ADMIN),
    ("/api/admin/user", "id=1", ADMIN),
    ("/api/admin/organisation_options", "", ADMIN),
    ("/api/admin/create_user", "user[username]=x", ADMIN),
    ("/api/admin/update_user", "id=1&user[display_name]=x", ADMIN),
    ("/api/admin/set_user_active", "id=1&active=true", ADMIN),
    ("/api/admin/issue_set_password_link", "id=999999", ADMIN),
    ("/api/admin/reset_second_factor", "id=999999", ADMIN),
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
    ("/api/overlap", "id=999999", &[]),
    ("/api/consent_to_disclose", "id=999999", &[]),
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
