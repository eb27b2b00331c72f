use sea_orm::entity::prelude::*;

/// Evidence a coordinator judged a false match; never raised again.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "false_match")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub evidence: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub judged_by: i32,
    pub judged_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
