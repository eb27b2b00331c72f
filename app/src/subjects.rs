//! What a case is about: persons, phones, vehicles, bank accounts, addresses, documents,
//! immigration numbers, e-mail addresses, vessels and companies. A coordinator adds them one by
//! one (`/cases/{id}/subjects/new?kind=…`), imports them from CSV (`/cases/{id}/import`) and
//! exports them again. The server parses every value once (`parse`, `normalise`) and keeps what
//! was typed beside its normal form.

pub mod api;
#[cfg(feature = "ssr")]
pub mod files;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod parse;
#[cfg(feature = "ssr")]
pub mod save;
pub mod types;
