use sea_orm::entity::prelude::*;

/// One administrator's request to take over an account (reset its second factor, or issue a
/// set-password link for it), which a different administrator approves or refuses before it
/// takes effect. Pending while `decision` is empty and `expires_at` lies ahead.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "takeover_approval")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The account to be taken over.
    pub user_id: i32,
    /// `users::types::TakeoverKind`'s code.
    pub kind: String,
    pub requested_by: i32,
    pub requested_at: String,
    pub expires_at: String,
    /// `approved` or `refused`; empty while pending.
    pub decision: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<String>,
    /// Why it was refused.
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
