//! Blocking: the keyed-hash match keys of a subject and the candidates they find.

use crate::server::mail::Mail;
use crate::{
    domain::SubjectKind, domain::identifiers::BirthDate, error::AppError, overlaps::keys,
    overlaps::keys::MatchSecret, overlaps::score::Person,
};
use crate::{server::entity::benign_value, server::entity::match_key, server::entity::subject};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet};

/// The most candidates one save compares: blocking keys are narrow (a name token with a birth
/// year), so more than this means a value too common to be evidence (see the benign list).
pub(crate) const MAX_CANDIDATES: u64 = 500;

/// What detection needs from the server: the key secret, the conflict distance, and the mail
/// that tells both sides of a new overlap at once (whether a save, a job or the CLI found it).
#[derive(Debug, Clone)]
pub struct Matching {
    pub secret: MatchSecret,
    pub conflict_metres: f64,
    pub mail: Mail,
}

impl Matching {
    /// Detection without e-mail (the notifications are still stored).
    pub fn new(server_secret: &str) -> Self {
        Matching {
            secret: MatchSecret::derive(server_secret),
            conflict_metres: DEFAULT_CONFLICT_METRES,
            mail: Mail::default(),
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

/// The hashed keys a subject looks up, less those on the benign list.
pub(crate) fn probe_hashes(
    m: &Matching,
    s: &subject::Model,
    benign: &BTreeSet<String>,
) -> BTreeSet<String> {
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
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn benign_hashes(
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
        .await?
        .into_iter()
        .map(|b| b.key_hash)
        .collect())
}

/// The hashed keys `s` looks up, less those on the benign list now.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn live_probes(
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

/// Operations of different joint ventures closer than this, in overlapping windows, conflict.
pub const DEFAULT_CONFLICT_METRES: f64 = 500.0;
