use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "joint_venture")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub mandate: String,
    #[sea_orm(column_type = "Text")]
    pub legal_basis: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    /// A [`crate::domain::JointVentureStatus`] code.
    pub status: String,
    /// Every consent to disclose of this joint venture needs a second coordinator's approval.
    pub four_eyes_disclosure: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::joint_venture_theme::Entity")]
    Theme,
    #[sea_orm(has_many = "super::joint_venture_region::Entity")]
    Region,
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
}

impl Related<super::joint_venture_theme::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Theme.def()
    }
}

impl Related<super::joint_venture_region::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Region.def()
    }
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
