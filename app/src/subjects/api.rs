//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::subjects::types::SubjectInput;
use leptos::prelude::*;
use leptos::server_fn::codec::{ByteStream, GetUrl, MultipartData, MultipartFormData, Streaming};

#[server(endpoint = "add_subject")]
pub async fn add_subject(
    case_id: i32,
    #[server(default)] subject: SubjectInput,
) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::subjects::save::add(
            &db,
            &user,
            &crate::overlaps::candidates::matching()?,
            &case,
            &subject,
        )
        .await
    }
    .await;
    crate::cases::store::landed(result, case_id, "saved=subject")
}

/// Makes a subject the one its case is mainly about.
#[server(endpoint = "primary_subject")]
pub async fn make_primary(case_id: i32, subject_id: i32) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::subjects::save::make_primary(&db, &user, &case, subject_id).await
    }
    .await;
    crate::cases::store::landed(result, case_id, "saved=primary")
}

#[server(endpoint = "remove_subject")]
pub async fn remove_subject(case_id: i32, subject_id: i32) -> Result<(), AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        crate::subjects::save::remove(&db, &user, &case, subject_id).await
    }
    .await;
    crate::cases::store::landed(result, case_id, "saved=removed")
}

/// Imports a CSV file (`file`) of subjects into a case (`case_id`), all or nothing.
#[server(endpoint = "import_subjects", input = MultipartFormData)]
pub async fn import_subjects(data: MultipartData) -> Result<usize, AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let db = crate::server::db()?;
        let upload = crate::server::csv_file::read_upload(data).await?;
        let case = crate::cases::store::find_for(&db, &user, upload.id("case_id")?).await?;
        let imported = crate::subjects::files::import(
            &db,
            &user,
            &crate::overlaps::candidates::matching()?,
            &case,
            &upload.file,
        )
        .await?;
        crate::server::land(
            &format!("/cases/{}", case.id),
            &format!("imported={imported}"),
        );
        Ok(imported)
    }
    .await;
    crate::server::respond(result)
}

/// A case's subjects as CSV, in the import layout (so an export imports again), with every
/// cell a spreadsheet would run as a formula made inert.
#[server(endpoint = "subjects.csv", input = GetUrl, output = Streaming)]
pub async fn export_subjects(case_id: i32) -> Result<ByteStream<AppError>, AppError> {
    let result = async {
        let (db, user, case) = crate::cases::store::at_work(case_id).await?;
        let csv = crate::subjects::files::export(&db, &user, &case).await?;
        crate::server::csv_download(&format!("subjects-{}.csv", case.reference));
        Ok(csv)
    }
    .await;
    crate::server::csv_answer(result)
}

/// The import layout with one example row per kind.
#[server(endpoint = "subjects-template.csv", input = GetUrl, output = Streaming)]
pub async fn subject_template() -> Result<ByteStream<AppError>, AppError> {
    // The template is blank, but only coordinators import subjects.
    let coordinator = crate::server::caller::require_user()
        .await
        .and_then(|user| {
            crate::access::require(
                &user,
                crate::access::Action::Read,
                crate::access::Object::CaseWork,
            )
        });
    crate::server::csv_answer(coordinator.map(|()| {
        crate::server::csv_download("liaison-subjects-template.csv");
        crate::subjects::files::template()
    }))
}
