use sea_orm::entity::prelude::*;

/// One option of the purposes (`list` = `purpose`) or legal bases (`legal_basis`) a coordinator
/// chooses from when consenting to disclose; administrators manage them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "disclosure_option")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub list: String,
    pub code: String,
    pub label_nl: String,
    pub label_en: String,
    /// Organisation kind codes, comma-separated; empty for every kind (legal bases).
    pub kinds: String,
    pub needs_note: bool,
    pub active: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
