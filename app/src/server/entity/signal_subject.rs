use sea_orm::entity::prelude::*;

/// A subject a signal names, typed and normalised as a case's subjects are.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_subject")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub signal_id: i32,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub typed: String,
    pub summary: String,
    pub normal: String,
    pub given_key: Option<String>,
    pub family_key: Option<String>,
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
