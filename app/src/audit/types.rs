//! Wire types (both targets): what server functions take and return.

use crate::domain::dates::LocalMoment;
use crate::domain::{OperationKind, SubjectKind};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// On the Dutch clock.
    pub occurred_at: LocalMoment,
    pub actor: String,
    /// The action's code (`domain::AuditAction`), as recorded.
    pub action: String,
    /// What it was done to: the kind's code (`domain::AuditObject`) and its id.
    pub object_type: String,
    pub object_id: String,
    /// `success`, `failure` or `refused`, as recorded.
    pub result: String,
    pub client_address: String,
    pub detail: AuditDetail,
}

/// An event's detail, read back from what was recorded so that the page can say it in the
/// reader's words (see `audit::detail`). The record itself is never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditDetail {
    /// How many rows a list showed, and of how many: `5 of 12 shown`.
    Shown {
        shown: u64,
        total: Option<u64>,
        of: Counted,
    },
    /// How many things the action took in or gave out: `12 subjects`.
    Count { count: u64, of: Counted },
    /// How many sessions a change ended (`other`: besides the one that made it).
    SessionsEnded { count: u64, other: bool },
    /// What a coordinator was shown of an overlap's other side.
    Seen(Seen),
    /// An operation planned in a case: its kind and id.
    Operation { kind: OperationKind, id: String },
    /// A subject added to a case: its kind and id.
    Subject { kind: SubjectKind, id: String },
    /// Why and on what ground a side agreed to disclose.
    Grounds {
        purpose: crate::domain::DisclosurePurpose,
        basis: crate::domain::LegalBasis,
    },
    /// Anything else, as recorded, with the times in it on the Dutch clock.
    Text(Vec<DetailPart>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counted {
    Cases,
    Overlaps,
    Subjects,
    Signals,
    Provisions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Seen {
    /// What the other side disclosed.
    Disclosed,
    /// Disclosed once, withdrawn since by its handling code: the pointer only.
    Withdrawn,
    Pointer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailPart {
    Text(String),
    Moment(LocalMoment),
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
    /// First and last day (Dutch days), `YYYY-MM-DD`.
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
