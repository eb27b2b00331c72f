//! Person matching against Splink on labelled data (a benchmark: it prints numbers and asserts
//! nothing).
//!
//! For each kind of noise (`people::Noise`) it generates two files of persons with the true
//! pairs known, then links them twice in the same run:
//! - **Liaison**, through the portal: two agency systems, each of its own joint venture, load
//!   one file each through the REST API's batch endpoint (20 persons per case), every person
//!   matched as it is saved; the overlaps raised between the two are its answer;
//! - **Splink 5** (DuckDB), given the same two files as CSV (`linkage/splink_link.py`: names
//!   with term frequencies, date of birth, nationality, sex; u by random sampling, m by
//!   expectation–maximisation), at match probability ≥ 0.99 and ≥ 0.9.
//!
//! It prints precision, recall, F1 and time for each.
//!
//!   bench-linkage sqlite|postgres [people per scenario, default 5000]
//!   bench-linkage offline [people]: the engine in memory only (no portal, no Splink), with
//!   the comparisons it misses, for calibrating the model
//!
//! `LIAISON_SPLINK_PYTHON` names the Python that has Splink (default
//! `.tools/venv-linkage/bin/python`, as `make bench-linkage` installs it).

#[path = "linkage/names.rs"]
mod names;
#[path = "linkage/people.rs"]
mod people;

use liaison_app::overlaps::{keys, model::Params, model::Person, training};
use liaison_app::server::entity::{case, overlap, subject};
use liaison_tests::{Backend, TestApp, spawn_app};
use people::{Noise, Record, Scenario};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

/// Persons per case in the loads.
const PER_CASE: usize = 20;
const SIDES: [(&str, &str); 2] = [
    ("KMar", "Taskforce Mensensmokkel Noord"),
    ("GAMS", "Ketenaanpak Mensenhandel Amsterdam"),
];

type Pairs = BTreeSet<(String, String)>;

/// Splink's answer: each pair (left id, right id) with its match probability, Splink's version
/// and the seconds it took.
struct SplinkRun {
    pairs: Vec<(String, String, f64)>,
    version: String,
    seconds: f64,
}

/// Precision, recall and F1 of `found` against `truth`.
fn quality(found: &Pairs, truth: &Pairs) -> (f64, f64, f64) {
    let hits = found.intersection(truth).count() as f64;
    let precision = if found.is_empty() {
        1.0
    } else {
        hits / found.len() as f64
    };
    let recall = hits / truth.len().max(1) as f64;
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    (precision, recall, f1)
}

fn subject_json(r: &Record) -> serde_json::Value {
    json!({
        "kind": "person",
        "given_names": r.given,
        "family_name": r.family,
        "birth_date": r.birth,
        "nationality": r.nationality,
        "sex": r.sex,
    })
}

/// `records` in cases of at most `PER_CASE`, two records alike never in one case (a case lists
/// a person once: the API refuses the same subject twice).
fn cases_of(records: &[Record]) -> Vec<Vec<Record>> {
    let mut cases: Vec<(BTreeSet<String>, Vec<Record>)> = Vec::new();
    for r in records {
        let key = format!("{}|{}|{}|{}", r.given, r.family, r.birth, r.nationality).to_lowercase();
        match cases
            .iter_mut()
            .find(|(keys, list)| list.len() < PER_CASE && !keys.contains(&key))
        {
            Some((keys, list)) => {
                keys.insert(key);
                list.push(r.clone());
            }
            None => cases.push((BTreeSet::from([key]), vec![r.clone()])),
        }
    }
    cases.into_iter().map(|(_, list)| list).collect()
}

/// Loads `records` through the API as cases of the client's joint venture (`cases_of`);
/// returns each subject's record id.
async fn load(
    app: &TestApp,
    (token, venture): &(String, i32),
    side: &str,
    records: &[Record],
) -> anyhow::Result<HashMap<i32, String>> {
    let cases = cases_of(records);
    let mut body = String::new();
    for (k, chunk) in cases.iter().enumerate() {
        let reference = format!("{side}-{k}");
        let line = json!({"reference": reference, "case": {
            "title": format!("Linkage {reference}"),
            "theme": "smuggling",
            "status": "active",
            "start": "2026-10-01",
            "handling": "share-on-consent",
            "subjects": chunk.iter().map(subject_json).collect::<Vec<_>>(),
        }});
        body.push_str(&line.to_string());
        body.push('\n');
    }
    let answer = app.api_batch(*venture, token, &body).await;
    anyhow::ensure!(
        answer.status == 200,
        "batch: {} {}",
        answer.status,
        &answer.body[..answer.body.len().min(2000)]
    );
    // The subjects of each case in id order are its persons in the order sent.
    let mut ids = HashMap::new();
    for (k, chunk) in cases.iter().enumerate() {
        let found = case::Entity::find()
            .filter(case::Column::JointVentureId.eq(*venture))
            .filter(case::Column::Reference.eq(format!("{side}-{k}")))
            .one(&app.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("case {side}-{k} not stored"))?;
        let subjects = subject::Entity::find()
            .filter(subject::Column::CaseId.eq(found.id))
            .order_by_asc(subject::Column::Id)
            .all(&app.db)
            .await?;
        anyhow::ensure!(
            subjects.len() == chunk.len(),
            "case {side}-{k}: {} subjects stored for {} sent",
            subjects.len(),
            chunk.len()
        );
        for (s, r) in subjects.iter().zip(chunk) {
            ids.insert(s.id, r.id.clone());
        }
    }
    Ok(ids)
}

/// Liaison's answer: the person overlaps raised between the two loads (all, and the likely
/// ones), the seconds both loads took, and the app (to train the model on). With `params`,
/// that person model is in force; otherwise the defaults.
async fn liaison(
    scenario: &Scenario,
    params: Option<Params>,
) -> anyhow::Result<(Pairs, Pairs, f64, TestApp)> {
    let app = spawn_app().await;
    if let Some(params) = params {
        app.matching.set_params(params);
    }
    let mut clients = Vec::new();
    for (organisation, venture) in SIDES {
        clients.push(
            app.loading_client(organisation, venture, &["cases:write", "subjects:write"])
                .await,
        );
    }
    let started = Instant::now();
    let mut ids = load(&app, &clients[0], "L", &scenario.left).await?;
    ids.extend(load(&app, &clients[1], "R", &scenario.right).await?);
    let seconds = started.elapsed().as_secs_f64();
    let left: BTreeSet<&String> = scenario.left.iter().map(|r| &r.id).collect();
    let (mut all, mut likely) = (Pairs::new(), Pairs::new());
    for o in overlap::Entity::find()
        .filter(overlap::Column::Kind.eq("subject"))
        .all(&app.db)
        .await?
    {
        let (Some(a), Some(b)) = (ids.get(&o.first_item_id), ids.get(&o.second_item_id)) else {
            continue;
        };
        let pair = if left.contains(a) {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        if o.score >= liaison_app::overlaps::score::LIKELY {
            likely.insert(pair.clone());
        }
        all.insert(pair);
    }
    Ok((all, likely, seconds, app))
}

/// A record as matching sees it (as the API would store it), if it has a family name.
fn person_of(r: &Record) -> Option<Person> {
    use liaison_app::domain::identifiers::{BirthDate, name_key};
    Some(Person {
        given: name_key(&r.given).ok().map(|n| n.normal),
        family: name_key(&r.family).ok()?.normal,
        birth: BirthDate::parse(&r.birth, 2026).unwrap_or(BirthDate::Unknown),
        nationality: (!r.nationality.is_empty()).then(|| r.nationality.to_uppercase()),
    })
}

/// Blocking alone: the share of true pairs whose right record's probes meet a key its left
/// record is filed under, and how many left records each right record's probes find (mean,
/// p99, most).
fn blocking(scenario: &Scenario) -> (f64, f64, usize, usize) {
    use liaison_app::domain::SubjectKind::Person as P;
    let mut filed: HashMap<String, Vec<&str>> = HashMap::new();
    for r in &scenario.left {
        for key in person_of(r).map_or_else(BTreeSet::new, |p| keys::stored(P, "", Some(&p))) {
            filed.entry(key).or_default().push(&r.id);
        }
    }
    let mut found: Pairs = Pairs::new();
    let mut counts = Vec::new();
    for r in &scenario.right {
        let probes = person_of(r).map_or_else(BTreeSet::new, |p| keys::probes(P, "", Some(&p)));
        let candidates: BTreeSet<&str> = probes
            .iter()
            .filter_map(|k| filed.get(k))
            .flatten()
            .copied()
            .collect();
        counts.push(candidates.len());
        found.extend(candidates.into_iter().map(|l| (l.to_owned(), r.id.clone())));
    }
    counts.sort_unstable();
    let kept =
        scenario.truth.intersection(&found).count() as f64 / scenario.truth.len().max(1) as f64;
    let mean = counts.iter().sum::<usize>() as f64 / counts.len().max(1) as f64;
    let p99 = counts
        .get(counts.len() * 99 / 100)
        .copied()
        .unwrap_or_default();
    (kept, mean, p99, counts.last().copied().unwrap_or_default())
}

/// The engine without the portal, for calibrating: the same blocking keys, model and policy on
/// the records in memory, term frequencies counted over both files. Returns the pairs raised,
/// the likely ones, and the comparisons of the true pairs missed and of the false pairs
/// raised (most frequent first).
fn in_memory(scenario: &Scenario, params: &Params) -> (Pairs, Pairs, Patterns, Patterns) {
    use liaison_app::domain::SubjectKind::Person as P;
    use liaison_app::overlaps::{model::Counts, score};
    let left: Vec<(&Record, Person)> = scenario
        .left
        .iter()
        .filter_map(|r| Some((r, person_of(r)?)))
        .collect();
    let right: Vec<(&Record, Person)> = scenario
        .right
        .iter()
        .filter_map(|r| Some((r, person_of(r)?)))
        .collect();
    let mut tally: [HashMap<String, u64>; 5] = Default::default();
    let full_name = |p: &Person| p.given.as_ref().map(|g| format!("{}|{g}", p.family));
    for (_, p) in left.iter().chain(&right) {
        let values = [
            Some(p.family.clone()),
            p.given.clone(),
            Some(p.birth.normal()).filter(|d| !d.is_empty()),
            p.nationality.clone(),
            full_name(p),
        ];
        for (t, v) in tally.iter_mut().zip(values) {
            if let Some(v) = v {
                *t.entry(v).or_default() += 1;
            }
        }
    }
    let persons = (left.len() + right.len()) as u64;
    let count = |t: &HashMap<String, u64>, v: Option<&String>| {
        v.and_then(|v| t.get(v)).copied().unwrap_or_default()
    };
    let mut filed: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, (_, p)) in left.iter().enumerate() {
        for key in keys::stored(P, "", Some(p)) {
            filed.entry(key).or_default().push(i);
        }
    }
    let (mut all, mut likely) = (Pairs::new(), Pairs::new());
    let (mut missed, mut wrong): (HashMap<String, usize>, HashMap<String, usize>) =
        Default::default();
    let pattern = |a: &Person, b: &Person| {
        let c = liaison_app::overlaps::model::compare(a, b);
        format!(
            "{}{} {:?} {:?} {}{:?}",
            if c.swapped { "swapped " } else { "" },
            c.family.code(),
            c.given.map(|g| g.code()),
            c.birth.map(|b| b.code()),
            if c.birth_partial { "partial " } else { "" },
            c.nationality.map(|n| n.code()),
        )
    };
    for (r, p) in &right {
        let counts = Counts {
            persons,
            family: count(&tally[0], Some(&p.family)),
            given: count(&tally[1], p.given.as_ref()),
            birth: count(&tally[2], Some(&p.birth.normal())),
            nationality: count(&tally[3], p.nationality.as_ref()),
            name: count(&tally[4], full_name(p).as_ref()),
        };
        let candidates: BTreeSet<usize> = keys::probes(P, "", Some(p))
            .iter()
            .filter_map(|k| filed.get(k))
            .flatten()
            .copied()
            .collect();
        for i in candidates {
            let (l, lp) = &left[i];
            let pair = (l.id.clone(), r.id.clone());
            if let Some(s) = score::score(params, &counts, p, lp, false) {
                if s.score >= score::LIKELY {
                    likely.insert(pair.clone());
                }
                if !scenario.truth.contains(&pair) {
                    *wrong.entry(pattern(lp, p)).or_default() += 1;
                }
                all.insert(pair);
            }
        }
    }
    let by_id: HashMap<&str, &Person> = left
        .iter()
        .chain(&right)
        .map(|(r, p)| (r.id.as_str(), p))
        .collect();
    for pair in scenario.truth.difference(&all) {
        let key = match (by_id.get(pair.0.as_str()), by_id.get(pair.1.as_str())) {
            (Some(a), Some(b)) => pattern(a, b),
            _ => "no family name".to_owned(),
        };
        *missed.entry(key).or_default() += 1;
    }
    let ranked = |m: HashMap<String, usize>| {
        let mut v: Patterns = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    (all, likely, ranked(missed), ranked(wrong))
}

type Patterns = Vec<(String, usize)>;

/// `bench-linkage offline [people]`: Liaison's engine in memory on every scenario, with the
/// defaults and with the model trained on the same records, and the comparisons it misses.
fn offline(people: usize) {
    println!(
        "{:<20} {:<28} {:>9} {:>7} {:>7} {:>8}",
        "scenario", "matcher", "precision", "recall", "F1", "pairs"
    );
    for (n, noise) in Noise::ALL.into_iter().enumerate() {
        let scenario = people::scenario(noise, people, 1_000 + n as u64);
        let name = noise.name();
        let defaults = Params::default();
        let (all, likely, missed, wrong) = in_memory(&scenario, &defaults);
        row(
            name,
            "in memory defaults, likely",
            &likely,
            &scenario.truth,
            0.0,
        );
        row(name, "in memory defaults, all", &all, &scenario.truth, 0.0);
        for (what, list) in [("missed", &missed), ("wrong", &wrong)] {
            for (p, k) in list.iter().take(6) {
                println!("{name:<20}   {what} {k:>5}  {p}");
            }
        }
        let persons: Vec<(i32, Person)> = scenario
            .left
            .iter()
            .filter_map(|r| Some((1, person_of(r)?)))
            .chain(
                scenario
                    .right
                    .iter()
                    .filter_map(|r| Some((2, person_of(r)?))),
            )
            .collect();
        match training::learn_from(persons) {
            Some(e) => {
                let p = &e.params;
                println!(
                    "{name:<20}   trained (usable {}): {}",
                    training::usable(p),
                    weights_line(p)
                );
                let (all, likely, _, _) = in_memory(&scenario, p);
                row(
                    name,
                    "in memory trained, likely",
                    &likely,
                    &scenario.truth,
                    0.0,
                );
                row(name, "in memory trained, all", &all, &scenario.truth, 0.0);
            }
            None => println!("{name:<20}   nothing trained"),
        }
    }
}

fn weights_line(p: &Params) -> String {
    let weights = |l: &liaison_app::overlaps::model::Levels| {
        (0..l.m.len())
            .map(|i| format!("{:+.1}", l.weight(i)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    format!(
        "family [{}] given [{}] birth [{}] partial birth [{}] nationality [{}]; swapped {:.3}, matched share {:.3}",
        weights(&p.family),
        weights(&p.given),
        weights(&p.birth),
        weights(&p.birth_partial),
        weights(&p.nationality),
        p.swapped,
        p.matched_share
    )
}

/// Splink's answer at match probability ≥ 0.9.
fn splink(scenario: &Scenario, dir: &std::path::Path) -> anyhow::Result<SplinkRun> {
    let (left, right, out) = (
        dir.join("left.csv"),
        dir.join("right.csv"),
        dir.join("splink.csv"),
    );
    people::write_csv(&left, &scenario.left)?;
    people::write_csv(&right, &scenario.right)?;
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = std::env::var("LIAISON_SPLINK_PYTHON").unwrap_or_else(|_| {
        root.join("../.tools/venv-linkage/bin/python")
            .display()
            .to_string()
    });
    let run = std::process::Command::new(&python)
        .arg(root.join("bench/linkage/splink_link.py"))
        .args([&left, &right, &out])
        .args(["--threshold", "0.9"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| anyhow::anyhow!("{python}: {e} (make bench-linkage installs Splink)"))?;
    anyhow::ensure!(run.status.success(), "Splink failed: {}", run.status);
    let report: serde_json::Value =
        serde_json::from_slice(run.stdout.trim_ascii()).map_err(|e| {
            anyhow::anyhow!(
                "Splink's report: {e}: {}",
                String::from_utf8_lossy(&run.stdout)
            )
        })?;
    let mut pairs = Vec::new();
    for line in std::fs::read_to_string(&out)?.lines().skip(1) {
        let mut fields = line.split(',');
        if let (Some(l), Some(r), Some(p)) = (fields.next(), fields.next(), fields.next()) {
            pairs.push((l.to_owned(), r.to_owned(), p.parse()?));
        }
    }
    Ok(SplinkRun {
        pairs,
        version: report["splink_version"].as_str().unwrap_or("?").to_owned(),
        seconds: report["seconds_total"].as_f64().unwrap_or(f64::NAN),
    })
}

fn row(scenario: &str, matcher: &str, found: &Pairs, truth: &Pairs, seconds: f64) {
    let (p, r, f1) = quality(found, truth);
    println!(
        "{scenario:<20} {matcher:<28} {p:>9.4} {r:>7.3} {f1:>7.3} {:>8} {seconds:>8.1}",
        found.len()
    );
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let backend = args.get(1).map(String::as_str).unwrap_or("sqlite");
    if backend == "offline" {
        offline(args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5_000));
        return Ok(());
    }
    // SAFETY: set before any other thread reads the environment; the test database helper
    // reads this variable.
    unsafe { std::env::set_var("LIAISON_TEST_DATABASE", backend) };
    let people: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let dir = tempfile::tempdir()?;
    println!(
        "Liaison on {}, {people} people per scenario in the left file; Splink on the same CSV files",
        match liaison_tests::backend() {
            Backend::Postgres => "PostgreSQL",
            Backend::Sqlite => "SQLite",
        }
    );
    println!(
        "{:<20} {:<28} {:>9} {:>7} {:>7} {:>8} {:>8}",
        "scenario", "matcher", "precision", "recall", "F1", "pairs", "seconds"
    );
    for (n, noise) in Noise::ALL.into_iter().enumerate() {
        let scenario = people::scenario(noise, people, 1_000 + n as u64);
        let name = noise.name();
        let truth = &scenario.truth;
        let SplinkRun {
            pairs: splink_pairs,
            version,
            seconds: splink_seconds,
        } = splink(&scenario, dir.path())?;
        let at = |threshold: f64| -> Pairs {
            splink_pairs
                .iter()
                .filter(|(_, _, p)| *p >= threshold)
                .map(|(l, r, _)| (l.clone(), r.clone()))
                .collect()
        };
        let (all, likely, seconds, app) = liaison(&scenario, None).await?;
        // The model estimated from what the first run stored (as `train-matching` would),
        // then in force for the same loads into a fresh portal.
        let started = Instant::now();
        let trained = training::train(&app.db, &app.matching, training::Trainer::Cli)
            .await
            .map_err(|e| anyhow::anyhow!("training: {e}"))?;
        let training_seconds = started.elapsed().as_secs_f64();
        drop(app);
        let trained_run = match &trained {
            Some(t) => Some(liaison(&scenario, Some(t.estimate.params.clone())).await?),
            None => None,
        };
        row(
            name,
            &format!("Splink {version}, p ≥ 0.99"),
            &at(0.99),
            truth,
            splink_seconds,
        );
        row(
            name,
            &format!("Splink {version}, p ≥ 0.9"),
            &at(0.9),
            truth,
            splink_seconds,
        );
        row(name, "Liaison defaults, likely", &likely, truth, seconds);
        row(name, "Liaison defaults, all", &all, truth, seconds);
        match (&trained, trained_run) {
            (Some(trained), Some((trained_all, trained_likely, trained_seconds, _))) => {
                row(
                    name,
                    "Liaison trained, likely",
                    &trained_likely,
                    truth,
                    trained_seconds,
                );
                row(
                    name,
                    "Liaison trained, all",
                    &trained_all,
                    truth,
                    trained_seconds,
                );
                println!(
                    "{name:<20} trained weights: {}",
                    weights_line(&trained.estimate.params)
                );
                println!(
                    "{name:<20} (trained in {training_seconds:.1} s on {} compared pairs, {} iterations, {:.0} expected matches)",
                    trained.estimate.blocked_pairs,
                    trained.estimate.iterations,
                    trained.estimate.expected_matches,
                );
            }
            _ => println!(
                "{name:<20} training refused the estimate (too little data, or it does not tell persons apart): the defaults stay ({training_seconds:.1} s)"
            ),
        }
        let (kept, mean, p99, most) = blocking(&scenario);
        println!(
            "{name:<20} blocking keeps {:.2} % of the true pairs; candidates per person: mean {mean:.1}, p99 {p99}, most {most}",
            kept * 100.0
        );
        println!(
            "{name:<20} ({} left, {} right, {} true pairs)",
            scenario.left.len(),
            scenario.right.len(),
            truth.len(),
        );
    }
    Ok(())
}
