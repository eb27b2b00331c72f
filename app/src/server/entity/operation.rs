use sea_orm::entity::prelude::*;

/// A planned action of a case, at a point and in a window of Dutch local time.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "operation")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub case_id: i32,
    /// A [`crate::domain::OperationKind`] code.
    pub kind: String,
    pub place: String,
    pub region_code: Option<String>,
    pub latitude: f64,
    pub longitude: f64,
    pub starts_at: DateTime,
    pub ends_at: DateTime,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub created_at: String,
    pub created_by: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
