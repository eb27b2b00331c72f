//! The server functions of an overlap's life and of the managers' oversight.

#[cfg(feature = "ssr")]
use crate::i18n::*;
use crate::overlaps::workflow_types::{OverseenRow, OverseenView};
use crate::{error::AppError, overlaps::types::OverlapFilter};
use leptos::prelude::*;

/// Where a step lands: the page of the role it was taken as.
#[cfg(feature = "ssr")]
fn landing(id: i32, manager: bool) -> String {
    if manager {
        format!("/oversight/overlaps/{id}")
    } else {
        format!("/overlaps/{id}")
    }
}

/// One step of the overlap's life: `acknowledge`, `propose` (with a decision), `agree`, `rule`
/// (a manager, with a decision and a reason), `reopen` (with a reason) or `close`. `version` is
/// the version the caller saw.
#[server(endpoint = "overlap_step")]
pub async fn overlap_step(
    id: i32,
    version: i32,
    step: String,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    // The page confirms the step it lands with (`done=acknowledge`, …); only a known step's
    // code goes into the address.
    let done = step
        .parse::<crate::domain::OverlapStep>()
        .map(|s| s.as_str())
        .unwrap_or("step");
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let settings = crate::settings::settings();
        let input = crate::overlaps::steps::StepInput {
            step,
            version,
            decision,
            reason,
        };
        crate::overlaps::steps::take_step(&crate::server::db()?, &user, &settings, id, &input).await
    }
    .await;
    // The caller lands where they act from: a side's page, or the manager's.
    let result = result.map(|actor| {
        let manager = actor == crate::overlaps::workflow::Actor::Manager;
        crate::server::land(&landing(id, manager), &format!("done={done}"));
    });
    crate::server::respond(result)
}

/// A note for both sides of the overlap.
#[server(endpoint = "overlap_note")]
pub async fn add_overlap_note(
    id: i32,
    title: String,
    #[server(default)] body: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::overlaps::steps::add_note(&crate::server::db()?, &user, id, &title, &body).await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&landing(id, false), "done=note");
    }
    crate::server::respond(result)
}

/// A manager assigns a follow-up to one of either side's coordinators.
#[server(endpoint = "overlap_follow_up")]
pub async fn assign_follow_up(
    id: i32,
    version: i32,
    #[server(default)] assignee: String,
    #[server(default)] follow_up: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let assignee = assignee.trim().parse::<i32>().map_err(|_| {
            AppError::invalid(
                "assignee",
                td_string!(crate::language::request_locale(), err_choose_from_list),
            )
        })?;
        let settings = crate::settings::settings();
        crate::overlaps::oversight::assign_follow_up(
            &crate::server::db()?,
            &user,
            &settings,
            id,
            version,
            assignee,
            &follow_up,
        )
        .await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&landing(id, true), "done=follow_up");
    }
    crate::server::respond(result)
}

#[server(endpoint = "overseen_overlaps")]
pub async fn overseen_overlaps(
    #[server(default)] filter: OverlapFilter,
) -> Result<Vec<OverseenRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::oversight::overseen(
                &crate::server::db()?,
                &user,
                &crate::settings::settings(),
                &filter,
            )
            .await
        }
        .await,
    )
}

#[server(endpoint = "overseen_overlap")]
pub async fn overseen_overlap(id: i32) -> Result<OverseenView, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::oversight::overseen_view(
                &crate::server::db()?,
                &user,
                &crate::settings::settings(),
                id,
            )
            .await
        }
        .await,
    )
}
