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

/// The signed-in caller's start page: what needs their attention, one section per role they
/// hold (`None` for a role they do not hold), each with only what that role may see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StartPage {
    pub display_name: String,
    pub organisation: String,
    pub coordinator: Option<CoordinatorWork>,
    pub manager: Option<ManagerWork>,
    pub reporter: Option<ReporterWork>,
    pub ministry: Option<HeadlineFigures>,
    pub admin: Option<AdminWork>,
    /// The caller reads the audit trail.
    pub auditor: bool,
}

impl StartPage {
    /// Whether no section applies to the caller at all.
    pub fn is_empty(&self) -> bool {
        self.coordinator.is_none()
            && self.manager.is_none()
            && self.reporter.is_none()
            && self.ministry.is_none()
            && self.admin.is_none()
            && !self.auditor
    }
}

/// What is due next on an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DueStep {
    /// An overlap's side acknowledges it.
    Acknowledge,
    /// A signal is assessed.
    Assess,
    /// An overlap or a signal is decided on.
    Decide,
}

/// The next step of an item and its deadline as it stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub step: DueStep,
    pub deadline: crate::domain::dates::Deadline,
}

/// An overlap waiting on one of the caller's joint ventures, as their inbox shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlapItem {
    pub id: i32,
    pub match_kind: String,
    /// The caller's own case's reference.
    pub my_case: String,
    pub other_joint_venture: String,
    pub urgent: bool,
    pub state: crate::domain::OverlapState,
    pub flags: Vec<crate::domain::Flag>,
    pub due: Option<Due>,
}

/// A stalled overlap of a joint venture the manager oversees: each side's joint venture, with
/// its case's reference where the managers' view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StalledItem {
    pub id: i32,
    pub match_kind: String,
    pub sides: Vec<String>,
    pub urgent: bool,
    pub state: crate::domain::OverlapState,
    pub flags: Vec<crate::domain::Flag>,
    pub due: Option<Due>,
}

/// A signal that waits on the caller's joint ventures (coordinators) or is overdue in one they
/// oversee (managers): its metadata as the signals list shows it, never what was observed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignalItem {
    pub id: i32,
    pub reference: String,
    pub state: crate::domain::SignalState,
    pub urgency: crate::domain::Urgency,
    pub category: String,
    pub theme: Theme,
    /// The owning joint venture.
    pub owner: Option<String>,
    pub due: Option<Due>,
}

/// One of the reporter's own signals, as they may see it: its status, never its owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItem {
    pub id: i32,
    pub reference: String,
    pub state: crate::domain::SignalState,
    pub reported_on: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoordinatorWork {
    /// Open or acknowledged overlaps, urgent first, then by deadline.
    pub overlaps: Vec<OverlapItem>,
    /// How many more than are listed.
    pub more_overlaps: u64,
    /// Signals owned by the caller's joint ventures and not yet ended, likewise ordered.
    pub signals: Vec<SignalItem>,
    pub more_signals: u64,
    /// Consents of the caller's joint ventures that wait for the caller's approval (four
    /// eyes), nearest deadline first.
    pub approvals: Vec<crate::overlaps::approval::WaitingApproval>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerWork {
    /// Overlaps flagged uncoordinated (a deadline passed), urgent first, then by deadline.
    pub stalled: Vec<StalledItem>,
    pub more_stalled: u64,
    /// Overseen signals past their current step's deadline.
    pub overdue_signals: Vec<SignalItem>,
    pub more_signals: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterWork {
    /// Own signals with feedback the reporter has not read yet.
    pub feedback: Vec<ReportItem>,
    /// The other own signals, open first, then the newest.
    pub signals: Vec<ReportItem>,
    pub more_signals: u64,
}

/// The published summary's national figures of the current quarter, per theme: the same
/// numbers, with the same disclosure control, as `/summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HeadlineFigures {
    /// `2026-Q4`.
    pub quarter: String,
    /// The last day counted (`2026-11-29`).
    pub as_of: String,
    /// The figures count the whole quarter.
    pub complete: bool,
    pub themes: Vec<ThemeFigures>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeFigures {
    pub theme: Theme,
    pub cases: crate::reports::disclosure::Shown,
    pub overlaps: crate::reports::disclosure::Shown,
    pub conflicts: crate::reports::disclosure::Shown,
    pub signals: crate::reports::disclosure::Shown,
    /// Followed up, in percent, where the counts it comes from are shown.
    pub followed_up_share: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminWork {
    /// Takeover requests waiting for a second administrator.
    pub takeovers: u64,
    /// Of which the caller may decide (another administrator asked, independent of them).
    pub takeovers_to_decide: u64,
    /// Signals no routing rule gave an owner, not yet ended.
    pub unrouted_signals: u64,
}
