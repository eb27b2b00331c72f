//! Security middleware: response headers for every response, and refusal of cross-site
//! requests that could change state (Leptos server functions do no CSRF checking of their own).

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Headers every response carries. Pages replace the fallback policy with one that allows
/// their own nonce-marked scripts.
pub async fn headers(https: bool, request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/pkg/");
    let path = request.uri().path().to_owned();
    let mut response = ensure_page_policy(&path, next.run(request).await).await;
    let headers = response.headers_mut();
    // A download (a server function answering with a file) opened by a plain link: Leptos's
    // no-JavaScript form handling adds a redirect to it, which a file answer must not carry.
    if headers.contains_key(header::CONTENT_DISPOSITION) {
        headers.remove(header::LOCATION);
    }
    let fixed: [(HeaderName, &str); 5] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ));
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    // Pages will carry case data: never keep them in a shared or browser cache.
    if !is_static {
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

/// A rendered page sets its own policy with its scripts' nonce. Now and then (seen in the
/// browser suite, cause not yet found in Leptos's rendering) a page arrived without it, and the
/// strict fallback then blocked its hydration. Such a page gets the policy for the nonce its
/// own scripts carry, read from the (fully rendered) body; a warning says it happened.
async fn ensure_page_policy(path: &str, response: Response) -> Response {
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !is_html
        || response
            .headers()
            .contains_key(header::CONTENT_SECURITY_POLICY)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be rendered",
        )
            .into_response();
    };
    if let Some(nonce) = script_nonce(&bytes) {
        tracing::warn!(
            path,
            status = parts.status.as_u16(),
            "a page came without its content security policy; set from its nonce"
        );
        if let Ok(value) =
            HeaderValue::from_str(&liaison_app::server::security::page_policy(&nonce))
        {
            parts.headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Rendered pages are small; anything larger is not buffered whole.
const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;

/// The nonce of the first `<script nonce="…">` in a page, if it is one a header may carry.
fn script_nonce(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let start = text.find("<script")?;
    let rest = &text[start..];
    let at = rest.find("nonce=\"")? + "nonce=\"".len();
    let nonce: String = rest[at..].chars().take_while(|c| *c != '"').collect();
    let safe = !nonce.is_empty()
        && nonce.len() <= 64
        && nonce
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+/=_-".contains(c));
    safe.then_some(nonce)
}

/// Refuses a state-changing request that a browser marks as coming from another site.
///
/// Browsers send `Sec-Fetch-Site`, or at least `Origin`, on every such request; a request with
/// neither does not come from a browser and so cannot carry a victim's cookies.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    if is_safe_method(request.method()) || is_same_site(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!(path = %request.uri().path(), "refused a cross-site request");
        cross_site_refusal()
    }
}

fn is_safe_method(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

pub fn is_same_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let (Ok(origin), Some(Ok(host))) = (
        origin.to_str(),
        headers.get(header::HOST).map(|h| h.to_str()),
    ) else {
        return false;
    };
    origin
        .split_once("://")
        .is_some_and(|(scheme, authority)| matches!(scheme, "http" | "https") && authority == host)
}

fn cross_site_refusal() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        Body::from("Refused: this request came from another site. Use the form on Liaison itself."),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn a_page_nonce_is_read_only_when_it_is_plain() {
        let page =
            br#"<html><head><script type="module" nonce="aB82ybZA4Fqnto8CfEdzMw">x</script>"#;
        assert_eq!(
            script_nonce(page).as_deref(),
            Some("aB82ybZA4Fqnto8CfEdzMw")
        );
        assert_eq!(script_nonce(br#"<script nonce="a'; script-src *">"#), None);
        assert_eq!(script_nonce(b"<p>no script</p>"), None);
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_site(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(is_same_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!is_same_site(&headers(&[("sec-fetch-site", "same-site")])));
    }

    #[test]
    fn otherwise_the_origin_must_be_this_host() {
        assert!(is_same_site(&headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ])));
        assert!(!is_same_site(&headers(&[
            ("origin", "null"),
            ("host", "127.0.0.1:3000")
        ])));
    }

    #[test]
    fn a_request_without_browser_headers_is_not_a_cross_site_browser_request() {
        assert!(is_same_site(&headers(&[("host", "127.0.0.1:3000")])));
    }
}
