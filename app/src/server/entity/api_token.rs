use sea_orm::entity::prelude::*;

/// A bearer token of an API client: found by its public `lookup`, checked by the hash of its
/// secret (the secret itself is shown once and never stored).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub client_id: i32,
    #[sea_orm(unique)]
    pub lookup: String,
    /// SHA-256 of the secret, hex.
    pub secret_hash: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
