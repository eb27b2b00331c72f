//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::operations::types::{OperationCalendar, OperationInput};
use leptos::prelude::*;

#[server(endpoint = "add_operation")]
pub async fn add_operation(
    case_id: i32,
    #[server(default)] operation: OperationInput,
) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::operations::save::add(
            &db,
            &user,
            &crate::overlaps::candidates::matching()?,
            &case,
            &operation,
        )
        .await
    }
    .await;
    crate::cases::store::landed(result, case_id, "saved=operation")
}

#[server(endpoint = "remove_operation")]
pub async fn remove_operation(case_id: i32, operation_id: i32) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::operations::save::remove(&db, &user, &case, operation_id).await
    }
    .await;
    crate::cases::store::landed(result, case_id, "saved=removed")
}

#[server(endpoint = "operations")]
pub async fn list_operations(
    #[server(default)] from: String,
) -> Result<OperationCalendar, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::access::require(
                &user,
                crate::access::Action::Read,
                crate::access::Object::CaseWork,
            )?;
            crate::operations::save::calendar(&crate::server::db()?, &user, &from).await
        }
        .await,
    )
}
