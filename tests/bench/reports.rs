//! The report pages at scale: on top of the matching data set (subjects and 100,000 cases over
//! 50 joint ventures), 30,000 overlaps and 50,000 signals spread over the last year, then the
//! managers' overlap report and the ministry's summary rendered through the real router, as a
//! browser asks for them. Prints p50, p95 and max; asserts nothing.

use liaison_app::server::{
    entity::{
        joint_venture, joint_venture_region, joint_venture_theme, organisation, overlap, oversight,
        region, signal, summary_snapshot,
    },
    utc_text,
};
use liaison_server::{config::Config, demo::DEMO_PASSWORD};
use liaison_tests::{TestApp, TestDatabase};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use std::time::Instant;

use super::Rng;

const THEMES: [&str; 3] = ["smuggling", "trafficking", "terrorism"];

/// Gives the bench's joint ventures a theme and a province (every fifth works nationally), and
/// its cases the theme of their joint venture, a status and a period.
pub async fn shape(db: &DatabaseConnection) -> anyhow::Result<()> {
    let provinces: Vec<String> = region::Entity::find()
        .filter(region::Column::Kind.eq("province"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    let ventures = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.starts_with("Bench joint venture"))
        .all(db)
        .await?;
    let txn = db.begin().await?;
    for (i, v) in ventures.iter().enumerate() {
        let theme = THEMES[i % 3];
        joint_venture_theme::Entity::insert(joint_venture_theme::ActiveModel {
            joint_venture_id: Set(v.id),
            theme: Set(theme.into()),
        })
        .exec_without_returning(&txn)
        .await?;
        let code = if i % 5 == 4 {
            "NL".to_owned()
        } else {
            provinces[i % provinces.len()].clone()
        };
        joint_venture_region::Entity::insert(joint_venture_region::ActiveModel {
            joint_venture_id: Set(v.id),
            region_code: Set(code),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.execute_unprepared(&format!(
            "UPDATE \"case\" SET theme = '{theme}' WHERE joint_venture_id = {}",
            v.id
        ))
        .await?;
    }
    for update in [
        "UPDATE \"case\" SET status = 'closed', start_date = '2025-10-01', end_date = '2026-06-30' WHERE id % 4 = 0",
        "UPDATE \"case\" SET status = 'planned', start_date = '2026-12-01' WHERE id % 7 = 0 AND status = 'active'",
        "UPDATE \"case\" SET status = 'suspended' WHERE id % 11 = 0 AND status = 'active'",
    ] {
        txn.execute_unprepared(update).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// 30,000 overlaps between cases of different joint ventures and 50,000 signals, found and
/// received over the last 365 days, in every state.
pub async fn add_overlaps_and_signals(
    db: &DatabaseConnection,
    cases: &[(i32, i32)],
) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut rng = Rng(0x0e7a);
    let now = chrono::Utc::now();
    let at = |days: f64| utc_text(now - chrono::Duration::minutes((days * 1440.0) as i64));
    let mut rows = Vec::new();
    for i in 0..30_000u64 {
        let (a, b) = loop {
            let a = cases[rng.below(cases.len())];
            let b = cases[rng.below(cases.len())];
            if a.1 != b.1 {
                break if a.0 < b.0 { (a, b) } else { (b, a) };
            }
        };
        let age = rng.below(365) as f64 + 0.5;
        let roll = rng.below(10);
        let acknowledged = roll >= 3;
        let decided = roll >= 5;
        let kind = ["phone", "person", "vehicle", "iban", "operation"][rng.below(5)];
        rows.push(overlap::ActiveModel {
            kind: Set(if kind == "operation" {
                "operation"
            } else {
                "subject"
            }
            .into()),
            match_kind: Set(kind.into()),
            first_case_id: Set(a.0),
            second_case_id: Set(b.0),
            first_joint_venture_id: Set(a.1),
            second_joint_venture_id: Set(b.1),
            first_item_id: Set(10_000_000 + i as i32),
            second_item_id: Set(20_000_000 + i as i32),
            score: Set(0.9),
            explanation: Set("[]".into()),
            urgent: Set(roll == 0),
            evidence: Set("bench".into()),
            first_consents: Set(false),
            second_consents: Set(false),
            state: Set(match roll {
                0..=2 => "open",
                3..=4 => "acknowledged",
                5..=8 => "decided",
                _ => "closed",
            }
            .into()),
            created_at: Set(at(age)),
            version: Set(1),
            first_acknowledged_at: Set(acknowledged.then(|| at(age - 0.4))),
            second_acknowledged_at: Set(acknowledged.then(|| at(age - 0.45))),
            decide_from: Set(acknowledged.then(|| at(age - 0.45))),
            decision: Set(decided.then(|| "joint_action".to_owned())),
            decided_at: Set(decided.then(|| at(age - 0.49))),
            ruled: Set(roll == 9),
            ..Default::default()
        });
    }
    let txn = db.begin().await?;
    for chunk in rows.chunks(500) {
        overlap::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    let municipalities: Vec<String> = region::Entity::find()
        .filter(region::Column::Kind.eq("municipality"))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.code)
        .collect();
    let organisations: Vec<i32> = organisation::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    let mut rows = Vec::new();
    for i in 0..50_000u64 {
        let age = rng.below(365) as f64 + 0.5;
        let roll = rng.below(10);
        rows.push(signal::ActiveModel {
            reference: Set(format!("S-B-{i:06}")),
            organisation_id: Set(organisations[rng.below(organisations.len())]),
            reported_by: Set(1),
            anonymous: Set(false),
            nature: Set(if roll.is_multiple_of(2) {
                "hard"
            } else {
                "soft"
            }
            .into()),
            theme: Set(THEMES[rng.below(3)].into()),
            category_id: Set(1 + rng.below(7) as i32),
            observed: Set("bench".into()),
            observed_on: Set(at(age).get(..10).unwrap_or_default().into()),
            place: Set("bench".into()),
            municipality: Set(
                (roll != 9).then(|| municipalities[rng.below(municipalities.len())].clone())
            ),
            urgency: Set("normal".into()),
            state: Set(match roll {
                0..=1 => "new",
                2 => "assessed",
                3 => "routed",
                4..=7 => "followed_up",
                _ => "no_action",
            }
            .into()),
            routed_by_rule: Set(true),
            created_at: Set(at(age)),
            closed_at: Set((roll >= 4).then(|| at(age - 3.0))),
            duplicate_of: Set(None),
            version: Set(1),
            ..Default::default()
        });
    }
    let txn = db.begin().await?;
    for chunk in rows.chunks(500) {
        signal::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared("ANALYZE").await?;
    }
    println!(
        "fill reports                 30,000 overlaps and 50,000 signals in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn percentiles(mut times: Vec<f64>) -> String {
    times.sort_by(f64::total_cmp);
    let n = times.len();
    let at = |q: f64| times[((n as f64 * q).ceil() as usize).clamp(1, n) - 1];
    format!(
        "p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms (n={n})",
        at(0.5),
        at(0.95),
        times[n - 1]
    )
}

/// Renders the two pages through the router as a signed-in browser would.
pub async fn time_pages(
    db: DatabaseConnection,
    database: TestDatabase,
    config: &Config,
) -> anyhow::Result<()> {
    let state = liaison_server::startup::AppState::new(config, db.clone());
    let app = TestApp {
        matching: state.matching.clone(),
        router: liaison_server::startup::router(state),
        db: db.clone(),
        database: std::sync::Arc::new(database),
    };
    // The demo manager oversees ten of the bench's joint ventures as well.
    let manager_id = app.user_id("manager").await;
    let ventures = joint_venture::Entity::find()
        .filter(joint_venture::Column::Name.starts_with("Bench joint venture"))
        .all(&db)
        .await?;
    for v in ventures.iter().take(10) {
        oversight::Entity::insert(oversight::ActiveModel {
            joint_venture_id: Set(v.id),
            user_id: Set(manager_id),
            since: Set(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()),
        })
        .exec_without_returning(&db)
        .await?;
    }
    let manager = app.sign_in("manager", DEMO_PASSWORD).await;
    let ministry = app.sign_in("ministry", DEMO_PASSWORD).await;
    let mut times = Vec::new();
    let mut found = String::new();
    for n in 0..60 {
        let started = Instant::now();
        let page = app.get_with("/reports/overlaps", &manager).await;
        let took = started.elapsed().as_secs_f64() * 1000.0;
        anyhow::ensure!(page.status == 200, "report page: {}", page.status);
        if n == 0 {
            found = format!("{} bytes", page.body.len());
        }
        // The first renders warm the caches of the database; they count all the same.
        times.push(took);
    }
    println!(
        "overlap report page          {} ({found}, current quarter, 16 joint ventures overseen)",
        percentiles(times)
    );
    let mut cold = Vec::new();
    for _ in 0..10 {
        summary_snapshot::Entity::delete_many().exec(&db).await?;
        let started = Instant::now();
        let page = app.get_with("/summary?theme=smuggling", &ministry).await;
        cold.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(page.status == 200, "summary page: {}", page.status);
    }
    println!(
        "summary page, counted afresh {} (four quarters counted)",
        percentiles(cold)
    );
    let mut warm = Vec::new();
    for _ in 0..60 {
        let started = Instant::now();
        let page = app.get_with("/summary?theme=smuggling", &ministry).await;
        warm.push(started.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(page.status == 200, "summary page: {}", page.status);
    }
    println!("summary page, from snapshot  {}", percentiles(warm));
    // The precompute job: everything at start-up, then the current quarters every few minutes.
    summary_snapshot::Entity::delete_many().exec(&db).await?;
    let started = Instant::now();
    let counted = liaison_app::reports::snapshots::refresh(&db, &config.settings)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "summary job at start-up      {counted} quarter summaries counted in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    let counted = liaison_app::reports::snapshots::refresh(&db, &config.settings)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    println!(
        "summary job, each later run  {counted} quarter summaries counted in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
