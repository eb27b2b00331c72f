use sea_orm::entity::prelude::*;

/// One step on a signal's timeline: who (none for the system), when, and a note.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_event")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub signal_id: i32,
    pub at: String,
    pub actor_id: Option<i32>,
    pub step: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
