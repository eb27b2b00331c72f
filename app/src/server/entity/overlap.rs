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
    /// `open`, `acknowledged`, `decided` or `closed` (an `OverlapState` code).
    pub state: String,
    pub created_at: String,
    /// Goes up with every step (optimistic concurrency).
    pub version: i32,
    pub first_acknowledged_at: Option<String>,
    pub first_acknowledged_by: Option<i32>,
    pub second_acknowledged_at: Option<String>,
    pub second_acknowledged_by: Option<i32>,
    /// When the decision period started: both sides acknowledged, or a reopening.
    pub decide_from: Option<String>,
    /// A [`crate::domain::Decision`] code one side proposed, and which side (1 or 2).
    pub proposed_decision: Option<String>,
    pub proposed_by_side: Option<i32>,
    pub decision: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<i32>,
    /// Decided by a manager's ruling rather than by both sides.
    pub ruled: bool,
    pub closed_at: Option<String>,
    /// A follow-up a manager assigned: to whom, and what.
    pub follow_up_by: Option<i32>,
    #[sea_orm(column_type = "Text", nullable)]
    pub follow_up: Option<String>,
    /// The day its evidence, notes and frozen values were deleted (a side's data lapsed).
    pub purged_on: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
