//! Wire types (both targets): what server functions take and return.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub result: String,
    pub client_address: String,
    pub detail: String,
}

/// The audit page's filter, as typed into its (GET) form. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    /// Part of the actor's user name.
    pub actor: String,
    pub action: String,
    /// `success`, `failure` or `refused`.
    pub result: String,
    /// First and last day (UTC), `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditTrail {
    pub rows: Vec<AuditRow>,
    /// `None` when intact; otherwise what verification found.
    pub broken: Option<String>,
    pub events: u64,
}

/// How many of the newest events the page shows.
pub const PAGE_SIZE: u64 = 100;
