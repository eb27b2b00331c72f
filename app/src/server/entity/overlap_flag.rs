use sea_orm::entity::prelude::*;

/// A flag the deadline job raised on an overlap, and when: it escalates once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "overlap_flag")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub overlap_id: i32,
    /// A [`crate::domain::Flag`] code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub flag: String,
    pub raised_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
