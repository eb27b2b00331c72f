use sea_orm::entity::prelude::*;

/// A case of one joint venture. `version` goes up with every save (optimistic concurrency).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "case")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub joint_venture_id: i32,
    pub reference: String,
    pub title: String,
    /// A [`crate::domain::Theme`] code.
    pub theme: String,
    /// A [`crate::domain::CaseStatus`] code.
    pub status: String,
    pub start_date: Date,
    pub end_date: Option<Date>,
    /// A [`crate::domain::Handling`] code.
    pub handling: String,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub version: i32,
    pub updated_at: String,
    /// The subject the case is mainly about (duplicate-effort flags look at it).
    pub primary_subject_id: Option<i32>,
    /// The organisation that keeps the case (its creator's); its kind picks the retention rule.
    pub organisation_id: Option<i32>,
    /// The day the case was closed; retention counts from it.
    pub closed_on: Option<Date>,
    /// From the retention rules: due for review from this day, deleted after the other.
    pub review_on: Option<Date>,
    pub retention_end: Option<Date>,
    /// The last day a coordinator extended the retention (with a reason, audited).
    pub retention_extended_on: Option<Date>,
    /// The day its personal data was deleted at the end of retention.
    pub purged_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
