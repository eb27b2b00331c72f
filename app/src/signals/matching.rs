//! A signal's subjects matched against the case subjects, shared on the pointer basis.

use crate::server::caller::Caller;
use crate::{domain::Theme, error::AppError, partnerships::types::Named};
use crate::{
    server::entity::case, server::entity::signal, server::entity::signal_subject,
    server::time::amsterdam_date,
};
use crate::{server::time::now, signals::store::Names};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder,
};
use std::collections::{BTreeMap, BTreeSet};

/// Matches a signal's subject against the case subjects and records each match (an overlap of
/// kind `signal`). Returns the joint ventures whose cases matched.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn match_cases(
    db: &impl ConnectionTrait,
    m: &crate::overlaps::candidates::Matching,
    signal_id: i32,
    s: &signal_subject::Model,
) -> Result<BTreeSet<i32>, AppError> {
    use crate::server::entity::{signal_match, subject};
    // The signal's subject as matching sees a subject; it is no case's.
    let probe = subject::Model {
        id: 0,
        case_id: 0,
        kind: s.kind.clone(),
        typed: String::new(),
        summary: String::new(),
        normal: s.normal.clone(),
        given_key: s.given_key.clone(),
        family_key: s.family_key.clone(),
        birth_date: s.birth_date.clone(),
        nationality: s.nationality.clone(),
        created_at: String::new(),
        created_by: 0,
    };
    let mut ventures = BTreeSet::new();
    for found in crate::overlaps::detect::case_matches(db, m, &probe).await? {
        signal_match::ActiveModel {
            signal_id: Set(signal_id),
            signal_subject_id: Set(s.id),
            subject_id: Set(found.subject.id),
            case_id: Set(found.subject.case_id),
            joint_venture_id: Set(found.joint_venture_id),
            match_kind: Set(found.match_kind),
            score: Set(found.score),
            explanation: Set(serde_json::to_string(&found.evidence).unwrap_or_default()),
            created_at: Set(now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        ventures.insert(found.joint_venture_id);
    }
    Ok(ventures)
}

/// The signals that name subjects of the caller's cases: their case and subject, the match,
/// and of the signal only its reference, theme, category, date and owner (pointer basis).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn matches_for_cases(
    db: &impl ConnectionTrait,
    user: &Caller,
    known: &Names,
) -> Result<Vec<crate::signals::types::CaseSignalMatch>, AppError> {
    use crate::server::entity::{signal_match, subject};
    let found = signal_match::Entity::find()
        .filter(signal_match::Column::JointVentureId.is_in(user.coordinates.clone()))
        .order_by_desc(signal_match::Column::Id)
        .all(db)
        .await?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let cases: BTreeMap<i32, String> = case::Entity::find()
        .filter(case::Column::Id.is_in(found.iter().map(|f| f.case_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.reference))
        .collect();
    let subjects: BTreeMap<i32, String> = subject::Entity::find()
        .filter(subject::Column::Id.is_in(found.iter().map(|f| f.subject_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.summary))
        .collect();
    let signals: BTreeMap<i32, signal::Model> = signal::Entity::find()
        .filter(signal::Column::Id.is_in(found.iter().map(|f| f.signal_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let (names, categories) = (&known.ventures, &known.categories);
    Ok(found
        .into_iter()
        .filter_map(|f| {
            let s = signals.get(&f.signal_id)?;
            Some(crate::signals::types::CaseSignalMatch {
                case: Named {
                    id: f.case_id,
                    name: cases.get(&f.case_id).cloned().unwrap_or_default(),
                },
                subject: subjects.get(&f.subject_id).cloned().unwrap_or_default(),
                match_kind: f.match_kind,
                score: f.score,
                evidence: serde_json::from_str(&f.explanation).ok()?,
                signal_reference: s.reference.clone(),
                theme: s.theme.parse().unwrap_or(Theme::Smuggling),
                category: categories.get(&s.category_id).cloned().unwrap_or_default(),
                reported_on: amsterdam_date(&s.created_at).to_string(),
                owner: s.joint_venture_id.map(|jv| Named {
                    id: jv,
                    name: names.get(&jv).cloned().unwrap_or_default(),
                }),
            })
        })
        .collect())
}
