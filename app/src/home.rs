//! The start page (`/`). A visitor sees what is public: the three questions Liaison answers and
//! which public bodies take part, never a case or a person. A signed-in user sees what needs
//! their attention, a section per role they hold (`start`): a coordinator the overlaps and
//! signals waiting on their joint ventures, a manager the stalled overlaps and overdue signals
//! they oversee, a reporter their own signals and new feedback, ministry staff the summary's
//! headline figures, administrators and auditors what they can do.

pub mod api;
#[cfg(feature = "ssr")]
pub mod overview;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod start;
pub mod types;
