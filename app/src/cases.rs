//! Cases of the joint ventures a coordinator coordinates: `/cases` (filter, sort, pages),
//! `/cases/new` and `/cases/{id}` (view, edit, close). Only those coordinators may see or
//! change a case; every read and change is audited. Subjects and operations follow.

pub mod api;
#[cfg(feature = "ssr")]
pub mod import;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod put;
#[cfg(feature = "ssr")]
pub mod rest;
#[cfg(feature = "ssr")]
pub mod rest_batch;
#[cfg(feature = "ssr")]
pub mod rest_types;
#[cfg(feature = "ssr")]
pub mod save;
#[cfg(feature = "ssr")]
pub mod store;
pub mod types;
#[cfg(feature = "ssr")]
pub mod view;
