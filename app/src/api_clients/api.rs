//! The server functions of `/admin/api-clients` (administrators).

use crate::api_clients::types::{ApiClientInput, ApiClientsPage};
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const ISSUED_TOKEN_KEY: &str = "issued_api_token";

/// Keeps a just-issued token in the administrator's session for the page they land on, which
/// shows it once (with or without JavaScript: a plain form post lands there too).
#[cfg(feature = "ssr")]
async fn hand_over(issued: crate::api_clients::types::IssuedToken) -> Result<(), AppError> {
    let session = crate::server::caller::session().await?;
    session.insert(ISSUED_TOKEN_KEY, issued).await?;
    crate::server::land("/admin/api-clients", "issued=1");
    Ok(())
}

#[server(endpoint = "admin/api_clients")]
pub async fn list_api_clients() -> Result<ApiClientsPage, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Read, Object::ApiClients)?;
            let session = crate::server::caller::session().await?;
            let issued = session.remove(ISSUED_TOKEN_KEY).await?;
            crate::api_clients::manage::page(&crate::server::db()?, issued).await
        }
        .await,
    )
}

#[server(endpoint = "admin/create_api_client")]
pub async fn create_api_client(#[server(default)] client: ApiClientInput) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Manage, Object::ApiClients)?;
            let valid = crate::api_clients::manage::parse(&client, admin.locale)?;
            let issued =
                crate::api_clients::manage::create(&crate::server::db()?, &admin, valid).await?;
            hand_over(issued).await
        }
        .await,
    )
}

/// A new token for client `id`; the one before stays valid for a week, so the agency can
/// switch over.
#[server(endpoint = "admin/rotate_api_token")]
pub async fn rotate_api_token(
    id: i32,
    #[server(default)] valid_days: String,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let admin = crate::server::caller::require_user().await?;
            require(&admin, Action::Manage, Object::ApiClients)?;
            let days = crate::api_clients::manage::valid_days(&valid_days, admin.locale)?;
            let issued =
                crate::api_clients::manage::rotate(&crate::server::db()?, &admin, id, days).await?;
            hand_over(issued).await
        }
        .await,
    )
}

#[server(endpoint = "admin/revoke_api_client")]
pub async fn revoke_api_client(id: i32, #[server(default)] reason: String) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let admin = crate::server::caller::require_user().await?;
        require(&admin, Action::Manage, Object::ApiClients)?;
        crate::api_clients::manage::revoke(&crate::server::db()?, &admin, id, &reason).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/api-clients", "revoked=1");
    }
    crate::server::respond(result)
}

/// The API reference (`/help/api`): open to anyone, like `/api/v1/openapi.json`; it describes
/// the interface and holds no data.
#[server(endpoint = "api_reference")]
pub async fn api_reference() -> Result<crate::api_clients::types::ApiReference, AppError> {
    Ok(crate::api_clients::reference::reference())
}
