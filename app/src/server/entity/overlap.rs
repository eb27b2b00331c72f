use sea_orm::entity::prelude::*;

/// Two cases of different joint ventures that look at the same thing. `first` is the side
/// with the lower item id; `explanation` is JSON of the reasons (no values).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "overlap")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub kind: String,
    pub match_kind: String,
    pub first_case_id: i32,
    pub second_case_id: i32,
    pub first_joint_venture_id: i32,
    pub second_joint_venture_id: i32,
    pub first_item_id: i32,
    pub second_item_id: i32,
    pub score: f64,
    #[sea_orm(column_type = "Text")]
    pub explanation: String,
    pub urgent: bool,
    pub evidence: String,
    pub first_consents: bool,
    pub second_consents: bool,
    pub disclosed_at: Option<String>,
    pub state: String,
    pub created_at: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
