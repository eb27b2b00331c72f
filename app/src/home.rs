//! The start page. Before sign-in exists it shows only what is public: the three questions
//! Liaison answers and which public bodies take part, never a case or a person.

pub mod api;
#[cfg(feature = "ssr")]
pub mod overview;
pub mod pages;
pub mod types;
