//! Wire types of managing the partnerships.

use crate::{domain::MembershipRole, domain::OrganisationKind, domain::Theme};
use crate::{partnerships::types::Named, partnerships::types::RegionOption};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationRow {
    pub id: i32,
    pub name: String,
    pub short_name: String,
    pub kind: OrganisationKind,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrganisationInput {
    pub name: String,
    pub short_name: String,
    pub kind: String,
}

/// The theme checkboxes: a ticked box sends `venture[themes][smuggling]=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ThemeChoice {
    pub smuggling: bool,
    pub trafficking: bool,
    pub terrorism: bool,
}

impl ThemeChoice {
    pub fn themes(&self) -> Vec<Theme> {
        [
            (self.smuggling, Theme::Smuggling),
            (self.trafficking, Theme::Trafficking),
            (self.terrorism, Theme::Terrorism),
        ]
        .into_iter()
        .filter_map(|(chosen, theme)| chosen.then_some(theme))
        .collect()
    }

    pub fn from_themes(themes: &[Theme]) -> Self {
        Self {
            smuggling: themes.contains(&Theme::Smuggling),
            trafficking: themes.contains(&Theme::Trafficking),
            terrorism: themes.contains(&Theme::Terrorism),
        }
    }
}

/// The joint venture form as typed; regions are checkboxes `venture[regions][PV27]=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct JointVentureInput {
    pub name: String,
    pub mandate: String,
    pub legal_basis: String,
    /// `YYYY-MM-DD`.
    pub start: String,
    pub end: String,
    pub themes: ThemeChoice,
    pub regions: BTreeMap<String, bool>,
    /// Four eyes on disclosure (a checkbox: `venture[four_eyes]=true`).
    pub four_eyes: bool,
}

/// A region in the reference list, with the province it lies in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionRow {
    pub code: String,
    pub name: String,
    pub kind: crate::domain::RegionKind,
    pub parent: Option<String>,
}

/// A municipality to add to the reference list (CBS code `GM` and four digits).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RegionInput {
    pub code: String,
    pub name: String,
    pub province: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberInput {
    pub organisation_id: String,
    pub role: String,
    pub since: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipAdminRow {
    pub id: i32,
    pub organisation: String,
    pub role: MembershipRole,
    pub since: String,
    pub until: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignmentRow {
    pub user_id: i32,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointVentureForm {
    pub id: Option<i32>,
    pub input: JointVentureInput,
    pub regions: Vec<RegionOption>,
    pub organisations: Vec<Named>,
    pub memberships: Vec<MembershipAdminRow>,
    pub coordinators: Vec<AssignmentRow>,
    pub managers: Vec<AssignmentRow>,
    pub coordinator_candidates: Vec<Named>,
    pub manager_candidates: Vec<Named>,
}
