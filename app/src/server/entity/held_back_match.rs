use sea_orm::entity::prelude::*;

/// A match that one joint venture's benign entry held back, as the other side is told of it:
/// its joint venture, case and subject and the kind of value, never the value or the entry's
/// label. One row per entry and subject; the rows go with the entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "held_back_match")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub benign_value_id: i32,
    pub joint_venture_id: i32,
    pub case_id: i32,
    pub subject_id: i32,
    /// A [`crate::domain::SubjectKind`] code.
    pub kind: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
