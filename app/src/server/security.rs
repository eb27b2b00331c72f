//! The Content-Security-Policy of rendered pages. Inline scripts (hydration) run only with the
//! per-response nonce; WebAssembly needs `wasm-unsafe-eval`, nothing needs `unsafe-inline`.

use leptos::prelude::*;

pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the policy for this response's nonce on the response being rendered.
pub fn content_security_policy() {
    let (nonce, response) = match (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        (Some(nonce), Some(response)) => (nonce, response),
        (nonce, response) => {
            tracing::warn!(
                nonce = nonce.is_some(),
                response = response.is_some(),
                "the page's shell found no nonce or no response to put its policy on"
            );
            return;
        }
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
