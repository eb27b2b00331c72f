//! Wire types (both targets): what the retention server functions take and return.

use crate::domain::dates::LocalMoment;
use crate::retention::rules::{Rule, Standing};
use serde::{Deserialize, Serialize};

/// A case's retention as its coordinators read it on the case page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRetention {
    /// `YYYY-MM-DD`.
    pub review_on: String,
    pub retention_end: String,
    pub extended_on: Option<String>,
    pub purged_on: Option<String>,
    pub standing: Standing,
}

/// The rule form as typed; empty kind or theme is any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RuleInput {
    pub organisation_kind: String,
    pub theme: String,
    pub open_months: String,
    pub closed_months: String,
    pub review_days: String,
}

/// What one run of the retention job deleted; stored as the run's audit detail (counts only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PurgeCounts {
    /// Cases whose personal data was deleted.
    pub cases: u64,
    pub subjects: u64,
    pub signals: u64,
    pub signal_subjects: u64,
    /// Overlaps whose evidence, notes and frozen values were deleted.
    pub overlaps: u64,
    pub notes: u64,
    pub drafts: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionRun {
    pub at: LocalMoment,
    pub counts: PurgeCounts,
}

/// `/admin/retention`: the rules, where the cases stand, and the job's last runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionOverview {
    pub rules: Vec<Rule>,
    /// Cases due for review, lapsed (waiting for the job) and purged, over every joint venture.
    pub due: u64,
    pub lapsed: u64,
    pub purged: u64,
    pub runs: Vec<RetentionRun>,
    /// Administrators change the rules; privacy officers and auditors read them.
    pub may_manage: bool,
}
