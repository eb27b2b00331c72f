//! The full re-scan: every subject replayed against the stored keys, a thousand at a time.

use crate::error::AppError;
use crate::overlaps::candidates::{
    Benign, MAX_CANDIDATES, Matching, in_force, key_rows, probe_hashes,
};
use crate::overlaps::conflicts::{on_operation_saved, operation_material};
use crate::overlaps::detect::{compare, subject_material};
use crate::overlaps::frequencies::AllCounts;
use crate::overlaps::store::{Sharing, sharing_where};
use crate::{
    server::entity::case, server::entity::false_match, server::entity::match_key,
    server::entity::operation, server::entity::overlap, server::entity::subject,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// After the secret changed: every overlap's evidence hash, and the false-match memory that
/// refers to it, computed again with the current secret.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn rekey_evidence(db: &DatabaseConnection, m: &Matching) -> Result<(), AppError> {
    let all = overlap::Entity::find().all(db).await?;
    for o in all {
        let material = if o.kind == crate::domain::OverlapKind::Operation.as_str() {
            operation_material(o.first_item_id, o.second_item_id)
        } else {
            let items = subject::Entity::find()
                .filter(subject::Column::Id.is_in([o.first_item_id, o.second_item_id]))
                .all(db)
                .await?;
            let [a, b] = items.as_slice() else { continue };
            subject_material(a, b)
        };
        let fresh = m.secret.hash(&material);
        if fresh == o.evidence {
            continue;
        }
        let txn = crate::server::begin_write(db).await?;
        false_match::Entity::update_many()
            .col_expr(
                false_match::Column::Evidence,
                sea_orm::sea_query::Expr::value(fresh.clone()),
            )
            .filter(false_match::Column::Evidence.eq(o.evidence.clone()))
            .exec(&txn)
            .await?;
        let mut active: overlap::ActiveModel = o.into();
        active.evidence = Set(fresh);
        active.update(&txn).await?;
        txn.commit().await?;
    }
    Ok(())
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
pub(crate) struct Replayed {
    filed: HashMap<u128, Vec<(i32, i32)>>,
    persons: HashMap<i32, subject::Model>,
}

pub(crate) fn hash_number(hash: &str) -> u128 {
    u128::from_str_radix(hash, 16).unwrap_or_default()
}

/// The candidates of one subject, ranked as `on_subject_saved`'s query ranks them: most keys
/// shared first, then the earliest; other joint ventures and earlier subjects only.
pub(crate) fn rank(
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
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn replay_subjects(
    db: &impl ConnectionTrait,
    m: &Matching,
    batch: &[(subject::Model, i32)],
    benign: &Benign,
    replayed: &mut Replayed,
    sharing: &mut Sharing,
    counts: &AllCounts,
) -> Result<usize, AppError> {
    let (Some((first, _)), Some((last, _))) = (batch.first(), batch.last()) else {
        return Ok(0);
    };
    // A subject saved while the re-scan runs has filed its keys already; they are filed once.
    match_key::Entity::delete_many()
        .filter(match_key::Column::SubjectId.between(first.id, last.id))
        .exec(db)
        .await?;
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
            .await?;
    }
    let probes: Vec<BTreeSet<String>> = batch
        .iter()
        .map(|(s, _)| probe_hashes(m, s, benign.national()))
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
            .await?;
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
            .await?
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
        new += compare(db, m, s, *jv, others, sharing, benign, &counts.of(s)).await?;
    }
    Ok(new)
}

/// Whether subjects are stored but no blocking key is: the keys were changed by a migration
/// (or left out of a restore) and a re-scan must rebuild them.
#[tracing::instrument(level = "error", skip_all)]
pub async fn keys_missing(db: &DatabaseConnection) -> Result<bool, AppError> {
    let any_subject = subject::Entity::find()
        .select_only()
        .column(subject::Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await?;
    let any_key = match_key::Entity::find()
        .select_only()
        .column(match_key::Column::Id)
        .into_tuple::<i32>()
        .one(db)
        .await?;
    Ok(any_subject.is_some() && any_key.is_none())
}

/// Rebuilds every blocking key (with the current secret: this is also the re-key) and replays
/// detection over all subjects and operations in the order they were saved. Overlaps already
/// recorded keep their state; missing ones are added. Subjects are replayed a thousand at a
/// time: one transaction, one key insert and one identifier lookup per batch, and the persons
/// kept in memory (some 60 MB for 250,000 persons).
#[tracing::instrument(level = "error", skip_all)]
pub async fn rescan(db: &DatabaseConnection, m: &Matching) -> Result<Rescan, AppError> {
    const BATCH: u64 = 1000;
    let mut report = Rescan {
        subjects: 0,
        operations: 0,
        new_overlaps: 0,
    };
    rekey_evidence(db, m).await?;
    match_key::Entity::delete_many().exec(db).await?;
    let ventures: BTreeMap<i32, i32> = case::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.joint_venture_id))
        .collect();
    let benign = in_force(db, None).await?;
    let counts = AllCounts::load(db).await?;
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
            .await?
            .into_iter()
            .map(|s| {
                let jv = ventures.get(&s.case_id).copied().unwrap_or_default();
                (s, jv)
            })
            .collect();
        let Some((last, _)) = batch.last() else { break };
        after = last.id;
        let txn = crate::server::begin_write(db).await?;
        report.new_overlaps += replay_subjects(
            &txn,
            m,
            &batch,
            &benign,
            &mut replayed,
            &mut sharing,
            &counts,
        )
        .await?;
        report.subjects += batch.len();
        txn.commit().await?;
    }
    drop(replayed);
    let mut after = 0;
    loop {
        let batch = operation::Entity::find()
            .filter(operation::Column::Id.gt(after))
            .order_by_asc(operation::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let txn = crate::server::begin_write(db).await?;
        for op in &batch {
            let jv = ventures.get(&op.case_id).copied().unwrap_or_default();
            report.new_overlaps += on_operation_saved(&txn, m, op, jv).await?;
            report.operations += 1;
        }
        txn.commit().await?;
    }
    Ok(report)
}
