use sea_orm::entity::prelude::*;

/// How long the data of one organisation kind and theme is kept (empty: any).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "retention_rule")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// An [`crate::domain::OrganisationKind`] code, or empty for any.
    pub organisation_kind: String,
    /// A [`crate::domain::Theme`] code, or empty for any.
    pub theme: String,
    pub open_months: i32,
    pub closed_months: i32,
    pub review_days: i32,
    pub updated_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
