//! Wire types (both targets): what server functions take and return.

use crate::domain::NotificationKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: i32,
    pub kind: NotificationKind,
    /// Where to look.
    pub link: String,
    pub overlap_id: Option<i32>,
    pub created_at: crate::domain::dates::LocalMoment,
    pub read: bool,
}
