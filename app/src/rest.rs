//! The REST API for the agencies' own systems (`/api/v1/`): JSON resources that call the same
//! use-cases as the pages, for an API client acting as a coordinator of its joint ventures
//! within its scopes. Errors are problem details (`rest::problem`); the OpenAPI 3.1 document
//! is generated from the handlers (`rest::openapi`) and read as a page at `/help/api`.

pub mod call;
pub mod openapi;
pub mod problem;

use crate::rest::call::{CallRecord, RestState};
use crate::server::audit::{Actor, Event, Outcome};
use axum::{Router, extract::Request, middleware::Next, response::Response, routing::get};

/// The API's routes, mounted by the server under `/api/v1`.
pub fn router<S: Clone + Send + Sync + 'static>(state: RestState) -> Router<S> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/events", get(crate::api_clients::events::events))
        .merge(crate::cases::rest::routes())
        .merge(crate::cases::rest_batch::routes())
        .merge(crate::overlaps::rest::routes())
        .merge(crate::signals::rest::routes())
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            audit_call,
        ))
        .with_state(state)
}

async fn not_found(headers: http::HeaderMap) -> problem::Problem {
    problem::Problem::not_found(call::locale_of(&headers))
}

/// Every call is audited once its answer is known: the client as the actor (or, without a
/// valid token, what was refused), the method, the path and the status.
async fn audit_call(
    axum::extract::State(state): axum::extract::State<RestState>,
    mut request: Request,
    next: Next,
) -> Response {
    let record = CallRecord::default();
    request.extensions_mut().insert(record.clone());
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let fallback_address = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned());
    let response = next.run(request).await;
    if path == "/openapi.json" {
        return response;
    }
    let status = response.status();
    let client = record.0.lock().ok().and_then(|mut slot| slot.take());
    let (actor, object_id, address) = match client {
        Some((client, address)) => (
            Actor::from(&client.user),
            client.client_id.to_string(),
            address,
        ),
        None => (
            Actor {
                user_id: None,
                name: "api".to_owned(),
                organisation_id: None,
            },
            String::new(),
            fallback_address,
        ),
    };
    let outcome = if status.is_success() {
        Outcome::Success
    } else if status.is_client_error() {
        Outcome::Refused
    } else {
        Outcome::Failure
    };
    let event = Event {
        actor,
        action: "api_call",
        object_type: "api_client",
        object_id,
        outcome,
        client_address: address,
        detail: format!("{method} /api/v1{path} {}", status.as_u16()),
    };
    if let Err(err) = crate::server::audit::record(&state.db, event).await {
        tracing::error!(error = %err, "the API call could not be audited");
    }
    response
}
