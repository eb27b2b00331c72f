use sea_orm::entity::prelude::*;

/// What one side of an overlap disclosed to the other, frozen at the moment of disclosure: its
/// case's reference and title and the matched subject (or operation) as people read them then.
/// The other side reads this, never the live case, and only while the case's handling code
/// still allows it (see `overlaps::store::disclosed`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "overlap_disclosure")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub overlap_id: i32,
    /// The side (1 or 2) whose case this is.
    #[sea_orm(primary_key, auto_increment = false)]
    pub side: i32,
    pub case_reference: String,
    pub case_title: String,
    #[sea_orm(column_type = "Text")]
    pub item: String,
    /// The giving side asked the other to delete what it received: Liaison's copy (the title
    /// and item above) went at once; the other side confirms its own copies went too.
    pub deletion_requested_at: Option<String>,
    pub deletion_requested_by: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub deletion_reason: Option<String>,
    pub deletion_confirmed_at: Option<String>,
    pub deletion_confirmed_by: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
