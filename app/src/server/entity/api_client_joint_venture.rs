use sea_orm::entity::prelude::*;

/// A joint venture an API client acts for.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_client_joint_venture")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub client_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub joint_venture_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
