use sea_orm::entity::prelude::*;

/// Which joint venture's coordinators own a new signal: empty fields match anything, and the
/// most specific matching rule wins (then the lowest id).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "routing_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// A [`crate::domain::Theme`] code.
    pub theme: Option<String>,
    /// A province's CBS code (`PV27`).
    pub province: Option<String>,
    pub category_id: Option<i32>,
    pub joint_venture_id: i32,
    pub created_at: String,
    pub created_by: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
