//! `/api/v1/overlaps`: the overlaps of the client's joint ventures on the pointer basis, as
//! their coordinators see them (their own side in full, the other side's joint venture and
//! contact, its case only once both sides agreed to disclose).

use crate::overlaps::types::{Evidence, OverlapFilter, OverlapRow, OverlapView, Reason, Side};
use crate::rest::call::{ApiCall, RestState};
use crate::rest::problem::{Problem, Refusals};
use crate::{domain::ApiScope, error::AppError};
use axum::{
    Json, Router,
    extract::{Path, Query, State},
    routing::get,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub fn routes() -> Router<RestState> {
    Router::new()
        .route("/overlaps", get(list_overlaps))
        .route("/overlaps/{id}", get(get_overlap))
        .route("/overlaps/{id}/steps", axum::routing::post(take_step))
        .route("/overlaps/{id}/consent", axum::routing::post(consent))
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseRef {
    pub id: i32,
    pub reference: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JointVentureRef {
    pub id: i32,
    pub name: String,
}

/// One side of an overlap as the client may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SideResource {
    pub joint_venture: JointVentureRef,
    /// Always for the client's own side; for the other side only once disclosed.
    pub case: Option<CaseRef>,
    /// The matched subject's summary or the operation's kind, place and time, likewise.
    pub item: Option<String>,
    pub consents: bool,
}

impl From<Side> for SideResource {
    fn from(side: Side) -> Self {
        SideResource {
            joint_venture: JointVentureRef {
                id: side.joint_venture.id,
                name: side.joint_venture.name,
            },
            case: side.case.map(|(id, reference, title)| CaseRef {
                id,
                reference,
                title,
            }),
            item: side.item,
            consents: side.consents,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactResource {
    pub name: String,
    pub organisation: String,
    pub email: String,
}

/// One overlap; values are never part of its evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverlapResource {
    pub id: i32,
    /// `subject` or `operation`.
    pub kind: String,
    /// The subject kind that matched, or `operation`.
    pub match_kind: String,
    pub score: f64,
    pub urgent: bool,
    pub state: String,
    /// What a step rests on (`StepDocument.version`).
    pub version: i32,
    pub disclosed: bool,
    /// Why it was raised: `same_identifier`, `family_equal`, `given_similar:0.93`,
    /// `birth_equal`, `operation:300m:120min`, …
    pub evidence: Vec<String>,
    pub mine: SideResource,
    pub theirs: SideResource,
    /// The other joint venture's coordinators, to get in touch.
    pub contacts: Vec<ContactResource>,
}

fn reason_code(reason: &Reason) -> String {
    match reason {
        Reason::FamilyEqual => "family_equal".into(),
        Reason::FamilyDiffers => "family_differs".into(),
        Reason::BirthOneOff => "birth_one_off".into(),
        Reason::FamilySimilar(s) => format!("family_similar:{s:.2}"),
        Reason::GivenEqual => "given_equal".into(),
        Reason::GivenSimilar(s) => format!("given_similar:{s:.2}"),
        Reason::GivenDiffers => "given_differs".into(),
        Reason::NamesSwapped => "names_swapped".into(),
        Reason::BirthEqual => "birth_equal".into(),
        Reason::BirthDayMonthSwapped => "birth_day_month_swapped".into(),
        Reason::BirthCompatible => "birth_compatible".into(),
        Reason::BirthYearApart => "birth_year_apart".into(),
        Reason::BirthConflict => "birth_conflict".into(),
        Reason::NationalityEqual => "nationality_equal".into(),
        Reason::NationalityDiffers => "nationality_differs".into(),
        Reason::SharedIdentifier => "shared_identifier".into(),
    }
}

pub fn evidence_codes(evidence: &Evidence) -> Vec<String> {
    match evidence {
        Evidence::SameIdentifier => vec!["same_identifier".into()],
        Evidence::Person(reasons) => reasons.iter().map(reason_code).collect(),
        Evidence::Weighed { fields, .. } => fields
            .iter()
            .map(|f| format!("{}:{:+.1}", reason_code(&f.reason), f.weight))
            .collect(),
        Evidence::Operation { metres, minutes } => {
            vec![format!("operation:{metres}m:{minutes}min")]
        }
    }
}

impl From<OverlapView> for OverlapResource {
    fn from(v: OverlapView) -> Self {
        OverlapResource {
            evidence: evidence_codes(&v.evidence),
            id: v.id,
            kind: v.kind,
            match_kind: v.match_kind,
            score: v.score,
            urgent: v.urgent,
            state: v.state,
            version: v.workflow.version,
            disclosed: v.disclosed && !v.withdrawn,
            mine: v.mine.into(),
            theirs: v.theirs.into(),
            contacts: v
                .contacts
                .into_iter()
                .map(|c| ContactResource {
                    name: c.name,
                    organisation: c.organisation,
                    email: c.email,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverlapSummary {
    pub id: i32,
    pub match_kind: String,
    pub my_case: CaseRefShort,
    pub other_joint_venture: String,
    pub score: f64,
    pub urgent: bool,
    pub disclosed: bool,
    pub state: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseRefShort {
    pub id: i32,
    pub reference: String,
}

impl From<OverlapRow> for OverlapSummary {
    fn from(r: OverlapRow) -> Self {
        OverlapSummary {
            id: r.id,
            match_kind: r.match_kind,
            my_case: CaseRefShort {
                id: r.my_case.id,
                reference: r.my_case.name,
            },
            other_joint_venture: r.other_joint_venture,
            score: r.score,
            urgent: r.urgent,
            disclosed: r.disclosed,
            state: r.state,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OverlapList {
    /// The most urgent first, then the newest; at most 500.
    pub items: Vec<OverlapSummary>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OverlapQuery {
    /// `open`, `acknowledged`, `decided`, `closed`, or `all`; every overlap not closed if left
    /// out.
    pub state: Option<String>,
    /// A subject kind's code or `operation`.
    pub kind: Option<String>,
}

const STATES: [&str; 5] = ["open", "acknowledged", "decided", "closed", "all"];

/// The overlaps of the client's joint ventures.
#[utoipa::path(
    get,
    path = "/overlaps",
    tag = "overlaps",
    params(OverlapQuery),
    responses(
        (status = 200, description = "The overlaps", body = OverlapList),
        (status = 422, description = "A query parameter is invalid", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["overlaps:read"]))
)]
pub async fn list_overlaps(
    State(state): State<RestState>,
    call: ApiCall,
    query: Result<Query<OverlapQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<OverlapList>, Problem> {
    call.require(ApiScope::OverlapsRead)?;
    let invalid = |pointer: &str, detail: String| Problem::field(call.locale(), pointer, detail);
    let Query(query) = query.map_err(|err| invalid("/query", err.body_text()))?;
    let state_code = query.state.unwrap_or_default();
    if !state_code.is_empty() && !STATES.contains(&state_code.as_str()) {
        return Err(invalid("/state", STATES.join(", ")));
    }
    let kind = query.kind.unwrap_or_default();
    let known_kind = kind.is_empty()
        || kind == "operation"
        || kind.parse::<crate::domain::SubjectKind>().is_ok();
    if !known_kind {
        return Err(invalid("/kind", "a subject kind or `operation`".into()));
    }
    let filter = OverlapFilter {
        state: state_code,
        kind,
        ..Default::default()
    };
    let caller = &call.caller;
    let rows = call
        .run(&state, async {
            crate::overlaps::pointer::list(&state.db, caller, &state.settings.deadlines, &filter)
                .await
        })
        .await?;
    Ok(Json(OverlapList {
        items: rows.into_iter().map(OverlapSummary::from).collect(),
    }))
}

/// One overlap of the client's joint ventures.
#[utoipa::path(
    get,
    path = "/overlaps/{id}",
    tag = "overlaps",
    params(("id" = i32, Path, description = "The overlap's id")),
    responses(
        (status = 200, description = "The overlap", body = OverlapResource),
        (status = 404, description = "Not an overlap of the client's joint ventures", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["overlaps:read"]))
)]
pub async fn get_overlap(
    State(state): State<RestState>,
    call: ApiCall,
    Path(id): Path<String>,
) -> Result<Json<OverlapResource>, Problem> {
    call.require(ApiScope::OverlapsRead)?;
    let id: i32 = id.parse().map_err(|_| Problem::not_found(call.locale()))?;
    let caller = &call.caller;
    let view = call
        .run(&state, async {
            crate::overlaps::pointer::view(&state.db, caller, &state.settings.deadlines, id)
                .await
                .map_err(|err| match err {
                    // Not there and not the client's are one answer.
                    AppError::Invalid { .. } => AppError::Forbidden,
                    other => other,
                })
        })
        .await?;
    Ok(Json(view.into()))
}

/// A step of the overlap's life, as a coordinator of the client's side takes it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepDocument {
    /// `acknowledge`, `propose` (with a decision), `agree`, `reopen` (with a reason) or
    /// `close`.
    pub step: String,
    /// The overlap's `version` the step rests on (an acknowledgement applies to the latest).
    pub version: i32,
    /// For `propose`: `joint_action`, `lead_first`, `lead_second`, `no_conflict`, `merge`,
    /// `false_match`.
    #[serde(default)]
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// The client's side agrees to disclose what matched, on a purpose and a legal basis.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentDocument {
    /// A purpose code of `/admin/disclosure-grounds` (e.g. `coordinate_investigations`).
    pub purpose: String,
    /// Required for the purpose `other`.
    #[serde(default)]
    pub purpose_note: String,
    /// A legal basis code the client's organisation may provide data on (e.g. `wpg_20`).
    pub legal_basis: String,
}

/// An overlap step's or consent's refusal: another overlap and one out of sight are one answer.
fn step_problem(call: &ApiCall, err: AppError) -> Problem {
    match err {
        AppError::Invalid { ref field, .. } if field == "id" => Problem::not_found(call.locale()),
        other => Problem::from_app(call.locale(), other),
    }
}

async fn overlap_now(
    state: &RestState,
    call: &ApiCall,
    id: i32,
) -> Result<Json<OverlapResource>, Problem> {
    let caller = &call.caller;
    let view = call
        .run(state, async {
            crate::overlaps::pointer::view(&state.db, caller, &state.settings.deadlines, id).await
        })
        .await?;
    Ok(Json(view.into()))
}

/// Takes a step of an overlap's life for the client's side.
#[utoipa::path(
    post,
    path = "/overlaps/{id}/steps",
    tag = "overlaps",
    params(("id" = i32, Path, description = "The overlap's id")),
    request_body(content = StepDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "The step was taken: the overlap now", body = OverlapResource),
        (status = 404, description = "Not an overlap of the client's joint ventures", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Someone acted meanwhile, or the step is not possible now", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["overlaps:act"]))
)]
pub async fn take_step(
    State(state): State<RestState>,
    call: ApiCall,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Json<OverlapResource>, Problem> {
    call.require(ApiScope::OverlapsAct)?;
    let id: i32 = id.parse().map_err(|_| Problem::not_found(call.locale()))?;
    let doc: StepDocument =
        crate::rest::call::json_body(&headers, body, 16 * 1024, call.locale()).await?;
    let caller = &call.caller;
    let input = crate::overlaps::steps::StepInput {
        step: doc.step,
        version: doc.version,
        decision: doc.decision,
        reason: doc.reason,
    };
    let taken = call
        .run(&state, async {
            Ok(
                crate::overlaps::steps::take_step(&state.db, caller, &state.settings, id, &input)
                    .await,
            )
        })
        .await?;
    taken.map_err(|err| step_problem(&call, err))?;
    overlap_now(&state, &call, id).await
}

/// The client's side agrees to disclose what matched (both sides agreeing discloses it).
#[utoipa::path(
    post,
    path = "/overlaps/{id}/consent",
    tag = "overlaps",
    params(("id" = i32, Path, description = "The overlap's id")),
    request_body(content = ConsentDocument, content_type = "application/json"),
    responses(
        (status = 200, description = "Consent given (or waiting for a second coordinator): the overlap now", body = OverlapResource),
        (status = 404, description = "Not an overlap of the client's joint ventures", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A handling code withholds it, or it is already given", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An invalid field", body = Problem, content_type = "application/problem+json"),
        Refusals,
    ),
    security(("token" = ["overlaps:act"]))
)]
pub async fn consent(
    State(state): State<RestState>,
    call: ApiCall,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Json<OverlapResource>, Problem> {
    call.require(ApiScope::OverlapsAct)?;
    let id: i32 = id.parse().map_err(|_| Problem::not_found(call.locale()))?;
    let doc: ConsentDocument =
        crate::rest::call::json_body(&headers, body, 16 * 1024, call.locale()).await?;
    let caller = &call.caller;
    let input = crate::overlaps::types::ConsentInput {
        purpose: doc.purpose,
        purpose_note: doc.purpose_note,
        legal_basis: doc.legal_basis,
    };
    let given = call
        .run(&state, async {
            Ok(crate::overlaps::consent::consent(&state.db, caller, id, &input).await)
        })
        .await?;
    given.map_err(|err| step_problem(&call, err))?;
    overlap_now(&state, &call, id).await
}
