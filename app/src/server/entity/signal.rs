use sea_orm::entity::prelude::*;

/// Something front-line staff noticed, and what was done with it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub reference: String,
    pub organisation_id: i32,
    /// The account that filed it; for an anonymous signal never shown outside the audit trail.
    pub reported_by: i32,
    pub anonymous: bool,
    pub on_behalf_of: Option<String>,
    /// `hard` or `soft`.
    pub nature: String,
    pub theme: String,
    pub category_id: i32,
    #[sea_orm(column_type = "Text")]
    pub observed: String,
    /// `2026-11-28`.
    pub observed_on: String,
    pub place: String,
    pub municipality: Option<String>,
    /// `normal` or `urgent`.
    pub urgency: String,
    /// A [`crate::domain::SignalState`] code.
    pub state: String,
    /// The owner: this joint venture's coordinators.
    pub joint_venture_id: Option<i32>,
    pub routed_by_rule: bool,
    pub created_at: String,
    pub assessed_at: Option<String>,
    pub assessed_by: Option<i32>,
    pub routed_at: Option<String>,
    pub routed_by: Option<i32>,
    pub closed_at: Option<String>,
    pub closed_by: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub no_action_reason: Option<String>,
    /// A [`crate::domain::SignalOutcome`] code.
    pub outcome: Option<String>,
    pub outcome_case_id: Option<i32>,
    pub outcome_service: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub feedback: Option<String>,
    pub feedback_at: Option<String>,
    pub duplicate_of: Option<i32>,
    pub version: i32,
    /// From the retention rules (see `case`).
    pub review_on: Option<Date>,
    pub retention_end: Option<Date>,
    pub retention_extended_on: Option<Date>,
    pub purged_on: Option<Date>,
    /// The reporting system's own id of a signal an agency's intake system sent through the
    /// API: the same id again is the same signal.
    pub external_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
