//! Issue 18: no answer above 499 for any input. Every served server function is called as a
//! visitor and as every demo role with generated bad arguments — a field missing, empty, huge,
//! negative, out of range, not UTF-8, sent twice, sent as a list — and with bad requests as a
//! whole (a body that is not UTF-8, too large, JSON, multipart without a boundary, …). Every
//! answer must be below 500; no handler may panic or drop the answer. A 4xx answer to a bad
//! field should name that field (or its form): counted and shown, not failed, since several
//! fields can be wrong at once.
//!
//! The calls are planned deterministically from a seed (`LIAISON_BAD_INPUT_SEED`, default 7):
//! first every function with valid-looking arguments as every caller (which also tells who
//! gets past each function's gate); then every (function, field, bad value) and every whole-
//! request mutation once, as a caller that gets past the gate; then the same as the other
//! callers, drawn at random, until `LIAISON_BAD_INPUT_CASES` calls (default 10,500: every bad input at least once) are made.

use axum::{Router, body::Body, extract::ConnectInfo};
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use liaison_app::{
    error::AppError,
    server::entity::{case, joint_venture, overlap, signal},
};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{BROWSER_ACCEPT, POST_LANGUAGE, spawn_app};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    net::SocketAddr,
    time::{Duration, Instant},
};
use tower::ServiceExt;

/// What a field of a server function holds, as a form sends it. The valid-looking value each
/// kind starts from is in [`baseline`]; the bad values in [`bad_values`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// An `i32` argument: a number no row has.
    Int,
    /// An `i32` argument naming a demo row, so that a call gets past "not found".
    Ref(Target),
    /// An `Option<i32>` argument, absent by default.
    OptInt,
    /// A `u64` argument (a page).
    Count,
    /// A text field the function reads as a number (an id chosen in a form): no row has it.
    Number,
    /// A text field naming a demo row by its id.
    RefText(Target),
    /// Free text.
    Text,
    /// A text with a meaning (a code, a reference, a postcode), starting from this value.
    Word(&'static str),
    /// `YYYY-MM-DD`, starting from this day.
    Date(&'static str),
    /// `YYYY-MM-DDTHH:MM`, starting from this time.
    DateTime(&'static str),
    /// `YYYY-MM`, starting from this month.
    Month(&'static str),
    /// `YYYY-Qn`, starting from this quarter.
    Quarter(&'static str),
    /// Two joint ventures' ids, `3-7`.
    Pair,
    /// `52.3731, 4.8922`.
    Coordinates,
    /// A `bool` argument.
    Bool,
    /// A ticked checkbox (a `bool` in a struct or a map): absent by default.
    Flag,
    /// An `Option<String>` path to go on to: absent by default.
    ReturnTo,
}

/// A demo row a field names, looked up once the demo data is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A case of the northern taskforce (coordinator-north's).
    Case,
    /// The northern taskforce.
    JointVenture,
    Signal,
    SignalVersion,
    /// An overlap of the northern taskforce, if there is one.
    Overlap,
    OverlapVersion,
}

use Kind::*;
use Target as T;

const OVERLAP_FILTER: &[(&str, Kind)] = &[
    ("filter[state]", Word("all")),
    ("filter[kind]", Word("phone")),
    ("filter[flag]", Word("urgent")),
    ("filter[deadline]", Word("soon")),
    ("filter[pair]", Pair),
    ("filter[since]", Date("2026-01-01")),
    ("filter[until]", Date("2026-12-31")),
];

const USER_FORM: &[(&str, Kind)] = &[
    ("user[username]", Word("bad.input")),
    ("user[display_name]", Text),
    ("user[email]", Word("bad.input%40example.org")),
    ("user[organisation_id]", Number),
    ("user[roles][reporter]", Flag),
    ("user[roles][admin]", Flag),
];

/// Every served server function taking a form (`POST`, url-encoded) or a query (`GET`, the CSV
/// downloads), with its fields as `serde_qs` names them: `name` for an argument, `name[field]`
/// for a field of a struct argument, `name[field][key]` for a map's entry.
const FUNCTIONS: &[(&str, &[(&str, Kind)])] = &[
    // Signing in and one's own account.
    ("/api/current_user", &[]),
    (
        "/api/sign_in",
        &[
            ("username", Text),
            ("password", Text),
            ("return_to", ReturnTo),
        ],
    ),
    (
        "/api/second_factor",
        &[("code", Word("123456")), ("return_to", ReturnTo)],
    ),
    ("/api/enrolment", &[]),
    (
        "/api/confirm_enrolment",
        &[("code", Word("123456")), ("return_to", ReturnTo)],
    ),
    // Called by the visitor only: it would end the others' sessions.
    ("/api/sign_out", &[]),
    (
        "/api/change_password",
        &[
            ("current_password", Text),
            ("new_password", Text),
            ("repeat", Text),
        ],
    ),
    ("/api/set_password_link", &[("token", Text)]),
    (
        "/api/set_password",
        &[("token", Text), ("new_password", Text), ("repeat", Text)],
    ),
    ("/api/notifications", &[]),
    ("/api/unread_notifications", &[]),
    ("/api/mark_notifications_read", &[("id", Number)]),
    ("/api/portal_overview", &[]),
    ("/api/start_page", &[]),
    // The audit trail.
    (
        "/api/audit_trail",
        &[
            ("filter[actor]", Text),
            ("filter[action]", Word("sign_in")),
            ("filter[result]", Word("failure")),
            ("filter[from]", Date("2026-01-01")),
            ("filter[to]", Date("2026-12-31")),
        ],
    ),
    (
        "/api/provisions",
        &[
            ("filter[from]", Date("2026-01-01")),
            ("filter[to]", Date("2026-12-31")),
            ("filter[joint_venture]", Number),
            ("filter[case]", Text),
        ],
    ),
    ("/api/retention", &[]),
    (
        "/api/save_retention_rule",
        &[
            ("id", OptInt),
            ("rule[organisation_kind]", Word("police")),
            ("rule[theme]", Word("smuggling")),
            ("rule[open_months]", Number),
            ("rule[closed_months]", Number),
            ("rule[review_days]", Number),
        ],
    ),
    ("/api/remove_retention_rule", &[("id", Int)]),
    ("/api/disclosure_lists", &[]),
    ("/api/matching_model", &[]),
    ("/api/train_matching_model", &[]),
    ("/api/admin/api_clients", &[]),
    (
        "/api/admin/create_api_client",
        &[
            ("client[name]", Text),
            ("client[organisation_id]", Int),
            ("client[joint_ventures][1]", Flag),
            ("client[scopes][cases:read]", Flag),
            ("client[valid_days]", Number),
            ("client[rate_per_minute]", Number),
        ],
    ),
    (
        "/api/admin/rotate_api_token",
        &[("id", Int), ("valid_days", Number)],
    ),
    (
        "/api/admin/revoke_api_client",
        &[("id", Int), ("reason", Text)],
    ),
    ("/api/api_reference", &[]),
    (
        "/api/save_disclosure_option",
        &[
            ("id", OptInt),
            ("option[list]", Word("purpose")),
            ("option[code]", Word("bad_input")),
            ("option[label_nl]", Text),
            ("option[label_en]", Text),
            ("option[kinds][police]", Flag),
            ("option[needs_note]", Flag),
            ("option[active]", Flag),
        ],
    ),
    (
        "/api/provisions.csv",
        &[
            ("from", Date("2026-01-01")),
            ("to", Date("2026-12-31")),
            ("joint_venture", Number),
            ("case", Text),
        ],
    ),
    // Users.
    (
        "/api/admin/users",
        &[("q", Text), ("status", Word("active"))],
    ),
    ("/api/admin/user", &[("id", Int)]),
    ("/api/admin/organisation_options", &[]),
    ("/api/admin/create_user", USER_FORM),
    (
        "/api/admin/update_user",
        &[
            ("id", Int),
            ("user[username]", Word("bad.input")),
            ("user[display_name]", Text),
            ("user[email]", Word("bad.input%40example.org")),
            ("user[organisation_id]", Number),
            ("user[roles][reporter]", Flag),
            ("user[roles][admin]", Flag),
        ],
    ),
    (
        "/api/admin/set_user_active",
        &[("id", Int), ("active", Bool)],
    ),
    ("/api/admin/issue_set_password_link", &[("id", Int)]),
    ("/api/admin/reset_second_factor", &[("id", Int)]),
    ("/api/admin/takeover_requests", &[]),
    // No request has an id a bad value gives: nothing is approved or refused.
    ("/api/admin/approve_takeover", &[("request_id", Int)]),
    (
        "/api/admin/refuse_takeover",
        &[("request_id", Int), ("reason", Text)],
    ),
    // Organisations, regions, joint ventures.
    ("/api/admin/organisations", &[]),
    (
        "/api/admin/save_organisation",
        &[
            ("id", OptInt),
            ("organisation[name]", Text),
            ("organisation[short_name]", Word("BADX")),
            ("organisation[kind]", Word("police")),
        ],
    ),
    ("/api/admin/regions", &[]),
    (
        "/api/admin/add_region",
        &[
            ("region[code]", Word("GM9999")),
            ("region[name]", Text),
            ("region[province]", Word("PV27")),
        ],
    ),
    ("/api/admin/joint_venture_form", &[("id", OptInt)]),
    (
        "/api/admin/save_joint_venture",
        &[
            ("id", OptInt),
            ("venture[name]", Text),
            ("venture[mandate]", Text),
            ("venture[legal_basis]", Text),
            ("venture[start]", Date("2026-01-01")),
            ("venture[end]", Date("2027-12-31")),
            ("venture[themes][smuggling]", Flag),
            ("venture[themes][terrorism]", Flag),
            ("venture[regions][PV27]", Flag),
        ],
    ),
    (
        "/api/admin/add_member",
        &[
            ("joint_venture_id", Ref(T::JointVenture)),
            ("member[organisation_id]", Number),
            ("member[role]", Word("member")),
            ("member[since]", Date("2026-01-01")),
        ],
    ),
    (
        "/api/admin/end_member",
        &[("membership_id", Int), ("until", Date("2026-06-30"))],
    ),
    (
        "/api/admin/assign",
        &[
            ("joint_venture_id", Ref(T::JointVenture)),
            ("user_id", Number),
            ("kind", Word("coordinator")),
            ("remove", Bool),
        ],
    ),
    (
        "/api/partnership_map",
        &[
            ("filter[theme]", Word("smuggling")),
            ("filter[region]", Word("PV27")),
            ("filter[organisation]", Number),
        ],
    ),
    ("/api/joint_ventures", &[]),
    ("/api/joint_venture", &[("id", Ref(T::JointVenture))]),
    (
        "/api/mark_mandate_overlap_intended",
        &[
            ("first", Ref(T::JointVenture)),
            ("second", Int),
            ("justification", Text),
            ("return_to", Int),
        ],
    ),
    // Cases, subjects, operations.
    (
        "/api/cases",
        &[
            ("filter[status]", Word("active")),
            ("filter[theme]", Word("smuggling")),
            ("filter[q]", Text),
            ("filter[sort]", Word("reference")),
            ("filter[page]", Number),
            ("filter[review]", Word("due")),
        ],
    ),
    (
        "/api/extend_retention",
        &[("case_id", Ref(T::Case)), ("reason", Text)],
    ),
    (
        "/api/extend_signal_retention",
        &[("signal_id", Int), ("reason", Text)],
    ),
    (
        "/api/case",
        &[("id", Ref(T::Case)), ("subjects_page", Count)],
    ),
    (
        "/api/save_case",
        &[
            ("id", OptInt),
            ("version", OptInt),
            ("case[joint_venture_id]", RefText(T::JointVenture)),
            ("case[reference]", Word("BAD-2026-1")),
            ("case[title]", Text),
            ("case[theme]", Word("smuggling")),
            ("case[status]", Word("active")),
            ("case[start]", Date("2026-03-01")),
            ("case[end]", Date("2026-12-31")),
            ("case[handling]", Word("pointer-only")),
            ("case[shared_with][999999]", Flag),
            ("case[description]", Text),
        ],
    ),
    (
        "/api/add_subject",
        &[
            ("case_id", Ref(T::Case)),
            ("subject[kind]", Word("phone")),
            ("subject[given_names]", Text),
            ("subject[family_name]", Text),
            ("subject[aliases]", Text),
            ("subject[birth_date]", Date("1990-01-01")),
            ("subject[nationality]", Word("NLD")),
            ("subject[sex]", Word("unknown")),
            ("subject[value]", Word("0612345678")),
            ("subject[country]", Word("NL")),
            ("subject[street]", Text),
            ("subject[house_number]", Word("1")),
            ("subject[postcode]", Word("1234AB")),
            ("subject[municipality]", Word("GM0014")),
            ("subject[document_type]", Word("passport")),
            ("subject[name]", Text),
        ],
    ),
    (
        "/api/primary_subject",
        &[("case_id", Ref(T::Case)), ("subject_id", Int)],
    ),
    (
        "/api/remove_subject",
        &[("case_id", Ref(T::Case)), ("subject_id", Int)],
    ),
    ("/api/subjects.csv", &[("case_id", Ref(T::Case))]),
    ("/api/subjects-template.csv", &[]),
    (
        "/api/add_operation",
        &[
            ("case_id", Ref(T::Case)),
            ("operation[kind]", Word("search")),
            ("operation[place]", Text),
            ("operation[municipality]", Word("GM0014")),
            ("operation[coordinates]", Coordinates),
            ("operation[starts_at]", DateTime("2026-03-01T10:00")),
            ("operation[ends_at]", DateTime("2026-03-01T12:00")),
            ("operation[note]", Text),
        ],
    ),
    (
        "/api/remove_operation",
        &[("case_id", Ref(T::Case)), ("operation_id", Int)],
    ),
    ("/api/operations", &[("from", Date("2026-03-01"))]),
    // Overlaps.
    ("/api/overlaps", OVERLAP_FILTER),
    ("/api/open_overlaps", &[]),
    ("/api/overlap", &[("id", Ref(T::Overlap))]),
    (
        "/api/consent_to_disclose",
        &[
            ("id", Ref(T::Overlap)),
            ("purpose", Word("coordinate_investigations")),
            ("purpose_note", Text),
            ("legal_basis", Word("gdpr_6_1_e")),
        ],
    ),
    (
        "/api/decide_disclosure_request",
        &[
            ("request", Int),
            ("decision", Word("refuse")),
            ("reason", Text),
        ],
    ),
    ("/api/withdraw_consent", &[("id", Ref(T::Overlap))]),
    (
        "/api/request_deletion",
        &[("id", Ref(T::Overlap)), ("reason", Text)],
    ),
    ("/api/confirm_deletion", &[("id", Ref(T::Overlap))]),
    ("/api/benign_values", &[]),
    (
        "/api/add_benign_value",
        &[
            ("benign[kind]", Word("phone")),
            ("benign[value]", Word("0687654321")),
            ("benign[postcode]", Word("1234AB")),
            ("benign[house_number]", Word("1")),
            ("benign[label]", Text),
            ("benign[reason]", Text),
            ("benign[expires_on]", Date("2026-12-31")),
        ],
    ),
    ("/api/remove_benign_value", &[("id", Int)]),
    ("/api/held_back_matches", &[]),
    (
        "/api/overlap_step",
        &[
            ("id", Ref(T::Overlap)),
            ("version", Ref(T::OverlapVersion)),
            ("step", Word("acknowledge")),
            ("decision", Word("joint_action")),
            ("reason", Text),
        ],
    ),
    (
        "/api/overlap_note",
        &[("id", Ref(T::Overlap)), ("title", Text), ("body", Text)],
    ),
    (
        "/api/overlap_follow_up",
        &[
            ("id", Ref(T::Overlap)),
            ("version", Ref(T::OverlapVersion)),
            ("assignee", Number),
            ("follow_up", Text),
        ],
    ),
    ("/api/overseen_overlaps", OVERLAP_FILTER),
    ("/api/overseen_overlap", &[("id", Ref(T::Overlap))]),
    // Reports.
    (
        "/api/overlap_report",
        &[("from", Date("2026-01-01")), ("to", Date("2026-03-31"))],
    ),
    (
        "/api/overlap-report.csv",
        &[("from", Date("2026-01-01")), ("to", Date("2026-03-31"))],
    ),
    (
        "/api/summary",
        &[
            ("quarter", Quarter("2026-Q1")),
            ("theme", Word("smuggling")),
        ],
    ),
    (
        "/api/summary.csv",
        &[
            ("quarter", Quarter("2026-Q1")),
            ("theme", Word("smuggling")),
        ],
    ),
    // Signals.
    ("/api/signal_form", &[]),
    (
        "/api/report_signal",
        &[
            ("signal[nature]", Word("hard")),
            ("signal[theme]", Word("smuggling")),
            ("signal[category]", Word("1")),
            ("signal[observed]", Text),
            ("signal[day]", Date("2026-03-01")),
            ("signal[place]", Text),
            ("signal[municipality]", Word("GM0014")),
            ("signal[urgency]", Word("normal")),
            ("signal[anonymous]", Word("on")),
            ("signal[on_behalf_of]", Text),
            ("signal[person_given]", Text),
            ("signal[person_family]", Text),
            ("signal[person_birth_date]", Date("1990-01-01")),
            ("signal[person_nationality]", Word("NLD")),
            ("signal[identifier_kind]", Word("phone")),
            ("signal[identifier_value]", Word("0611111111")),
        ],
    ),
    ("/api/signals", &[]),
    ("/api/signal", &[("id", Ref(T::Signal))]),
    (
        "/api/signal_step",
        &[
            ("id", Ref(T::Signal)),
            ("version", Ref(T::SignalVersion)),
            ("step", Word("assess")),
            ("joint_venture_id", RefText(T::JointVenture)),
            ("outcome", Word("forwarded")),
            ("case_id", RefText(T::Case)),
            ("service", Text),
            ("reason", Text),
            ("note", Text),
        ],
    ),
    (
        "/api/signal_feedback",
        &[("id", Ref(T::Signal)), ("feedback", Text)],
    ),
    (
        "/api/signal_owner",
        &[("id", Ref(T::Signal)), ("joint_venture_id", Number)],
    ),
    ("/api/signal_routing", &[]),
    (
        "/api/add_routing_rule",
        &[
            ("theme", Word("smuggling")),
            ("province", Word("PV27")),
            ("category", Word("1")),
            ("joint_venture_id", Number),
        ],
    ),
    ("/api/remove_routing_rule", &[("id", Int)]),
    (
        "/api/save_signal_category",
        &[
            ("code", Word("bad_input")),
            ("name_nl", Text),
            ("name_en", Text),
            ("active", Word("on")),
        ],
    ),
    (
        "/api/signal_analysis",
        &[("from", Month("2026-01")), ("to", Month("2026-03"))],
    ),
    (
        "/api/signal-analysis.csv",
        &[("from", Month("2026-01")), ("to", Month("2026-03"))],
    ),
];

/// The uploads (`multipart/form-data`): the numeric text field naming where the file goes, and
/// the demo row it names. The file is the field `file`.
const UPLOADS: &[(&str, &str, Target)] = &[
    ("/api/import_cases", "joint_venture_id", T::JointVenture),
    ("/api/import_subjects", "case_id", T::Case),
];

/// Demo users, one per role and two coordinators; the visitor (no session) calls first.
const USERS: [&str; 7] = [
    "reporter",
    "coordinator-north",
    "coordinator-amsterdam",
    "manager",
    "ministry",
    "auditor",
    "admin",
];

const VISITOR: usize = 0;
const NORTH: &str = "Taskforce Mensensmokkel Noord";
/// An id no row has.
const NO_ROW: i32 = 999_999;
/// Huge text: in a form post, and in a query (a URI holds at most 64 KiB).
const HUGE: usize = 100_000;
const GET_HUGE: usize = 30_000;
const THREE_MIB: usize = 3 * 1024 * 1024;
const CALL_TIMEOUT: Duration = Duration::from_secs(120);
const DEFAULT_CASES: usize = 10_500;
const DEFAULT_SEED: u64 = 7;

// --- Bad values ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum BadValue {
    /// The field is left out.
    Missing,
    /// `name=value` (the value as it goes on the wire: already percent-encoded).
    Value(String),
    /// `name=baseline&name=second` (the baseline, or an id no row has).
    Twice(String),
    /// `name{suffix}=value`, such as `name[]=1`.
    Suffix(&'static str, String),
}

#[derive(Debug, Clone)]
struct Bad {
    label: String,
    value: BadValue,
}

fn value(label: impl Into<String>, value: impl Into<String>) -> Bad {
    Bad {
        label: label.into(),
        value: BadValue::Value(value.into()),
    }
}

const NUMBERS: &[(&str, &str)] = &[
    ("i32 max", "2147483647"),
    ("i32 min", "-2147483648"),
    ("i32 max + 1", "2147483648"),
    ("i32 min - 1", "-2147483649"),
    ("zero", "0"),
    ("fraction", "1.5"),
    ("exponent", "1e3"),
    ("hexadecimal", "0x10"),
    ("plus sign", "%2B999999"),
    ("padded with spaces", "%20999999%20"),
    ("NaN", "NaN"),
    ("u64 max", "18446744073709551615"),
    ("u64 max + 1", "18446744073709551616"),
    ("i64 max", "9223372036854775807"),
    ("i64 min", "-9223372036854775808"),
    ("Arabic-Indic digits", "%D9%A1%D9%A2"),
];

const DATES: &[(&str, &str)] = &[
    ("year +262142", "%2B262142-12-31"),
    ("year -262143", "-262143-01-01"),
    ("year 10000", "10000-01-01"),
    ("day zero", "0000-00-00"),
    ("30 February", "2026-02-30"),
    ("year i32 max", "2147483647-12-31"),
    ("year i64 max", "9223372036854775807-01-01"),
    ("year 9999", "9999-12-31"),
    ("year 1", "0001-01-01"),
    ("year 1899", "1899-12-31"),
    ("year 2201", "2201-01-01"),
    ("unpadded", "2026-1-1"),
    ("with a time", "2026-01-01T00:00"),
    ("day first", "31-12-2026"),
    ("month 13", "2026-13-01"),
];

const DATE_TIMES: &[(&str, &str)] = &[
    ("year +262142", "%2B262142-12-31T23:59"),
    ("year -262143", "-262143-01-01T00:00"),
    ("year 10000", "10000-01-01T00:00"),
    ("year i32 max", "2147483647-12-31T00:00"),
    ("30 February", "2026-02-30T10:00"),
    ("hour 25", "2026-03-01T25:61"),
    ("leap second", "2026-03-01T23:59:60"),
    ("date only", "2026-03-01"),
    ("year 9999", "9999-12-31T23:59"),
    ("first minute of 1900", "1900-01-01T00:00"),
    ("last minute of 2200", "2200-12-31T23:59"),
    ("space for the T", "2026-03-01%2010:00"),
    ("with a zone", "2026-03-01T10:00Z"),
    ("with an offset", "2026-03-01T10:00%2B14:00"),
];

const MONTHS: &[(&str, &str)] = &[
    ("year i32 max", "2147483647-12"),
    ("year i64 max", "9223372036854775807-01"),
    ("year 10000", "10000-01"),
    ("negative year", "-5-01"),
    ("month 13", "2026-13"),
    ("month 0", "2026-00"),
    ("year 0", "0000-01"),
    ("year 9999", "9999-12"),
    ("year 1899", "1899-12"),
    ("year 2201", "2201-01"),
    ("unpadded", "2026-1"),
    ("plus sign", "%2B2026-01"),
    ("a whole date", "2026-01-01"),
];

const QUARTERS: &[(&str, &str)] = &[
    ("year i32 max", "2147483647-Q4"),
    ("year i32 min", "-2147483648-Q1"),
    ("year 10000", "10000-Q1"),
    ("negative year", "-1-Q1"),
    ("year 1999", "1999-Q4"),
    ("year 2101", "2101-Q1"),
    ("quarter 0", "2026-Q0"),
    ("quarter 5", "2026-Q5"),
    ("quarter u32 max + 1", "2026-Q4294967296"),
    ("lower case", "2026-q1"),
    ("no year", "Q1"),
];

const BOOLS: &[(&str, &str)] = &[
    ("maybe", "maybe"),
    ("upper case", "TRUE"),
    ("one", "1"),
    ("zero", "0"),
    ("on", "on"),
    ("yes", "yes"),
    ("true and NUL", "true%00"),
];

const PAIRS: &[(&str, &str)] = &[
    ("one side", "1-"),
    ("negatives", "-1--1"),
    ("i32 max + 1", "2147483648-1"),
    ("i32 max twice", "2147483647-2147483647"),
    ("three sides", "1-2-3"),
    ("huge", "99999999999999999999-1"),
    ("letters", "a-b"),
    ("same twice", "1-1"),
];

const COORDINATES: &[(&str, &str)] = &[
    ("NaN", "NaN,%20NaN"),
    ("infinity", "inf,%20-inf"),
    ("overflow", "1e309,%201e309"),
    ("out of range", "91,%20181"),
    ("the poles", "90,%20180"),
    ("negative zero", "-0,%20-0"),
    ("subnormal", "5e-324,%205e-324"),
    ("one number", "52.37"),
    ("three numbers", "52.37,%204.89,%201"),
    ("comma only", "%2C"),
    ("semicolon", "52.37%3B4.89"),
];

const WORDS: &[(&str, &str)] = &[
    ("unknown code", "no-such-code"),
    ("all", "all"),
    ("star", "*"),
    ("percent", "%25"),
    ("path", "..%2F..%2Fetc%2Fpasswd"),
];

const TEXTS: &[(&str, &str)] = &[
    ("surrogate bytes", "%ED%A0%80"),
    ("overlong encoding", "%C0%AF"),
    ("byte-order mark", "%EF%BB%BFx"),
];

const RETURN_TOS: &[(&str, &str)] = &[
    ("another host", "%2F%2Fevil.example%2F"),
    ("an absolute address", "https%3A%2F%2Fevil.example%2F"),
    ("header injection", "%2F%0D%0ALocation%3A%20x"),
    ("javascript", "javascript%3Aalert(1)"),
    ("backslash", "%2F%5Cevil.example"),
];

/// The bad values of a field: those of every field, those of its kind, and two generated from
/// the seed (random bytes, and a random value of the kind's shape).
fn bad_values(kind: Kind, get: bool, rng: &mut Rng) -> Vec<Bad> {
    let huge = if get { GET_HUGE } else { HUGE };
    let mut bads = vec![
        Bad {
            label: "missing".into(),
            value: BadValue::Missing,
        },
        value("empty", ""),
        value(format!("{huge} characters"), "x".repeat(huge)),
        value("NUL byte", "a%00b"),
        value(
            "RTL override and emoji",
            "%E2%80%AEabc%F0%9F%92%A3%E2%80%8F",
        ),
        value("non-UTF-8 bytes", "%FF%FE"),
        value("broken percent escape", "%ZZ%"),
        value("line breaks and a tab", "a%0D%0Ab%09"),
        value("only spaces", "%20%20%20"),
        value("HTML", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
        value("SQL", "%27%3B%20DROP%20TABLE%20user_account%3B--"),
        value("number too big", "99999999999999999999"),
        value("negative", "-1"),
        value("letters", "abc"),
        // No small numbers: they might name a demo row (an account to deactivate).
        Bad {
            label: "sent twice".into(),
            value: BadValue::Twice(NO_ROW.to_string()),
        },
        Bad {
            label: "as a list".into(),
            value: BadValue::Suffix("[]", NO_ROW.to_string()),
        },
        Bad {
            label: "as a map".into(),
            value: BadValue::Suffix("[x]", NO_ROW.to_string()),
        },
    ];
    let specific: &[(&str, &str)] = match kind {
        Int | Ref(_) | OptInt | Count | Number | RefText(_) => NUMBERS,
        Date(_) => DATES,
        DateTime(_) => DATE_TIMES,
        Month(_) => MONTHS,
        Quarter(_) => QUARTERS,
        Bool | Flag => BOOLS,
        Pair => PAIRS,
        Coordinates => COORDINATES,
        Word(_) => WORDS,
        Text => TEXTS,
        ReturnTo => RETURN_TOS,
    };
    bads.extend(specific.iter().map(|(label, v)| value(*label, *v)));
    match kind {
        Word(code) => {
            bads.push(value("upper case", code.to_uppercase()));
            bads.push(value("zero-width space first", format!("%E2%80%8B{code}")));
            bads.push(value("NUL after", format!("{code}%00")));
        }
        Text => {
            let multibyte = if get { 5_000 } else { 50_000 };
            bads.push(value(
                format!("{multibyte} two-byte characters"),
                "%C3%A9".repeat(multibyte),
            ));
            bads.push(value("a thousand line breaks", "%0A".repeat(1_000)));
        }
        ReturnTo => {
            bads.push(value("a deep path", format!("%2F{}", "a%2F".repeat(2_000))));
        }
        _ => {}
    }
    let bytes = rng.bytes();
    bads.push(value(format!("generated bytes {}", shorten(&bytes)), bytes));
    let shaped = rng.shaped(kind);
    bads.push(value(format!("generated {}", shorten(&shaped)), shaped));
    bads
}

/// The valid-looking value a field has while another is bad (`None`: left out).
fn baseline(kind: Kind, rows: &Rows) -> Option<String> {
    Some(match kind {
        Int | Number => NO_ROW.to_string(),
        Ref(target) | RefText(target) => rows.get(target).to_string(),
        OptInt | Flag | ReturnTo => return None,
        Count => "1".into(),
        Text => "Bad%20input".into(),
        Word(v) | Date(v) | DateTime(v) | Month(v) | Quarter(v) => v.into(),
        Pair => "1-2".into(),
        Coordinates => "52.37,%204.89".into(),
        // `true`: activating an active account changes nothing.
        Bool => "true".into(),
    })
}

fn shorten(text: &str) -> String {
    if text.len() <= 60 {
        text.to_owned()
    } else {
        let end = text.char_indices().nth(60).map_or(text.len(), |(at, _)| at);
        format!("{}… ({} bytes)", &text[..end], text.len())
    }
}

/// Percent-encodes everything but ASCII letters and digits.
fn encode(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(*b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// SplitMix64: small, deterministic, good enough to draw cases and values from a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn shuffle<X>(&mut self, items: &mut [X]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }

    /// 1 to 48 random bytes, percent-encoded.
    fn bytes(&mut self) -> String {
        let length = 1 + self.below(48) as usize;
        let bytes: Vec<u8> = (0..length).map(|_| self.next() as u8).collect();
        encode(&bytes)
    }

    /// A number that is never a demo row's id (at least a million away from one).
    fn int(&mut self) -> String {
        match self.below(4) {
            0 => (self.next() as i64).to_string(),
            1 => format!("{}{}", self.next(), self.next()),
            2 => (1_000_000 + self.below(1_000_000_000)).to_string(),
            _ => format!("-{}", 1_000_000 + self.below(1_000_000_000)),
        }
    }

    fn year(&mut self) -> String {
        match self.below(4) {
            0 => self.int(),
            1 => (self.below(600_000) as i64 - 300_000).to_string(),
            2 => self.below(100_000).to_string(),
            _ => (1800 + self.below(500)).to_string(),
        }
    }

    fn text(&mut self) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", "-", " ", "%", "&", "=", "[", "]", "+", "é", "ß", "\u{202E}",
            "\u{200B}", "😀", "\u{0}", "\n", "\t", "'", "\"", "<", ">", "/", "\\", ";", "\u{FEFF}",
            "𝔘", "ＡＢ", "..", "Q", "T", ":",
        ];
        let length = 1 + self.below(24) as usize;
        let text: String = (0..length)
            .map(|_| PIECES[self.below(PIECES.len() as u64) as usize])
            .collect();
        encode(text.as_bytes())
    }

    /// A random value shaped like the kind's (a date with a random year, month and day…).
    fn shaped(&mut self, kind: Kind) -> String {
        match kind {
            Int | Ref(_) | OptInt | Count | Number | RefText(_) => self.int(),
            Date(_) => {
                let year = self.year();
                format!("{year}-{:02}-{:02}", self.below(100), self.below(100))
            }
            DateTime(_) => {
                let year = self.year();
                format!(
                    "{year}-{:02}-{:02}T{:02}:{:02}",
                    self.below(100),
                    self.below(100),
                    self.below(100),
                    self.below(100)
                )
            }
            Month(_) => {
                let year = self.year();
                format!("{year}-{:02}", self.below(100))
            }
            Quarter(_) => {
                let year = self.year();
                let quarter = if self.below(2) == 0 {
                    self.below(10).to_string()
                } else {
                    self.int()
                };
                format!("{year}-Q{quarter}")
            }
            Pair => format!("{}-{}", self.int(), self.int()),
            Coordinates => format!(
                "{},%20{}",
                f64::from_bits(self.next()),
                f64::from_bits(self.next())
            )
            .replace('+', "%2B"),
            Bool | Flag | Text | Word(_) | ReturnTo => self.text(),
        }
    }
}

// --- Whole-request mutations --------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Whole {
    // Form posts.
    NonUtf8Body,
    NonUtf8Appended,
    HugeBody,
    JsonBody,
    MultipartWithoutBoundary,
    MultipartGarbage,
    TextPlain,
    NoContentType,
    EmptyBody,
    DeepNesting,
    ManyFields,
    OnlySeparators,
    WrongMethod,
    Latin1,
    PlainFormNonUtf8,
    PlainFormBadField,
    // Downloads (`GET`).
    NonUtf8Query,
    RawNonUtf8Query,
    LongQuery,
    QueryDeepNesting,
    QueryManyFields,
    QueryOnlySeparators,
    PostToDownload,
    EmptyQuery,
    // Uploads.
    UploadWithoutBoundary,
    UploadGarbage,
    UploadHugeIdField,
    UploadNamelessFile,
    UploadTooLarge,
    UploadNonUtf8File,
    UploadUtf16File,
    UploadNoFile,
    UploadEmptyFile,
    UploadNotANumber,
    UploadHugeNumber,
    UploadUnterminated,
    UploadAsForm,
    UploadNoDisposition,
    UploadManyFields,
    UploadNonUtf8FieldName,
    UploadLongLine,
    UploadFormulaCells,
    UploadNulBytes,
    UploadTwoFiles,
}

use Whole as W;

const FORM_WHOLE: &[Whole] = &[
    W::NonUtf8Body,
    W::NonUtf8Appended,
    W::HugeBody,
    W::JsonBody,
    W::MultipartWithoutBoundary,
    W::MultipartGarbage,
    W::TextPlain,
    W::NoContentType,
    W::EmptyBody,
    W::DeepNesting,
    W::ManyFields,
    W::OnlySeparators,
    W::WrongMethod,
    W::Latin1,
    W::PlainFormNonUtf8,
    W::PlainFormBadField,
];

const GET_WHOLE: &[Whole] = &[
    W::NonUtf8Query,
    W::RawNonUtf8Query,
    W::LongQuery,
    W::QueryDeepNesting,
    W::QueryManyFields,
    W::QueryOnlySeparators,
    W::PostToDownload,
    W::EmptyQuery,
];

const UPLOAD_WHOLE: &[Whole] = &[
    W::UploadWithoutBoundary,
    W::UploadGarbage,
    W::UploadHugeIdField,
    W::UploadNamelessFile,
    W::UploadTooLarge,
    W::UploadNonUtf8File,
    W::UploadUtf16File,
    W::UploadNoFile,
    W::UploadEmptyFile,
    W::UploadNotANumber,
    W::UploadHugeNumber,
    W::UploadUnterminated,
    W::UploadAsForm,
    W::UploadNoDisposition,
    W::UploadManyFields,
    W::UploadNonUtf8FieldName,
    W::UploadLongLine,
    W::UploadFormulaCells,
    W::UploadNulBytes,
    W::UploadTwoFiles,
];

impl Whole {
    fn label(self) -> &'static str {
        match self {
            W::NonUtf8Body => "a body of non-UTF-8 bytes",
            W::NonUtf8Appended => "non-UTF-8 bytes after the fields",
            W::HugeBody => "a 3 MiB body",
            W::JsonBody => "content type JSON with `{`",
            W::MultipartWithoutBoundary => "content type multipart without a boundary",
            W::MultipartGarbage => "content type multipart with a garbage body",
            W::TextPlain => "content type text/plain",
            W::NoContentType => "no content type",
            W::EmptyBody => "an empty body",
            W::DeepNesting => "fields nested eleven deep",
            W::ManyFields => "10,000 extra fields",
            W::OnlySeparators => "only separators",
            W::WrongMethod => "GET instead of POST",
            W::Latin1 => "charset ISO-8859-1 with a Latin-1 byte",
            W::PlainFormNonUtf8 => "a plain form post (HTML) of non-UTF-8 bytes",
            W::PlainFormBadField => "a plain form post (HTML) with its first field not UTF-8",
            W::NonUtf8Query => "a percent-encoded non-UTF-8 query",
            W::RawNonUtf8Query => "raw non-UTF-8 bytes in the query",
            W::LongQuery => "a 60,000-character query",
            W::QueryDeepNesting => "query fields nested eight deep",
            W::QueryManyFields => "5,000 extra query fields",
            W::QueryOnlySeparators => "a query of only separators",
            W::PostToDownload => "POST instead of GET",
            W::EmptyQuery => "an empty query",
            W::UploadWithoutBoundary => "multipart without a boundary",
            W::UploadGarbage => "a garbage multipart body",
            W::UploadHugeIdField => "a 3 MiB id field",
            W::UploadNamelessFile => "a file field without a name",
            W::UploadTooLarge => "a 6 MiB file",
            W::UploadNonUtf8File => "a file of non-UTF-8 bytes",
            W::UploadUtf16File => "a UTF-16 file",
            W::UploadNoFile => "no file",
            W::UploadEmptyFile => "an empty file",
            W::UploadNotANumber => "an id that is no number",
            W::UploadHugeNumber => "an id past i32",
            W::UploadUnterminated => "an unterminated multipart body",
            W::UploadAsForm => "a url-encoded form instead of multipart",
            W::UploadNoDisposition => "a part without Content-Disposition",
            W::UploadManyFields => "twenty text fields",
            W::UploadNonUtf8FieldName => "a field name of non-UTF-8 bytes",
            W::UploadLongLine => "a file of one 1 MiB line",
            W::UploadFormulaCells => "a file with formula cells",
            W::UploadNulBytes => "a file with NUL bytes",
            W::UploadTwoFiles => "two files",
        }
    }
}

// --- The functions at run time ------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Form,
    Get,
    Upload {
        id_field: &'static str,
        target: Target,
    },
}

struct Function {
    path: &'static str,
    shape: Shape,
    fields: Vec<(&'static str, Kind)>,
    /// The bad values of each field.
    bads: Vec<Vec<Bad>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Mutation {
    /// Every field valid-looking.
    Baseline,
    Field {
        field: usize,
        bad: usize,
    },
    Whole(Whole),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Call {
    function: usize,
    mutation: Mutation,
    caller: usize,
}

/// The functions of the tables, shaped by how the router serves them (`GET` for downloads).
fn functions(rng: &mut Rng) -> Vec<Function> {
    let get: HashMap<&'static str, bool> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| (path, method.as_str() == "GET"))
        .collect();
    let mut functions: Vec<Function> = FUNCTIONS
        .iter()
        .map(|&(path, fields)| {
            let is_get = get.get(path).copied().unwrap_or(false);
            let bads = fields
                .iter()
                .map(|&(_, kind)| bad_values(kind, is_get, rng))
                .collect();
            Function {
                path,
                shape: if is_get { Shape::Get } else { Shape::Form },
                fields: fields.to_vec(),
                bads,
            }
        })
        .collect();
    functions.extend(UPLOADS.iter().map(|&(path, id_field, target)| Function {
        path,
        shape: Shape::Upload { id_field, target },
        fields: Vec::new(),
        bads: Vec::new(),
    }));
    functions
}

impl Function {
    /// Every mutation but the baseline (which every caller makes first).
    fn mutations(&self) -> Vec<Mutation> {
        let mut all: Vec<Mutation> = self
            .bads
            .iter()
            .enumerate()
            .flat_map(|(field, bads)| {
                (0..bads.len()).map(move |bad| Mutation::Field { field, bad })
            })
            .collect();
        let wholes = match self.shape {
            Shape::Form => FORM_WHOLE,
            Shape::Get => GET_WHOLE,
            Shape::Upload { .. } => UPLOAD_WHOLE,
        };
        all.extend(wholes.iter().map(|w| Mutation::Whole(*w)));
        all
    }

    /// The form (or query): every field at its baseline, but `mutated` bad.
    fn form(&self, rows: &Rows, mutated: Option<(usize, usize)>) -> String {
        let get = self.shape == Shape::Get;
        let mut pairs = Vec::new();
        for (i, &(name, kind)) in self.fields.iter().enumerate() {
            let name = if get {
                name.replace('[', "%5B").replace(']', "%5D")
            } else {
                name.to_owned()
            };
            match mutated.filter(|(field, _)| *field == i) {
                Some((field, bad)) => match &self.bads[field][bad].value {
                    BadValue::Missing => {}
                    BadValue::Value(v) => pairs.push(format!("{name}={v}")),
                    BadValue::Twice(second) => {
                        let first = baseline(kind, rows).unwrap_or_else(|| NO_ROW.to_string());
                        pairs.push(format!("{name}={first}"));
                        pairs.push(format!("{name}={second}"));
                    }
                    BadValue::Suffix(suffix, v) => pairs.push(format!("{name}{suffix}={v}")),
                },
                None => {
                    if let Some(v) = baseline(kind, rows) {
                        pairs.push(format!("{name}={v}"));
                    }
                }
            }
        }
        pairs.join("&")
    }

    /// Where the call was bad, for the report: the field and the value, or the whole request.
    fn describe(&self, mutation: Mutation) -> (String, String) {
        match mutation {
            Mutation::Baseline => ("-".into(), "valid-looking arguments".into()),
            Mutation::Field { field, bad } => (
                self.fields[field].0.to_owned(),
                self.bads[field][bad].label.clone(),
            ),
            Mutation::Whole(whole) => ("whole request".into(), whole.label().into()),
        }
    }
}

/// A request as it goes to the router.
struct Raw {
    method: Method,
    uri: Vec<u8>,
    content_type: Option<String>,
    accept: &'static str,
    body: Vec<u8>,
}

const JSON: &str = "application/json";
const FORM_TYPE: &str = "application/x-www-form-urlencoded";
const BOUNDARY: &str = "liaison-bad-input-7d1f";

fn post(path: &str, body: impl Into<Vec<u8>>) -> Raw {
    Raw {
        method: Method::POST,
        uri: path.as_bytes().to_vec(),
        content_type: Some(FORM_TYPE.into()),
        accept: JSON,
        body: body.into(),
    }
}

fn get(path: &str, query: &str) -> Raw {
    let uri = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    Raw {
        method: Method::GET,
        uri: uri.into_bytes(),
        content_type: None,
        accept: JSON,
        body: Vec::new(),
    }
}

fn joined(first: &str, rest: &str) -> String {
    match (first.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_owned(),
        (_, true) => first.to_owned(),
        _ => format!("{first}&{rest}"),
    }
}

fn part(headers: &[u8], content: &[u8]) -> Vec<u8> {
    let mut part = format!("--{BOUNDARY}\r\n").into_bytes();
    part.extend_from_slice(headers);
    part.extend_from_slice(b"\r\n\r\n");
    part.extend_from_slice(content);
    part.extend_from_slice(b"\r\n");
    part
}

fn text_part(name: &str, content: &[u8]) -> Vec<u8> {
    part(
        format!("Content-Disposition: form-data; name=\"{name}\"").as_bytes(),
        content,
    )
}

fn file_part(content: &[u8]) -> Vec<u8> {
    part(
        b"Content-Disposition: form-data; name=\"file\"; filename=\"bad-input.csv\"\r\nContent-Type: text/csv",
        content,
    )
}

fn closed(parts: Vec<Vec<u8>>) -> Vec<u8> {
    let mut body = parts.concat();
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn multipart(path: &str, body: Vec<u8>) -> Raw {
    Raw {
        method: Method::POST,
        uri: path.as_bytes().to_vec(),
        content_type: Some(format!("multipart/form-data; boundary={BOUNDARY}")),
        accept: JSON,
        body,
    }
}

fn raw_request(function: &Function, mutation: Mutation, rows: &Rows) -> Raw {
    let path = function.path;
    match function.shape {
        Shape::Upload { id_field, target } => upload(path, id_field, rows.get(target), mutation),
        Shape::Get => {
            let baseline = function.form(rows, None);
            match mutation {
                Mutation::Baseline => get(path, &baseline),
                Mutation::Field { field, bad } => {
                    get(path, &function.form(rows, Some((field, bad))))
                }
                Mutation::Whole(whole) => match whole {
                    W::NonUtf8Query => get(path, &joined("a=%FF%FE", &baseline)),
                    W::RawNonUtf8Query => {
                        let mut raw = get(path, &joined(&baseline, "a="));
                        raw.uri.extend_from_slice(b"\xff\xfe");
                        raw
                    }
                    W::LongQuery => get(
                        path,
                        &joined(&baseline, &format!("pad={}", "x".repeat(60_000))),
                    ),
                    W::QueryDeepNesting => {
                        get(path, &joined(&baseline, "a[b][c][d][e][f][g][h]=1"))
                    }
                    W::QueryManyFields => {
                        let many: Vec<String> = (0..5_000).map(|i| format!("z{i}=1")).collect();
                        get(path, &joined(&baseline, &many.join("&")))
                    }
                    W::QueryOnlySeparators => get(path, "&&&===&[]=&%=%&[[[[=]]]]"),
                    W::PostToDownload => post(path, baseline),
                    _ => {
                        let mut raw = get(path, "");
                        raw.uri.push(b'?');
                        raw
                    }
                },
            }
        }
        Shape::Form => {
            let baseline = function.form(rows, None);
            match mutation {
                Mutation::Baseline => post(path, baseline),
                Mutation::Field { field, bad } => {
                    post(path, function.form(rows, Some((field, bad))))
                }
                Mutation::Whole(whole) => match whole {
                    W::NonUtf8Body => post(path, b"a=\xff\xfe".to_vec()),
                    W::NonUtf8Appended => {
                        let mut body = joined(&baseline, "").into_bytes();
                        body.extend_from_slice(b"&\xff\xfe=\xff");
                        post(path, body)
                    }
                    W::HugeBody => post(
                        path,
                        joined(&baseline, &format!("pad={}", "x".repeat(THREE_MIB))),
                    ),
                    W::JsonBody => Raw {
                        content_type: Some(JSON.into()),
                        ..post(path, "{")
                    },
                    W::MultipartWithoutBoundary => Raw {
                        content_type: Some("multipart/form-data".into()),
                        ..post(path, baseline)
                    },
                    W::MultipartGarbage => Raw {
                        content_type: Some(format!("multipart/form-data; boundary={BOUNDARY}")),
                        ..post(
                            path,
                            format!("this is not\r\n--{BOUNDARY}\r\nmultipart\r\n"),
                        )
                    },
                    W::TextPlain => Raw {
                        content_type: Some("text/plain; charset=utf-8".into()),
                        ..post(path, baseline)
                    },
                    W::NoContentType => Raw {
                        content_type: None,
                        ..post(path, baseline)
                    },
                    W::EmptyBody => post(path, ""),
                    W::DeepNesting => {
                        let nested = match function.fields.first() {
                            Some((name, _)) => format!("&{name}[a][b][c][d][e][f]=1"),
                            None => String::new(),
                        };
                        post(
                            path,
                            joined(
                                &baseline,
                                &format!("a[b][c][d][e][f][g][h][i][j][k]=1{nested}"),
                            ),
                        )
                    }
                    W::ManyFields => {
                        let many: Vec<String> = (0..10_000).map(|i| format!("z{i}=1")).collect();
                        post(path, joined(&baseline, &many.join("&")))
                    }
                    W::OnlySeparators => post(path, "&&&===&[]=&%=%&[[[[=]]]]"),
                    W::WrongMethod => get(path, &baseline),
                    W::Latin1 => {
                        let mut body = joined(&baseline, "a=").into_bytes();
                        body.push(0xE9);
                        Raw {
                            content_type: Some(format!("{FORM_TYPE}; charset=iso-8859-1")),
                            ..post(path, body)
                        }
                    }
                    W::PlainFormNonUtf8 => Raw {
                        accept: BROWSER_ACCEPT,
                        ..post(path, b"a=\xff\xfe".to_vec())
                    },
                    W::PlainFormBadField => {
                        let body = match function.bads.first() {
                            // The first field as "non-UTF-8 bytes", the rest valid-looking.
                            Some(bads) => {
                                let bad = bads
                                    .iter()
                                    .position(|b| b.label == "non-UTF-8 bytes")
                                    .unwrap_or(0);
                                function.form(rows, Some((0, bad)))
                            }
                            None => "a=%FF%FE".into(),
                        };
                        Raw {
                            accept: BROWSER_ACCEPT,
                            ..post(path, body)
                        }
                    }
                    _ => post(path, baseline),
                },
            }
        }
    }
}

/// An upload to `path`: the id field naming `id`, a small file that is no valid layout, or the
/// mutation's variant of that.
fn upload(path: &str, id_field: &str, id: i32, mutation: Mutation) -> Raw {
    let id_text = id.to_string();
    let id_part = || text_part(id_field, id_text.as_bytes());
    let small = b"x\n".as_slice();
    let whole = match mutation {
        Mutation::Whole(whole) => whole,
        _ => return multipart(path, closed(vec![id_part(), file_part(small)])),
    };
    match whole {
        W::UploadWithoutBoundary => Raw {
            content_type: Some("multipart/form-data".into()),
            ..multipart(path, closed(vec![id_part(), file_part(small)]))
        },
        W::UploadGarbage => multipart(path, b"garbage without any boundary\r\n\r\n".to_vec()),
        W::UploadHugeIdField => multipart(
            path,
            closed(vec![
                text_part(id_field, "9".repeat(THREE_MIB).as_bytes()),
                file_part(small),
            ]),
        ),
        W::UploadNamelessFile => multipart(
            path,
            closed(vec![
                id_part(),
                part(
                    b"Content-Disposition: form-data; filename=\"bad-input.csv\"\r\nContent-Type: text/csv",
                    small,
                ),
            ]),
        ),
        W::UploadTooLarge => multipart(
            path,
            closed(vec![
                id_part(),
                file_part("a,b\n".repeat(6 * 1024 * 1024 / 4).as_bytes()),
            ]),
        ),
        W::UploadNonUtf8File => multipart(
            path,
            closed(vec![id_part(), file_part(b"kind,value\n\xff\xfe\xfd,\xc0\xaf\n")]),
        ),
        W::UploadUtf16File => multipart(
            path,
            closed(vec![id_part(), file_part(b"\xff\xfek\x00i\x00n\x00d\x00\n\x00")]),
        ),
        W::UploadNoFile => multipart(path, closed(vec![id_part()])),
        W::UploadEmptyFile => multipart(path, closed(vec![id_part(), file_part(b"")])),
        W::UploadNotANumber => multipart(
            path,
            closed(vec![text_part(id_field, b"abc"), file_part(small)]),
        ),
        W::UploadHugeNumber => multipart(
            path,
            closed(vec![
                text_part(id_field, b"99999999999999999999"),
                file_part(small),
            ]),
        ),
        W::UploadUnterminated => {
            let mut body = id_part();
            body.extend_from_slice(
                format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\nkind,value\nphone,06")
                    .as_bytes(),
            );
            multipart(path, body)
        }
        W::UploadAsForm => post(path, format!("{id_field}={id}&file=kind%2Cvalue")),
        W::UploadNoDisposition => multipart(
            path,
            closed(vec![id_part(), part(b"Content-Type: text/csv", small)]),
        ),
        W::UploadManyFields => {
            let mut parts: Vec<Vec<u8>> = (0..20)
                .map(|i| text_part(&format!("extra{i}"), b"1"))
                .collect();
            parts.push(id_part());
            parts.push(file_part(small));
            multipart(path, closed(parts))
        }
        W::UploadNonUtf8FieldName => multipart(
            path,
            closed(vec![
                part(b"Content-Disposition: form-data; name=\"\xff\xfe\"", b"1"),
                id_part(),
                file_part(small),
            ]),
        ),
        W::UploadLongLine => multipart(
            path,
            closed(vec![id_part(), file_part("x".repeat(1024 * 1024).as_bytes())]),
        ),
        W::UploadFormulaCells => multipart(
            path,
            closed(vec![
                id_part(),
                file_part(b"kind,value\nphone,=cmd|' /C calc'!A0\n@SUM(1),+1+1\n"),
            ]),
        ),
        W::UploadNulBytes => multipart(
            path,
            closed(vec![id_part(), file_part(b"kind,value\nphone,06\x0012345678\n\x00\x00\n")]),
        ),
        W::UploadTwoFiles => multipart(
            path,
            closed(vec![id_part(), file_part(small), file_part(b"kind,value\n")]),
        ),
        _ => multipart(path, closed(vec![id_part(), file_part(small)])),
    }
}

fn request(raw: Raw, cookie: Option<&str>) -> Result<Request<Body>, String> {
    let mut builder = Request::builder()
        .method(raw.method)
        .uri(raw.uri)
        .header(header::HOST, "liaison.test")
        .header(header::ORIGIN, "http://liaison.test")
        .header("sec-fetch-site", "same-origin")
        .header(header::ACCEPT, raw.accept)
        .header(header::ACCEPT_LANGUAGE, POST_LANGUAGE);
    if let Some(content_type) = raw.content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder
        .body(Body::from(raw.body))
        .map_err(|err| err.to_string())
}

// --- Calling ------------------------------------------------------------------------------

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

/// One call, in a task of its own so that a panic in the handler is caught and reported
/// rather than ending the test; a dropped or endless answer is reported too.
async fn send(router: &Router, request: Request<Body>) -> Result<Answer, String> {
    let router = router.clone();
    let mut task = tokio::spawn(async move {
        let response = match router.oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        };
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .map_err(|err| format!("the answer broke off: {err}"))?
            .to_bytes();
        Ok::<_, String>(Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        })
    });
    match tokio::time::timeout(CALL_TIMEOUT, &mut task).await {
        Err(_) => {
            task.abort();
            Err(format!("no answer within {CALL_TIMEOUT:?}"))
        }
        Ok(Err(join)) if join.is_panic() => Err(format!(
            "the handler panicked: {}",
            panic_message(join.into_panic())
        )),
        Ok(Err(join)) => Err(format!("the call was cancelled: {join}")),
        Ok(Ok(answer)) => answer,
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a text)".into())
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("liaison_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned())
}

fn excerpt(body: &str) -> String {
    body.chars()
        .take(200)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The demo rows the fields name.
#[derive(Debug, Clone, Copy)]
struct Rows {
    case: i32,
    joint_venture: i32,
    signal: i32,
    signal_version: i32,
    overlap: i32,
    overlap_version: i32,
}

impl Rows {
    fn get(&self, target: Target) -> i32 {
        match target {
            T::Case => self.case,
            T::JointVenture => self.joint_venture,
            T::Signal => self.signal,
            T::SignalVersion => self.signal_version,
            T::Overlap => self.overlap,
            T::OverlapVersion => self.overlap_version,
        }
    }

    async fn of_the_demo(db: &DatabaseConnection) -> Rows {
        let north = joint_venture::Entity::find()
            .filter(joint_venture::Column::Name.eq(NORTH))
            .one(db)
            .await
            .expect("query")
            .expect("the demo's Taskforce Mensensmokkel Noord")
            .id;
        let case = case::Entity::find()
            .filter(case::Column::JointVentureId.eq(north))
            .order_by_asc(case::Column::Id)
            .one(db)
            .await
            .expect("query")
            .expect("a demo case of Taskforce Mensensmokkel Noord")
            .id;
        let overlaps = overlap::Entity::find()
            .order_by_asc(overlap::Column::Id)
            .all(db)
            .await
            .expect("query");
        let overlap = overlaps
            .iter()
            .find(|o| o.first_joint_venture_id == north || o.second_joint_venture_id == north)
            .or(overlaps.first());
        let signal = signal::Entity::find()
            .order_by_asc(signal::Column::Id)
            .one(db)
            .await
            .expect("query")
            .expect("the signal reported first");
        Rows {
            case,
            joint_venture: north,
            signal: signal.id,
            signal_version: signal.version,
            overlap: overlap.map_or(NO_ROW, |o| o.id),
            overlap_version: overlap.map_or(1, |o| o.version),
        }
    }
}

struct Caller {
    name: &'static str,
    /// `None` for the visitor.
    cookie: Option<String>,
}

#[derive(Default)]
struct Stats {
    calls: usize,
    statuses: BTreeMap<u16, usize>,
    /// Requests the http crate would not build (a URI too long): not sent.
    unbuildable: Vec<String>,
    /// Answers to a bad field that named it (or its form), the whole form, another field, none.
    named: usize,
    whole_form: usize,
    other_field: Vec<String>,
    no_field: usize,
    session_checks: usize,
    sessions_lost: Vec<String>,
}

struct Run<'a> {
    router: Router,
    /// (function, caller) answered 401 with valid-looking arguments although signed in (a
    /// second-factor step without a pending sign-in): a 401 there does not mean a lost session.
    unauthorised: HashSet<(usize, usize)>,
    rows: Rows,
    functions: &'a [Function],
    callers: Vec<Caller>,
    stats: Stats,
    failures: Vec<String>,
    addresses: u32,
}

impl Run<'_> {
    /// Signs a demo user in from an address of its own, so that the failed sign-ins of the
    /// bad input (from no address) never throttle it.
    async fn sign_in(&mut self, username: &str) -> Result<String, String> {
        self.addresses += 1;
        let address = SocketAddr::from((
            [10, 18, (self.addresses >> 8) as u8, self.addresses as u8],
            40_000,
        ));
        let raw = Raw {
            accept: BROWSER_ACCEPT,
            ..post(
                "/api/sign_in",
                format!("username={username}&password={DEMO_PASSWORD}"),
            )
        };
        let mut request = request(raw, None)?;
        request.extensions_mut().insert(ConnectInfo(address));
        let answer = send(&self.router, request).await?;
        if !answer.status.is_redirection() {
            return Err(format!("{} {}", answer.status, excerpt(&answer.body)));
        }
        session_cookie(&answer.headers).ok_or_else(|| "no session cookie".to_owned())
    }

    async fn signed_in(&mut self, cookie: &str) -> bool {
        self.stats.session_checks += 1;
        let Ok(request) = request(post("/api/current_user", ""), Some(cookie)) else {
            return false;
        };
        match send(&self.router, request).await {
            Ok(answer) => answer.status == StatusCode::OK && answer.body.trim() != "null",
            Err(_) => false,
        }
    }

    /// Makes the call and checks its answer; the status, when there was one.
    async fn call(&mut self, call: Call) -> Option<StatusCode> {
        let functions = self.functions;
        let function = &functions[call.function];
        let caller = self.callers[call.caller].name;
        let cookie = self.callers[call.caller].cookie.clone();
        let (field, bad) = function.describe(call.mutation);
        let request = match request(
            raw_request(function, call.mutation, &self.rows),
            cookie.as_deref(),
        ) {
            Ok(request) => request,
            Err(err) => {
                self.stats
                    .unbuildable
                    .push(format!("{} {field} = {bad}: {err}", function.path));
                return None;
            }
        };
        self.stats.calls += 1;
        let answer = match send(&self.router, request).await {
            Ok(answer) => answer,
            Err(why) => {
                self.failures.push(format!(
                    "{} as {caller}: {field} = {bad}: {why}",
                    function.path
                ));
                return None;
            }
        };
        *self
            .stats
            .statuses
            .entry(answer.status.as_u16())
            .or_default() += 1;
        if answer.status.is_server_error() {
            self.failures.push(format!(
                "{} as {caller}: {field} = {bad}: {} {}",
                function.path,
                answer.status.as_u16(),
                excerpt(&answer.body)
            ));
        }
        if let Mutation::Field { field: index, .. } = call.mutation
            && answer.status.is_client_error()
        {
            self.check_naming(
                function.fields[index].0,
                &answer,
                caller,
                function.path,
                &bad,
            );
        }
        if let Some(cookie) = cookie {
            let unauthorised = answer.status == StatusCode::UNAUTHORIZED;
            if unauthorised && call.mutation == Mutation::Baseline {
                self.unauthorised.insert((call.function, call.caller));
            }
            let expected = self.unauthorised.contains(&(call.function, call.caller));
            let what = format!("{} {field} = {bad}", function.path);
            self.keep_signed_in(
                call.caller,
                &cookie,
                &answer,
                unauthorised && !expected,
                &what,
            )
            .await;
        }
        Some(answer.status)
    }

    /// Whether a 4xx answer to a bad field names that field, a part of its name (`case` or
    /// `title` for `case[title]`) or the whole form.
    fn check_naming(&mut self, name: &str, answer: &Answer, caller: &str, path: &str, bad: &str) {
        match serde_json::from_str::<AppError>(&answer.body) {
            Ok(AppError::Invalid { field, .. }) => {
                let parts: Vec<&str> = name.split(['[', ']']).filter(|p| !p.is_empty()).collect();
                if field == name || parts.contains(&field.as_str()) {
                    self.stats.named += 1;
                } else if field == "form" {
                    self.stats.whole_form += 1;
                } else {
                    self.stats.other_field.push(format!(
                        "{path} as {caller}: {name} = {bad}: named `{field}`"
                    ));
                }
            }
            _ => self.stats.no_field += 1,
        }
    }

    /// After a 401 or a changed session cookie: a caller whose session ended signs in again
    /// (noted: bad input should not end a session).
    async fn keep_signed_in(
        &mut self,
        caller: usize,
        cookie: &str,
        answer: &Answer,
        unexpected_401: bool,
        what: &str,
    ) {
        let new = session_cookie(&answer.headers).filter(|c| c != cookie);
        if !unexpected_401 && new.is_none() {
            return;
        }
        if let Some(new) = new.filter(|c| !c.ends_with('='))
            && self.signed_in(&new).await
        {
            self.callers[caller].cookie = Some(new);
            return;
        }
        if self.signed_in(cookie).await {
            return;
        }
        let name = self.callers[caller].name;
        self.stats
            .sessions_lost
            .push(format!("{name}'s session ended after {what}"));
        match self.sign_in(name).await {
            Ok(cookie) => self.callers[caller].cookie = Some(cookie),
            Err(why) => {
                self.failures.push(format!(
                    "{name} could not sign in again after {what}: {why}"
                ));
                self.callers[caller].cookie = None;
            }
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Whether `caller` may be sent to `function` at all: signing out would end the session the
/// rest of the calls run in, so only the visitor signs out.
fn callable(function: &Function, caller: usize) -> bool {
    function.path != "/api/sign_out" || caller == VISITOR
}

/// A valid report, so that the signal functions meet a real signal.
const A_SIGNAL: &str = "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4\
&signal[observed]=Wages%20handed%20to%20a%20man%20who%20waits%20outside\
&signal[day]=2026-11-27&signal[place]=Ter%20Apel&signal[urgency]=normal";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_bad_input_gets_an_answer_above_499_from_any_server_function() {
    let started = Instant::now();
    let budget = env_number("LIAISON_BAD_INPUT_CASES", DEFAULT_CASES as u64) as usize;
    let seed = env_number("LIAISON_BAD_INPUT_SEED", DEFAULT_SEED);
    let mut rng = Rng(seed);
    let app = spawn_app().await;
    // The demo has no signals: one report gives the signal functions a real row to refuse.
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let reported = app
        .post_form_with("/api/report_signal", A_SIGNAL, &reporter)
        .await;
    assert!(reported.status.is_redirection(), "{}", reported.body);
    let rows = Rows::of_the_demo(&app.db).await;
    let functions = functions(&mut rng);
    let mut run = Run {
        router: app.router.clone(),
        unauthorised: HashSet::new(),
        rows,
        functions: &functions,
        callers: vec![Caller {
            name: "visitor",
            cookie: None,
        }],
        stats: Stats::default(),
        failures: Vec::new(),
        addresses: 0,
    };
    for name in USERS {
        let cookie = run
            .sign_in(name)
            .await
            .unwrap_or_else(|why| panic!("{name} signs in: {why}"));
        run.callers.push(Caller {
            name,
            cookie: Some(cookie),
        });
    }
    let callers = run.callers.len();

    // Every function with valid-looking arguments, as every caller: who gets past its gate.
    let mut through: Vec<Vec<usize>> = vec![Vec::new(); functions.len()];
    for (f, function) in functions.iter().enumerate() {
        for caller in (0..callers).filter(|&c| callable(function, c)) {
            let status = run
                .call(Call {
                    function: f,
                    mutation: Mutation::Baseline,
                    caller,
                })
                .await;
            if status.is_some_and(|s| s != StatusCode::UNAUTHORIZED && s != StatusCode::FORBIDDEN) {
                through[f].push(caller);
            }
        }
    }

    // The plan: every bad input once as a caller that gets past the gate (in turn), then as
    // the other callers past it, then as the callers refused at it.
    let (mut first, mut past, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    let mut turn = 0;
    let mut bad_inputs = 0;
    for (f, function) in functions.iter().enumerate() {
        let allowed: Vec<usize> = (0..callers).filter(|&c| callable(function, c)).collect();
        let preferred = if through[f].is_empty() {
            &allowed
        } else {
            &through[f]
        };
        for mutation in function.mutations() {
            bad_inputs += 1;
            let chosen = preferred[turn % preferred.len()];
            turn += 1;
            for &caller in &allowed {
                let call = Call {
                    function: f,
                    mutation,
                    caller,
                };
                if caller == chosen {
                    first.push(call);
                } else if through[f].contains(&caller) {
                    past.push(call);
                } else {
                    refused.push(call);
                }
            }
        }
    }
    let space = first.len() + past.len() + refused.len();
    // Every bad input is sent at least once (the first tier); only the repeats as other
    // callers are drawn at random.
    assert!(
        run.stats.calls + first.len() <= budget,
        "LIAISON_BAD_INPUT_CASES={budget} is too few for every bad input once ({} more)",
        run.stats.calls + first.len() - budget
    );
    let mut plan: Vec<Call> = Vec::new();
    for mut tier in [first, past, refused] {
        let room = budget.saturating_sub(run.stats.calls + plan.len());
        if tier.len() > room {
            rng.shuffle(&mut tier);
            tier.truncate(room);
        }
        plan.extend(tier);
    }
    plan.sort();
    for call in plan {
        run.call(call).await;
    }

    let stats = &run.stats;
    let fields: usize = functions.iter().map(|f| f.fields.len()).sum();
    let above_499: usize = stats
        .statuses
        .iter()
        .filter(|(status, _)| **status >= 500)
        .map(|(_, n)| n)
        .sum();
    println!(
        "bad input (seed {seed}): {} functions with {fields} fields, {callers} callers, \
         {bad_inputs} bad inputs ({space} combinations with a caller); {} calls \
         (+{} session checks) in {:.1?}; {above_499} answers above 499, {} panics or \
         broken answers; statuses {:?}",
        functions.len(),
        stats.calls,
        stats.session_checks,
        started.elapsed(),
        run.failures.len() - above_499.min(run.failures.len()),
        stats.statuses,
    );
    println!(
        "4xx answers to a bad field: {} named it or its form, {} named the whole form, {} \
         named another field, {} named no field",
        stats.named,
        stats.whole_form,
        stats.other_field.len(),
        stats.no_field
    );
    for note in stats.other_field.iter().take(30) {
        println!("  another field: {note}");
    }
    for note in &stats.sessions_lost {
        println!("  session lost: {note}");
    }
    for note in stats.unbuildable.iter().take(10) {
        println!("  not sent (the request could not be built): {note}");
    }
    let shown: Vec<&String> = run.failures.iter().take(200).collect();
    assert!(
        run.failures.is_empty(),
        "{} calls were answered above 499 or not at all (first {} shown):\n{}",
        run.failures.len(),
        shown.len(),
        shown
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// The table above is complete: a new server function gets bad input too.
#[test]
fn the_bad_input_table_lists_every_served_function() {
    let served: Vec<&str> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .collect();
    let listed: Vec<&str> = FUNCTIONS
        .iter()
        .map(|(path, _)| *path)
        .chain(UPLOADS.iter().map(|(path, _, _)| *path))
        .collect();
    let mut missing: Vec<&str> = served
        .iter()
        .copied()
        .filter(|path| !listed.contains(path))
        .collect();
    missing.sort_unstable();
    assert!(
        missing.is_empty(),
        "not in the bad input table: {missing:?}"
    );
    let stale: Vec<&str> = listed
        .iter()
        .copied()
        .filter(|path| !served.contains(path))
        .collect();
    assert!(
        stale.is_empty(),
        "in the bad input table but not served: {stale:?}"
    );
    let mut sorted = listed.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), listed.len(), "a function is listed twice");
    for (path, fields) in FUNCTIONS {
        let mut names: Vec<&str> = fields.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), fields.len(), "{path} lists a field twice");
    }
}
