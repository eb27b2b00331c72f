//! Wire types (both targets): what server functions take and return.

use crate::{domain::CaseStatus, domain::Theme, partnerships::types::Named};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const PAGE_SIZE: u64 = 25;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseFilter {
    pub status: String,
    pub theme: String,
    pub q: String,
    /// `reference` (default), `title`, `status`, `start` or `updated`.
    pub sort: String,
    pub page: String,
    /// `due`: only the cases due for review (or past their retention end), not yet deleted.
    pub review: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRow {
    pub id: i32,
    pub joint_venture: String,
    pub reference: String,
    pub title: String,
    pub theme: Theme,
    pub status: CaseStatus,
    pub start: String,
    /// `YYYY-MM-DD`, and whether it has come (and the data is not deleted yet).
    pub review_on: Option<String>,
    pub review_due: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseList {
    pub rows: Vec<CaseRow>,
    pub total: u64,
    pub page: u64,
    pub pages: u64,
    /// The joint ventures the caller coordinates (where a new case can go).
    pub joint_ventures: Vec<Named>,
}

/// The case form as typed; `shared_with[12]=true` for each joint venture it is shared with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseInput {
    pub joint_venture_id: String,
    pub reference: String,
    pub title: String,
    pub theme: String,
    pub status: String,
    pub start: String,
    pub end: String,
    pub handling: String,
    pub shared_with: BTreeMap<String, bool>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseView {
    pub id: i32,
    pub joint_venture: Named,
    pub version: i32,
    pub updated_at: crate::domain::dates::LocalMoment,
    pub input: CaseInput,
    /// Every joint venture, for the shared-with choice.
    pub partners: Vec<Named>,
    pub subjects: crate::subjects::types::SubjectPage,
    pub operations: Vec<crate::operations::types::OperationRow>,
    /// Municipalities an operation can be placed in.
    pub places: Vec<crate::partnerships::types::RegionOption>,
    pub overlaps: CaseOverlaps,
    /// Its review date and retention end; none until the rules first counted them.
    pub retention: Option<crate::retention::types::CaseRetention>,
}

/// The case's overlaps waiting for a step (open or acknowledged), as its coordinators' overlap
/// inbox counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseOverlaps {
    pub open: u64,
    /// Of which urgent (operational conflicts).
    pub urgent: u64,
}

/// The columns of a cases CSV file, in order.
pub const CASE_COLUMNS: [&str; 8] = [
    "reference",
    "title",
    "theme",
    "status",
    "start",
    "end",
    "handling",
    "description",
];
