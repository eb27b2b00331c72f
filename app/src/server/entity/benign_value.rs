use sea_orm::entity::prelude::*;

/// A value common for harmless reasons (a reception centre's address, a helpline): matches on
/// it are not raised until it expires. Only its keyed hash is stored, with a label. An entry
/// of a joint venture holds back only the matches that joint venture takes part in; one
/// without (`joint_venture_id` empty) is national and holds back every match.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "benign_value")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub key_hash: String,
    pub kind: String,
    pub label: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub expires_on: Date,
    pub created_by: i32,
    pub created_at: String,
    /// The joint venture the entry belongs to; `None` for a national entry.
    pub joint_venture_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
