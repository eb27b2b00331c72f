//! User administration (`/admin/users…`) and the one-time set-password page. Administrators
//! create, change, deactivate and re-activate accounts and hand out set-password links; no page
//! or server function ever lets them choose or see a password. Taking over an account (a
//! second-factor reset, a link for an account that has a password) needs a second
//! administrator's approval (`takeovers`).

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod takeovers;
pub mod types;
