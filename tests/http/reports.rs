//! The managers' overlap report and the ministry's summary, on crafted data in 2024 and early
//! 2025 (before any demo case, overlap or signal): the numbers, the drill-down behind a matrix cell, the
//! disclosure control on data that would otherwise leak, the snapshots (a quarter that ended
//! fixed, the current one published once a day), refusals per role and the CSV files, on
//! SQLite and PostgreSQL.

use liaison_app::server::entity::{case, organisation, overlap, signal, summary_snapshot};
use liaison_server::demo::DEMO_PASSWORD;
use liaison_tests::{TestApp, spawn_app};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;

const AMSTERDAM: &str = "Ketenaanpak Mensenhandel Amsterdam";
const NORTH: &str = "Taskforce Mensensmokkel Noord";
const SCHIPHOL: &str = "Migratiecriminaliteit Schiphol";
/// Gelderland and Overijssel: a joint venture of several provinces.
const EAST: &str = "Uitbuiting Seizoensarbeid Oost";
/// Noord-Brabant only; the demo manager does not oversee it.
const BRABANT: &str = "Minderjarige Slachtoffers Brabant";

async fn venture(app: &TestApp, name: &str) -> i32 {
    app.joint_venture_id(name).await
}

async fn add_case(
    app: &TestApp,
    jv: i32,
    reference: &str,
    theme: &str,
    status: &str,
    (start, end): (&str, Option<&str>),
) -> i32 {
    case::ActiveModel {
        joint_venture_id: Set(jv),
        reference: Set(reference.into()),
        title: Set(format!("Crafted {reference}")),
        theme: Set(theme.into()),
        status: Set(status.into()),
        start_date: Set(start.parse().expect("date")),
        end_date: Set(end.map(|e| e.parse().expect("date"))),
        handling: Set("pointer_only".into()),
        description: Set(String::new()),
        version: Set(1),
        updated_at: Set("2024-01-01T00:00:00.000000Z".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("case saved")
    .id
}

/// The times of a crafted overlap: found, both acknowledged, decision period from, decided.
#[derive(Default, Clone, Copy)]
struct Times<'a> {
    found: &'a str,
    acknowledged: Option<(&'a str, &'a str)>,
    decided: Option<&'a str>,
}

async fn add_overlap(
    app: &TestApp,
    (first_case, first_jv): (i32, i32),
    (second_case, second_jv): (i32, i32),
    kind: &str,
    t: Times<'_>,
    decision: Option<&str>,
    ruled: bool,
) {
    let state = match (t.decided, t.acknowledged) {
        (Some(_), _) => "decided",
        (None, Some(_)) => "acknowledged",
        _ => "open",
    };
    overlap::ActiveModel {
        kind: Set(if kind == "operation" {
            "operation"
        } else {
            "subject"
        }
        .into()),
        match_kind: Set(kind.into()),
        first_case_id: Set(first_case),
        second_case_id: Set(second_case),
        first_joint_venture_id: Set(first_jv),
        second_joint_venture_id: Set(second_jv),
        // Items need not exist for a report; the pair of items is unique per overlap.
        first_item_id: Set(1_000_000 + rand_suffix() as i32),
        second_item_id: Set(2_000_000 + rand_suffix() as i32),
        score: Set(1.0),
        explanation: Set("[]".into()),
        urgent: Set(false),
        evidence: Set("crafted".into()),
        first_consents: Set(false),
        second_consents: Set(false),
        state: Set(state.into()),
        created_at: Set(t.found.into()),
        version: Set(1),
        first_acknowledged_at: Set(t.acknowledged.map(|(a, _)| a.into())),
        second_acknowledged_at: Set(t.acknowledged.map(|(_, b)| b.into())),
        decide_from: Set(t.acknowledged.map(|(_, b)| b.into())),
        decision: Set(decision.map(Into::into)),
        decided_at: Set(t.decided.map(Into::into)),
        ruled: Set(ruled),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("overlap saved");
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

async fn report(app: &TestApp, cookie: &str, args: &str) -> Value {
    let response = app
        .call_with("/api/overlap_report", args, Some(cookie))
        .await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overlap_report_counts_the_overseen_pairs_and_drills_into_a_cell() {
    let app = spawn_app().await;
    let (north, amsterdam, east, brabant) = (
        venture(&app, NORTH).await,
        venture(&app, AMSTERDAM).await,
        venture(&app, EAST).await,
        venture(&app, BRABANT).await,
    );
    let (n, a, e, b) = (
        add_case(
            &app,
            north,
            "R-N",
            "smuggling",
            "active",
            ("2024-01-01", None),
        )
        .await,
        add_case(
            &app,
            amsterdam,
            "R-A",
            "trafficking",
            "active",
            ("2024-01-01", None),
        )
        .await,
        add_case(
            &app,
            east,
            "R-E",
            "trafficking",
            "active",
            ("2024-01-01", None),
        )
        .await,
        add_case(
            &app,
            brabant,
            "R-B",
            "trafficking",
            "active",
            ("2024-01-01", None),
        )
        .await,
    );
    let (n, a, e, b) = ((n, north), (a, amsterdam), (e, east), (b, brabant));
    // North and Amsterdam: decided, acknowledged (its decision now long overdue), open
    // (overdue), and one in the period before.
    add_overlap(
        &app,
        n,
        a,
        "phone",
        Times {
            found: "2024-07-01T08:00:00.000000Z",
            acknowledged: Some(("2024-07-02T08:00:00.000000Z", "2024-07-03T08:00:00.000000Z")),
            decided: Some("2024-07-06T08:00:00.000000Z"),
        },
        Some("joint_action"),
        false,
    )
    .await;
    add_overlap(
        &app,
        n,
        a,
        "person",
        Times {
            found: "2024-07-10T08:00:00.000000Z",
            acknowledged: Some(("2024-07-11T08:00:00.000000Z", "2024-07-11T08:00:00.000000Z")),
            decided: None,
        },
        None,
        false,
    )
    .await;
    add_overlap(
        &app,
        a,
        n,
        "phone",
        Times {
            found: "2024-08-01T08:00:00.000000Z",
            ..Times::default()
        },
        None,
        false,
    )
    .await;
    add_overlap(
        &app,
        n,
        a,
        "phone",
        Times {
            found: "2024-05-01T08:00:00.000000Z",
            ..Times::default()
        },
        None,
        false,
    )
    .await;
    // Amsterdam and East (not overseen): decided by a manager's ruling, without acknowledgement.
    add_overlap(
        &app,
        a,
        e,
        "vehicle",
        Times {
            found: "2024-09-01T08:00:00.000000Z",
            acknowledged: None,
            decided: Some("2024-09-05T08:00:00.000000Z"),
        },
        Some("lead_first"),
        true,
    )
    .await;
    // East and Brabant: neither is overseen, so it never counts.
    add_overlap(
        &app,
        e,
        b,
        "phone",
        Times {
            found: "2024-07-15T08:00:00.000000Z",
            ..Times::default()
        },
        None,
        false,
    )
    .await;

    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let r = report(&app, &manager, "from=2024-07-01&to=2024-09-30").await;
    assert_eq!(r["previous_to"], "2024-06-30");
    assert_eq!(r["previous_from"], "2024-03-31", "the same length before");
    let now = &r["now"];
    assert_eq!(now["found"], 4);
    assert_eq!(now["acknowledged"], 2);
    assert_eq!(now["decided"], 2);
    assert_eq!(now["overdue"], 2);
    assert_eq!(now["median_acknowledge_days"], 1.5);
    assert_eq!(now["median_decide_days"], 4.5);
    assert_eq!(r["before"]["found"], 1);
    let pairs = r["pairs"].as_array().expect("pairs");
    let pair = |x: i32, y: i32| {
        pairs
            .iter()
            .find(|p| p["first"] == x.min(y) && p["second"] == x.max(y))
            .cloned()
    };
    let na = pair(north, amsterdam).expect("North and Amsterdam");
    assert_eq!(
        (
            na["found"].as_u64(),
            na["overdue"].as_u64(),
            na["previous"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(
        pair(amsterdam, east).expect("Amsterdam and East")["found"],
        1
    );
    assert!(
        pair(east, brabant).is_none(),
        "a pair the manager does not oversee: {r}"
    );
    assert!(
        !r["ventures"].to_string().contains(BRABANT),
        "no name of an unrelated joint venture"
    );
    let recurring = r["recurring"].as_array().expect("recurring");
    assert_eq!(recurring.len(), 1);
    let lead = r["decisions"]
        .as_array()
        .expect("decisions")
        .iter()
        .find(|d| d["decision"] == "lead_first")
        .cloned()
        .expect("lead to one side");
    assert_eq!(
        (lead["count"].as_u64(), lead["ruled"].as_u64()),
        (Some(1), Some(1))
    );
    let kinds = r["by_kind"].as_array().expect("kinds");
    assert_eq!(kinds[0]["kind"], "phone");
    assert_eq!(kinds[0]["found"], 2);
    assert_eq!(kinds[0]["previous"], 1);
    // No reference, title or subject anywhere in the report.
    assert!(!r.to_string().contains("R-A") && !r.to_string().contains("Crafted"));

    // The matrix cell's link: the overlaps between the two, found in the period.
    let cell = format!(
        "filter[pair]={north}-{amsterdam}&filter[since]=2024-07-01&filter[until]=2024-09-30&filter[state]=all"
    );
    let listed = app
        .call_with("/api/overseen_overlaps", &cell, Some(&manager))
        .await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let rows: Value = serde_json::from_str(&listed.body).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(3), "{rows}");
    let page = app
        .get_with(
            &format!(
                "/oversight?pair={north}-{amsterdam}&since=2024-07-01&until=2024-09-30&state=all"
            ),
            &manager,
        )
        .await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("R-A"),
        "the manager's own case reference in the list"
    );

    // The page, and the matrix links to that list.
    let page = app
        .get_with("/reports/overlaps?from=2024-07-01&to=2024-09-30", &manager)
        .await;
    assert_eq!(page.status, 200);
    let link = format!(
        "/oversight?pair={}-{}&amp;since=2024-07-01&amp;until=2024-09-30&amp;state=all",
        north.min(amsterdam),
        north.max(amsterdam)
    );
    assert!(page.body.contains(&link), "{link} in the page");

    // CSV: one figure per line.
    let csv = app
        .get_with(
            "/api/overlap-report.csv?from=2024-07-01&to=2024-09-30",
            &manager,
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(
        csv.header("content-type")
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    assert!(
        csv.body.starts_with("table,item,measure,value"),
        "{}",
        csv.body
    );
    assert!(
        csv.body.contains("period,2024-07-01..2024-09-30,found,4"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("period,2024-07-01..2024-09-30,open_past_deadline,2")
    );
    assert!(
        csv.body
            .contains(&format!("pair,{NORTH} / {AMSTERDAM},found,3"))
            || csv
                .body
                .contains(&format!("pair,{AMSTERDAM} / {NORTH},found,3")),
        "{}",
        csv.body
    );
    assert!(csv.body.contains("decision,lead_first,by_ruling,1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_overlap_report_refuses_bad_periods_and_every_role_but_manager() {
    let app = spawn_app().await;
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    for (args, field) in [
        ("from=2024-13-01", "from"),
        ("from=2024-07-01&to=yesterday", "to"),
        ("from=2024-07-01&to=2024-06-01", "to"),
        ("from=2019-01-01&to=2024-06-01", "from"),
        ("from=-262144-01-05&to=-262144-01-20", "from"),
    ] {
        let response = app
            .call_with("/api/overlap_report", args, Some(&manager))
            .await;
        assert_eq!(response.status, 400, "{args}: {}", response.body);
        assert!(response.body.contains(field), "{args}: {}", response.body);
    }
    let bad = app
        .call_with("/api/overseen_overlaps", "filter[pair]=x", Some(&manager))
        .await;
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("pair"));
    for user in [
        "reporter",
        "coordinator-north",
        "ministry",
        "auditor",
        "admin",
    ] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let response = app
            .call_with("/api/overlap_report", "", Some(&cookie))
            .await;
        assert_eq!(response.status, 403, "{user}");
        let csv = app.get_with("/api/overlap-report.csv", &cookie).await;
        assert_eq!(csv.status, 403, "{user} CSV");
    }
    let anonymous = app.get("/api/overlap-report.csv").await;
    assert_eq!(anonymous.status, 401);
}

async fn add_signal(
    app: &TestApp,
    organisation: i32,
    municipality: Option<&str>,
    (nature, theme): (&str, &str),
    (state, created, closed): (&str, &str, Option<&str>),
    duplicate_of: Option<i32>,
) -> i32 {
    let reporter = app.user_id("reporter").await;
    signal::ActiveModel {
        reference: Set(format!("S-CRAFTED-{}", rand_suffix())),
        organisation_id: Set(organisation),
        reported_by: Set(reporter),
        anonymous: Set(false),
        nature: Set(nature.into()),
        theme: Set(theme.into()),
        category_id: Set(4),
        observed: Set("Crafted".into()),
        observed_on: Set(created.get(..10).unwrap_or_default().into()),
        place: Set("Somewhere".into()),
        municipality: Set(municipality.map(Into::into)),
        urgency: Set("normal".into()),
        state: Set(state.into()),
        routed_by_rule: Set(false),
        created_at: Set(created.into()),
        closed_at: Set(closed.map(Into::into)),
        duplicate_of: Set(duplicate_of),
        version: Set(1),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("signal saved")
    .id
}

/// A published count as JSON: `{"Count": n}`, `"Small"` or `"Hidden"`.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other["Count"].to_string(),
    }
}

fn row_of(table: &Value, code: &str) -> usize {
    table["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .position(|r| r[0] == code)
        .unwrap_or_else(|| panic!("{code} in {table}"))
}

/// No row or column of a published table (totals included) has exactly one count that is not
/// shown: a single hidden count in a sum is the sum minus the others.
fn no_line_gives_a_count_away(table: &Value) {
    let t = &table["table"];
    let hidden = |v: &Value| !v.is_object();
    let rows = t["cells"].as_array().expect("cells");
    let mut full: Vec<Vec<bool>> = rows
        .iter()
        .zip(t["row_totals"].as_array().expect("row totals"))
        .map(|(row, total)| {
            row.as_array()
                .expect("row")
                .iter()
                .chain([total])
                .map(hidden)
                .collect()
        })
        .collect();
    full.push(
        t["column_totals"]
            .as_array()
            .expect("column totals")
            .iter()
            .chain([&t["total"]])
            .map(hidden)
            .collect(),
    );
    for (r, row) in full.iter().enumerate() {
        assert_ne!(row.iter().filter(|h| **h).count(), 1, "row {r} of {table}");
    }
    for c in 0..full[0].len() {
        assert_ne!(
            full.iter().filter(|row| row[c]).count(),
            1,
            "column {c} of {table}"
        );
    }
}

async fn summary(app: &TestApp, cookie: &str, args: &str) -> Value {
    let response = app.call_with("/api/summary", args, Some(cookie)).await;
    assert_eq!(response.status, 200, "{}", response.body);
    serde_json::from_str(&response.body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_suppresses_small_counts_and_what_would_give_them_away() {
    let app = spawn_app().await;
    let (amsterdam, schiphol, east, brabant) = (
        venture(&app, AMSTERDAM).await,
        venture(&app, SCHIPHOL).await,
        venture(&app, EAST).await,
        venture(&app, BRABANT).await,
    );
    // Cases running in 2025-Q1, trafficking: Noord-Holland 3 active and 7 closed; Noord-Brabant
    // 5 closed; several provinces 6 planned and 9 active. Without the secondary rule the 3
    // would be Noord-Holland's total (10) minus its 7 closed.
    let mut amsterdam_case = 0;
    for i in 0..3 {
        amsterdam_case = add_case(
            &app,
            amsterdam,
            &format!("NH-A{i}"),
            "trafficking",
            "active",
            ("2025-01-01", None),
        )
        .await;
    }
    for i in 0..7 {
        add_case(
            &app,
            amsterdam,
            &format!("NH-C{i}"),
            "trafficking",
            "closed",
            ("2024-01-01", Some("2025-02-15")),
        )
        .await;
    }
    for i in 0..5 {
        add_case(
            &app,
            brabant,
            &format!("NB-C{i}"),
            "trafficking",
            "closed",
            ("2024-02-01", Some("2025-03-15")),
        )
        .await;
    }
    let mut east_case = 0;
    for i in 0..6 {
        east_case = add_case(
            &app,
            east,
            &format!("E-P{i}"),
            "trafficking",
            "planned",
            ("2025-03-01", None),
        )
        .await;
    }
    for i in 0..9 {
        add_case(
            &app,
            east,
            &format!("E-A{i}"),
            "trafficking",
            "active",
            ("2024-03-01", None),
        )
        .await;
    }
    // Not counted: another theme, and a case that ended before the quarter.
    add_case(
        &app,
        amsterdam,
        "NH-S",
        "smuggling",
        "active",
        ("2025-01-01", None),
    )
    .await;
    add_case(
        &app,
        amsterdam,
        "NH-OLD",
        "trafficking",
        "closed",
        ("2024-01-01", Some("2024-12-31")),
    )
    .await;
    let schiphol_case = add_case(
        &app,
        schiphol,
        "NH-SCH",
        "smuggling",
        "active",
        ("2025-03-31", None),
    )
    .await;

    // Overlaps found in the quarter: Amsterdam and Schiphol (both Noord-Holland) 6 decided in
    // time and 1 undecided; Amsterdam and East (between regions) 8 in time and 2 late.
    let a = (amsterdam_case, amsterdam);
    for _ in 0..6 {
        add_overlap(
            &app,
            a,
            (schiphol_case, schiphol),
            "phone",
            Times {
                found: "2025-01-01T08:00:00.000000Z",
                acknowledged: Some(("2025-01-02T08:00:00.000000Z", "2025-01-02T08:00:00.000000Z")),
                decided: Some("2025-01-06T08:00:00.000000Z"),
            },
            Some("joint_action"),
            false,
        )
        .await;
    }
    add_overlap(
        &app,
        a,
        (schiphol_case, schiphol),
        "operation",
        Times {
            found: "2025-02-03T08:00:00.000000Z",
            ..Times::default()
        },
        None,
        false,
    )
    .await;
    for late in [false; 8].into_iter().chain([true; 2]) {
        add_overlap(
            &app,
            a,
            (east_case, east),
            "phone",
            Times {
                found: "2025-01-01T08:00:00.000000Z",
                acknowledged: Some(("2025-01-02T08:00:00.000000Z", "2025-01-02T08:00:00.000000Z")),
                decided: Some(if late {
                    "2025-03-20T08:00:00.000000Z"
                } else {
                    "2025-01-06T08:00:00.000000Z"
                }),
            },
            Some("joint_action"),
            false,
        )
        .await;
    }

    // Signals received in the quarter, trafficking: Amsterdam 2 hard (police, new) and 6 soft
    // (reception, followed up in 2 days); 5 soft without a place (police, no action). Not
    // counted: a report attached to an earlier one, and one of another theme.
    let police = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("police"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("police")
        .id;
    let reception = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("reception"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("reception")
        .id;
    for _ in 0..2 {
        add_signal(
            &app,
            police,
            Some("GM0363"),
            ("hard", "trafficking"),
            ("new", "2025-02-03T08:00:00.000000Z", None),
            None,
        )
        .await;
    }
    let mut first = 0;
    for _ in 0..6 {
        first = add_signal(
            &app,
            reception,
            Some("GM0363"),
            ("soft", "trafficking"),
            (
                "followed_up",
                "2025-02-03T08:00:00.000000Z",
                Some("2025-02-05T08:00:00.000000Z"),
            ),
            None,
        )
        .await;
    }
    for _ in 0..5 {
        add_signal(
            &app,
            police,
            None,
            ("soft", "trafficking"),
            (
                "no_action",
                "2025-02-03T08:00:00.000000Z",
                Some("2025-02-04T08:00:00.000000Z"),
            ),
            None,
        )
        .await;
    }
    add_signal(
        &app,
        reception,
        Some("GM0363"),
        ("soft", "trafficking"),
        ("new", "2025-02-04T08:00:00.000000Z", None),
        Some(first),
    )
    .await;
    add_signal(
        &app,
        police,
        Some("GM0363"),
        ("hard", "smuggling"),
        ("new", "2025-02-04T08:00:00.000000Z", None),
        None,
    )
    .await;

    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let s = summary(&app, &ministry, "quarter=2025-Q1&theme=trafficking").await;
    let c = &s["current"];
    assert_eq!(c["quarter"], "2025-Q1");
    // Cases: the small count, and what the secondary rule hides with it.
    let cases = &c["cases"];
    let nh = row_of(cases, "PV27");
    let cells: Vec<String> = cases["table"]["cells"][nh]
        .as_array()
        .expect("row")
        .iter()
        .map(shown)
        .collect();
    assert_eq!(cells, ["0", "Small", "0", "Hidden"], "{cases}");
    assert_eq!(shown(&cases["table"]["row_totals"][nh]), "10");
    let national: Vec<String> = cases["table"]["column_totals"]
        .as_array()
        .expect("totals")
        .iter()
        .map(shown)
        .collect();
    assert_eq!(national, ["6", "Hidden", "0", "Hidden"], "{cases}");
    assert_eq!(shown(&cases["table"]["total"]), "30");
    let several = row_of(cases, "*several");
    assert_eq!(shown(&cases["table"]["cells"][several][0]), "6");
    let nb = row_of(cases, "PV30");
    assert_eq!(shown(&cases["table"]["cells"][nb][3]), "5");
    // Two joint ventures in Noord-Holland: a small count.
    assert_eq!(
        shown(&c["ventures"]["table"]["cells"][row_of(&c["ventures"], "PV27")][0]),
        "Small"
    );
    // Overlaps: Noord-Holland's one undecided is small; between regions 8, 2 late (small).
    let overlaps = &c["overlaps"];
    let nh = row_of(overlaps, "PV27");
    assert_eq!(shown(&overlaps["table"]["cells"][nh][2]), "Small");
    assert_eq!(shown(&overlaps["table"]["row_totals"][nh]), "7");
    let between = row_of(overlaps, "*between");
    assert_eq!(shown(&overlaps["table"]["cells"][between][1]), "Small");
    assert_eq!(shown(&overlaps["table"]["total"]), "17");
    assert_eq!(shown(&c["conflicts"]["table"]["cells"][nh][0]), "Small");
    // Signals: Noord-Holland 2 hard, 6 soft; place not given 5 soft. Two hard signals
    // nationally: that small count is in all three tables that share it (by region, by
    // organisation kind, by follow-up), and no hidden count can move in all three at once; so
    // the three are withheld, every entry shown as `–`.
    for table in ["signals", "signal_kinds", "follow_up"] {
        let t = &c[table]["table"];
        let mut entries: Vec<&Value> = t["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .flat_map(|r| r.as_array().expect("row").iter())
            .collect();
        entries.extend(t["row_totals"].as_array().expect("row totals"));
        entries.extend(t["column_totals"].as_array().expect("column totals"));
        entries.push(&t["total"]);
        assert!(entries.iter().all(|e| *e == "Withheld"), "{table}: {t}");
    }
    assert!(
        c["median_follow_up_days"].is_null(),
        "six followed up: too few for a median"
    );
    // What the reporting layer counted before the disclosure control.
    let counts = liaison_app::reports::reporting::count(
        &app.db,
        (2025, 1),
        liaison_app::domain::Theme::Trafficking,
        &Default::default(),
    )
    .await
    .expect("counted");
    let at = |rows: &[(String, String)], code: &str| {
        rows.iter().position(|r| r.0 == code).expect("a row")
    };
    let nh = at(&counts.regions, "PV27");
    assert_eq!(counts.cases[nh], [0, 3, 0, 7]);
    let nh = at(&counts.overlap_regions, "PV27");
    assert_eq!(counts.overlaps[nh], [6, 0, 1, 0]);
    assert_eq!(counts.conflicts[nh], 1);
    assert_eq!(
        counts.overlaps[at(&counts.overlap_regions, "*between")],
        [8, 2, 0, 0]
    );
    let nh = at(&counts.signal_regions, "PV27");
    assert_eq!(
        counts.signals[nh],
        [2, 6],
        "the attached report and the other theme do not count"
    );
    assert_eq!(
        counts.signals[at(&counts.signal_regions, "*unknown")],
        [0, 5]
    );
    assert_eq!(counts.follow_up[nh], [6, 0, 2]);
    let reception = counts
        .signal_kinds
        .iter()
        .find(|(k, _)| *k == liaison_app::domain::OrganisationKind::Reception)
        .map(|(_, v)| *v);
    assert_eq!(reception, Some([0, 6]));
    assert_eq!((counts.followed_up, counts.follow_up_days), (6, Some(2.0)));
    for table in [
        "ventures",
        "memberships",
        "cases",
        "overlaps",
        "conflicts",
        "signals",
        "signal_kinds",
        "follow_up",
    ] {
        no_line_gives_a_count_away(&c[table]);
    }
    // The trend ends with the quarter, and nothing names a case or a signal.
    assert_eq!(s["trend"].as_array().map(Vec::len), Some(4));
    assert_eq!(s["trend"][3]["quarter"], "2025-Q1");
    let text = s.to_string();
    assert!(!text.contains("NH-A") && !text.contains("Crafted") && !text.contains("S-CRAFTED"));

    // The page says how the rule works and when the figures were counted.
    let page = app
        .get_with("/summary?quarter=2025-Q1&theme=trafficking", &ministry)
        .await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("&lt;5") && page.body.contains("Noord-Holland"));
    // The national figures come first, in words: thirty cases, seventeen overlaps, and the
    // withheld signals said to be so rather than given as a number.
    let html = page.text();
    let brief = html
        .find("Landelijk, in het kort")
        .expect("the figures in brief");
    let trend = html
        .find("Landelijk verloop per kwartaal")
        .expect("the trend");
    assert!(brief < trend, "the figures in brief before the tables");
    for figure in [
        "<strong>30</strong> zaken liepen in het kwartaal",
        "<strong>17</strong> overlappen gevonden",
        "<strong>een niet gepubliceerd aantal (–)</strong> signalen ontvangen",
    ] {
        assert!(html.contains(figure), "{figure}: {html}");
    }
    // The key to `<5`, `x` and `–` is on the page as it opens, before the first table and
    // outside anything folded.
    let key = html
        .find("Wat de tekens in de tabellen betekenen")
        .expect("the key");
    let first_table = html.find("<table").expect("a table");
    let first_fold = html.find("<details").expect("something folded");
    assert!(
        key < first_table && key < first_fold,
        "the key shows without a click"
    );
    for sign in [
        "<dt>&lt;5</dt><dd>1, 2, 3 of 4",
        "<dt>x</dt><dd>verborgen",
        "<dt>–</dt><dd>de hele tabel is niet gepubliceerd",
    ] {
        assert!(html.contains(sign), "{sign}");
    }
    // Provinces with nothing above zero fold away under their table, saying so; the signal
    // tables, withheld whole, fold whole.
    let cases_table = html
        .find("Zaken die liepen in het kwartaal, naar hun huidige status")
        .expect("the cases table");
    let quiet_cases = cases_table
        + html[cases_table..]
            .find("Alleen 0 of beschermde aantallen (")
            .expect("quiet provinces folded");
    assert!(html[quiet_cases..].starts_with("Alleen 0 of beschermde aantallen ("));
    let folded_line = &html[quiet_cases..quiet_cases + html[quiet_cases..].find('<').unwrap_or(0)];
    assert!(folded_line.contains("Drenthe"), "{folded_line}");
    assert!(!folded_line.contains("Noord-Holland"), "{folded_line}");
    assert!(
        html.contains(
            "<summary>Ontvangen signalen naar regio, hard en zacht: niet gepubliceerd (–)"
        ),
        "{html}"
    );
    let counted = c["computed_at"].as_str().expect("computed at");
    assert!(
        page.body.contains(&liaison_tests::dutch_moment(counted)),
        "the counting time on the page"
    );

    // CSV: the published figures only.
    let csv = app
        .get_with(
            "/api/summary.csv?quarter=2025-Q1&theme=trafficking",
            &ministry,
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.body);
    assert!(csv.body.starts_with("quarter,theme,table,row,column,value"));
    assert!(
        csv.body
            .contains("2025-Q1,trafficking,cases,Noord-Holland,active,<5"),
        "{}",
        csv.body
    );
    assert!(
        csv.body
            .contains("2025-Q1,trafficking,cases,Noord-Holland,closed,x")
    );
    assert!(
        csv.body
            .contains("2025-Q1,trafficking,cases,national,total,30")
    );

    // The snapshot: a new case does not show until the figures are counted again, and the
    // page keeps saying when they were counted.
    add_case(
        &app,
        amsterdam,
        "NH-NEW",
        "trafficking",
        "active",
        ("2025-01-01", None),
    )
    .await;
    let again = summary(&app, &ministry, "quarter=2025-Q1&theme=trafficking").await;
    assert_eq!(again["current"]["computed_at"], c["computed_at"]);
    assert_eq!(shown(&again["current"]["cases"]["table"]["total"]), "30");
    let counted_at = |at: &'static str| {
        summary_snapshot::Entity::update_many()
            .col_expr(
                summary_snapshot::Column::ComputedAt,
                sea_orm::sea_query::Expr::value(at),
            )
            .exec(&app.db)
    };
    // Counted after the quarter ended: fixed for good, however old.
    counted_at("2025-04-02T00:00:00.000000Z")
        .await
        .expect("aged");
    let fixed = summary(&app, &ministry, "quarter=2025-Q1&theme=trafficking").await;
    assert_eq!(
        fixed["current"]["computed_at"],
        "2025-04-02T00:00:00.000000Z"
    );
    assert_eq!(shown(&fixed["current"]["cases"]["table"]["total"]), "30");
    // A snapshot counted while the quarter ran does not count it whole: counted again.
    counted_at("2025-03-01T00:00:00.000000Z")
        .await
        .expect("aged");
    let fresh = summary(&app, &ministry, "quarter=2025-Q1&theme=trafficking").await;
    assert_ne!(
        fresh["current"]["computed_at"],
        "2025-03-01T00:00:00.000000Z"
    );
    assert_eq!(shown(&fresh["current"]["cases"]["table"]["total"]), "31");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_refuses_bad_choices_and_every_role_but_ministry() {
    let app = spawn_app().await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    for (args, field) in [
        ("quarter=2024-Q5", "quarter"),
        ("quarter=next", "quarter"),
        ("quarter=2099-Q1", "quarter"),
        ("quarter=2019-Q1", "quarter"),
        ("theme=fraud", "theme"),
    ] {
        let response = app.call_with("/api/summary", args, Some(&ministry)).await;
        assert_eq!(response.status, 400, "{args}: {}", response.body);
        assert!(response.body.contains(field), "{args}: {}", response.body);
    }
    // The current quarter, by default.
    let s = summary(&app, &ministry, "").await;
    assert_eq!(s["current"]["theme"], "trafficking");
    summary(&app, &ministry, "theme=smuggling").await;
    for user in [
        "reporter",
        "coordinator-north",
        "manager",
        "auditor",
        "admin",
    ] {
        let cookie = app.sign_in(user, DEMO_PASSWORD).await;
        let response = app.call_with("/api/summary", "", Some(&cookie)).await;
        assert_eq!(response.status, 403, "{user}");
        let csv = app.get_with("/api/summary.csv", &cookie).await;
        assert_eq!(csv.status, 403, "{user} CSV");
    }
    assert_eq!(app.get("/api/summary.csv").await.status, 401);
}

/// The current quarter is published once a day, counted up to the end of the day before: a
/// signal reported today is in no version of today's figures, however often they are counted,
/// and appears the next day together with everything else reported that day.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_current_quarter_is_published_once_a_day_so_no_version_singles_out_a_report() {
    let app = spawn_app().await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let today = liaison_app::server::time::today();
    let yesterday = today.pred_opt().expect("a day").to_string();
    let first = summary(&app, &ministry, "theme=trafficking").await;
    assert_eq!(first["current"]["as_of"], yesterday.as_str());
    assert_eq!(first["current"]["complete"], false);
    assert_eq!(first["previous"]["complete"], true);

    // A reporter reports a trafficking signal in Amsterdam now.
    let reporter = app.sign_in("reporter", DEMO_PASSWORD).await;
    let reported = app
        .post_form_with(
            "/api/report_signal",
            &format!(
                "signal[nature]=soft&signal[theme]=trafficking&signal[category]=4\
&signal[observed]=Crafted&signal[day]={today}&signal[place]=Somewhere\
&signal[municipality]=GM0363&signal[urgency]=normal"
            ),
            &reporter,
        )
        .await;
    assert!(reported.status.is_redirection(), "{}", reported.body);

    // Read again: the day's version. Counted afresh the same day: the same figures.
    let again = summary(&app, &ministry, "theme=trafficking").await;
    assert_eq!(again["current"], first["current"]);
    liaison_app::reports::snapshots::forget_snapshots(&app.db)
        .await
        .expect("forgotten");
    let recounted = summary(&app, &ministry, "theme=trafficking").await;
    let figures = |v: &Value| {
        let mut v = v.clone();
        v["computed_at"] = Value::Null;
        v
    };
    assert_ne!(
        recounted["current"]["computed_at"],
        first["current"]["computed_at"]
    );
    assert_eq!(
        figures(&recounted["current"]),
        figures(&first["current"]),
        "today's report is not in today's figures"
    );
    // The page says up to which day, and that the figures are published daily.
    let page = app.get_with("/summary?theme=trafficking", &ministry).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(&liaison_tests::dutch_date(&yesterday)),
        "{}",
        page.body
    );
    let shown = liaison_tests::shown_text(&page.body);
    assert_eq!(liaison_tests::machine_time(&shown), None, "{shown}");
    assert!(
        page.body.contains("dagelijks gepubliceerd") || page.body.contains("published daily"),
        "{}",
        page.body
    );

    // The next day, on a quarter of its own (2024-Q3: no demo data), published on given days.
    let reception = organisation::Entity::find()
        .filter(organisation::Column::Kind.eq("reception"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("reception")
        .id;
    let settings = liaison_app::settings::Settings::default();
    let published = |day: &'static str| {
        let (db, settings) = (&app.db, &settings);
        async move {
            liaison_app::reports::snapshots::quarter_summary(
                db,
                (2024, 3),
                liaison_app::domain::Theme::Trafficking,
                settings,
                day.parse().expect("a date"),
            )
            .await
            .expect("published")
        }
    };
    let signal_at = |at: &'static str| {
        add_signal(
            &app,
            reception,
            Some("GM0363"),
            ("soft", "trafficking"),
            ("new", at, None),
            None,
        )
    };
    let received = |s: &liaison_app::reports::summary::QuarterSummary| s.signals.table.total;
    use liaison_app::reports::disclosure::Shown;
    for _ in 0..7 {
        signal_at("2024-08-05T08:00:00.000000Z").await;
    }
    let tuesday = published("2024-08-06").await;
    assert_eq!(tuesday.as_of, "2024-08-05");
    assert!(!tuesday.complete);
    assert_eq!(received(&tuesday), Shown::Count(7));
    // One report on Tuesday morning: 7 → 8 would single it out. Tuesday's version, read or
    // counted again, does not have it.
    signal_at("2024-08-06T07:00:00.000000Z").await;
    assert_eq!(published("2024-08-06").await, tuesday, "the day's snapshot");
    liaison_app::reports::snapshots::forget_snapshots(&app.db)
        .await
        .expect("forgotten");
    let recounted = published("2024-08-06").await;
    assert_eq!(
        liaison_app::reports::summary::QuarterSummary {
            computed_at: tuesday.computed_at.clone(),
            ..recounted
        },
        tuesday,
        "counted again the same day"
    );
    // Three more that Tuesday (the last at 23:30 in Amsterdam), and one just after midnight.
    for at in [
        "2024-08-06T10:00:00.000000Z",
        "2024-08-06T15:00:00.000000Z",
        "2024-08-06T21:30:00.000000Z",
        "2024-08-06T22:30:00.000000Z",
    ] {
        signal_at(at).await;
    }
    // Wednesday: Tuesday's four reports together, not Wednesday's.
    let wednesday = published("2024-08-07").await;
    assert_eq!(wednesday.as_of, "2024-08-06");
    assert_eq!(received(&wednesday), Shown::Count(11));
    signal_at("2024-08-07T10:00:00.000000Z").await;
    assert_eq!(published("2024-08-07").await, wednesday);
    // Once the quarter has ended it counts whole, and stays so.
    let ended = published("2024-10-01").await;
    assert_eq!((ended.as_of.as_str(), ended.complete), ("2024-09-30", true));
    assert_eq!(received(&ended), Shown::Count(13));
    signal_at("2024-09-30T12:00:00.000000Z").await;
    assert_eq!(published("2025-01-15").await, ended, "fixed for good");
}
