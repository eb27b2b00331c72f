//! Wire types (both targets) of the purpose and legal-basis lists administrators manage.

use crate::domain::OrganisationKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One option as the administrators' page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionRow {
    pub id: i32,
    /// `purpose` or `legal_basis`.
    pub list: String,
    pub code: String,
    pub label_nl: String,
    pub label_en: String,
    /// For a legal basis: the organisation kinds that provide data on it (empty: every kind).
    pub kinds: Vec<OrganisationKind>,
    pub needs_note: bool,
    /// Offered on the consent form.
    pub active: bool,
    /// How many stated grounds name it.
    pub used: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureLists {
    pub options: Vec<OptionRow>,
    pub may_manage: bool,
}

/// The option form as typed; `kinds[police]=true` for each kind chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OptionInput {
    pub list: String,
    pub code: String,
    pub label_nl: String,
    pub label_en: String,
    pub kinds: BTreeMap<String, bool>,
    pub needs_note: bool,
    pub active: bool,
}
