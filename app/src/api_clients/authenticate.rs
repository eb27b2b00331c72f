//! Who is calling the REST API: the client whose token the request carries, as the access
//! rules see it (a coordinator of its joint ventures), with its scopes and rate.

use crate::api_clients::{manage::current_joint_ventures, manage::stored_scopes, tokens};
use crate::server::entity::{
    api_client, api_client_joint_venture, api_token, organisation, user_account,
};
use crate::{access::SignedInUser, domain::ApiScope, error::AppError};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr};

/// A client that presented a valid token.
#[derive(Debug, Clone)]
pub struct ApiClientCaller {
    pub client_id: i32,
    pub name: String,
    pub scopes: Vec<ApiScope>,
    pub rate_per_minute: u32,
    /// Its account as a coordinator of the joint ventures it acts for.
    pub user: SignedInUser,
}

/// Why a token was not accepted. Each is a 401; the words help the agency's operator and
/// reveal nothing a token holder does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Missing,
    Malformed,
    Unknown,
    Expired,
    Revoked,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Missing => "send the client's token as `Authorization: Bearer lsn_…`",
            Refusal::Malformed => "the token is not of the form lsn_<lookup>_<secret>",
            Refusal::Unknown => "the token is not valid",
            Refusal::Expired => "the token has expired; ask an administrator for a new one",
            Refusal::Revoked => "the token was revoked",
        }
    }
}

/// How often a token's `last_used_at` is written (not on every request).
const LAST_USED_EVERY_SECS: i64 = 60;

/// The client of the token in an `Authorization` header value.
#[tracing::instrument(level = "error", skip_all)]
pub async fn authenticate(
    db: &DatabaseConnection,
    authorization: Option<&str>,
) -> Result<Result<ApiClientCaller, Refusal>, AppError> {
    let Some(value) = authorization else {
        return Ok(Err(Refusal::Missing));
    };
    let Some(text) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    else {
        return Ok(Err(Refusal::Missing));
    };
    let Some((lookup, secret)) = tokens::parse(text.trim()) else {
        return Ok(Err(Refusal::Malformed));
    };
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::Lookup.eq(lookup))
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::Unknown));
    };
    if !tokens::matches(secret, &token.secret_hash) {
        return Ok(Err(Refusal::Unknown));
    }
    let now = chrono::Utc::now();
    let now_text = crate::server::utc_text(now);
    if token.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    if token.expires_at <= now_text {
        return Ok(Err(Refusal::Expired));
    }
    let Some(client) = api_client::Entity::find_by_id(token.client_id)
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::Unknown));
    };
    if client.revoked_at.is_some() {
        return Ok(Err(Refusal::Revoked));
    }
    let stale = crate::server::utc_text(now - chrono::Duration::seconds(LAST_USED_EVERY_SECS));
    if token.last_used_at.as_ref().is_none_or(|at| *at < stale) {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now_text))
            .filter(api_token::Column::Id.eq(token.id))
            .exec(db)
            .await?;
    }
    // Its joint ventures, as long as its organisation still takes part in them.
    let member_of = current_joint_ventures(db, client.organisation_id).await?;
    let joint_ventures = api_client_joint_venture::Entity::find()
        .filter(api_client_joint_venture::Column::ClientId.eq(client.id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.joint_venture_id)
        .filter(|id| member_of.contains(id))
        .collect();
    let organisation = organisation::Entity::find_by_id(client.organisation_id)
        .one(db)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let Some(account) = user_account::Entity::find_by_id(client.account_id)
        .one(db)
        .await?
    else {
        return Ok(Err(Refusal::Unknown));
    };
    let scopes = stored_scopes(&client.scopes);
    let user = crate::access::api_client_user(
        account.id,
        account.username,
        account.display_name,
        client.organisation_id,
        organisation,
        joint_ventures,
        &scopes,
    );
    Ok(Ok(ApiClientCaller {
        client_id: client.id,
        scopes,
        rate_per_minute: u32::try_from(client.rate_per_minute).unwrap_or(1),
        name: client.name,
        user,
    }))
}
