//! Liaison's user interface: pages, components, server functions and the types they share.
//! Compiled twice: with `ssr` into the server, with `hydrate` into the WebAssembly bundle.

#![recursion_limit = "256"]

pub mod i18n {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub mod domain;
pub mod help;
pub mod home;
pub mod language;
pub mod layout;
pub mod not_found;
pub mod shell;

#[cfg(feature = "ssr")]
pub mod server;

pub use shell::{App, shell};
