//! Training the person model on the stored persons (`estimate`) and keeping its parameters:
//! `liaison-server train-matching`, the administrators' page and the background re-scan call
//! [`train`]; every instance puts the latest stored parameters in force with [`load`] at
//! start-up and at each job tick.
//!
//! - **Random pairs**: up to [`RANDOM_PAIRS`] pairs of persons of different joint ventures,
//!   drawn with a fixed seed (the same data gives the same parameters).
//! - **Blocked pairs**: persons of the same full date of birth (the names are learnt on them)
//!   and those sharing a blocking key (λ); each group cut to its first [`MAX_GROUP`] persons, up to [`MAX_BLOCKED`] pairs a
//!   rule (`estimate`).
//! - At most [`MAX_PERSONS`] persons, drawn at random, take part: a random pair's chance of
//!   matching is the same among them, and the prior scales it by all the persons.

use crate::error::AppError;
use crate::overlaps::candidates::Matching;
use crate::overlaps::estimate::{Blocked, Estimate, MAX_MATCHED_SHARE, Sample, estimate};
use crate::overlaps::keys;
use crate::overlaps::model::{Params, Person, compare};
use crate::overlaps::store::{Sharing, case_pair, sharing_where};
use crate::server::caller::Caller;
use crate::server::entity::{case, matching_model, subject};
use crate::{domain::SubjectKind, domain::identifiers::BirthDate, server::time::now};
use rand::{Rng, SeedableRng, rngs::SmallRng, seq::SliceRandom};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap, HashSet};

pub const RANDOM_PAIRS: usize = 1_000_000;
pub const MAX_GROUP: usize = 200;
pub const MAX_BLOCKED: usize = 2_000_000;
pub const MAX_PERSONS: usize = 300_000;
/// Fewer compared pairs than this are too few to estimate eighteen probabilities from.
pub const MIN_BLOCKED: usize = 200;
const SEED: u64 = 19;

/// A stored estimation, as the administrators' page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trained {
    pub trained_at: String,
    pub trained_by: String,
    pub persons: u64,
    pub estimate: Estimate,
}

struct Stored {
    case: i32,
    joint_venture: i32,
    person: Person,
}

/// The persons to train on, each with its case and joint venture.
async fn persons(db: &impl ConnectionTrait) -> Result<Vec<Stored>, AppError> {
    let ventures: HashMap<i32, i32> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::JointVentureId)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    // What a person is compared by, not what was typed.
    let rows = subject::Entity::find()
        .select_only()
        .columns([
            subject::Column::CaseId,
            subject::Column::FamilyKey,
            subject::Column::GivenKey,
            subject::Column::BirthDate,
            subject::Column::Nationality,
        ])
        .filter(subject::Column::Kind.eq(SubjectKind::Person.as_str()))
        .order_by_asc(subject::Column::Id)
        .into_tuple::<(
            i32,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        )>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(case, family, given, birth, nationality)| {
            Some(Stored {
                case,
                joint_venture: *ventures.get(&case)?,
                person: Person::stored(family, given, birth.as_deref(), nationality)?,
            })
        })
        .collect())
}

type Pairs = Vec<(usize, usize)>;

/// The pairs of persons of different joint ventures within each group, each group cut to its
/// first [`MAX_GROUP`] persons (all groups together to [`MAX_BLOCKED`] pairs).
fn pairs_within(people: &[Stored], groups: HashMap<String, Vec<usize>>) -> Pairs {
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() >= 2).collect();
    groups.sort();
    let mut found: HashSet<(usize, usize)> = HashSet::new();
    'all: for group in groups {
        let group = &group[..group.len().min(MAX_GROUP)];
        for (x, &i) in group.iter().enumerate() {
            for &j in &group[x + 1..] {
                if people[i].joint_venture != people[j].joint_venture {
                    found.insert((i.min(j), i.max(j)));
                    if found.len() >= MAX_BLOCKED {
                        break 'all;
                    }
                }
            }
        }
    }
    let mut pairs: Pairs = found.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

/// The pairs the estimation learns from: of the same full date of birth, and those sharing a
/// blocking key as stored (the probes' neighbouring years add little).
fn blocked_pairs(people: &[Stored]) -> (Pairs, Pairs) {
    let mut dates: HashMap<String, Vec<usize>> = HashMap::new();
    let mut keyed: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate() {
        if matches!(p.person.birth, BirthDate::Full(..)) {
            dates.entry(p.person.birth.normal()).or_default().push(i);
        }
        for key in keys::stored(SubjectKind::Person, "", Some(&p.person)) {
            keyed.entry(key).or_default().push(i);
        }
    }
    (pairs_within(people, dates), pairs_within(people, keyed))
}

/// Pairs of different joint ventures, with a given seed.
fn random_pairs(people: &[Stored], rng: &mut SmallRng) -> Vec<(usize, usize)> {
    let n = people.len();
    let mut pairs = Vec::new();
    if n < 2 {
        return pairs;
    }
    let mut tries = 0;
    while pairs.len() < RANDOM_PAIRS.min(n * (n - 1) / 2) && tries < 4 * RANDOM_PAIRS {
        tries += 1;
        let (i, j) = (rng.random_range(0..n), rng.random_range(0..n));
        if i != j && people[i].joint_venture != people[j].joint_venture {
            pairs.push((i, j));
        }
    }
    pairs
}

/// Whether an estimate can be put in force: EM can settle on another split of the pairs than
/// one person against two (namesakes against the rest, say), which shows as matches
/// everywhere or as equal names or dates of birth that no longer tell persons apart. Such an
/// estimate is not stored.
pub fn usable(p: &Params) -> bool {
    let last = |l: &crate::overlaps::model::Levels| l.weight(l.m.len() - 1);
    p.matched_share < MAX_MATCHED_SHARE
        && p.family.weight(0) > 1.0
        && p.birth.weight(0) > 1.0
        && last(&p.family) < -1.0
        && last(&p.birth) < -1.0
}

/// The estimation proper (pure, on the persons read): `None` with fewer than two joint
/// ventures' persons or fewer than [`MIN_BLOCKED`] pairs to compare.
fn learn(mut people: Vec<Stored>, sharing: &Sharing) -> Option<Estimate> {
    let mut rng = SmallRng::seed_from_u64(SEED);
    // A random pair's chance of matching is the same in a random sample of the persons; the
    // prior scales it by all of them.
    let total = people.len() as u64;
    if people.len() > MAX_PERSONS {
        people.shuffle(&mut rng);
        people.truncate(MAX_PERSONS);
    }
    let mut per_venture: BTreeMap<i32, f64> = BTreeMap::new();
    for p in &people {
        *per_venture.entry(p.joint_venture).or_default() += 1.0;
    }
    if per_venture.len() < 2 {
        return None;
    }
    let n = people.len() as f64;
    let cross_pairs = (n * n - per_venture.values().map(|k| k * k).sum::<f64>()) / 2.0;
    // How many persons hold each value, as the persons drawn say of all of them.
    let mut tally: [HashMap<&str, u32>; 5] = Default::default();
    let values = |p: &Person| -> [Option<String>; 5] {
        [
            Some(p.family.clone()),
            p.given.clone(),
            matches!(p.birth, BirthDate::Full(..)).then(|| p.birth.normal()),
            p.nationality.clone(),
            p.given.as_ref().map(|g| format!("{}|{g}", p.family)),
        ]
    };
    let held: Vec<[Option<String>; 5]> = people.iter().map(|p| values(&p.person)).collect();
    for v in &held {
        for (t, value) in tally.iter_mut().zip(v) {
            if let Some(value) = value {
                *t.entry(value.as_str()).or_default() += 1;
            }
        }
    }
    let scale = total as f64 / people.len() as f64;
    let sample = |(i, j): (usize, usize)| {
        let (a, b) = (&people[i], &people[j]);
        let mut counts = [0u32; 5];
        for (k, value) in held[i].iter().enumerate() {
            if let Some(n) = value.as_deref().and_then(|v| tally[k].get(v)) {
                counts[k] = (f64::from(*n) * scale).round().min(f64::from(u32::MAX)) as u32;
            }
        }
        Sample {
            comparison: compare(&a.person, &b.person),
            shared: sharing.contains(&case_pair(a.case, b.case)),
            counts,
        }
    };
    let (by_date, all) = blocked_pairs(&people);
    if all.len() < MIN_BLOCKED {
        return None;
    }
    // u is counted by level only: random pairs need no frequencies.
    let random: Vec<Sample> = random_pairs(&people, &mut rng)
        .into_iter()
        .map(|(i, j)| Sample {
            comparison: compare(&people[i].person, &people[j].person),
            shared: sharing.contains(&case_pair(people[i].case, people[j].case)),
            counts: [0; 5],
        })
        .collect();
    let samples = |pairs: Pairs| pairs.into_iter().map(sample).collect::<Vec<Sample>>();
    let (by_date, all) = (samples(by_date), samples(all));
    Some(estimate(
        &Params::default(),
        &random,
        Blocked {
            by_date: &by_date,
            all: &all,
        },
        total,
        cross_pairs,
    ))
}

/// The estimation on persons given as (joint venture, person), each in a case of its own: what
/// [`train`] computes from the stored persons, for a bench that holds its persons in memory.
pub fn learn_from(persons: Vec<(i32, Person)>) -> Option<Estimate> {
    let people = persons
        .into_iter()
        .enumerate()
        .map(|(k, (joint_venture, person))| Stored {
            case: k as i32,
            joint_venture,
            person,
        })
        .collect();
    learn(people, &Sharing::new())
}

/// Who asked for an estimation.
#[derive(Debug, Clone, Copy)]
pub enum Trainer<'a> {
    /// `liaison-server train-matching`.
    Cli,
    /// The background re-scan, before it replays the subjects.
    Rescan,
    /// An administrator on `/admin/matching` (their user name is kept): audited.
    Admin(&'a Caller),
}

impl Trainer<'_> {
    fn name(&self) -> String {
        match self {
            Trainer::Cli => "cli".into(),
            Trainer::Rescan => "re-scan".into(),
            Trainer::Admin(user) => user.username.clone(),
        }
    }
}

/// Estimates the model from the stored persons, stores it and puts it in force. With fewer
/// than two joint ventures' persons, fewer than [`MIN_BLOCKED`] pairs to compare, or an
/// estimate that is not [`usable`], the parameters in force stay (`None`).
#[tracing::instrument(level = "error", skip_all)]
pub async fn train(
    db: &DatabaseConnection,
    m: &Matching,
    by: Trainer<'_>,
) -> Result<Option<Trained>, AppError> {
    let people = persons(db).await?;
    let total = people.len() as u64;
    let sharing = sharing_where(db, Condition::all()).await?;
    // Comparing a million pairs and EM over them is seconds of work for one core: off the
    // threads that answer requests.
    let found = tokio::task::spawn_blocking(move || learn(people, &sharing))
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "the estimation stopped");
            AppError::Unavailable
        })?;
    let Some(found) = found else {
        return Ok(None);
    };
    if !usable(&found.params) {
        tracing::warn!(
            blocked = found.blocked_pairs,
            matched_share = found.params.matched_share,
            "the person model estimated is not usable; the one in force stays"
        );
        return Ok(None);
    }
    let stored_params = serde_json::to_string(&found.params).unwrap_or_default();
    // In force as stored: every instance reads back the same numbers.
    let params: Params = serde_json::from_str(&stored_params).unwrap_or(found.params.clone());
    let trained_at = now();
    let txn = crate::server::begin_write(db).await?;
    let stored = matching_model::Entity::insert(matching_model::ActiveModel {
        trained_at: Set(trained_at.clone()),
        params: Set(stored_params),
        persons: Set(total as i64),
        random_pairs: Set(found.random_pairs as i64),
        blocked_pairs: Set(found.blocked_pairs as i64),
        iterations: Set(found.iterations as i32),
        converged: Set(found.converged),
        expected_matches: Set(found.expected_matches),
        trained_by: Set(by.name()),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    if let Trainer::Admin(user) = by {
        crate::server::audit::record_by(
            &txn,
            user,
            "train_matching_model",
            "matching_model",
            stored.last_insert_id,
            format!(
                "{total} persons, {} blocked pairs, {} iterations{}",
                found.blocked_pairs,
                found.iterations,
                if found.converged {
                    ""
                } else {
                    ", not converged"
                }
            ),
        )
        .await?;
    }
    txn.commit().await?;
    m.set_params(params);
    tracing::info!(
        persons = total,
        blocked = found.blocked_pairs,
        iterations = found.iterations,
        converged = found.converged,
        "person model trained"
    );
    Ok(Some(Trained {
        trained_at,
        trained_by: by.name(),
        persons: total,
        estimate: found,
    }))
}

/// The latest stored estimation, if any.
pub async fn latest(db: &impl ConnectionTrait) -> Result<Option<Trained>, AppError> {
    let Some(row) = matching_model::Entity::find()
        .order_by_desc(matching_model::Column::Id)
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Ok(params) = serde_json::from_str::<Params>(&row.params) else {
        tracing::warn!(
            id = row.id,
            "stored matching parameters do not read; defaults kept"
        );
        return Ok(None);
    };
    Ok(Some(Trained {
        trained_at: row.trained_at,
        trained_by: row.trained_by,
        persons: row.persons.max(0) as u64,
        estimate: Estimate {
            params,
            random_pairs: row.random_pairs.max(0) as usize,
            blocked_pairs: row.blocked_pairs.max(0) as usize,
            iterations: row.iterations.max(0) as usize,
            converged: row.converged,
            expected_matches: row.expected_matches,
        },
    }))
}

/// Puts the latest stored parameters in force (the defaults while none are stored).
pub async fn load(db: &impl ConnectionTrait, m: &Matching) -> Result<(), AppError> {
    if let Some(trained) = latest(db).await? {
        m.set_params(trained.estimate.params);
    }
    Ok(())
}
