//! Retention: how long personal data is kept. Rules per organisation kind and theme, set by
//! administrators (`/admin/retention`), give every case and signal a review date and a
//! retention end ([`rules`]); a coordinator extends a case with a reason (audited) or lets it
//! lapse; a daily job ([`purge`]) deletes the personal data past its end — subjects and their
//! match keys, signal subjects and what was observed, overlap evidence, notes and frozen
//! values, drafts — keeping the rows the summaries count and the audit trail.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod purge;
pub mod rules;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
