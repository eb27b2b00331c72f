use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "joint_venture_region")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub joint_venture_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub region_code: String,
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
        belongs_to = "super::region::Entity",
        from = "Column::RegionCode",
        to = "super::region::Column::Code"
    )]
    Region,
}

impl Related<super::joint_venture::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::JointVenture.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
