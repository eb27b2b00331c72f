//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::overlaps::types::{BenignInput, BenignList, HeldBackRow};
use crate::overlaps::types::{OverlapFilter, OverlapRow, OverlapView};
use leptos::prelude::*;

#[server(endpoint = "overlaps")]
pub async fn list_overlaps(
    #[server(default)] filter: OverlapFilter,
) -> Result<Vec<OverlapRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::pointer::list(
                &crate::server::db()?,
                &user,
                &crate::settings::settings().deadlines,
                &filter,
            )
            .await
        }
        .await,
    )
}

/// How many open overlaps the caller's joint ventures have (the header's count; none for a
/// visitor, so that the header never turns a public page into a refusal).
#[server(endpoint = "open_overlaps")]
pub async fn open_overlaps() -> Result<u64, AppError> {
    crate::server::respond(
        async {
            match crate::server::caller::current_user().await? {
                Some(user) => {
                    let caller = crate::server::caller::Caller::of_request(user);
                    crate::overlaps::pointer::open_count(&crate::server::db()?, &caller).await
                }
                None => Ok(0),
            }
        }
        .await,
    )
}

#[server(endpoint = "overlap")]
pub async fn get_overlap(id: i32) -> Result<OverlapView, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::pointer::view(
                &crate::server::db()?,
                &user,
                &crate::settings::settings().deadlines,
                id,
            )
            .await
        }
        .await,
    )
}

/// The caller's side agrees to disclose, saying why (`purpose`, a `DisclosurePurpose` code, and
/// a note, required for `other`) and on what legal ground (`legal_basis`, one its
/// organisation may use); when both sides have, both see both cases' titles and the matched
/// subjects, and each other's grounds.
#[server(endpoint = "consent_to_disclose")]
pub async fn consent_to_disclose(
    id: i32,
    purpose: String,
    purpose_note: String,
    legal_basis: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let input = crate::overlaps::types::ConsentInput {
            purpose,
            purpose_note,
            legal_basis,
        };
        crate::overlaps::consent::consent(&crate::server::db()?, &user, id, &input).await
    }
    .await;
    match result {
        Ok(crate::overlaps::consent::Consented::Given) => {
            crate::server::land(&format!("/overlaps/{id}"), "done=consent");
        }
        Ok(crate::overlaps::consent::Consented::AwaitingApproval) => {
            crate::server::land(&format!("/overlaps/{id}"), "done=approval_requested");
        }
        Err(_) => {}
    }
    crate::server::respond(result.map(|_| ()))
}

/// The caller's side takes back its consent to disclose, before the other side agreed.
#[server(endpoint = "withdraw_consent")]
pub async fn withdraw_consent(id: i32) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::overlaps::consent::withdraw_consent(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&format!("/overlaps/{id}"), "done=withdraw_consent");
    }
    crate::server::respond(result)
}

/// After disclosure: asks the other side to delete what the caller's side gave it, with a
/// reason. Liaison's copy goes at once; the other side is told and confirms.
#[server(endpoint = "request_deletion")]
pub async fn request_deletion(id: i32, #[server(default)] reason: String) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::overlaps::deletion::request(&crate::server::db()?, &user, id, &reason).await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&format!("/overlaps/{id}"), "done=request_deletion");
    }
    crate::server::respond(result)
}

/// The side asked to delete what it received confirms that its own copies went too.
#[server(endpoint = "confirm_deletion")]
pub async fn confirm_deletion(id: i32) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::overlaps::deletion::confirm(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land(&format!("/overlaps/{id}"), "done=confirm_deletion");
    }
    crate::server::respond(result)
}

/// A second coordinator of the side's joint venture approves (`approve`), refuses (`refuse`,
/// with a `reason`) or the side withdraws (`withdraw`) a consent that waits for approval.
#[server(endpoint = "decide_disclosure_request")]
pub async fn decide_disclosure_request(
    request: i32,
    decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    let result = async {
        use crate::overlaps::approval::Decision;
        let user = crate::server::caller::require_user().await?;
        crate::access::require(
            &user,
            crate::access::Action::Manage,
            crate::access::Object::CaseWork,
        )?;
        let (decision, done) = match decision.as_str() {
            "approve" => (Decision::Approve, "approved"),
            "refuse" => (Decision::Refuse(reason), "refused"),
            "withdraw" => (Decision::Withdraw, "request_withdrawn"),
            _ => {
                return Err(AppError::invalid(
                    "decision",
                    crate::i18n::td_string!(user.locale, err_approval_decision_unknown),
                ));
            }
        };
        let overlap =
            crate::overlaps::approval::decide(&crate::server::db()?, &user, request, decision)
                .await?;
        Ok((overlap, done))
    }
    .await;
    if let Ok((overlap, done)) = &result {
        crate::server::land(&format!("/overlaps/{overlap}"), &format!("done={done}"));
    }
    crate::server::respond(result.map(|_| ()))
}

/// The benign list as the caller may see it, and for whom they may add an entry.
#[server(endpoint = "benign_values")]
pub async fn list_benign() -> Result<BenignList, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::benign::benign_list(&crate::server::db()?, &user).await
        }
        .await,
    )
}

#[server(endpoint = "add_benign_value")]
pub async fn add_benign(#[server(default)] benign: BenignInput) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let matching = crate::overlaps::candidates::matching()?;
        crate::overlaps::benign::add_benign(&crate::server::db()?, &user, &matching, &benign).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/benign", "done=added");
    }
    crate::server::respond(result)
}

#[server(endpoint = "remove_benign_value")]
pub async fn remove_benign(id: i32) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::overlaps::benign::remove_benign(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/benign", "done=removed");
    }
    crate::server::respond(result)
}

/// Subjects of the caller's cases whose matches another joint venture's benign entry holds
/// back: per case and kind, never the value.
#[server(endpoint = "held_back_matches")]
pub async fn held_back_matches() -> Result<Vec<HeldBackRow>, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::overlaps::benign::held_back(&crate::server::db()?, &user).await
        }
        .await,
    )
}
