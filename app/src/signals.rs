//! Signals (`/signals`): what front-line staff noticed — hard facts and soft impressions —
//! reported in a minute, routed to a joint venture's coordinators, followed up within deadlines,
//! and fed back to the reporter (`new → assessed → routed → followed up | no action`).
//!
//! Who sees what: a reporter sees their own signals, their status and the feedback written for
//! them (never case detail). The owning joint venture's coordinators see the signal in full,
//! except who reported an anonymous one. Managers overseeing the owner read it. An
//! administrator sees only what routing needs (theme, category, region, urgency) of a signal
//! no rule could route. The reporter of an anonymous signal is in the audit trail only.

pub mod analysis;
pub mod analysis_pages;
pub mod api;
#[cfg(feature = "ssr")]
pub mod drafts;
#[cfg(feature = "ssr")]
pub mod intake;
#[cfg(feature = "ssr")]
pub mod joint_analysis;
pub mod labels;
#[cfg(feature = "ssr")]
pub mod matching;
#[cfg(feature = "ssr")]
pub mod overdue;
pub mod pages;
pub mod report_pages;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod routing_admin;
pub mod routing_pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod steps;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
#[cfg(feature = "ssr")]
pub mod view;
