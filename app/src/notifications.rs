//! Notifications (`/notifications`): a new overlap, the other side acknowledged, a decision
//! proposed or taken, a deadline near or passed, an escalation, a follow-up. The header shows
//! how many are unread. With e-mail configured, each also goes out as an e-mail that says only
//! that something needs attention, with a link.

pub mod api;
#[cfg(feature = "ssr")]
pub mod inbox;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod send;
pub mod types;
