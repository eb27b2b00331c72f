//! Who coordinates and oversees which joint venture, and their contacts.

use crate::server::entity::joint_venture;
use crate::server::entity::{
    coordinator, mandate_overlap_review, organisation, oversight, user_account,
};
use crate::{error::AppError, partnerships::types::Contact};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;
use std::collections::BTreeSet;

#[tracing::instrument(level = "error", skip_all)]
pub async fn reviewed_pairs(db: &impl ConnectionTrait) -> Result<BTreeSet<(i32, i32)>, AppError> {
    Ok(mandate_overlap_review::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.first_joint_venture_id, r.second_joint_venture_id))
        .collect())
}

/// The coordinators (user ids) of a joint venture.
#[tracing::instrument(level = "error", skip_all)]
pub async fn coordinators_of(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(coordinator::Entity::find()
        .filter(coordinator::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await?
        .into_iter()
        .map(|c| c.user_id)
        .collect())
}

/// The active coordinators of a joint venture with their organisation and e-mail address: who
/// to get in touch with (the joint venture's page, and the other side of an overlap).
#[tracing::instrument(level = "error", skip_all)]
pub async fn coordinator_contacts(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<Contact>, AppError> {
    let users = user_account::Entity::find()
        .filter(user_account::Column::Id.is_in(coordinators_of(db, joint_venture_id).await?))
        .filter(user_account::Column::Active.eq(true))
        .order_by_asc(user_account::Column::DisplayName)
        .all(db)
        .await?;
    let organisations: std::collections::BTreeMap<i32, String> = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(users.iter().map(|u| u.organisation_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    Ok(users
        .into_iter()
        .map(|u| Contact {
            organisation: organisations
                .get(&u.organisation_id)
                .cloned()
                .unwrap_or_default(),
            name: u.display_name,
            email: u.email,
        })
        .collect())
}

/// The managers (user ids) overseeing a joint venture.
#[tracing::instrument(level = "error", skip_all)]
pub async fn overseers_of(
    db: &impl ConnectionTrait,
    joint_venture_id: i32,
) -> Result<Vec<i32>, AppError> {
    Ok(oversight::Entity::find()
        .filter(oversight::Column::JointVentureId.eq(joint_venture_id))
        .all(db)
        .await?
        .into_iter()
        .map(|o| o.user_id)
        .collect())
}

#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn venture_names(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<i32, String>, AppError> {
    Ok(joint_venture::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}
