//! `/api/v1/joint-ventures/{joint_venture_id}/cases…`: an agency's system keeps its cases of a
//! joint venture current by their reference. The handlers read the request and call the
//! case use-cases (`cases::put`), like the pages' server functions do.

use crate::cases::put::{self, Precondition, PutError};
use crate::cases::rest_types::{
    CaseDocument, CasePage, CaseResource, CaseSummary, PutAnswer, PutResult,
};
use crate::rest::call::{ApiCall, RestState, json_body};
use crate::rest::problem::{Problem, Refusals};
use crate::server::entity::case;
use crate::{access::Action, access::Object, access::require, domain::ApiScope, error::AppError};
use axum::{
    Json, Router,
    body::Body,
    extract::{Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;

/// The largest case document (a case with a thousand subjects fits).
pub const MAX_CASE_BYTES: usize = 2 * 1024 * 1024;

pub fn routes() -> Router<RestState> {
    Router::new()
        .route("/joint-ventures/{joint_venture_id}/cases", get(list_cases))
        .route(
            "/joint-ventures/{joint_venture_id}/cases/{reference}",
            get(get_case).put(put_case).delete(close_case),
        )
}

/// A joint venture's id from the path; anything else names no joint venture of the client's.
fn joint_venture(call: &ApiCall, text: &str) -> Result<i32, Problem> {
    text.parse().map_err(|_| Problem::not_found(call.locale()))
}

/// `If-Match: "7"` (also weak, or bare), `If-Match: *`, `If-None-Match: *`.
fn precondition(call: &ApiCall, headers: &HeaderMap) -> Result<Precondition, Problem> {
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        return match value.to_str().map(str::trim) {
            Ok("*") => Ok(Precondition::Absent),
            _ => Err(Problem::field(
                call.locale(),
                "/If-None-Match",
                "only `*` (create, never replace)",
            )),
        };
    }
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Ok(Precondition::None);
    };
    let text = value.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(Precondition::Exists);
    }
    text.trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map(Precondition::Version)
        .map_err(|_| {
            Problem::field(
                call.locale(),
                "/If-Match",
                "the case's version as its ETag gives it, e.g. \"3\"",
            )
        })
}

fn with_etag(mut response: Response, version: i32) -> Response {
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

fn put_problem(call: &ApiCall, err: PutError) -> Problem {
    match err {
        PutError::App(err) => Problem::from_app(call.locale(), err),
        PutError::Precondition(detail) => Problem::precondition_failed(call.locale(), detail),
    }
}

/// Creates or updates a case by its reference.
///
/// The body is the whole case. `subjects` and `operations`, when given, are complete: what is
/// not in them is removed, and each subject and operation that is new is matched at once, as
/// when a coordinator adds it. Sending the same body again changes nothing (`unchanged`). All
/// or nothing: one invalid field and nothing is saved.
#[utoipa::path(
    put,
    path = "/joint-ventures/{joint_venture_id}/cases/{reference}",
    tag = "cases",
    params(
        ("joint_venture_id" = i32, Path, description = "A joint venture the client acts for"),
        ("reference" = String, Path, description = "The case's reference: letters, digits, `-`, `/`, `.`; at most 40"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change is based on"),
        ("If-None-Match" = Option<String>, Header, description = "`*`: only create, never replace"),
    ),
    request_body(content = CaseDocument, content_type = "application/json"),
    responses(
        (status = 201, description = "Created", body = PutAnswer, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "Updated, or unchanged", body = PutAnswer, headers(("ETag" = String))),
        (status = 404, description = "Not a joint venture of the client's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference is another joint venture's, or the case changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match or If-None-Match does not hold", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each with a JSON pointer", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["cases:write"]))
)]
pub async fn put_case(
    State(state): State<RestState>,
    call: ApiCall,
    Path((joint_venture_id, reference)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    call.require(ApiScope::CasesWrite)?;
    let joint_venture_id = joint_venture(&call, &joint_venture_id)?;
    // Need-to-know first: a joint venture that is not the client's is not there, whatever the
    // body says.
    require(
        &call.caller,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )
    .map_err(|_| Problem::not_found(call.locale()))?;
    let precondition = precondition(&call, &headers)?;
    let doc: CaseDocument = json_body(&headers, body, MAX_CASE_BYTES, call.locale()).await?;
    if doc.subjects.is_some() {
        call.require(ApiScope::SubjectsWrite)?;
    }
    if doc.operations.is_some() {
        call.require(ApiScope::OperationsWrite)?;
    }
    let caller = &call.caller;
    let outcome = call
        .run(&state, async {
            let valid = put::parse(&state.db, joint_venture_id, &reference, &doc).await?;
            Ok(put::put(
                &state.db,
                caller,
                &state.matching,
                joint_venture_id,
                valid,
                precondition,
            )
            .await)
        })
        .await?;
    let (result, case_id) = outcome.map_err(|err| put_problem(&call, err))?;
    answer(&state, &call, result, case_id).await
}

/// What a `PUT` or a `DELETE` did, with the case as it is now: `201` with its `Location` when
/// it was created, its version as the `ETag`.
async fn answer(
    state: &RestState,
    call: &ApiCall,
    result: PutResult,
    case_id: i32,
) -> Result<Response, Problem> {
    let found = case::Entity::find_by_id(case_id)
        .one(&state.db)
        .await
        .map_err(|err| Problem::from_app(call.locale(), err.into()))?
        .ok_or_else(|| Problem::not_found(call.locale()))?;
    let location = format!(
        "/api/v1/joint-ventures/{}/cases/{}",
        found.joint_venture_id, found.reference
    );
    let resource = call.run(state, put::resource(&state.db, found)).await?;
    let version = resource.version;
    let status = if result == PutResult::Created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut response = (
        status,
        Json(PutAnswer {
            result,
            case: resource,
        }),
    )
        .into_response();
    if result == PutResult::Created
        && let Ok(value) = HeaderValue::from_str(&location)
    {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(with_etag(response, version))
}

/// One case with its subjects and operations.
#[utoipa::path(
    get,
    path = "/joint-ventures/{joint_venture_id}/cases/{reference}",
    tag = "cases",
    params(
        ("joint_venture_id" = i32, Path, description = "A joint venture the client acts for"),
        ("reference" = String, Path, description = "The case's reference"),
    ),
    responses(
        (status = 200, description = "The case", body = CaseResource, headers(("ETag" = String))),
        (status = 404, description = "No such case of the client's joint ventures", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["cases:read"]))
)]
pub async fn get_case(
    State(state): State<RestState>,
    call: ApiCall,
    Path((joint_venture_id, reference)): Path<(String, String)>,
) -> Result<Response, Problem> {
    call.require(ApiScope::CasesRead)?;
    let joint_venture_id = joint_venture(&call, &joint_venture_id)?;
    let caller = &call.caller;
    let resource = call
        .run(&state, async {
            require(
                caller,
                Action::Read,
                Object::JointVentureWork(joint_venture_id),
            )?;
            let found = put::find_in(&state.db, joint_venture_id, &reference)
                .await?
                .ok_or(AppError::Forbidden)?;
            put::resource(&state.db, found).await
        })
        .await?;
    let version = resource.version;
    Ok(with_etag(Json(resource).into_response(), version))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// Cases after this id (the `next_after` of the page before).
    pub after: Option<i32>,
    /// At most this many, 1–500 (100 if left out).
    pub limit: Option<u64>,
    /// Only cases of this status.
    pub status: Option<crate::domain::CaseStatus>,
    /// Only cases saved at or after this moment (UTC, `2026-12-01T00:00:00Z`).
    pub updated_since: Option<String>,
}

/// The cases of a joint venture, by id, in pages.
#[utoipa::path(
    get,
    path = "/joint-ventures/{joint_venture_id}/cases",
    tag = "cases",
    params(
        ("joint_venture_id" = i32, Path, description = "A joint venture the client acts for"),
        CaseQuery,
    ),
    responses(
        (status = 200, description = "One page", body = CasePage),
        (status = 404, description = "Not a joint venture of the client's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A query parameter is invalid", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["cases:read"]))
)]
pub async fn list_cases(
    State(state): State<RestState>,
    call: ApiCall,
    Path(joint_venture_id): Path<String>,
    query: Result<Query<CaseQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<CasePage>, Problem> {
    call.require(ApiScope::CasesRead)?;
    let joint_venture_id = joint_venture(&call, &joint_venture_id)?;
    let Query(query) =
        query.map_err(|err| Problem::field(call.locale(), "/query", err.body_text()))?;
    let limit = query.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(Problem::field(call.locale(), "/limit", "1–500"));
    }
    let caller = &call.caller;
    call.run(&state, async {
        require(
            caller,
            Action::Read,
            Object::JointVentureWork(joint_venture_id),
        )?;
        let mut select = case::Entity::find()
            .filter(case::Column::JointVentureId.eq(joint_venture_id))
            .filter(case::Column::Id.gt(query.after.unwrap_or(0)))
            .order_by_asc(case::Column::Id)
            .limit(limit + 1);
        if let Some(status) = query.status {
            select = select.filter(case::Column::Status.eq(status.as_str()));
        }
        if let Some(since) = query.updated_since.as_deref() {
            let at = chrono::DateTime::parse_from_rfc3339(since).map_err(|_| {
                AppError::invalid("updated_since", "RFC 3339, e.g. 2026-12-01T00:00:00Z")
            })?;
            select = select.filter(
                case::Column::UpdatedAt
                    .gte(crate::server::utc_text(at.with_timezone(&chrono::Utc))),
            );
        }
        let mut rows = select.all(&state.db).await?;
        let more = rows.len() as u64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(500));
        let next_after = more.then(|| rows.last().map(|c| c.id)).flatten();
        let items = rows
            .into_iter()
            .filter_map(|c| {
                Some(CaseSummary {
                    theme: c.theme.parse().ok()?,
                    status: c.status.parse().ok()?,
                    id: c.id,
                    reference: c.reference,
                    version: c.version,
                    title: c.title,
                    start: c.start_date.to_string(),
                    end: c.end_date.map(|d| d.to_string()),
                    updated_at: c.updated_at,
                })
            })
            .collect();
        Ok(Json(CasePage { items, next_after }))
    })
    .await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CloseQuery {
    /// Why the case is closed (kept in the audit trail), at most 500 characters.
    pub reason: String,
}

/// Closes a case, with a reason. Its data stays until the end of its retention.
#[utoipa::path(
    delete,
    path = "/joint-ventures/{joint_venture_id}/cases/{reference}",
    tag = "cases",
    params(
        ("joint_venture_id" = i32, Path, description = "A joint venture the client acts for"),
        ("reference" = String, Path, description = "The case's reference"),
        ("If-Match" = Option<String>, Header, description = "The version (ETag) the change is based on"),
        CloseQuery,
    ),
    responses(
        (status = 200, description = "Closed, or already closed", body = PutAnswer, headers(("ETag" = String))),
        (status = 404, description = "No such case of the client's joint ventures", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not hold", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["cases:write"]))
)]
pub async fn close_case(
    State(state): State<RestState>,
    call: ApiCall,
    Path((joint_venture_id, reference)): Path<(String, String)>,
    headers: HeaderMap,
    query: Result<Query<CloseQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    call.require(ApiScope::CasesWrite)?;
    let joint_venture_id = joint_venture(&call, &joint_venture_id)?;
    require(
        &call.caller,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )
    .map_err(|_| Problem::not_found(call.locale()))?;
    let precondition = precondition(&call, &headers)?;
    let Query(query) =
        query.map_err(|err| Problem::field(call.locale(), "/reason", err.body_text()))?;
    let caller = &call.caller;
    let outcome = call
        .run(&state, async {
            Ok(put::close(
                &state.db,
                caller,
                joint_venture_id,
                &reference,
                &query.reason,
                precondition,
            )
            .await)
        })
        .await?;
    let (result, case_id) = outcome.map_err(|err| put_problem(&call, err))?;
    answer(&state, &call, result, case_id).await
}
