use sea_orm::entity::prelude::*;

/// An agency's system registered by an administrator; acts through its own account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_client")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub name: String,
    pub organisation_id: i32,
    /// The client's own account (`api:…`): no password, no roles, never signs in.
    pub account_id: i32,
    /// [`crate::domain::Scope`] codes, comma-separated.
    pub scopes: String,
    pub rate_per_minute: i32,
    pub created_by: i32,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
