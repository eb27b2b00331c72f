//! Wire types of an overlap's life and of the managers' oversight.

use crate::domain::dates::{Deadline, LocalMoment};
use crate::domain::{Decision, Flag, OverlapState as State, OverlapStep as Step};
use serde::{Deserialize, Serialize};

/// One entry of an overlap's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: LocalMoment,
    pub who: String,
    /// 1 or 2 for a side's coordinator, 0 for a manager or the system.
    pub side: i32,
    pub step: Step,
    pub decision: Option<Decision>,
    pub reason: Option<String>,
}

/// A shared note; `body` is `None` for managers (they see titles only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteView {
    pub at: LocalMoment,
    pub author: String,
    pub side: i32,
    pub title: String,
    pub body: Option<String>,
}

/// Where an overlap stands and what the viewer may do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workflow {
    pub state: State,
    pub version: i32,
    /// The viewer's side (1 or 2), or 0 for a manager.
    pub my_side: i32,
    /// The two joint ventures' names, side 1 first.
    pub side_names: Vec<String>,
    /// Per side: when and by whom it acknowledged.
    pub acknowledged: Vec<Option<(LocalMoment, String)>>,
    /// Last days, `2026-12-07`.
    pub acknowledge_by: String,
    pub decide_by: Option<String>,
    /// A pending proposal and the side that made it.
    pub proposal: Option<(Decision, u8)>,
    pub decision: Option<Decision>,
    pub decided_at: Option<LocalMoment>,
    /// Decided by a manager's ruling.
    pub ruled: bool,
    /// A manager's follow-up: assignee and what to do.
    pub follow_up: Option<(String, String)>,
    pub flags: Vec<Flag>,
    /// The steps the viewer may take now.
    pub allowed: Vec<Step>,
    pub timeline: Vec<TimelineEntry>,
    pub notes: Vec<NoteView>,
}

/// One side as a manager sees it: the case for a side they oversee; for the other, only what
/// it disclosed, as it was then, while its handling code still allows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenSide {
    pub joint_venture: String,
    /// Reference and title.
    pub case: Option<(String, String)>,
    /// When the case shown was disclosed (it is shown as it was then); `None` for a side the
    /// manager oversees, or nothing shown.
    pub disclosed_at: Option<LocalMoment>,
    /// Disclosed, but its handling code no longer allows it to be shown.
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenRow {
    pub id: i32,
    pub match_kind: String,
    pub urgent: bool,
    pub sides: Vec<OverseenSide>,
    pub state: State,
    pub decision: Option<Decision>,
    pub flags: Vec<Flag>,
    /// The deadline that counts now.
    pub due: Option<Deadline>,
    pub created_at: LocalMoment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverseenView {
    pub id: i32,
    pub match_kind: String,
    pub score: f64,
    pub urgent: bool,
    pub sides: Vec<OverseenSide>,
    pub workflow: Workflow,
    /// Either side's coordinators (id, "name (joint venture)"), to assign a follow-up to.
    pub coordinators: Vec<(i32, String)>,
}
