//! Reports: the managers' overlap report (`/reports/overlaps`) and the ministry's summary
//! (`/summary`).
//!
//! The overlap report counts the overlaps of the joint ventures a manager oversees: by pair of
//! joint ventures (a matrix whose cells link to the overlaps behind them), by kind and age,
//! the decisions taken, the medians to acknowledge and decide, and the pairs that keep
//! overlapping, compared with the period before.
//!
//! The summary is for ministry staff: aggregates only, computed by `server::reporting` (the
//! only part of the server its functions call) and published under the disclosure control of
//! [`disclosure`]: a count of 1 to 4 is shown as `<5`, and other counts are hidden (`x`) where
//! a small one could otherwise be worked out.

pub mod api;
pub mod disclosure;
#[cfg(feature = "ssr")]
pub mod overlap_counts;
#[cfg(feature = "ssr")]
pub mod overlap_report;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reporting;
#[cfg(feature = "ssr")]
pub mod snapshots;
pub mod summary;
pub mod summary_pages;
pub mod types;
