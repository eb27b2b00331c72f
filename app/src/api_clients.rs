//! API clients: the agencies' own systems that keep Liaison current through the REST API
//! (`/api/v1/`). An administrator registers a client of one organisation for some of the joint
//! ventures that organisation takes part in, with scopes, and hands its token over once
//! (`/admin/api-clients`). A client may never do more than a coordinator of those joint
//! ventures (`access::api_client_user`); its scopes narrow that further.

pub mod api;
#[cfg(feature = "ssr")]
pub mod authenticate;
#[cfg(feature = "ssr")]
pub mod events;
#[cfg(feature = "ssr")]
pub mod manage;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod reference;
pub mod reference_pages;
#[cfg(feature = "ssr")]
pub mod tokens;
pub mod types;
