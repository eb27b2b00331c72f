//! The server functions: check the caller, call a use-case, map the answer.

use crate::error::AppError;
use crate::reports::types::{OverlapReport, Summary};
use leptos::prelude::*;

#[server(endpoint = "overlap_report")]
pub async fn read_overlap_report(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<OverlapReport, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::reports::overlap_counts::overlap_report(
                &crate::server::db()?,
                &user,
                &crate::settings::settings().deadlines,
                &from,
                &to,
            )
            .await
        }
        .await,
    )
}

/// The overlap report as a CSV file (a plain link downloads it).
#[server(endpoint = "overlap-report.csv", input = leptos::server_fn::codec::GetUrl, output = leptos::server_fn::codec::Streaming)]
pub async fn overlap_report_csv(
    #[server(default)] from: String,
    #[server(default)] to: String,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let r = crate::reports::overlap_counts::overlap_report(
            &crate::server::db()?,
            &user,
            &crate::settings::settings().deadlines,
            &from,
            &to,
        )
        .await?;
        let csv = crate::reports::overlap_counts::overlap_report_csv(&r)?;
        crate::server::csv_download(&format!("overlap-report-{}-{}.csv", r.from, r.to));
        Ok(csv)
    }
    .await;
    crate::server::csv_answer(result)
}

#[server(endpoint = "summary")]
pub async fn read_summary(
    #[server(default)] quarter: String,
    #[server(default)] theme: String,
) -> Result<Summary, AppError> {
    crate::server::respond(
        async {
            let user = crate::server::caller::require_user().await?;
            crate::reports::snapshots::summary(
                &crate::server::db()?,
                &user,
                &crate::settings::settings(),
                &quarter,
                &theme,
            )
            .await
        }
        .await,
    )
}

/// The chosen quarter's summary as a CSV file: the published figures only (`<5`, `x`).
#[server(endpoint = "summary.csv", input = leptos::server_fn::codec::GetUrl, output = leptos::server_fn::codec::Streaming)]
pub async fn summary_csv(
    #[server(default)] quarter: String,
    #[server(default)] theme: String,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let result = async {
        let user = crate::server::caller::require_user().await?;
        let s = crate::reports::snapshots::summary(
            &crate::server::db()?,
            &user,
            &crate::settings::settings(),
            &quarter,
            &theme,
        )
        .await?;
        let csv = crate::reports::snapshots::summary_csv(&s.current)?;
        crate::server::csv_download(&format!(
            "summary-{}-{}.csv",
            s.current.quarter, s.current.theme
        ));
        Ok(csv)
    }
    .await;
    crate::server::csv_answer(result)
}
