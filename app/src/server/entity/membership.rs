use sea_orm::entity::prelude::*;

/// An organisation's part in a joint venture over a period; leaving sets `until`, so the
/// history stays.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "membership")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub joint_venture_id: i32,
    pub organisation_id: i32,
    /// A [`crate::domain::MembershipRole`] code.
    pub role: String,
    pub since: Date,
    pub until: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::joint_venture::Entity",
        from = "Column::JointVentureId",
        to = "super::joint_venture::Column::Id",
        on_delete = "Cascade"
    )]
    JointVenture,
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::OrganisationId",
        to = "super::organisation::Column::Id"
    )]
    Organisation,
}

impl Related<super::joint_venture::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointVenture.def()
    }
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organisation.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
