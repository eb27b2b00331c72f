//! The server functions: check the caller, call a use-case, map the answer.

use crate::audit::provisions::{ProvisionFilter, ProvisionRegister};
use crate::audit::types::{AuditFilter, AuditTrail};
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "audit_trail")]
pub async fn get_audit_trail(
    #[server(default)] filter: AuditFilter,
) -> Result<AuditTrail, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::audit::trail::trail(&crate::server::db()?, &user, &filter).await
        }
        .await,
    )
}

/// The provision register (auditors and privacy officers), filtered.
#[server(endpoint = "provisions")]
pub async fn get_provisions(
    #[server(default)] filter: ProvisionFilter,
) -> Result<ProvisionRegister, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::audit::provisions::register(&crate::server::db()?, &user, &filter, false).await
        }
        .await,
    )
}

/// The provision register as a CSV file (a plain link downloads it), filtered as the page.
#[server(endpoint = "provisions.csv", input = leptos::server_fn::codec::GetUrl, output = leptos::server_fn::codec::Streaming)]
pub async fn provisions_csv(
    #[server(default)] from: String,
    #[server(default)] to: String,
    #[server(default)] joint_venture: String,
    #[server(default)] case: String,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let filter = ProvisionFilter {
            from,
            to,
            joint_venture,
            case,
        };
        let register =
            crate::audit::provisions::register(&crate::server::db()?, &user, &filter, true).await?;
        let csv = crate::audit::provisions::register_csv(&register)?;
        crate::server::csv_download(&format!("provisions-{}.csv", crate::server::time::today()));
        Ok(csv)
    }
    .await;
    crate::server::csv_answer(result)
}
