//! Wire types (both targets): what server functions take and return.

use crate::domain::Decision;
use crate::reports::summary::{QuarterSummary, TrendPoint};
use serde::{Deserialize, Serialize};

/// The headline figures of one period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Headline {
    pub found: u64,
    /// Acknowledged by both sides.
    pub acknowledged: u64,
    pub decided: u64,
    /// Open or acknowledged, and past the deadline that counts now.
    pub overdue: u64,
    pub median_acknowledge_days: Option<f64>,
    pub median_decide_days: Option<f64>,
}

/// A pair of joint ventures (lower id first) in the matrix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PairCount {
    pub first: i32,
    pub second: i32,
    pub found: u64,
    pub decided: u64,
    pub overdue: u64,
    /// Found in the period before.
    pub previous: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KindCount {
    pub kind: String,
    pub found: u64,
    pub decided: u64,
    pub previous: u64,
}

/// Undecided overlaps by days since found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AgeCount {
    /// `0-7`, `8-30`, `31-90` or `91+`.
    pub bucket: String,
    pub open: u64,
    pub acknowledged: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecisionCount {
    pub decision: Decision,
    pub count: u64,
    /// Of which by a manager's ruling.
    pub ruled: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OverlapReport {
    /// The period (`2026-10-01`, both days included) and the one before, of the same length.
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    /// When it was counted (on the Dutch clock): the report is counted on every request.
    pub as_of: crate::domain::dates::LocalMoment,
    /// The joint ventures in the matrix: id and name, by name.
    pub ventures: Vec<(i32, String)>,
    /// The ones the manager oversees.
    pub oversees: Vec<i32>,
    pub now: Headline,
    pub before: Headline,
    pub pairs: Vec<PairCount>,
    pub by_kind: Vec<KindCount>,
    pub by_age: Vec<AgeCount>,
    pub decisions: Vec<DecisionCount>,
    pub recurring: Vec<PairCount>,
}

/// The ministry's summary: the chosen quarter, the one before and the trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub current: QuarterSummary,
    /// When the chosen quarter's figures were counted, on the Dutch clock.
    pub counted: crate::domain::dates::LocalMoment,
    pub previous: Option<QuarterSummary>,
    pub trend: Vec<TrendPoint>,
    /// The quarters one may choose, newest first.
    pub quarters: Vec<String>,
}
