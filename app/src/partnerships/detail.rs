//! One joint venture's page, and marking a mandate overlap as intended.

use crate::partnerships::map::snapshot;
use crate::partnerships::store::{coordinator_contacts, reviewed_pairs};
use crate::server::entity::mandate_overlap_review;
use crate::{
    error::AppError, partnerships::types::JointVentureDetail, partnerships::types::MemberRow,
};
use sea_orm::ConnectionTrait;

#[tracing::instrument(level = "error", skip_all)]
pub async fn detail(
    db: &impl ConnectionTrait,
    id: i32,
    with_contacts: bool,
) -> Result<JointVentureDetail, AppError> {
    let snapshot = snapshot(db).await?;
    let Some(venture) = snapshot.ventures.iter().find(|v| v.id == id) else {
        return Err(AppError::invalid(
            "id",
            crate::i18n::td_string!(crate::language::request_locale(), err_no_such_joint_venture),
        ));
    };
    let contacts = if with_contacts {
        Some(coordinator_contacts(db, id).await?)
    } else {
        None
    };
    let reviewed = reviewed_pairs(db).await?;
    let overlaps = snapshot
        .open_mandate_overlaps(&reviewed)
        .into_iter()
        .filter(|o| o.first.id == id || o.second.id == id)
        .collect();
    Ok(JointVentureDetail {
        id,
        name: venture.name.clone(),
        mandate: venture.mandate.clone(),
        legal_basis: venture.legal_basis.clone(),
        start: venture.start_date.to_string(),
        end: venture.end_date.map(|d| d.to_string()),
        active: snapshot.is_active(venture),
        themes: snapshot.themes_of(id),
        regions: snapshot
            .areas_of(id)
            .iter()
            .map(|a| a.name.clone())
            .collect(),
        members: snapshot
            .memberships
            .get(&id)
            .into_iter()
            .flatten()
            .map(|m| {
                Ok(MemberRow {
                    organisation: snapshot.organisation_name(m.organisation_id),
                    role: m.role.parse()?,
                    since: m.since.to_string(),
                    until: m.until.map(|d| d.to_string()),
                })
            })
            .collect::<Result<_, AppError>>()?,
        coordinators: contacts,
        overlaps,
        may_review: false,
        you_coordinate: false,
        may_manage: false,
    })
}

/// Marks a flagged pair as intended, with the manager's justification, audited in the same
/// transaction. Refuses a pair that is not (or no longer) flagged.
#[tracing::instrument(level = "error", skip_all)]
pub async fn mark_intended(
    db: &sea_orm::DatabaseConnection,
    manager: &crate::server::caller::Caller,
    first: i32,
    second: i32,
    justification: &str,
) -> Result<(), AppError> {
    use crate::i18n::*;
    use crate::server::audit;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let (first, second) = (first.min(second), first.max(second));
    let justification = justification.trim();
    if justification.chars().count() < 10 {
        return Err(AppError::invalid(
            "justification",
            td_string!(manager.locale, err_justification),
        ));
    }
    let snapshot = snapshot(db).await?;
    let reviewed = reviewed_pairs(db).await?;
    let flagged = snapshot
        .open_mandate_overlaps(&reviewed)
        .into_iter()
        .any(|o| (o.first.id, o.second.id) == (first, second));
    if !flagged {
        return Err(AppError::Refused(
            td_string!(manager.locale, err_not_flagged).to_owned(),
        ));
    }
    let txn = crate::server::begin_write(db).await?;
    mandate_overlap_review::ActiveModel {
        first_joint_venture_id: Set(first),
        second_joint_venture_id: Set(second),
        justification: Set(justification.to_owned()),
        decided_by: Set(manager.id),
        decided_at: Set(crate::server::utc_text(chrono::Utc::now())),
        ..Default::default()
    }
    .insert(&txn)
    .await
    // Two managers marking the same pair at once: the unique pair index decides.
    .map_err(|err| match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            AppError::Refused(td_string!(manager.locale, err_not_flagged).to_owned())
        }
        _ => err.into(),
    })?;
    audit::record_by(
        &txn,
        manager,
        "mark_mandate_overlap_intended",
        "joint_venture_pair",
        format!("{first}-{second}"),
        justification.to_owned(),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}
