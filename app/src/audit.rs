//! The audit trail page for auditors: the newest events and whether the chain is intact.

pub mod api;
#[cfg(feature = "ssr")]
pub mod detail;
pub mod pages;
pub mod provisions;
pub mod provisions_pages;
#[cfg(feature = "ssr")]
pub mod trail;
pub mod types;
