use sea_orm::entity::prelude::*;

/// One step in an overlap's life (its timeline): who (`actor_id`, `side` 1 or 2 for a side's
/// coordinator, 0 for a manager or the system), when, what, and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "overlap_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub overlap_id: i32,
    pub at: String,
    pub actor_id: Option<i32>,
    pub side: i32,
    /// A [`crate::domain::Step`] code.
    pub step: String,
    pub decision: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
