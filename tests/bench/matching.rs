//! Overlap matching at scale (a benchmark: it prints numbers and asserts nothing).
//!
//! Fills a fresh database with N subjects (default 1,000,000) of realistic variety — persons
//! with spelling variants, phones, plates, IBANs — spread over 50 joint ventures, then times
//! saving one new subject including its matching (200 saves: median and p99), and optionally
//! a full re-scan.
//!
//!   bench-matching sqlite|postgres [subjects] [--rescan] [--splink] [--reports]
//!
//! With `--splink` it also links the same persons with Splink 5 (DuckDB,
//! `linkage/splink_link.py`, across joint ventures as Liaison does, match probability ≥ 0.9)
//! and prints its time beside the re-scan's. `LIAISON_SPLINK_PYTHON` names the Python that has
//! Splink (default `.tools/venv-linkage/bin/python`, as `make bench-matching` installs it).
//!
//! With `--reports` it then adds 30,000 overlaps and 50,000 signals and times the managers'
//! overlap report and the ministry's summary pages (see `reports.rs`).

mod reports;

use liaison_app::{
    overlaps::candidates::Matching, overlaps::keys, overlaps::score::Person, server::entity::case,
    server::entity::joint_venture, server::entity::match_key, server::entity::subject,
    subjects::parse::parse, subjects::save::new_row, subjects::types::SubjectInput,
};
use liaison_tests::{Backend, TestDatabase, matching};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryOrder, TransactionTrait,
};
use std::time::Instant;

const GIVEN: &[&str] = &[
    "Mohammed",
    "Muhammad",
    "Ahmed",
    "Ahmad",
    "Yusuf",
    "Youssef",
    "Olga",
    "Olha",
    "Sergei",
    "Serhiy",
    "Dariusz",
    "Jan",
    "Pieter",
    "Ayşe",
    "Fatima",
    "Mariam",
    "Ali",
    "Hussein",
    "Omar",
    "Ilir",
    "Andrei",
    "Elena",
    "Ion",
    "Mehmet",
    "Samir",
    "Karim",
    "Nadia",
    "Amina",
    "Tomasz",
    "Piotr",
    "Anna",
    "Maria",
    "Ivan",
    "Dmitri",
    "Aleksandr",
    "Alexander",
    "Joseph",
    "Yosef",
    "Abdullah",
    "Abdallah",
];
const FAMILY: &[&str] = &[
    "El Amrani",
    "Haddad",
    "Kovalenko",
    "Kowalczyk",
    "Rahimi",
    "Hoxha",
    "Petrov",
    "Bouzid",
    "Yilmaz",
    "Kaya",
    "Demir",
    "Celik",
    "Ahmadi",
    "Hosseini",
    "Nowak",
    "Wiśniewski",
    "Popescu",
    "Ionescu",
    "Ivanova",
    "Shevchenko",
    "Bondarenko",
    "Mansour",
    "Khalil",
    "Saleh",
    "Hassan",
    "Abdi",
    "Mohamud",
    "Osman",
    "Tesfaye",
    "Berhane",
    "Okafor",
    "Adeyemi",
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
];
const SYLLABLES: &[&str] = &[
    "ka", "ra", "mi", "ho", "sa", "li", "do", "ne", "ba", "tu", "ze", "vo", "ga", "pe", "ri", "no",
    "ma", "ke", "su", "la", "di", "fa", "to", "ye", "bi", "ha", "mu", "ro", "se", "an",
];
const NATIONALITY: &[&str] = &[
    "SY", "AF", "ER", "MA", "TR", "UA", "PL", "RO", "AL", "NG", "NL",
];

/// A small deterministic generator, so every run builds the same data.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A Dutch IBAN with valid check digits for a 10-digit account number.
fn iban(account: u64) -> String {
    let bban = format!("ABNA{account:010}");
    let digits: String = format!("{bban}NL00")
        .chars()
        .map(|c| c.to_digit(36).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let remainder = digits
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("NL{:02}{bban}", 98 - remainder)
}

fn misspell(name: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = name.chars().collect();
    if chars.len() > 4 && rng.below(10) == 0 {
        let i = 1 + rng.below(chars.len() - 2);
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

fn subject_input(i: u64, rng: &mut Rng) -> SubjectInput {
    let mut input = SubjectInput::default();
    match i % 4 {
        0 => {
            input.kind = "person".into();
            input.given_names = GIVEN[rng.below(GIVEN.len())].into();
            // Common family names a fifth of the time, otherwise one of some 27,000 others.
            input.family_name = if rng.below(5) == 0 {
                misspell(FAMILY[rng.below(FAMILY.len())], rng)
            } else {
                let part = |rng: &mut Rng| SYLLABLES[rng.below(SYLLABLES.len())];
                let name = format!("{}{}{}", part(rng), part(rng), part(rng));
                let mut chars = name.chars();
                chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or(name)
            };
            input.birth_date = match rng.below(3) {
                0 => format!("{}", 1950 + rng.below(56)),
                _ => format!(
                    "{}-{:02}-{:02}",
                    1950 + rng.below(56),
                    1 + rng.below(12),
                    1 + rng.below(28)
                ),
            };
            input.nationality = NATIONALITY[rng.below(NATIONALITY.len())].into();
        }
        1 => {
            input.kind = "phone".into();
            input.value = format!("06{:08}", 10_000_000 + rng.below(50_000_000));
        }
        2 => {
            input.kind = "vehicle".into();
            let letters = b"BDFGHJKLNPRSTVXZ";
            let l = |rng: &mut Rng| letters[rng.below(letters.len())] as char;
            input.value = format!("{}{}-{:03}-{}", l(rng), l(rng), rng.below(1000), l(rng));
        }
        _ => {
            input.kind = "bank_account".into();
            input.value = iban(rng.below(10_000_000_000) as u64);
        }
    }
    input
}

const CASES_PER_VENTURE: usize = 2000;

/// Fills the database with `count` subjects; with `persons`, writes every person as typed to
/// that CSV too (Splink's input: its joint venture as `source`).
async fn fill(
    db: &DatabaseConnection,
    m: &Matching,
    count: u64,
    mut persons: Option<&mut dyn std::io::Write>,
) -> anyhow::Result<Vec<(i32, i32)>> {
    if let Some(out) = persons.as_mut() {
        writeln!(
            out,
            "id,given_name,family_name,birth_date,nationality,sex,source"
        )?;
    }
    let mut cases = Vec::new();
    for v in 0..50 {
        let jv = joint_venture::ActiveModel {
            name: Set(format!("Bench joint venture {v:02}")),
            mandate: Set("bench".into()),
            legal_basis: Set("bench".into()),
            start_date: Set(chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default()),
            end_date: Set(None),
            status: Set("active".into()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        // 2,000 cases per joint venture: 100,000 cases of ten subjects on average, the data
        // set the reporting issue names.
        let rows: Vec<case::ActiveModel> = (0..CASES_PER_VENTURE)
            .map(|c| case::ActiveModel {
                joint_venture_id: Set(jv.id),
                reference: Set(format!("B-{v:02}-{c:04}")),
                title: Set("Bench".into()),
                theme: Set("smuggling".into()),
                status: Set("active".into()),
                start_date: Set(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()),
                end_date: Set(None),
                handling: Set("share-on-consent".into()),
                description: Set(String::new()),
                version: Set(1),
                updated_at: Set("2026-01-01T00:00:00Z".into()),
                ..Default::default()
            })
            .collect();
        let txn = db.begin().await?;
        for chunk in rows.chunks(500) {
            case::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        txn.commit().await?;
    }
    cases.extend(
        case::Entity::find()
            .order_by_asc(case::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|c| (c.id, c.joint_venture_id)),
    );
    let mut rng = Rng(0x5eed);
    let start_id = 1_000_000;
    let started = Instant::now();
    let mut i = 0;
    while i < count {
        let batch = (count - i).min(2000);
        let mut subjects = Vec::with_capacity(batch as usize);
        let mut key_rows = Vec::new();
        for j in i..i + batch {
            let (case_id, jv) = cases[rng.below(cases.len())];
            let input = subject_input(j, &mut rng);
            let valid =
                parse(&input, 2026).map_err(|e| anyhow::anyhow!("generated subject {j}: {e:?}"))?;
            let id = start_id + j as i32;
            if let Some(out) = persons.as_mut()
                && input.kind == "person"
            {
                writeln!(
                    out,
                    "{id},{},{},{},{},,{jv}",
                    input.given_names, input.family_name, input.birth_date, input.nationality
                )?;
            }
            let person = valid.person.as_ref().map(|p| Person {
                given: p.given_key.clone(),
                family: p.family_key.clone(),
                birth: p.birth_date,
                nationality: p.nationality.clone(),
            });
            for key in keys::stored(valid.kind, &valid.normal, person.as_ref()) {
                key_rows.push(match_key::ActiveModel {
                    subject_id: Set(id),
                    case_id: Set(case_id),
                    joint_venture_id: Set(jv),
                    key_hash: Set(m.secret.hash(&key)),
                    ..Default::default()
                });
            }
            let mut row = new_row(valid, case_id, 1, "2026-01-01T00:00:00Z");
            row.id = Set(id);
            subjects.push(row);
        }
        let txn = db.begin().await?;
        for chunk in subjects.chunks(500) {
            subject::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        for chunk in key_rows.chunks(1000) {
            match_key::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        i += batch;
        if i % 100_000 == 0 {
            eprintln!("  {i} subjects in {:.0} s", started.elapsed().as_secs_f64());
        }
    }
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('subject', 'id'), (SELECT max(id) FROM subject))",
        )
        .await?;
        db.execute_unprepared("ANALYZE").await?;
    }
    println!(
        "fill                         {count} subjects over 50 joint ventures in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(cases)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    // SAFETY: single-threaded at this point; the test database helper reads this variable.
    unsafe { std::env::set_var("LIAISON_TEST_DATABASE", backend) };
    let count: u64 = args
        .get(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let rescan = args.iter().any(|a| a == "--rescan");
    let with_splink = args.iter().any(|a| a == "--splink");
    let pages = args.iter().any(|a| a == "--reports");
    let database = TestDatabase::new().await;
    let db = liaison_server::db::connect(&database.url).await?;
    let m = matching();
    if pages {
        // The demo's accounts (a manager, a ministry user) and organisations.
        liaison_server::demo::load_once(&db, &m)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let kind = match liaison_tests::backend() {
        Backend::Postgres => "PostgreSQL",
        Backend::Sqlite => "SQLite",
    };
    println!("backend                      {kind}");
    let dir = tempfile::tempdir()?;
    let persons_csv = dir.path().join("persons.csv");
    let cases = if with_splink {
        let mut out = std::io::BufWriter::new(std::fs::File::create(&persons_csv)?);
        let cases = fill(&db, &m, count, Some(&mut out)).await?;
        std::io::Write::flush(&mut out)?;
        cases
    } else {
        fill(&db, &m, count, None).await?
    };
    if liaison_tests::backend() == Backend::Postgres {
        print_sizes(&db).await?;
    }

    // As the server does at start-up: every common value counted into the frequency cache.
    let started = Instant::now();
    let kept = liaison_app::overlaps::frequencies::refresh(&db, &m)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "count the common values      {kept} values in {:.1} s (at start-up and every 9 minutes)",
        started.elapsed().as_secs_f64()
    );
    // Saving one subject, matching included, as a coordinator's save does. The first saves
    // are timed apart from the steady state.
    let mut rng = Rng(0xbeef);
    let mut times = Vec::new();
    let mut raised = 0;
    const WARM_UP: usize = 50;
    for n in 0..(WARM_UP + 200) as u64 {
        let (case_id, jv) = cases[rng.below(cases.len())];
        let valid =
            parse(&subject_input(n, &mut rng), 2026).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let started = Instant::now();
        // As a coordinator's save begins: on PostgreSQL with the matching lock.
        let txn = liaison_app::server::begin_matching(&db).await?;
        let saved = new_row(valid, case_id, 1, "2026-01-01T00:00:00Z")
            .insert(&txn)
            .await?;
        raised += liaison_app::overlaps::detect::on_subject_saved(&txn, &m, &saved, jv)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        txn.commit().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    let mut cold = times[..WARM_UP].to_vec();
    let mut times = times[WARM_UP..].to_vec();
    cold.sort_by(f64::total_cmp);
    times.sort_by(f64::total_cmp);
    println!(
        "save one subject + matching  p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms (n=200 after {WARM_UP} saves; {raised} overlaps raised in all)",
        times[100], times[198], times[199]
    );
    println!(
        "  the first {WARM_UP} saves        p50 {:.1} ms, max {:.1} ms",
        cold[WARM_UP / 2],
        cold[WARM_UP - 1]
    );
    if rescan {
        // As the background re-scan does: the model estimated from the stored persons first.
        let started = Instant::now();
        let trained = liaison_app::overlaps::training::train(
            &db,
            &m,
            liaison_app::overlaps::training::Trainer::Cli,
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "train the person model       {:.1} s ({})",
            started.elapsed().as_secs_f64(),
            match &trained {
                Some(t) => format!(
                    "{} blocked pairs, matched share {:.3}",
                    t.estimate.blocked_pairs, t.estimate.params.matched_share
                ),
                None => "not usable: the defaults stay".into(),
            }
        );
        let started = Instant::now();
        let report = liaison_app::overlaps::rescan::rescan(&db, &m)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "full re-scan                 {} subjects in {:.1} s, {} new overlaps",
            report.subjects,
            started.elapsed().as_secs_f64(),
            report.new_overlaps
        );
    }
    if with_splink {
        splink(&persons_csv, dir.path())?;
    }
    if pages {
        reports::shape(&db).await?;
        reports::add_overlaps_and_signals(&db, &cases).await?;
        let config = liaison_tests::test_config(&database.url);
        return reports::time_pages(db, database, &config).await;
    }
    drop(database);
    Ok(())
}

/// Splink 5 linking the same persons across joint ventures (match probability ≥ 0.9): its
/// time, as Splink reports it, and the pairs it found.
fn splink(persons: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<()> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("LIAISON_SPLINK_PYTHON").unwrap_or_else(|_| {
        root.join("../.tools/venv-linkage/bin/python")
            .display()
            .to_string()
    });
    let started = Instant::now();
    let run = std::process::Command::new(&python)
        .arg(root.join("bench/linkage/splink_link.py"))
        .arg(persons)
        .arg("-")
        .arg(dir.join("splink.csv"))
        .args(["--threshold", "0.9"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| anyhow::anyhow!("{python}: {e} (make bench-matching installs Splink)"))?;
    anyhow::ensure!(run.status.success(), "Splink failed: {}", run.status);
    let report: serde_json::Value = serde_json::from_slice(run.stdout.trim_ascii())?;
    println!(
        "Splink {} link              {} persons across joint ventures in {:.1} s (training {:.1} s, prediction {:.1} s; {:.1} s with start-up), {} pairs ≥ 0.9",
        report["splink_version"].as_str().unwrap_or("?"),
        report["records_left"],
        report["seconds_total"].as_f64().unwrap_or(f64::NAN),
        report["seconds_training"].as_f64().unwrap_or(f64::NAN),
        report["seconds_predict"].as_f64().unwrap_or(f64::NAN),
        started.elapsed().as_secs_f64(),
        report["pairs"],
    );
    Ok(())
}

/// What the data set takes on PostgreSQL (the README's sizing): the database, and the largest
/// tables with their indexes.
async fn print_sizes(db: &DatabaseConnection) -> anyhow::Result<()> {
    use sea_orm::{FromQueryResult, Statement};
    #[derive(FromQueryResult)]
    struct Size {
        name: String,
        bytes: i64,
    }
    let sizes = Size::find_by_statement(Statement::from_string(
        sea_orm::DbBackend::Postgres,
        "SELECT 'database' AS name, pg_database_size(current_database()) AS bytes
         UNION ALL
         SELECT * FROM (SELECT relname::text AS name, pg_total_relation_size(oid) AS bytes
           FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace
           ORDER BY 2 DESC LIMIT 4) largest",
    ))
    .all(db)
    .await?;
    for s in sizes {
        println!(
            "size on disk                 {:<12} {:>8.1} MiB (with indexes)",
            s.name,
            s.bytes as f64 / 1_048_576.0
        );
    }
    Ok(())
}
