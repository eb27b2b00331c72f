//! Overlap detection and the pointer views. Detection runs inside the transaction that saves a
//! subject or an operation, against the other joint ventures' data, through indexed blocking
//! keys (`match_key`, keyed hashes) and an indexed time window; the re-scan replays the same
//! steps over everything in id order, so it finds exactly what saving found.

use super::{
    audit::{self, Actor, Event, Outcome},
    auth::client_address,
    entity::{
        benign_value, case, case_share, false_match, joint_venture, match_key, operation, overlap,
        subject, user_account,
    },
};
use crate::{
    auth::SignedInUser,
    authorize::{Action, Object, may},
    domain::{Handling, SubjectKind},
    error::AppError,
    i18n::*,
    language::request_locale,
    overlaps::{
        Evidence, OverlapFilter, OverlapRow, OverlapView, Side,
        keys::{self, MatchSecret},
        score::{self, Person},
    },
    partnerships::Named,
    subjects::normalise::BirthDate,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

fn unexpected(err: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %err, "overlaps failed");
    AppError::Unavailable
}

/// Operations of different joint ventures closer than this, in overlapping windows, conflict.
pub const DEFAULT_CONFLICT_METRES: f64 = 500.0;

/// The most candidates one save compares: blocking keys are narrow (a name token with a birth
/// year), so more than this means a value too common to be evidence (see the benign list).
const MAX_CANDIDATES: u64 = 500;

/// What detection needs from the server: the key secret and the conflict distance.
#[derive(Debug, Clone)]
pub struct Matching {
    pub secret: MatchSecret,
    pub conflict_metres: f64,
}

impl Matching {
    pub fn new(server_secret: &str) -> Self {
        Matching {
            secret: MatchSecret::derive(server_secret),
            conflict_metres: DEFAULT_CONFLICT_METRES,
        }
    }
}

/// The matching settings the server put into the request context.
pub fn matching() -> Result<Matching, AppError> {
    leptos::prelude::use_context::<Matching>().ok_or_else(|| {
        tracing::error!("no matching settings in the request context");
        AppError::Unavailable
    })
}

pub fn person_of(s: &subject::Model) -> Option<Person> {
    let family = s.family_key.clone()?;
    let birth = s
        .birth_date
        .as_deref()
        .and_then(|d| BirthDate::parse(d, 9999).ok())
        .unwrap_or(BirthDate::Unknown);
    Some(Person {
        given: s.given_key.clone(),
        family,
        birth,
        nationality: s.nationality.clone(),
    })
}

fn now() -> String {
    super::utc_text(chrono::Utc::now())
}

/// One match found, before it is stored: `a` is the item just saved.
struct Found {
    kind: &'static str,
    match_kind: String,
    a: (i32, i32, i32),
    b: (i32, i32, i32),
    score: f64,
    evidence: Evidence,
    urgent: bool,
    /// What makes this the same evidence again (hashed before it is stored).
    material: String,
}

async fn handling_allows(
    db: &impl ConnectionTrait,
    case_id: i32,
    other_jv: i32,
) -> Result<(bool, bool), AppError> {
    // (may ever disclose, consents without asking)
    let Some(found) = case::Entity::find_by_id(case_id)
        .one(db)
        .await
        .map_err(unexpected)?
    else {
        return Ok((false, false));
    };
    Ok(match found.handling.parse::<Handling>() {
        Ok(Handling::PointerOnly) | Err(_) => (false, false),
        Ok(Handling::ShareOnConsent) => (true, false),
        Ok(Handling::SharedWith) => {
            let named = case_share::Entity::find()
                .filter(case_share::Column::CaseId.eq(case_id))
                .filter(case_share::Column::JointVentureId.eq(other_jv))
                .one(db)
                .await
                .map_err(unexpected)?
                .is_some();
            (true, named)
        }
    })
}

/// Stores a found overlap unless it is there already or its evidence was judged a false match.
/// Returns whether it is new.
async fn store(db: &impl ConnectionTrait, m: &Matching, found: Found) -> Result<bool, AppError> {
    let evidence_hash = m.secret.hash(&found.material);
    if false_match::Entity::find_by_id(evidence_hash.clone())
        .one(db)
        .await
        .map_err(unexpected)?
        .is_some()
    {
        return Ok(false);
    }
    let (first, second) = if found.a.0 <= found.b.0 {
        (found.a, found.b)
    } else {
        (found.b, found.a)
    };
    let exists = overlap::Entity::find()
        .filter(overlap::Column::Kind.eq(found.kind))
        .filter(overlap::Column::FirstItemId.eq(first.0))
        .filter(overlap::Column::SecondItemId.eq(second.0))
        .one(db)
        .await
        .map_err(unexpected)?
        .is_some();
    if exists {
        return Ok(false);
    }
    let (_, first_consents) = handling_allows(db, first.1, second.2).await?;
    let (_, second_consents) = handling_allows(db, second.1, first.2).await?;
    let now = now();
    let stored = overlap::ActiveModel {
        kind: Set(found.kind.to_owned()),
        match_kind: Set(found.match_kind),
        first_case_id: Set(first.1),
        second_case_id: Set(second.1),
        first_joint_venture_id: Set(first.2),
        second_joint_venture_id: Set(second.2),
        first_item_id: Set(first.0),
        second_item_id: Set(second.0),
        score: Set(found.score),
        explanation: Set(serde_json::to_string(&found.evidence).unwrap_or_default()),
        urgent: Set(found.urgent),
        evidence: Set(evidence_hash),
        first_consents: Set(first_consents),
        second_consents: Set(second_consents),
        disclosed_at: Set((first_consents && second_consents).then(|| now.clone())),
        state: Set("open".to_owned()),
        created_at: Set(now),
        version: Set(1),
        ruled: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(unexpected)?;
    super::deconfliction::on_found(db, &stored, &super::deconfliction::settings().mail).await?;
    Ok(true)
}

/// Case pairs (lower id first) known to share an identifier overlap: with one, a person
/// matched on name alone is corroborated.
type Sharing = HashSet<(i32, i32)>;

fn case_pair(a: i32, b: i32) -> (i32, i32) {
    (a.min(b), a.max(b))
}

fn identifier_overlaps() -> sea_orm::Select<overlap::Entity> {
    overlap::Entity::find()
        .filter(overlap::Column::Kind.eq("subject"))
        .filter(overlap::Column::MatchKind.ne(SubjectKind::Person.as_str()))
}

/// The pairs of `case_id` with any of `others` that share an identifier: one query per save.
async fn sharing_among(
    db: &impl ConnectionTrait,
    case_id: i32,
    others: BTreeSet<i32>,
) -> Result<Sharing, AppError> {
    if others.is_empty() {
        return Ok(Sharing::new());
    }
    let either = Condition::any()
        .add(
            Condition::all()
                .add(overlap::Column::FirstCaseId.eq(case_id))
                .add(overlap::Column::SecondCaseId.is_in(others.clone())),
        )
        .add(
            Condition::all()
                .add(overlap::Column::SecondCaseId.eq(case_id))
                .add(overlap::Column::FirstCaseId.is_in(others)),
        );
    sharing_where(db, either).await
}

/// The case pairs of the identifier overlaps that meet `condition`.
async fn sharing_where(
    db: &impl ConnectionTrait,
    condition: Condition,
) -> Result<Sharing, AppError> {
    Ok(identifier_overlaps()
        .filter(condition)
        .select_only()
        .column(overlap::Column::FirstCaseId)
        .column(overlap::Column::SecondCaseId)
        .into_tuple::<(i32, i32)>()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|(a, b)| case_pair(a, b))
        .collect())
}

fn person_found(
    a: &subject::Model,
    a_jv: i32,
    b: &subject::Model,
    b_jv: i32,
    scored: score::Scored,
) -> Found {
    Found {
        kind: "subject",
        match_kind: SubjectKind::Person.as_str().to_owned(),
        a: (a.id, a.case_id, a_jv),
        b: (b.id, b.case_id, b_jv),
        score: scored.score,
        evidence: Evidence::Person(scored.reasons),
        urgent: false,
        material: subject_material(a, b),
    }
}

/// What makes a pair of subjects the same evidence: their cases and values, not their ids (a
/// subject removed and entered again is the same evidence).
fn subject_material(a: &subject::Model, b: &subject::Model) -> String {
    let side = |s: &subject::Model| {
        format!(
            "{}|{}|{}",
            s.case_id,
            s.normal,
            s.birth_date.clone().unwrap_or_default()
        )
    };
    let (x, y) = (side(a), side(b));
    let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
    format!("{}|{lo}|{hi}", a.kind)
}

fn operation_material(a: i32, b: i32) -> String {
    format!("operation|{}|{}", a.min(b), a.max(b))
}

/// After the secret changed: every overlap's evidence hash, and the false-match memory that
/// refers to it, computed again with the current secret.
async fn rekey_evidence(db: &DatabaseConnection, m: &Matching) -> Result<(), AppError> {
    let all = overlap::Entity::find().all(db).await.map_err(unexpected)?;
    for o in all {
        let material = if o.kind == "operation" {
            operation_material(o.first_item_id, o.second_item_id)
        } else {
            let items = subject::Entity::find()
                .filter(subject::Column::Id.is_in([o.first_item_id, o.second_item_id]))
                .all(db)
                .await
                .map_err(unexpected)?;
            let [a, b] = items.as_slice() else { continue };
            subject_material(a, b)
        };
        let fresh = m.secret.hash(&material);
        if fresh == o.evidence {
            continue;
        }
        let txn = db.begin().await.map_err(unexpected)?;
        false_match::Entity::update_many()
            .col_expr(
                false_match::Column::Evidence,
                sea_orm::sea_query::Expr::value(fresh.clone()),
            )
            .filter(false_match::Column::Evidence.eq(o.evidence.clone()))
            .exec(&txn)
            .await
            .map_err(unexpected)?;
        let mut active: overlap::ActiveModel = o.into();
        active.evidence = Set(fresh);
        active.update(&txn).await.map_err(unexpected)?;
        txn.commit().await.map_err(unexpected)?;
    }
    Ok(())
}

/// The blocking-key rows a subject is filed under.
fn key_rows(m: &Matching, s: &subject::Model, jv: i32) -> Vec<match_key::ActiveModel> {
    let Ok(kind) = s.kind.parse::<SubjectKind>() else {
        return Vec::new();
    };
    keys::stored(kind, &s.normal, person_of(s).as_ref())
        .iter()
        .map(|k| match_key::ActiveModel {
            subject_id: Set(s.id),
            case_id: Set(s.case_id),
            joint_venture_id: Set(jv),
            key_hash: Set(m.secret.hash(k)),
            ..Default::default()
        })
        .collect()
}

/// The hashed keys a subject looks up, less those on the benign list.
fn probe_hashes(m: &Matching, s: &subject::Model, benign: &BTreeSet<String>) -> BTreeSet<String> {
    let Ok(kind) = s.kind.parse::<SubjectKind>() else {
        return BTreeSet::new();
    };
    keys::probes(kind, &s.normal, person_of(s).as_ref())
        .iter()
        .map(|k| m.secret.hash(k))
        .filter(|hash| !benign.contains(hash))
        .collect()
}

/// The benign list's unexpired hashes, of those asked about (all of them with `None`).
async fn benign_hashes(
    db: &impl ConnectionTrait,
    among: Option<&BTreeSet<String>>,
) -> Result<BTreeSet<String>, AppError> {
    let today = chrono::Local::now().date_naive();
    let mut query = benign_value::Entity::find().filter(benign_value::Column::ExpiresOn.gte(today));
    if let Some(among) = among {
        query = query.filter(benign_value::Column::KeyHash.is_in(among.iter().cloned()));
    }
    Ok(query
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|b| b.key_hash)
        .collect())
}

/// The hashed keys `s` looks up, less those on the benign list now.
async fn live_probes(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<Vec<String>, AppError> {
    let probes = probe_hashes(m, s, &BTreeSet::new());
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let benign = benign_hashes(db, Some(&probes)).await?;
    Ok(probes.difference(&benign).cloned().collect())
}

/// The subjects (with their joint ventures) filed under any of `probes` and meeting `also`,
/// those sharing the most keys first: with a very common name the closest ones are compared,
/// not an arbitrary few. The re-scan ranks the same way in memory.
async fn candidates(
    db: &impl ConnectionTrait,
    probes: Vec<String>,
    also: Condition,
) -> Result<BTreeMap<i32, i32>, AppError> {
    Ok(match_key::Entity::find()
        .select_only()
        .column(match_key::Column::SubjectId)
        .column(match_key::Column::JointVentureId)
        .column_as(match_key::Column::Id.count(), "hits")
        .filter(match_key::Column::KeyHash.is_in(probes))
        .filter(also)
        .group_by(match_key::Column::SubjectId)
        .group_by(match_key::Column::JointVentureId)
        .order_by_desc(sea_orm::sea_query::Expr::col(
            sea_orm::sea_query::Alias::new("hits"),
        ))
        .order_by_asc(match_key::Column::SubjectId)
        .limit(MAX_CANDIDATES)
        .into_tuple::<(i32, i32, i64)>()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|(subject_id, joint_venture_id, _)| (subject_id, joint_venture_id))
        .collect())
}

/// Matches a subject just stored (id `s.id`, case in joint venture `jv`) against the subjects
/// of other joint ventures stored before it. Returns how many overlaps were new.
pub async fn on_subject_saved(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
    jv: i32,
) -> Result<usize, AppError> {
    let rows = key_rows(m, s, jv);
    if !rows.is_empty() {
        match_key::Entity::insert_many(rows)
            .exec(db)
            .await
            .map_err(unexpected)?;
    }
    let probes = live_probes(db, m, s).await?;
    if probes.is_empty() {
        return Ok(0);
    }
    let candidates = candidates(
        db,
        probes,
        Condition::all()
            .add(match_key::Column::JointVentureId.ne(jv))
            .add(match_key::Column::SubjectId.lt(s.id)),
    )
    .await?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let others = subject::Entity::find()
        .filter(subject::Column::Id.is_in(candidates.keys().copied()))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    let mut sharing = if s.family_key.is_some() {
        sharing_among(db, s.case_id, others.iter().map(|o| o.case_id).collect()).await?
    } else {
        Sharing::new()
    };
    let others = others
        .iter()
        .filter_map(|o| Some((o, *candidates.get(&o.id)?)))
        .collect();
    compare(db, m, s, jv, others, &mut sharing).await
}

/// A case subject that matches a subject outside the cases (a signal's).
#[derive(Debug, Clone)]
pub struct CaseMatch {
    pub subject: subject::Model,
    pub joint_venture_id: i32,
    pub match_kind: String,
    pub score: f64,
    pub evidence: Evidence,
}

/// Matches `s`, a subject that is not a case's (a signal's: its id and case are not used),
/// against every case subject through the blocking keys, as a save would; values on the
/// benign list raise nothing, and a person needs a corroborating date of birth or nationality.
pub async fn case_matches(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<Vec<CaseMatch>, AppError> {
    let Ok(kind) = s.kind.parse::<SubjectKind>() else {
        return Ok(Vec::new());
    };
    let probes = live_probes(db, m, s).await?;
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let candidates = candidates(db, probes, Condition::all()).await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let person = person_of(s);
    let others = subject::Entity::find()
        .filter(subject::Column::Id.is_in(candidates.keys().copied()))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await
        .map_err(unexpected)?;
    Ok(others
        .into_iter()
        .filter(|o| o.kind == s.kind)
        .filter_map(|o| {
            let (score, evidence) = match (&person, person_of(&o)) {
                (Some(mine), Some(theirs)) if kind == SubjectKind::Person => {
                    let scored = score::score(mine, &theirs, false)?;
                    (scored.score, Evidence::Person(scored.reasons))
                }
                _ if o.normal == s.normal => (1.0, Evidence::SameIdentifier),
                _ => return None,
            };
            Some(CaseMatch {
                joint_venture_id: *candidates.get(&o.id)?,
                match_kind: kind.as_str().to_owned(),
                subject: o,
                score,
                evidence,
            })
        })
        .collect())
}

/// Compares a saved subject with its candidates (each with its joint venture, in id order)
/// and stores what matches. Returns how many overlaps were new.
async fn compare(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
    jv: i32,
    candidates: Vec<(&subject::Model, i32)>,
    sharing: &mut Sharing,
) -> Result<usize, AppError> {
    let kind: SubjectKind = s.kind.parse().map_err(unexpected)?;
    let person = person_of(s);
    let mut new = 0;
    for (other, other_jv) in candidates {
        if other.kind != s.kind {
            continue;
        }
        let found = match (&person, person_of(other)) {
            (Some(mine), Some(theirs)) if kind == SubjectKind::Person => {
                // The shared-identifier lookup only for a pair it could decide.
                let scored = match score::score(mine, &theirs, false) {
                    Some(scored) => Some(scored),
                    None if score::score(mine, &theirs, true).is_some()
                        && sharing.contains(&case_pair(s.case_id, other.case_id)) =>
                    {
                        score::score(mine, &theirs, true)
                    }
                    None => None,
                };
                scored.map(|scored| person_found(s, jv, other, other_jv, scored))
            }
            _ if other.normal == s.normal => Some(Found {
                kind: "subject",
                match_kind: kind.as_str().to_owned(),
                a: (s.id, s.case_id, jv),
                b: (other.id, other.case_id, other_jv),
                score: 1.0,
                evidence: Evidence::SameIdentifier,
                urgent: false,
                material: subject_material(s, other),
            }),
            _ => None,
        };
        let Some(found) = found else { continue };
        let exact = kind != SubjectKind::Person;
        if store(db, m, found).await? {
            new += 1;
            if exact {
                sharing.insert(case_pair(s.case_id, other.case_id));
                new += persons_between(db, m, (s.case_id, jv), (other.case_id, other_jv)).await?;
            }
        }
    }
    Ok(new)
}

/// Once two cases share an identifier, their persons are compared with that as corroboration.
async fn persons_between(
    db: &impl ConnectionTrait,
    m: &Matching,
    (case_a, jv_a): (i32, i32),
    (case_b, jv_b): (i32, i32),
) -> Result<usize, AppError> {
    // By case only, so that the case index is used (a case has few subjects; `kind` would
    // tempt SQLite into the far larger kind index).
    let persons = |case_id: i32| async move {
        Ok::<_, AppError>(
            subject::Entity::find()
                .filter(subject::Column::CaseId.eq(case_id))
                .all(db)
                .await
                .map_err(unexpected)?
                .into_iter()
                .filter(|s| s.kind == SubjectKind::Person.as_str())
                .collect::<Vec<_>>(),
        )
    };
    let (ours, theirs) = (persons(case_a).await?, persons(case_b).await?);
    let mut new = 0;
    for a in &ours {
        for b in &theirs {
            let (Some(pa), Some(pb)) = (person_of(a), person_of(b)) else {
                continue;
            };
            if let Some(scored) = score::score(&pa, &pb, true)
                && store(db, m, person_found(a, jv_a, b, jv_b, scored)).await?
            {
                new += 1;
            }
        }
    }
    Ok(new)
}

fn metres_between((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH: f64 = 6_371_000.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH * h.sqrt().asin()
}

/// Matches an operation just stored against earlier operations of other joint ventures: close
/// in place (within `conflict_metres`) and overlapping in time is an urgent conflict.
pub async fn on_operation_saved(
    db: &impl ConnectionTrait,
    m: &Matching,
    op: &operation::Model,
    jv: i32,
) -> Result<usize, AppError> {
    let dlat = m.conflict_metres / 111_320.0;
    let dlon = m.conflict_metres / (111_320.0 * op.latitude.to_radians().cos().max(0.01));
    let near = operation::Entity::find()
        .filter(operation::Column::Id.lt(op.id))
        .filter(operation::Column::StartsAt.lt(op.ends_at))
        .filter(operation::Column::EndsAt.gt(op.starts_at))
        .filter(operation::Column::Latitude.between(op.latitude - dlat, op.latitude + dlat))
        .filter(operation::Column::Longitude.between(op.longitude - dlon, op.longitude + dlon))
        .all(db)
        .await
        .map_err(unexpected)?;
    if near.is_empty() {
        return Ok(0);
    }
    let ventures: BTreeMap<i32, i32> = case::Entity::find()
        .filter(case::Column::Id.is_in(near.iter().map(|o| o.case_id)))
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| (c.id, c.joint_venture_id))
        .collect();
    let mut new = 0;
    for other in near {
        let other_jv = ventures.get(&other.case_id).copied().unwrap_or(jv);
        let metres = metres_between(
            (op.latitude, op.longitude),
            (other.latitude, other.longitude),
        );
        if other_jv == jv || metres > m.conflict_metres {
            continue;
        }
        let minutes =
            (op.ends_at.min(other.ends_at) - op.starts_at.max(other.starts_at)).num_minutes();
        let found = Found {
            kind: "operation",
            match_kind: "operation".to_owned(),
            a: (op.id, op.case_id, jv),
            b: (other.id, other.case_id, other_jv),
            score: (1.0 - 0.5 * metres / m.conflict_metres).clamp(0.5, 1.0),
            evidence: Evidence::Operation {
                metres: metres.round() as u32,
                minutes,
            },
            urgent: true,
            material: operation_material(other.id, op.id),
        };
        if store(db, m, found).await? {
            new += 1;
        }
    }
    Ok(new)
}

/// What a full re-scan did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rescan {
    pub subjects: usize,
    pub operations: usize,
    pub new_overlaps: usize,
}

/// The re-scan's memory of the persons replayed so far: their keys and what scoring needs.
/// A person shares keys (a given name and a birth year) with thousands of others, so reading
/// them from the database again for every batch would dominate the re-scan; identifiers are
/// exact values with few rows each and are looked up per batch.
#[derive(Default)]
struct Replayed {
    filed: HashMap<u128, Vec<(i32, i32)>>,
    persons: HashMap<i32, subject::Model>,
}

fn hash_number(hash: &str) -> u128 {
    u128::from_str_radix(hash, 16).unwrap_or_default()
}

/// The candidates of one subject, ranked as `on_subject_saved`'s query ranks them: most keys
/// shared first, then the earliest; other joint ventures and earlier subjects only.
fn rank(
    s: &subject::Model,
    jv: i32,
    probes: &BTreeSet<String>,
    filed: [&HashMap<u128, Vec<(i32, i32)>>; 2],
) -> BTreeMap<i32, i32> {
    let mut hits: HashMap<(i32, i32), u32> = HashMap::new();
    for hash in probes {
        let number = hash_number(hash);
        for &(id, other_jv) in filed.iter().filter_map(|f| f.get(&number)).flatten() {
            if id < s.id && other_jv != jv {
                *hits.entry((id, other_jv)).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<((i32, i32), u32)> = hits.into_iter().collect();
    ranked.sort_by(|((a, _), x), ((b, _), y)| y.cmp(x).then(a.cmp(b)));
    ranked
        .into_iter()
        .take(MAX_CANDIDATES as usize)
        .map(|(pair, _)| pair)
        .collect()
}

/// Replays the saving of one batch of subjects (in id order) inside one transaction.
async fn replay_subjects(
    db: &impl ConnectionTrait,
    m: &Matching,
    batch: &[(subject::Model, i32)],
    benign: &BTreeSet<String>,
    replayed: &mut Replayed,
    sharing: &mut Sharing,
) -> Result<usize, AppError> {
    let (Some((first, _)), Some((last, _))) = (batch.first(), batch.last()) else {
        return Ok(0);
    };
    // A subject saved while the re-scan runs has filed its keys already; they are filed once.
    match_key::Entity::delete_many()
        .filter(match_key::Column::SubjectId.between(first.id, last.id))
        .exec(db)
        .await
        .map_err(unexpected)?;
    let mut rows = Vec::new();
    for (s, jv) in batch {
        let mine = key_rows(m, s, *jv);
        if s.family_key.is_some() {
            for row in &mine {
                if let sea_orm::ActiveValue::Set(hash) = &row.key_hash {
                    replayed
                        .filed
                        .entry(hash_number(hash))
                        .or_default()
                        .push((s.id, *jv));
                }
            }
            // Scoring needs the keys, not what was typed.
            let kept = subject::Model {
                typed: String::new(),
                summary: String::new(),
                created_at: String::new(),
                ..s.clone()
            };
            replayed.persons.insert(s.id, kept);
        }
        rows.extend(mine);
    }
    // Four values a row: well under SQLite's and PostgreSQL's limits on bound values.
    for chunk in rows.chunks(2000) {
        match_key::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .map_err(unexpected)?;
    }
    let probes: Vec<BTreeSet<String>> = batch
        .iter()
        .map(|(s, _)| probe_hashes(m, s, benign))
        .collect();
    let identifiers: Vec<String> = batch
        .iter()
        .zip(&probes)
        .filter(|((s, _), _)| s.family_key.is_none())
        .flat_map(|(_, p)| p.iter().cloned())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let mut filed: HashMap<u128, Vec<(i32, i32)>> = HashMap::new();
    for chunk in identifiers.chunks(5000) {
        let found = match_key::Entity::find()
            .select_only()
            .column(match_key::Column::KeyHash)
            .column(match_key::Column::SubjectId)
            .column(match_key::Column::JointVentureId)
            .filter(match_key::Column::KeyHash.is_in(chunk.iter().cloned()))
            .filter(match_key::Column::SubjectId.lte(last.id))
            .into_tuple::<(String, i32, i32)>()
            .all(db)
            .await
            .map_err(unexpected)?;
        for (hash, id, jv) in found {
            filed.entry(hash_number(&hash)).or_default().push((id, jv));
        }
    }
    let ranked: Vec<BTreeMap<i32, i32>> = batch
        .iter()
        .zip(&probes)
        .map(|((s, jv), p)| rank(s, *jv, p, [&filed, &replayed.filed]))
        .collect();
    let missing: Vec<i32> = ranked
        .iter()
        .flat_map(|c| c.keys().copied())
        .filter(|id| !replayed.persons.contains_key(id))
        .collect::<BTreeSet<i32>>()
        .into_iter()
        .collect();
    let mut read: HashMap<i32, subject::Model> = HashMap::new();
    for chunk in missing.chunks(5000) {
        for o in subject::Entity::find()
            .filter(subject::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await
            .map_err(unexpected)?
        {
            read.insert(o.id, o);
        }
    }
    let mut new = 0;
    for ((s, jv), candidates) in batch.iter().zip(&ranked) {
        let others = candidates
            .iter()
            .filter_map(|(id, other_jv)| {
                let o = replayed.persons.get(id).or_else(|| read.get(id))?;
                Some((o, *other_jv))
            })
            .collect();
        new += compare(db, m, s, *jv, others, sharing).await?;
    }
    Ok(new)
}

/// Whether subjects are stored but no blocking key is: the keys were changed by a migration
/// (or left out of a restore) and a re-scan must rebuild them.
pub async fn keys_missing(db: &DatabaseConnection) -> Result<bool, AppError> {
    let any_subject = subject::Entity::find()
        .select_only()
        .column(subject::Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await
        .map_err(unexpected)?;
    let any_key = match_key::Entity::find()
        .select_only()
        .column(match_key::Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await
        .map_err(unexpected)?;
    Ok(any_subject.is_some() && any_key.is_none())
}

/// Rebuilds every blocking key (with the current secret: this is also the re-key) and replays
/// detection over all subjects and operations in the order they were saved. Overlaps already
/// recorded keep their state; missing ones are added. Subjects are replayed a thousand at a
/// time: one transaction, one key insert and one identifier lookup per batch, and the persons
/// kept in memory (some 60 MB for 250,000 persons).
pub async fn rescan(db: &DatabaseConnection, m: &Matching) -> Result<Rescan, AppError> {
    const BATCH: u64 = 1000;
    let mut report = Rescan {
        subjects: 0,
        operations: 0,
        new_overlaps: 0,
    };
    rekey_evidence(db, m).await?;
    match_key::Entity::delete_many()
        .exec(db)
        .await
        .map_err(unexpected)?;
    let ventures: BTreeMap<i32, i32> = case::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|c| (c.id, c.joint_venture_id))
        .collect();
    let benign = benign_hashes(db, None).await?;
    let mut replayed = Replayed::default();
    // Every identifier overlap already known: a pair that comes to share one later gets its
    // persons compared then (`persons_between`), so knowing it early finds the same.
    let mut sharing = sharing_where(db, Condition::all()).await?;
    let mut after = 0;
    loop {
        let batch: Vec<(subject::Model, i32)> = subject::Entity::find()
            .filter(subject::Column::Id.gt(after))
            .order_by_asc(subject::Column::Id)
            .limit(BATCH)
            .all(db)
            .await
            .map_err(unexpected)?
            .into_iter()
            .map(|s| {
                let jv = ventures.get(&s.case_id).copied().unwrap_or_default();
                (s, jv)
            })
            .collect();
        let Some((last, _)) = batch.last() else { break };
        after = last.id;
        let txn = db.begin().await.map_err(unexpected)?;
        report.new_overlaps +=
            replay_subjects(&txn, m, &batch, &benign, &mut replayed, &mut sharing).await?;
        report.subjects += batch.len();
        txn.commit().await.map_err(unexpected)?;
    }
    drop(replayed);
    let mut after = 0;
    loop {
        let batch = operation::Entity::find()
            .filter(operation::Column::Id.gt(after))
            .order_by_asc(operation::Column::Id)
            .limit(BATCH)
            .all(db)
            .await
            .map_err(unexpected)?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let txn = db.begin().await.map_err(unexpected)?;
        for op in &batch {
            let jv = ventures.get(&op.case_id).copied().unwrap_or_default();
            report.new_overlaps += on_operation_saved(&txn, m, op, jv).await?;
            report.operations += 1;
        }
        txn.commit().await.map_err(unexpected)?;
    }
    Ok(report)
}

fn visible(user: &SignedInUser, o: &overlap::Model) -> Option<bool> {
    // Some(true): the viewer is the first side.
    if may(
        user,
        Action::Read,
        Object::JointVentureWork(o.first_joint_venture_id),
    ) {
        Some(true)
    } else if may(
        user,
        Action::Read,
        Object::JointVentureWork(o.second_joint_venture_id),
    ) {
        Some(false)
    } else {
        None
    }
}

/// An overlap from the viewer's side: (case, joint venture) of their side and of the other.
struct Perspective {
    mine: (i32, i32),
    theirs: (i32, i32),
}

fn perspective(o: &overlap::Model, first: bool) -> Perspective {
    let a = (o.first_case_id, o.first_joint_venture_id);
    let b = (o.second_case_id, o.second_joint_venture_id);
    let (mine, theirs) = if first { (a, b) } else { (b, a) };
    Perspective { mine, theirs }
}

/// Whether the two cases' handling codes allow disclosure at all (no `pointer-only` side).
async fn disclosable(db: &impl ConnectionTrait, p: &Perspective) -> Result<bool, AppError> {
    let (mine, _) = handling_allows(db, p.mine.0, p.theirs.1).await?;
    let (theirs, _) = handling_allows(db, p.theirs.0, p.mine.1).await?;
    Ok(mine && theirs)
}

/// An overlap the caller's side may agree to disclose: the workflow's rules decide (a side's
/// coordinator, not once closed).
async fn find_for_consent(
    txn: &impl ConnectionTrait,
    user: &SignedInUser,
    id: i32,
) -> Result<(overlap::Model, bool, Perspective), AppError> {
    let (o, first) = find_visible(txn, user, id).await?;
    let actor = super::deconfliction::actor(user, &o).ok_or(AppError::Forbidden)?;
    crate::deconfliction::rules::check(
        &super::deconfliction::status_of(&o),
        actor,
        crate::domain::OverlapStep::Consent,
    )
    .map_err(super::deconfliction::refused)?;
    let p = perspective(&o, first);
    Ok((o, first, p))
}

fn involving(user: &SignedInUser) -> Condition {
    Condition::any()
        .add(overlap::Column::FirstJointVentureId.is_in(user.coordinates.clone()))
        .add(overlap::Column::SecondJointVentureId.is_in(user.coordinates.clone()))
}

pub(super) async fn record(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    action: &'static str,
    id: i32,
    detail: String,
) -> Result<(), AppError> {
    audit::record(
        db,
        Event {
            actor: Actor::from(user),
            action,
            object_type: "overlap",
            object_id: id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail,
        },
    )
    .await
    .map_err(unexpected)
}

pub(super) async fn venture_names(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<i32, String>, AppError> {
    Ok(joint_venture::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}

/// The overlaps of the joint ventures `user` coordinates; the list is audited.
pub async fn list(
    db: &DatabaseConnection,
    user: &SignedInUser,
    filter: &OverlapFilter,
) -> Result<Vec<OverlapRow>, AppError> {
    if !user.roles.contains(&crate::domain::Role::Coordinator) {
        return Err(AppError::Forbidden);
    }
    let mut query = overlap::Entity::find()
        .filter(involving(user))
        .filter(super::deconfliction::state_condition(&filter.state));
    if !filter.kind.is_empty() && filter.kind != "all" {
        query = query.filter(overlap::Column::MatchKind.eq(filter.kind.clone()));
    }
    let found = query
        .order_by_desc(overlap::Column::Urgent)
        .order_by_desc(overlap::Column::Id)
        .limit(500)
        .all(db)
        .await
        .map_err(unexpected)?;
    let deadlines = super::deconfliction::settings().deadlines;
    let today = super::deconfliction::today();
    let cases = super::deconfliction::cases_of(db, &found).await?;
    let flags = super::deconfliction::flags_with(&found, &cases, &deadlines, today);
    let names = venture_names(db).await?;
    let rows: Vec<OverlapRow> = found
        .into_iter()
        .filter_map(|o| {
            let p = perspective(&o, visible(user, &o)?);
            let (my_case, other_jv) = (p.mine.0, p.theirs.1);
            let flags = flags.get(&o.id).cloned().unwrap_or_default();
            let due = super::deconfliction::next_due(&o, &deadlines);
            if !super::deconfliction::passes(filter, &flags, due, today) {
                return None;
            }
            Some(OverlapRow {
                flags,
                due: due.map(|d| d.to_string()),
                id: o.id,
                match_kind: o.match_kind,
                my_case: Named {
                    id: my_case,
                    name: cases
                        .get(&my_case)
                        .map(|c| c.reference.clone())
                        .unwrap_or_default(),
                },
                other_joint_venture: names.get(&other_jv).cloned().unwrap_or_default(),
                score: o.score,
                urgent: o.urgent,
                disclosed: o.disclosed_at.is_some(),
                state: o.state,
                created_at: o.created_at,
            })
        })
        .collect();
    record(
        db,
        user,
        "list_overlaps",
        0,
        format!("{} shown", rows.len()),
    )
    .await?;
    Ok(rows)
}

pub async fn open_count(db: &DatabaseConnection, user: &SignedInUser) -> Result<u64, AppError> {
    use sea_orm::PaginatorTrait;
    if user.coordinates.is_empty() {
        return Ok(0);
    }
    overlap::Entity::find()
        .filter(involving(user))
        .filter(overlap::Column::State.eq("open"))
        .count(db)
        .await
        .map_err(unexpected)
}

async fn find_visible(
    db: &impl ConnectionTrait,
    user: &SignedInUser,
    id: i32,
) -> Result<(overlap::Model, bool), AppError> {
    let found = overlap::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(unexpected)?
        .ok_or(AppError::Forbidden)?;
    let first = visible(user, &found).ok_or(AppError::Forbidden)?;
    Ok((found, first))
}

async fn item_text(db: &impl ConnectionTrait, kind: &str, id: i32) -> Result<String, AppError> {
    if kind == "operation" {
        let op = operation::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(unexpected)?;
        Ok(op
            .map(|o| {
                format!(
                    "{} {}, {} – {}",
                    o.kind,
                    o.place,
                    o.starts_at.format("%Y-%m-%d %H:%M"),
                    o.ends_at.format("%H:%M")
                )
            })
            .unwrap_or_default())
    } else {
        Ok(subject::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(unexpected)?
            .map(|s| s.summary)
            .unwrap_or_default())
    }
}

async fn side_of(
    db: &impl ConnectionTrait,
    names: &BTreeMap<i32, String>,
    kind: &str,
    (case_id, jv, item_id): (i32, i32, i32),
    consents: bool,
    full: bool,
) -> Result<Side, AppError> {
    let (case, item) = if full {
        let found = case::Entity::find_by_id(case_id)
            .one(db)
            .await
            .map_err(unexpected)?;
        (
            found.map(|c| (c.id, c.reference, c.title)),
            Some(item_text(db, kind, item_id).await?),
        )
    } else {
        (None, None)
    };
    Ok(Side {
        joint_venture: Named {
            id: jv,
            name: names.get(&jv).cloned().unwrap_or_default(),
        },
        case,
        item,
        consents,
    })
}

/// One overlap as `user` may see it: their own side in full, the other side's case and item
/// only once both sides agreed to disclose. Audited.
pub async fn view(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
) -> Result<OverlapView, AppError> {
    let (o, first) = find_visible(db, user, id).await?;
    let names = venture_names(db).await?;
    let disclosed = o.disclosed_at.is_some();
    let side = |case_id: i32, jv: i32, item_id: i32, consents: bool, full: bool| {
        side_of(db, &names, &o.kind, (case_id, jv, item_id), consents, full)
    };
    let first_side = side(
        o.first_case_id,
        o.first_joint_venture_id,
        o.first_item_id,
        o.first_consents,
        first || disclosed,
    )
    .await?;
    let second_side = side(
        o.second_case_id,
        o.second_joint_venture_id,
        o.second_item_id,
        o.second_consents,
        !first || disclosed,
    )
    .await?;
    let (mine, theirs) = if first {
        (first_side, second_side)
    } else {
        (second_side, first_side)
    };
    let p = perspective(&o, first);
    let can_consent = disclosable(db, &p).await?;
    let contacts = super::partnerships::coordinator_contacts(db, p.theirs.1).await?;
    let workflow = super::deconfliction::workflow(
        db,
        &o,
        super::deconfliction::actor(user, &o).ok_or(AppError::Forbidden)?,
        &super::deconfliction::settings().deadlines,
    )
    .await?;
    record(
        db,
        user,
        "read_overlap",
        o.id,
        if disclosed {
            "disclosed".into()
        } else {
            "pointer".into()
        },
    )
    .await?;
    Ok(OverlapView {
        id: o.id,
        kind: o.kind,
        match_kind: o.match_kind,
        score: o.score,
        urgent: o.urgent,
        evidence: serde_json::from_str(&o.explanation).unwrap_or(Evidence::SameIdentifier),
        mine,
        theirs,
        contacts,
        disclosed,
        can_consent,
        state: o.state,
        created_at: o.created_at,
        workflow,
    })
}

/// The caller's side agrees to disclose. A pointer-only case on either side never discloses.
pub async fn consent(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
) -> Result<(), AppError> {
    let locale = request_locale();
    let txn = db.begin().await.map_err(unexpected)?;
    super::deconfliction::lock_overlap(&txn, id).await?;
    let (o, first, p) = find_for_consent(&txn, user, id).await?;
    if !disclosable(&txn, &p).await? {
        return Err(AppError::Refused(
            td_string!(locale, err_overlap_pointer_only).to_owned(),
        ));
    }
    let (first_consents, second_consents) = if first {
        (true, o.second_consents)
    } else {
        (o.first_consents, true)
    };
    let disclosed = first_consents && second_consents;
    let mut active: overlap::ActiveModel = o.clone().into();
    active.first_consents = Set(first_consents);
    active.second_consents = Set(second_consents);
    if disclosed && o.disclosed_at.is_none() {
        active.disclosed_at = Set(Some(now()));
    }
    active.update(&txn).await.map_err(unexpected)?;
    super::deconfliction::add_event(
        &txn,
        o.id,
        Some(user.id),
        if first { 1 } else { 2 },
        if disclosed {
            crate::domain::OverlapStep::Disclose
        } else {
            crate::domain::OverlapStep::Consent
        },
        None,
        None,
    )
    .await?;
    record(
        &txn,
        user,
        if disclosed {
            "disclose_overlap"
        } else {
            "consent_overlap"
        },
        o.id,
        String::new(),
    )
    .await?;
    txn.commit().await.map_err(unexpected)
}

fn benign_invalid(field: &str, message: &str) -> AppError {
    AppError::invalid(field, message)
}

/// The benign list; only its labels, never the values.
pub async fn benign_list(
    db: &DatabaseConnection,
    user: &SignedInUser,
) -> Result<Vec<crate::overlaps::BenignRow>, AppError> {
    crate::authorize::require(user, Action::Read, Object::BenignList)?;
    let users: BTreeMap<i32, String> = user_account::Entity::find()
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    Ok(benign_value::Entity::find()
        .order_by_asc(benign_value::Column::ExpiresOn)
        .all(db)
        .await
        .map_err(unexpected)?
        .into_iter()
        .map(|b| crate::overlaps::BenignRow {
            id: b.id,
            kind: b.kind,
            label: b.label,
            reason: b.reason,
            expires_on: b.expires_on.to_string(),
            added_by: users.get(&b.created_by).cloned().unwrap_or_default(),
        })
        .collect())
}

/// Adds a value to the benign list: parsed like a subject of its kind, stored as the keyed hash
/// of its blocking key with a label, a reason and an end date (at most two years ahead).
pub async fn add_benign(
    db: &DatabaseConnection,
    user: &SignedInUser,
    m: &Matching,
    input: &crate::overlaps::BenignInput,
) -> Result<(), AppError> {
    use crate::subjects::{SubjectInput, parse::parse};
    crate::authorize::require(user, Action::Manage, Object::BenignList)?;
    let locale = request_locale();
    let kind = input.kind.trim();
    if !crate::overlaps::BENIGN_KINDS.contains(&kind) {
        return Err(benign_invalid(
            "kind",
            td_string!(locale, err_choose_from_list),
        ));
    }
    let mut subject = SubjectInput {
        kind: kind.to_owned(),
        ..Default::default()
    };
    match kind {
        "address" => {
            subject.postcode = input.postcode.clone();
            subject.house_number = input.house_number.clone();
        }
        "company" => {
            subject.value = input.value.clone();
            subject.name = "-".into();
        }
        _ => subject.value = input.value.clone(),
    }
    let valid = parse(&subject, 9999).map_err(|invalid| {
        benign_invalid(
            invalid.field,
            &super::subjects::problem_text(invalid.problem),
        )
    })?;
    let label = input.label.trim();
    if label.is_empty() || label.chars().count() > 120 {
        return Err(benign_invalid("label", td_string!(locale, err_required)));
    }
    let reason = input.reason.trim();
    if reason.chars().count() < 5 || reason.chars().count() > 2000 {
        return Err(benign_invalid(
            "reason",
            td_string!(locale, err_overlap_reason),
        ));
    }
    let today = chrono::Local::now().date_naive();
    let expires = chrono::NaiveDate::parse_from_str(input.expires_on.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| *d > today && *d <= today + chrono::Duration::days(731))
        .ok_or_else(|| benign_invalid("expires_on", td_string!(locale, err_benign_expiry)))?;
    let key = keys::stored(valid.kind, &valid.normal, None)
        .into_iter()
        .next()
        .ok_or_else(|| benign_invalid("kind", td_string!(locale, err_choose_from_list)))?;
    let txn = db.begin().await.map_err(unexpected)?;
    let saved = benign_value::ActiveModel {
        key_hash: Set(m.secret.hash(&key)),
        kind: Set(kind.to_owned()),
        label: Set(label.to_owned()),
        reason: Set(reason.to_owned()),
        expires_on: Set(expires),
        created_by: Set(user.id),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(unexpected)?;
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "add_benign_value",
            object_type: "benign_value",
            object_id: saved.id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail: format!("{kind}: {label} until {expires}"),
        },
    )
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}

pub async fn remove_benign(
    db: &DatabaseConnection,
    user: &SignedInUser,
    id: i32,
) -> Result<(), AppError> {
    crate::authorize::require(user, Action::Manage, Object::BenignList)?;
    let txn = db.begin().await.map_err(unexpected)?;
    let removed = benign_value::Entity::delete_by_id(id)
        .exec(&txn)
        .await
        .map_err(unexpected)?;
    if removed.rows_affected != 1 {
        return Err(benign_invalid(
            "id",
            td_string!(request_locale(), err_no_such_benign),
        ));
    }
    audit::record(
        &txn,
        Event {
            actor: Actor::from(user),
            action: "remove_benign_value",
            object_type: "benign_value",
            object_id: id.to_string(),
            outcome: Outcome::Success,
            client_address: client_address(),
            detail: String::new(),
        },
    )
    .await
    .map_err(unexpected)?;
    txn.commit().await.map_err(unexpected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_metres() {
        let sloterdijk = (52.3889, 4.8380);
        let nearby = (52.3891, 4.8377);
        let d = metres_between(sloterdijk, nearby);
        assert!((25.0..35.0).contains(&d), "{d}");
        let dam = (52.3731, 4.8926);
        assert!(metres_between(sloterdijk, dam) > 3000.0);
    }
}
