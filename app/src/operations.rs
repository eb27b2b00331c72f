//! Operations: what a case plans (arrest, search, interview, transfer, border check, hearing),
//! where (coordinates, or a municipality resolved to its point) and when (a window of Dutch
//! local time). Listed on the case page and, for all of a coordinator's joint ventures, by day
//! at `/operations`.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod save;
pub mod types;
