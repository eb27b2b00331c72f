use sea_orm::entity::prelude::*;

/// What a case is about, as typed (`typed`, JSON of the form) and normalised (`normal`; for
/// persons the name key, with the person's own keys beside it).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subject")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// A [`crate::domain::SubjectKind`] code.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub typed: String,
    pub summary: String,
    pub normal: String,
    pub given_key: Option<String>,
    pub family_key: Option<String>,
    /// `1990-05-17`, `1990-05` or `1990`.
    pub birth_date: Option<String>,
    pub nationality: Option<String>,
    pub created_at: String,
    pub created_by: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
