//! What every REST call goes through: no cookies, a valid token, the client's rate, its
//! language; the use-case then runs with the same request context the pages' server
//! functions have, and the call is audited with the client as the actor.

use crate::api_clients::authenticate::{ApiClientCaller, authenticate};
use crate::rest::problem::{FieldProblem, Problem};
use crate::server::caller::Caller;
use crate::{domain::ApiScope, error::AppError, i18n::Locale};
use axum::extract::FromRequestParts;
use governor::{DefaultDirectRateLimiter, Quota, clock::Clock};
use http::{HeaderMap, header, request::Parts};
use leptos::prelude::provide_context;
use leptos::reactive::{computed::ScopedFuture, owner::Owner};
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

/// What the REST handlers need, given by the server.
#[derive(Clone)]
pub struct RestState {
    pub db: DatabaseConnection,
    pub matching: crate::overlaps::candidates::Matching,
    pub settings: crate::settings::Settings,
    pub limits: Arc<RateLimits>,
}

/// Each client's request rate on this instance (GCRA: a steady rate with a burst of one
/// minute's worth). A change of a client's rate takes effect at its next request.
#[derive(Default)]
pub struct RateLimits {
    clients: Mutex<HashMap<i32, (u32, DefaultDirectRateLimiter)>>,
}

impl RateLimits {
    /// `Ok` if the client may make a request now, else how many seconds to wait.
    pub fn check(&self, client: i32, per_minute: u32) -> Result<(), u64> {
        let Ok(mut clients) = self.clients.lock() else {
            return Ok(());
        };
        let rate = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
        let entry = clients.entry(client).or_insert_with(|| {
            (
                per_minute,
                DefaultDirectRateLimiter::direct(Quota::per_minute(rate)),
            )
        });
        if entry.0 != per_minute {
            *entry = (
                per_minute,
                DefaultDirectRateLimiter::direct(Quota::per_minute(rate)),
            );
        }
        entry.1.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The client that makes this call, as a use-case takes a caller.
pub struct ApiCall {
    pub client: ApiClientCaller,
    pub caller: Caller,
    pub parts: Parts,
}

impl ApiCall {
    pub fn locale(&self) -> Locale {
        self.caller.locale
    }

    /// The call needs `scope`: a 403 names the missing one.
    pub fn require(&self, scope: ApiScope) -> Result<(), Problem> {
        crate::access::require_scope(&self.client.scopes, scope)
            .map_err(|_| Problem::scope(self.locale(), scope))
    }

    /// Runs a use-case with the request context of a server function (its language, address,
    /// database), so that it answers exactly as it does for the pages.
    pub async fn run<T, F>(&self, state: &RestState, work: F) -> Result<T, Problem>
    where
        F: Future<Output = Result<T, AppError>>,
    {
        let owner = Owner::new();
        let scoped = owner.with(|| {
            provide_context(self.parts.clone());
            provide_context(state.db.clone());
            provide_context(state.matching.clone());
            provide_context(state.settings.clone());
            ScopedFuture::new(work)
        });
        scoped
            .await
            .map_err(|err| Problem::from_app(self.locale(), err))
    }
}

/// The client of the call, put where the audit layer finds it once the answer is known.
#[derive(Clone, Default)]
pub struct CallRecord(pub Arc<Mutex<Option<(ApiClientCaller, String)>>>);

pub fn locale_of(headers: &HeaderMap) -> Locale {
    crate::language::locale_from_headers(headers)
}

impl FromRequestParts<RestState> for ApiCall {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &RestState) -> Result<Self, Problem> {
        let locale = locale_of(&parts.headers);
        // A browser's cookies never travel with a token: a request that has them may come from
        // a page another site made the browser send (the cookie rules guard those).
        if parts.headers.contains_key(header::COOKIE) {
            return Err(Problem::bad_request(
                locale,
                crate::i18n::td_string!(locale, problem_no_cookies),
            ));
        }
        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let client = match authenticate(&state.db, authorization).await {
            Ok(Ok(client)) => client,
            Ok(Err(refusal)) => {
                return Err(Problem::unauthorized(locale, refusal.message()));
            }
            Err(err) => return Err(Problem::from_app(locale, err)),
        };
        if let Err(wait) = state.limits.check(client.client_id, client.rate_per_minute) {
            metrics::counter!("liaison_api_rate_limited_total").increment(1);
            return Err(Problem::too_many_requests(locale, wait));
        }
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        if let Some(record) = parts.extensions.get::<CallRecord>()
            && let Ok(mut slot) = record.0.lock()
        {
            *slot = Some((client.clone(), address.clone()));
        }
        Ok(ApiCall {
            caller: Caller {
                user: client.user.clone(),
                locale,
                address,
            },
            client,
            parts: parts.clone(),
        })
    }
}

/// Reads a JSON body of at most `limit` bytes into `T`: 415 without a JSON content type, 413
/// past the limit, 400 for text that is not JSON, 422 naming the field that does not fit.
pub async fn json_body<T: serde::de::DeserializeOwned>(
    headers: &HeaderMap,
    body: axum::body::Body,
    limit: usize,
    locale: Locale,
) -> Result<T, Problem> {
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
    if !json {
        return Err(Problem::unsupported_media_type(locale, "application/json"));
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| Problem::too_large(locale, limit))?;
    decode(&bytes, locale)
}

/// Decodes one JSON document, naming where it does not fit.
pub fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], locale: Locale) -> Result<T, Problem> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let inner = err.inner();
        if inner.is_syntax() || inner.is_eof() || inner.is_io() {
            return Problem::bad_request(locale, inner.to_string());
        }
        let path = err.path().to_string();
        let pointer = if path == "." {
            String::new()
        } else {
            format!(
                "/{}",
                path.replace(['[', ']'], ".")
                    .split('.')
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            )
        };
        Problem::invalid(
            locale,
            vec![FieldProblem {
                pointer,
                detail: inner.to_string(),
            }],
        )
    })?;
    deserializer
        .end()
        .map_err(|err| Problem::bad_request(locale, err.to_string()))?;
    Ok(value)
}
