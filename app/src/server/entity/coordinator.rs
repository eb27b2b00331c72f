use sea_orm::entity::prelude::*;

/// A user assigned to a joint venture as its coordinator.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "coordinator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub joint_venture_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub since: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
