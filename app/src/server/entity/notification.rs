use sea_orm::entity::prelude::*;

/// Something a user should look at. `dedupe` makes it unique per user, so a job that runs twice
/// notifies once; `mail` is the e-mail's progress (`none`, `pending`, `sending`, `sent`,
/// `failed`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub user_id: i32,
    /// A [`crate::domain::NotificationKind`] code.
    pub kind: String,
    pub overlap_id: Option<i32>,
    pub signal_id: Option<i32>,
    pub dedupe: String,
    pub created_at: String,
    pub read_at: Option<String>,
    pub mail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
