//! Wire types (both targets) of the API clients page.

use crate::{domain::ApiScope, partnerships::types::Named};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest a token may be valid: a year.
pub const MAX_VALID_DAYS: u32 = 365;
/// How long the token a rotation replaces stays valid, unless it expires before.
pub const ROTATION_OVERLAP_DAYS: u32 = 7;
/// Requests a minute a client may make on one instance, unless set otherwise.
pub const DEFAULT_RATE_PER_MINUTE: u32 = 600;
pub const MAX_RATE_PER_MINUTE: u32 = 60_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRow {
    /// The public part of the token (`lsn_<lookup>_…`), so an administrator can tell which
    /// one a system holds.
    pub lookup: String,
    pub created_at: String,
    pub expires_at: String,
    pub last_used_at: Option<String>,
    /// Valid now: not revoked and not expired.
    pub valid: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientRow {
    pub id: i32,
    pub name: String,
    pub organisation: String,
    pub joint_ventures: Vec<Named>,
    pub scopes: Vec<ApiScope>,
    pub rate_per_minute: u32,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub tokens: Vec<TokenRow>,
}

/// A token just issued: shown once, on the page the administrator lands on, then gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedToken {
    pub client: String,
    pub token: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganisationChoice {
    pub id: i32,
    pub name: String,
    /// The joint ventures the organisation takes part in now: a client acts for some of them.
    pub joint_ventures: Vec<Named>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiClientsPage {
    pub clients: Vec<ApiClientRow>,
    pub organisations: Vec<OrganisationChoice>,
    pub issued: Option<IssuedToken>,
}

/// The form registering a client; `joint_ventures[12]=true`, `scopes[cases:write]=true`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiClientInput {
    pub name: String,
    pub organisation_id: String,
    pub joint_ventures: BTreeMap<String, bool>,
    pub scopes: BTreeMap<String, bool>,
    pub valid_days: String,
    pub rate_per_minute: String,
}

/// The API reference (`/help/api`), read from the OpenAPI document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiReference {
    pub title: String,
    pub description: String,
    pub operations: Vec<ApiOperation>,
    pub schemas: Vec<ApiSchema>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiOperation {
    /// An anchor: `put-joint-ventures-joint_venture_id-cases-reference`.
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub scopes: Vec<String>,
    pub parameters: Vec<ApiField>,
    /// The request body's schema, and an example of it.
    pub body: Option<String>,
    pub example: Option<String>,
    /// (status, description, schema)
    pub responses: Vec<(String, String, String)>,
    pub curl: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiField {
    pub name: String,
    /// `path`, `query`, `header`, or empty for a schema's property.
    pub location: String,
    pub kind: String,
    pub required: bool,
    pub description: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSchema {
    pub name: String,
    pub description: String,
    pub fields: Vec<ApiField>,
}
