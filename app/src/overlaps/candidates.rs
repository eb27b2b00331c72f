//! Blocking: the keyed-hash match keys of a subject and the candidates they find.

use crate::server::mail::Mail;
use crate::server::time::now;
use crate::{
    domain::SubjectKind, error::AppError, overlaps::frequencies::FrequencyCache, overlaps::keys,
    overlaps::keys::MatchSecret, overlaps::model::Params, overlaps::model::Person,
};
use crate::{
    server::entity::benign_value, server::entity::held_back_match, server::entity::match_key,
    server::entity::subject,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, sea_query::OnConflict,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, RwLock};

/// The most candidates one save compares: blocking keys are narrow (a name token with a birth
/// year), so more than this means a value too common to be evidence (see the benign list).
pub(crate) const MAX_CANDIDATES: u64 = 500;

/// What detection needs from the server: the key secret, the conflict distance, the mail
/// that tells both sides of a new overlap at once (whether a save, a job or the CLI found it),
/// the person model's parameters (the latest trained, `training::load`) and the term
/// frequencies counted so far.
#[derive(Debug, Clone)]
pub struct Matching {
    pub secret: MatchSecret,
    pub conflict_metres: f64,
    pub mail: Mail,
    pub model: Arc<RwLock<Arc<Params>>>,
    pub frequencies: Arc<FrequencyCache>,
}

impl Matching {
    /// Detection without e-mail (the notifications are still stored).
    pub fn new(server_secret: &str) -> Self {
        Matching {
            secret: MatchSecret::derive(server_secret),
            conflict_metres: DEFAULT_CONFLICT_METRES,
            mail: Mail::default(),
            model: Arc::new(RwLock::new(Arc::new(Params::default()))),
            frequencies: Arc::new(FrequencyCache::default()),
        }
    }

    /// The parameters in force (shared: a save takes a reference, not a copy).
    pub fn params(&self) -> Arc<Params> {
        match self.model.read() {
            Ok(p) => Arc::clone(&p),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Puts newly estimated parameters in force.
    pub fn set_params(&self, params: Params) {
        let params = Arc::new(params);
        match self.model.write() {
            Ok(mut p) => *p = params,
            Err(poisoned) => *poisoned.into_inner() = params,
        }
    }

    pub fn with_mail(self, mail: Mail) -> Self {
        Matching { mail, ..self }
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
    Person::stored(
        s.family_key.clone(),
        s.given_key.clone(),
        s.birth_date.as_deref(),
        s.nationality.clone(),
    )
}

/// The blocking-key rows a subject is filed under.
pub(crate) fn key_rows(m: &Matching, s: &subject::Model, jv: i32) -> Vec<match_key::ActiveModel> {
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

/// The hashed keys a subject looks up, less those on the benign list for everybody
/// (`national`): an entry of one joint venture is weighed per match (`detect::compare`).
pub(crate) fn probe_hashes(
    m: &Matching,
    s: &subject::Model,
    national: &BTreeSet<String>,
) -> BTreeSet<String> {
    let Ok(kind) = s.kind.parse::<SubjectKind>() else {
        return BTreeSet::new();
    };
    keys::probes(kind, &s.normal, person_of(s).as_ref())
        .iter()
        .map(|k| m.secret.hash(k))
        .filter(|hash| !national.contains(hash))
        .collect()
}

/// The hashed key of an identifier (its only key), which the benign list holds; `None` for a
/// person, whose keys are never on it.
pub(crate) fn identifier_hash(m: &Matching, s: &subject::Model) -> Option<String> {
    let kind = s.kind.parse::<SubjectKind>().ok()?;
    if kind == SubjectKind::Person {
        return None;
    }
    keys::stored(kind, &s.normal, None)
        .into_iter()
        .next()
        .map(|k| m.secret.hash(&k))
}

/// The hashed keys `s` looks up, less those on the national benign list now, and the benign
/// entries in force on them.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn live_probes(
    db: &impl ConnectionTrait,
    m: &Matching,
    s: &subject::Model,
) -> Result<(Vec<String>, Benign), AppError> {
    let probes = probe_hashes(m, s, &BTreeSet::new());
    if probes.is_empty() {
        return Ok((Vec::new(), Benign::default()));
    }
    let benign = in_force(db, Some(&probes)).await?;
    let live = probes.difference(benign.national()).cloned().collect();
    Ok((live, benign))
}

/// The subjects (with their joint ventures) filed under any of `probes` and meeting `also`,
/// those sharing the most keys first: with a very common name the closest ones are compared,
/// not an arbitrary few. The re-scan ranks the same way in memory.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn candidates(
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
        .await?
        .into_iter()
        .map(|(subject_id, joint_venture_id, _)| (subject_id, joint_venture_id))
        .collect())
}

/// The benign entries in force on some hashed keys, and whose each is. Matching weighs them
/// per match (`verdict`); `benign` says why the other side is told only that it happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Benign {
    /// Hash → its entries: (entry id, owning joint venture; `None` for a national entry).
    entries: BTreeMap<String, Vec<(i32, Option<i32>)>>,
    /// The hashes a national entry holds: no match on them is raised, so they are not looked up.
    national: BTreeSet<String>,
}

/// What the benign list says about a match between two joint ventures on one value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Raise,
    /// Not raised. A side with no entry of its own on the value is told that an entry of the
    /// other side held it back (the entry's id); nobody is told under a national entry.
    HeldBack {
        tell_a: Option<i32>,
        tell_b: Option<i32>,
    },
}

impl Benign {
    pub(crate) fn new(entries: impl IntoIterator<Item = (String, i32, Option<i32>)>) -> Self {
        let mut benign = Benign::default();
        for (hash, id, owner) in entries {
            if owner.is_none() {
                benign.national.insert(hash.clone());
            }
            benign.entries.entry(hash).or_default().push((id, owner));
        }
        for found in benign.entries.values_mut() {
            found.sort();
        }
        benign
    }

    pub(crate) fn national(&self) -> &BTreeSet<String> {
        &self.national
    }

    /// The lowest id of `jv`'s entries on `hash`.
    fn entry_of(&self, hash: &str, jv: i32) -> Option<i32> {
        self.entries
            .get(hash)?
            .iter()
            .find(|(_, owner)| *owner == Some(jv))
            .map(|(id, _)| *id)
    }

    /// A match on `hash` between joint ventures `a` and `b`: held back by a national entry or
    /// by an entry of either side, raised otherwise (another joint venture's entry is no
    /// business of theirs).
    pub(crate) fn verdict(&self, hash: &str, a: i32, b: i32) -> Verdict {
        if self.national.contains(hash) {
            return Verdict::HeldBack {
                tell_a: None,
                tell_b: None,
            };
        }
        match (self.entry_of(hash, a), self.entry_of(hash, b)) {
            (None, None) => Verdict::Raise,
            (Some(of_a), None) => Verdict::HeldBack {
                tell_a: None,
                tell_b: Some(of_a),
            },
            (None, Some(of_b)) => Verdict::HeldBack {
                tell_a: Some(of_b),
                tell_b: None,
            },
            (Some(_), Some(_)) => Verdict::HeldBack {
                tell_a: None,
                tell_b: None,
            },
        }
    }

    /// Whether a match on `hash` with a case of `jv` (a signal's: its other side is no joint
    /// venture's) is held back.
    pub(crate) fn holds_back(&self, hash: &str, jv: i32) -> bool {
        self.verdict(hash, jv, jv) != Verdict::Raise
    }
}

/// An entry of the benign list is in force up to and including its end date (a Dutch day).
pub(crate) fn benign_in_force() -> sea_orm::sea_query::SimpleExpr {
    benign_value::Column::ExpiresOn.gte(crate::server::time::today())
}

/// The entries in force (not expired) on the hashes asked about, or on all with `None`.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn in_force(
    db: &impl ConnectionTrait,
    among: Option<&BTreeSet<String>>,
) -> Result<Benign, AppError> {
    let mut query = benign_value::Entity::find()
        .select_only()
        .column(benign_value::Column::KeyHash)
        .column(benign_value::Column::Id)
        .column(benign_value::Column::JointVentureId)
        .filter(benign_in_force());
    if let Some(among) = among {
        query = query.filter(benign_value::Column::KeyHash.is_in(among.iter().cloned()));
    }
    Ok(Benign::new(
        query
            .into_tuple::<(String, i32, Option<i32>)>()
            .all(db)
            .await?,
    ))
}

/// Records that entry `entry` held back a match of `s` (a subject of a case of `jv`), for
/// `jv`'s coordinators to see; once per entry and subject.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn hold_back(
    db: &impl ConnectionTrait,
    tells: Vec<(i32, &subject::Model, i32)>,
) -> Result<(), AppError> {
    let rows: Vec<held_back_match::ActiveModel> = tells
        .into_iter()
        .map(|(entry, s, jv)| held_back_match::ActiveModel {
            benign_value_id: Set(entry),
            joint_venture_id: Set(jv),
            case_id: Set(s.case_id),
            subject_id: Set(s.id),
            kind: Set(s.kind.clone()),
            created_at: Set(now()),
            ..Default::default()
        })
        .collect();
    // Six values a row: well under either database's limit on parameters.
    for chunk in rows.chunks(500) {
        held_back_match::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([
                    held_back_match::Column::BenignValueId,
                    held_back_match::Column::SubjectId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .try_insert()
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Operations of different joint ventures closer than this, in overlapping windows, conflict.
pub const DEFAULT_CONFLICT_METRES: f64 = 500.0;

#[cfg(test)]
mod tests {
    use super::*;

    /// Joint ventures 1 and 2 are the sides; 3 is a third with its own entry on `"h"`.
    fn benign(entries: &[(i32, Option<i32>)]) -> Benign {
        Benign::new(
            entries
                .iter()
                .map(|&(id, owner)| ("h".to_owned(), id, owner)),
        )
    }

    #[test]
    fn an_entry_holds_back_only_matches_its_joint_venture_takes_part_in() {
        let of_third = benign(&[(9, Some(3))]);
        assert_eq!(of_third.verdict("h", 1, 2), Verdict::Raise);
        assert_eq!(of_third.verdict("other", 3, 1), Verdict::Raise);
        assert!(!of_third.holds_back("h", 1));
        assert!(of_third.holds_back("h", 3));
        assert!(of_third.national().is_empty());
    }

    #[test]
    fn the_side_without_an_entry_is_told_whose_entry_held_it_back() {
        let of_first = benign(&[(9, Some(3)), (4, Some(1)), (7, Some(1))]);
        assert_eq!(
            of_first.verdict("h", 1, 2),
            Verdict::HeldBack {
                tell_a: None,
                tell_b: Some(4)
            }
        );
        assert_eq!(
            of_first.verdict("h", 2, 1),
            Verdict::HeldBack {
                tell_a: Some(4),
                tell_b: None
            }
        );
        let both = benign(&[(4, Some(1)), (5, Some(2))]);
        assert_eq!(
            both.verdict("h", 1, 2),
            Verdict::HeldBack {
                tell_a: None,
                tell_b: None
            }
        );
    }

    #[test]
    fn a_national_entry_holds_back_every_match_and_tells_nobody() {
        let national = benign(&[(4, Some(1)), (5, None)]);
        assert_eq!(
            national.verdict("h", 2, 3),
            Verdict::HeldBack {
                tell_a: None,
                tell_b: None
            }
        );
        assert_eq!(
            national.verdict("h", 1, 2),
            Verdict::HeldBack {
                tell_a: None,
                tell_b: None
            }
        );
        assert!(national.national().contains("h"));
    }
}
