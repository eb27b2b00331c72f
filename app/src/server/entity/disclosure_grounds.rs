use sea_orm::entity::prelude::*;

/// Why and on what legal ground one side of an overlap agreed to disclose (see
/// `overlaps::grounds`). One row per side that agreed itself; a side whose case names the
/// other joint venture agrees through its handling code and has none.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_grounds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub overlap_id: i32,
    /// The side (1 or 2) that agreed.
    #[sea_orm(primary_key, auto_increment = false)]
    pub side: i32,
    /// A [`crate::domain::DisclosurePurpose`] code.
    pub purpose: String,
    #[sea_orm(column_type = "Text")]
    pub purpose_note: String,
    /// A [`crate::domain::LegalBasis`] code.
    pub legal_basis: String,
    pub given_by: Option<i32>,
    pub given_at: String,
    /// The second coordinator who approved the consent (four eyes), if one was needed.
    pub approved_by: Option<i32>,
    /// The providing organisation when the grounds were given.
    pub organisation_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
