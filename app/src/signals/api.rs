//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::signals::analysis;
use crate::signals::types::{ReportForm, RoutingView, SignalInput, SignalLists, SignalView};
use leptos::prelude::*;

#[server(endpoint = "signal_form")]
pub async fn signal_form() -> Result<ReportForm, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::signals::intake::form(&crate::server::db()?, &user).await
        }
        .await,
    )
}

/// Files a report. After the session ran out the form is kept as a draft and the reporter
/// is sent to sign in; the form then shows it again.
#[server(endpoint = "report_signal")]
pub async fn report_signal(#[server(default)] signal: SignalInput) -> Result<(), AppError> {
    let result = async {
        let db = crate::server::db()?;
        let Some(user) = crate::server::caller::current_user().await? else {
            crate::signals::drafts::keep_draft(&db, &signal).await?;
            leptos_axum::redirect("/sign-in?return_to=%2Fsignals%2Fnew%3Fdraft%3Dkept");
            return Ok(None);
        };
        let user = crate::server::caller::Caller::of_request(user);
        let settings = crate::settings::settings();
        let matching = crate::overlaps::candidates::matching()?;
        crate::signals::intake::report(&db, &user, &settings, &matching, &signal)
            .await
            .map(Some)
    }
    .await;
    if let Ok(Some(id)) = result {
        crate::server::land(&format!("/signals/{id}"), "saved=reported");
    }
    crate::server::respond(result.map(|_| ()))
}

#[server(endpoint = "signals")]
pub async fn list_signals() -> Result<SignalLists, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            let settings = crate::settings::settings();
            crate::signals::view::lists(&crate::server::db()?, &user, &settings).await
        }
        .await,
    )
}

#[server(endpoint = "signal")]
pub async fn get_signal(id: i32) -> Result<SignalView, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            let settings = crate::settings::settings();
            crate::signals::view::view(&crate::server::db()?, &user, &settings, id).await
        }
        .await,
    )
}

#[allow(clippy::too_many_arguments)]
#[server(endpoint = "signal_step")]
pub async fn signal_step(
    id: i32,
    #[server(default)] version: i32,
    #[server(default)] step: String,
    #[server(default)] joint_venture_id: String,
    #[server(default)] outcome: String,
    #[server(default)] case_id: String,
    #[server(default)] service: String,
    #[server(default)] reason: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let settings = crate::settings::settings();
        let input = crate::signals::steps::StepInput {
            version,
            step,
            joint_venture_id,
            outcome,
            case_id,
            service,
            reason,
            note,
        };
        crate::signals::steps::take_step(&crate::server::db()?, &user, &settings, id, &input).await
    }
    .await;
    signal_landed(result, id, "saved=step")
}

#[server(endpoint = "signal_feedback")]
pub async fn signal_feedback(id: i32, #[server(default)] feedback: String) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let settings = crate::settings::settings();
        crate::signals::steps::give_feedback(&crate::server::db()?, &user, &settings, id, &feedback)
            .await
    }
    .await;
    signal_landed(result, id, "saved=feedback")
}

#[server(endpoint = "signal_owner")]
pub async fn signal_owner(
    id: i32,
    #[server(default)] joint_venture_id: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let settings = crate::settings::settings();
        crate::signals::steps::assign_owner(
            &crate::server::db()?,
            &user,
            &settings,
            id,
            &joint_venture_id,
        )
        .await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/signals", "saved=owner");
    }
    crate::server::respond(result)
}

#[server(endpoint = "signal_routing")]
pub async fn signal_routing() -> Result<RoutingView, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::signals::routing_admin::routing(&crate::server::db()?, &user).await
        }
        .await,
    )
}

#[server(endpoint = "add_routing_rule")]
pub async fn add_routing_rule(
    #[server(default)] theme: String,
    #[server(default)] province: String,
    #[server(default)] category: String,
    #[server(default)] joint_venture_id: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::signals::routing_admin::add_rule(
            &crate::server::db()?,
            &user,
            &theme,
            &province,
            &category,
            &joint_venture_id,
        )
        .await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/signal-routing", "saved=rule");
    }
    crate::server::respond(result)
}

#[server(endpoint = "remove_routing_rule")]
pub async fn remove_routing_rule(id: i32) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::signals::routing_admin::remove_rule(&crate::server::db()?, &user, id).await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/signal-routing", "saved=removed");
    }
    crate::server::respond(result)
}

#[server(endpoint = "save_signal_category")]
pub async fn save_signal_category(
    #[server(default)] code: String,
    #[server(default)] name_nl: String,
    #[server(default)] name_en: String,
    #[server(default)] active: String,
) -> Result<(), AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        crate::signals::routing_admin::save_category(
            &crate::server::db()?,
            &user,
            &code,
            &name_nl,
            &name_en,
            matches!(active.as_str(), "on" | "true" | "1"),
        )
        .await
    }
    .await;
    if result.is_ok() {
        crate::server::land("/admin/signal-routing", "saved=category");
    }
    crate::server::respond(result)
}

#[server(endpoint = "signal_analysis")]
pub async fn signal_analysis(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<analysis::Analysis, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::signals::joint_analysis::analysis(&crate::server::db()?, &user, &from, &to).await
        }
        .await,
    )
}

/// The analysis as a CSV file (a plain link downloads it).
#[server(endpoint = "signal-analysis.csv", input = leptos::server_fn::codec::GetUrl, output = leptos::server_fn::codec::Streaming)]
pub async fn signal_analysis_csv(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let a = crate::signals::joint_analysis::analysis(&crate::server::db()?, &user, &from, &to)
            .await?;
        let csv = crate::signals::joint_analysis::analysis_csv(&a)?;
        crate::server::csv_download(&format!("signal-analysis-{}-{}.csv", a.from, a.to));
        Ok(csv)
    }
    .await;
    crate::server::csv_answer(result)
}

#[cfg(feature = "ssr")]
pub(crate) fn signal_landed(
    result: Result<(), AppError>,
    id: i32,
    query: &str,
) -> Result<(), AppError> {
    if result.is_ok() {
        crate::server::land(&format!("/signals/{id}"), query);
    }
    crate::server::respond(result)
}
