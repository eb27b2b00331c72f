//! The API's OpenAPI 3.1 document, generated from the handlers' annotations and the wire
//! types (utoipa): what `/api/v1/openapi.json` serves and `/help/api` shows.

use crate::rest::problem::{FieldProblem, Problem};
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, header};
use std::sync::OnceLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Liaison API",
        version = "1",
        description = "For the joint ventures' agencies' own systems: keep cases, subjects and operations current, read the overlaps they raise. An API client is registered by an administrator (`/admin/api-clients`) for joint ventures of its organisation, with scopes; it may never do more than a coordinator of those joint ventures. Send its token as `Authorization: Bearer lsn_…`, never with cookies. Errors are RFC 9457 problem details in the language of `Accept-Language` (nl, en)."
    ),
    servers((url = "/api/v1")),
    paths(
        crate::cases::rest::put_case,
        crate::cases::rest::get_case,
        crate::cases::rest::list_cases,
        crate::cases::rest::close_case,
        crate::cases::rest_batch::post_batch,
        crate::overlaps::rest::list_overlaps,
        crate::overlaps::rest::get_overlap,
        crate::overlaps::rest::take_step,
        crate::overlaps::rest::consent,
        crate::signals::rest::post_signal,
        crate::api_clients::events::events,
    ),
    components(schemas(Problem, FieldProblem)),
    modifiers(&TokenScheme),
    tags(
        (name = "cases", description = "A joint venture's cases by their reference, with subjects and operations"),
        (name = "overlaps", description = "Overlaps of the client's joint ventures, on the pointer basis, and the steps a coordinator takes on them"),
        (name = "signals", description = "Signals from the agencies' own intake systems"),
        (name = "events", description = "What happened in the client's joint ventures, to pull"),
    )
)]
pub struct ApiDoc;

struct TokenScheme;

impl Modify for TokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("lsn_<lookup>_<secret>")
                    .description(Some(
                        "An API client's token; the scopes listed per operation must be among the client's.",
                    ))
                    .build(),
            ),
        );
    }
}

/// The document as JSON, built once.
pub fn json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default())
}

pub async fn document() -> Response {
    let mut response = json().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
