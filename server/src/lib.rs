//! Liaison's server: configuration, storage, demo data, HTTP routes and security middleware.
//! `main.rs` only parses the command line; tests build the very same [`startup::Application`].

pub mod accounts;
pub mod backup;
pub mod config;
pub mod db;
pub mod demo;
pub mod forms;
pub mod limits;
pub mod metrics;
pub mod proxies;
pub mod routes;
pub mod security;
pub mod startup;
