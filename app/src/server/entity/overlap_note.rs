use sea_orm::entity::prelude::*;

/// A note shared between the two sides of an overlap (their managers see the title only).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "overlap_note")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub overlap_id: i32,
    pub author_id: i32,
    pub side: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
