//! The partnership map (`/map`), the list of joint ventures (`/joint-ventures`) and a joint
//! venture's page (`/joint-ventures/{id}`): who works on what, where, with whom, and where
//! mandates overlap.
//! Administrators' pages for the partnerships: organisations (`/admin/organisations`) and joint
//! ventures with their members, coordinators and overseeing managers
//! (`/admin/joint-ventures/new`, `/admin/joint-ventures/{id}`). The server parses and checks
//! every field (`partnerships::manage`, `partnerships::organisations`); these pages only show the forms and the answers.

pub mod admin_api;
pub mod admin_pages;
#[cfg(feature = "ssr")]
pub mod admin_store;
pub mod admin_types;
pub mod api;
#[cfg(feature = "ssr")]
pub mod detail;
pub mod layout;
#[cfg(feature = "ssr")]
pub mod manage;
pub mod mandate;
#[cfg(feature = "ssr")]
pub mod map;
#[cfg(feature = "ssr")]
pub mod organisations;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
