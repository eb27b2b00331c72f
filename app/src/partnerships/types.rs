//! Wire types (both targets): what server functions take and return.

use crate::{domain::MembershipRole, domain::Theme};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionOption {
    pub code: String,
    pub name: String,
}

/// The map's filter as its GET form sends it; empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MapFilter {
    pub theme: String,
    pub region: String,
    pub organisation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapOrganisation {
    pub id: i32,
    pub name: String,
    pub short_name: String,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapVenture {
    pub id: i32,
    pub name: String,
    pub themes: Vec<Theme>,
    pub regions: Vec<String>,
    pub members: Vec<(String, MembershipRole)>,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapEdge {
    pub organisation_id: i32,
    pub joint_venture_id: i32,
    pub from_y: f64,
    pub to_y: f64,
    pub theme: Theme,
    pub role: MembershipRole,
}

/// One region's row of the who-does-what-where matrix: per theme (in `Theme::ALL` order) the
/// active joint ventures working there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixRow {
    pub region: String,
    pub national: bool,
    pub cells: Vec<Vec<Named>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MandateOverlapView {
    pub first: Named,
    pub second: Named,
    pub themes: Vec<Theme>,
    pub areas: Vec<(String, String)>,
    pub shared_members: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipMap {
    pub organisations: Vec<MapOrganisation>,
    pub joint_ventures: Vec<MapVenture>,
    pub edges: Vec<MapEdge>,
    pub height: f64,
    pub matrix: Vec<MatrixRow>,
    pub overlaps: Vec<MandateOverlapView>,
    pub regions: Vec<RegionOption>,
    pub all_organisations: Vec<Named>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointVentureRow {
    pub id: i32,
    pub name: String,
    pub themes: Vec<Theme>,
    pub regions: Vec<String>,
    pub members: usize,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub organisation: String,
    pub role: MembershipRole,
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub organisation: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointVentureDetail {
    pub id: i32,
    pub name: String,
    pub mandate: String,
    pub legal_basis: String,
    pub start: String,
    pub end: Option<String>,
    pub active: bool,
    pub themes: Vec<Theme>,
    pub regions: Vec<String>,
    pub members: Vec<MemberRow>,
    /// `None` when the caller may not see contact details.
    pub coordinators: Option<Vec<Contact>>,
    pub overlaps: Vec<MandateOverlapView>,
    /// Whether the caller may mark this joint venture's flagged overlaps as intended.
    pub may_review: bool,
    pub you_coordinate: bool,
    /// Whether the caller may edit it (administrators).
    pub may_manage: bool,
}

/// The node the user points at on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Focus {
    Organisation(i32),
    JointVenture(i32),
}
