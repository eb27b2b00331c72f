//! The REST API under load (a benchmark: it prints numbers and asserts nothing).
//!
//! On a fresh database with the demo data, two agency systems (one per joint venture) load
//! `cases` cases of ten subjects each (default 100,000 cases: 1,000,000 subjects) through
//! `POST …/case-batches` in batches of 10,000, taking turns, every subject matched as it is
//! saved (each case: eight persons, a common family name a fifth of the time and otherwise one of
//! some 27,000 rarer ones, a phone and a vehicle); one case in twenty shares its vehicle with a case of the other system. Then one more
//! batch in which every case shares its vehicle with one of the other system (10,000 overlaps
//! raised in one transaction), and 200 single `PUT`s of a new case with ten subjects. The
//! requests go through the whole router (authentication, rate limit, audit, JSON, use-cases) in
//! this process, without a socket.
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
    "de Jong",
    "Jansen",
    "de Vries",
    "Bakker",
    "Visser",
    "Smit",
    "Mohammadi",
    "Hussaini",
    "Abdi",
    "Farah",
    "Mohamud",
    "Al-Hassan",
    "Khalil",
    "Mansour",
    "Ibrahim",
    "Osman",
    "Haile",
    "Tesfay",
    "Kidane",
    "Popescu",
    "Nowak",
    "Shevchenko",
    "Krasniqi",
    "Demir",
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

/// The ten subjects of case number `case`: eight persons, a phone and a vehicle, each of its own
/// except the vehicle, which is case number `vehicle_of`'s.
fn subjects(draw: &mut Draw, case: usize, vehicle_of: usize) -> serde_json::Value {
    let mut list = Vec::with_capacity(10);
    for _ in 0..8 {
        list.push(json!({
            "kind": "person",
            "given_names": GIVEN[draw.next(GIVEN.len())],
            "family_name": family_name(draw),
            "birth_date": format!("19{:02}-{:02}-{:02}", 50 + draw.next(50), 1 + draw.next(12), 1 + draw.next(28)),
            "nationality": NATIONALITIES[draw.next(NATIONALITIES.len())],
        }));
    }
    list.push(
        json!({"kind": "phone", "value": format!("+31 6 1{:07}", (case * 7919) % 10_000_000)}),
    );
    list.push(json!({"kind": "vehicle", "value": plate(vehicle_of), "country": "NL"}));
    serde_json::Value::Array(list)
}

/// A family name as a register has them: one of the common ones a fifth of the time, otherwise
/// one of some 27,000 rarer ones.
fn family_name(draw: &mut Draw) -> String {
    if draw.next(5) == 0 {
        return FAMILY[draw.next(FAMILY.len())].to_owned();
    }
    const SYLLABLES: &[&str] = &[
        "Ka", "ra", "mi", "ho", "sa", "li", "do", "ne", "ba", "tu", "ze", "vo", "ga", "pe", "ri",
        "no", "ma", "ke", "su", "la", "di", "fa", "to", "ye", "bi", "ha", "mu", "ro", "se", "an",
    ];
    let mut name = String::new();
    for _ in 0..3 {
        name.push_str(SYLLABLES[draw.next(SYLLABLES.len())]);
    }
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| {
            c.to_uppercase()
                .chain(chars.map(|c| c.to_ascii_lowercase()))
                .collect()
        })
        .unwrap_or(name)
}

/// A licence plate of its own for each case number (unique below 6,760,000).
fn plate(case: usize) -> String {
    let letter = |n: usize| char::from(b'A' + (n % 26) as u8);
    format!(
        "{:02}-{}{}-{:02}",
        case % 100,
        letter(case / 100),
        letter(case / 2_600),
        (case / 67_600) % 100
    )
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

/// Cases per batch request (the API's limit).
const BATCH: usize = 10_000;

/// Loads the cases numbered `numbers` as one batch of `client`'s system, the vehicle of each
/// chosen by `vehicle_of`; returns the seconds the request took.
async fn load(
    app: &liaison_tests::TestApp,
    (token, venture): &(String, i32),
    draw: &mut Draw,
    numbers: std::ops::Range<usize>,
    vehicle_of: impl Fn(usize, &mut Draw) -> usize,
) -> anyhow::Result<f64> {
    let mut body = String::with_capacity(numbers.len() * 1200);
    for i in numbers {
        let reference = format!("BENCH-{i}");
        let vehicle = vehicle_of(i, draw);
        let line =
            json!({"reference": reference, "case": case(&reference, subjects(draw, i, vehicle))});
        body.push_str(&line.to_string());
        body.push('\n');
    }
    let at = Instant::now();
    let answer = app.api_batch(*venture, token, &body).await;
    anyhow::ensure!(
        answer.status == 200,
        "batch: {} {}",
        answer.status,
        answer.body
    );
    Ok(at.elapsed().as_secs_f64())
}

/// How many overlaps are stored.
async fn overlaps(app: &liaison_tests::TestApp) -> anyhow::Result<u64> {
    use sea_orm::{EntityTrait, PaginatorTrait};
    Ok(liaison_app::server::entity::overlap::Entity::find()
        .count(&app.db)
        .await?)
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
        clients.push(app.loading_client(organisation, venture, &scopes).await);
    }
    println!(
        "backend                       {}",
        match liaison_tests::backend() {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        }
    );
    let mut draw = Draw(7);
    let started = Instant::now();
    let mut loaded = 0;
    while loaded < cases {
        let n = BATCH.min(cases - loaded);
        // One case in twenty shares its vehicle with a case the other system loaded in the batch
        // before: an overlap to raise, with its persons compared.
        let vehicle_of = |i: usize, draw: &mut Draw| {
            if i >= BATCH && draw.next(20) == 0 {
                i - BATCH
            } else {
                i
            }
        };
        let seconds = load(
            &app,
            &clients[(loaded / BATCH) % 2],
            &mut draw,
            loaded..loaded + n,
            vehicle_of,
        )
        .await?;
        loaded += n;
        let (peak, now) = memory();
        println!(
            "batch of {n:>6} cases        {seconds:>8.1} s   ({loaded} cases loaded; RSS {now} MiB, peak {peak} MiB)"
        );
    }
    let total = started.elapsed().as_secs_f64();
    let (peak, _) = memory();
    println!(
        "cases loaded                  {cases} ({} subjects, {} overlaps raised)",
        cases * 10,
        overlaps(&app).await?
    );
    println!("batch load, total             {total:.1} s");
    println!(
        "batch load, throughput        {:.0} cases/s, {:.0} subjects/s",
        cases as f64 / total,
        cases as f64 * 10.0 / total
    );
    println!("process RSS, peak             {peak} MiB");

    // Every case of one more batch of the second system shares its vehicle with a case of the
    // first batch: as many overlaps raised in one transaction as the batch has cases.
    let before = overlaps(&app).await?;
    let n = BATCH.min(cases);
    let seconds = load(
        &app,
        &clients[1],
        &mut draw,
        cases..cases + n,
        |i: usize, _: &mut Draw| i - cases,
    )
    .await?;
    let raised = overlaps(&app).await? - before;
    println!(
        "batch of {n:>6} cases, each an overlap   {seconds:.1} s   ({raised} overlaps raised, {:.1} ms per case)",
        seconds * 1000.0 / n as f64
    );

    let (token, venture) = &clients[0];
    let mut times = Vec::new();
    for i in 0..200 {
        let reference = format!("PUT-{i}");
        let number = cases + BATCH + i;
        let body = case(&reference, subjects(&mut draw, number, number)).to_string();
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
