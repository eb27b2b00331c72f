use sea_orm::entity::prelude::*;

/// One audit event; never updated or deleted by Liaison.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub occurred_at: String,
    pub actor_user_id: Option<i32>,
    pub actor_name: String,
    pub organisation_id: Option<i32>,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub result: String,
    pub client_address: String,
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub previous_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
