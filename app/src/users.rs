//! User administration (`/admin/users…`) and the one-time set-password page. Administrators
//! create, change, deactivate and re-activate accounts and hand out set-password links; no page
//! or server function ever lets them choose or see a password.

#[cfg(feature = "ssr")]
pub mod accounts;
pub mod api;
#[cfg(feature = "ssr")]
pub mod links;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
