//! `POST /api/v1/joint-ventures/{joint_venture_id}/case-batches`: an agency loads its open
//! cases in one go. The body is NDJSON, one case per line, read as it streams in; every line
//! is checked before anything is written, and then all of them are saved in one transaction
//! (matched as they are saved) or none is. Each line is answered, in order.

use crate::cases::put::{self, Precondition, PutError, ValidDocument};
use crate::cases::rest_types::{CaseDocument, PutResult};
use crate::rest::call::{ApiCall, RestState, decode};
use crate::rest::problem::{FieldProblem, Problem, Refusals};
use crate::{access::Action, access::Object, access::require, domain::ApiScope, error::AppError};
use axum::{
    Router,
    body::Body,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
    routing::post,
};
use futures::StreamExt;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The most lines one batch may hold.
pub const MAX_LINES: usize = 10_000;
/// The largest batch body.
pub const MAX_BATCH_BYTES: usize = 64 * 1024 * 1024;

pub fn routes() -> Router<RestState> {
    Router::new().route(
        "/joint-ventures/{joint_venture_id}/case-batches",
        post(post_batch),
    )
}

/// One line of a batch: a case by its reference.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchLine {
    pub reference: String,
    pub case: CaseDocument,
}

/// The answer to one line, in the order of the lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BatchLineAnswer {
    /// The line's number, from 1.
    pub line: usize,
    pub reference: String,
    pub result: PutResult,
    pub id: i32,
    pub version: i32,
}

/// The lines of `body`, as they arrive; at most [`MAX_BATCH_BYTES`].
async fn lines(body: Body, locale: crate::i18n::Locale) -> Result<Vec<Vec<u8>>, Problem> {
    let mut stream = body.into_data_stream();
    let (mut lines, mut current, mut total) = (Vec::new(), Vec::new(), 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Problem::bad_request(locale, "the body broke off"))?;
        total += chunk.len();
        if total > MAX_BATCH_BYTES {
            return Err(Problem::too_large(locale, MAX_BATCH_BYTES));
        }
        for byte in chunk {
            if byte == b'\n' {
                lines.push(std::mem::take(&mut current));
            } else {
                current.push(byte);
            }
        }
        if lines.len() > MAX_LINES {
            return Err(Problem::too_large(locale, MAX_BATCH_BYTES));
        }
    }
    lines.push(current);
    lines.retain(|line| !line.iter().all(u8::is_ascii_whitespace));
    if lines.len() > MAX_LINES {
        return Err(Problem::field(
            locale,
            "",
            format!("at most {MAX_LINES} lines"),
        ));
    }
    Ok(lines)
}

/// Loads many cases of a joint venture at once, all or nothing.
///
/// The body is NDJSON (`application/x-ndjson`): one `{"reference": …, "case": {…}}` per line,
/// the case as a `PUT` takes it, at most 10,000 lines. Every line is checked first; one invalid
/// line and nothing is saved: the problem names each invalid line's fields as
/// `/<line - 1>/case/…`. Otherwise every case is saved and matched in one transaction, and
/// the answer is NDJSON, one line per line sent. Sending the same batch again answers
/// `unchanged` for every line.
#[utoipa::path(
    post,
    path = "/joint-ventures/{joint_venture_id}/case-batches",
    tag = "cases",
    params(("joint_venture_id" = i32, Path, description = "A joint venture the client acts for")),
    request_body(content = BatchLine, content_type = "application/x-ndjson"),
    responses(
        (status = 200, description = "Every line saved: one answer per line", body = BatchLineAnswer, content_type = "application/x-ndjson"),
        (status = 404, description = "Not a joint venture of the client's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A reference is another joint venture's, or a case changed meanwhile; nothing was saved", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/x-ndjson", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid lines, each field with a JSON pointer; nothing was saved", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["cases:write"]))
)]
pub async fn post_batch(
    State(state): State<RestState>,
    call: ApiCall,
    Path(joint_venture_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Problem> {
    let locale = call.locale();
    call.require(ApiScope::CasesWrite)?;
    let joint_venture_id: i32 = joint_venture_id
        .parse()
        .map_err(|_| Problem::not_found(locale))?;
    require(
        &call.caller,
        Action::Manage,
        Object::JointVentureWork(joint_venture_id),
    )
    .map_err(|_| Problem::not_found(locale))?;
    let ndjson = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/x-ndjson" || v == "application/jsonl");
    if !ndjson {
        return Err(Problem::unsupported_media_type(
            locale,
            "application/x-ndjson",
        ));
    }
    let lines = lines(body, locale).await?;
    // Every line decoded and checked before anything is written.
    let mut docs: Vec<(String, CaseDocument)> = Vec::with_capacity(lines.len());
    let mut problems = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        match decode::<BatchLine>(line, locale) {
            Ok(parsed) => {
                let key = parsed.reference.trim().to_uppercase();
                if let Some(first) = seen.insert(key, i) {
                    problems.push(FieldProblem {
                        pointer: format!("/{i}/reference"),
                        detail: format!("the same reference as line {}", first + 1),
                    });
                }
                if parsed.case.subjects.is_some() {
                    call.require(ApiScope::SubjectsWrite)?;
                }
                if parsed.case.operations.is_some() {
                    call.require(ApiScope::OperationsWrite)?;
                }
                docs.push((parsed.reference, parsed.case));
            }
            // A line that is not JSON at all is named as a whole.
            Err(problem) if problem.errors.is_empty() => problems.push(FieldProblem {
                pointer: format!("/{i}"),
                detail: problem.detail,
            }),
            Err(problem) => problems.extend(problem.errors.into_iter().map(|e| FieldProblem {
                pointer: format!("/{i}{}", e.pointer),
                detail: e.detail,
            })),
        }
    }
    if !problems.is_empty() {
        return Err(Problem::invalid(locale, problems));
    }
    let caller = &call.caller;
    let checked = call
        .run(&state, async {
            let mut valid: Vec<(String, ValidDocument)> = Vec::with_capacity(docs.len());
            let mut problems = Vec::new();
            for (i, (reference, doc)) in docs.iter().enumerate() {
                match put::parse(&state.db, joint_venture_id, reference, doc).await {
                    Ok(checked) => valid.push((checked.case.reference.clone(), checked)),
                    Err(AppError::Invalid { field, message }) => {
                        let pointer = crate::rest::problem::pointer_of(&field);
                        let pointer = if field == "reference" {
                            format!("/{i}/reference")
                        } else {
                            format!("/{i}/case{pointer}")
                        };
                        problems.push(FieldProblem {
                            pointer,
                            detail: message,
                        });
                    }
                    Err(other) => return Err(other),
                }
            }
            Ok((valid, problems))
        })
        .await?;
    let (valid, problems) = checked;
    if !problems.is_empty() {
        return Err(Problem::invalid(locale, problems));
    }
    let saved = call
        .run(&state, async {
            let txn = crate::server::begin_matching(&state.db).await?;
            let mut answers = Vec::with_capacity(valid.len());
            for (i, (reference, doc)) in valid.into_iter().enumerate() {
                match put::put_in(
                    &txn,
                    caller,
                    &state.matching,
                    joint_venture_id,
                    doc,
                    Precondition::None,
                )
                .await
                {
                    Ok((result, id)) => answers.push((i + 1, reference, result, id)),
                    Err(PutError::App(AppError::Conflict(message))) => {
                        return Ok(Err(Problem::conflict(
                            locale,
                            format!("line {}: {message}", i + 1),
                        )));
                    }
                    Err(PutError::App(err)) => return Err(err),
                    Err(PutError::Precondition(detail)) => {
                        return Ok(Err(Problem::conflict(locale, detail)));
                    }
                }
            }
            let versions = versions_of(&txn, answers.iter().map(|a| a.3).collect()).await?;
            txn.commit().await?;
            Ok(Ok(answers
                .into_iter()
                .map(|(line, reference, result, id)| BatchLineAnswer {
                    line,
                    reference,
                    result,
                    id,
                    version: versions.get(&id).copied().unwrap_or(1),
                })
                .collect::<Vec<_>>()))
        })
        .await??;
    metrics::counter!("liaison_api_batch_cases_total").increment(saved.len() as u64);
    let lines = futures::stream::iter(saved.into_iter().map(|answer| {
        let mut line = serde_json::to_vec(&answer).unwrap_or_default();
        line.push(b'\n');
        Ok::<_, std::convert::Infallible>(line)
    }));
    let mut response = Body::from_stream(lines).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson"),
    );
    Ok(response)
}

async fn versions_of(
    txn: &sea_orm::DatabaseTransaction,
    ids: Vec<i32>,
) -> Result<HashMap<i32, i32>, AppError> {
    use crate::server::entity::case;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let mut versions = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        for c in case::Entity::find()
            .filter(case::Column::Id.is_in(chunk.to_vec()))
            .all(txn)
            .await?
        {
            versions.insert(c.id, c.version);
        }
    }
    Ok(versions)
}
