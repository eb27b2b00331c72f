//! Wire types (both targets): what server functions take and return.

use crate::domain::OperationKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OperationInput {
    pub kind: String,
    /// An address or description of the place, for people.
    pub place: String,
    /// A municipality's CBS code; its point is used when no coordinates are given.
    pub municipality: String,
    /// `52.3731, 4.8922` (WGS84 latitude, longitude).
    pub coordinates: String,
    pub starts_at: String,
    pub ends_at: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationRow {
    pub id: i32,
    pub case_id: i32,
    pub case_reference: String,
    pub kind: OperationKind,
    pub place: String,
    pub municipality: String,
    pub latitude: f64,
    pub longitude: f64,
    /// On the Dutch clock, as planned.
    pub starts_at: crate::domain::dates::LocalMoment,
    pub ends_at: crate::domain::dates::LocalMoment,
    pub note: String,
}

/// The operations from `from` for `days` days, by day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OperationCalendar {
    pub from: String,
    pub days: u32,
    pub previous: String,
    pub next: String,
    pub by_day: Vec<(String, Vec<OperationRow>)>,
}
