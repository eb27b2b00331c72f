use sea_orm::entity::prelude::*;

/// A manager's judgement that two joint ventures overlap in mandate on purpose.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mandate_overlap_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The lower of the two ids.
    pub first_joint_venture_id: i32,
    pub second_joint_venture_id: i32,
    #[sea_orm(column_type = "Text")]
    pub justification: String,
    pub decided_by: i32,
    pub decided_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
