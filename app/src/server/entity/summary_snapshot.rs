use sea_orm::entity::prelude::*;

/// The ministry's summary of one quarter and theme as published (counts after disclosure
/// control, as JSON), and when it was counted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "summary_snapshot")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `2026-Q3/trafficking`.
    pub key: String,
    pub computed_at: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
