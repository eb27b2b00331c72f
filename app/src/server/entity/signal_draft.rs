use sea_orm::entity::prelude::*;

/// A report posted after the session ran out: the form as JSON, found again by the token in
/// the reporter's cookie once they have signed in.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_draft")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub token: String,
    #[sea_orm(column_type = "Text")]
    pub form: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
