//! The server functions: check the caller, call a use-case, map the answer.

use crate::cases::types::{CaseFilter, CaseInput, CaseList, CaseView};
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::i18n::*;
use leptos::prelude::*;

#[server(endpoint = "cases")]
pub async fn list_cases(#[server(default)] filter: CaseFilter) -> Result<CaseList, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::access::require(
                &user,
                crate::access::Action::Read,
                crate::access::Object::CaseWork,
            )?;
            crate::cases::view::list(&crate::server::db()?, &user, &filter).await
        }
        .await,
    )
}

#[server(endpoint = "case")]
pub async fn get_case(
    id: i32,
    /// Which page of the case's subjects, from 1.
    #[server(default)]
    subjects_page: u64,
) -> Result<CaseView, AppError> {
    use crate::{access::Action, access::Object, access::require};
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            let db = crate::server::db()?;
            // An unknown case and another joint venture's case are refused alike.
            let found = crate::cases::store::find(&db, id)
                .await
                .map_err(|_| AppError::Forbidden)?;
            require(
                &user,
                Action::Read,
                Object::JointVentureWork(found.joint_venture_id),
            )?;
            crate::cases::view::view(&db, &user, found, subjects_page).await
        }
        .await,
    )
}

#[server(endpoint = "save_case")]
pub async fn save_case(
    id: Option<i32>,
    version: Option<i32>,
    #[server(default)] case: CaseInput,
) -> Result<(), AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        // Who may save a case at all, before the form is read: a coordinator of a joint venture.
        require(&user, Action::Manage, Object::CaseWork)?;
        let db = crate::server::db()?;
        let valid = crate::cases::save::parse(&case)?;
        require(
            &user,
            Action::Manage,
            Object::JointVentureWork(valid.joint_venture_id),
        )?;
        if let Some(id) = id {
            let existing = crate::cases::store::find(&db, id)
                .await
                .map_err(|_| AppError::Forbidden)?;
            require(
                &user,
                Action::Manage,
                Object::JointVentureWork(existing.joint_venture_id),
            )?;
            if existing.joint_venture_id != valid.joint_venture_id {
                return Err(AppError::invalid(
                    "joint_venture_id",
                    td_string!(crate::language::request_locale(), err_case_moves),
                ));
            }
        }
        crate::cases::save::save(&db, &user, id, version, valid).await
    }
    .await;
    if let Ok(saved) = result {
        crate::server::land(&format!("/cases/{saved}"), "saved=1");
    }
    crate::server::respond(result.map(|_| ()))
}

/// Imports a CSV file (`file`) of cases into a joint venture (`joint_venture_id`), all or
/// nothing.
#[server(endpoint = "import_cases", input = leptos::server_fn::codec::MultipartFormData)]
pub async fn import_cases(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<usize, AppError> {
    use crate::{access::Action, access::Object, access::require};
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let db = crate::server::db()?;
        let upload = crate::server::csv_file::read_upload(data).await?;
        let joint_venture_id = upload.id("joint_venture_id")?;
        require(
            &user,
            Action::Manage,
            Object::JointVentureWork(joint_venture_id),
        )?;
        let imported =
            crate::cases::import::import(&db, &user, joint_venture_id, &upload.file).await?;
        crate::server::land("/cases", &format!("imported={imported}"));
        Ok(imported)
    }
    .await;
    crate::server::respond(result)
}
