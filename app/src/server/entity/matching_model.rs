use sea_orm::entity::prelude::*;

/// The person model's parameters as estimated on a day (`overlaps::training`); the latest row
/// is the one matching uses.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matching_model")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub trained_at: String,
    /// `overlaps::model::Params` as JSON.
    #[sea_orm(column_type = "Text")]
    pub params: String,
    pub persons: i64,
    pub random_pairs: i64,
    pub blocked_pairs: i64,
    pub iterations: i32,
    pub converged: bool,
    pub expected_matches: f64,
    /// Who trained it: an administrator's e-mail, `cli`, or `re-scan`.
    pub trained_by: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
