//! Operational conflicts: two operations of different joint ventures close in place and time.

use crate::overlaps::candidates::Matching;
use crate::overlaps::detect::Item;
use crate::overlaps::detect::{Found, store};
use crate::{error::AppError, overlaps::types::Evidence};
use crate::{server::entity::case, server::entity::operation};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeMap;

pub(crate) fn operation_material(a: i32, b: i32) -> String {
    format!("operation|{}|{}", a.min(b), a.max(b))
}

pub(crate) fn metres_between((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    const EARTH: f64 = 6_371_000.0;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH * h.sqrt().asin()
}

/// Matches an operation just stored against earlier operations of other joint ventures: close
/// in place (within `conflict_metres`) and overlapping in time is an urgent conflict.
#[tracing::instrument(level = "error", skip_all)]
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
        .await?;
    if near.is_empty() {
        return Ok(0);
    }
    let ventures: BTreeMap<i32, i32> = case::Entity::find()
        .filter(case::Column::Id.is_in(near.iter().map(|o| o.case_id)))
        .all(db)
        .await?
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
            kind: crate::domain::OverlapKind::Operation,
            match_kind: "operation".to_owned(),
            a: Item {
                id: op.id,
                case: op.case_id,
                joint_venture: jv,
            },
            b: Item {
                id: other.id,
                case: other.case_id,
                joint_venture: other_jv,
            },
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
