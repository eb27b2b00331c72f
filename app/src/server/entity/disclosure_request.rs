use sea_orm::entity::prelude::*;

/// A coordinator's consent to disclose that waits for a second coordinator of the same joint
/// venture (four eyes; see `overlaps::approval`). It carries the grounds as given; approving
/// it gives the consent with them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_request")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub overlap_id: i32,
    /// The side (1 or 2) whose consent waits.
    pub side: i32,
    pub requested_by: Option<i32>,
    pub requested_at: String,
    /// The last day it may be approved (`YYYY-MM-DD`, Dutch calendar).
    pub due_on: String,
    pub purpose: String,
    #[sea_orm(column_type = "Text")]
    pub purpose_note: String,
    pub legal_basis: String,
    /// A [`crate::domain::ApprovalState`] code.
    pub state: String,
    pub decided_by: Option<i32>,
    pub decided_at: Option<String>,
    /// Why it was refused (empty otherwise).
    #[sea_orm(column_type = "Text")]
    pub reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
