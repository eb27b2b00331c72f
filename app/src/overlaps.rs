//! Overlaps: when two joint ventures look at the same person, phone, vehicle, account or place,
//! both are told at once, on a pointer basis. Each side sees its own case and subject, the match
//! and why, the other joint venture and its coordinators — not the other case's title or
//! subjects until both agree to disclose (`/overlaps`, `/overlaps/{id}`).
//! Deconfliction: every overlap gets an owner on each side, a deadline and a recorded
//! decision. `open → acknowledged (by each side) → decided → closed`; a decision needs both
//! sides (one proposes, the other agrees) or a manager's ruling, and can be reopened with a
//! reason. Flags are derived (`rules::flags`), never typed. Managers see the overlaps of the
//! joint ventures they oversee at `/oversight` — references, titles, states, decisions and
//! flags, never subjects.

pub mod api;
pub mod approval;
#[cfg(feature = "ssr")]
pub mod benign;
#[cfg(feature = "ssr")]
pub mod candidates;
#[cfg(feature = "ssr")]
pub mod conflicts;
#[cfg(feature = "ssr")]
pub mod consent;
#[cfg(feature = "ssr")]
pub mod deadlines;
#[cfg(feature = "ssr")]
pub mod deletion;
#[cfg(feature = "ssr")]
pub mod detect;
#[cfg(feature = "ssr")]
pub mod estimate;
pub mod explain;
#[cfg(feature = "ssr")]
pub mod frequencies;
pub mod grounds;
#[cfg(feature = "ssr")]
pub mod grounds_admin;
pub mod grounds_api;
pub mod grounds_pages;
pub mod grounds_types;
pub mod guide;
pub mod guide_pages;
#[cfg(feature = "ssr")]
pub mod keys;
#[cfg(feature = "ssr")]
pub mod model;
#[cfg(feature = "ssr")]
pub mod model_admin;
pub mod model_api;
pub mod model_pages;
#[cfg(feature = "ssr")]
pub mod oversight;
pub mod oversight_pages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod pointer;
#[cfg(feature = "ssr")]
pub mod rescan;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod score;
pub mod share_pages;
#[cfg(feature = "ssr")]
pub mod status;
#[cfg(feature = "ssr")]
pub mod steps;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod training;
pub mod types;
#[cfg(feature = "ssr")]
pub mod workflow;
pub mod workflow_api;
pub mod workflow_pages;
pub mod workflow_types;
#[cfg(feature = "ssr")]
pub mod workflow_view;
