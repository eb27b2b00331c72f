use sea_orm::entity::prelude::*;

/// A signal's subject found among a case's subjects (an overlap of kind `signal`): the case's
/// coordinators see that a signal names their subject, the signal's owner sees which joint
/// venture knows it; neither sees the other's text. `explanation` is JSON of the reasons.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_match")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub signal_id: i32,
    pub signal_subject_id: i32,
    pub subject_id: i32,
    pub case_id: i32,
    pub joint_venture_id: i32,
    pub match_kind: String,
    pub score: f64,
    #[sea_orm(column_type = "Text")]
    pub explanation: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
