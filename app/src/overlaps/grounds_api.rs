//! The server functions of the purpose and legal-basis lists.

use crate::error::AppError;
use crate::overlaps::grounds_types::{DisclosureLists, OptionInput};
use leptos::prelude::*;

#[server(endpoint = "disclosure_lists")]
pub async fn get_disclosure_lists() -> Result<DisclosureLists, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::grounds_admin::lists(&crate::server::db()?, &user).await
        }
        .await,
    )
}

/// Adds (`id` none) or changes an option of the lists; administrators.
#[server(endpoint = "save_disclosure_option")]
pub async fn save_disclosure_option(
    id: Option<i32>,
    #[server(default)] option: OptionInput,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        require(&user, Action::Manage, Object::DisclosureLists)?;
        crate::overlaps::grounds_admin::save(&crate::server::db()?, &user, id, &option).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/disclosure-grounds", "saved=1");
    }
    crate::server::respond(result.map(|_| ()))
}
