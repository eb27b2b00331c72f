//! A report posted after the session ran out, kept as a draft behind an HttpOnly cookie.

use crate::server::entity::signal_draft;
use crate::{error::AppError, i18n::*, language::request_locale, signals::types::SignalInput};
use crate::{server::time::now, signals::store::MAX_OBSERVED};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter,
};

pub(crate) const DRAFT_COOKIE: &str = "liaison_signal_draft";

/// A draft is kept for a day.
pub(crate) const DRAFT_SECONDS: i64 = 24 * 3600;

/// The longest draft kept (a report is a few kilobytes).
pub(crate) const MAX_DRAFT: usize = 32 * 1024;

/// The most drafts kept at once.
pub(crate) const MAX_DRAFTS: u64 = 10_000;

pub(crate) fn draft_token() -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == DRAFT_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit()))
}

pub(crate) fn set_draft_cookie(token: &str, max_age: i64) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        && let Ok(value) = http::HeaderValue::from_str(&format!(
            "{DRAFT_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}"
        ))
    {
        response.append_header(http::header::SET_COOKIE, value);
    }
}

/// Keeps a report posted after the session ran out; the reporter finds it in the form once
/// signed in again. Nothing of it is checked or routed until then.
#[tracing::instrument(level = "error", skip_all)]
pub async fn keep_draft(db: &DatabaseConnection, input: &SignalInput) -> Result<(), AppError> {
    let form = serde_json::to_string(input).map_err(AppError::failed("encoding the draft"))?;
    if form.len() > MAX_DRAFT {
        return Err(AppError::invalid(
            "observed",
            format!(
                "{} {MAX_OBSERVED}",
                td_string!(request_locale(), err_too_long)
            ),
        ));
    }
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::failed("drawing the draft token"))?;
    let token = hex::encode(bytes);
    let stale = crate::server::utc_text(Utc::now() - chrono::Duration::seconds(DRAFT_SECONDS));
    signal_draft::Entity::delete_many()
        .filter(signal_draft::Column::CreatedAt.lt(stale))
        .exec(db)
        .await?;
    // Anyone can post without a session: beyond this many drafts a day none is kept, so the
    // table cannot be filled from outside.
    let kept = signal_draft::Entity::find().count(db).await?;
    if kept >= MAX_DRAFTS {
        tracing::warn!(kept, "signal drafts at their limit; this one is not kept");
        return Ok(());
    }
    signal_draft::ActiveModel {
        token: Set(token.clone()),
        form: Set(form),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    set_draft_cookie(&token, DRAFT_SECONDS);
    Ok(())
}

/// The draft this browser left, if any (a day at most).
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn draft(db: &DatabaseConnection) -> Result<Option<SignalInput>, AppError> {
    let Some(token) = draft_token() else {
        return Ok(None);
    };
    let stale = crate::server::utc_text(Utc::now() - chrono::Duration::seconds(DRAFT_SECONDS));
    Ok(signal_draft::Entity::find()
        .filter(signal_draft::Column::Token.eq(token))
        .filter(signal_draft::Column::CreatedAt.gte(stale))
        .one(db)
        .await?
        .and_then(|d| serde_json::from_str(&d.form).ok()))
}

/// Removes this browser's draft once the report is filed.
#[tracing::instrument(level = "error", skip_all)]
pub(crate) async fn drop_draft(db: &impl ConnectionTrait) -> Result<(), AppError> {
    if let Some(token) = draft_token() {
        signal_draft::Entity::delete_many()
            .filter(signal_draft::Column::Token.eq(token))
            .exec(db)
            .await?;
        set_draft_cookie("", 0);
    }
    Ok(())
}
