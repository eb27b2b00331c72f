//! The REST API under load (a benchmark: it prints numbers and asserts nothing).
//!
//! On a fresh database with the demo data, two agency systems (one per joint venture) load
//! `cases` cases of ten subjects each (default 100,000 cases: 1,000,000 subjects) through
//! `POST …/case-batches` in batches of 10,000, every subject matched as it is saved; then 200
//! single `PUT`s of a new case with ten subjects. The requests go through the whole router
//! (authentication, rate limit, audit, JSON, use-cases) in this process, without a socket.
//!
//!   bench-api sqlite|postgres [cases]

use liaison_tests::{Backend, spawn_app};
use serde_json::json;
use std::time::Instant;

const GIVEN: &[&str] = &[
    "Mohammed",
    "Muhammad",
    "Ahmed",
    "Yusuf",
    "Youssef",
    "Olga",
    "Olha",
    "Sergei",
    "Dariusz",
    "Jan",
    "Ayşe",
    "Fatima",
    "Mariam",
    "Ali",
    "Omar",
    "Ilir",
    "Elena",
    "Mehmet",
    "Tesfay",
    "Yonas",
    "Abdulrahman",
    "Amina",
    "Piotr",
    "Ivan",
];
const FAMILY: &[&str] = &[
    "El Amrani",
    "Haddad",
    "Kovalenko",
    "Rahimi",
    "Hoxha",
    "Petrov",
    "Bouzid",
    "Yilmaz",
    "Kaya",
    "Tesfaye",
    "Gebremariam",
    "Karimi",
    "Ahmadi",
    "Warsame",
    "Barzani",
    "Novak",
];

const NATIONALITIES: &[&str] = &["ERI", "SYR", "AFG", "MAR", "SOM", "IRQ"];

/// A deterministic stream of numbers (no dependency for a bench's variety).
struct Draw(u64);

impl Draw {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % below
    }
}

fn subjects(draw: &mut Draw, case: usize) -> serde_json::Value {
    let mut list = Vec::with_capacity(10);
    for i in 0..8 {
        list.push(json!({
            "kind": "person",
            "given_names": GIVEN[draw.next(GIVEN.len())],
            "family_name": format!("{} {}", FAMILY[draw.next(FAMILY.len())], case * 8 + i),
            "birth_date": format!("19{:02}-{:02}-{:02}", 50 + draw.next(50), 1 + draw.next(12), 1 + draw.next(28)),
            "nationality": NATIONALITIES[draw.next(NATIONALITIES.len())],
        }));
    }
    list.push(
        json!({"kind": "phone", "value": format!("+31 6 1{:07}", (case * 7919) % 10_000_000)}),
    );
    list.push(json!({"kind": "vehicle", "value": format!("{:02}-XB-{:02}", case % 100, (case / 100) % 100), "country": "NL"}));
    serde_json::Value::Array(list)
}

fn case(reference: &str, subjects: serde_json::Value) -> serde_json::Value {
    json!({
        "title": format!("Bench case {reference}"),
        "theme": "smuggling",
        "status": "active",
        "start": "2026-10-01",
        "handling": "share-on-consent",
        "subjects": subjects,
    })
}

/// Peak and current resident memory of this process (MiB), from `/proc/self/status`.
fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<u64>().ok())
            .unwrap_or_default()
            / 1024
    };
    (field("VmHWM:"), field("VmRSS:"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    // SAFETY: set before any other thread reads the environment; the test database helper
    // reads this variable.
    unsafe { std::env::set_var("LIAISON_TEST_DATABASE", backend) };
    let cases: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let app = spawn_app().await;
    let scopes = ["cases:write", "subjects:write"];
    let sides = [
        ("KMar", "Taskforce Mensensmokkel Noord"),
        ("GAMS", "Ketenaanpak Mensenhandel Amsterdam"),
    ];
    let mut clients = Vec::new();
    for (organisation, venture) in sides {
        let token = app
            .api_client_with(organisation, &[venture], &scopes, |c| {
                c.rate_per_minute = "60000".into();
            })
            .await;
        clients.push((token, app.joint_venture_id(venture).await));
    }
    println!(
        "backend                       {}",
        match liaison_tests::backend() {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        }
    );
    let mut draw = Draw(7);
    let batch = 10_000.min(cases.max(1));
    let started = Instant::now();
    let mut loaded = 0;
    let mut batch_seconds = Vec::new();
    while loaded < cases {
        let n = batch.min(cases - loaded);
        let (token, venture) = &clients[(loaded / batch) % 2];
        let mut body = String::with_capacity(n * 1200);
        for i in loaded..loaded + n {
            let reference = format!("BENCH-{i}");
            let line =
                json!({"reference": reference, "case": case(&reference, subjects(&mut draw, i))});
            body.push_str(&line.to_string());
            body.push('\n');
        }
        let at = Instant::now();
        let answer = app
            .api(
                "POST",
                &format!("/api/v1/joint-ventures/{venture}/case-batches"),
                Some(token),
                Some(&body),
                &[("content-type", "application/x-ndjson")],
            )
            .await;
        anyhow::ensure!(
            answer.status == 200,
            "batch: {} {}",
            answer.status,
            answer.body
        );
        batch_seconds.push(at.elapsed().as_secs_f64());
        loaded += n;
        let (peak, now) = memory();
        println!(
            "batch of {n:>6} cases        {:>8.1} s   ({loaded} cases loaded; RSS {now} MiB, peak {peak} MiB)",
            at.elapsed().as_secs_f64()
        );
    }
    let total = started.elapsed().as_secs_f64();
    let (peak, _) = memory();
    println!(
        "cases loaded                  {cases} ({} subjects)",
        cases * 10
    );
    println!("batch load, total             {total:.1} s");
    println!(
        "batch load, throughput        {:.0} cases/s, {:.0} subjects/s",
        cases as f64 / total,
        cases as f64 * 10.0 / total
    );
    println!("process RSS, peak             {peak} MiB");

    let (token, venture) = &clients[0];
    let mut times = Vec::new();
    for i in 0..200 {
        let reference = format!("PUT-{i}");
        let body = case(&reference, subjects(&mut draw, cases + i)).to_string();
        let at = Instant::now();
        let answer = app
            .api(
                "PUT",
                &format!("/api/v1/joint-ventures/{venture}/cases/{reference}"),
                Some(token),
                Some(&body),
                &[],
            )
            .await;
        times.push(at.elapsed().as_secs_f64() * 1000.0);
        anyhow::ensure!(
            answer.status == 201,
            "put: {} {}",
            answer.status,
            answer.body
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "PUT of a case, ten subjects   p50 {:.1} ms   p99 {:.1} ms   (200 PUTs on {cases} cases)",
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    Ok(())
}
