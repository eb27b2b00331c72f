use sea_orm::entity::prelude::*;

/// A blocking key of a subject, as a keyed hash (HMAC-SHA256 with the server secret).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "match_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub subject_id: i32,
    pub case_id: i32,
    pub joint_venture_id: i32,
    pub key_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
