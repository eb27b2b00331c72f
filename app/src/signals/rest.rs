//! `POST /api/v1/signals`: a signal from an agency's own intake system, reported as its
//! front-line staff report one on `/signals/new` (checked, routed, matched, audited), and kept
//! once per id of the sending system: the same id again answers with the signal already filed.

use crate::rest::call::{ApiCall, RestState, json_body};
use crate::rest::problem::{Problem, Refusals};
use crate::server::entity::signal;
use crate::signals::types::SignalInput;
use crate::{domain::ApiScope, error::AppError};
use axum::{
    Json, Router,
    body::Body,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::post,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> Router<RestState> {
    Router::new().route("/signals", post(post_signal))
}

/// A signal as an intake system sends it; the fields are those of the reporting form.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "external_id": "COA-TA-2026-000381",
    "nature": "soft",
    "theme": "trafficking",
    "category": "3",
    "observed": "A resident seems to be controlled by a travel companion who keeps her papers.",
    "day": "2026-12-04",
    "municipality": "GM0037",
    "urgency": "normal"
}))]
pub struct SignalDocument {
    /// The sending system's own id of the signal: letters, digits, `.`, `_`, `:`, `-`; at
    /// most 100.
    pub external_id: String,
    /// `hard` or `soft`.
    pub nature: String,
    pub theme: String,
    /// A signal category's id.
    pub category: String,
    /// What was observed.
    pub observed: String,
    /// The day it was observed, `YYYY-MM-DD`.
    pub day: String,
    #[serde(default)]
    pub place: String,
    /// A municipality's CBS code.
    #[serde(default)]
    pub municipality: String,
    /// `normal` (if left out) or `urgent`.
    #[serde(default)]
    pub urgency: String,
    /// Hide who reported it from everyone but the auditors.
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub on_behalf_of: String,
    #[serde(default)]
    pub person_given: String,
    #[serde(default)]
    pub person_family: String,
    #[serde(default)]
    pub person_birth_date: String,
    #[serde(default)]
    pub person_nationality: String,
    #[serde(default)]
    pub identifier_kind: String,
    #[serde(default)]
    pub identifier_value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum SignalResult {
    Created,
    /// A signal with this `external_id` was filed before: this is that one.
    Existing,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignalReceipt {
    pub result: SignalResult,
    pub id: i32,
    pub reference: String,
    pub external_id: String,
}

async fn filed(
    db: &DatabaseConnection,
    reporter: i32,
    external_id: &str,
) -> Result<Option<signal::Model>, AppError> {
    Ok(signal::Entity::find()
        .filter(signal::Column::ReportedBy.eq(reporter))
        .filter(signal::Column::ExternalId.eq(external_id))
        .one(db)
        .await?)
}

fn receipt(result: SignalResult, s: signal::Model) -> Response {
    let status = if result == SignalResult::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (
        status,
        Json(SignalReceipt {
            result,
            id: s.id,
            reference: s.reference,
            external_id: s.external_id.unwrap_or_default(),
        }),
    )
        .into_response()
}

/// Reports a signal from the client's intake system.
#[utoipa::path(
    post,
    path = "/signals",
    tag = "signals",
    request_body(content = SignalDocument, content_type = "application/json"),
    responses(
        (status = 201, description = "Filed", body = SignalReceipt),
        (status = 200, description = "Filed before under this external_id", body = SignalReceipt),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each with a JSON pointer", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["signals:write"]))
)]
pub async fn post_signal(
    State(state): State<RestState>,
    call: ApiCall,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let locale = call.locale();
    call.require(ApiScope::SignalsWrite)?;
    let doc: SignalDocument = json_body(&headers, body, 64 * 1024, locale).await?;
    let external_id = doc.external_id.trim().to_owned();
    let well_formed = !external_id.is_empty()
        && external_id.len() <= 100
        && external_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._:-".contains(c));
    if !well_formed {
        return Err(Problem::field(
            locale,
            "/external_id",
            "letters, digits, `.`, `_`, `:`, `-`; at most 100",
        ));
    }
    let reporter = call.caller.id;
    if let Some(before) = call
        .run(&state, filed(&state.db, reporter, &external_id))
        .await?
    {
        return Ok(receipt(SignalResult::Existing, before));
    }
    let input = SignalInput {
        nature: doc.nature,
        theme: doc.theme,
        category: doc.category,
        observed: doc.observed,
        day: doc.day,
        place: doc.place,
        municipality: doc.municipality,
        urgency: doc.urgency,
        anonymous: if doc.anonymous {
            "on".into()
        } else {
            String::new()
        },
        on_behalf_of: doc.on_behalf_of,
        person_given: doc.person_given,
        person_family: doc.person_family,
        person_birth_date: doc.person_birth_date,
        person_nationality: doc.person_nationality,
        identifier_kind: doc.identifier_kind,
        identifier_value: doc.identifier_value,
    };
    let caller = &call.caller;
    let reported = call
        .run(&state, async {
            Ok(crate::signals::intake::report_as(
                &state.db,
                caller,
                &state.settings,
                &state.matching,
                &input,
                Some(&external_id),
            )
            .await)
        })
        .await?;
    // Sent twice at once: the database kept the first, and the second is that one.
    let (result, found) = match reported {
        Ok(id) => (
            SignalResult::Created,
            signal::Entity::find_by_id(id).one(&state.db).await,
        ),
        Err(AppError::Unavailable) => (
            SignalResult::Existing,
            signal::Entity::find()
                .filter(signal::Column::ReportedBy.eq(reporter))
                .filter(signal::Column::ExternalId.eq(external_id.clone()))
                .one(&state.db)
                .await,
        ),
        Err(err) => return Err(Problem::from_app(locale, err)),
    };
    match found {
        Ok(Some(s)) => Ok(receipt(result, s)),
        Ok(None) => Err(Problem::from_app(locale, AppError::Unavailable)),
        Err(err) => Err(Problem::from_app(locale, err.into())),
    }
}
