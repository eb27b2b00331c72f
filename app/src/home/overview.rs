//! The start page's overview of the portal.

use crate::server::entity::{joint_venture, joint_venture_theme, organisation};
use crate::{
    domain::JointVentureStatus, domain::Theme, home::types::OrganisationEntry,
    home::types::PortalOverview, home::types::ThemeCount,
};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, sea_query::JoinType,
};

#[tracing::instrument(level = "error", skip_all)]
pub async fn load(db: &DatabaseConnection) -> Result<PortalOverview, DbErr> {
    let organisations = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|org| {
            Ok(OrganisationEntry {
                kind: org.kind.parse().map_err(|e| DbErr::Type(format!("{e}")))?,
                name: org.name,
                short_name: org.short_name,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;

    let active = joint_venture::Column::Status.eq(JointVentureStatus::Active.as_str());
    let active_joint_ventures = joint_venture::Entity::find()
        .filter(active.clone())
        .count(db)
        .await?;

    let counted: Vec<(String, i64)> = joint_venture_theme::Entity::find()
        .select_only()
        .column(joint_venture_theme::Column::Theme)
        .column_as(
            joint_venture_theme::Column::JointVentureId.count(),
            "joint_ventures",
        )
        .join(
            JoinType::InnerJoin,
            joint_venture_theme::Relation::JointVenture.def(),
        )
        .filter(active)
        .group_by(joint_venture_theme::Column::Theme)
        .into_tuple()
        .all(db)
        .await?;
    let joint_ventures_by_theme = Theme::ALL
        .iter()
        .map(|theme| ThemeCount {
            theme: *theme,
            joint_ventures: counted
                .iter()
                .find(|(code, _)| code == theme.as_str())
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
        })
        .collect();

    Ok(PortalOverview {
        organisations,
        active_joint_ventures,
        joint_ventures_by_theme,
    })
}
