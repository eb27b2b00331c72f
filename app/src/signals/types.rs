//! Wire types (both targets): what server functions take and return.

use crate::{
    domain::SignalNature, domain::SignalOutcome, domain::SignalState, domain::Theme,
    domain::Urgency, partnerships::types::Named, partnerships::types::RegionOption,
};
use serde::{Deserialize, Serialize};

/// The reporting form as it is posted (all text: a plain HTML form sends text).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SignalInput {
    pub nature: String,
    pub theme: String,
    pub category: String,
    pub observed: String,
    /// The day it was observed (`2026-11-28`). Not `observed_on`: the form decoder takes a
    /// field whose name starts with another field's name for a second value of that field.
    pub day: String,
    pub place: String,
    pub municipality: String,
    pub urgency: String,
    /// `on` when the reporter is to be hidden.
    pub anonymous: String,
    pub on_behalf_of: String,
    pub person_given: String,
    pub person_family: String,
    pub person_birth_date: String,
    pub person_nationality: String,
    pub identifier_kind: String,
    pub identifier_value: String,
}

/// The identifier kinds the reporting form offers (the rest take more than a minute).
pub const IDENTIFIER_KINDS: &[crate::domain::SubjectKind] = &[
    crate::domain::SubjectKind::Phone,
    crate::domain::SubjectKind::Vehicle,
    crate::domain::SubjectKind::BankAccount,
    crate::domain::SubjectKind::ImmigrationNumber,
    crate::domain::SubjectKind::Email,
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryOption {
    pub id: i32,
    pub name: String,
}

/// What the reporting form offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    pub categories: Vec<CategoryOption>,
    pub municipalities: Vec<RegionOption>,
    /// `2026-11-30`: the latest date something can have been observed.
    pub today: String,
    /// What this browser posted when its session had run out.
    pub draft: Option<SignalInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalRow {
    pub id: i32,
    pub reference: String,
    pub state: SignalState,
    pub nature: SignalNature,
    pub theme: Theme,
    pub category: String,
    pub urgency: Urgency,
    pub reported_on: String,
    /// The owning joint venture (not shown to reporters).
    pub owner: Option<String>,
    /// The current step's last day (not shown to reporters).
    pub due: Option<String>,
    pub overdue: bool,
    /// The earlier signal this report was attached to (not shown to reporters: it may be
    /// another organisation's).
    pub attached_to: Option<String>,
}

/// `/signals`: each list the caller has a role for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SignalLists {
    pub reports: bool,
    /// The caller's own reports.
    pub mine: Vec<SignalRow>,
    pub coordinates: bool,
    /// Owned by the caller's joint ventures, open first.
    pub owned: Vec<SignalRow>,
    pub oversees: bool,
    pub overseen: Vec<SignalRow>,
    pub routes: bool,
    /// No rule routed these: an administrator chooses the owner.
    pub unowned: Vec<SignalRow>,
    /// Signals that name subjects of the caller's cases (coordinators).
    pub matches: Vec<CaseSignalMatch>,
}

/// A signal naming a subject of one of the caller's cases, on the pointer basis: the case and
/// subject are the caller's own; of the signal only what says where to ask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseSignalMatch {
    pub case: Named,
    pub subject: String,
    pub match_kind: String,
    pub score: f64,
    pub evidence: crate::overlaps::types::Evidence,
    pub signal_reference: String,
    pub theme: Theme,
    pub category: String,
    pub reported_on: String,
    /// The joint venture whose coordinators own the signal (ask them).
    pub owner: Option<Named>,
}

/// For the signal's owner: a joint venture whose case knows one of the signal's subjects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalMatchView {
    pub joint_venture: Named,
    pub match_kind: String,
    pub score: f64,
    pub evidence: crate::overlaps::types::Evidence,
}

/// In what capacity the caller sees a signal (decided in `access`).
pub use crate::access::SignalStanding as Viewer;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalEventView {
    pub at: crate::domain::dates::LocalMoment,
    pub step: String,
    /// Who took it: never the reporter of an anonymous signal, and not shown to reporters.
    pub by: Option<String>,
    pub note: Option<String>,
}

/// One signal as the caller may see it; what they may not see is `None` or empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalView {
    pub viewer: Viewer,
    pub id: i32,
    pub reference: String,
    pub version: i32,
    pub state: SignalState,
    pub nature: SignalNature,
    pub theme: Theme,
    pub category: String,
    pub urgency: Urgency,
    pub reported_on: String,
    pub region: Option<String>,
    pub observed: Option<String>,
    pub observed_on: Option<String>,
    pub place: Option<String>,
    /// `Name (Organisation)`, or only the organisation for an anonymous signal.
    pub reporter: Option<String>,
    pub organisation: Option<String>,
    pub anonymous: bool,
    pub on_behalf_of: Option<String>,
    pub subjects: Vec<String>,
    /// The owning joint venture; never for the reporter.
    pub owner: Option<Named>,
    pub routed_by_rule: bool,
    /// The current step and its last day; never for the reporter.
    pub due: Option<(String, String)>,
    pub overdue: bool,
    pub outcome: Option<SignalOutcome>,
    pub outcome_case: Option<Named>,
    pub outcome_service: Option<String>,
    pub no_action_reason: Option<String>,
    pub feedback: Option<String>,
    pub feedback_at: Option<String>,
    pub timeline: Vec<SignalEventView>,
    /// Joint ventures whose cases know one of the signal's subjects (owner and managers).
    pub matches: Vec<SignalMatchView>,
    /// The earlier signal this report was attached to; never for the reporter, whom the
    /// attaching is not told.
    pub duplicate_of: Option<Named>,
    /// Later reports attached to this one.
    pub attached: Vec<Named>,
    /// For the owner: the steps open now, where it can be routed, its joint venture's cases.
    pub steps: Vec<String>,
    pub route_options: Vec<Named>,
    pub case_options: Vec<Named>,
    /// The day its personal data was deleted at the end of its retention; the retention end
    /// for those who read it in full.
    pub purged_on: Option<String>,
    pub retention_end: Option<String>,
    /// The owners' coordinators may extend its retention (with a reason).
    pub may_extend: bool,
}

/// `/admin/signal-routing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingView {
    pub rules: Vec<RoutingRuleRow>,
    pub categories: Vec<CategoryRow>,
    pub joint_ventures: Vec<Named>,
    pub provinces: Vec<RegionOption>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoutingRuleRow {
    pub id: i32,
    pub theme: Option<Theme>,
    pub province: Option<String>,
    pub category: Option<String>,
    pub joint_venture: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryRow {
    pub id: i32,
    pub code: String,
    pub name_nl: String,
    pub name_en: String,
    pub active: bool,
}
