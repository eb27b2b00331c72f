//! Wire types (both targets): what server functions take and return.

use crate::domain::{OrganisationKind, Theme};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortalOverview {
    pub organisations: Vec<OrganisationEntry>,
    pub active_joint_ventures: u64,
    pub joint_ventures_by_theme: Vec<ThemeCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationEntry {
    pub name: String,
    pub short_name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeCount {
    pub theme: Theme,
    pub joint_ventures: u64,
}
