//! Matching on save: a saved subject is compared with its candidates and an overlap is stored.

use crate::overlaps::candidates::{
    Benign, Matching, Verdict, candidates, hold_back, identifier_hash, key_rows, live_probes,
    person_of,
};
use crate::{
    domain::SubjectKind, error::AppError, overlaps::frequencies::counts_of,
    overlaps::model::Counts, overlaps::score, overlaps::store::handling_allows,
    overlaps::types::Evidence,
};
use crate::{
    overlaps::store::Sharing, overlaps::store::case_pair, overlaps::store::freeze,
    overlaps::store::sharing_among, server::time::now,
};
use crate::{
    server::entity::false_match, server::entity::match_key, server::entity::overlap,
    server::entity::subject,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
};
use sea_orm::{TryInsertResult, sea_query::OnConflict};

/// One side of a match: the subject or operation, its case and its joint venture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub(crate) id: i32,
    pub(crate) case: i32,
    pub(crate) joint_venture: i32,
}

/// One match found, before it is stored: `a` is the item just saved.
pub(crate) struct Found {
    pub(crate) kind: crate::domain::OverlapKind,
    pub(crate) match_kind: String,
    pub(crate) a: Item,
    pub(crate) b: Item,
    pub(crate) score: f64,
    pub(crate) evidence: Evidence,
    pub(crate) urgent: bool,
    /// What makes this the same evidence again (hashed before it is stored).
    pub(crate) material: String,
}

/// Whether an overlap of `kind` between the items `first` and `second` (lower id first) is
/// stored.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn recorded(
    db: &impl ConnectionTrait,
    kind: crate::domain::OverlapKind,
    first: i32,
    second: i32,
) -> Result<bool, AppError> {
    Ok(overlap::Entity::find()
        .filter(overlap::Column::Kind.eq(kind.as_str()))
        .filter(overlap::Column::FirstItemId.eq(first))
        .filter(overlap::Column::SecondItemId.eq(second))
        .one(db)
        .await?
        .is_some())
}

/// Stores a found overlap unless it is there already or its evidence was judged a false match.
/// Returns whether it is new.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn store(
    db: &impl ConnectionTrait,
    m: &Matching,
    found: Found,
) -> Result<bool, AppError> {
    let evidence_hash = m.secret.hash(&found.material);
    if false_match::Entity::find_by_id(evidence_hash.clone())
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let (first, second) = if found.a.id <= found.b.id {
        (found.a, found.b)
    } else {
        (found.b, found.a)
    };
    if recorded(db, found.kind, first.id, second.id).await? {
        return Ok(false);
    }
    let first_consents = handling_allows(db, first.case, second.joint_venture)
        .await?
        .consent_given;
    let second_consents = handling_allows(db, second.case, first.joint_venture)
        .await?
        .consent_given;
    let now = now();
    let row = overlap::ActiveModel {
        kind: Set(found.kind.as_str().to_owned()),
        match_kind: Set(found.match_kind),
        first_case_id: Set(first.case),
        second_case_id: Set(second.case),
        first_joint_venture_id: Set(first.joint_venture),
        second_joint_venture_id: Set(second.joint_venture),
        first_item_id: Set(first.id),
        second_item_id: Set(second.id),
        score: Set(found.score),
        explanation: Set(serde_json::to_string(&found.evidence).unwrap_or_default()),
        urgent: Set(found.urgent),
        evidence: Set(evidence_hash),
        first_consents: Set(first_consents),
        second_consents: Set(second_consents),
        disclosed_at: Set((first_consents && second_consents).then(|| now.clone())),
        state: Set(crate::domain::OverlapState::Open.as_str().to_owned()),
        created_at: Set(now),
        version: Set(1),
        ruled: Set(false),
        ..Default::default()
    };
    // A re-scan, or a save on another instance outside the matching lock, may have stored the
    // same overlap a moment ago: the unique index decides, and the second one adds nothing.
    let stored = match overlap::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                overlap::Column::Kind,
                overlap::Column::FirstItemId,
                overlap::Column::SecondItemId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .try_insert()
        .exec_with_returning(db)
        .await?
    {
        TryInsertResult::Inserted(stored) => stored,
        TryInsertResult::Conflicted | TryInsertResult::Empty => return Ok(false),
    };
    // Two cases shared with each other's joint venture by name are disclosed as they are found.
    if stored.disclosed_at.is_some() {
        freeze(db, &stored).await?;
    }
    crate::overlaps::steps::on_found(db, &stored, &m.mail).await?;
    Ok(true)
}

pub(crate) fn person_found(
    a: &subject::Model,
    a_jv: i32,
    b: &subject::Model,
    b_jv: i32,
    scored: score::Scored,
) -> Found {
    Found {
        kind: crate::domain::OverlapKind::Subject,
        match_kind: SubjectKind::Person.as_str().to_owned(),
        a: Item {
            id: a.id,
            case: a.case_id,
            joint_venture: a_jv,
        },
        b: Item {
            id: b.id,
            case: b.case_id,
            joint_venture: b_jv,
        },
        score: scored.score,
        evidence: scored.evidence,
        urgent: false,
        material: subject_material(a, b),
    }
}

/// What makes a pair of subjects the same evidence: their cases and values, not their ids (a
/// subject removed and entered again is the same evidence).
pub(crate) fn subject_material(a: &subject::Model, b: &subject::Model) -> String {
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

/// Matches a subject just stored (id `s.id`, case in joint venture `jv`) against the subjects
/// of other joint ventures stored before it. Returns how many overlaps were new.
#[tracing::instrument(level = "error", skip_all)]
pub async fn on_subject_saved(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
    jv: i32,
) -> Result<usize, AppError> {
    let started = std::time::Instant::now();
    let found = match_subject(db, m, s, jv).await;
    metrics::histogram!("liaison_matching_duration_seconds")
        .record(started.elapsed().as_secs_f64());
    found
}

async fn match_subject(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
    jv: i32,
) -> Result<usize, AppError> {
    let rows = key_rows(m, s, jv);
    if !rows.is_empty() {
        match_key::Entity::insert_many(rows).exec(db).await?;
    }
    let (probes, benign) = live_probes(db, m, s).await?;
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
        .await?;
    let mut sharing = if s.family_key.is_some() {
        sharing_among(db, s.case_id, others.iter().map(|o| o.case_id).collect()).await?
    } else {
        Sharing::new()
    };
    let others = others
        .iter()
        .filter_map(|o| Some((o, *candidates.get(&o.id)?)))
        .collect();
    let counts = if s.family_key.is_some() {
        counts_of(db, m, s).await?
    } else {
        Counts::default()
    };
    compare(db, m, s, jv, others, &mut sharing, &benign, &counts).await
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
/// against every case subject through the blocking keys, as a save would; a value on the
/// national benign list or on the list of the case's joint venture raises nothing, and a
/// person needs a corroborating date of birth or nationality.
#[tracing::instrument(level = "error", skip_all)]
pub async fn case_matches(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<Vec<CaseMatch>, AppError> {
    let Ok(kind) = s.kind.parse::<SubjectKind>() else {
        return Ok(Vec::new());
    };
    let (probes, benign) = live_probes(db, m, s).await?;
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    let own_hash = identifier_hash(m, s);
    let candidates = candidates(db, probes, Condition::all()).await?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let person = person_of(s);
    let (params, counts) = (m.params(), counts_of(db, m, s).await?);
    let others = subject::Entity::find()
        .filter(subject::Column::Id.is_in(candidates.keys().copied()))
        .order_by_asc(subject::Column::Id)
        .all(db)
        .await?;
    Ok(others
        .into_iter()
        .filter(|o| o.kind == s.kind)
        .filter_map(|o| {
            let (score, evidence) = match (&person, person_of(&o)) {
                (Some(mine), Some(theirs)) if kind == SubjectKind::Person => {
                    let scored = score::score(&params, &counts, mine, &theirs, false)?;
                    (scored.score, scored.evidence)
                }
                _ if o.normal == s.normal => (1.0, Evidence::SameIdentifier),
                _ => return None,
            };
            let joint_venture_id = *candidates.get(&o.id)?;
            if evidence == Evidence::SameIdentifier
                && let Some(hash) = &own_hash
                && benign.holds_back(hash, joint_venture_id)
            {
                return None;
            }
            Some(CaseMatch {
                joint_venture_id,
                match_kind: kind.as_str().to_owned(),
                subject: o,
                score,
                evidence,
            })
        })
        .collect())
}

/// Compares a saved subject with its candidates (each with its joint venture, in id order)
/// and stores what matches, unless an entry of the benign list in force on the value (`benign`)
/// holds the match back; then the side without such an entry is told (`candidates::hold_back`).
/// A person is weighed with how common its values are (`counts`) and, where the two cases
/// share an identifier already (`sharing`), with that. Returns how many overlaps were new.
#[allow(clippy::too_many_arguments)]
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn compare(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
    jv: i32,
    candidates: Vec<(&subject::Model, i32)>,
    sharing: &mut Sharing,
    benign: &Benign,
    counts: &Counts,
) -> Result<usize, AppError> {
    let kind: SubjectKind = s.kind.parse()?;
    let person = person_of(s);
    let params = m.params();
    let own_hash = identifier_hash(m, s);
    let mut new = 0;
    let mut held = Vec::new();
    for (other, other_jv) in candidates {
        if other.kind != s.kind {
            continue;
        }
        let found = match (&person, person_of(other)) {
            (Some(mine), Some(theirs)) if kind == SubjectKind::Person => {
                let shared = sharing.contains(&case_pair(s.case_id, other.case_id));
                score::score(&params, counts, mine, &theirs, shared)
                    .map(|scored| person_found(s, jv, other, other_jv, scored))
            }
            _ if other.normal == s.normal => Some(Found {
                kind: crate::domain::OverlapKind::Subject,
                match_kind: kind.as_str().to_owned(),
                a: Item {
                    id: s.id,
                    case: s.case_id,
                    joint_venture: jv,
                },
                b: Item {
                    id: other.id,
                    case: other.case_id,
                    joint_venture: other_jv,
                },
                score: 1.0,
                evidence: Evidence::SameIdentifier,
                urgent: false,
                material: subject_material(s, other),
            }),
            _ => None,
        };
        let Some(found) = found else { continue };
        let exact = kind != SubjectKind::Person;
        if exact
            && let Some(hash) = &own_hash
            && let Verdict::HeldBack { tell_a, tell_b } = benign.verdict(hash, jv, other_jv)
        {
            if tell_a.is_some() || tell_b.is_some() {
                held.push(Held {
                    other,
                    other_jv,
                    tell_a,
                    tell_b,
                });
            }
            continue;
        }
        if store(db, m, found).await? {
            new += 1;
            if exact {
                sharing.insert(case_pair(s.case_id, other.case_id));
                new += persons_between(db, m, (s.case_id, jv), (other.case_id, other_jv)).await?;
            }
        }
    }
    tell_held_back(db, s, jv, held).await?;
    Ok(new)
}

/// A match of the saved subject that a benign entry held back, and who is to be told.
struct Held<'a> {
    other: &'a subject::Model,
    other_jv: i32,
    tell_a: Option<i32>,
    tell_b: Option<i32>,
}

/// Records each held-back match for the side to be told, in one read and one write however
/// many candidates a common value has. A pair raised before the entry was made stays as it is
/// and is not reported as held back.
#[tracing::instrument(level = "error", skip_all)]
async fn tell_held_back(
    db: &impl ConnectionTrait,
    s: &subject::Model,
    jv: i32,
    held: Vec<Held<'_>>,
) -> Result<(), AppError> {
    if held.is_empty() {
        return Ok(());
    }
    // A subject has few overlaps: all of them, rather than one query per pair; one query per
    // side, each on its own index (one with `OR` walks every overlap of the kind on SQLite).
    let mut raised = std::collections::HashSet::new();
    for side in [overlap::Column::FirstItemId, overlap::Column::SecondItemId] {
        raised.extend(
            overlap::Entity::find()
                .filter(overlap::Column::Kind.eq(crate::domain::OverlapKind::Subject.as_str()))
                .filter(side.eq(s.id))
                .all(db)
                .await?
                .into_iter()
                .map(|o| o.first_item_id + o.second_item_id - s.id),
        );
    }
    let mut tells = Vec::new();
    for h in held.iter().filter(|h| !raised.contains(&h.other.id)) {
        tells.extend(h.tell_a.map(|entry| (entry, s, jv)));
        tells.extend(h.tell_b.map(|entry| (entry, h.other, h.other_jv)));
    }
    hold_back(db, tells).await
}

/// Once two cases share an identifier, their persons are compared with that as corroboration.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn persons_between(
    db: &impl ConnectionTrait,
    m: &Matching,
    (case_a, jv_a): (i32, i32),
    (case_b, jv_b): (i32, i32),
) -> Result<usize, AppError> {
    // By case only, so that the case index is used (a case has few subjects; `kind` would
    // tempt SQLite into the far larger kind index).
    let (ours, theirs): (Vec<_>, Vec<_>) = subject::Entity::find()
        .filter(subject::Column::CaseId.is_in([case_a, case_b]))
        .all(db)
        .await?
        .into_iter()
        .filter(|s| s.kind == SubjectKind::Person.as_str())
        .partition(|s| s.case_id == case_a);
    let params = m.params();
    let mut new = 0;
    for a in &ours {
        let Some(pa) = person_of(a) else { continue };
        let counts = counts_of(db, m, a).await?;
        for b in &theirs {
            let Some(pb) = person_of(b) else { continue };
            if let Some(scored) = score::score(&params, &counts, &pa, &pb, true)
                && store(db, m, person_found(a, jv_a, b, jv_b, scored)).await?
            {
                new += 1;
            }
        }
    }
    Ok(new)
}
